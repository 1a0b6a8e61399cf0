"""The national-口径 indicators (domain.md v3), hand-worked under 本年 and 近12个月 and for one village, with the
boundaries: enrolment inside the period, a gap of exactly G and G + 1 days, the gap from the last follow-up to A, a
death inside the period, a 住院治疗 patient whose own row says 不服药, a 未访到 row (never a follow-up)."""

from __future__ import annotations

import html
import json
import re
from datetime import date, datetime

import pytest

from generator.contract.indicators import BY_KEY, INDICATORS
from generator.derive import indicators
from generator.derive.history import histories
from generator.derive.indicators import Period, period_of, standard_management
from generator.read.workbook import read_workbook
from generator.validate.workbook import validate_workbook
from tests.commands import run, text
from tests.workbooks import make_id, valid_sheets, write_sheets

A = date(2026, 6, 30)
G = 92
VILLAGE = "溪口社区"  # 乙村 of the hand-working: P03, P04, P06, P12 (在册) and P10 (其他)

PATIENT_HEADER = ["患者编号", "姓名", "性别", "身份证号", "现住村社区", "诊断", "纳入管理日期", "在管状态", "死亡日期",
                  "帮扶小组编号", "监护人", "监护人关系", "监护人电话", "免费服药"]
HOME = "在家居住"


def _patient(n: int, village: str, diagnosis: str = "精神分裂症", enrolled: date = date(2024, 1, 1),
             status: str = HOME, died: date | None = None, free: str | None = None) -> list:
    group = {"禾苗村": "G01", "溪口社区": "G02"}[village] if status == HOME else None
    guardian = ("凌守望", "父母", f"139000001{n:02d}") if status == HOME else (None, None, None)
    return [f"P{n:02d}", f"凌{'甲乙丙丁戊己庚辛壬癸子丑'[n - 1]}舟", "男", make_id("110101", date(1980, 1, 1), n, True),
            village, diagnosis, enrolled, status, died, group, *guardian, free]


def _visit(pid: str, day: date, form: str = "电话", condition: str = "稳定", adherence: str | None = "规律",
           reason: str | None = None) -> list:
    risk = None if condition == "未访到" else 3 if condition == "不稳定" else 0
    return [pid, day, form, "骆思源、计承远", risk, condition, adherence, reason, None]


