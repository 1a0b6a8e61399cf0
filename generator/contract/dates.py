"""The days the tool computes for: an as-of day (option or 统计截止日期) and a report month lie in this range.

Lists and indicators add intervals to the as-of day and step back by months and years; near Python's date limits
(year 1 or 9999) that arithmetic overflows. A range of sane years keeps every such sum a real day.
"""

from __future__ import annotations

from datetime import date

EARLIEST = date(2000, 1, 1)
LATEST = date(2100, 12, 31)
RANGE_TEXT = f"{EARLIEST.isoformat()} 到 {LATEST.isoformat()} 之间"


def in_range(day: date) -> bool:
    """Whether day lies within EARLIEST … LATEST."""
    return EARLIEST <= day <= LATEST
