"""``jingfang county --json``: three township workbooks → three summaries (the real CLI) → the county's totals equal
the sums of each township's ``indicators --json`` and ``overdue --json``; duplicates, mixed periods and years, a newer
format, a tampered and a truncated file, a township without patients, 1 and 200 townships."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta
from pathlib import Path

import pytest

from generator.contract.indicators import INDICATORS
from generator.contract.lists import LISTS
from generator.contract.summary import Fraction, Summary, SummaryPeriod
from tests.commands import run, text
from tests.townships import EMPTY, TOWNSHIPS, as_json, summarize, write_townships


@pytest.fixture(scope="module")
def made(tmp_path_factory) -> tuple[dict[str, Path], dict[str, Path]]:
    """The township workbooks and their summaries (as of 2025-06-30, 本年)."""
    folder = tmp_path_factory.mktemp("county")
    books = write_townships(folder, empty=True)
    return books, {name: summarize(book, folder / f"{name}.json") for name, book in books.items()}


def county(*args: str):
    return run("county", *args, password=None)


def test_the_totals_are_the_sums_of_each_townships_numerators_denominators_and_lists(made):
    books, summaries = made
    shown = as_json("county", *(str(summaries[name]) for name in TOWNSHIPS))
    assert list(shown) == ["townships", "totals", "lists"]
    assert shown["townships"] == list(TOWNSHIPS)
    each = {name: as_json("indicators", str(books[name]))["indicators"] for name in TOWNSHIPS}
    lists = {name: as_json("overdue", str(books[name]))["lists"] for name in TOWNSHIPS}
    assert shown["totals"] == {spec.key: {part: sum(each[name][spec.key][part] for name in TOWNSHIPS)
                                          for part in ("numerator", "denominator")} for spec in INDICATORS}
    assert shown["lists"] == {spec.key: sum(len(lists[name][spec.key]) for name in TOWNSHIPS) for spec in LISTS}
    # hand-checked: 在册 3 + 6 + 3 (西溪乡 adds P004, P005, P006; P007 待诊断); 常住人口 3 × 20000
    assert shown["totals"]["prevalence"] == {"numerator": 12, "denominator": 60000}


def test_a_township_without_patients_is_counted_and_divides_nothing(made):
    _, summaries = made
    shown = as_json("county", str(summaries[TOWNSHIPS[0]]), str(summaries[EMPTY]))
    assert shown["townships"] == [TOWNSHIPS[0], EMPTY]
    alone = as_json("county", str(summaries[TOWNSHIPS[0]]))
    assert shown["totals"] == {**alone["totals"], "prevalence": {"numerator": 3, "denominator": 40000}}
    only = as_json("county", str(summaries[EMPTY]))
    assert only["totals"]["management_rate"] == {"numerator": 0, "denominator": 0}


def test_two_summaries_of_one_township_the_later_as_of_wins_with_a_warning(made, tmp_path):
    books, summaries = made
    later = summarize(books[TOWNSHIPS[0]], tmp_path / "later.json", "--as-of", "2025-07-31")
    for order in ((later, summaries[TOWNSHIPS[0]]), (summaries[TOWNSHIPS[0]], later)):
        result = county(*(str(p) for p in order), str(summaries[TOWNSHIPS[1]]), "--json")
        assert result.returncode == 0, text(result.stderr)
        assert text(result.stderr) == (f"警告：“{TOWNSHIPS[0]}”有 2 份汇总（统计截止日期 2025-06-30、2025-07-31）："
                                       "表格和合计用最晚的一份（2025-07-31），其余只用于按月趋势。\n")
        shown = json.loads(text(result.stdout))
        assert shown["townships"] == [TOWNSHIPS[0], TOWNSHIPS[1]]
        july = json.loads(later.read_text(encoding="utf-8"))
        june = json.loads(summaries[TOWNSHIPS[1]].read_text(encoding="utf-8"))
        assert shown["lists"] == {k: july["lists"][k] + june["lists"][k] for k in july["lists"]}
    assert july["lists"] != json.loads(summaries[TOWNSHIPS[0]].read_text(encoding="utf-8"))["lists"]


def test_summaries_of_different_period_kinds_are_refused_naming_them(made, tmp_path):
    books, summaries = made
    other = summarize(books[TOWNSHIPS[1]], tmp_path / "r.json", "--period", "近12个月")
    result = county(str(summaries[TOWNSHIPS[0]]), str(other), str(summaries[TOWNSHIPS[2]]), "--json")
    assert result.returncode == 1 and result.stdout == b""
    assert text(result.stderr) == (f"错误：这些汇总的统计周期不同，不能相加（“本年”：{TOWNSHIPS[0]}、{TOWNSHIPS[2]}；"
                                   f"“近12个月”：{TOWNSHIPS[1]}）。请让各乡镇用同一种统计周期、同一年的统计截止日期重新运行 "
                                   "jingfang summary（--period、--as-of）。\n")


def test_summaries_of_different_years_are_refused_naming_them(made, tmp_path):
    books, summaries = made
    next_year = summarize(books[TOWNSHIPS[1]], tmp_path / "y.json", "--as-of", "2026-01-31")
    result = county(str(summaries[TOWNSHIPS[0]]), str(next_year), "--json")
    assert result.returncode == 1
    assert text(result.stderr).startswith(f"错误：这些汇总的统计年份不同，不能相加（2025 年：{TOWNSHIPS[0]}；"
                                          f"2026 年：{TOWNSHIPS[1]}）。")


def _edited(source: Path, target: Path, change) -> Path:
    target.write_text(change(source.read_text(encoding="utf-8")), encoding="utf-8")
    return target


def test_a_newer_format_a_tampered_and_a_truncated_file_are_refused_naming_the_file(made, tmp_path):
    good = made[1][TOWNSHIPS[0]]
    newer = _edited(good, tmp_path / "newer.json", lambda t: t.replace("jingfang-summary/1", "jingfang-summary/2"))
    tampered = _edited(good, tmp_path / "tampered.json",
                       lambda t: t.replace('"registered": 3', '"registered": 30', 1))
    truncated = _edited(good, tmp_path / "truncated.json", lambda t: t[: len(t) // 2])
    other = _edited(good, tmp_path / "other.json", lambda t: '{"hello": 1}')
    expected = {
        newer: f"错误：汇总文件“{newer}”的格式版本是“jingfang-summary/2”，本程序只能读取“jingfang-summary/1”："
               "它多半来自更新版本的 jingfang，请先升级 jingfang 再汇总。\n",
        tampered: f"错误：汇总文件“{tampered}”的校验码不符：文件生成后被改动过或不完整。请让乡镇重新运行 jingfang summary "
                  "生成后原样发送，不要手工修改。\n",
        truncated: f"错误：汇总文件“{truncated}”不是完整的 JSON（可能在传输或复制时被截断、损坏）。请让乡镇重新运行 "
                   "jingfang summary 生成后再发送。\n",
        other: f"错误：“{other}”不是 jingfang 的乡镇汇总文件（没有“format”: “jingfang-summary/1”），请确认选对了文件。\n",
    }
    assert '"registered": 30' in tampered.read_text(encoding="utf-8")
    for path, said in expected.items():
        result = county(str(good), str(path), "--json")
        assert (result.returncode, text(result.stderr), result.stdout) == (1, said, b"")


def synthetic(n: int, as_of: date = date(2026, 6, 30)) -> Summary:
    """Township n's summary, numbers made up but consistent: 在册 10 + n % 7 …"""
    registered = 10 + n % 7
    managed = registered - n % 3
    fractions = {spec.key: Fraction(numerator=min(managed, registered) - (n + i) % 4, denominator=registered)
                 for i, spec in enumerate(INDICATORS)}
    fractions["prevalence"] = Fraction(numerator=registered, denominator=3000 + n)
    fractions["management_rate"] = Fraction(numerator=managed, denominator=registered)
    for key in ("stable_rate", "free_medication_share"):  # of 在管, not 在册
        fractions[key] = Fraction(numerator=fractions[key].numerator, denominator=managed)
    return Summary(township=f"第{n:03d}镇", county="合成县", as_of=as_of - timedelta(days=n % 40),
                   period=SummaryPeriod(name="本年", start=date(as_of.year, 1, 1), end=as_of - timedelta(days=n % 40)),
                   counts={"registered": registered, "managed": managed, "pending": n % 2, "other_diagnosis": 0,
                           "closed": 1, "high_risk": n % 5},
                   indicators=fractions, lists={spec.key: (n * (i + 1)) % 9 for i, spec in enumerate(LISTS)})