def indicator_sheets() -> dict:
    """The hand-worked township: 甲村 = 禾苗村, 乙村 = 溪口社区; as-of 2026-06-30; 规范管理率目标 set to 90."""
    s = valid_sheets()
    s["基本设置"] = [row for row in s["基本设置"] if row[0] != "统计截止日期"] + [
        ["统计截止日期", datetime(2026, 6, 30), None], ["规范管理率目标", 90, None]]
    s["患者"] = [PATIENT_HEADER,
                _patient(1, "禾苗村", free="是"),
                _patient(2, "禾苗村", free="是"),
                _patient(3, "溪口社区", free="是"),
                _patient(4, "溪口社区", free="否"),
                _patient(5, "禾苗村", enrolled=date(2026, 5, 1), free="是"),  # enrolled inside both periods
                _patient(6, "溪口社区", status="住院治疗"),
                _patient(7, "禾苗村", status="死亡", died=date(2026, 3, 1)),  # died inside the period
                _patient(8, "禾苗村"),
                _patient(9, "禾苗村", diagnosis="待诊断"),
                _patient(10, "溪口社区", diagnosis="其他"),
                _patient(11, "禾苗村", status="迁出"),
                _patient(12, "溪口社区")]
    s["随访记录"] = [s["随访记录"][0],
                 # P01: every gap at most G; 2025-04-09 → 2025-07-10 is exactly G; 5 follow-ups in 近12个月
                 _visit("P01", date(2025, 4, 9)), _visit("P01", date(2025, 7, 10), "家庭访视"),
                 _visit("P01", date(2025, 10, 10)), _visit("P01", date(2026, 1, 10), "门诊"),
                 _visit("P01", date(2026, 4, 10)), _visit("P01", date(2026, 6, 20), "家庭访视"),
                 # P02: 2025-09-01 → 2025-12-03 is G + 1 days; 间断; its 2025-06-01 面访 is before both periods
                 _visit("P02", date(2025, 6, 1), "家庭访视", "基本稳定", "间断"),
                 _visit("P02", date(2025, 9, 1), condition="基本稳定", adherence="间断"),
                 _visit("P02", date(2025, 12, 3), condition="基本稳定", adherence="间断"),
                 _visit("P02", date(2026, 3, 1), condition="基本稳定", adherence="间断"),
                 _visit("P02", date(2026, 5, 30), adherence="间断"),
                 # P03: last follow-up → A is exactly G
                 _visit("P03", date(2025, 12, 30), "门诊"), _visit("P03", date(2026, 3, 30)),
                 # P04: last follow-up → A is G + 1; 不服药
                 _visit("P04", date(2025, 12, 29), "家庭访视", "基本稳定", "不服药"),
                 _visit("P04", date(2026, 3, 29), condition="基本稳定", adherence="不服药"),
                 # P06: in hospital, its own row says 不服药
                 _visit("P06", date(2026, 6, 1), condition="不稳定", adherence="不服药"),
                 _visit("P07", date(2026, 2, 1)),
                 # P08: a 未访到 家庭访视 in both periods: never a follow-up (nor a 面访)
                 _visit("P08", date(2025, 6, 15), "门诊"),
                 _visit("P08", date(2026, 6, 10), "家庭访视", "未访到", None, "外出务工"),
                 # P12: gaps within G, but only 3 follow-ups in 近12个月
                 _visit("P12", date(2025, 6, 30)), _visit("P12", date(2025, 9, 30)), _visit("P12", date(2025, 12, 30)),
                 _visit("P12", date(2026, 3, 30))]
    s["危险性评估"] = s["危险性评估"][:1]
    s["住院记录"] = [s["住院记录"][0], ["P06", datetime(2026, 5, 20), None, "县精神卫生中心", "自愿", None]]
    s["健康体检"] = [s["健康体检"][0], ["P01", date(2026, 2, 1), "镇卫生院", None],
                 ["P03", date(2025, 9, 1), "镇卫生院", None]]
    s["协议"] = [s["协议"][0],
               ["P01", "监护协议", date(2024, 1, 1), None, None],
               ["P01", "以奖代补协议", date(2025, 7, 1), None, 2000],  # in force to 2026-06-30 = A
               ["P01", "免费服药告知书", date(2024, 1, 1), None, None],
               ["P02", "监护协议", date(2024, 1, 1), date(2026, 6, 29), None],  # expired the day before A
               ["P02", "以奖代补协议", date(2025, 6, 30), None, 2000],  # in force to 2026-06-29
               ["P03", "监护协议", date(2026, 6, 30), None, None],  # signed on A
               ["P03", "免费服药告知书", date(2026, 6, 30), None, None]]
    s["事件记录"] = [s["事件记录"][0],
                 ["P02", date(2026, 2, 10), "肇事肇祸", None, None, "是", None],
                 ["P04", date(2025, 8, 1), "肇事肇祸", None, None, "是", None],  # in 近12个月 only
                 ["P01", date(2026, 3, 1), "轻微滋事", None, None, "是", None]]  # not 肇事肇祸
    s["通报记录"] = s["通报记录"][:1]
    s["点名记录"] = s["点名记录"][:1]
    return s


@pytest.fixture(scope="module")
def workbook(tmp_path_factory):
    return write_sheets(tmp_path_factory.mktemp("indicators") / "台账.xlsx", indicator_sheets())


@pytest.fixture(scope="module")
def data(workbook):
    data, report = validate_workbook(read_workbook(workbook), as_of=None, today=date(2026, 7, 1))
    assert report.valid, report.flatten(["sheet", "cell", "message"])[:5]
    assert data.as_of == A
    return data


