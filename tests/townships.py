"""Township workbooks for the county's tests (三级联动): three townships of different names and sizes, one with no
patients, and summaries made through the real ``jingfang summary``."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

from tests.commands import run, text
from tests.workbooks import every_list_sheets, valid_sheets, write_sheets

TOWNSHIPS = ("东岭镇", "西溪乡", "南坪街道")
EMPTY = "北塘镇"
PATIENT_SHEETS = ("随访记录", "危险性评估", "住院记录", "健康体检", "协议", "事件记录", "通报记录", "点名记录")


def named(sheets: dict, township: str) -> dict:
    """sheets with 乡镇名称 set to township."""
    for row in sheets["基本设置"]:
        if row[0] == "乡镇名称":
            row[1] = township
    return sheets


def without_patients(sheets: dict) -> dict:
    """sheets with no patient at all (every sheet about patients left with its header only)."""
    for name in ("患者", *PATIENT_SHEETS):
        sheets[name] = sheets[name][:1]
    return sheets


def township_sheets() -> dict[str, dict]:
    """The three townships: the small valid workbook, the one with a case for every list, and the small one with its
    regular-medication target missed by more (P002 不服药)."""
    third = valid_sheets()
    third["随访记录"][2][6] = "不服药"
    return {TOWNSHIPS[0]: named(valid_sheets(), TOWNSHIPS[0]), TOWNSHIPS[1]: named(every_list_sheets(), TOWNSHIPS[1]),
            TOWNSHIPS[2]: named(third, TOWNSHIPS[2])}


def write_townships(folder: Path, empty: bool = False) -> dict[str, Path]:
    """The township workbooks written into folder (with the township without patients when empty)."""
    books = township_sheets()
    if empty:
        books[EMPTY] = named(without_patients(valid_sheets()), EMPTY)
    return {name: write_sheets(folder / f"{name}.xlsx", sheets) for name, sheets in books.items()}


def summarize(workbook: Path, out: Path, *args: str) -> Path:
    """``jingfang summary WORKBOOK --out OUT``, which must succeed."""
    result = run("summary", str(workbook), "--out", str(out), *args, password=None)
    assert result.returncode == 0, text(result.stderr)
    return out


def as_json(*args: str) -> dict:
    """A command's --json output, which must succeed."""
    result = run(*args, "--json", password=None)
    assert result.returncode == 0, text(result.stderr)
    return json.loads(text(result.stdout))


def cell_strings(sheets: dict) -> set[str]:
    """Every text a person typed into the workbook's data rows (基本设置 aside: the township's and county's names
    are the summary's own), and each part of a list of names (骆思源、计承远)."""
    found: set[str] = set()
    for sheet, rows in sheets.items():
        if sheet in ("基本设置", "随访规则"):
            continue
        for row in rows[1:]:
            for value in row:
                if isinstance(value, str) and value.strip():
                    found.update(part for part in (value.strip(), *value.split("、")) if part.strip())
    return {value for value in found if not (value.isascii() and len(value) < 6)}  # P001, 0: not a person's


AS_OF = datetime(2025, 6, 30).date()


def met_everything(name: str = "达标镇"):
    """A synthetic summary (contract model) of a township that reaches every target: 100 % of everything, 报告患病率
    5‰, no 肇事肇祸."""
    from generator.contract.indicators import INDICATORS
    from generator.contract.lists import LISTS
    from generator.contract.summary import Fraction, Summary, SummaryPeriod

    fractions = {spec.key: Fraction(numerator=10, denominator=10) for spec in INDICATORS}
    fractions |= {"prevalence": Fraction(numerator=10, denominator=2000),
                  "incident_rate": Fraction(numerator=0, denominator=10)}
    return Summary(township=name, county="测试县", as_of=AS_OF,
                   period=SummaryPeriod(name="本年", start=AS_OF.replace(month=1, day=1), end=AS_OF),
                   counts={"registered": 10, "managed": 10, "pending": 0, "other_diagnosis": 0, "closed": 0,
                           "high_risk": 1},
                   indicators=fractions, lists={spec.key: 0 for spec in LISTS})
