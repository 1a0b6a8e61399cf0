"""The password policy: guessable passwords are refused with the reason in plain Chinese, never repeated back."""

from __future__ import annotations

import math
import re
from datetime import date

import pytest

from generator.app.password import (PASSPHRASE_ALPHABET, Access, PasswordProblem, check_access, generate_passphrase,
                                read_access_file, weakness)
from generator.app.strength import hints_for, name_forms
from tests.commands import run, text
from tests.workbooks import set_cell, valid_sheets, write_sheets

PASSPHRASE = r"[a-z2-9]{4}(-[a-z2-9]{4}){4}"
OFFER = "可以改用这个随机生成的密码：(" + PASSPHRASE + ")，或运行 jingfang build --generate-password 另生成一个。"
PLACE = "含有本乡镇、村社区或区县的名称（汉字、拼音或拼音首字母）"
YEAR = "含有年份或日期"
COMMON = "含有常见密码或常用的密码词（如 123456、password、woaini、5201314）"
KEYBOARD = "含有键盘上连在一起的按键（如 qwerty、1qaz2wsx）"
REPEAT = "含有重复的字符或片段（如 aaa、abcabc）"
SEQUENCE = "含有连续的字母或数字（如 abcd、1234、9876）"
WORD = "含有常见的英文单词、人名或姓氏"
VILLAGES = ["禾苗村", "溪口社区"]
QINGHE = hints_for("清河镇", "测试县", VILLAGES, date(2025, 6, 30))


@pytest.fixture(scope="module")
def qinghe(tmp_path_factory):
    """The small valid workbook, its township renamed 清河镇 (villages 禾苗村 and 溪口社区)."""
    sheets = valid_sheets()
    set_cell(sheets, "基本设置", 1, "值", "清河镇")
    return write_sheets(tmp_path_factory.mktemp("qinghe") / "台账.xlsx", sheets)


@pytest.mark.parametrize("password, reasons", [
    ("qinghezhen2026", [PLACE, YEAR]),
    ("Qinghe2026!!", [PLACE, YEAR, REPEAT]),
    ("1qaz@WSX3edc", [COMMON, KEYBOARD]),
    ("Admin@123456", [COMMON]),
    ("woaini1314520", [COMMON]),
])
def test_guessable_passwords_are_refused_with_the_reason(qinghe, tmp_path, password, reasons):
    result = run("build", str(qinghe), "--out", str(tmp_path / "site"), password=password)
    assert result.returncode == 1
    last = text(result.stderr).strip().splitlines()[-1]
    reason = re.escape("错误：网站密码太容易被猜到：" + "；".join(reasons) + "。")
    assert re.fullmatch(reason + OFFER + re.escape("（原来的网站保持不变）"), last), last
    assert password not in text(result.stderr) + text(result.stdout)
    assert not (tmp_path / "site").exists()


def test_the_offered_passphrase_passes_for_the_same_township(qinghe, tmp_path):
    refused = run("build", str(qinghe), "--out", str(tmp_path / "site"), password="qinghezhen2026")
    offered = re.search(PASSPHRASE, text(refused.stderr)).group(0)
    check_access(Access(offered), "清河镇", VILLAGES, county="测试县", as_of=date(2025, 6, 30))


@pytest.mark.parametrize("password, reason", [
    ("Short-1", "太短：至少 12 个字符（现在 7 个）。"),
    ("123456789012", f"太容易被猜到：{COMMON}；{SEQUENCE}。"),
    ("aaaaaaaaaaaa1a", f"太容易被猜到：{REPEAT}。"),
    ("Password-2025", f"太容易被猜到：{COMMON}。"),
    ("Xikoushequ2025", f"太容易被猜到：{PLACE}；{YEAR}。"),  # a village's pinyin
    ("QHZ-weisheng-2026", f"太容易被猜到：{COMMON}。"),  # the township's initials count as random, the rest not
    ("Another-Pass-2025", f"太容易被猜到：{WORD}；{YEAR}。"),
])
def test_weakness_says_why(password, reason):
    assert weakness(password, QINGHE) == reason