def numbers(result: indicators.Indicators) -> dict[str, tuple[int, int]]:
    return {i.key: (i.numerator, i.denominator) for i in result}


def test_the_periods_end_at_the_as_of_day():
    assert period_of(A, "本年") == Period("本年", date(2026, 1, 1), A)
    assert period_of(A, "本季度") == Period("本季度", date(2026, 4, 1), A)
    assert period_of(date(2026, 12, 6), "本季度").start == date(2026, 10, 1)
    assert period_of(A, "本月") == Period("本月", date(2026, 6, 1), A)
    assert period_of(A, "近12个月") == Period("近12个月", date(2025, 7, 1), A)
    assert period_of(A, "近12个月").days == 365 and period_of(A, "本年").days == 181
    with pytest.raises(indicators.UnknownPeriod, match="统计周期“去年”无法识别"):
        period_of(A, "去年")


def test_the_setting_chooses_the_period_and_an_option_wins(data):
    assert indicators.resolve_period(data.settings, A).name == "本年"
    assert indicators.resolve_period(data.settings.model_copy(update={"period": "本月"}), A).name == "本月"
    assert indicators.resolve_period(data.settings.model_copy(update={"period": "本月"}), A, "近12个月").name == "近12个月"


def test_this_year_hand_worked(data):
    got = indicators.compute(data, histories(data), period_of(A, "本年"))
    # 在册 P01 P02 P03 P04 P05 P06 P08 P12; P07 died, P11 moved (closed); P09 待诊断; P10 其他
    assert got.counts == {"registered": 8, "managed": 6, "pending": 1, "other_diagnosis": 1, "closed": 2}
    assert numbers(got) == {
        "prevalence": (8, 20000),
        "management_rate": (6, 8),  # P01 P02 P03 P04 P06 P12; P05 none yet; P08's 未访到 is no follow-up
        "standard_management_rate": (5, 8),  # P01; P02 (from 2025-12-03); P03 (exactly G to A); P05 new; P12
        "face_visit_rate": (1, 8),  # P01 only: P08's 未访到 家庭访视 is not a 面访
        "medication_rate": (5, 8),  # P01 P03 P12 规律, P02 间断, P06 住院治疗 though its row says 不服药
        "regular_medication_rate": (3, 8),  # P01 P03 P12
        "stable_rate": (4, 6),  # of 在管: P01 P02 P03 P12
        "free_medication_share": (3, 6),  # P01 P02 P03
        "consent_signed_rate": (2, 4),  # of P01 P02 P03 P05: P01, P03 (signed on A)
        "health_check_rate": (1, 7),  # at home: P01 P02 P03 P04 P05 P08 P12; P01's check of 2026-02-01
        "guardian_agreement_rate": (2, 7),  # P01, P03 (signed on A); P02's expired the day before A
        "reward_agreement_rate": (1, 7),  # P01's ends on A (blank 到期日期); P02's the day before
        "incident_rate": (1, 8),  # P02 on 2026-02-10; P01's 轻微滋事 does not count
    }
    assert [i.key for i in got] == [spec.key for spec in INDICATORS]


def test_last_twelve_months_hand_worked(data):
    got = indicators.compute(data, histories(data), period_of(A, "近12个月"))
    assert got.counts == {"registered": 8, "managed": 6, "pending": 1, "other_diagnosis": 1, "closed": 2}
    assert numbers(got) == {
        "prevalence": (8, 20000),
        "management_rate": (6, 8),
        # P01 (gaps of exactly G, 5 follow-ups) and P05 (enrolled in the period: no count rule); P02 has a gap of
        # G + 1, P03 and P04 a gap from enrolment, P12 only 3 follow-ups, P06 and P08 gaps
        "standard_management_rate": (2, 8),
        "face_visit_rate": (3, 8),  # P01, P03 (2025-12-30 门诊), P04 (2025-12-29 家庭访视)
        "medication_rate": (5, 8),
        "regular_medication_rate": (3, 8),
        "stable_rate": (4, 6),
        "free_medication_share": (3, 6),
        "consent_signed_rate": (2, 4),
        "health_check_rate": (2, 7),  # P01, P03 (2025-09-01)
        "guardian_agreement_rate": (2, 7),
        "reward_agreement_rate": (1, 7),
        "incident_rate": (2, 8),  # P02, P04 (2025-08-01)
    }


