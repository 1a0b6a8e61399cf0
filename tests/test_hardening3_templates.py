"""Issue 19, templates and serve: a template is read only as a regular file of its own, a Word template loses its
outbound references, a hostile template fails fast, `documents --templates` never writes through a link, and `serve`
closes a connection that sends nothing."""

from __future__ import annotations

import io
import os
import re
import resource
import socket
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from docx import Document

from generator.present.word_templates import FOLDER
from tests.commands import PASSWORD, ROOT, run, text
from tests.workbooks import every_list_sheets, valid_sheets, write_sheets

MARKER = "SECRET-MARKER-19-township-password"
HTML_LIMIT_SECONDS = 120  # a build that hangs on a template fails the test instead of the suite


def secret_file(folder: Path) -> Path:
    """A file the templates must never read (stands for the access file)."""
    secret = folder / "elsewhere" / "口令.yaml"
    secret.parent.mkdir()
    secret.write_text(f"乡镇: {MARKER}\n", encoding="utf-8")
    return secret


def bounded_run(*args: str, cwd: Path | None = None, timeout: float = HTML_LIMIT_SECONDS) -> subprocess.CompletedProcess:
    """``jingfang`` with a time limit and 2 GB of address space, so a hostile template cannot take the machine."""
    env = dict(os.environ, PYTHONIOENCODING="utf-8", PYTHONPATH=str(ROOT), JINGFANG_PASSWORD=PASSWORD)

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))

    return subprocess.run([sys.executable, "-m", "generator", *args], capture_output=True, env=env, cwd=cwd or ROOT,
                          timeout=timeout, preexec_fn=limit)


def files_holding(folder: Path, needle: bytes, skip: Path) -> list[Path]:
    """Every regular file under folder (not under skip) whose bytes hold needle, .docx parts unpacked."""
    found = []
    for path in folder.rglob("*"):
        if path.is_symlink() or not path.is_file() or skip in path.parents:
            continue
        data = path.read_bytes()
        if data.startswith(b"PK"):
            with zipfile.ZipFile(path) as z:
                data = b"".join(z.read(n) for n in z.namelist())
        if needle in data:
            found.append(path)
    return found


# --- finding 1: a template is a regular file of its own, read through generator.read.inputs --------------------------------

def test_a_linked_html_template_is_refused_and_the_previous_site_stays(tmp_path):
    workbook = write_sheets(tmp_path / "台账.xlsx", valid_sheets())
    site = tmp_path / "site"
    first = run("build", str(workbook), "--out", str(site))
    assert first.returncode == 0, text(first.stderr)
    before = {p: p.read_bytes() for p in site.rglob("*") if p.is_file()}
    own = tmp_path / "协议模板"
    own.mkdir()
    (own / "监护协议.html").symlink_to(secret_file(tmp_path))
    result = run("build", str(workbook), "--out", str(site))
    assert result.returncode == 1
    assert text(result.stderr).splitlines()[-1] == (
        f"错误：协议模板“{own / '监护协议.html'}”是一个链接（快捷方式），不是文件本身。为安全起见不读取链接，请改用它指向的那个文件。"
        "（原来的网站保持不变）")
    assert "使用自定义文书模板" not in text(result.stderr)
    assert {p: p.read_bytes() for p in site.rglob("*") if p.is_file()} == before
    assert MARKER not in text(result.stdout) + text(result.stderr)
    assert files_holding(tmp_path, MARKER.encode(), skip=tmp_path / "elsewhere") == []


@pytest.mark.parametrize("kind", ["dangling link", "fifo"])
def test_a_template_that_is_not_a_regular_file_is_refused_without_hanging(tmp_path, kind):
    workbook = write_sheets(tmp_path / "台账.xlsx", valid_sheets())
    own = tmp_path / "协议模板"
    own.mkdir()
    template = own / "免费服药告知书.html"
    if kind == "fifo":
        os.mkfifo(template)
        message = f"协议模板“{template}”不是普通文件（是设备、管道或套接字），不能读取。"
    else:
        template.symlink_to(tmp_path / "nowhere.html")
        message = f"协议模板“{template}”是一个链接（快捷方式），不是文件本身。为安全起见不读取链接，请改用它指向的那个文件。"
    result = bounded_run("build", str(workbook), "--out", str(tmp_path / "site"), timeout=60)
    assert result.returncode == 1
    assert text(result.stderr).splitlines()[-1] == f"错误：{message}（原来的网站保持不变）"
    assert not (tmp_path / "site").exists()


