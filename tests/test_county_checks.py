"""What the county refuses or says plainly (issue 23, the county official's review): summaries of another county,
numbers no workbook can give (the digest recomputed), the county's one set of targets (``--target``), the trend only
over months every township reported, and the gate's line for a site without personal values."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest

from generator.contract.summary import Fraction, digest_of
from tests.commands import run, text
from tests.test_county import synthetic
from tests.townships import TOWNSHIPS, met_everything, summarize, write_townships


@pytest.fixture(scope="module")
def made(tmp_path_factory) -> dict[str, Path]:
    """The three townships' summaries (测试县, as of 2025-06-30)."""
    folder = tmp_path_factory.mktemp("checks")
    return {name: summarize(book, folder / f"{name}.json") for name, book in write_townships(folder).items()}


def county(*args: str):
    return run("county", *args, password=None)


def test_a_summary_of_another_county_is_refused_naming_each_file_and_its_county(made, tmp_path):
    other = tmp_path / "外县镇.json"
    other.write_text(met_everything("外县镇").model_copy(update={"county": "云岭县"}).to_json(), encoding="utf-8")
    blank = tmp_path / "无县镇.json"
    blank.write_text(met_everything("无县镇").model_copy(update={"county": None}).to_json(), encoding="utf-8")
    first, second = made[TOWNSHIPS[0]], made[TOWNSHIPS[1]]
    result = county(str(first), str(other), str(second), str(blank), "--json")
    assert (result.returncode, result.stdout) == (1, b"")
    assert text(result.stderr) == (
        f"错误：这些汇总文件属于不同的县（区），不能相加（“{first}”：测试县；“{other}”：云岭县；“{second}”：测试县；"
        f"“{blank}”：（未填所属区县））。请只给本县（区）各乡镇的汇总文件；所属区县填错的，请让乡镇改正“基本设置”中的所属区县后"
        "重新运行 jingfang summary。\n")
    # a summary naming no county is added in, and said so naming the file
    result = county(str(first), str(blank), "--json")
    assert result.returncode == 0
    assert text(result.stderr) == (f"警告：汇总文件“{blank}”没有填写所属区县，按“测试县”的乡镇汇总；如果它不是本县（区）的，"
                                   "请去掉它重新汇总。\n")
    assert json.loads(text(result.stdout))["townships"] == [TOWNSHIPS[0], "无县镇"]


def _rewritten(source: Path, target: Path, change) -> Path:
    """source's summary changed by change(data) with its check code recomputed: what anyone can do."""
    data = json.loads(source.read_text(encoding="utf-8"))
    del data["digest"]
    change(data)
    target.write_text(json.dumps({**data, "digest": digest_of(data)}, ensure_ascii=False), encoding="utf-8")
    return target


IMPOSSIBLE = {  # 西溪乡: 在册 6, 在管 5
    "over": (lambda d: d["indicators"].update(management_rate={"numerator": 80, "denominator": 56}),
             "indicators.management_rate（管理率）的分子 80 大于分母 56"),
    "managed": (lambda d: d["counts"].update(managed=9), "counts.managed（在管 9）大于 counts.registered（在册 6）"),
    "negative": (lambda d: d["counts"].update(pending=-1), "counts.pending 是负数 -1"),
    "fraction": (lambda d: d["indicators"]["face_visit_rate"].update(numerator=-2),
                 "indicators.face_visit_rate.numerator：不能是负数"),
    "text": (lambda d: d["lists"].update(followup_overdue="3"), "lists.followup_overdue：应为整数"),
    "decimal": (lambda d: d["counts"].update(closed=1.5), "counts.closed：应为整数"),
    "base": (lambda d: d["indicators"]["stable_rate"].update(denominator=6),
             "indicators.stable_rate（病情稳定率）的分母 6 不等于在管人数 5"),
    "home": (lambda d: d["indicators"]["guardian_agreement_rate"].update(denominator=7, numerator=7),
             "indicators.guardian_agreement_rate（监护协议签订率）的分母 7 大于在册人数 6"),
    "prevalence": (lambda d: d["indicators"]["prevalence"].update(numerator=7),
                   "indicators.prevalence（报告患病率）的分子 7 不等于在册人数 6"),
}


@pytest.mark.parametrize("case", IMPOSSIBLE)
def test_numbers_no_workbook_can_give_are_refused_naming_the_file_and_the_key(made, tmp_path, case):
    change, said = IMPOSSIBLE[case]
    bad = _rewritten(made[TOWNSHIPS[1]], tmp_path / "bad.json", change)
    result = county(str(made[TOWNSHIPS[0]]), str(bad), "--json")
    assert (result.returncode, result.stdout) == (1, b"")
    assert text(result.stderr) == (f"错误：汇总文件“{bad}”的内容不对（{said}），没有汇总。这样的数字不可能由 jingfang summary "
                                   "算出，请让乡镇重新生成后原样发送。\n")


def test_the_same_file_rewritten_within_the_rules_is_read(made, tmp_path):
    """The digest recomputed over possible numbers is accepted: the check code is no signature."""
    same = _rewritten(made[TOWNSHIPS[1]], tmp_path / "same.json", lambda d: None)
    assert county(str(same), "--json").returncode == 0


