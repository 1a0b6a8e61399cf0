"""The ``indicators`` command: the national-口径 indicators of a valid workbook (the township's or one village's),
as text or as the JSON of domain.md v3.

Dates are parameters: today is read by the CLI; the as-of day is resolved once, by the validator.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from generator.app.checking import load_valid
from generator.app.outcome import Outcome, Refused
from generator.contract.indicators import COUNTS
from generator.derive import indicators
from generator.derive.history import histories
from generator.present.wording import target_text


def show_indicators(workbook: Path, as_of: date | None, today: date, period: str | None, village: str | None,
                    as_json: bool) -> Outcome:
    """Every indicator over the period (the option, else the setting 统计周期); village: that village's patients
    (现住村社区), 报告患病率 left out. InvalidWorkbook when the workbook has errors, Refused for an unknown village."""
    data, _ = load_valid(workbook, as_of, today)
    chosen = indicators.resolve_period(data.settings, data.as_of, period)
    found = histories(data)
    try:
        result = (indicators.compute(data, found, chosen) if village is None
                  else indicators.for_village(data, found, chosen, village))
    except indicators.UnknownVillage as exc:
        raise Refused(str(exc)) from None
    if as_json:
        return Outcome(json.dumps(result.to_json(), ensure_ascii=False, indent=2))
    return Outcome(render_indicators(result, village))


def render_indicators(result: indicators.Indicators, village: str | None) -> str:
    """The indicators as the console shows them: the period, the counts, one line per indicator."""
    lines = [f"统计截止日期：{result.period.end.isoformat()}", f"统计期：{result.period.label}"]
    if village is not None:
        lines.append(f"村社区：{village}（按现住村社区计，不计报告患病率）")
    lines.append("人数：" + "；".join(f"{COUNTS[key]} {n}" for key, n in result.counts.items()))
    lines.append("")
    for i in result:
        value = "—" if i.value is None else f"{i.value:.1f}{i.unit}"
        if i.target is None:
            target = "无目标"
        else:
            verdict = "" if i.met is None else "，达标" if i.met else "，未达标"
            target = f"目标 {target_text(i)}{verdict}"
        lines.append(f"{i.name}：{value}（{i.numerator}/{i.denominator}），{target}")
    return "\n".join(lines)