def test_a_linked_word_template_is_refused_and_nothing_is_written(tmp_path):
    book = write_sheets(tmp_path / "台账.xlsx", every_list_sheets())
    target = secret_file(tmp_path).with_name("监护协议.docx")
    doc = Document()
    doc.add_paragraph(f"{{{{ patient.name }}}} {MARKER}")
    doc.save(str(target))
    own = tmp_path / "协议模板"
    own.mkdir()
    (own / "监护协议.docx").symlink_to(target)
    result = run("documents", str(book), "--out", str(tmp_path / "文书"), "--all")
    assert result.returncode == 1
    assert text(result.stderr) == (
        f"错误：Word 模板“{own / '监护协议.docx'}”是一个链接（快捷方式），不是文件本身。为安全起见不读取链接，请改用它指向的那个文件。"
        "（没有生成 Word 文件）\n")
    assert not (tmp_path / "文书").exists()
    assert files_holding(tmp_path, MARKER.encode(), skip=tmp_path / "elsewhere") == []


# --- finding 6: a Word template's outbound references are stripped when it is loaded ---------------------------------

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
R = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
REL_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
FIELDS = (
    # a simple field whose result is kept as text
    '<w:p><w:fldSimple w:instr=" INCLUDEPICTURE &quot;http://track.invalid/a.png&quot; \\d "><w:r><w:t>图一</w:t></w:r>'
    "</w:fldSimple></w:p>"
    '<w:p><w:fldSimple w:instr="INCLUDETEXT &quot;\\\\\\\\share.invalid\\\\x.docx&quot;"><w:r><w:t>摘录</w:t></w:r>'
    "</w:fldSimple></w:p>"
    # complex fields: begin, code, separate, result, end (the code split over two runs, as Word writes it)
    '<w:p><w:r><w:t xml:space="preserve">见 </w:t></w:r><w:r><w:fldChar w:fldCharType="begin"/></w:r>'
    '<w:r><w:instrText xml:space="preserve"> HYPER</w:instrText></w:r>'
    '<w:r><w:instrText xml:space="preserve">LINK "http://track.invalid/link" </w:instrText></w:r>'
    '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>链接文字</w:t></w:r>'
    '<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>'
    '<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r>'
    '<w:r><w:instrText xml:space="preserve"> DDEAUTO c:\\\\windows\\\\system32\\\\cmd.exe "/k calc.exe" </w:instrText></w:r>'
    '<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>'
    '<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r>'
    '<w:r><w:instrText xml:space="preserve"> DDE Excel "track.invalid" "R1C1" </w:instrText></w:r>'
    '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>表格值</w:t></w:r>'
    '<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>'
    # a field we keep (a page number reaches nothing)
    '<w:p><w:fldSimple w:instr=" PAGE "><w:r><w:t>1</w:t></w:r></w:fldSimple></w:p>'
    # a hyperlink element through an external relationship
    '<w:p><w:hyperlink r:id="rIdOut1"><w:r><w:t>外链</w:t></w:r></w:hyperlink></w:p>'
)
FIELD_CODE = rb'(?:w:instr="|<w:instrText[^>]*>)\s*(INCLUDEPICTURE|INCLUDETEXT|HYPERLINK|DDEAUTO|DDE)\b'
OUTBOUND = re.compile(FIELD_CODE + rb'|<w:hyperlink\b|TargetMode="External"|attachedTemplate|track\.invalid|'
                      rb"share\.invalid|cmd\.exe|rIdOut", re.IGNORECASE)


def outbound_template(path: Path) -> None:
    """A Word template with every kind of outbound reference, and a placeholder."""
    doc = Document()
    doc.add_paragraph("本镇监护协议：{{ patient.name }}")
    buffer = io.BytesIO()
    doc.save(buffer)
    out = io.BytesIO()
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        names = source.namelist()
        for name in names:
            if not name.endswith((".xml", ".rels")):
                target.writestr(name, source.read(name))
                continue
            data = source.read(name).decode("utf-8")
            if name == "word/document.xml":
                data = data.replace("<w:sectPr", FIELDS + "<w:sectPr", 1)
            elif name == "word/_rels/document.xml.rels":
                data = data.replace("</Relationships>", f'<Relationship Id="rIdOut1" Type="{REL_TYPE}/hyperlink" '
                                    'Target="http://track.invalid/rel" TargetMode="External"/></Relationships>')
            elif name == "_rels/.rels":
                data = data.replace("</Relationships>", f'<Relationship Id="rIdOut2" Type="{REL_TYPE}/hyperlink" '
                                    'Target="http://track.invalid/package" TargetMode="External"/></Relationships>')
            elif name == "word/settings.xml":
                data = re.sub(r"(<w:settings\b[^>]*>)", r'\1<w:attachedTemplate r:id="rIdOut3"/>', data, count=1)
                if "xmlns:r=" not in data.split(">", 2)[1]:
                    data = data.replace("<w:settings ", f"<w:settings {R} ", 1)
            target.writestr(name, data)
        target.writestr("word/_rels/settings.xml.rels",
                        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                        f'<Relationship Id="rIdOut3" Type="{REL_TYPE}/attachedTemplate" '
                        'Target="http://track.invalid/template.dotm" TargetMode="External"/></Relationships>')
    path.write_bytes(out.getvalue())