@pytest.mark.parametrize(("typed", "said"), [
    ("规范=90", "“规范=90”应写成 指标名称=目标值，如 --target 规范管理率=90；指标名称是 报告患病率、管理率、规范管理率、面访率、"
                "服药率、规律服药率、病情稳定率、免费服药比例、免费服药告知书签署率、健康体检率、监护协议签订率、以奖代补签约率、"
                "肇事肇祸率 之一。"),
    ("规范管理率", "“规范管理率”应写成 指标名称=目标值"),
    ("规范管理率=九十", "“规范管理率=九十”：规范管理率的目标应为 0 到 100 之间的数（单位 %），如 --target 规范管理率=95。"),
    ("管理率=101", "“管理率=101”：管理率的目标应为 0 到 100 之间的数（单位 %），如 --target 管理率=80。"),
    ("报告患病率=-1‰", "“报告患病率=-1‰”：报告患病率的目标应为 0 到 1000 之间的数（单位 ‰），如 --target 报告患病率=4.5。"),
])
def test_a_bad_target_is_a_usage_error(made, typed, said):
    result = county(str(made[TOWNSHIPS[0]]), "--json", "--target", typed)
    assert result.returncode == 2 and result.stdout == b""
    assert text(result.stderr).splitlines()[-1].startswith(f"错误：--target 的值不对：{said}")


def test_every_township_is_judged_against_the_countys_one_set_of_targets():
    """规范管理率 9/10 = 90 %: 未达标 against the default 95 %, 达标 against --target 规范管理率=90 — on every page that
    says 达标, with the sentence naming the targets."""
    from generator.derive.county import county_of
    from generator.present.county import render_county

    s = met_everything("九成镇")
    s = s.model_copy(update={"indicators": {**s.indicators,
                                            "standard_management_rate": Fraction(numerator=9, denominator=10)}})
    default = county_of([("a.json", s)])
    assert [i.name for i in default.townships[0].unmet] == ["规范管理率"]
    chosen = county_of([("a.json", s)], {"standard_management_rate": 90.0, "face_visit_rate": 90.0})
    assert chosen.townships[0].unmet == [] and chosen.total("standard_management_rate").met is True
    said = ("目标为全县统一目标（报告患病率 ≥ 4.5‰，管理率 ≥ 80%，规范管理率 ≥ 90%，面访率 ≥ 90%，规律服药率 ≥ 85%，"
            "免费服药比例 ≥ 30%，免费服药告知书签署率 ≥ 100%，监护协议签订率 ≥ 100%；其中规范管理率、面访率的目标由县（区）设定"
            "（--target），其余为默认目标；服药率、病情稳定率、健康体检率、以奖代补签约率、肇事肇祸率无目标），"
            "各乡镇都按这一套目标判断是否达标，不用乡镇自己设的目标。")
    pages = dict(render_county(chosen))
    for rel in ("index.md", "townships.md", "ranking.md"):
        assert said in pages[rel].body, rel
    assert ("目标为全县统一目标（报告患病率 ≥ 4.5‰，管理率 ≥ 80%，规范管理率 ≥ 90%，面访率 ≥ 90%，规律服药率 ≥ 85%，免费服药比例 ≥ 30%，"
            "免费服药告知书签署率 ≥ 100%，监护协议签订率 ≥ 100%），各乡镇（街道）均按此判断。各乡镇（街道）的指标均达到目标，"
            "请继续保持。") in pages["notice.md"].body  # the printed notice: the targets without the command's option
    assert "均为默认目标，可用 jingfang county --target 设定" in dict(render_county(default))["townships.md"].body
    rows = re.findall(r"<tr>(.*?)</tr>", pages["townships.md"].body)
    assert re.findall(r"<td>(.*?)</td>", rows[1])[:6] == ["目标", "", "", "≥ 4.5‰", "≥ 80%", "≥ 90%"]
    assert "## 规范管理率 {#standard-management-rate}\n\n全县统一目标：≥ 90%。" in pages["ranking.md"].body


def test_the_trend_draws_only_months_every_township_reported_and_leaves_missing_months_as_gaps():
    """A, B: January, February, April, May; C: February, April, May. January lacks C (不完整, not drawn), March has
    no summary (未报送, a gap on the axis): the lines join April and May only; February stands alone."""
    from generator.derive.county import county_of
    from generator.present.county.notice import render_trend

    days = {1: date(2026, 1, 31), 2: date(2026, 2, 28), 4: date(2026, 4, 30), 5: date(2026, 5, 31)}
    sent = {1: (1, 2, 4, 5), 2: (1, 2, 4, 5), 3: (2, 4, 5)}
    made = [(f"{n}-{m}.json", synthetic(n, days[m])) for n, months in sent.items() for m in months]
    county = county_of(made)
    assert county.months() == ["2026-01", "2026-02", "2026-03", "2026-04", "2026-05"]
    assert [county.complete(m) for m in county.months()] == [False, True, False, True, True]
    body = render_trend(county).body
    table_rows = [re.findall(r"<td>(.*?)</td>", r) for r in re.findall(r"<tr>(.*?)</tr>", body.split("## 各乡镇")[0])]
    assert [r[:3] for r in table_rows[1:]] == [["2026-01", "2/3", "不完整（不画）"], ["2026-02", "3/3", "完整"],
                                           ["2026-03", "0/3", "未报送"], ["2026-04", "3/3", "完整"],
                                           ["2026-05", "3/3", "完整"]]
    assert table_rows[1][3:] == ["—"] * 6 and table_rows[3][3:] == ["—"] * 6 and table_rows[2][3] != "—"
    lines = re.findall(r'<polyline points="([^"]*)"', body)
    assert len(lines) == 3 and all(len(points.split()) == 2 for points in lines)  # 3 indicators: April–May each
    assert ">2026-03</text>" in body  # March keeps its place on the axis
