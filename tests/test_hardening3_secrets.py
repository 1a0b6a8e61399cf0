"""Issue 19, the password, access and state files (findings 1, 8, 9, 10): each attack built for real, with real links,
FIFOs and signals; the build must refuse it in one Chinese sentence, never hang, never print a password."""

from __future__ import annotations

import hashlib
import os
import resource
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from generator.site.freshness import input_digest
from generator.read.inputs import InputRefused
from generator.app.password import PasswordProblem, read_access_file, weakness
from generator.site.statefile import STATE_FILE
from generator.app.strength import hints_for
from tests.browsing import unlock
from tests.commands import PASSWORD, ROOT, text
from tests.workbooks import set_cell, valid_sheets, write_sheets

pytestmark = pytest.mark.skipif(os.name == "nt", reason="POSIX links, FIFOs and signals")

TOWNSHIP = "Town-Test-Only-7xq4"
MEMORY_LIMIT = 3 << 30  # a build needs far less; reading /dev/zero whole would pass it within seconds


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def env(password: str | None = PASSWORD, **more: str) -> dict[str, str]:
    values = dict(os.environ, PYTHONIOENCODING="utf-8", PYTHONPATH=str(ROOT), MALLOC_ARENA_MAX="2", **more)
    values.pop("JINGFANG_PASSWORD", None)
    if password is not None:
        values["JINGFANG_PASSWORD"] = password
    return values


def jingfang(*args: str, password: str | None = PASSWORD, timeout: float = 120) -> subprocess.CompletedProcess:
    """The real CLI, memory-capped, given timeout seconds (a hang fails the test instead of blocking it)."""
    return subprocess.run([sys.executable, "-m", "generator", *args], capture_output=True, env=env(password),
                          cwd=ROOT, timeout=timeout, preexec_fn=_limit_memory)


def output(result: subprocess.CompletedProcess) -> str:
    return text(result.stdout) + text(result.stderr)