def test_long_unpredictable_passwords_pass_without_character_classes():
    assert weakness("kxpqwmzrtvbnhs", QINGHE) is None  # one class of characters, but 10^13 guesses
    assert weakness("Bench-Only-Pass-2025", QINGHE) is None


def test_place_names_as_an_attacker_types_them():
    assert name_forms("清河镇") == {"清河镇", "清河", "qinghezhen", "qinghe", "qhz", "qh"}
    assert {"溪口社区", "溪口", "xikoushequ", "xikou", "xksq", "xk"} <= name_forms("溪口社区")
    assert name_forms("朝阳乡") == {"朝阳乡", "朝阳", "chaoyangxiang", "chaoyang", "cyx", "cy",
                                 "zhaoyangxiang", "zhaoyang", "zyx", "zy"}  # 朝 reads chao or zhao
    assert {"hemiao", "hm"} <= name_forms("禾苗村")


def test_every_level_is_checked_and_named_in_the_refusal():
    access = Access("Town-Test-Only-7xq4", {"禾苗村": "hemiaocun2025", "溪口社区": "Village-Test-Only-k9w2"})
    with pytest.raises(PasswordProblem) as refused:
        check_access(access, "清河镇", VILLAGES, county="测试县", as_of=date(2025, 6, 30))
    assert re.fullmatch(re.escape(f"“禾苗村”的密码太容易被猜到：{PLACE}；{YEAR}。") + OFFER, str(refused.value))


def test_generated_passphrases_are_random_easy_to_type_and_pass():
    phrases = {generate_passphrase() for _ in range(20)}
    assert len(phrases) == 20
    for phrase in phrases:
        assert re.fullmatch(PASSPHRASE, phrase)
        check_access(Access(phrase), "清河镇", VILLAGES, county="测试县", as_of=date(2025, 6, 30))
    assert not set("0o1liIO") & set(PASSPHRASE_ALPHABET)
    assert 20 * math.log2(len(set(PASSPHRASE_ALPHABET))) >= 90


def test_generate_password_through_the_cli(tmp_path):
    result = run("build", "--generate-password", cwd=tmp_path, password=None)
    assert result.returncode == 0 and text(result.stderr) == ""
    assert re.fullmatch(PASSPHRASE + "\n", text(result.stdout))
    assert list(tmp_path.iterdir()) == []  # nothing built
    assert "--generate-password" in text(run("build", "--help").stdout)


def test_department_passwords_are_read_by_any_of_their_names_and_checked_like_the_others(tmp_path):
    access_file = tmp_path / "权限.yaml"
    access_file.write_text("乡镇: Town-Test-Only-7xq4\n部门:\n  派出所: Police-Test-Only-r5t8\n  卫生院: Clinic-Test-Only-h3w9\n",
                           encoding="utf-8")
    access = read_access_file(access_file)
    assert access.departments == {"police": "Police-Test-Only-r5t8", "health": "Clinic-Test-Only-h3w9"}
    assert access.others == {"派出所": "Police-Test-Only-r5t8", "卫生院（精防医生）": "Clinic-Test-Only-h3w9"}
    check_access(access, "清河镇", VILLAGES, county="测试县", as_of=date(2025, 6, 30))
    access_file.write_text("乡镇: Town-Test-Only-7xq4\n部门:\n  交警队: Police-Test-Only-r5t8\n", encoding="utf-8")
    with pytest.raises(PasswordProblem, match="部门“交警队”不认识：可以写 派出所、卫生院、民政办。"):
        read_access_file(access_file)
    with pytest.raises(PasswordProblem, match="密码不能重复"):
        check_access(Access("Town-Test-Only-7xq4", departments={"civil": "Town-Test-Only-7xq4"}), "清河镇", VILLAGES)
    with pytest.raises(PasswordProblem, match="“民政办、残联”的密码太容易被猜到"):
        check_access(Access("Town-Test-Only-7xq4", departments={"civil": "qinghe2025qinghe"}), "清河镇", VILLAGES,
                     as_of=date(2025, 6, 30))
