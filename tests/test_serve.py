"""``jingfang serve``: a built site on 127.0.0.1 only."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import urllib.request


from tests.commands import ROOT, run, text


def test_serve_listens_on_loopback_only_and_serves_the_site(built):
    env = dict(os.environ, PYTHONPATH=str(ROOT), PYTHONIOENCODING="utf-8")
    proc = subprocess.Popen([sys.executable, "-m", "generator", "serve", "--out", str(built), "--port", "0"],
                            stderr=subprocess.PIPE, env=env)
    try:
        line = proc.stderr.readline().decode("utf-8")
        host, port = re.search(r"http://([\d.]+):(\d+)/", line).groups()
        assert host == "127.0.0.1"
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/patients/P001.html", timeout=10) as response:
            body = response.read().decode("utf-8")
            assert response.headers["Cache-Control"] == "no-store"
        assert "患者档案 P001" in body
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_serve_without_a_site_says_so(tmp_path):
    result = run("serve", "--out", str(tmp_path / "没有"), "--port", "0")
    assert result.returncode == 1 and "jingfang build" in text(result.stderr)
