"""``jingfang export --village`` holds only that village's people; ``export --roster`` writes the 花名册."""

from __future__ import annotations

import stat
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook

from generator.present.export import ROSTER_HEADERS, sheet_title
from generator.contract.lists import LISTS
from generator.validate.workbook import validate_workbook
from generator.read.workbook import read_workbook
from tests.commands import run, text
from tests.workbooks import every_list_sheets, write_sheets

WARNING = "注意：导出文件不加密，含患者姓名和联系电话，请只发给负责的工作人员，用后删除。\n"


@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("sample") / "示例台账.xlsx"
    result = run("sample", str(path))
    assert result.returncode == 0, text(result.stderr)
    return path


def personal(patient) -> set[str]:
    """What identifies a patient: name, ID number, phones, addresses, guardian."""
    values = {patient.name, patient.id_number, patient.address, patient.home_address, patient.guardian_phone}
    return {v for v in values if v}


def cells(path: Path) -> list[str]:
    """Every cell of every sheet, as text."""
    wb = load_workbook(path)
    return [str(c.value) for ws in wb for row in ws.iter_rows() for c in row if c.value is not None]


def test_a_villages_export_holds_no_other_villages_patient(sample, tmp_path):
    data, _ = validate_workbook(read_workbook(sample), as_of=None, today=date(2026, 11, 24))
    cross = next(p for p in data.patients if p.home_village and p.home_village != p.village and not p.closed)
    village = cross.home_village  # its export must show the patient registered there but living elsewhere
    ours = [p for p in data.patients if village in (p.village, p.home_village)]
    others = set().union(*(personal(p) for p in data.patients if p not in ours)) - set().union(*map(personal, ours))
    result = run("export", str(sample), "--village", village, cwd=tmp_path)
    assert result.returncode == 0, text(result.stderr)
    target = tmp_path / f"逾期清单-{village}-{data.as_of.isoformat()}.xlsx"  # the file name says the village
    assert text(result.stdout).startswith(f"已导出：逾期清单-{village}-{data.as_of.isoformat()}.xlsx（")
    assert text(result.stderr) == WARNING
    found = cells(target)
    assert len(others) > 100 and not [v for v in others if any(v in cell for cell in found)]
    assert cross.name in found  # the 人户分离 item is shown to both villages
    assert any(p.name in found for p in data.patients if p.village == village)
    wb = load_workbook(target)
    township = [sheet_title(spec) for spec in LISTS if spec.subject == "township"]
    assert township and all(wb[title].max_row == 1 for title in township)  # the township's own items are no village's
    assert wb["说明"]["A3"].value == f"只含{village}的患者、帮扶小组和本村社区的事项；乡镇层面的事项（如工作会议）不在其中。"
    assert {row[0].value for ws in wb.worksheets[1:] for row in ws.iter_rows(min_row=2)} <= {village, cross.village}


def test_an_unknown_village_names_the_known_ones(tmp_path):
    workbook = write_sheets(tmp_path / "台账.xlsx", every_list_sheets())
    result = run("export", str(workbook), "--village", "禾苗", "--out", str(tmp_path / "清单.xlsx"))
    assert result.returncode == 1 and text(result.stdout) == ""
    assert text(result.stderr) == "错误：台账里没有叫“禾苗”的村社区。台账里的村社区有：禾苗村、溪口社区。\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["台账.xlsx"]


def test_the_roster_export_has_every_patient_as_text(tmp_path):
    workbook = write_sheets(tmp_path / "台账.xlsx", every_list_sheets())
    target = tmp_path / "花名册.xlsx"
    result = run("export", str(workbook), "--roster", "--out", str(target))
    assert result.returncode == 0, text(result.stderr)
    assert text(result.stdout) == f"已导出花名册：{target}（7 人）\n"
    assert text(result.stderr) == WARNING
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    ws = load_workbook(target)["花名册"]
    assert [c.value for c in ws[1]] == ROSTER_HEADERS == [
        "患者编号", "姓名", "性别", "出生日期", "年龄", "村社区", "现住址", "监护人", "监护人关系", "监护人电话", "在管状态",
        "当前危险性", "病情分类", "帮扶小组", "组长", "组长电话", "精防医生", "精防医生电话"]
    assert [c.value for c in ws[2]] == ["P001", "甘望舒", "男", "1980-05-06", 45, "禾苗村", "禾苗村2组8号", "甘秋禾", "父母",
                                        "13900000011", "在家居住", "1 级", "基本稳定", "G01", "计承远", "13900000001",
                                        "骆思源", "13900000003"]
    assert [c.value for c in ws[6]] == ["P005", "柏清远", "男", None, None, "禾苗村", None, None, None, None, "下落不明",
                                        "未评估", "不稳定", None, None, None, None, None]
    assert all(c.data_type == "s" for c in ws[2] if isinstance(c.value, str))  # text stays text, never a formula
    assert [row[0].value for row in ws.iter_rows(min_row=2)] == ["P001", "P002", "P003", "P004", "P005", "P006", "P007"]


def test_a_villages_roster_holds_its_residents_only(tmp_path):
    workbook = write_sheets(tmp_path / "台账.xlsx", every_list_sheets())
    result = run("export", str(workbook), "--roster", "--village", "溪口社区", cwd=tmp_path)
    assert result.returncode == 0, text(result.stderr)
    target = next(tmp_path.glob("花名册-溪口社区-*.xlsx"))
    assert text(result.stdout) == f"已导出花名册：{target.name}（2 人）\n"
    ws = load_workbook(target)["花名册"]
    assert [(row[0].value, row[5].value) for row in ws.iter_rows(min_row=2)] == [("P002", "溪口社区"), ("P007", "溪口社区")]
