"""``jingfang import`` through the real CLI: a new standard workbook from an old 台账 in every format, nothing dropped,
the report, the exit statuses, the source untouched and an existing NEW refused."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from generator.contract.schema import SHEETS
from tests.commands import assert_no_leaks, run, text
from tests.messy import SOFFICE, libreoffice_copy
from tests.rosters import ID_A, ID_B, write_ledger_csv, write_ledger_xlsx, write_roster_xlsx

AS_OF = "2026-06-30"
PATIENTS = [  # 患者编号, 姓名, 性别, 身份证号, 出生日期, 现住村社区, 诊断, 在管状态, 监护人, 监护人电话, 备注
    ("P0001", "张三", "男", ID_A, dt.datetime(1980, 1, 1), "青山村", "精神分裂症", "在家居住", "张大", "13800000001",
     "序号：1；病史：10年"),
    ("P0002", "李四", "女", ID_B, dt.datetime(1975, 3, 15), "绿水村", "双相情感障碍", "住院治疗", None, None, "序号：2"),
    ("P0003", "王五", "男", "510999198207040032", dt.datetime(1982, 7, 4), "青山村", None, "下落不明", "王大", None,
     "序号：3；疾病名称：强迫症；危险等级：高；病史：5年"),
]
COLUMNS = ("患者编号", "姓名", "性别", "身份证号", "出生日期", "现住村社区", "诊断", "在管状态", "监护人", "监护人电话", "备注")
REPORT_HEAD = """列的对应：
  患者姓名 → 患者.姓名
  性 别 → 患者.性别
  身份证号码* → 患者.身份证号
  出生年月 → 患者.出生日期
  所属村（社区） → 患者.现住村社区
  疾病名称 → 患者.诊断
  危险等级 → 危险性评估.危险性
  管理状态 → 患者.在管状态
  监护人姓名 → 患者.监护人
  联系电话 → 患者.监护人电话
