"""``jingfang import``: a new standard workbook started from a roster file, so a township never retypes its people.

Here, beside ``app``, because it writes with the template writer (``sample/template``) and the layers keep ``app``
and ``sample`` apart; everything else it needs (reading the roster, checking the new workbook) lies below both.
The source is only read; the new workbook appears complete under its name or not at all, never over a file.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from generator.contract.report import Report, render_report
from generator.contract.roster import where_read
from generator.contract.vocab import OUTSIDE
from generator.present.outpaths import ExportRefused
from generator.read.roster import Roster, RosterRow, read_roster
from generator.read.workbook import read_workbook
from generator.sample.template import WorkbookContent, default_content, write_workbook
from generator.validate.workbook import validate_workbook

PATIENTS, VILLAGES, ASSESSMENTS = "患者", "村社区", "危险性评估"
ASSESSMENT_FIELDS = ("危险性", "评估日期")
IMPORT_NOTE = "导入时的危险性"


@dataclass(frozen=True)
class Imported:
    """What import did: the text to print, and the new workbook's check report."""

    text: str
    report: Report


def import_roster(source: Path, out: Path, sheet: str | None, as_of: date | None, today: date) -> Imported:
    """Read source (RosterUnreadable, NoHeaderRow), write the new workbook out (ExportRefused when out exists or is
    not .xlsx), check it, and say what went where."""
    source, out = Path(source), Path(out)
    if out.suffix.lower() != ".xlsx":
        raise ExportRefused(f"新台账“{out}”必须是 .xlsx 文件，如 --out 标准台账.xlsx。")
    if os.path.lexists(out):
        raise ExportRefused(f"“{out}”已经存在，没有覆盖。import 只写新的台账，请换一个文件名。")
    roster = read_roster(source, sheet)
    day = as_of or today
    content = default_content()
    content.rows.update(patient_rows(roster, day))
    _write_new(out, content)
    _, report = validate_workbook(read_workbook(out), as_of=day, today=today)
    return Imported(render_import(roster, out) + "\n\n新台账的检查结果（请补全后再运行 jingfang check）：\n"
                    + render_report(report), report)


def patient_rows(roster: Roster, day: date) -> dict[str, list[dict[str, Any]]]:
    """The 患者, 村社区 and 危险性评估 rows of the new workbook, patients numbered P0001… in source order."""
    patients, assessments, villages = [], [], {}
    for number, row in enumerate(roster.rows, 1):
        code = f"P{number:04d}"
        patient = {"患者编号": code, **{k: v for k, v in row.values.items() if k not in ASSESSMENT_FIELDS}}
        patient["备注"] = _note(row) or None
        patients.append(patient)
        village = row.values.get("现住村社区")
        if village and village != OUTSIDE:
            villages.setdefault(village, {"名称": village})
        if "危险性" in row.values:
            assessments.append({"患者编号": code, "评估日期": row.values.get("评估日期", day),
                                "危险性": row.values["危险性"], "备注": IMPORT_NOTE})
    return {PATIENTS: patients, VILLAGES: list(villages.values()), ASSESSMENTS: assessments}


def _note(row: RosterRow) -> str:
    """The source's own 备注, then every value with no place, as 原表列名：值, joined with ；."""
    own = row.values.get("备注")
    return "；".join(([str(own)] if own else []) + [f"{title}：{value}" for title, value in row.extras])


def _write_new(out: Path, content: WorkbookContent) -> None:
    """Write beside out, then link into place: never over a file that appeared meanwhile, never half a workbook."""
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(prefix=".jingfang-import-", suffix=".xlsx", dir=out.parent)
    os.close(fd)
    try:
        write_workbook(Path(temp), content)
        try:
            os.link(temp, out)
        except FileExistsError:
            raise ExportRefused(f"“{out}”已经存在，没有覆盖。import 只写新的台账，请换一个文件名。") from None
    finally:
        os.unlink(temp)


def render_import(roster: Roster, out: Path) -> str:
    """Which column went where, which to 备注, which rows were skipped and why, which values were changed."""
    lines = [f"已从“{roster.path.name}”（{where_read(roster.sheet)}，第 {roster.header_row} 行为表头）导入 "
             f"{len(roster.rows)} 名患者，写入新台账：{out}", "", "列的对应："]
    for title, target in roster.mapping.items():
        if target:
            sheet = ASSESSMENTS if target in ASSESSMENT_FIELDS else PATIENTS
            lines.append(f"  {title} → {sheet}.{target}")
    unplaced = [title for title, target in roster.mapping.items() if target is None]
    lines.append("放入备注的列：" + ("、".join(unplaced) if unplaced else "无"))
    skipped = [f"{why} {len(rows)} 行（第 {'、'.join(map(str, rows))} 行）" for why, rows in roster.skipped.items()]
    lines.append("跳过的行：" + ("；".join(skipped) if skipped else "无"))
    notes = [f"  第 {row.row} 行 {note}" for row in roster.rows for note in row.notes]
    if notes:
        lines += ["需要核对的值：", *notes]
    return "\n".join(lines)