def test_outbound_references_in_a_word_template_are_stripped(tmp_path):
    book = write_sheets(tmp_path / "台账.xlsx", every_list_sheets())
    own = tmp_path / "协议模板"
    own.mkdir()
    outbound_template(own / "监护协议.docx")
    with zipfile.ZipFile(own / "监护协议.docx") as z:  # the template really holds each of them
        found = {(m.group(1) or m.group(0)).lower() for n in z.namelist() for m in OUTBOUND.finditer(z.read(n))}
    assert {b"includepicture", b"includetext", b"track.invalid", b"ddeauto", b"dde", b"<w:hyperlink",
            b'targetmode="external"', b"attachedtemplate"} <= found
    result = run("documents", str(book), "--out", str(tmp_path / "文书"), "--kind", "监护协议", "--village", "禾苗村", "--all")
    assert result.returncode == 0, text(result.stderr)
    with zipfile.ZipFile(tmp_path / "文书" / "禾苗村-监护协议.docx") as z:
        parts = {n: z.read(n) for n in z.namelist()}
    assert {n: OUTBOUND.findall(data) for n, data in parts.items() if OUTBOUND.search(data)} == {}
    document = Document(str(tmp_path / "文书" / "禾苗村-监护协议.docx"))
    lines = [p.text for p in document.paragraphs]
    assert lines[:9] == ["本镇监护协议：甘望舒", "图一", "摘录", "见 链接文字", "", "表格值", "", "外链", "本镇监护协议：柏清和"]
    assert b'w:instr=" PAGE "' in parts["word/document.xml"]  # fields that reach nothing stay fields


# --- finding 11: a hostile template fails fast; --templates never writes through a link ---------------------------------

TOO_LONG = "生成的文字超过上限（多半是写错的循环或重复），请改小或删去模板里的循环和重复"
HOSTILE = {
    "nested range": ("{% for i in range(10000) %}{% for j in range(10000) %}{% for k in range(10000) %}{% endfor %}"
                     "{% endfor %}{% endfor %}",
                     "循环和调用超过 1000000 次（多半是写错的循环，如 range 里再套 range），请改小或删去模板里的循环"),
    "one range reused": ("{% set r = range(10000) %}{% for i in r %}{% for j in r %}{% endfor %}{% endfor %}",
                         "循环和调用超过 1000000 次（多半是写错的循环，如 range 里再套 range），请改小或删去模板里的循环"),
    "a huge range": ("{% for i in range(100000000) %}{% endfor %}", "range() 最多 10000 个数，请改小模板里的 range"),
    "recursive macro": ("{% macro f(n) %}{{ f(n) }}{{ f(n) }}{% endmacro %}{{ f(1) }}",
                        "宏或循环套用自己的层数太多，请检查模板里的宏和 recursive 循环"),
    "string times a number": ("{{ 'x' * 1000000000 }}", TOO_LONG),
    "doubling with ~": ("{% set ns = namespace(s='xxxxxxxx') %}{% for i in range(40) %}{% set ns.s = ns.s ~ ns.s %}"
                        "{% endfor %}{{ ns.s }}", TOO_LONG),
    "doubling in a block": ("{% set ns = namespace(s='xxxxxxxx') %}{% for i in range(40) %}{% set ns.s %}{{ ns.s }}"
                            "{{ ns.s }}{% endset %}{% endfor %}{{ ns.s }}", TOO_LONG),
    "a wide pad": ("{{ 'x'|center(1000000000) }}", TOO_LONG),
    "a wide format": ("{{ '%1000000000s'|format('x') }}", TOO_LONG),
    "a join of a big separator": ("{% set ns = namespace(s='x') %}{% for i in range(20) %}{% set ns.s = ns.s + ns.s %}"
                                  "{% endfor %}{{ ns.s.join(range(10000)) }}", TOO_LONG),
    "a huge power": ("{{ 10 ** 100000000 }}", "算出的数太大，请检查模板里的算式"),
}


