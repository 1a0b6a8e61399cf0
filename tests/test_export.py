"""``jingfang export``: text stays text, never inside a built site, a private file written whole, and a warning."""

from __future__ import annotations

import os
import shutil
import stat
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.commands import run, text
from tests.workbooks import every_list_sheets, write_sheets

WARNING = "注意：导出文件不加密，含患者姓名和联系电话，请只发给负责的工作人员，用后删除。\n"
HOSTILE = {  # (sheet, data row, header): text a clerk could type or paste into a text cell
    ("患者", 1, "姓名"): '=HYPERLINK("http://example.invalid","x")',
    ("患者", 1, "监护人"): "+1+cmd|' /C calc'!A0",
    ("患者", 2, "监护人"): "@SUM(1+1)",
    ("帮扶小组", 2, "小组名称"): "-1+2",
}


def hostile_workbook(path: Path) -> Path:
    """every_list_sheets() with HOSTILE planted as text cells (as Excel keeps '=… typed with a leading quote)."""
    write_sheets(path, every_list_sheets())
    wb = load_workbook(path)
    for (sheet, row, header), value in HOSTILE.items():
        ws = wb[sheet]
        cell = ws.cell(row=row + 1, column=[c.value for c in ws[1]].index(header) + 1)
        cell.value = value
        cell.data_type = "s"
    wb.save(path)
    return path


def row_of(ws, first_cells: tuple) -> tuple:
    """The (value, data_type) pairs of the row that starts with first_cells."""
    for row in ws.iter_rows(min_row=2):
        if tuple(c.value for c in row[:len(first_cells)]) == first_cells:
            return tuple((c.value, c.data_type) for c in row)
    raise AssertionError(f"no row starting {first_cells} in {ws.title}")


def test_cells_starting_with_formula_characters_are_written_as_text(tmp_path):
    workbook = hostile_workbook(tmp_path / "台账.xlsx")
    target = tmp_path / "清单.xlsx"
    result = run("export", str(workbook), "--out", str(target))
    assert result.returncode == 0, text(result.stderr)
    wb = load_workbook(target)
    s = "s"
    assert row_of(wb["随访逾期"], ("禾苗村", "P001")) == (
        ("禾苗村", s), ("P001", s), ('=HYPERLINK("http://example.invalid","x")', s), ("男", s), ("在家居住", s),
        ("2025-06-19", s), (11, "n"), ("G01", s), ("计承远", s), ("13900000001", s), ("+1+cmd|' /C calc'!A0", s),
        ("13900000011", s))
    assert row_of(wb["评估逾期"], ("溪口社区", "P002"))[10] == ("@SUM(1+1)", s)
    assert row_of(wb["小组会议逾期"], ("溪口社区", "G02")) == (
        ("溪口社区", s), ("G02", s), ("-1+2", s), ("聂冬晴", s), ("13900000002", s), ("2023-03-03", s), (850, "n"))
    with zipfile.ZipFile(target) as archive:  # no formula element anywhere in the file
        sheets = [archive.read(name) for name in archive.namelist() if name.startswith("xl/worksheets/")]
    assert sheets and not any(b"<f>" in xml or b"<f " in xml for xml in sheets)


def built_site_copy(built: Path, folder: Path) -> Path:
    """A copy of the session's built site (with its stamp), so a broken refusal cannot touch the shared one."""
    return Path(shutil.copytree(built, folder / "site", symlinks=True))


def refusal(path: str, site: Path) -> str:
    return (f"错误：“{path}”在网站文件夹“{site}”里面，没有导出：导出文件不加密，放进网站文件夹会随网站一起被打开和复制。"
            "请换一个网站文件夹以外的位置。\n")


def test_export_into_a_built_site_is_refused(built, tmp_path):
    workbook = write_sheets(tmp_path / "台账.xlsx", every_list_sheets())
    site = built_site_copy(built, tmp_path)
    (tmp_path / "链接").symlink_to(site, target_is_directory=True)
    before = sorted(p.relative_to(site) for p in site.rglob("*"))
    for target in (site / "清单.xlsx", site / "patients" / "清单.xlsx", site / "新文件夹" / "清单.xlsx",
                   tmp_path / "链接" / "清单.xlsx"):
        result = run("export", str(workbook), "--out", str(target))
        assert result.returncode == 1 and text(result.stdout) == ""
        assert text(result.stderr) == refusal(str(target), target.parent if "链接" in str(target) else site), target
    # the default --out of jingfang build, given relative to the folder the clerk works in
    result = run("export", str(workbook), "--out", "site/清单.xlsx", cwd=tmp_path)
    assert result.returncode == 1 and text(result.stderr) == refusal("site/清单.xlsx", site)
    assert sorted(p.relative_to(site) for p in site.rglob("*")) == before
    beside = run("export", str(workbook), "--out", "site/../清单.xlsx", cwd=tmp_path)  # next to the site is fine
    assert beside.returncode == 0 and (tmp_path / "清单.xlsx").is_file(), text(beside.stderr)


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
def test_export_is_private_replaces_whole_and_warns(tmp_path):
    workbook = write_sheets(tmp_path / "台账.xlsx", every_list_sheets())
    target = tmp_path / "清单.xlsx"
    target.write_text("旧文件", encoding="utf-8")
    target.chmod(0o644)
    result = run("export", str(workbook), "--out", str(target), "--force")
    assert result.returncode == 0, text(result.stderr)
    assert text(result.stdout).startswith(f"已导出：{target}（随访逾期 2，")
    assert text(result.stderr) == WARNING
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert load_workbook(target).sheetnames[0] == "说明"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["台账.xlsx", "清单.xlsx"]  # no temp file left


def test_a_failed_write_leaves_nothing_behind(tmp_path):
    workbook = write_sheets(tmp_path / "台账.xlsx", every_list_sheets())
    target = tmp_path / "清单.xlsx"
    target.mkdir()  # a folder where the file should go: the final rename fails after the file was written
    result = run("export", str(workbook), "--out", str(target), "--force")
    assert result.returncode == 1 and text(result.stdout) == ""
    assert text(result.stderr) == f"错误：无法写入“{target}”（{os.strerror(21)}），没有导出。\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["台账.xlsx", "清单.xlsx"] and not any(target.iterdir())
