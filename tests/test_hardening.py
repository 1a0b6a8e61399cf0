"""Hostile inputs, folders and signals (issue 10): each attack is built for real and must come out harmless."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from generator.site import mkdocs_processes, output_folder
from generator.site.freshness import STAMP
from generator.present.document_html import sanitize
from generator.present.pages.html import Page, text as display
from generator.site.verify import plaintext
from tests.browsing import decrypted, unlock, visit
from tests.commands import PASSWORD, ROOT, run, text, verify
from tests.workbooks import set_cell, valid_sheets, write_sheets

LINK = "[点我](javascript:window.pwned=1)"
ATTRS = '{: onclick="window.pwned=2" }'
# township and village names cannot hold : or " (they become file names): the same attacks spelled without them
PLACE_LINK = "[点我](javascript&#58;window.pwned=1)"
PLACE_ATTRS = "{ onclick=window.pwned=2 }"
HOSTILE_TEMPLATE = """<h2 class="jf-doc-title">监护协议</h2>
<script>window.pwned = 3</script>
<p onclick="window.pwned = 4" style="background:url(http://example.invalid/track)">乙方：{{ guardian.name }}</p>
<img src="http://example.invalid/pixel.png" onerror="window.pwned = 5">
<a href="javascript:window.pwned = 6">点这里</a>
<p>患者：{{ patient.name }}</p>
"""


def rename(sheets: dict, old: str, new: str) -> None:
    """Rename a value wherever a cell holds exactly it (a village name and every reference to it)."""
    for rows in sheets.values():
        for row in rows[1:]:
            row[:] = [new if cell == old else cell for cell in row]


def hostile_sheets() -> dict:
    sheets = valid_sheets()
    set_cell(sheets, "帮扶小组", 1, "小组名称", f"禾苗村小组 {LINK} **粗** {ATTRS}")
    set_cell(sheets, "患者", 1, "现住址", f"禾苗村2组8号 {LINK}")
    set_cell(sheets, "基本设置", 1, "值", f"测试镇 {PLACE_LINK}")
    rename(sheets, "溪口社区", f"溪口社区 {PLACE_ATTRS}")
    return sheets


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> tuple[Path, Path, str]:
    folder = tmp_path_factory.mktemp("hostile")
    workbook = write_sheets(folder / "台账.xlsx", hostile_sheets())
    (folder / "协议模板").mkdir()
    (folder / "协议模板" / "监护协议.html").write_text(HOSTILE_TEMPLATE, encoding="utf-8")
    (folder / "协议模板" / "监护协议（旧）.html").write_text("<p>旧</p>", encoding="utf-8")
    result = run("build", str(workbook), "--out", str(folder / "site"))
    assert result.returncode == 0, text(result.stderr)
    return workbook, folder / "site", text(result.stderr)


def test_markup_in_names_is_shown_as_text_and_never_runs(hostile, page):
    workbook, site, _ = hostile
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto((site / "index.html").as_uri())
    assert page.evaluate("window.pwned") is None  # before the password: the header holds the township name
    unlock(page, PASSWORD)
    for rel in ("index.html", "groups/G01.html", "groups/index.html", "overdue/followup_overdue.html",
                "overdue/V02.html", "villages/V02.html", "villages/index.html", "patients/P001.html",
                "agreements/V01-guardian.html", "week/index.html", "week/V01.html", "week/V02.html"):
        visit(page, (site / rel).as_uri())
        decrypted(page)
        assert page.evaluate("window.pwned") is None, rel
        assert page.locator('a[href^="javascript:"]').count() == 0, rel
        assert page.locator('[onclick*="pwned"], [onerror], [style*="example.invalid"]').count() == 0, rel
        assert page.locator("#mkdocs-decrypted-content script").count() == 0, rel
    visit(page, (site / "groups" / "G01.html").as_uri())
    decrypted(page)
    assert f"禾苗村小组 {LINK} **粗** {ATTRS}" in page.locator("article").inner_text()
    assert not dialogs
    assert not [url for url in page.requests if "example.invalid" in url]
    assert verify(workbook, site).returncode == 0


def test_override_templates_are_named_and_their_output_cleaned(hostile, page):
    _, site, stderr = hostile
    assert "使用自定义文书模板：协议模板/监护协议.html" in stderr
    assert "注意：协议模板/监护协议（旧）.html 不是可识别的模板名" in stderr
    page.goto((site / "patients" / "P001.html").as_uri())
    unlock(page, PASSWORD)
    doc = page.locator("section.jf-doc").first
    assert "乙方：甘秋禾" in doc.text_content() and "点这里" in doc.text_content()
    assert doc.locator("script, img, a").count() == 0


def test_sanitize_keeps_document_markup_only():
    assert sanitize(HOSTILE_TEMPLATE.replace("{{ guardian.name }}", "甲").replace("{{ patient.name }}", "乙")) == (
        '<h2 class="jf-doc-title">监护协议</h2>\n\n<p>乙方：甲</p>\n\n点这里\n<p>患者：乙</p>\n')


@pytest.mark.parametrize("payload", [
    '{{ cycler.__init__.__globals__.os.system("touch PWNED") }}',
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ self._TemplateReference__context.environment }}",
])
def test_a_template_cannot_reach_python(tmp_path, payload):
    workbook = write_sheets(tmp_path / "台账.xlsx", valid_sheets())
    (tmp_path / "协议模板").mkdir()
    (tmp_path / "协议模板" / "监护协议.html").write_text(f"<p>{payload}</p>", encoding="utf-8")
    result = run("build", str(workbook), "--out", str(tmp_path / "site"), cwd=tmp_path)
    assert result.returncode == 1
    assert "协议模板“监护协议.html”" in text(result.stderr)
    assert not (tmp_path / "PWNED").exists() and not (tmp_path / "site").exists()


def test_front_matter_is_data():
    page = Page("逾期清单 · V01\nlevel: ''\nhide: []", "正文", heading="x")
    front = page.markdown().split("---\n")[1]
    assert yaml.safe_load(front) == {"title": "逾期清单 · V01\nlevel: &#x27;&#x27;\nhide: []", "hide": ["toc"]}


def test_display_text_is_never_markup():
    assert display(f"<img src=x onerror=alert(1)> {LINK} {ATTRS} `x` #1 |a|") == (
        "&#60;img src=x onerror=alert(1)&#62; &#91;点我&#93;(javascript:window.pwned=1) "
        "&#123;: onclick=&#34;window.pwned=2&#34; &#125; &#96;x&#96; &#35;1 &#124;a&#124;")


def test_site_name_and_extra_reach_mkdocs_as_escaped_strings(tmp_path):
    path = mkdocs_processes.write_config(tmp_path, "<b>镇</b>\nplugins: []", [{"首页": "index.md"}], {"township": "x: [y]"},
                                    encrypted=True)
    config = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert config["site_name"] == "&lt;b&gt;镇&lt;/b&gt;\nplugins: []"
    assert config["extra"] == {"township": "x: [y]"}
    assert config["plugins"][1]["encryptcontent"]["password_inventory"] == {}  # passwords never in the file


@pytest.mark.skipif(not Path("/proc/self/environ").exists(), reason="reads a process's environment from /proc")
def test_mkdocs_processes_start_without_our_password_in_their_environment(monkeypatch):
    monkeypatch.setenv("JINGFANG_PASSWORD", PASSWORD)
    processes = mkdocs_processes.MkdocsProcesses(1)
    try:
        child = processes.idle[0][0]
        deadline = time.monotonic() + 10
        # Popen returns once exec has begun; the kernel fills in the new environment's place a moment later
        while not (environ := Path(f"/proc/{child.pid}/environ").read_bytes()) and time.monotonic() < deadline:
            time.sleep(0.01)
        assert b"NO_MKDOCS_2_WARNING=1" in environ and PASSWORD.encode() not in environ
    finally:
        processes.close()
    assert child.returncode == 0  # an empty stdin ends it


def test_passwords_that_yaml_reads_as_numbers_still_work(tmp_path, page):
    workbook = write_sheets(tmp_path / "台账.xlsx", valid_sheets())
    password = "0x9F3AC2E41BD57E6A08C1D3"
    result = run("build", str(workbook), "--out", str(tmp_path / "site"), password=password)
    assert result.returncode == 0, text(result.stderr)
    page.goto((tmp_path / "site" / "patients" / "P001.html").as_uri())
    unlock(page, password)
    assert "甘望舒" in page.locator("article").inner_text()


# --- the leak gate ---------------------------------------------------------------------------------------------

def test_verify_catches_a_planted_page_and_a_planted_name(built, tmp_path):
    workbook = write_sheets(tmp_path / "台账.xlsx", valid_sheets())
    copy = tmp_path / "copy"
    shutil.copytree(built, copy)
    assert verify(workbook, copy).returncode == 0
    (copy / "patients" / "P009.html").write_text("<html><body><p>患者档案</p></body></html>", encoding="utf-8")
    with (copy / "assets" / "jingfang.js").open("a", encoding="utf-8") as js:
        js.write('\n// \\u7518\\u671b\\u8212 13900000011\n')  # 甘望舒 as a JSON escape, and a guardian's phone
    result = verify(workbook, copy)
    out = text(result.stdout)
    assert result.returncode == 1
    assert "  未加密的页面：patients/P009.html\n" in out
    assert "  姓名：assets/jingfang.js\n" in out and "  电话：assets/jingfang.js\n" in out
    assert "甘望舒" not in out and "13900000011" not in out


def test_build_refuses_to_install_a_site_that_shows_a_name(tmp_path):
    sheets = valid_sheets()
    out = tmp_path / "site"
    assert run("build", str(write_sheets(tmp_path / "台账.xlsx", sheets)), "--out", str(out)).returncode == 0
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    set_cell(sheets, "基本设置", 1, "值", "计承远")  # a staff member's name as the township: in every page's header
    result = run("build", str(write_sheets(tmp_path / "台账.xlsx", sheets)), "--out", str(out))
    assert result.returncode == 1
    assert "新网站没有通过保密检查，没有安装" in text(result.stderr) and "  姓名：404.html" in text(result.stderr)
    assert "计承远" not in text(result.stderr)
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before


def test_nothing_outside_the_ciphertext_names_a_village_or_counts(every_site):
    for path in every_site.rglob("*.html"):
        plain = plaintext(path)
        for village in ("禾苗村", "溪口社区"):
            assert village not in plain, path
        toc = plain.split('md-nav--secondary', 1)[-1].split("</nav>", 1)[0] if "md-nav--secondary" in plain else ""
        assert "（" not in toc, path


@pytest.fixture(params=["encrypted", "leveled"])
def every_site(request):
    return request.getfixturevalue(request.param)


# --- the output folder -----------------------------------------------------------------------------------------

def test_out_must_not_hold_the_workbook(tmp_path):
    workbook = write_sheets(tmp_path / "台账.xlsx", valid_sheets())
    result = run("build", str(workbook), "--out", str(tmp_path))
    assert result.returncode == 1
    assert text(result.stderr) == (f"错误：网站文件夹“{tmp_path}”里有台账“台账.xlsx”本身，生成网站会替换整个文件夹，所以没有生成。"
                                   "请换一个 --out，例如台账旁边新的 site 文件夹。\n")
    assert workbook.exists() and sorted(p.name for p in tmp_path.iterdir()) == ["台账.xlsx"]


def test_out_that_is_not_jingfangs_is_left_alone(tmp_path):
    workbook = write_sheets(tmp_path / "台账.xlsx", valid_sheets())
    mine = tmp_path / "文件"
    mine.mkdir()
    (mine / "工作总结.docx").write_bytes(b"mine")
    result = run("build", str(workbook), "--out", str(mine))
    assert result.returncode == 1
    assert f"文件夹“{mine}”不是空的，也不是 jingfang 生成的网站" in text(result.stderr)
    assert [p.name for p in mine.iterdir()] == ["工作总结.docx"]
    a_file = tmp_path / "名单.txt"
    a_file.write_text("x", encoding="utf-8")
    result = run("build", str(workbook), "--out", str(a_file))
    assert result.returncode == 1 and "不是一个普通文件夹" in text(result.stderr) and a_file.read_text() == "x"


def test_a_file_saved_into_the_site_stops_the_next_build(tmp_path):
    workbook = write_sheets(tmp_path / "台账.xlsx", valid_sheets())
    out = tmp_path / "site"
    assert run("build", str(workbook), "--out", str(out)).returncode == 0
    stamp = json.loads((out / STAMP).read_text(encoding="utf-8"))
    assert "index.html" in stamp["files"] and "patients/P001.html" in stamp["files"]
    (out / "patients" / "备忘.txt").write_text("mine", encoding="utf-8")
    result = run("build", str(workbook), "--out", str(out), "--rebuild")
    assert result.returncode == 1 and "里有不是 jingfang 生成的文件（patients/备忘.txt）" in text(result.stderr)
    assert (out / "patients" / "备忘.txt").read_text(encoding="utf-8") == "mine"


def test_a_failed_swap_puts_the_previous_site_back(tmp_path, monkeypatch):
    out = tmp_path / "site"
    out.mkdir()
    (out / "index.html").write_text("old", encoding="utf-8")
    (out / STAMP).write_text(json.dumps({"files": ["index.html"]}), encoding="utf-8")
    new = tmp_path / "new"
    new.mkdir()
    (new / "index.html").write_text("new", encoding="utf-8")
    real_replace = os.replace

    def failing(src, dst):
        if Path(src).name == "site" and Path(dst) == out.resolve():
            raise OSError("disk full")
        return real_replace(src, dst)

    monkeypatch.setattr(os, "replace", failing)
    with pytest.raises(OSError):
        output_folder.swap_into(new, out)
    assert (out / "index.html").read_text(encoding="utf-8") == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_a_site_renamed_aside_by_a_killed_run_is_put_back(tmp_path):
    old = tmp_path / f".jingfang-old-{dead_pid()}"
    old.mkdir()
    (old / STAMP).write_text("{}", encoding="utf-8")
    output_folder.recover_output(tmp_path / "site")
    assert (tmp_path / "site" / STAMP).exists() and not old.exists()


# --- staging: nothing left in the temp folder ------------------------------------------------------------------

@pytest.mark.skipif(os.name == "nt", reason="POSIX signals")
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGHUP])
def test_a_stopped_build_leaves_no_plaintext(tmp_path, sig):
    temp = tmp_path / "tmp"
    temp.mkdir()
    workbook = write_sheets(tmp_path / "台账.xlsx", valid_sheets())
    env = dict(os.environ, PYTHONPATH=str(ROOT), PYTHONIOENCODING="utf-8", TMPDIR=str(temp), JINGFANG_PASSWORD=PASSWORD)
    child = subprocess.Popen([sys.executable, "-m", "generator", "build", str(workbook), "--out", str(tmp_path / "site")],
                             env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while not list(temp.glob("jingfang-*/part0/docs/patients")) and time.monotonic() < deadline:
        time.sleep(0.01)
    assert list(temp.glob("jingfang-*")), "the build never staged its pages"
    child.send_signal(sig)
    _, err = child.communicate(timeout=60)
    assert child.returncode == 130, err.decode("utf-8")
    assert "已中断：没有生成网站，临时文件已清除" in err.decode("utf-8")
    assert list(temp.iterdir()) == [] and not (tmp_path / "site").exists()


def test_a_killed_runs_staging_is_removed_by_the_next_and_nothing_else(tmp_path):
    temp = tmp_path / "tmp"
    stale, foreign, alive = temp / "jingfang-stale", temp / "jingfang-notours", temp / "jingfang-running"
    for folder, pid in ((stale, dead_pid()), (foreign, None), (alive, os.getpid())):
        (folder / "part0" / "docs").mkdir(parents=True)
        (folder / "part0" / "docs" / "index.md").write_text("甘望舒", encoding="utf-8")
        if pid:
            (folder / output_folder.STAGING_MARK).write_text(str(pid), encoding="utf-8")
    workbook = write_sheets(tmp_path / "台账.xlsx", valid_sheets())
    env_temp = dict(TMPDIR=str(temp))
    result = subprocess.run([sys.executable, "-m", "generator", "build", str(workbook), "--out", str(tmp_path / "site")],
                            env=dict(os.environ, PYTHONPATH=str(ROOT), JINGFANG_PASSWORD=PASSWORD, **env_temp),
                            capture_output=True, timeout=300)
    assert result.returncode == 0, result.stderr.decode("utf-8")
    assert sorted(p.name for p in temp.iterdir()) == ["jingfang-notours", "jingfang-running"]


def test_footer_and_404_are_chinese_and_name_nobody(encrypted):
    home = (encrypted / "index.html").read_text(encoding="utf-8")
    assert "Made with" not in home and "内部资料 注意保密" in home
    missing = (encrypted / "404.html").read_text(encoding="utf-8")
    assert "找不到这个页面" in missing and "Not found" not in missing


def test_another_version_of_the_encryption_plugin_is_refused(monkeypatch):
    from generator.site import encryption

    encryption.check_version()  # the pinned one passes
    monkeypatch.setattr(encryption, "version", lambda _: "3.2.0")
    with pytest.raises(encryption.WrongPluginVersion, match="版本是 3.2.0，jingfang 只支持 3.1.0"):
        encryption.check_version()


def test_the_gate_finds_the_same_in_parallel(encrypted, workbook, tmp_path, monkeypatch):
    from datetime import date

    from generator.site import verify as gate
    from generator.validate.workbook import validate_workbook
    from generator.read.workbook import read_workbook

    copy = tmp_path / "copy"
    shutil.copytree(encrypted, copy)
    (copy / "patients" / "P009.html").write_text("<p>甘望舒 13900000011</p>", encoding="utf-8")
    data, _ = validate_workbook(read_workbook(workbook), today=date(2025, 7, 1))
    secrets = gate.personal_values(data)
    alone = gate.scan_site(copy, secrets)
    monkeypatch.setattr(gate, "PARALLEL_FROM", 2)
    assert gate.scan_site(copy, secrets) == alone
    assert {leak.kind for leak in alone} == {"未加密的页面", "姓名", "电话"}
