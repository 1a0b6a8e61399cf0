#!/usr/bin/env python3
"""Benchmark the county's site (三级联动): N synthetic township summaries → ``jingfang county --out`` as a whole
process, wall seconds, the fastest of REPEAT runs. Target: 200 townships in under 10 s. A script, not a test.

    .venv/bin/python benchmarks/county.py [N]          (default 200)

Synthetic numbers only (no workbook, no person); everything lives in a temp folder that is removed at the end. The
result goes into benchmarks/NOTES.md by hand (and so into RESULTS.md with ``benchmarks/run.py --render``).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.contract.indicators import INDICATORS  # noqa: E402
from generator.contract.lists import LISTS  # noqa: E402
from generator.contract.summary import Fraction, Summary, SummaryPeriod  # noqa: E402

PASSWORD = "Bench-Only-Pass-2025"  # synthetic data, throwaway site
REPEAT = 3
LIMIT = 10.0  # seconds, issue 23
AS_OF = date(2026, 6, 30)


def summary(n: int) -> Summary:
    """Township n's made-up summary: 在册 40–139, each numerator a share of it, as-of days spread over 40 days."""
    registered = 40 + n % 100
    day = AS_OF - timedelta(days=n % 40)
    fractions = {spec.key: Fraction(numerator=registered * (60 + (n + i) % 40) // 100, denominator=registered)
                 for i, spec in enumerate(INDICATORS)}
    fractions["prevalence"] = Fraction(numerator=registered, denominator=20_000 + 97 * n)
    managed = registered - n % 9  # the numbers a workbook can give (contract/summary checks them)
    fractions["management_rate"] = Fraction(numerator=managed, denominator=registered)
    for key in ("stable_rate", "free_medication_share"):  # of 在管
        fractions[key] = Fraction(numerator=min(fractions[key].numerator, managed), denominator=managed)
    return Summary(township=f"合成{n:03d}镇", county="合成县", as_of=day,
                   period=SummaryPeriod(name="本年", start=date(day.year, 1, 1), end=day),
                   counts={"registered": registered, "managed": managed, "pending": n % 3,
                           "other_diagnosis": n % 2, "closed": n % 4, "high_risk": n % 6},
                   indicators=fractions, lists={spec.key: (n * (i + 3)) % 11 for i, spec in enumerate(LISTS)})


def main(argv: list[str]) -> int:
    count = int(argv[0]) if argv else 200
    with tempfile.TemporaryDirectory(prefix="jingfang-county-bench-") as tmp:
        folder = Path(tmp)
        paths = []
        for n in range(1, count + 1):
            path = folder / f"{n:03d}.json"
            path.write_text(summary(n).to_json(), encoding="utf-8")
            paths.append(str(path))
        env = dict(os.environ, JINGFANG_PASSWORD=PASSWORD, PYTHONPATH=str(ROOT))
        times = []
        for _ in range(REPEAT):
            started = time.perf_counter()
            result = subprocess.run([sys.executable, "-m", "generator", "county", *paths, "--out",
                                     str(folder / "site")], env=env, capture_output=True, cwd=ROOT)
            times.append(time.perf_counter() - started)
            if result.returncode:
                print(result.stderr.decode(), file=sys.stderr)
                return 1
        pages = sum(1 for _ in (folder / "site").glob("*.html"))
        size = sum(p.stat().st_size for p in (folder / "site").rglob("*") if p.is_file()) / 2**20
        best = min(times)
        print(f"{count} 个乡镇的汇总 → 县级网站：{best:.1f} s（{REPEAT} 次中最快；各次 "
              f"{', '.join(f'{t:.1f}' for t in times)} s），{pages} 个页面，{size:.1f} MB；"
              f"目标 < {LIMIT:g} s：{'达到' if best < LIMIT else '没有达到'}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
