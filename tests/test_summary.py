"""``jingfang summary``: a township's counts-only summary through the real CLI — the same numbers as ``indicators
--json`` and ``overdue --json``, none of the workbook's typed text, the file's digest, where it may be written, and the
leak gate refusing a summary that would show a person's name."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pytest

from generator.contract.indicators import INDICATORS
from generator.contract.lists import LISTS
from tests.commands import run, text
from tests.townships import (EMPTY, TOWNSHIPS, as_json, cell_strings, named, summarize, township_sheets,
                             write_townships)
from tests.workbooks import valid_sheets, write_sheets


@pytest.fixture(scope="module")
def books(tmp_path_factory) -> dict[str, Path]:
    return write_townships(tmp_path_factory.mktemp("townships"), empty=True)


def test_the_summary_holds_the_indicators_and_lists_counts_and_nothing_else(books, tmp_path):
    name = TOWNSHIPS[1]
    path = summarize(books[name], tmp_path / "s.json")
    data = json.loads(path.read_text(encoding="utf-8"))
    shown = as_json("indicators", str(books[name]))
    lists = as_json("overdue", str(books[name]))["lists"]
    assert list(data) == ["format", "township", "county", "as_of", "period", "counts", "indicators", "lists", "digest"]
    assert data["format"] == "jingfang-summary/1"
    assert (data["township"], data["county"], data["as_of"]) == (name, "测试县", "2025-06-30")
    assert data["period"] == {"name": "本年", "start": "2025-01-01", "end": "2025-06-30"} == shown["period"]
    assert data["counts"] == {**shown["counts"], "high_risk": 2}  # P003 (risk 3) and P004 (risk 4): 高风险等级 3
    assert data["indicators"] == {spec.key: {"numerator": shown["indicators"][spec.key]["numerator"],
                                             "denominator": shown["indicators"][spec.key]["denominator"]}
                                  for spec in INDICATORS}
    assert data["lists"] == {spec.key: len(lists[spec.key]) for spec in LISTS}
    assert data["lists"]["followup_overdue"] >= 1
    rest = {k: v for k, v in data.items() if k != "digest"}
    canonical = json.dumps(rest, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")
    assert data["digest"] == hashlib.sha256(canonical).hexdigest()


def test_the_period_option_and_as_of(books, tmp_path):
    path = summarize(books[TOWNSHIPS[0]], tmp_path / "s.json", "--period", "近12个月", "--as-of", "2025-07-31")
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["period"] == {"name": "近12个月", "start": "2024-08-01", "end": "2025-07-31"}
    assert data["as_of"] == "2025-07-31"
    shown = as_json("indicators", str(books[TOWNSHIPS[0]]), "--period", "近12个月", "--as-of", "2025-07-31")
    assert data["counts"]["managed"] == shown["counts"]["managed"]


@pytest.mark.parametrize("name", [*TOWNSHIPS, EMPTY])
def test_no_text_typed_into_the_workbook_is_in_the_summary(books, tmp_path, name):
    """Every name, ID, phone, address, village name — every text cell of the data rows — is absent from the file."""
    sheets = {**township_sheets(), EMPTY: None}[name] or named(valid_sheets(), EMPTY)
    summary = summarize(books[name], tmp_path / "s.json").read_text(encoding="utf-8")
    typed = cell_strings(sheets)
    assert {"甘望舒", "禾苗村", "溪口社区", "禾苗村2组8号", "13900000011", "骆思源"} <= typed | {"禾苗村"}
    assert [value for value in typed if value in summary] == []


def test_a_township_without_patients_counts_zero(books, tmp_path):
    data = json.loads(summarize(books[EMPTY], tmp_path / "s.json").read_text(encoding="utf-8"))
    assert data["counts"] == dict.fromkeys(["registered", "managed", "pending", "other_diagnosis", "closed",
                                            "high_risk"], 0)
    assert data["indicators"]["management_rate"] == {"numerator": 0, "denominator": 0}
    assert data["indicators"]["prevalence"] == {"numerator": 0, "denominator": 20000}


def test_the_default_file_is_named_for_the_township_and_day_and_never_overwritten(books, tmp_path):
    result = run("summary", str(books[TOWNSHIPS[0]]), cwd=tmp_path, password=None)
    assert result.returncode == 0, text(result.stderr)
    made = tmp_path / f"汇总-{TOWNSHIPS[0]}-2025-06-30.json"
    assert made.is_file() and text(result.stdout).startswith(f"已生成汇总：汇总-{TOWNSHIPS[0]}-2025-06-30.json（")
    assert "没有姓名、身份证号、电话、地址和村社区名称" in text(result.stderr)
    assert ("文件带校验码：传输中被截断、或被改动而没有重算校验码的文件，县里会拒收；但校验码不是签名（谁都能重算），"
            "挡不住有意的篡改，请通过可信的渠道原样发送。") in text(result.stderr)
    assert "改动过的文件县里会拒收" not in text(result.stderr)  # what the check code cannot promise
    again = run("summary", str(books[TOWNSHIPS[0]]), cwd=tmp_path, password=None)
    assert again.returncode == 1
    assert text(again.stderr) == f"错误：“汇总-{TOWNSHIPS[0]}-2025-06-30.json”已经存在，没有覆盖。确实要覆盖请加 --force。\n"
    assert run("summary", str(books[TOWNSHIPS[0]]), "--force", cwd=tmp_path, password=None).returncode == 0


def test_where_a_summary_may_not_be_written(books, tmp_path):
    book = books[TOWNSHIPS[0]]
    wrong = run("summary", str(book), "--out", str(tmp_path / "s.txt"), password=None)
    assert (wrong.returncode, text(wrong.stderr)) == (1, f"错误：汇总文件“{tmp_path / 's.txt'}”应以 .json 结尾。\n")
    site = tmp_path / "site"
    site.mkdir()
    (site / ".jingfang-build.json").write_text("{}", encoding="utf-8")
    inside = run("summary", str(book), "--out", str(site / "s.json"), password=None)
    assert inside.returncode == 1 and "在网站文件夹" in text(inside.stderr)
    assert not (site / "s.json").exists()


def test_a_workbook_with_errors_gives_no_summary(tmp_path):
    sheets = valid_sheets()
    sheets["患者"][1][3] = "110101198005060000"  # a wrong check character
    book = write_sheets(tmp_path / "bad.xlsx", sheets)
    result = run("summary", str(book), "--out", str(tmp_path / "s.json"), password=None)
    assert result.returncode == 1 and "身份证号" in text(result.stderr)
    assert not (tmp_path / "s.json").exists()


def test_the_leak_gate_refuses_a_summary_that_would_show_a_name(tmp_path):
    """A township named after a patient (甘望舒镇): the name would be in the file; it is deleted and refused."""
    book = write_sheets(tmp_path / "t.xlsx", named(valid_sheets(), "甘望舒镇"))
    out = tmp_path / "s.json"
    result = run("summary", str(book), "--out", str(out), password=None)
    assert result.returncode == 1
    assert text(result.stderr).startswith("错误：汇总文件没有通过保密检查，已删除：\n  姓名：s.json\n")
    assert not out.exists() and os.listdir(tmp_path) == ["t.xlsx"]
