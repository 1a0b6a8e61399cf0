"""The ``documents`` command: the printable documents of a valid workbook as editable Word files in a folder of their
own, and the copy of the default Word templates beside the workbook for a clerk to edit."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Sequence

from generator.app.build import read_rosters
from generator.app.checking import load_valid
from generator.app.exporting import EXPORT_WARNING
from generator.app.outcome import Outcome, Refused
from generator.derive.comparison import compare_roster
from generator.derive.monthly import MonthProblem, parse_month
from generator.present.documents import UnknownKind, check_folder, copy_templates, plan, write_documents
from generator.present.export import UnknownVillage
from generator.present.outpaths import ExportRefused
from generator.present.own_templates import TemplateProblem
from generator.present.views import build_view


def copy_default_templates(workbook: Path) -> Outcome:
    """Copy the default Word templates into 协议模板/ beside the workbook (never over one there); say what was copied."""
    try:
        copied = copy_templates(workbook.parent)
    except TemplateProblem as exc:
        raise Refused(str(exc)) from None
    except OSError as exc:
        raise Refused(f"无法写入“{workbook.parent}”（{exc.strerror}），没有复制模板。") from None
    lines = [f"默认的 Word 模板已复制到“{workbook.parent / '协议模板'}”："]
    lines += [f"  {name}" + (f"（{note}）" if note else "") for name, note in copied]
    lines.append("用 Word 或 WPS 修改后保存（仍为 .docx，文件名不变），再运行 jingfang documents 即可使用。")
    return Outcome("\n".join(lines))


def write_word_files(workbook: Path, out: Path, *, villages: list[str], kinds: list[str], patients: list[str],
                     everyone: bool, separate: bool, as_of: date | None, month: str | None, today: date,
                     now: datetime, compare: Sequence[tuple[Path, str]] = ()) -> Outcome:
    """Write the documents chosen (by default those still to be signed) into the folder out; Refused when they may
    not be written there or a choice is unknown, InvalidWorkbook when the workbook has errors. compare: the roster
    files (and their 来源) whose differences the monthly report counts, as ``build --compare`` (RosterUnreadable,
    NoHeaderRow before anything is written)."""
    try:
        check_folder(out)
        data, report = load_valid(workbook, as_of, today)
        day = data.as_of  # resolved by the validator
        rosters = read_rosters(compare, lambda _: None)
        view = build_view(data, report, day, now, parse_month(month, day) if month else None)
        view.comparisons = [compare_roster(data, roster, source) for roster, source in rosters]
        planned = plan(view, villages, kinds, patients, everyone, separate)
        if not planned:
            return Outcome("没有需要生成的文书（所选的人都不需要签订；要给每位适用的患者都出一份请加 --all）。")
        written = write_documents(view, out, planned, workbook.parent, reads=[workbook, *(path for path, _ in compare)])
    except (ExportRefused, UnknownVillage, UnknownKind, TemplateProblem, MonthProblem) as exc:
        raise Refused(f"{exc}（没有生成 Word 文件）") from None
    except OSError as exc:
        raise Refused(f"无法写入“{out}”（{exc.strerror}），没有生成 Word 文件。") from None
    total = sum(n for _, n in written)
    lines = [f"已生成 {len(written)} 个 Word 文件（共 {total} 份文书）：{out}"]
    lines += [f"  {name}（{n} 份）" for name, n in written]
    return Outcome("\n".join(lines), note=EXPORT_WARNING)