放入备注的列：序号、病史
"""


def sheet_rows(path: Path, name: str, columns: tuple[str, ...]) -> list[tuple]:
    ws = load_workbook(path, read_only=True)[name]
    rows = list(ws.iter_rows(values_only=True))
    index = [rows[0].index(column) for column in columns]
    return [tuple(row[i] for i in index) for row in rows[1:] if any(v is not None for v in row)]


def import_ok(source: Path, out: Path, *extra: str) -> str:
    before = source.read_bytes()
    result = run("import", str(source), "--out", str(out), "--as-of", AS_OF, *extra)
    assert result.returncode == 0, text(result.stderr)
    assert source.read_bytes() == before
    return text(result.stdout)


def assert_imported(out: Path) -> None:
    assert load_workbook(out, read_only=True).sheetnames == ["说明", *(spec.name for spec in SHEETS)]
    assert sheet_rows(out, "患者", COLUMNS) == PATIENTS
    assert sheet_rows(out, "村社区", ("名称",)) == [("青山村",), ("绿水村",)]
    assert sheet_rows(out, "危险性评估", ("患者编号", "评估日期", "危险性", "备注")) == [
        ("P0001", dt.datetime(2026, 6, 30), 3, "导入时的危险性"), ("P0002", dt.datetime(2026, 6, 30), 3, "导入时的危险性")]


def test_import_an_old_ledger_xlsx(tmp_path: Path) -> None:
    out = tmp_path / "新台账.xlsx"
    said = import_ok(write_ledger_xlsx(tmp_path / "旧台账.xlsx"), out)
    assert said.startswith(f"已从“旧台账.xlsx”（工作表“台账”，第 3 行为表头）导入 3 名患者，写入新台账：{out}\n\n"
                           + REPORT_HEAD + "跳过的行：空行 1 行（第 6 行）；合计行 1 行（第 8 行）\n需要核对的值：\n"
                           "  第 4 行 姓名：「张 三」已改为「张三」（去掉了名字中的空格或看不见的字符），请核对\n"
                           "  第 7 行 身份证号：15 位旧号码 510999820704003 已换算为 18 位 510999198207040032，请对照身份证核实\n")
    assert "\n\n新台账的检查结果（请补全后再运行 jingfang check）：\n" in said
    assert "基本设置 | B2     | 值           |    | “乡镇名称”的值必填，不能留空。" in said
    assert "患者     | P2     | 帮扶小组编号 |    | 在家居住的患者必须填写帮扶小组编号。" in said
    assert said.rstrip().endswith("7 个错误，0 个警告")
    assert_imported(out)


@pytest.mark.parametrize("encoding", ["utf-8-sig", "gbk"])
def test_import_csv_gives_the_same_workbook(tmp_path: Path, encoding: str) -> None:
    out = tmp_path / "新台账.xlsx"
    said = import_ok(write_ledger_csv(tmp_path / "名单.csv", encoding), out)
    assert said.startswith("已从“名单.csv”（CSV 文件，第 2 行为表头）导入 3 名患者")  # a .csv has no sheets
    assert REPORT_HEAD + "跳过的行：合计行 1 行（第 6 行）\n" in said
    assert_imported(out)


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")
@pytest.mark.parametrize("fmt", ["ods", "xls"])
def test_import_libreoffice_files_gives_the_same_workbook(tmp_path: Path, fmt: str) -> None:
    source = libreoffice_copy(write_ledger_xlsx(tmp_path / "旧台账.xlsx"), tmp_path / "lo", fmt)
    out = tmp_path / "新台账.xlsx"
    import_ok(source, out)
    assert_imported(out)


def test_own_note_and_assessment_date_and_sheet(tmp_path: Path) -> None:
    wb = Workbook()
    wb.active.title = "说明"
    ws = wb.create_sheet("名单")
    ws.append(["姓名", "村", "风险等级", "最近评估日期", "备注", "户口类型"])
    ws.append(["甲", "外地", "2", "2025年5月6日", "长期外出", "农业"])
    wb.save(tmp_path / "a.xlsx")
    out = tmp_path / "new.xlsx"
    import_ok(tmp_path / "a.xlsx", out, "--sheet", "名单")
    assert sheet_rows(out, "患者", ("患者编号", "姓名", "现住村社区", "备注")) == [("P0001", "甲", "外地", "长期外出；户口类型：农业")]
    assert sheet_rows(out, "村社区", ("名称",)) == []
    assert sheet_rows(out, "危险性评估", ("患者编号", "评估日期", "危险性", "备注")) == [
        ("P0001", dt.datetime(2025, 5, 6), 2, "导入时的危险性")]


def test_every_problem_of_an_imported_row_in_one_report(tmp_path: Path) -> None:
    """An ID stored as a number (to 备注, 身份证号 left blank) and a diagnosis with no place (to 备注, 诊断 left blank):
    check's part names both blanks at once, not the ID only after 诊断 is filled; a name whose spaces were dropped
    is listed among the values to check."""
    source = write_roster_xlsx(tmp_path / "名单.xlsx", ["姓名", "性别", "身份证号", "村", "诊断", "管理状态"],
                               [["王  芳", "女", float(ID_B), "青山村", "强迫症", "住院"]])
    said = import_ok(source, tmp_path / "新台账.xlsx")
    assert "需要核对的值：\n  第 2 行 姓名：「王  芳」已改为「王芳」（去掉了名字中的空格或看不见的字符），请核对\n" in said
    assert "  第 2 行 身份证号：身份证号被存成了数字（显示为 5.10999E+17）" in said
    checked = said.split("新台账的检查结果")[1]
    assert "患者     | D2     | 身份证号     |    | 身份证号必填（只有诊断为“待诊断”或在管状态为“下落不明”的人可以留空）。" in checked
    assert "患者     | J2     | 诊断         |    | “诊断”必填，不能留空。" in checked
    assert sheet_rows(tmp_path / "新台账.xlsx", "患者", ("姓名", "身份证号", "诊断", "备注")) == [
        ("王芳", None, None, "身份证号：5.10999E+17；诊断：强迫症")]


def test_existing_new_is_refused_and_left_alone(tmp_path: Path) -> None:
    source = write_ledger_xlsx(tmp_path / "旧台账.xlsx")
    out = tmp_path / "新台账.xlsx"
    out.write_bytes(b"mine")
    result = run("import", str(source), "--out", str(out))
    assert result.returncode == 1
    assert text(result.stderr) == f"错误：“{out}”已经存在，没有覆盖。import 只写新的台账，请换一个文件名。\n"
    assert out.read_bytes() == b"mine"
    same = run("import", str(source), "--out", str(source))
    assert same.returncode == 1 and "已经存在" in text(same.stderr)
    assert set(tmp_path.iterdir()) == {source, out}  # no temporary file left behind


def test_no_header_row_exits_1_naming_the_headers(tmp_path: Path) -> None:
    (tmp_path / "a.csv").write_text("名字,年龄\n甲,30\n", encoding="utf-8")
    result = run("import", str(tmp_path / "a.csv"), "--out", str(tmp_path / "new.xlsx"))
    assert result.returncode == 1
    assert text(result.stderr).startswith("错误：“a.csv”的前 20 行中没有找到表头（需要一行中至少有 3 个认识的列名）。认识的列名有：姓名（姓名、患者姓名）；")
    assert not (tmp_path / "new.xlsx").exists()


def test_unreadable_source_exits_2(tmp_path: Path) -> None:
    (tmp_path / "a.xlsx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "EncryptedPackage".encode("utf-16-le"))
    result = run("import", str(tmp_path / "a.xlsx"), "--out", str(tmp_path / "new.xlsx"))
    assert result.returncode == 2
    assert text(result.stderr) == "错误：“a.xlsx”设置了打开密码，无法读取。请在 Excel/WPS 中取消文件密码后另存一份再试。\n"
    assert not (tmp_path / "new.xlsx").exists()


def fill_what_check_asks(path: Path) -> None:
    """What a clerk completes after import: the township, a care group and its leader, the enrolment dates, one
    diagnosis and one guardian's phone."""
    wb = load_workbook(path)
    wb["基本设置"]["B2"] = "青山镇"
    append(wb["人员"], 姓名="刘医生", 手机号="13900000009")
    append(wb["帮扶小组"], 小组编号="G01", 小组名称="青山村关爱帮扶小组", 所属村社区="青山村", 组长="刘医生")
    patients = wb["患者"]
    for row in (2, 3, 4):
        put(patients, row, 纳入管理日期=dt.date(2020, 1, 1))
    put(patients, 2, 帮扶小组编号="G01")
    put(patients, 4, 诊断="其他", 监护人电话="13900000008")
    wb.save(path)


def append(ws, **values: object) -> None:
    headers = [cell.value for cell in ws[1]]
    ws.append([values.get(header) for header in headers])


def put(ws, row: int, **values: object) -> None:
    headers = [cell.value for cell in ws[1]]
    for header, value in values.items():
        ws.cell(row=row, column=headers.index(header) + 1, value=value)


def test_import_then_check_then_build(tmp_path: Path) -> None:
    source = write_ledger_xlsx(tmp_path / "旧台账.xlsx")
    before = source.read_bytes()
    new = tmp_path / "新台账.xlsx"
    import_ok(source, new)
    assert run("check", str(new), "--as-of", AS_OF).returncode == 1
    fill_what_check_asks(new)
    checked = run("check", str(new), "--as-of", AS_OF)
    assert (checked.returncode, text(checked.stdout)) == (0, "没有发现问题。\n0 个错误，0 个警告\n")
    built = run("build", str(new), "--out", str(tmp_path / "site"), "--as-of", AS_OF)
    assert built.returncode == 0, text(built.stderr)
    assert_no_leaks(new, tmp_path / "site")
    assert source.read_bytes() == before