@pytest.mark.parametrize("name", list(HOSTILE))
def test_a_hostile_html_template_fails_fast_naming_the_file(tmp_path, name):
    source, reason = HOSTILE[name]
    workbook = write_sheets(tmp_path / "台账.xlsx", valid_sheets())
    (tmp_path / "协议模板").mkdir()
    (tmp_path / "协议模板" / "监护协议.html").write_text(f"<p>{{{{ patient.name }}}}</p>{source}", encoding="utf-8")
    started = time.monotonic()
    result = bounded_run("build", str(workbook), "--out", str(tmp_path / "site"))
    assert result.returncode == 1, text(result.stderr)
    assert text(result.stderr).splitlines()[-1] == (
        f"错误：协议模板“监护协议.html”有问题：{reason}。可用的占位符见网站的“文书模板说明”页。（原来的网站保持不变）")
    assert time.monotonic() - started < 60
    assert not (tmp_path / "site").exists()


def test_a_hostile_word_template_fails_fast_naming_the_file(tmp_path):
    book = write_sheets(tmp_path / "台账.xlsx", every_list_sheets())
    (tmp_path / "协议模板").mkdir()
    doc = Document()
    doc.add_paragraph("{{ patient.name }}" + HOSTILE["nested range"][0])
    doc.save(str(tmp_path / "协议模板" / "监护协议.docx"))
    result = bounded_run("documents", str(book), "--out", str(tmp_path / "文书"), "--all", timeout=60)
    assert result.returncode == 1
    assert text(result.stderr) == (
        f"错误：Word 模板“协议模板/监护协议.docx”有问题：{HOSTILE['nested range'][1]}。可用的占位符见网站的“文书模板说明”页。"
        "（没有生成 Word 文件）\n")
    assert not (tmp_path / "文书").exists()


def test_copying_the_word_templates_never_writes_through_a_link(tmp_path):
    book = write_sheets(tmp_path / "台账.xlsx", every_list_sheets())
    own = tmp_path / "协议模板"
    own.mkdir()
    target = tmp_path / "elsewhere" / "planted.docx"
    target.parent.mkdir()
    (own / "监护协议.docx").symlink_to(target)  # dangling: following it would create target
    (own / "以奖代补协议.docx").symlink_to(FOLDER / "以奖代补协议.docx")
    result = run("documents", str(book), "--templates")
    assert result.returncode == 0, text(result.stderr)
    assert text(result.stdout) == (
        f"默认的 Word 模板已复制到“{own}”：\n"
        "  协议模板/监护协议.docx（是一个链接，没有写入）\n  协议模板/以奖代补协议.docx（是一个链接，没有写入）\n"
        "  协议模板/免费服药告知书.docx\n  协议模板/高风险患者联合随访记录单.docx\n  协议模板/成立关爱帮扶小组的通知.docx\n"
        "  协议模板/敏感时期点名表.docx\n  协议模板/月度信息交换通报.docx\n"
        "用 Word 或 WPS 修改后保存（仍为 .docx，文件名不变），再运行 jingfang documents 即可使用。\n")
    assert not os.path.lexists(target)
    assert (own / "监护协议.docx").is_symlink() and (own / "以奖代补协议.docx").is_symlink()


def test_copying_the_word_templates_refuses_a_linked_folder(tmp_path):
    book = write_sheets(tmp_path / "台账.xlsx", every_list_sheets())
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (tmp_path / "协议模板").symlink_to(elsewhere, target_is_directory=True)
    result = run("documents", str(book), "--templates")
    assert result.returncode == 1
    assert text(result.stderr) == (
        f"错误：“{tmp_path / '协议模板'}”是一个链接（快捷方式），不是文件夹本身，没有复制模板。请删去它，再运行一次。\n")
    assert list(elsewhere.iterdir()) == []


# --- finding 11: serve closes a connection that sends nothing ---------------------------------------------------------

def test_serve_closes_a_connection_that_sends_nothing(tmp_path):
    from generator.site.serve import REQUEST_TIMEOUT

    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("<p>首页</p>", encoding="utf-8")
    env = dict(os.environ, PYTHONPATH=str(ROOT), PYTHONIOENCODING="utf-8")
    proc = subprocess.Popen([sys.executable, "-m", "generator", "serve", "--out", str(site), "--port", "0"],
                            stderr=subprocess.PIPE, env=env)
    try:
        port = int(re.search(r"http://127\.0\.0\.1:(\d+)/", proc.stderr.readline().decode("utf-8")).group(1))
        silent = [socket.create_connection(("127.0.0.1", port)) for _ in range(3)]
        started = time.monotonic()
        for sock in silent:
            sock.settimeout(REQUEST_TIMEOUT + 10)
            assert sock.recv(1) == b""  # closed by the server, not by our own timeout (that would raise)
        assert REQUEST_TIMEOUT - 1 <= time.monotonic() - started <= REQUEST_TIMEOUT + 5
        with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:  # and it still serves
            sock.sendall(f"GET / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n".encode())
            assert sock.recv(12) == b"HTTP/1.0 200"
        for sock in silent:
            sock.close()
    finally:
        proc.terminate()
        proc.wait(timeout=10)
