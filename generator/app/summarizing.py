"""The ``summary`` command: a valid workbook's summary (contract.summary) written as JSON under export's rules (never
into a site, never onto the workbook, not over a file without --force), then checked by the leak gate against the
workbook's personal values and village names: a summary that shows one is deleted and refused."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from generator.app.checking import load_valid
from generator.app.outcome import Outcome, Refused
from generator.contract.summary import SUMMARY_COUNTS
from generator.contract.schema import Dataset
from generator.derive import indicators
from generator.derive.summary import make_summary
from generator.present.export import check_target, write_private
from generator.present.outpaths import ExportRefused, check_not_input, file_in, refuse_overwrite
from generator.site.verify import Secrets, describe, personal_values, scan_file

VILLAGE = "村社区名称"
SUMMARY_NOTE = ("汇总文件只有人数、各项指标的分子和分母、各清单的条数，没有姓名、身份证号、电话、地址和村社区名称，"
                "可以发给县（区）汇总（jingfang county）。文件带校验码：传输中被截断、或被改动而没有重算校验码的文件，县里会拒收；"
                "但校验码不是签名（谁都能重算），挡不住有意的篡改，请通过可信的渠道原样发送。")


def write_summary(workbook: Path, out: Path | None, *, as_of: date | None, period: str | None, force: bool,
                  today: date) -> Outcome:
    """Write the summary to out (default: 汇总-乡镇-日期.json in the current folder); Refused when it may not be
    written there or the gate finds a personal value in it, InvalidWorkbook when the workbook has errors."""
    try:
        if out is not None:
            _check(out, workbook)
        data, _ = load_valid(workbook, as_of, today)
        chosen = indicators.resolve_period(data.settings, data.as_of, period)
        summary = make_summary(data, chosen)
        if out is None:  # a name that says whose and as of when, in the folder the clerk works in
            out = file_in(Path("."), f"汇总-{summary.township}-{summary.as_of.isoformat()}.json")
            _check(out, workbook)
        refuse_overwrite(out, force)
        path = write_private(summary.to_json().encode("utf-8"), out.parent, out.name, reads=[workbook])
    except ExportRefused as exc:
        raise Refused(str(exc)) from None
    except OSError as exc:
        raise Refused(f"无法写入“{out}”（{exc.strerror}），没有生成汇总。") from None
    leaks = scan_file(path, path.name, summary_secrets(data))
    if leaks:
        path.unlink(missing_ok=True)
        raise Refused(f"汇总文件没有通过保密检查，已删除：\n{describe(leaks)}\n"
                      "（多半是乡镇或区县名称里含有某人的姓名或某个村社区的名称。）")
    counts = "，".join(f"{name} {summary.counts[key]}" for key, name in SUMMARY_COUNTS.items())
    return Outcome(f"已生成汇总：{path}（{summary.township}，统计截止日期 {summary.as_of.isoformat()}，"
                   f"统计期 {chosen.label}；{counts}）", note=SUMMARY_NOTE)


def summary_secrets(data: Dataset) -> Secrets:
    """What a summary must not show: every personal value of the workbook, and every village's name."""
    found = personal_values(data)
    villages = {name: VILLAGE for name in indicators.villages_of(data) if len(name) >= 2}
    return Secrets({**villages, **found.values})


def _check(out: Path, workbook: Path) -> None:
    if out.suffix.lower() != ".json":
        raise ExportRefused(f"汇总文件“{out}”应以 .json 结尾。")
    check_target(out)
    check_not_input(out, [workbook])