def snapshot(site: Path) -> dict[str, str]:
    """Every entry of a site: a file's SHA-256, or what else it is."""
    entries = {}
    for path in sorted(site.rglob("*")):
        rel = path.relative_to(site).as_posix()
        if path.is_symlink():
            entries[rel] = "link:" + os.readlink(path)
        elif path.is_fifo():
            entries[rel] = "fifo"
        elif path.is_file():
            entries[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
    return entries


@pytest.fixture(scope="module")
def workbook(tmp_path_factory) -> Path:
    return write_sheets(tmp_path_factory.mktemp("secrets") / "台账.xlsx", valid_sheets())


@pytest.fixture
def site(workbook, tmp_path) -> Path:
    """A freshly built encrypted site of its own (tests change it)."""
    out = tmp_path / "site"
    result = jingfang("build", str(workbook), "--out", str(out))
    assert result.returncode == 0, text(result.stderr)
    return out


# --- finding 1: the password, access, state and template files are read as regular files only ------------------

def plant(path: Path, kind: str, target: Path) -> Path:
    if kind == "link":
        path.symlink_to(target)
    else:
        os.mkfifo(path)
    return path


@pytest.mark.parametrize("kind", ["link", "fifo"])
@pytest.mark.parametrize("option", ["--password-file", "--access"])
def test_a_linked_or_piped_password_or_access_file_is_refused(workbook, tmp_path, option, kind):
    real = tmp_path / "real.txt"
    real.write_text(f"乡镇: {TOWNSHIP}\n" if option == "--access" else TOWNSHIP + "\n", encoding="utf-8")
    given = plant(tmp_path / "given.txt", kind, real)
    result = jingfang("build", str(workbook), "--out", str(tmp_path / "site"), option, str(given), password=None,
                      timeout=60)
    what = "权限文件" if option == "--access" else "密码文件"
    reason = ("是一个链接（快捷方式），不是文件本身。为安全起见不读取链接，请改用它指向的那个文件。" if kind == "link"
              else "不是普通文件（是设备、管道或套接字），不能读取。")
    assert result.returncode == 1
    assert text(result.stderr) == f"错误：{what}“{given}”{reason}（原来的网站保持不变）\n"
    assert not (tmp_path / "site").exists()


@pytest.mark.parametrize("option", ["--password-file", "--access"])
def test_an_oversized_password_or_access_file_is_refused(workbook, tmp_path, option):
    given = tmp_path / "given.txt"
    given.write_text((f"乡镇: {TOWNSHIP}\n" if option == "--access" else TOWNSHIP + "\n") + "#" * 65536 + "\n",
                     encoding="utf-8")
    result = jingfang("build", str(workbook), "--out", str(tmp_path / "site"), option, str(given), password=None)
    what = "权限文件" if option == "--access" else "密码文件"
    assert result.returncode == 1
    assert text(result.stderr) == (f"错误：{what}“{given}”太大（0.1 MB），最多 64 KB，请确认选对了文件。"
                                   "（原来的网站保持不变）\n")


def test_a_template_linked_to_the_access_file_is_refused(tmp_path):
    """The red team's attack: 协议模板/监护协议.html a link to the access file put the township password in the pages
    a village password opens."""
    folder = tmp_path / "乡镇"
    workbook = write_sheets(folder / "台账.xlsx", valid_sheets())
    access = tmp_path / "权限.yaml"
    access.write_text(f"乡镇: {TOWNSHIP}\n村社区:\n  禾苗村: Village-Test-Only-k9w2\n", encoding="utf-8")
    (folder / "协议模板").mkdir()
    link = plant(folder / "协议模板" / "监护协议.html", "link", access)
    result = jingfang("build", str(workbook), "--out", str(folder / "site"), "--access", str(access), password=None)
    assert result.returncode == 1
    assert text(result.stderr) == (f"错误：协议模板“{link}”是一个链接（快捷方式），不是文件本身。为安全起见不读取链接，"
                                   "请改用它指向的那个文件。（原来的网站保持不变）\n")
    assert not (folder / "site").exists()


@pytest.mark.parametrize("kind", ["link", "fifo"])
def test_the_freshness_digest_reads_no_link_and_no_fifo(tmp_path, kind):
    workbook = write_sheets(tmp_path / "台账.xlsx", valid_sheets())
    (tmp_path / "协议模板").mkdir()
    (tmp_path / "协议模板" / "监护协议.html").write_text("<p>协议</p>", encoding="utf-8")
    secret = tmp_path / "secret.txt"
    secret.write_text("x", encoding="utf-8")
    plant(tmp_path / "协议模板" / "说明.txt", kind, secret)
    with pytest.raises(InputRefused, match="协议模板"):
        input_digest(workbook, workbook, "today:2025-06-30")
    linked_book = plant(tmp_path / "链接.xlsx", "link", workbook)
    with pytest.raises(InputRefused, match="台账"):
        input_digest(linked_book, workbook, "today:2025-06-30")


# --- finding 8: the state file: no hang, no memory blow-up, SIGTERM stops the build, no replay -----------------

@pytest.mark.parametrize("kind", ["fifo", "dev-zero"])
def test_a_fifo_or_dev_zero_as_state_file_neither_hangs_nor_fills_memory(workbook, site, kind):
    state = site / STATE_FILE
    state.unlink()
    plant(state, "fifo", state) if kind == "fifo" else state.symlink_to("/dev/zero")
    result = jingfang("build", str(workbook), "--out", str(site), "--rebuild", timeout=120)
    assert result.returncode == 0, text(result.stderr)
    reason = ("不是普通文件（是设备、管道或套接字），不能读取" if kind == "fifo"
              else "是一个链接（快捷方式），不是文件本身。为安全起见不读取链接，请改用它指向的那个文件")
    assert f"注意：上次的状态文件“{state}”{reason}。这次的“变化”页不与上次比较。" in text(result.stderr).splitlines()
    assert state.is_file() and not state.is_symlink() and state.stat().st_size < 4096


def test_sigterm_stops_a_build_stuck_on_its_state_file(workbook, site, tmp_path):
    """Before, the thread reading a FIFO state file was not a daemon: after SIGTERM the build cleaned up, then hung."""
    state = site / STATE_FILE
    state.unlink()
    os.mkfifo(state)
    before = snapshot(site)
    temp = tmp_path / "tmp"
    temp.mkdir()
    args = [sys.executable, "-m", "generator", "build", str(workbook), "--out", str(site), "--rebuild"]
    child = subprocess.Popen(args, env=env(TMPDIR=str(temp)), cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             preexec_fn=_limit_memory)
    try:
        deadline = time.monotonic() + 30
        while not list(temp.glob("jingfang-*/part0/docs/patients")) and time.monotonic() < deadline:
            time.sleep(0.01)
        assert list(temp.glob("jingfang-*")), "the build never staged its pages"
        child.send_signal(signal.SIGTERM)
        _, err = child.communicate(timeout=20)
    finally:
        if child.poll() is None:
            child.kill()
            child.communicate()
    assert child.returncode == 130, err.decode("utf-8")
    assert "已中断：没有生成网站，临时文件已清除，原来的网站保持不变。" in err.decode("utf-8")
    assert list(temp.iterdir()) == []
    assert snapshot(site) == before


def test_background_work_never_keeps_a_stopped_process_alive():
    started = time.monotonic()
    subprocess.run([sys.executable, "-c", "import time\nfrom generator.site.background import in_background\n"
                    "in_background([(time.sleep, (600,))])\nraise SystemExit(0)"],
                   env=env(), cwd=ROOT, timeout=30, check=True)
    assert time.monotonic() - started < 10


def test_an_older_state_file_of_the_same_site_is_not_accepted(tmp_path, page):
    """Replay: a copy of an earlier build's state file (sealed with the same password) put back into the site."""
    first = write_sheets(tmp_path / "before" / "台账.xlsx", valid_sheets())
    out = tmp_path / "site"
    assert jingfang("build", str(first), "--out", str(out)).returncode == 0
    older = (out / STATE_FILE).read_bytes()
    sheets = valid_sheets()
    set_cell(sheets, "患者", 2, "在管状态", "外出务工")
    second = write_sheets(tmp_path / "台账.xlsx", sheets)
    assert jingfang("build", str(second), "--out", str(out)).returncode == 0
    (out / STATE_FILE).write_bytes(older)
    result = jingfang("build", str(second), "--out", str(out), "--rebuild")
    assert result.returncode == 0, text(result.stderr)
    assert (f"注意：上次的状态文件“{out / STATE_FILE}”不是这个网站上次生成时写下的（可能是从别处或旧的备份复制来的），"
            "没有使用。这次的“变化”页不与上次比较。") in text(result.stderr).splitlines()
    page.goto((out / "changes.html").as_uri())
    unlock(page, PASSWORD)
    shown = [line for line in page.locator("article").inner_text().splitlines() if line.strip()]
    assert shown[:2] == ["变化", "无法比较（首次生成或密码已更换）。"]
    # the state this build wrote is bound to it: the next build compares with it again
    result = jingfang("build", str(second), "--out", str(out), "--rebuild")
    assert result.returncode == 0 and "注意：上次的状态文件" not in text(result.stderr)


# --- finding 9: a password file that is not UTF-8 ----------------------------------------------------------------

def test_a_gbk_password_file_gets_a_chinese_error_and_nothing_of_the_password(workbook, tmp_path):
    password = "鑫淼犇骉焱垚赑毳皛麤猋羴"  # characters no message of ours uses
    given = tmp_path / "密码.txt"
    given.write_bytes(password.encode("gbk") + b"\r\n")
    result = jingfang("build", str(workbook), "--out", str(tmp_path / "site"), "--password-file", str(given),
                      password=None)
    assert result.returncode == 1
    assert text(result.stderr) == (f"错误：密码文件“{given}”不是 UTF-8 编码：请用记事本打开它，“另存为”时把编码选为"
                                   "“UTF-8”，保存后再试。（原来的网站保持不变）\n")
    shown = output(result).replace(str(given), "")  # the temporary path may hold any two hex digits
    assert not any(char in shown for char in password)
    for byte in password.encode("gbk"):
        assert f"{byte:02x}" not in shown.lower() and f"\\x{byte:02x}" not in shown.lower()


# --- finding 10: the access file is plain YAML text, and passwords from the field's words are refused ------------

def access_file(tmp_path: Path, content: str) -> Path:
    path = tmp_path / "权限.yaml"
    path.write_text(content, encoding="utf-8")
    return path


REFUSED = {
    "duplicate-township": (f"乡镇: {TOWNSHIP}\n乡镇: Other-Test-Only-3mf8\n", "第 2 行：“乡镇”写了两次。"),
    "duplicate-village": ("乡镇: Town-Test-Only-7xq4\n村社区:\n  禾苗村: Village-Test-Only-k9w2\n"
                          "  禾苗村: Village-Test-Only-z3p5\n", "第 4 行：“禾苗村”写了两次。"),
    "list": ("乡镇: [Town-Test-Only-7xq4, x]\n", "第 1 行：乡镇的密码应是一段文字，不能是列表或“名称: 值”的组合。"),
    "mapping": ("乡镇: {a: Town-Test-Only-7xq4}\n", "第 1 行：乡镇的密码应是一段文字，不能是列表或“名称: 值”的组合。"),
    "number": ("乡镇: 0x9F3AC2E41BD57E6A08C1D3\n",
               "第 1 行：乡镇的密码会被读成数字、日期或是/否，而不是原样的文字：请在密码两边加上英文引号 \"\"。"),
    "village-list": ("乡镇: Town-Test-Only-7xq4\n村社区:\n  禾苗村:\n    - Village-Test-Only-k9w2\n",
                     "第 4 行：“禾苗村”的密码应是一段文字，不能是列表或“名称: 值”的组合。"),
    "anchor": ("乡镇: &t Town-Test-Only-7xq4\n村社区:\n  禾苗村: *t\n",
               "第 1 行：不能用 YAML 的锚点（&）和引用（*），请把每个密码写出来。"),
    "laughs": ("a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
               "乡镇: [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n",
               "第 1 行：不能用 YAML 的锚点（&）和引用（*），请把每个密码写出来。"),
    "tag": ("乡镇: !!binary VG93bi1UZXN0LU9ubHktN3hxNA==\n", "第 1 行：不能用 YAML 的类型标记（!!），请直接写密码。"),
    "nul": ('乡镇: "Town-Test-Only-7xq4\\0"\n', "第 1 行：乡镇的密码里有控制字符或看不见的字符，请重新输入这个密码。"),
    "escape": ('乡镇: "Town\\x1bTest-Only-7xq4"\n', "第 1 行：乡镇的密码里有控制字符或看不见的字符，请重新输入这个密码。"),
    "zero-width": ('乡镇: "Town\\u200bTest-Only-7xq4"\n', "第 1 行：乡镇的密码里有控制字符或看不见的字符，请重新输入这个密码。"),
    "too-long": (f"乡镇: {'Qz7-' * 65}\n", "第 1 行：乡镇的密码太长（260 个字符），最多 256 个。"),
    "unknown-key": (f"乡镇: {TOWNSHIP}\n村社: {{禾苗村: Village-Test-Only-k9w2}}\n",
                    "第 2 行：不认识“村社”：只能写 乡镇、村社区、部门。"),
}


@pytest.mark.parametrize("case", sorted(REFUSED))
def test_the_access_file_refuses_what_is_not_a_plain_password(tmp_path, case):
    content, reason = REFUSED[case]
    path = access_file(tmp_path, content)
    with pytest.raises(PasswordProblem) as refused:
        read_access_file(path)
    assert str(refused.value) == f"权限文件“{path}”{reason}"


def test_a_yaml_syntax_error_names_the_line_but_shows_none_of_it(tmp_path):
    path = access_file(tmp_path, f"乡镇: {TOWNSHIP}\n村社区:\n  禾苗村: Village:Test:Only: k9w2\n")
    with pytest.raises(PasswordProblem) as refused:
        read_access_file(path)
    message = str(refused.value)
    assert message == (f"权限文件“{path}”格式不对（第 3 行附近）：请检查冒号、缩进和引号（密码里有 # 或冒号时，"
                       "在密码两边加上英文引号）。")
    assert "Village" not in message and "k9w2" not in message and TOWNSHIP not in message


def test_a_plain_access_file_still_reads(tmp_path):
    path = access_file(tmp_path, f"# 权限\n乡镇: {TOWNSHIP}\n村社区:\n  禾苗村: 'Village-Test-Only-k9w2'\n"
                                 "部门:\n  派出所: \"Police-Test-Only-r5t8\"\n")
    access = read_access_file(path)
    assert (access.township, access.villages, access.departments) == (
        TOWNSHIP, {"禾苗村": "Village-Test-Only-k9w2"}, {"police": "Police-Test-Only-r5t8"})


@pytest.mark.parametrize("password", ["pinganban2026!", "zongzhiban2026", "yanzhongjingshenzhangai",
                                      "Jingshenzhangai-2026", "weishengyuan#paichusuo", "minzhengban@2026",
                                      "PingAnBan@2026", "canlianminzhengban", "guanaibangfu2026!",
                                      "suifangtaizhang2026"])
def test_passwords_from_the_fields_own_words_are_refused(password):
    reason = weakness(password, hints_for())
    assert reason is not None and "精防工作的常用词" in reason, reason


def test_random_passphrases_and_unrelated_phrases_still_pass():
    assert weakness("tqk7-mz4p-x9rw-c2hv-8nbd", hints_for()) is None
    assert weakness("Gx7#vLq2!Rm9wZ", hints_for()) is None
