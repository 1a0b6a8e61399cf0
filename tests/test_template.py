"""The standard blank workbook written by ``jingfang init``: layout, formats, dropdowns, defaults."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from generator.contract import fields
from generator.contract.schema import SHEETS
from generator.sample.template import default_content, write_workbook
from generator.validate.workbook import validate_workbook
from generator.read.workbook import read_workbook

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("init") / "标准台账.xlsx"
    write_workbook(path, default_content())
    return path


def test_sheets_in_order_with_guide_first(template):
    wb = load_workbook(template)
    assert wb.sheetnames == ["说明"] + [spec.name for spec in SHEETS]
    guide = "\n".join(str(c.value) for row in wb["说明"].iter_rows() for c in row if c.value)
    for spec in SHEETS:
        assert spec.name in guide and spec.about in guide


def test_headers_bold_frozen_commented_and_typed(template):
    wb = load_workbook(template)
    for spec in SHEETS[1:]:
        ws = wb[spec.name]
        cols = fields.columns(spec.model)
        assert [c.value for c in ws[1]] == list(cols), spec.name
        assert ws.freeze_panes == "A2"
        for i, (header, info) in enumerate(cols.items(), 1):
            cell, letter = ws.cell(1, i), get_column_letter(i)
            assert cell.font.bold and cell.comment is not None and info.description in cell.comment.text
            kind = fields.col(info).kind
            if kind in ("id", "phone", "code"):
                assert ws.column_dimensions[letter].number_format == "@", (spec.name, header)
            if kind == "date":
                assert ws.column_dimensions[letter].number_format == "yyyy-mm-dd", (spec.name, header)
            assert ws.column_dimensions[letter].width >= 8


def test_every_vocabulary_and_yes_no_column_has_a_strict_dropdown(template):
    wb = load_workbook(template)
    for spec in SHEETS[1:]:
        ws = wb[spec.name]
        lists = {str(dv.sqref).split(":")[0]: dv for dv in ws.data_validations.dataValidation}
        for i, info in enumerate(fields.columns(spec.model).values(), 1):
            allowed = fields.choices(info)
            if not allowed:
                continue
            dv = lists[f"{get_column_letter(i)}2"]
            assert dv.type == "list" and dv.formula1 == '"' + ",".join(allowed) + '"' and dv.showErrorMessage
            assert str(dv.sqref).endswith("2000")


def test_reference_columns_suggest_the_keys_of_their_sheet(template):
    ws = load_workbook(template)["随访记录"]
    (dv,) = [dv for dv in ws.data_validations.dataValidation if str(dv.sqref).startswith("A2")]
    assert dv.formula1 == "'患者'!$A$2:$A$2000" and not dv.showErrorMessage


def test_default_settings_and_rules_are_filled_in(template):
    wb = load_workbook(template)
    settings = {row[0]: row[1] for row in wb["基本设置"].iter_rows(min_row=2, values_only=True)}
    assert settings["高风险等级"] == 3 and settings["高风险居家面访间隔天数"] == 180 and settings["随访最少人数"] == 0
    assert settings["乡镇名称"] is None
    rules = [row[:3] for row in wb["随访规则"].iter_rows(min_row=2, values_only=True)]
    assert rules == [("不稳定", 14, 90), ("基本稳定", 30, 90), ("稳定", 90, 180)]


def test_blank_template_only_asks_for_the_township_name(template):
    _, report = validate_workbook(read_workbook(template), as_of=None, today=date(2026, 1, 5))
    assert report.flatten(["sheet", "cell", "code"]) == [["基本设置", "B2", "required"]]


def test_committed_template_is_what_init_writes(template):
    shipped = load_workbook(ROOT / "workbook" / "标准台账.xlsx")
    fresh = load_workbook(template)
    assert shipped.sheetnames == fresh.sheetnames
    for name in fresh.sheetnames:
        assert list(shipped[name].values) == list(fresh[name].values), name


def test_template_opens_in_libreoffice(template, tmp_path):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.fail("LibreOffice is not installed: run the tests with `python3 dev.py test`, which installs it")
    profile = (tmp_path / "profile").as_uri()
    result = subprocess.run([soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
                             "--outdir", str(tmp_path), str(template)], capture_output=True, timeout=180)
    pdf = tmp_path / "标准台账.pdf"
    assert result.returncode == 0 and pdf.exists(), result.stderr
    assert pdf.read_bytes()[:5] == b"%PDF-" and pdf.stat().st_size > 10_000


def test_v2_settings_defaults_and_optional_sheets(template):
    wb = load_workbook(template)
    settings = {row[0]: row[1] for row in wb["基本设置"].iter_rows(min_row=2, values_only=True)}
    assert [settings[k] for k in ("工作会议间隔天数", "集中排查间隔天数", "主动搜索间隔天数", "报告时限天数", "高风险底册起始日期",
                                  "奖励取消事件类型")] == [92, 183, 0, 1, None, "肇事肇祸"]
    guide = [str(c.value) for row in wb["说明"].iter_rows() for c in row if c.value]
    assert "肇事肇祸、走失等事件，每件一行；填了危险性就算一次危险性记录。（可选）" in guide
    assert [line for line in guide if line.endswith("（可选）")] == [f"{spec.about}（可选）" for spec in SHEETS if spec.optional]
    assert len([spec for spec in SHEETS if spec.optional]) == 6
    ws = wb["事件记录"]
    assert [c.value for c in ws[1]] == ["患者编号", "发生日期", "事件类型", "危险性", "处置", "已报告派出所", "备注"]
    (kinds,) = [dv for dv in ws.data_validations.dataValidation if str(dv.sqref).startswith("C2")]
    assert kinds.formula1 == '"肇事肇祸,轻微滋事,自伤,自杀未遂,走失,其他"'
    (callers,) = [dv for dv in wb["点名记录"].data_validations.dataValidation if str(dv.sqref).startswith("C2")]
    assert callers.formula1 == "'人员'!$A$2:$A$2000" and not callers.showErrorMessage
