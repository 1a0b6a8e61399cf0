"""The ``county`` command (三级联动): the townships' summary files read and added up (derive/county), printed as JSON
and/or built into the county's password-protected site (present/county, through site/staging like the township's)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Callable

from generator.app.outcome import Outcome, Refused
from generator.contract.summary import Summary, SummaryRefused
from generator.derive.county import County, MixedSummaries, county_of
from generator.read.summary import read_summary


def read_county(paths: list[Path], warn: Callable[[str], None]) -> County:
    """Every summary read and the county made of them; Refused (naming the file or the townships) when a file is
    not a whole summary of this format or the summaries cannot be added up. Duplicates are warned about."""
    found: list[tuple[str, Summary]] = []
    try:
        for path in paths:
            found.append((str(path), read_summary(path)))
        county = county_of(found)
    except (SummaryRefused, MixedSummaries) as exc:
        raise Refused(str(exc)) from None
    for line in county.warnings:
        warn(f"警告：{line}")
    return county


def county_json(county: County) -> str:
    return json.dumps(county.to_json(), ensure_ascii=False, indent=2)


def show_county(paths: list[Path], *, as_json: bool, warn: Callable[[str], None]) -> Outcome:
    """``county --json`` without --out: the townships, the totals and the lists' counts."""
    return Outcome(county_json(read_county(paths, warn)))
