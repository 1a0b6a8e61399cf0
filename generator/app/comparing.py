"""The ``compare`` command (信息比对): a valid workbook against another system's list — who is only on one side, and
where a matched pair differs — as Chinese text, as JSON, or as a plaintext workbook under export's rules.

Both inputs are only read. ``build --compare`` runs the same comparison for the site's 信息比对 page
(present/pages/comparison) and the monthly report's counts per source.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from generator.app.checking import load_valid
from generator.app.exporting import EXPORT_WARNING
from generator.app.outcome import Outcome, Refused
from generator.contract.roster import BY_NAME, DUPLICATES_HEADING
from generator.contract.schema import Dataset
from generator.derive.comparison import Comparison, compare
from generator.present.export import check_target, write_comparison
from generator.present.outpaths import ExportRefused, check_not_input, refuse_overwrite
from generator.read.roster import RosterRow, read_roster


def compare_lists(workbook: Path, other: Path, source: str, as_of: date | None, today: date, as_json: bool,
                  out: Path | None) -> Outcome:
    """Compare; InvalidWorkbook when the workbook has errors, RosterUnreadable/NoHeaderRow for OTHER, Refused when
    out may not be written (not .xlsx, inside a site, an input, an existing file)."""
    if out is not None:
        _check_out(out, [workbook, other])
    data, _ = load_valid(workbook, as_of, today)
    roster = read_roster(other)
    result = compare(data, roster.rows, source)
    if out is not None:
        try:
            write_comparison(out, f"{data.settings.township} 信息比对（{source}：{other.name}） 统计截止日期 "
                             f"{data.as_of.isoformat()}", comparison_sheets(result, data, roster.rows),
                             reads=[workbook, other])
        except ExportRefused as exc:
            raise Refused(str(exc)) from None
        except OSError as exc:
            raise Refused(f"无法写入“{out}”（{exc.strerror}），没有导出。") from None
    if as_json:
        text = json.dumps(result.to_json(), ensure_ascii=False, indent=2)
    else:
        text = render_comparison(result, data.as_of, other)
    if out is not None:
        return Outcome(text, note=f"已导出：{out}\n{EXPORT_WARNING}")
    return Outcome(text)


def _check_out(out: Path, reads: list[Path]) -> None:
    try:
        if out.suffix.lower() != ".xlsx":
            raise ExportRefused(f"“{out}”必须是 .xlsx 文件，如 --out 信息比对.xlsx。")
        check_target(out)
        check_not_input(out, reads)
        refuse_overwrite(out, False)
    except ExportRefused as exc:
        raise Refused(str(exc)) from None


def render_comparison(result: Comparison, as_of: date, other: Path) -> str:
    """Counts, then the patients and rows on one side only, then each difference (患者编号 and OTHER's row)."""
    marked = {m.id for m in result.by_name}
    lines = [f"信息比对：台账与“{other.name}”（来源：{result.source}），统计截止日期 {as_of.isoformat()}",
             f"两边都有：{len(result.matches)} 人（其中{BY_NAME} {len(marked)} 人）",
             f"只在台账里：{len(result.only_in_workbook)} 人",
             f"只在名单里：{len(result.only_in_other)} 行",
             f"不一致：{len(result.differences)} 处"]
    if result.duplicates:
        lines.append(f"身份证号重复：{len(result.duplicates)} 组（{sum(len(d.rows) for d in result.duplicates)} 行，未参与比对）")
    if result.by_name:
        lines += [f"\n{BY_NAME}（名单没有可用的身份证号，请核对是否同一人）："]
        lines += [f"  {m.id} ↔ 名单第 {m.row} 行" for m in result.by_name]
    if result.only_in_workbook:
        lines += ["\n只在台账里的患者：", *(f"  {code}" for code in result.only_in_workbook)]
    if result.only_in_other:
        lines += ["\n只在名单里的行：", *(f"  第 {row} 行" for row in result.only_in_other)]
    if result.duplicates:
        lines.append(f"\n{DUPLICATES_HEADING}：")
        lines += [f"  {d.describe()}" for d in result.duplicates]
    if result.differences:
        lines.append("\n不一致的地方：")
        for d in result.differences:
            mark = f"，{BY_NAME}" if d.id in marked else ""
            lines.append(f"  {d.id}（名单第 {d.row} 行{mark}）{d.field}：台账“{d.workbook}”，名单“{d.other}”")
    return "\n".join(lines)


def comparison_sheets(result: Comparison, data: Dataset, rows: list[RosterRow]) -> dict[str, list[list]]:
    """The rows of the --out workbook's sheets."""
    marked = {m.id for m in result.by_name}
    patients = {p.patient_id: p for p in data.patients}
    by_row = {r.row: r for r in rows}
    return {
        "不一致": [[d.id, d.row, d.field, d.workbook, d.other, BY_NAME if d.id in marked else "身份证号"]
                 for d in result.differences],
        "只在台账里": [[code, patients[code].name, patients[code].village, patients[code].status]
                   for code in result.only_in_workbook],
        "只在名单里": [[row, by_row[row].values.get("姓名"), by_row[row].values.get("身份证号"),
                   by_row[row].values.get("现住村社区")] for row in result.only_in_other],
        "身份证号重复": [[row, by_row[row].values.get("姓名"), by_row[row].values.get("身份证号"), d.id or ""]
                   for d in result.duplicates for row in d.rows],
    }
