"""How numbers, dates, relations, risks and targets are written for people: 人民币大写, 2026年10月1日, □父亲　□母亲 on a
printed document; 3 级 or 未评估 in a table; ≥ 95% for a target, on the township's pages, the county's and the console."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from generator.contract.indicators import IndicatorSpec
from generator.contract.vocab import RELATION_WORDING

if TYPE_CHECKING:
    from generator.derive.indicators import Indicator

DIGITS = "零壹贰叁肆伍陆柒捌玖"
PLACES = ("仟", "佰", "拾", "")


def amount_in_words(amount: float | None) -> str:
    """An amount of 元 in 人民币大写 (壹仟捌佰元整); empty when there is none or it is 1 亿 or more."""
    if amount is None:
        return ""
    cents = round(amount * 100)
    if cents <= 0 or cents >= 10 ** 10:
        return ""
    yuan, jiao, fen = cents // 100, cents // 10 % 10, cents % 10
    words = _yuan(yuan) + "元" if yuan else ""
    if jiao == fen == 0:
        return words + "整"
    if jiao:
        words += DIGITS[jiao] + "角"
    elif yuan:
        words += "零"
    return words + (DIGITS[fen] + "分" if fen else "")


def _yuan(n: int) -> str:
    high, low = divmod(n, 10_000)
    words = _four(high) + "万" if high else ""
    if low:
        words += ("零" if high and low < 1000 else "") + _four(low)
    return words


def _four(n: int) -> str:
    """1–9999 with one 零 for each run of zeros between digits (壹仟零伍拾)."""
    words, gap = "", False
    for i, place in enumerate(PLACES):
        digit = n // 10 ** (3 - i) % 10
        if digit == 0:
            gap = gap or bool(words)
            continue
        words += ("零" if gap else "") + DIGITS[digit] + place
        gap = False
    return words


def date_words(day: date | None) -> str:
    """A date as documents write it (2026年10月1日); empty for none."""
    return f"{day.year}年{day.month}月{day.day}日" if day else ""


def relation(category: str | None, *, tick: bool = False) -> str:
    """A 监护人关系 as a document names it: as typed (父亲, 父母; tick: 父母 → □父亲　□母亲 to tick at signing)."""
    if not category:
        return ""
    return RELATION_WORDING[category][1 if tick else 0]


def risk_label(risk: int | None) -> str:
    """A current risk as shown in tables: 3 级, or 未评估 when there is no observation."""
    return "未评估" if risk is None else f"{risk} 级"


def bound_text(spec: IndicatorSpec, target: float) -> str:
    """A target as a bound: ≥ 95% (≤ for an indicator where lower is better)."""
    return f"{'≤' if spec.lower_is_better else '≥'} {target:g}{spec.unit}"


def target_text(i: Indicator) -> str:
    """An indicator's target as a bound (bound_text), or — without a target."""
    return "—" if i.target is None else bound_text(i.spec, i.target)
