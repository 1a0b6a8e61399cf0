"""check and build name every problem of the access file in one run (issue 24, item 10): its own (a name written
twice) and those only the workbook shows (unknown villages, repeated and guessable passwords), one line each."""

from __future__ import annotations

import json
import re

import pytest

from tests.commands import run, text
from tests.workbooks import valid_sheets, write_sheets

PASSPHRASE = r"[a-z2-9]{4}(-[a-z2-9]{4}){4}"
OFFER = "可以改用这个随机生成的密码：" + PASSPHRASE + "，或运行 jingfang build --generate-password 另生成一个。"
PLACE = "含有本乡镇、村社区或区县的名称（汉字、拼音或拼音首字母）"
YEAR = "含有年份或日期"
COMMON = "含有常见密码或常用的密码词（如 123456、password、woaini、5201314）"
KEYBOARD = "含有键盘上连在一起的按键（如 qwerty、1qaz2wsx）"
# three guessable passwords, one password used twice, a village written twice, a village the workbook lacks
ACCESS = """乡镇: Town-Test-Only-7xq4
村社区:
  禾苗村: hemiaocun2025
  溪口社区: Village-Test-Only-k9w2
  溪口社区: Village-Test-Only-z3p5
  柳林村: Other-Test-Only-3mf8
部门:
  派出所: Village-Test-Only-k9w2
  卫生院: 1qaz@WSX3edc
  民政办: Admin@123456
"""
LINES = [
    re.escape("  第 5 行：“溪口社区”写了两次。"),
    re.escape("  “柳林村”不在台账的“村社区”表中。"),
    re.escape("  密码不能重复：溪口社区、派出所用了同一个密码；乡镇、每个村社区和每个部门各用不同的密码。"),
    re.escape(f"  “禾苗村”的密码太容易被猜到：{PLACE}；{YEAR}。") + OFFER,
    re.escape(f"  “卫生院（精防医生）”的密码太容易被猜到：{COMMON}；{KEYBOARD}。") + OFFER,
    re.escape(f"  “民政办、残联”的密码太容易被猜到：{COMMON}。") + OFFER,
]


@pytest.fixture
def files(tmp_path):
    workbook = write_sheets(tmp_path / "台账.xlsx", valid_sheets())
    access = tmp_path / "权限.yaml"
    access.write_text(ACCESS, encoding="utf-8")
    return workbook, access


def assert_every_line(output: str, access) -> None:
    lines = output.replace("（原来的网站保持不变）", "").splitlines()  # build's ending, after the last line
    start = lines.index(f"权限文件“{access}”有 6 个问题：") if f"权限文件“{access}”有 6 个问题：" in lines else \
        lines.index(f"错误：权限文件“{access}”有 6 个问题：")
    shown = lines[start + 1:start + 7]
    assert len(shown) == 6 and all(re.fullmatch(line, got) for line, got in zip(LINES, shown)), shown
    offered = re.findall(PASSPHRASE, output)
    assert len(set(offered)) == 3  # a different passphrase for each, since no two passwords may be the same
    for secret in ("hemiaocun2025", "1qaz@WSX3edc", "Admin@123456", "Village-Test-Only-k9w2", "Other-Test-Only-3mf8"):
        assert secret not in output


def test_check_names_every_problem_of_the_access_file_at_once(files):
    workbook, access = files
    result = run("check", str(workbook), "--access", str(access), password=None)
    assert result.returncode == 1  # the workbook has none: the access file's problems are errors
    out = text(result.stdout)
    assert out.startswith("没有发现问题。\n0 个错误，0 个警告\n\n")
    assert_every_line(out, access)
    # a clerk who reads only "0 个错误" at the top still reads the last word: the file stops the build
    assert out.endswith("\n\n权限文件有问题（见上），改正后才能生成网站。\n")
    assert len(out.splitlines()) == 3 + 1 + 6 + 2


def test_build_names_every_problem_of_the_access_file_at_once(files, tmp_path):
    workbook, access = files
    result = run("build", str(workbook), "--out", str(tmp_path / "site"), "--access", str(access), password=None)
    assert result.returncode == 1
    err = text(result.stderr)
    assert_every_line(err, access)
    assert err.endswith("（原来的网站保持不变）\n")
    assert not (tmp_path / "site").exists()


def test_build_names_every_guessable_password_when_the_file_itself_is_well_formed(files, tmp_path):
    workbook, access = files
    access.write_text(ACCESS.replace("  溪口社区: Village-Test-Only-z3p5\n", "").replace("  柳林村: Other-Test-Only-3mf8\n", ""),
                      encoding="utf-8")
    result = run("build", str(workbook), "--out", str(tmp_path / "site"), "--access", str(access), password=None)
    assert result.returncode == 1
    lines = text(result.stderr).replace("（原来的网站保持不变）", "").splitlines()
    assert lines[-5] == "错误：权限文件有 4 个问题："
    assert [re.fullmatch(line, got) is not None for line, got in zip(LINES[2:], lines[-4:])] == [True] * 4, lines[-4:]


def test_check_with_a_good_access_file_says_so_and_json_keeps_the_problems_apart(files):
    workbook, access = files
    access.write_text("乡镇: Town-Test-Only-7xq4\n村社区:\n  禾苗村: Village-Test-Only-k9w2\n", encoding="utf-8")
    good = run("check", str(workbook), "--access", str(access), password=None)
    assert good.returncode == 0
    assert text(good.stdout) == f"没有发现问题。\n0 个错误，0 个警告\n\n权限文件“{access}”没有发现问题。\n"
    access.write_text(ACCESS, encoding="utf-8")
    as_json = run("check", str(workbook), "--access", str(access), "--json", password=None)
    assert as_json.returncode == 1
    assert json.loads(text(as_json.stdout)) == []  # the workbook's problems only: the file's go to stderr
    assert_every_line(text(as_json.stderr), access)


def test_a_file_yaml_cannot_read_is_one_line(files):
    workbook, access = files
    access.write_text("乡镇: &t Town-Test-Only-7xq4\n村社区:\n  禾苗村: *t\n", encoding="utf-8")
    result = run("check", str(workbook), "--access", str(access), password=None)
    assert result.returncode == 1
    assert text(result.stdout).splitlines()[-3:] == [f"权限文件“{access}”第 1 行：不能用 YAML 的锚点（&）和引用（*），"
                                                     "请把每个密码写出来。", "", "权限文件有问题（见上），改正后才能生成网站。"]


def test_the_township_password_keeps_its_name_when_the_villages_beside_it_have_problems(files):
    workbook, access = files
    access.write_text("乡镇: short\n村社区:\n  禾苗村: 123\n", encoding="utf-8")
    result = run("check", str(workbook), "--access", str(access), password=None)
    assert result.returncode == 1
    lines = text(result.stdout).splitlines()[:-2]  # the last word: 权限文件有问题（见上）…
    assert lines[-3:-1] == [f"权限文件“{access}”有 2 个问题：",
                            "  第 3 行：“禾苗村”的密码会被读成数字、日期或是/否，而不是原样的文字：请在密码两边加上英文引号 \"\"。"]
    assert re.fullmatch(re.escape("  乡镇密码太短：至少 12 个字符（现在 5 个）。") + OFFER, lines[-1])
