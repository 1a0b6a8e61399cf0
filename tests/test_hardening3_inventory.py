"""What a site's files tell without a password (issue 19, finding 5): the same file names, titles and navigation
whoever has which status or risk, and ciphertext sizes in buckets rather than exact lengths."""

from __future__ import annotations

import base64
import re
from pathlib import Path

import pytest

from generator.site.encryption import padded_size
from generator.site.verify import plaintext
from tests.commands import assert_no_leaks, run, text
from tests.conftest import ACCESS_YAML
from tests.workbooks import set_cell, valid_sheets, write_sheets

CIPHERTEXT = re.compile(r'<div id="mkdocs-encrypted-content" style="display:none">([A-Za-z0-9+/=]+);([A-Za-z0-9+/=]+)</div>')
TITLE = re.compile(r"<title>(.*?)</title>", re.S)


def quiet_sheets() -> dict:
    """The small workbook: nobody in 强制隔离戒毒, no high-risk patient at home."""
    return valid_sheets()


def telling_sheets() -> dict:
    """The same workbook but P003 is in 强制隔离戒毒 (not 住院治疗) and P002 (at home) is high-risk."""
    sheets = valid_sheets()
    set_cell(sheets, "患者", 3, "在管状态", "强制隔离戒毒")
    set_cell(sheets, "随访记录", 2, "危险性", 3)
    set_cell(sheets, "随访记录", 2, "病情分类", "不稳定")
    return sheets


@pytest.fixture(scope="module")
def pair(tmp_path_factory) -> tuple[Path, Path]:
    """Both workbooks built with a township and a village password (so village pages get their own key)."""
    sites = []
    for name, sheets in (("quiet", quiet_sheets()), ("telling", telling_sheets())):
        folder = tmp_path_factory.mktemp(name)
        workbook = write_sheets(folder / "台账.xlsx", sheets)
        access = folder / "权限.yaml"
        access.write_text(ACCESS_YAML, encoding="utf-8")
        result = run("build", str(workbook), "--out", str(folder / "site"), "--access", str(access), password=None)
        assert result.returncode == 0, text(result.stderr)
        assert_no_leaks(workbook, folder / "site")
        sites.append(folder / "site")
    return sites[0], sites[1]


def files(site: Path) -> set[str]:
    return {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()}


SITE_TOKEN = re.compile(r'(?<=<meta name="jingfang-site" content=")[^"]*')


def ciphertext_length(path: Path) -> int:
    match = CIPHERTEXT.search(path.read_text(encoding="utf-8"))
    assert match, path
    return len(base64.b64decode(match.group(2)))


def build_free(shown: str) -> str:
    """A page's plaintext less the build's random name (the tabs' channel, assets/jingfang-keys.js): it differs on
    every build whatever the data, so it tells nothing."""
    found = SITE_TOKEN.findall(shown)
    assert len(found) == 1 and re.fullmatch(r"[0-9a-f]{32}", found[0]), found
    return SITE_TOKEN.sub("", shown)


def test_the_same_files_titles_and_navigation_whoever_has_what(pair):
    quiet, telling = pair
    assert files(quiet) == files(telling)
    for rel in ("roster/rehab.html", "roster/custody.html", "agreements/V02-joint_visit.html",
                "agreements/V01-rollcall1.html", "agreements/V02-consent.html", "week/D00.html"):
        assert rel in files(quiet), rel
    for rel in sorted(files(quiet)):
        if rel.endswith(".html"):
            shown, other = build_free(plaintext(quiet / rel)), build_free(plaintext(telling / rel))
            assert TITLE.findall(shown) == TITLE.findall(other), rel
            assert shown == other, rel  # the <title>, the nav, the table of contents: everything
    assert TITLE.findall(plaintext(quiet / "roster/rehab.html")) == ["花名册 · 强制隔离戒毒 - 测试镇精防台账"]


def test_every_ciphertext_is_padded_to_a_bucket(pair):
    for site in pair:
        for path in site.rglob("*.html"):
            if CIPHERTEXT.search(path.read_text(encoding="utf-8")):
                size = ciphertext_length(path) - 16  # PKCS#7 adds one block to a padded plaintext
                assert size == padded_size(size), path


def test_an_empty_and_a_one_person_page_are_the_same_size(pair):
    quiet, telling = pair
    for rel in ("roster/rehab.html", "roster/hospital.html", "agreements/V02-joint_visit.html", "week/D00.html",
                "roster/home.html", "roster/V02.html"):
        assert ciphertext_length(quiet / rel) == ciphertext_length(telling / rel), rel


def test_buckets_grow_by_a_quarter_from_a_floor():
    assert padded_size(0) == padded_size(8192) == 8192
    assert padded_size(8193) == 10240
    sizes = sorted({padded_size(n) for n in range(0, 400_000, 97)})
    assert all(b % 1024 == 0 and b <= a * 1.25 + 1024 for a, b in zip(sizes, sizes[1:]))


def test_the_unencrypted_build_writes_the_same_files(pair, tmp_path):
    workbook = write_sheets(tmp_path / "台账.xlsx", quiet_sheets())
    plain = tmp_path / "plain"
    result = run("build", str(workbook), "--out", str(plain), "--insecure-no-password", password=None)
    assert result.returncode == 0, text(result.stderr)
    pages = {rel for rel in files(pair[0]) if rel.endswith(".html")}
    assert {rel for rel in files(plain) if rel.endswith(".html")} == pages
    assert "没有。" in (plain / "roster/rehab.html").read_text(encoding="utf-8")
