"""The double-click launchers (issue 24, item 9): 生成网站.sh run for real on the sample in a folder whose path has
spaces, a quote and Chinese; a failing workbook keeps the window open and exits non-zero; 生成网站.bat read byte by
byte (code page, quoting, pause on error); launchers jingfang did not make are never replaced; the demo has no
stale-data banner."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from tests.commands import ROOT, assert_no_leaks, run, text
from tests.workbooks import set_cell, valid_sheets, write_sheets

SAMPLE = ROOT / "workbook" / "示例台账.xlsx"
TOWNSHIP_PASSWORD = "Town-Test-Only-7xq4"
PYTHON = os.path.abspath(sys.executable)  # what tests.commands runs jingfang with, so what the launcher bakes in
FAILED_SH = "没有生成网站：请按上面的提示改正（台账或权限文件），保存后再双击运行“生成网站.sh”。"


def launch(script: Path, *, env: dict[str, str] | None = None, stdin=subprocess.DEVNULL,
           ) -> subprocess.CompletedProcess:
    """Run a launcher as a double-click would (sh, from another folder), with jingfang importable from here."""
    environment = dict(os.environ, PYTHONPATH=str(ROOT), **(env or {}))
    environment.pop("JINGFANG_PASSWORD", None)
    return subprocess.run(["sh", str(script)], stdin=stdin, capture_output=True, env=environment, cwd="/",
                          timeout=600)


def fake_opener(tmp_path: Path) -> tuple[Path, Path]:
    """A folder with an xdg-open that only writes down what it was asked to open (no browser in the test)."""
    folder, opened = tmp_path / "bin", tmp_path / "opened.txt"
    folder.mkdir()
    (folder / "xdg-open").write_text(f'#!/bin/sh\nprintf "%s\\n" "$1" >> "{opened}"\n', encoding="utf-8")
    (folder / "xdg-open").chmod(0o755)
    return folder, opened


def test_the_sh_launcher_checks_builds_and_opens_the_sample_in_a_folder_with_spaces_and_chinese(tmp_path):
    folder = tmp_path / "精防 台账 'A' 2026"
    folder.mkdir()
    workbook = folder / "示例台账.xlsx"
    shutil.copyfile(SAMPLE, workbook)
    access = tmp_path / "权限 文件" / "权限.yaml"
    access.parent.mkdir()
    access.write_text(f"乡镇: {TOWNSHIP_PASSWORD}\n", encoding="utf-8")
    made = run("shortcut", str(workbook), "--access", str(access), password=None)
    assert made.returncode == 0, text(made.stderr)
    site = folder / "网站"
    assert text(made.stdout) == (
        f"已生成双击启动文件：{folder / '生成网站.bat'}（Windows）和 生成网站.sh（Linux、macOS）。\n"
        f"双击它：检查台账，无误后生成网站到“{site}”，用权限文件“{access}”，然后打开网站；"
        "有问题时窗口不关，显示要改正的地方。\n")
    script = folder / "生成网站.sh"
    assert script.stat().st_mode & 0o111 == 0o111  # executable by anyone who may read it
    opener, opened = fake_opener(tmp_path)
    result = launch(script, env={"PATH": f"{opener}:{os.environ['PATH']}"})
    out, err = text(result.stdout), text(result.stderr)
    assert result.returncode == 0, out + err
    assert out.startswith("正在检查台账……\n") and "\n正在生成网站……\n" in out
    assert f"网站已生成：{site}（" in out
    assert (site / "index.html").is_file()
    assert_no_leaks(workbook, site)
    # built on the real day, long after the sample's 2026-09-30: the stale banner is there (the demo below has none)
    assert 'class="jf-stale"' in (site / "index.html").read_text(encoding="utf-8")
    for _ in range(50):  # the opener runs in the background, as a double-click leaves the browser running
        if opened.exists():
            break
        time.sleep(0.1)
    assert opened.read_text(encoding="utf-8") == f"{site}/index.html\n"
    again = launch(script, env={"PATH": f"{opener}:{os.environ['PATH']}", "JINGFANG_NO_OPEN": "1"})
    assert again.returncode == 0 and "网站已是最新" in text(again.stdout)
    time.sleep(0.5)
    assert opened.read_text(encoding="utf-8") == f"{site}/index.html\n"  # JINGFANG_NO_OPEN: not opened again


def test_a_failing_workbook_keeps_the_window_open_with_the_message_and_exits_non_zero(tmp_path):
    sheets = valid_sheets()
    set_cell(sheets, "基本设置", 3, "值", "2025年13月40日")
    folder = tmp_path / "精防 台账"
    folder.mkdir()
    workbook = write_sheets(folder / "台账.xlsx", sheets)
    assert run("shortcut", str(workbook), password=None).returncode == 0
    log = tmp_path / "窗口.txt"
    with log.open("wb") as window:
        process = subprocess.Popen(["sh", str(folder / "生成网站.sh")], stdin=subprocess.PIPE, stdout=window,
                                   stderr=subprocess.STDOUT, env=dict(os.environ, PYTHONPATH=str(ROOT),
                                                                      JINGFANG_NO_OPEN="1"), cwd="/")
        for _ in range(600):
            if "按回车键关闭窗口……" in log.read_text(encoding="utf-8"):
                break
            time.sleep(0.1)
        time.sleep(0.3)
        assert process.poll() is None  # still there, waiting for the clerk to read the message
        process.communicate(b"\n", timeout=30)
    assert process.returncode == 1
    shown = log.read_text(encoding="utf-8")
    assert "基本设置 | B4" in shown and "1 个错误" in shown
    assert shown.endswith(f"\n\n{FAILED_SH}\n按回车键关闭窗口……")
    assert "正在生成网站" not in shown and not (folder / "网站").exists()
    unattended = launch(folder / "生成网站.sh", env={"JINGFANG_NO_OPEN": "1"})  # no terminal: returns at once
    assert unattended.returncode == 1 and FAILED_SH in text(unattended.stdout)


def test_the_bat_launcher_is_utf8_with_chcp_first_quotes_every_path_and_pauses_on_error(tmp_path):
    folder = tmp_path / "精防 100% & 台账!"  # % is doubled in a batch file; & and ! are plain inside the quotes
    folder.mkdir()
    workbook = write_sheets(folder / "台账 2026.xlsx", valid_sheets())
    access = tmp_path / "权限.yaml"
    access.write_text(f"乡镇: {TOWNSHIP_PASSWORD}\n", encoding="utf-8")
    assert run("shortcut", str(workbook), "--access", str(access), password=None).returncode == 0
    data = (folder / "生成网站.bat").read_bytes()
    assert data.startswith(b"@chcp 65001 >nul\r\n")  # ASCII, no byte-order mark: read before the code page changes
    assert b"\n" not in data.replace(b"\r\n", b"") and data.endswith(b"\r\n")  # CRLF only
    batch = data.decode("utf-8")
    doubled = str(folder).replace("%", "%%")
    assert batch.split("\r\n") == [
        "@chcp 65001 >nul",
        "@echo off",
        "rem jingfang-launcher：由 jingfang 生成（jingfang shortcut 台账 --force 可重新生成），双击运行：检查台账，生成并打开网站。",
        "setlocal DisableDelayedExpansion",
        f'set "PYTHON={PYTHON}"',
        f'set "WORKBOOK={doubled}/台账 2026.xlsx"',
        f'set "ACCESS={access}"',
        f'set "SITE={doubled}/网站"',
        "title 生成网站",
        "echo 正在检查台账……",
        '"%PYTHON%" -m generator check "%WORKBOOK%" --access "%ACCESS%"',
        "if errorlevel 1 goto failed",
        "echo.",
        "echo 正在生成网站……",
        '"%PYTHON%" -m generator build "%WORKBOOK%" --out "%SITE%" --access "%ACCESS%"',
        "if errorlevel 1 goto failed",
        'if not defined JINGFANG_NO_OPEN start "" "%SITE%\\index.html"',
        "exit /b 0",
        ":failed",
        "echo.",
        "echo 没有生成网站：请按上面的提示改正（台账或权限文件），保存后再双击运行“生成网站.bat”。",
        "pause",
        "exit /b 1",
        "",
    ]


def test_launchers_jingfang_did_not_make_are_never_replaced(tmp_path):
    workbook = write_sheets(tmp_path / "台账.xlsx", valid_sheets())
    own = tmp_path / "生成网站.bat"
    own.write_bytes(b"@echo off\r\nrem my own\r\n")
    for force in ((), ("--force",)):
        refused = run("shortcut", str(workbook), *force, password=None)
        assert refused.returncode == 1
        assert text(refused.stderr) == (f"错误：“{own}”已经存在，不是 jingfang 生成的启动文件，没有覆盖（加了 --force 也不会覆盖）。"
                                        "请把它改名或移走后再运行。\n")
    assert own.read_bytes() == b"@echo off\r\nrem my own\r\n" and not (tmp_path / "生成网站.sh").exists()
    own.unlink()
    assert run("shortcut", str(workbook), password=None).returncode == 0
    assert "--access" not in (tmp_path / "生成网站.sh").read_text(encoding="utf-8")  # the password is asked instead
    again = run("shortcut", str(workbook), password=None)
    assert again.returncode == 1 and text(again.stderr) == (
        f"错误：“{own}”已经存在。要按新的设置重新生成启动文件请加 --force。\n")
    access = tmp_path / "权限.yaml"
    access.write_text(f"乡镇: {TOWNSHIP_PASSWORD}\n", encoding="utf-8")
    assert run("shortcut", str(workbook), "--access", str(access), "--force", password=None).returncode == 0
    assert f"ACCESS='{access}'" in (tmp_path / "生成网站.sh").read_text(encoding="utf-8")
    missing = run("shortcut", str(workbook), "--access", str(tmp_path / "没有.yaml"), "--force", password=None)
    assert missing.returncode == 1 and "不存在" in text(missing.stderr)
    inside = ROOT / "pyproject.toml"  # any file in the project folder: the launcher would fail at every double-click
    refused = run("shortcut", str(workbook), "--access", str(inside), "--force", password=None)
    assert refused.returncode == 1 and text(refused.stderr) == (
        f"错误：权限文件“{inside}”在项目文件夹里，可能被提交到代码仓库，没有生成启动文件。请把它放到项目文件夹之外。\n")


def test_init_writes_the_launchers_beside_the_new_template(tmp_path):
    target = tmp_path / "新 台账" / "标准台账.xlsx"
    made = run("init", str(target), password=None)
    assert made.returncode == 0, text(made.stderr)
    assert target.is_file() and (target.parent / "生成网站.bat").is_file() and (target.parent / "生成网站.sh").is_file()
    (target.parent / "生成网站.sh").write_text("#!/bin/sh\necho mine\n", encoding="utf-8")
    refused = run("init", "--force", str(target), password=None)
    assert refused.returncode == 1 and "不是 jingfang 生成的启动文件" in text(refused.stderr)


def test_the_demo_is_built_as_of_the_samples_own_date_without_a_stale_banner(tmp_path):
    sys.path.insert(0, str(ROOT))
    try:
        import dev
    finally:
        sys.path.remove(str(ROOT))
    out = tmp_path / "site"
    args = [str(out) if arg == str(ROOT / "site") else arg for arg in dev.DEMO_BUILD]
    assert args[:2] == ["build", str(SAMPLE)] and "--demo" in args
    result = run(*args)
    assert result.returncode == 0, text(result.stderr)
    assert "网站已生成" in text(result.stdout) and "数据截至 2026-09-30）" in text(result.stdout)
    assert "已过去" not in text(result.stderr)
    home = (out / "index.html").read_text(encoding="utf-8")
    assert "jf-stale" not in home and "已过去" not in home


def test_a_launcher_told_of_roster_files_builds_with_compare(tmp_path):
    """``shortcut --compare`` bakes build --compare into both launchers, so a clerk who never types a command still
    gets the 信息比对 page; a roster file that is not there is refused before anything is written."""
    from tests.rosters import write_roster_xlsx
    from tests.test_compare import HEADERS, ROWS

    folder = tmp_path / "精防 台账"
    folder.mkdir()
    workbook = folder / "示例台账.xlsx"
    shutil.copyfile(SAMPLE, workbook)
    access = tmp_path / "权限.yaml"
    access.write_text(f"乡镇: {TOWNSHIP_PASSWORD}\n", encoding="utf-8")
    roster = write_roster_xlsx(tmp_path / "公安 名单.xlsx", HEADERS, ROWS, title="公安库导出名单")
    missing = run("shortcut", str(workbook), "--compare", str(tmp_path / "没有.xlsx"), password=None)
    assert missing.returncode == 1 and "比对名单" in text(missing.stderr) and not (folder / "生成网站.sh").exists()
    made = run("shortcut", str(workbook), "--access", str(access), "--compare", f"{roster}=公安库", password=None)
    assert made.returncode == 0, text(made.stderr)
    assert "，与“公安 名单.xlsx”（公安库）比对，然后打开网站" in text(made.stdout)
    batch = (folder / "生成网站.bat").read_bytes().decode("utf-8").split("\r\n")
    assert f'set "COMPARE1={roster}=公安库"' in batch
    assert ('"%PYTHON%" -m generator build "%WORKBOOK%" --out "%SITE%" --access "%ACCESS%" --compare "%COMPARE1%"'
            in batch)
    result = launch(folder / "生成网站.sh", env={"JINGFANG_NO_OPEN": "1"})
    out = text(result.stdout)
    assert result.returncode == 0, out + text(result.stderr)
    assert "与公安库比对：" in out and (folder / "网站" / "compare.html").is_file()
