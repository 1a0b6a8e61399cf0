"""Reading a township's summary file (``jingfang county``): through read/inputs (a regular file, no link, at most
SUMMARY_LIMIT bytes), as UTF-8 JSON, into contract.summary's model; every refusal one Chinese sentence naming the
file (SummaryRefused)."""

from __future__ import annotations

import json
from pathlib import Path

from generator.contract.summary import Summary, SummaryRefused, summary_from
from generator.read.inputs import MB, InputRefused, read_input

SUMMARY_LIMIT = 1 * MB  # a summary is about 3 KB


def read_summary(path: Path) -> Summary:
    """The summary in the file at path; SummaryRefused when it cannot be read, is not whole JSON, or is not one."""
    try:
        raw = read_input(path, "汇总文件", SUMMARY_LIMIT)
    except InputRefused as exc:
        raise SummaryRefused(str(exc)) from None
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise SummaryRefused(f"汇总文件“{path}”不是 UTF-8 编码的文字，不是 jingfang 生成的汇总文件。") from None
    except ValueError:
        raise SummaryRefused(f"汇总文件“{path}”不是完整的 JSON（可能在传输或复制时被截断、损坏）。"
                             "请让乡镇重新运行 jingfang summary 生成后再发送。") from None
    return summary_from(data, str(path))
