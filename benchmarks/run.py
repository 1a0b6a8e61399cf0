#!/usr/bin/env python3
"""Benchmark check and build at township and county scale, against their floors. A script, not a test.

    .venv/bin/python benchmarks/run.py [N ...]          (default: 300 1000 5000 10000)
    .venv/bin/python benchmarks/run.py --render         (re-write RESULTS.md from results.json and NOTES.md)
    .venv/bin/python benchmarks/run.py --roster         (reading a 10,000-row roster file: benchmarks/roster.py)

For each N it generates ``jingfang sample --patients N``, then runs as whole processes: ``check``; ``build``
(encrypted, stage timings); an unchanged second ``build``; and ``build --insecure-no-password`` (the same without
encryption, to price it). Floors: a raw python-calamine read of the same file, and a plain ``mkdocs build`` of the
same generated Markdown without our plugins or hooks. Writes benchmarks/results.json and RESULTS.md (the tables,
then the hand-written benchmarks/NOTES.md).

Memory is the peak of the summed resident memory of the command and every process it started (the mkdocs shards
run at the same time), sampled every 0.1 s from /proc: Linux only. Synthetic data only; everything lives in a temp
folder that is removed at the end.
"""

from __future__ import annotations

import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "Bench-Only-Pass-2025"  # synthetic data, throwaway site
SAMPLE_EVERY = 0.1  # seconds between memory samples
SETTLE = 5.0  # seconds of quiet before each measured run (see measure)
# Runs per measurement, the fastest kept (as timeit does): this machine is a shared VM whose speed drifts by up to
# ±30 % from minute to minute; the small sizes are cheap to repeat.
REPEAT = {300: 3, 1000: 3}
sys.path.insert(0, str(ROOT))

FLOOR_READ = """
import sys
from python_calamine import CalamineWorkbook
book = CalamineWorkbook.from_path(sys.argv[1])
print(sum(len(book.get_sheet_by_name(n).to_python(skip_empty_area=False)) for n in book.sheet_names))
"""

# (target, measured value in the row, limit, unit)
TARGETS = [
    ("`build`, 300 patients", 300, "build_wall", 5.0, "s"),
    ("`build`, 5,000 patients", 5000, "build_wall", 60.0, "s"),
    ("`check`, 5,000 patients", 5000, "check_wall", 10.0, "s"),
    ("peak memory of `build`, 10,000 patients", 10000, "build_mb", 1024.0, "MB"),
    ("peak memory of `check`, 10,000 patients", 10000, "check_mb", 1024.0, "MB"),
]
REBUILD_LIMIT = 2.0


