#!/usr/bin/env python3
"""Benchmark check and build at township and county scale, against their floors. A script, not a test.

    .venv/bin/python benchmarks/run.py [N ...]          (default: 300 1000 5000 10000)

For each N it generates ``jingfang sample --patients N``, then runs as whole processes: ``check``; ``build``
(encrypted, stage timings); ``build --insecure-no-password`` (the same without encryption, to price it); and an
unchanged second ``build``. Floors: a raw python-calamine read of the same file, and a plain ``mkdocs build`` of
the same generated Markdown without our plugins or hooks. Writes benchmarks/RESULTS.md (and prints it).
Synthetic data only; everything lives in a temp folder that is removed at the end.
"""

from __future__ import annotations

import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "Bench-Only-Pass-2025"  # synthetic data, throwaway site
sys.path.insert(0, str(ROOT))

# run a command, then print its wall time and the peak RSS of it and everything it started
MEASURE = """
import json, resource, subprocess, sys, time
t = time.perf_counter()
p = subprocess.run(sys.argv[1:], capture_output=True, text=True)
print(json.dumps({"code": p.returncode, "wall": time.perf_counter() - t, "err": p.stderr[-3000:], "out": p.stdout[-2000:],
                  "rss_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}))
"""
FLOOR_READ = """
import sys
from python_calamine import CalamineWorkbook
book = CalamineWorkbook.from_path(sys.argv[1])
print(sum(len(book.get_sheet_by_name(n).to_python(skip_empty_area=False)) for n in book.sheet_names))
"""


def measure(*cmd: str, env: dict | None = None) -> dict:
    out = subprocess.run([sys.executable, "-c", MEASURE, *cmd], capture_output=True, text=True,
                         env=dict(os.environ, **(env or {}), NO_MKDOCS_2_WARNING="1"))
    return json.loads(out.stdout)


def jingfang(*args: str) -> list[str]:
    return [sys.executable, "-m", "generator", *args]


def plain_mkdocs_floor(workbook: Path, work: Path) -> dict:
    """mkdocs alone on our generated Markdown: no encryption, no hooks, no fragment bypass."""
    from generator import site
    from generator.build import load
    from generator.pages import NAV, render_pages
    from generator.views import build_view

    data, report, day = load(workbook, None, date.today())
    pages = render_pages(build_view(data, report, day, datetime.now()), workbook.parent)
    docs = work / "docs"
    for rel, text in pages:
        (docs / rel).parent.mkdir(parents=True, exist_ok=True)
        (docs / rel).write_text(text, encoding="utf-8")
    shutil.copytree(site.ASSETS, docs / "assets", dirs_exist_ok=True)
    config = work / "mkdocs.yml"
    config.write_text(f"INHERIT: {site.BASE_CONFIG}\nsite_name: floor\ndocs_dir: {docs}\nsite_dir: {work / 'site'}\n"
                      f"nav: {json.dumps(NAV, ensure_ascii=False)}\n", encoding="utf-8")
    return measure(sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config))


def size_mb(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 1e6


def run(n: int, tmp: Path) -> dict:
    workbook = tmp / f"county-{n}.xlsx"
    gen = measure(*jingfang("sample", str(workbook), "--patients", str(n), "--force"))
    row: dict = {"n": n, "sample_wall": gen["wall"]}
    check = measure(*jingfang("check", str(workbook)))
    row |= {"check_wall": check["wall"], "check_rss": check["rss_mb"]}
    floor_read = measure(sys.executable, "-c", FLOOR_READ, str(workbook))
    row["floor_read"] = floor_read["wall"]
    env = {"JINGFANG_PASSWORD": PASSWORD}
    built = measure(*jingfang("build", str(workbook), "--out", str(tmp / f"site-{n}"), "--timings", "--rebuild"), env=env)
    assert built["code"] == 0, built["err"]
    stages = json.loads(next(line for line in built["err"].splitlines() if line.startswith("{")))
    row |= {"build_wall": built["wall"], "build_rss": built["rss_mb"], "stages": stages,
            "size_mb": size_mb(tmp / f"site-{n}")}
    again = measure(*jingfang("build", str(workbook), "--out", str(tmp / f"site-{n}")), env=env)
    row["rebuild_wall"] = again["wall"]
    plain = measure(*jingfang("build", str(workbook), "--out", str(tmp / f"plain-{n}"), "--timings", "--rebuild",
                              "--insecure-no-password"))
    row["plain_mkdocs"] = json.loads(next(line for line in plain["err"].splitlines() if line.startswith("{")))["mkdocs"]
    floor = plain_mkdocs_floor(workbook, tmp / f"floor-{n}")
    row["floor_mkdocs"] = floor["wall"]
    for folder in tmp.glob(f"*-{n}"):
        shutil.rmtree(folder, ignore_errors=True)
    return row


def machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor()) if Path("/proc/cpuinfo").exists() else platform.processor()
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30 if hasattr(os, "sysconf") else 0
    return f"{os.cpu_count()} cores ({cpu}), {mem:.0f} GiB RAM, {platform.system()} {platform.release()}, Python {platform.python_version()}"


def render(rows: list[dict]) -> str:
    out = [f"# Benchmarks\n\nMeasured {datetime.now():%Y-%m-%d} by `benchmarks/run.py` on {machine()}.\n",
           "Whole processes, wall seconds; RSS = peak resident memory of the process and its children.\n",
           "| patients | check s | check RSS MB | build s | build RSS MB | pages | site MB | unchanged rebuild s |",
           "|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        out.append(f"| {r['n']} | {r['check_wall']:.1f} | {r['check_rss']:.0f} | {r['build_wall']:.1f} | {r['build_rss']:.0f} | "
                   f"{r['stages']['pages']} | {r['size_mb']:.0f} | {r['rebuild_wall']:.1f} |")
    out += ["", "Share of build time per stage (seconds), and each against its floor:", "",
            "| patients | read | validate | rules | render | mkdocs (encrypted) | of which encryption | floor: calamine read | "
            "read ÷ floor | floor: plain mkdocs | mkdocs ÷ floor |",
            "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        s = r["stages"]
        enc = s["mkdocs"] - r["plain_mkdocs"]
        out.append(f"| {r['n']} | {s['read']:.1f} | {s['validate']:.1f} | {s['rules']:.1f} | {s['render']:.1f} | "
                   f"{s['mkdocs']:.1f} | {enc:.1f} | {r['floor_read']:.1f} | {s['read'] / r['floor_read']:.1f} | "
                   f"{r['floor_mkdocs']:.1f} | {s['mkdocs'] / r['floor_mkdocs']:.2f} |")
    return "\n".join(out) + "\n"


def main(argv: list[str]) -> int:
    sizes = [int(a) for a in argv] or [300, 1000, 5000, 10000]
    rows = []
    with tempfile.TemporaryDirectory(prefix="jingfang-bench-") as tmp:
        for n in sizes:
            start = time.perf_counter()
            rows.append(run(n, Path(tmp)))
            print(f"{n} patients measured in {time.perf_counter() - start:.0f} s", file=sys.stderr, flush=True)
    text = render(rows)
    (ROOT / "benchmarks" / "results.json").write_text(json.dumps(rows, indent=2), encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