def test_one_village_hand_worked_without_prevalence(data):
    got = indicators.for_village(data, histories(data), period_of(A, "本年"), VILLAGE)
    assert got.counts == {"registered": 4, "managed": 4, "pending": 0, "other_diagnosis": 1, "closed": 0}
    assert numbers(got) == {
        "management_rate": (4, 4), "standard_management_rate": (2, 4), "face_visit_rate": (0, 4),
        "medication_rate": (3, 4), "regular_medication_rate": (2, 4), "stable_rate": (2, 4),
        "free_medication_share": (1, 4), "consent_signed_rate": (1, 1), "health_check_rate": (0, 3),
        "guardian_agreement_rate": (1, 3), "reward_agreement_rate": (0, 3), "incident_rate": (0, 4),
    }
    with pytest.raises(indicators.UnknownVillage, match="没有名为“乙村”的村社区。台账中的村社区有：禾苗村、溪口社区。"):
        indicators.for_village(data, histories(data), period_of(A, "本年"), "乙村")


def test_the_villages_add_up_to_the_township(data):
    h, period = histories(data), period_of(A, "近12个月")
    township, villages = indicators.compute(data, h, period), indicators.by_village(data, h, period)
    for i in township:
        if i.key != "prevalence":
            assert sum(v[i.key].numerator for v in villages.values()) == i.numerator, i.key
            assert sum(v[i.key].denominator for v in villages.values()) == i.denominator, i.key
    assert {k: sum(v.counts[k] for v in villages.values()) for k in township.counts} == township.counts


@pytest.mark.parametrize("visits, expected", [
    ([date(2026, 3, 30)], True),  # 2025-12-30 … exactly G to A
    ([date(2026, 3, 29)], False),  # G + 1 to A
])
def test_the_gap_to_the_as_of_day_counts(visits, expected):
    period = period_of(A, "本年")
    assert standard_management(date(2024, 1, 1), [date(2025, 12, 30), *visits], period, G) is expected


def test_a_new_patient_is_standard_until_the_first_follow_up_is_late():
    period = period_of(A, "近12个月")
    assert standard_management(date(2026, 3, 30), [], period, G)  # exactly G days since enrolment
    assert not standard_management(date(2026, 3, 29), [], period, G)


def test_values_units_targets_and_met(data):
    got = indicators.compute(data, histories(data), period_of(A, "本年"))
    assert got["prevalence"].value == pytest.approx(0.4) and got["prevalence"].unit == "‰"
    assert got["prevalence"].met is False  # 0.4‰ < 4.5‰
    assert got["standard_management_rate"].target == 90  # the setting 规范管理率目标 wins over 95
    assert got["standard_management_rate"].value == 62.5 and got["standard_management_rate"].met is False
    assert got["management_rate"].target == 80 and got["medication_rate"].target is None
    assert got["medication_rate"].met is None
    incident = got["incident_rate"]
    lower = indicators.Indicator(incident.spec, incident.numerator, incident.denominator, 12.5)
    assert lower.met is True and indicators.Indicator(incident.spec, 2, 8, 12.4).met is False  # lower is better
    assert indicators.Indicator(incident.spec, 0, 0, 1).value is None


def test_a_target_setting_reads_percent_signs_and_refuses_words(tmp_path):
    s = indicator_sheets()
    s["基本设置"] += [["管理率目标", "85%", None], ["面访率目标", "很高", None]]
    data, report = validate_workbook(read_workbook(write_sheets(tmp_path / "t.xlsx", s)), as_of=None,
                                     today=date(2026, 7, 1))
    assert data.settings.management_rate_target == 85
    assert [p.message for p in report.errors] == ["“面访率目标”：「很高」不是指标目标值，请只填写数字（如 95 表示 95%）。"]


