"""``jingfang build``: a real strict mkdocs build, codes-only titles and addresses, nothing lost on failure."""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from datetime import date, datetime
from pathlib import Path

import pytest

from generator.site import mkdocs_processes as site
from generator.app.build import InvalidWorkbook, build
from generator.app.password import Access
from generator.site.mkdocs_processes import BuildFailed
from tests.commands import PASSWORD, run, text
from tests.workbooks import set_cell, valid_sheets, write_sheets

NOW = datetime(2025, 7, 1, 8, 30)
ACCESS = Access(PASSWORD)


def tree_digest(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_every_section_and_record_page_is_built(built):
    for rel in ("index.html", "roster/index.html", "roster/V01.html", "roster/home.html", "groups/index.html",
                "groups/G01.html", "patients/P001.html", "overdue/index.html", "overdue/followup_overdue.html",
                "agreements/index.html", "agreements/V01-guardian.html", "leaders.html",
                "rules.html", "quality.html", "404.html", "villages/index.html", "villages/V01.html", "overdue/V01.html"):
        assert (built / rel).is_file(), rel
    assert not (built / "sitemap.xml").exists() and not (built / "sitemap.xml.gz").exists()
    # no search index: it would hold the plaintext of every page (and Material's search does not work from file://)
    assert not (built / "search").exists()
    assert 'data-md-component="search"' not in (built / "index.html").read_text(encoding="utf-8")


def test_titles_navigation_and_addresses_carry_codes_not_names(built):
    names = ["甘望舒", "简雨桐", "车怀瑾", "甘秋禾", "简守拙", "计承远", "聂冬晴", "骆思源", "闵若川"]
    page = (built / "patients" / "P001.html").read_text(encoding="utf-8")
    title = re.search(r"<title>(.*?)</title>", page).group(1)
    assert title.startswith("患者档案 P001")
    nav = re.search(r'<nav class="md-nav md-nav--primary.*?</nav>', page, re.S).group(0)
    toc = re.findall(r'<h[1-6][^>]*>(.*?)</h[1-6]>', page)
    for name in names:
        assert name not in title and name not in nav and all(name not in h for h in toc)
    assert "甘望舒" not in page and 'id="mkdocs-encrypted-content"' in page  # the body is encrypted
    for path in built.rglob("*"):
        assert not any(name in str(path) for name in names)


def test_navigation_holds_only_section_pages(built):
    page = (built / "index.html").read_text(encoding="utf-8")
    tabs = re.findall(r'class="md-tabs__link[^"]*"[^>]*>\s*(.*?)\s*</a>', page, re.S)
    assert tabs == ["首页", "花名册", "帮扶小组", "待办清单", "底册台账", "村社区", "部门", "协议打印", "领导小组与通讯录", "工作规则",
                    "数据质量", "信息比对", "趋势", "变化"]
    assert "patients/P001.html" not in page.split('<div class="md-content"')[0]


def test_pages_outside_the_nav_reuse_its_html_with_links_from_their_own_folder(built):
    """The jingfang plugin renders Material's tabs and sidebar once per folder for pages outside the nav."""
    def part(rel: str, pattern: str) -> str:
        return re.search(pattern, (built / rel).read_text(encoding="utf-8"), re.S).group(0)

    tabs, sidebar = r'<nav class="md-tabs".*?</nav>', r'<div class="md-sidebar md-sidebar--primary".*?</nav>'
    assert part("patients/P001.html", tabs) == part("patients/P002.html", tabs)
    assert part("patients/P001.html", sidebar) == part("patients/P002.html", sidebar)
    assert 'href="../roster/index.html"' in part("patients/P001.html", tabs)
    assert 'href="index.html"' in part("roster/V01.html", tabs)  # the same tab, from inside roster/
    assert "md-tabs__item--active" in part("roster/index.html", tabs)  # a page in the nav marks its tab
    assert "md-tabs__item--active" not in part("roster/V01.html", tabs)


def test_no_page_loads_anything_from_outside_the_site(built):
    for path in built.rglob("*.html"):
        html = path.read_text(encoding="utf-8")
        for url in re.findall(r'(?:src|href)="([^"]+)"', html):
            assert not re.match(r"(https?:)?//", url) or "squidfunk" in url or "mkdocs.org" in url, (path, url)


def test_every_internal_link_resolves(built):
    for path in built.rglob("*.html"):
        if path.name == "404.html":
            continue  # served for any address, so mkdocs links it from the site root
        for url in re.findall(r'href="([^"#?]+)', path.read_text(encoding="utf-8")):
            if re.match(r"(https?:)?//|mailto:|javascript:", url):
                continue
            assert (path.parent / url).resolve().exists(), (path, url)


def test_invalid_workbook_leaves_the_previous_site_untouched(tmp_path, built):
    out = tmp_path / "site"
    ok = write_sheets(tmp_path / "台账.xlsx", valid_sheets())
    assert run("build", str(ok), "--out", str(out)).returncode == 0
    before = tree_digest(out)
    bad = valid_sheets()
    set_cell(bad, "患者", 1, "性别", "女")
    result = run("build", str(write_sheets(tmp_path / "坏台账.xlsx", bad)), "--out", str(out))
    assert result.returncode == 1
    err = text(result.stderr)
    assert "sex-mismatch" not in err and "性别填的是“女”" in err and "原来的网站保持不变" in err
    assert tree_digest(out) == before


def test_mkdocs_failure_leaves_the_site_and_no_temp_folder(tmp_path, monkeypatch):
    out = tmp_path / "site"
    workbook = write_sheets(tmp_path / "台账.xlsx", valid_sheets())
    temp = tmp_path / "tmp"
    temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    build(workbook, out, as_of=None, today=date(2025, 7, 1), now=NOW, access=ACCESS)
    before = tree_digest(out)
    broken = tmp_path / "mkdocs.yml"
    broken.write_text((site.BASE_CONFIG.read_text(encoding="utf-8")).replace("  - attr_list", "  - no_such_extension"),
                      encoding="utf-8")
    monkeypatch.setattr(site, "BASE_CONFIG", broken)
    with pytest.raises(BuildFailed):
        build(workbook, out, as_of=None, today=date(2025, 7, 1), now=NOW, access=ACCESS)
    assert tree_digest(out) == before
    assert list(temp.iterdir()) == []


def test_a_mkdocs_warning_fails_the_build_and_says_what_it_was(tmp_path, monkeypatch):
    """--strict counts warnings only when mkdocs is not told to be quiet (its --quiet drops them before counting)."""
    from generator.app import build as build_module

    out = tmp_path / "site"
    workbook = write_sheets(tmp_path / "台账.xlsx", valid_sheets())
    monkeypatch.setattr(build_module, "NAV", [*build_module.NAV, {"缺失": "missing.md"}])  # mkdocs warns of it
    with pytest.raises(BuildFailed, match="missing.md"):
        build(workbook, out, as_of=None, today=date(2025, 7, 1), now=NOW, access=ACCESS)
    assert not out.exists()


@pytest.mark.skipif(os.name == "nt", reason="the cache folder comes from XDG_CACHE_HOME on Linux and macOS")
def test_theme_templates_are_compiled_into_the_user_cache_and_a_build_needs_none(tmp_path, monkeypatch):
    workbook = write_sheets(tmp_path / "台账.xlsx", valid_sheets())
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    assert run("build", str(workbook), "--out", str(tmp_path / "a")).returncode == 0
    cached = list((tmp_path / "cache" / "jingfang" / "templates").glob("__jinja2_*.cache"))
    assert len(cached) >= 10  # Material's base and partials, our overrides
    assert not any("测试镇".encode() in c.read_bytes() for c in cached)  # templates only, no workbook data
    blocked = tmp_path / "blocked"
    (blocked / "jingfang").mkdir(parents=True)
    (blocked / "jingfang" / "templates").write_text("", encoding="utf-8")  # no folder can be made there
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    result = run("build", str(workbook), "--out", str(tmp_path / "b"))
    assert result.returncode == 0, text(result.stderr)


def test_invalid_workbook_raises_before_writing_anything(tmp_path):
    bad = valid_sheets()
    set_cell(bad, "随访记录", 1, "随访日期", "昨天")
    with pytest.raises(InvalidWorkbook) as err:
        build(write_sheets(tmp_path / "台账.xlsx", bad), tmp_path / "site", as_of=None, today=date(2025, 7, 1), now=NOW, access=ACCESS)
    assert err.value.report.flatten(["cell", "code"]) == [["B2", "bad-date"]]
    assert not (tmp_path / "site").exists()


def test_as_of_option_changes_the_lists(tmp_path):
    workbook = write_sheets(tmp_path / "台账.xlsx", valid_sheets())
    out = tmp_path / "site"
    build(workbook, out, as_of=date(2025, 6, 30), today=date(2025, 7, 1), now=NOW, access=ACCESS)
    out2 = tmp_path / "plain"
    build(workbook, out2, as_of=date(2025, 6, 30), today=date(2025, 7, 1), now=NOW, access=None)
    assert "数据截至 <strong>2025-06-30</strong>" in (out2 / "index.html").read_text(encoding="utf-8")


def test_month_option_chooses_the_monthly_report_and_a_bad_month_changes_nothing(tmp_path):
    workbook = write_sheets(tmp_path / "台账.xlsx", valid_sheets())
    out = tmp_path / "site"
    build(workbook, out, as_of=date(2025, 6, 30), today=date(2025, 7, 1), now=NOW, access=None)
    page = (out / "departments" / "police-monthly.html").read_text(encoding="utf-8")
    assert "严重精神障碍患者2025年5月信息交换通报" in page  # the month before the as-of date
    result = run("build", str(workbook), "--out", str(out), "--as-of", "2025-06-30", "--month", "2025年3月",
                 "--insecure-no-password")
    assert result.returncode == 0, text(result.stderr)
    assert "2025年3月信息交换通报" in (out / "departments" / "police-monthly.html").read_text(encoding="utf-8")
    before = tree_digest(out)
    result = run("build", str(workbook), "--out", str(out), "--as-of", "2025-06-30", "--month", "2025-07")
    assert result.returncode == 1
    assert "月份 2025年7月 晚于统计截止日期 2025-06-30：台账里还没有这个月的记录。（原来的网站保持不变）" in text(result.stderr)
    assert tree_digest(out) == before


def test_unchanged_inputs_skip_the_build_changed_ones_do_not(tmp_path):
    workbook = write_sheets(tmp_path / "台账.xlsx", valid_sheets())
    out = tmp_path / "site"
    assert run("build", str(workbook), "--out", str(out)).returncode == 0
    before = tree_digest(out)
    stamp = (out / "index.html").stat().st_mtime_ns
    again = run("build", str(workbook), "--out", str(out))
    assert again.returncode == 0 and "网站已是最新" in text(again.stdout)
    assert (out / "index.html").stat().st_mtime_ns == stamp and tree_digest(out) == before
    assert PASSWORD not in (out / ".jingfang-build.json").read_text(encoding="utf-8")
    other = run("build", str(workbook), "--out", str(out), password="Another-Test-Only-v3m8")
    assert other.returncode == 0 and "网站已生成" in text(other.stdout)  # a new password: build again
    changed = valid_sheets()
    set_cell(changed, "患者", 1, "备注", "改过")
    write_sheets(workbook, changed)
    assert "网站已生成" in text(run("build", str(workbook), "--out", str(out), password="Another-Test-Only-v3m8").stdout)
    assert "网站已生成" in text(run("build", str(workbook), "--out", str(out), "--rebuild", password="Another-Test-Only-v3m8").stdout)
