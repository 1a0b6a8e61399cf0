"""The ``export`` command: the overdue lists (or the roster) of a valid workbook as a plaintext workbook for a
village, written only where it may be (never into a site, never onto the workbook, never over a file without
--force)."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from generator.app.checking import load_valid
from generator.app.outcome import Outcome, Refused
from generator.present.export import UnknownVillage, check_target, default_path, write_export, write_roster
from generator.present.outpaths import ExportRefused, check_not_input, refuse_overwrite
from generator.present.views import build_view

EXPORT_WARNING = "注意：导出文件不加密，含患者姓名和联系电话，请只发给负责的工作人员，用后删除。"


def export_lists(workbook: Path, out: Path | None, *, village: str | None, roster: bool, as_of: date | None,
                 force: bool, today: date, now: datetime) -> Outcome:
    """Write the lists (or the roster) to out, by default a file in the current folder named for what it holds and
    for whom; Refused when it may not be written there, InvalidWorkbook when the workbook has errors."""
    try:
        if out is not None:
            check_target(out)
            check_not_input(out, [workbook])  # before --force is even looked at: the workbook is never overwritten
        data, report = load_valid(workbook, as_of, today)
        view = build_view(data, report, data.as_of, now)  # as-of resolved by the validator
        if out is None:  # a name that says what it holds and for whom, in the folder the clerk works in
            out = default_path("花名册" if roster else "逾期清单", view, village)
            check_target(out)
            check_not_input(out, [workbook])
        refuse_overwrite(out, force)
        if roster:
            rows = write_roster(view, out, village, reads=[workbook])
            said = f"已导出花名册：{out}（{rows} 人）"
        else:
            counts = write_export(view, out, village, reads=[workbook])
            said = f"已导出：{out}（" + "，".join(f"{k} {n}" for k, n in counts.items()) + "）"
    except (ExportRefused, UnknownVillage) as exc:
        raise Refused(str(exc)) from None
    except OSError as exc:
        raise Refused(f"无法写入“{out}”（{exc.strerror}），没有导出。") from None
    return Outcome(said, note=EXPORT_WARNING)
