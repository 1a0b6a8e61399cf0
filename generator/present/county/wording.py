"""How the county's pages say an indicator: its value, numerator/denominator and verdict in words (never colour
alone)."""

from __future__ import annotations

import html

from generator.contract.indicators import INDICATORS, PERMILLE
from generator.derive.county import County
from generator.derive.indicators import Indicator
from generator.present.markup import Raw
from generator.present.wording import bound_text

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


def name(township: str) -> Raw:
    """A township's name on one line (东关街道, never 东关/街道)."""
    return Raw(f'<span class="jf-nw">{html.escape(township)}</span>')


def targets_line(county: County, document: bool = False) -> str:
    """The sentence every page that says 达标 carries: which targets judged every township (document: the printed
    通报's shorter words, without the command's option)."""
    spec_of = {spec.key: spec for spec in INDICATORS}
    listed = "，".join(f"{spec_of[k].name} {bound_text(spec_of[k], t)}" for k, t in county.targets.items() if t is not None)
    if document:
        return f"目标为全县统一目标（{listed}），各乡镇（街道）均按此判断。"
    none = "、".join(spec_of[k].name for k, t in county.targets.items() if t is None)
    how = ("其中" + "、".join(spec_of[k].name for k in county.chosen) + "的目标由县（区）设定（--target），其余为默认目标"
           if county.chosen else "均为默认目标，可用 jingfang county --target 设定")
    return (f"目标为全县统一目标（{listed}；{how}{f'；{none}无目标' if none else ''}），"
            "各乡镇都按这一套目标判断是否达标，不用乡镇自己设的目标。")


def verdict(i: Indicator) -> str:
    """judged, else why there is none: 无目标, or — without a denominator."""
    return judged(i) or ("无目标" if i.target is None else NONE)