def test_the_census_shows_other_and_pending_apart(data):
    c = indicators.census(data.patients)
    assert (c.registered, c.pending, c.other, c.closed, c.total) == (8, 1, 1, {"死亡": 1, "迁出": 1}, 12)


def cli_json(workbook, *args: str) -> dict:
    result = run("indicators", str(workbook), "--json", *args)
    assert result.returncode == 0, text(result.stderr)
    return json.loads(text(result.stdout))


def test_indicators_json_is_the_contracts_shape(workbook):
    got = cli_json(workbook, "--period", "近12个月")
    assert list(got) == ["as_of", "period", "counts", "indicators"]
    assert got["as_of"] == "2026-06-30"
    assert got["period"] == {"name": "近12个月", "start": "2025-07-01", "end": "2026-06-30"}
    assert got["counts"] == {"registered": 8, "managed": 6, "pending": 1, "other_diagnosis": 1, "closed": 2}
    assert list(got["indicators"]) == [spec.key for spec in INDICATORS]
    assert got["indicators"]["standard_management_rate"] == {
        "name": "规范管理率", "numerator": 2, "denominator": 8, "value": 25.0, "unit": "%", "target": 90.0}
    assert got["indicators"]["prevalence"] == {
        "name": "报告患病率", "numerator": 8, "denominator": 20000, "value": 0.4, "unit": "‰", "target": 4.5}
    assert got["indicators"]["stable_rate"]["value"] == 66.67 and got["indicators"]["stable_rate"]["target"] is None


def test_the_setting_is_the_default_period_and_the_option_wins(workbook):
    assert cli_json(workbook)["period"] == {"name": "本年", "start": "2026-01-01", "end": "2026-06-30"}
    month = cli_json(workbook, "--period", "本月")
    assert month["period"] == {"name": "本月", "start": "2026-06-01", "end": "2026-06-30"}
    # June: P01 (06-20) and P06 (06-01) followed up; P08's 06-10 未访到 is not
    assert month["counts"]["managed"] == 2


def test_one_villages_indicators_leave_prevalence_out(workbook):
    got = cli_json(workbook, "--village", VILLAGE)
    assert "prevalence" not in got["indicators"]
    assert got["counts"] == {"registered": 4, "managed": 4, "pending": 0, "other_diagnosis": 1, "closed": 0}
    assert got["indicators"]["standard_management_rate"]["numerator"] == 2


def test_an_unknown_village_is_a_chinese_error(workbook):
    result = run("indicators", str(workbook), "--village", "乙村")
    assert result.returncode == 1 and result.stdout == b""
    assert text(result.stderr) == "错误：没有名为“乙村”的村社区。台账中的村社区有：禾苗村、溪口社区。\n"


def test_indicators_as_text(workbook):
    result = run("indicators", str(workbook))
    assert result.returncode == 0
    lines = text(result.stdout).splitlines()
    assert lines[:3] == ["统计截止日期：2026-06-30", "统计期：本年（2026-01-01 至 2026-06-30）",
                         "人数：在册 8；在管 6；待诊断 1；其他诊断 1；已结案 2"]
    assert "规范管理率：62.5%（5/8），目标 ≥ 90%，未达标" in lines
    assert "病情稳定率：66.7%（4/6），无目标" in lines
    assert "报告患病率：0.4‰（8/20000），目标 ≥ 4.5‰，未达标" in lines


def site_indicators(page: str) -> dict[str, tuple]:
    """The indicator tables of a built page: {name: (numerator, denominator, value, target, met)}, and the period."""
    found = {}
    for part in re.findall(r'<table class="jf-table jf-indicators">(.*?)</table>', page, re.S):
        for row in re.findall(r"<tr>(.*?)</tr>", part, re.S):
            cells = [html.unescape(re.sub(r"<[^>]+>", "", c)).strip() for c in re.findall(r"<td>(.*?)</td>", row, re.S)]
            if cells:
                name, value, target, met, numerator, denominator, _definition = cells  # issue 24: rate and 达标 first
                found[name] = (int(numerator), int(denominator.split("（")[0]), value, target, met)
    return found


