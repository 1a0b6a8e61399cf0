#!/usr/bin/env python3
"""Set-up and everyday tasks, the same on Windows and Linux (needs only Python 3.11+).

    python dev.py demo    create .venv if needed, install, build the demo site from the sample workbook
    python dev.py test    create .venv if needed, install, run the whole test suite (extra args go to pytest);
                          on Debian/Ubuntu as root it first installs the system packages the tests use (apt-get),
                          elsewhere it names them and stops before pytest
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
PYTHON = VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
SAMPLE = ROOT / "workbook" / "示例台账.xlsx"
PYTEST_NO_TESTS = 5
# the demo is built as of the sample's own date (its 统计截止日期), so it shows no stale-data warning
DEMO_BUILD = ("build", str(SAMPLE), "--out", str(ROOT / "site"), "--demo")
# what the tests drive for real: Debian's Chromium (never a downloaded browser), CJK fonts for the screenshots and
# printed PDFs, LibreOffice (opens the template as Excel's rivals do; Writer turns the Word documents into PDF), poppler (PDF pages to count and look at)
SYSTEM_PACKAGES = ("chromium", "fonts-noto-cjk", "libreoffice-calc-nogui", "libreoffice-writer-nogui", "poppler-utils")


def ensure_env() -> None:
    """Create .venv and install the project with its test extras, again whenever pyproject.toml changes."""
    if not PYTHON.exists():
        print("正在创建虚拟环境 .venv ……", flush=True)
        venv.create(VENV, with_pip=True)
    stamp = VENV / ".jingfang-installed"
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if not stamp.exists() or stamp.read_text() != digest:
        print("正在安装 jingfang 及其依赖 ……", flush=True)
        subprocess.run([str(PYTHON), "-m", "pip", "install", "-q", "--disable-pip-version-check", "-e", f"{ROOT}[test]"],
                       check=True)
        stamp.write_text(digest)


def demo() -> int:
    """Build the demo site from the sample workbook with a fresh random password, then say where and how to open it."""
    password = subprocess.run([str(PYTHON), "-m", "generator", "build", "--generate-password"], cwd=ROOT,
                              capture_output=True, text=True, check=True).stdout.strip()
    env = dict(os.environ, JINGFANG_PASSWORD=password)
    code = subprocess.run([str(PYTHON), "-m", "generator", *DEMO_BUILD], cwd=ROOT, env=env).returncode
    if code == 0:
        print(f"\n演示网站：{ROOT / 'site' / 'index.html'}（用浏览器直接打开，或运行 .venv/bin/jingfang serve）")
        print(f"演示密码：{password}（每次生成都不同，没有保存在任何地方）")
    return code


def ensure_system_packages() -> bool:
    """Install the system packages the tests use (root on Debian/Ubuntu), or say which to install and stop."""
    if sys.platform != "linux" or not shutil.which("dpkg"):
        print("测试需要在 Debian/Ubuntu 上运行，并需要这些系统软件包：" + "、".join(SYSTEM_PACKAGES)
              + "（Chromium 须在 /usr/bin/chromium）。Windows/macOS 上可以用 WSL 或 Docker 里的 Debian 运行测试。",
              file=sys.stderr)
        return False
    missing = [p for p in SYSTEM_PACKAGES
               if subprocess.run(["dpkg", "-s", p], capture_output=True).returncode != 0]
    if not missing:
        return True
    command = ["apt-get", "install", "-y", "-qq", "--no-install-recommends", *missing]
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        print("测试需要这些系统软件包，请先安装再运行：\n  sudo " + " ".join(command), file=sys.stderr)
        return False
    print("正在安装测试需要的系统软件包：" + " ".join(missing) + " ……", flush=True)
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    for step in (["apt-get", "update", "-qq"], command):
        if subprocess.run(step, env=env, stdout=subprocess.DEVNULL).returncode != 0:
            print("安装系统软件包没有成功（见上面 apt-get 的提示），请检查网络或软件源后手动运行：\n  " + " ".join(command),
                  file=sys.stderr)
            return False
    return True


def test(args: list[str]) -> int:
    if not ensure_system_packages():
        return 1
    code = subprocess.run([str(PYTHON), "-m", "pytest", *args], cwd=ROOT).returncode
    if code == PYTEST_NO_TESTS:
        print("错误：没有收集到任何测试（pytest 退出码 5），不能算通过。", file=sys.stderr)
        return 1
    return code


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in ("demo", "test"):
        print(__doc__)
        return 2
    ensure_env()
    return demo() if argv[0] == "demo" else test(argv[1:])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