def write_synthetic(folder: Path, count: int) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for n in range(1, count + 1):
        path = folder / f"{n:03d}.json"
        path.write_text(synthetic(n).to_json(), encoding="utf-8")
        paths.append(path)
    return paths


@pytest.mark.parametrize("count", [1, 200])
def test_one_and_two_hundred_townships(tmp_path, count):
    paths = write_synthetic(tmp_path / "s", count)
    shown = as_json("county", *(str(p) for p in paths))
    made = [synthetic(n) for n in range(1, count + 1)]
    assert shown["townships"] == [s.township for s in made]
    assert shown["totals"] == {spec.key: {"numerator": sum(s.indicators[spec.key].numerator for s in made),
                                          "denominator": sum(s.indicators[spec.key].denominator for s in made)}
                               for spec in INDICATORS}
    assert shown["lists"] == {spec.key: sum(s.lists[spec.key] for s in made) for spec in LISTS}


def test_county_needs_out_or_json(made):
    result = county(str(made[1][TOWNSHIPS[0]]))
    assert (result.returncode, text(result.stderr)) == (1, "错误：请用 --out 指定县级网站的文件夹，或用 --json 只输出汇总数字。\n")


def _with(n: int, as_of: date, management: tuple[int, int], incidents: tuple[int, int]) -> tuple[str, Summary]:
    s = synthetic(n)
    fractions = {**s.indicators, "management_rate": Fraction(numerator=management[0], denominator=management[1]),
                 "incident_rate": Fraction(numerator=incidents[0], denominator=incidents[1])}
    made = s.model_copy(update={"as_of": as_of, "indicators": fractions,
                                "period": SummaryPeriod(name="本年", start=date(2026, 1, 1), end=as_of)})
    return f"{n}.json", made


