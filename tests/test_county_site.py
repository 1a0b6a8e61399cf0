"""``jingfang county --out``: the county's encrypted site from the townships' summaries — the township site's
machinery (mkdocs, encryption, leak gate, stamp, atomic install) — with its one password from an access file
(``县区: 密码``), a password file, the environment, or generated and said once."""

from __future__ import annotations

import json
import re

import pytest

from tests.commands import PASSWORD, assert_no_leaks, run, text
from tests.townships import TOWNSHIPS, met_everything, summarize, write_townships

PAGES = ["404.html", "index.html", "lists.html", "notice.html", "ranking.html", "townships.html", "trend.html"]


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    folder = tmp_path_factory.mktemp("county-site")
    books = write_townships(folder)
    summaries = [summarize(book, folder / f"{name}.json") for name, book in books.items()]
    good = folder / "达标镇.json"
    good.write_text(met_everything().to_json(), encoding="utf-8")
    return folder, books, [*summaries, good]


def test_the_site_is_built_encrypted_and_holds_no_townships_personal_value(made, tmp_path):
    folder, books, summaries = made
    access = tmp_path / "access.yaml"
    access.write_text(f'县区: "{PASSWORD}"\n', encoding="utf-8")
    out = tmp_path / "site"
    result = run("county", *(str(p) for p in summaries), "--out", str(out), "--access", str(access), "--json",
                 password=None)
    assert result.returncode == 0, text(result.stderr)
    assert json.loads(text(result.stdout))["townships"] == [*TOWNSHIPS, "达标镇"]
    assert f"县级网站已生成：{out.resolve()}（4 个乡镇，7 个页面，最新统计截止日期 2025-06-30）" in text(result.stderr)
    assert ("保密检查：每个页面是否加密、有没有明文的网站密码（网站的内容来自汇总，没有个人信息，不用查找姓名、身份证号、电话、地址）……\n"
            in text(result.stderr)) and "（0 项）" not in text(result.stderr)
    assert ("最新统计截止日期 2025-06-30）。保密检查通过：每个页面都已加密，没有明文的网站密码（网站只有各乡镇的人数、指标和清单条数，"
            "没有个人信息可查）。\n") in text(result.stderr)
    assert sorted(p.name for p in out.glob("*.html")) == PAGES
    for book in books.values():  # every page encrypted, none of any workbook's names, IDs, phones, addresses
        assert_no_leaks(book, out)
    shown = "".join(p.read_text(encoding="utf-8", errors="replace") for p in out.rglob("*") if p.is_file())
    assert PASSWORD not in shown
    again = run("county", str(summaries[0]), "--out", str(out), "--access", str(access), password=None)
    assert again.returncode == 0, text(again.stderr)  # its own site: replaced


def test_the_password_from_the_environment_and_a_weak_one_refused(made, tmp_path):
    _, _, summaries = made
    out = tmp_path / "site"
    weak = run("county", str(summaries[0]), "--out", str(out), password="dongling2025xx")  # 东岭 in pinyin, a year
    assert weak.returncode == 1 and not out.exists()
    assert text(weak.stderr).startswith("错误：县级网站密码太容易被猜到：含有本乡镇、村社区或区县的名称（汉字、拼音或拼音首字母）；"
                                        "含有年份或日期")
    assert text(weak.stderr).endswith("（原来的网站保持不变）\n")
    good = run("county", str(summaries[0]), "--out", str(out))  # JINGFANG_PASSWORD
    assert good.returncode == 0 and (out / "index.html").is_file()


def test_an_access_file_without_the_county_line_is_refused(made, tmp_path):
    _, _, summaries = made
    access = tmp_path / "access.yaml"
    access.write_text(f'乡镇: "{PASSWORD}"\n', encoding="utf-8")
    result = run("county", str(summaries[0]), "--out", str(tmp_path / "site"), "--access", str(access), password=None)
    assert (result.returncode, text(result.stderr)) == (
        1, f"错误：权限文件“{access}”第 1 行：不认识“乡镇”：只能写 县区。（原来的网站保持不变）\n")


def test_without_a_password_one_is_generated_and_said_once(made, tmp_path):
    _, _, summaries = made
    out = tmp_path / "site"
    result = run("county", str(summaries[0]), "--out", str(out), password=None)
    assert result.returncode == 0, text(result.stderr)
    said = re.findall(r"本次县级网站的密码（随机生成，没有保存在任何地方，请记下并只告诉需要查看的人）：([a-z0-9-]+)\n",
                      text(result.stderr))
    assert len(said) == 1 and re.fullmatch(r"([a-z2-9]{4}-){4}[a-z2-9]{4}", said[0])
    assert said[0] not in text(result.stdout)


def test_a_folder_that_is_not_a_jingfang_site_is_left_alone(made, tmp_path):
    _, _, summaries = made
    out = tmp_path / "mine"
    out.mkdir()
    (out / "笔记.txt").write_text("x", encoding="utf-8")
    result = run("county", str(summaries[0]), "--out", str(out))
    assert result.returncode == 1 and "不是 jingfang 生成的网站" in text(result.stderr)
    assert [p.name for p in out.iterdir()] == ["笔记.txt"]
