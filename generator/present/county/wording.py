"""How the county's pages say an indicator: its value, numerator/denominator and verdict in words (never colour
alone)."""

from __future__ import annotations

from generator.contract.indicators import PERMILLE
from generator.derive.indicators import Indicator

MET, UNMET = "达标 ✓", "未达标 ✗"
STALE = "数据较旧"
NONE = "—"
HERE_TOWNSHIPS = "各乡镇指标与目标"


def value(i: Indicator) -> str:
    """85.0% / 4.50‰, or — without a denominator."""
    if i.value is None:
        return NONE
    return f"{i.value:.2f}{i.unit}" if i.unit == PERMILLE else f"{i.value:.1f}{i.unit}"


def fraction(i: Indicator) -> str:
    return f"{i.numerator}/{i.denominator}"


def judged(i: Indicator) -> str:
    """达标 ✓ or 未达标 ✗; "" without a target or a denominator."""
    return "" if i.met is None else MET if i.met else UNMET


def target(i: Indicator) -> str:
    """≥ 95% (≤ for lower is better), or — without a target."""
    if i.target is None:
        return NONE
    return f"{'≤' if i.spec.lower_is_better else '≥'} {i.target:g}{i.unit}"


def wide(table_html: str) -> str:
    """A table wider than the page (townships × indicators or lists) in Material's own scrolling frame, so the page
    keeps its width and the table scrolls sideways."""
    return f'\n\n<div class="md-typeset__scrollwrap"><div class="md-typeset__table">{table_html}</div></div>\n\n'


def verdict(i: Indicator) -> str:
    """judged, else why there is none: 无目标, or — without a denominator."""
    return judged(i) or ("无目标" if i.target is None else NONE)
