"""The README's generated sheet reference is current."""

from pathlib import Path

import pytest

from generator.contract.lists import LISTS
from generator.contract.problems import BY_CODE
from generator.app.reference import (BEGIN, CODES_BEGIN, CODES_END, END, LISTS_BEGIN, LISTS_END, render_code_table,
                                 render_list_table, render_sheet_reference)
from generator.contract.report import Problem

README = Path(__file__).resolve().parent.parent / "README.md"


def test_sheet_reference_in_readme_is_generated_from_the_schema():
    text = README.read_text(encoding="utf-8")
    assert text[text.index(BEGIN):text.index(END) + len(END)] == render_sheet_reference()


def test_sheet_reference_lists_every_sheet_and_header():
    reference = render_sheet_reference()
    for sheet in ("基本设置", "随访规则", "村社区", "人员", "领导小组", "帮扶小组", "小组成员", "患者", "随访记录",
                  "危险性评估", "住院记录", "健康体检", "协议", "小组会议"):
        assert f"#### {sheet}\n" in reference
    assert "| 身份证号 |  | 身份证号（文本） |" in reference
    assert "| 在管状态 | 是 | 在家居住 / 住院治疗 / 羁押服刑 / 强制隔离戒毒 / 下落不明 / 外出务工 / 死亡 / 迁出 |" in reference


def test_list_table_in_readme_is_generated_from_the_specs():
    text = README.read_text(encoding="utf-8")
    assert text[text.index(LISTS_BEGIN):text.index(LISTS_END) + len(LISTS_END)] == render_list_table()
    for spec in LISTS:
        assert f"| `{spec.key}` | {spec.title} |" in render_list_table()
    assert "| `too_few_visitors` | 随访人数不足 | `id`（患者编号）、`date`（随访日期） |" in render_list_table()


def test_problem_codes_in_readme_are_generated_from_the_catalogue():
    text = README.read_text(encoding="utf-8")
    assert text[text.index(CODES_BEGIN):text.index(CODES_END) + len(CODES_END)] == render_code_table()
    assert "| `unsafe-text` | 错误 |" in render_code_table() and "| `extra-column` | 警告 |" in render_code_table()


def test_a_problem_must_carry_a_catalogued_code_and_severity():
    assert "bad-date" in BY_CODE
    with pytest.raises(ValueError, match="no-such-code"):
        Problem("患者", 2, "姓名", "B2", "x", "no-such-code", "…")
    with pytest.raises(ValueError, match="extra-column"):
        Problem("患者", 1, None, None, "x", "extra-column", "…", "error")  # declared a warning
