#!/usr/bin/env python3
"""Benchmark reading a 10,000-row roster file (``read_roster``, what ``import``, ``compare`` and ``build --compare``
do first) in each format, against the target of issue 22 (under 5 s). A script, not a test.

    .venv/bin/python benchmarks/run.py --roster      (measures, saves benchmarks/roster.json, re-writes RESULTS.md)

The file is an old 台账 as other tools write it: a title row, the headers, 10,000 people with every column the
contract knows and two it does not, a 合计 row. .xls and .ods are LibreOffice's conversions of the .xlsx (when
soffice is installed). Each format: the fastest of 3 reads inside one process, and one whole process (``python -c``
importing jingfang and reading the file, as a command would). Synthetic data only, in a temp folder.
"""

from __future__ import annotations

import csv
import json
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
ROWS = 10_000
REPEAT = 3
LIMIT = 5.0  # seconds (issue 22)
SAVED = ROOT / "benchmarks" / "roster.json"
HEADERS = ["序号", "姓名", "性别", "身份证号码", "出生日期", "家庭住址", "所属村（社区）", "疾病名称", "建档日期",
           "危险等级", "管理状态", "监护人姓名", "与患者关系", "联系电话", "病史", "备注"]
VILLAGES = ["青山村", "绿水村", "东岭村", "西河社区", "南塘村"]
SURNAMES = "赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨"
GIVEN = "子文明华建国秀英志强玉兰海燕春梅德"


def people() -> list[list]:
    """ROWS made-up people (IDs with valid check characters, some typed the ways the cleaning handles)."""
    from generator.contract.values import id_check_char

    rows = []
    for k in range(ROWS):
        born = date(1950, 1, 1) + timedelta(days=(k * 37) % 20000)
        first17 = f"510999{born:%Y%m%d}{k % 1000:03d}"
        number = first17 + id_check_char(first17)
        rows.append([k + 1, SURNAMES[k % 16] + GIVEN[k % 15] + GIVEN[(k // 15) % 16], "男" if k % 2 else "女",
                     number.lower() if k % 7 == 0 else number, born.isoformat() if k % 3 else f"{born.year}年{born.month}月{born.day}日",
                     f"{VILLAGES[k % 5]}{k % 9 + 1}组{k % 50 + 1}号", VILLAGES[k % 5], "精神分裂" if k % 4 else "双相",
                     (born + timedelta(days=9000)).isoformat(), f"{k % 6}级", "在家" if k % 5 else "住院",
                     "监护" + GIVEN[k % 15], "父母", f"139{k:08d}", f"{k % 20}年", ""])
    return rows


def write_files(folder: Path) -> dict[str, Path]:
    from openpyxl import Workbook

    rows = people()
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("台账")
    ws.append(["某某镇严重精神障碍患者管理台账"])
    ws.append(HEADERS)
    for row in rows:
        ws.append(row)
    ws.append(["合计", f"{ROWS}人"])
    files = {".xlsx": folder / "名单.xlsx"}
    wb.save(files[".xlsx"])
    for name, encoding in (("UTF-8-BOM .csv", "utf-8-sig"), ("GBK .csv", "gbk")):
        files[name] = folder / f"名单-{encoding}.csv"
        with open(files[name], "w", encoding=encoding, newline="") as file:
            writer = csv.writer(file)
            writer.writerows([["某某镇严重精神障碍患者管理台账"], HEADERS, *rows, ["合计", f"{ROWS}人"]])
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    for fmt in ("xls", "ods") if soffice else ():
        out = folder / fmt
        subprocess.run([soffice, f"-env:UserInstallation=file://{folder / 'lo-profile'}", "--headless", "--convert-to",
                        fmt, "--outdir", str(out), str(files[".xlsx"])], check=True, capture_output=True, timeout=600)
        files["." + fmt] = out / f"名单.{fmt}"
    return files


def measure(path: Path) -> dict:
    from generator.read.roster import read_roster

    times = []
    for _ in range(REPEAT):
        start = time.perf_counter()
        roster = read_roster(path)
        times.append(time.perf_counter() - start)
    assert len(roster.rows) == ROWS and roster.skipped == {"合计行": [ROWS + 3]}, (len(roster.rows), roster.skipped)
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", "import sys; from generator.read.roster import read_roster; "
                    "read_roster(sys.argv[1])", str(path)], check=True, cwd=ROOT)
    return {"read": min(times), "process": time.perf_counter() - start, "mb": path.stat().st_size / 1e6}


def measure_rosters() -> dict[str, dict]:
    """Every format's timings, saved to roster.json."""
    with tempfile.TemporaryDirectory(prefix="jingfang-roster-") as tmp:
        results = {name: measure(path) for name, path in write_files(Path(tmp)).items()}
    SAVED.write_text(json.dumps(results, indent=2, ensure_ascii=False), encoding="utf-8")
    return results


def render_rosters() -> str:
    """The roster table of RESULTS.md (empty when never measured)."""
    if not SAVED.exists():
        return ""
    results = json.loads(SAVED.read_text(encoding="utf-8"))
    out = ["", f"## Reading a {ROWS:,}-row roster file (issue 22: under {LIMIT:.0f} s)", "",
           "`read_roster` on an old 台账 with a title row, 16 columns (two with no place in the standard workbook) and "
           "a 合计 row; the fastest of 3 reads in one process, and one whole process (Python start-up and imports "
           "included).", "",
           "| format | file MB | `read_roster` s | whole process s | status |", "|---|---:|---:|---:|---|"]
    for name, r in results.items():
        status = f"met ({r['process'] / LIMIT:.0%} of the limit)" if r["process"] < LIMIT else "NOT MET"
        out.append(f"| {name} | {r['mb']:.1f} | {r['read']:.2f} | {r['process']:.2f} | {status} |")
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    print(json.dumps(measure_rosters(), indent=2, ensure_ascii=False))
    print(render_rosters())
