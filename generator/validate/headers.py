"""Matching the headers a sheet has to the headers of the contract, as staff really spell them."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Iterable, Sequence

from generator.read.workbook import normalize_header

# spellings seen in township workbooks → the standard header (used only where the sheet has that header)
SYNONYMS = {
    "身份证号码": "身份证号", "公民身份号码": "身份证号", "身份证": "身份证号", "手机号码": "手机号", "手机": "手机号",
    "联系电话": "手机号", "监护人联系电话": "监护人电话", "监护人手机号": "监护人电话", "负责人手机号": "负责人电话",
    "随访时间": "随访日期", "评估时间": "评估日期", "入院时间": "入院日期", "出院时间": "出院日期", "体检时间": "体检日期",
    "会议时间": "会议日期", "签订时间": "签订日期", "危险性等级": "危险性", "危险性评估等级": "危险性",
}
SPACE_RE = re.compile(r"\s+")
NOTE_RE = re.compile(r"[(（][^()（）]*[)）]$")  # a trailing note such as （必填） or (元)


@dataclass
class HeaderMatch:
    """Which column holds each contract header, and what did not match as typed."""

    columns: dict[str, int] = field(default_factory=dict)
    renamed: list[tuple[int, str, str]] = field(default_factory=list)  # (column, as typed, standard header)
    duplicates: list[tuple[str, int, int]] = field(default_factory=list)  # (header, first column, second column)
    extra: list[str] = field(default_factory=list)


def standard_header(text: str, known: Iterable[str]) -> str | None:
    """The contract header a (normalized) header means, or None."""
    known = set(known)
    for candidate in _spellings(text):
        if candidate in known:
            return candidate
        if SYNONYMS.get(candidate) in known:
            return SYNONYMS[candidate]
    return None


def _spellings(text: str) -> list[str]:
    squeezed = SPACE_RE.sub("", text)
    bare = NOTE_RE.sub("", squeezed).rstrip("*")
    return list(dict.fromkeys([text, squeezed, bare]))


def match_headers(headers: dict[int, str], known: Sequence[str]) -> HeaderMatch:
    """Match a sheet's headers (column → normalized text) to the contract's known headers."""
    found = HeaderMatch()
    for column, text in headers.items():
        header = standard_header(text, known)
        if header is None:
            found.extra.append(text)
        elif header in found.columns:
            found.duplicates.append((header, found.columns[header], column))
        else:
            found.columns[header] = column
            if header != text:
                found.renamed.append((column, text, header))
    return found


def title_row(head: list[tuple[int, list[object]]], known: Sequence[str], required: Sequence[str]) -> int | None:
    """The row below row 1 holding the headers when row 1 holds a title (or nothing); None when row 1 is the header."""
    def matched(values: list[object]) -> int:
        return len({standard_header(normalize_header(v), known) for v in values} & set(required))

    if not required:
        return None
    found = next((number for number, values in head if matched(values) * 2 > len(required)), None)
    return found if found and found > 1 else None