def test_stale_flag_ranking_ties_and_a_township_without_a_denominator():
    """Stale: more than 35 days before the newest as-of (35 is not, 36 is). Ranking: best first, equal values share a
    rank, no denominator last and unranked; 肇事肇祸率 lower first."""
    from generator.derive.county import county_of

    newest = date(2026, 6, 30)
    county = county_of([_with(1, newest, (8, 10), (1, 10)), _with(2, newest - timedelta(days=35), (4, 5), (0, 5)),
                        _with(3, newest - timedelta(days=36), (9, 10), (2, 10)), _with(4, newest, (0, 0), (0, 0))])
    assert [(t.name, t.stale) for t in county.townships] == [("第001镇", False), ("第002镇", False), ("第003镇", True),
                                                             ("第004镇", False)]
    assert [(rank, t.name) for rank, t in county.ranking("management_rate")] == [
        (1, "第003镇"), (2, "第001镇"), (2, "第002镇"), (None, "第004镇")]
    assert [(rank, t.name) for rank, t in county.ranking("incident_rate")] == [
        (1, "第002镇"), (2, "第001镇"), (3, "第003镇"), (None, "第004镇")]
    total = county.total("management_rate")
    assert (total.numerator, total.denominator) == (21, 25)  # summed: 84 %, not the mean of 80, 80, 90 (83.3 %)
    assert county.townships[3]["management_rate"].value is None and county.townships[3]["management_rate"].met is None


def test_a_township_without_a_denominator_is_shown_with_dashes_never_judged():
    from generator.derive.county import county_of
    from generator.present.county import render_county

    newest = date(2026, 6, 30)
    county = county_of([_with(1, newest, (8, 10), (1, 10)), _with(4, newest, (0, 0), (0, 0))])
    pages = dict(render_county(county))
    ranking = pages["ranking.md"].body
    nw = '<span class="jf-nw">{}</span>'  # a township's name never wraps
    assert f"<tr><td>1</td><td>{nw.format('第001镇')}</td><td>80.0%</td><td>8/10</td><td>达标 ✓</td></tr>" in ranking
    assert f"<tr><td>—</td><td>{nw.format('第004镇')}</td><td>—</td><td>0/0</td><td>—</td></tr>" in ranking
    assert f"<tr><td>—</td><td>{nw.format('第004镇')}</td><td>—</td><td>0/0</td><td>无目标</td></tr>" in ranking
    row = next(r for r in re.findall(r"<tr>.*?</tr>", pages["townships.md"].body) if "第004镇" in r)
    cells = re.findall(r"<td>(.*?)</td>", row)
    assert cells[:3] == ['<span class="jf-nw">第004镇</span>', "2026-06-30", "3/7\u00a0项"]
    # 8 targets, 管理率 without a denominator not judged; met: 报告患病率 14/3004 = 4.66‰, 规律服药率 12/14, 免费服药比例 10/13
    assert cells[4] == "—<br>0/0"  # 管理率: no verdict, no division