def expected(indicator: dict) -> tuple:
    """What the site should show for one indicator of ``indicators --json``."""
    value = "—" if indicator["value"] is None else f"{indicator['value']:.1f}{indicator['unit']}"
    target = "—" if indicator["target"] is None else f"≥ {indicator['target']:g}{indicator['unit']}"
    if indicator["target"] is None:
        met = "— 无目标"
    else:
        met = "✓ 达标" if indicator["value"] >= indicator["target"] else "✗ 未达标"
    return indicator["numerator"], indicator["denominator"], value, target, met


@pytest.fixture(scope="module")
def site(workbook, tmp_path_factory):
    out = tmp_path_factory.mktemp("site") / "site"
    result = run("build", str(workbook), "--out", str(out), "--insecure-no-password", password=None)
    assert result.returncode == 0, text(result.stderr)
    return out


@pytest.mark.parametrize("page, village, keys", [
    ("index.html", None, None),
    ("villages/V02.html", VILLAGE, None),
    ("departments/health.html", None, {"management_rate", "standard_management_rate", "face_visit_rate",
                                       "medication_rate", "regular_medication_rate", "stable_rate",
                                       "free_medication_share", "consent_signed_rate", "health_check_rate"}),
    ("departments/police.html", None, {"incident_rate"}),
])
def test_the_sites_numbers_are_indicators_json(workbook, site, page, village, keys):
    shown = (site / page).read_text(encoding="utf-8")
    got = cli_json(workbook, *(["--village", village] if village else []))
    want = {i["name"]: expected(i) for key, i in got["indicators"].items() if keys is None or key in keys}
    assert site_indicators(shown) == want
    assert "统计期：本年（2026-01-01 至 2026-06-30），起止两天都算在内。" in shown
    for key, i in got["indicators"].items():  # each with its definition from the one catalogue
        if keys is None or key in keys:
            assert html.escape(BY_KEY[key].definition, quote=False) in shown


def test_the_home_pages_village_table_is_each_villages_json(workbook, site):
    shown = (site / "index.html").read_text(encoding="utf-8")
    got = cli_json(workbook, "--village", VILLAGE)["indicators"]
    row = re.search(r"<tr><td>溪口社区</td>(.*?)</tr>", shown.split("各村社区没有常住人口数")[0].split("jf-meeting")[-1],
                    re.S).group(1)
    cells = [html.unescape(re.sub(r"<[^>]+>", "", c)) for c in re.findall(r"<td>(.*?)</td>", row, re.S)]
    # issue 24: the 达标 count first, then each value with its sign (no lower-is-better target in this workbook)
    judged = [i for i in got.values() if i["target"] is not None and i["value"] is not None]
    sign = {True: "\u00a0✓", False: "\u00a0✗"}
    marks = [sign[i["value"] >= i["target"]] if i in judged else "" for i in got.values()]
    assert cells == [f"{sum(i['value'] >= i['target'] for i in judged)}/{len(judged)}\u00a0项",
                     *(f"{expected(i)[2]}{mark}（{i['numerator']}/{i['denominator']}）" for i, mark in zip(got.values(), marks))]


def test_the_trends_last_month_is_the_last_twelve_months_indicators(data):
    from generator.derive import trends

    h = histories(data)
    last = trends.compute(data, h, A).months[-1]
    year = indicators.compute(data, h, period_of(A, "近12个月"))
    assert (last.registered, last.standard, last.faced) == (8, 2, 3)
    assert (last.standard, last.registered) == (year["standard_management_rate"].numerator,
                                                year["standard_management_rate"].denominator)
    assert last.faced == year["face_visit_rate"].numerator