def child_env(extra: dict | None) -> dict:
    """The environment of a measured command. Python keeps its bytecode cache (__pycache__, git-ignored) as it does
    on a user's machine: a sandbox's PYTHONDONTWRITEBYTECODE would make every run recompile jingfang's own modules
    (about 0.1 s per process)."""
    env = dict(os.environ, **(extra or {}), NO_MKDOCS_2_WARNING="1")
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def tree_rss_kb(root: int) -> int:
    """Resident memory of root and all its descendants, in KiB."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    ppid = int(f.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry))
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        todo += children.get(pid, [])
        try:
            with open(f"/proc/{pid}/status") as f:
                total += next((int(line.split()[1]) for line in f if line.startswith("VmRSS:")), 0)
        except OSError:
            continue
    return total


def measure(*cmd: str, env: dict | None = None) -> dict:
    """Run cmd; return its exit code, wall seconds, peak summed memory (MB), stdout and stderr.

    Before each run the disk is synced and left quiet for a few seconds: this machine's ext4 is mounted with
    ``discard``, and creating files soon after deleting many (the previous run's site) is several times slower.
    """
    os.sync()
    time.sleep(SETTLE)
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        child = subprocess.Popen(cmd, stdout=out, stderr=err, env=child_env(env))
        peak = 0
        while child.poll() is None:
            peak = max(peak, tree_rss_kb(child.pid))
            time.sleep(SAMPLE_EVERY)
        wall = time.perf_counter() - start
        out.seek(0)
        err.seek(0)
        return {"code": child.returncode, "wall": wall, "mb": peak / 1024,
                "out": out.read().decode("utf-8", "replace"), "err": err.read().decode("utf-8", "replace")}


def fastest(n: int, *cmd: str, env: dict | None = None) -> dict:
    """The fastest of REPEAT[n] runs of cmd, with the highest memory peak seen in any of them."""
    runs = [measure(*cmd, env=env) for _ in range(REPEAT.get(n, 1))]
    best = min(runs, key=lambda r: r["wall"])
    return best | {"mb": max(r["mb"] for r in runs), "runs": len(runs)}


def jingfang(*args: str) -> list[str]:
    return [sys.executable, "-m", "generator", *args]


def stage_timings(result: dict) -> dict:
    assert result["code"] == 0, result["err"][-3000:]
    return json.loads(next(line for line in result["err"].splitlines() if line.startswith("{")))


def plain_mkdocs_floor(workbook: Path, work: Path) -> dict:
    """mkdocs alone on our generated Markdown: no encryption, no hooks, no fragment bypass, one process."""
    from generator.site import mkdocs_processes as site
    from generator.app.build import load
    from generator.present.pages import NAV, render_pages
    from generator.present.views import build_view

    data, report, day = load(workbook, None, date.today())
    docs = work / "docs"
    for rel, item in render_pages(build_view(data, report, day, datetime.now()), workbook.parent):
        (docs / rel).parent.mkdir(parents=True, exist_ok=True)
        (docs / rel).write_text(item.markdown(), encoding="utf-8")
    del data, report
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
    followups = re.search(r"随访记录 (\d+) 行", gen["out"] + gen["err"])
    row: dict = {"n": n, "followups": int(followups.group(1)) if followups else None, "xlsx_mb": workbook.stat().st_size / 1e6}
    check = fastest(n, *jingfang("check", str(workbook)))
    assert check["code"] == 0, check["err"][-3000:]
    row |= {"check_wall": check["wall"], "check_mb": check["mb"]}
    row["floor_read"] = fastest(n, sys.executable, "-c", FLOOR_READ, str(workbook))["wall"]
    env = {"JINGFANG_PASSWORD": PASSWORD}
    out = tmp / f"site-{n}"
    built = fastest(n, *jingfang("build", str(workbook), "--out", str(out), "--timings", "--rebuild"), env=env)
    row |= {"build_wall": built["wall"], "build_mb": built["mb"], "stages": stage_timings(built), "size_mb": size_mb(out),
            "runs": built["runs"]}
    again = fastest(n, *jingfang("build", str(workbook), "--out", str(out)), env=env)
    assert "已是最新" in again["out"], again["out"]
    row["rebuild_wall"] = again["wall"]
    plain = fastest(n, *jingfang("build", str(workbook), "--out", str(tmp / f"plain-{n}"), "--timings", "--rebuild",
                              "--insecure-no-password"))
    row["plain_mkdocs"] = stage_timings(plain)["mkdocs"]
    floor = plain_mkdocs_floor(workbook, tmp / f"floor-{n}")
    assert floor["code"] == 0, floor["err"][-3000:]
    row["floor_mkdocs"] = floor["wall"]
    for folder in tmp.glob(f"*-{n}*"):
        shutil.rmtree(folder, ignore_errors=True) if folder.is_dir() else folder.unlink()
    return row


def machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor()) if Path("/proc/cpuinfo").exists() else platform.processor()
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30 if hasattr(os, "sysconf") else 0
    return (f"{os.cpu_count()} cores ({cpu}), {mem:.0f} GiB RAM, {platform.system()} {platform.release()}, "
            f"Python {platform.python_version()}")


def targets(rows: list[dict]) -> list[str]:
    by_n = {r["n"]: r for r in rows}
    out = ["| target | measured | status |", "|---|---:|---|"]
    for label, n, key, limit, unit in TARGETS:
        if n not in by_n:
            out.append(f"| {label} ≤ {limit:g} {unit} | – | not measured in this run |")
            continue
        value = by_n[n][key]
        status = f"met ({value / limit:.0%} of the limit)" if value <= limit else f"**not met**: {value - limit:.1f} {unit} over"
        out.append(f"| {label} ≤ {limit:g} {unit} | {value:.1f} {unit} | {status} |")
    worst = max(r["rebuild_wall"] for r in rows)
    out.append(f"| unchanged second `build` ≤ {REBUILD_LIMIT:g} s | {worst:.1f} s (slowest size) | "
               + ("met" if worst <= REBUILD_LIMIT else "**not met**") + " |")
    if len(rows) >= 2:
        # Linear means a constant cost per extra patient: compare the marginal cost between neighbouring sizes,
        # since the whole-build cost per patient falls as the fixed start-up cost is spread over more patients.
        steps = [(a, b, (b["build_wall"] - a["build_wall"]) / (b["n"] - a["n"]) * 1000)
                 for a, b in zip(rows, rows[1:]) if a["n"] >= 1000]
        marginal = "; ".join(f"{a['n']:,}→{b['n']:,}: {ms:.1f}" for a, b, ms in steps) or "–"
        costs = [ms for _, _, ms in steps]
        # super-linear would show as a marginal cost that rises with size; a fall is start-up cost or noise
        linear = all(later <= earlier * 1.25 for earlier, later in zip(costs, costs[1:]))
        out.append(f"| time grows linearly with patients | build ms per extra patient {marginal} | "
                   + ("met: the cost per extra patient does not rise with size" if linear
                      else "**not met**: the cost per extra patient grows") + " |")
    return out


def render(rows: list[dict], measured: datetime) -> str:
    out = [f"# Benchmarks\n\nMeasured {measured:%Y-%m-%d} by `benchmarks/run.py` on {machine()}.\n",
           "Whole processes, wall seconds; the fastest of 3 runs for 300 and 1,000 patients, one run for the larger "
           "sizes. Memory: peak of the summed resident memory of the command and every process it started (sampled "
           "every 0.1 s).\n",
           "| patients | follow-up rows | xlsx MB | pages | site MB | `check` s | `check` MB | `build` s | `build` MB | "
           "unchanged rebuild s |",
           "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        out.append(f"| {r['n']:,} | {r['followups'] or 0:,} | {r['xlsx_mb']:.1f} | {r['stages']['pages']:,} | "
                   f"{r['size_mb']:.0f} | {r['check_wall']:.1f} | {r['check_mb']:.0f} | {r['build_wall']:.1f} | "
                   f"{r['build_mb']:.0f} | {r['rebuild_wall']:.1f} |")
    out += ["", "Seconds of `build` per stage (share of the whole `build`), and against the floors:", "",
            "| patients | read | validate | rules | render + write | mkdocs (encrypted) | of which encryption | "
            "leak gate | floor: calamine read | read ÷ floor | floor: plain mkdocs | mkdocs ÷ floor |",
            "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        s = r["stages"]
        encryption = max(0.0, s["mkdocs"] - r["plain_mkdocs"])
        s.setdefault("verify", 0.0)  # results measured before the leak gate existed
        share = {k: f"{s[k]:.1f} ({s[k] / r['build_wall']:.0%})"
                 for k in ("read", "validate", "rules", "render", "mkdocs", "verify")}
        out.append(f"| {r['n']:,} | {share['read']} | {share['validate']} | {share['rules']} | {share['render']} | "
                   f"{share['mkdocs']} | {encryption:.1f} ({encryption / r['build_wall']:.0%}) | {share['verify']} | "
                   f"{r['floor_read']:.1f} | {s['read'] / r['floor_read']:.2f} | "
                   f"{r['floor_mkdocs']:.1f} | {s['mkdocs'] / r['floor_mkdocs']:.2f} |")
    out += ["", "## Targets (issue 5)", ""] + targets(rows)
    return "\n".join(out) + "\n"


def write_results(text: str) -> None:
    """RESULTS.md is the generated tables (the builds', then roster.py's) followed by the hand-written NOTES.md."""
    from benchmarks.roster import render_rosters

    notes = ROOT / "benchmarks" / "NOTES.md"
    (ROOT / "benchmarks" / "RESULTS.md").write_text(
        text + render_rosters() + ("\n" + notes.read_text(encoding="utf-8") if notes.exists() else ""),
        encoding="utf-8")


def main(argv: list[str]) -> int:
    saved = ROOT / "benchmarks" / "results.json"
    if argv and argv[0] in ("-h", "--help"):
        print("benchmarks/run.py [患者数 …]   测量这些规模（默认 300 1000 5000 10000），其他规模保留上次的结果\n"
              "benchmarks/run.py --render    用上次的结果重新生成 RESULTS.md（例如改了 NOTES.md 之后）\n"
              "benchmarks/run.py --roster    测量读取 10,000 行名单文件（.xlsx、.csv、.xls、.ods）的时间")
        return 0
    if argv == ["--roster"]:
        from benchmarks.roster import measure_rosters

        print(json.dumps(measure_rosters(), indent=2, ensure_ascii=False))
        argv = ["--render"]
    if argv == ["--render"]:
        # Re-render RESULTS.md from the last run's measurements, e.g. after editing NOTES.md.
        text = render(json.loads(saved.read_text(encoding="utf-8")), datetime.fromtimestamp(saved.stat().st_mtime))
        write_results(text)
        print(text)
        return 0
    sizes = [int(a) for a in argv] or [300, 1000, 5000, 10000]
    rows = []
    with tempfile.TemporaryDirectory(prefix="jingfang-bench-") as tmp:
        for n in sizes:
            start = time.perf_counter()
            rows.append(run(n, Path(tmp)))
            print(f"{n} patients measured in {time.perf_counter() - start:.0f} s", file=sys.stderr, flush=True)
    # Sizes not measured this time keep their last measurements, so one size can be re-run alone.
    kept = json.loads(saved.read_text(encoding="utf-8")) if saved.exists() else []
    rows = sorted([r for r in kept if r["n"] not in sizes] + rows, key=lambda r: r["n"])
    saved.write_text(json.dumps(rows, indent=2), encoding="utf-8")
    text = render(rows, datetime.now())
    write_results(text)
    print(text)
    return 0

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
