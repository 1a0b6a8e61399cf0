"""Trends, hand-worked over the last three months of a small township (as-of 2025-06-30), and the charts' SVG."""

from __future__ import annotations

import re
from datetime import date

from generator.derive import trends
from generator.derive.history import histories
from generator.present.pages.charts import bar_chart, hbar_chart, line_chart
from generator.contract.organisation import Village
from generator.contract.patients import Followup, Patient
from generator.contract.schema import Dataset
from generator.contract.settings import Settings

A = date(2025, 6, 30)


def patient(pid: str, **kw) -> Patient:
    fields = dict(patient_id=pid, name="试甲乙", sex="男", village="甲村", diagnosis="精神分裂症", enrolled=date(2024, 1, 1),
                  status="在家居住", group_id="G1", guardian="试丙丁", guardian_phone="13900000000")
    return Patient(**(fields | kw))


def visit(pid: str, d: date, form: str = "家庭访视", condition: str = "稳定") -> Followup:
    return Followup(patient_id=pid, visit_date=d, form=form, risk=0, condition=condition)


def township() -> Dataset:
    """P1 稳定 (90 days) visited every 87 days; P2 new in May, first visit by phone in June; P3 died 2025-05-20;
    P4 待诊断, new in April."""
    return Dataset(
        settings=Settings(township="测试镇"),
        villages=[Village(name="甲村"), Village(name="乙村")],
        patients=[
            patient("P1"),
            patient("P2", village="乙村", enrolled=date(2025, 5, 10)),
            patient("P3", enrolled=date(2023, 1, 1), status="死亡", died=date(2025, 5, 20), group_id=None),
            patient("P4", diagnosis="待诊断", enrolled=date(2025, 4, 15), status="住院治疗"),
        ],
        followups=[visit("P1", date(2024, 7, 15)), visit("P1", date(2024, 10, 10)), visit("P1", date(2025, 1, 5)),
                   visit("P1", date(2025, 4, 2)), visit("P2", date(2025, 6, 10), "电话", "基本稳定"),
                   visit("P3", date(2025, 3, 1))],
    )


def computed() -> trends.Trends:
    data = township()
    return trends.compute(data, histories(data), A)


def test_twelve_months_ending_with_the_as_of_month():
    spans = trends.month_spans(date(2025, 1, 15))
    assert len(spans) == 12
    assert spans[0] == (date(2024, 2, 1), date(2024, 2, 29))
    assert spans[-2] == (date(2024, 12, 1), date(2024, 12, 31))
    assert spans[-1] == (date(2025, 1, 1), date(2025, 1, 15))  # the as-of month ends at the as-of day


def test_last_three_months_hand_worked():
    months = computed().months
    assert [m.label for m in months[-3:]] == ["2025-04", "2025-05", "2025-06"]
    fields = ("due", "done", "registered", "standard", "faced", "new", "died")
    got = [tuple(getattr(m, f) for f in fields) for m in months[-3:]]
    assert got == [
        # April: P1 due 04-05 (01-05 + 90), visited 04-02; 在册 P1 and P3 (dies later); both faced; P4 new;
        # 规范管理 over 近12个月 (from 2024-05-01): nobody — P1's first follow-up came 196 days after enrolment
        (1, 1, 2, 0, 2, 1, 0),
        # May: P2 due 05-24 (no visit: 不稳定, 14 days after enrolment), not visited; P3 died 05-20 (gone); P2 new,
        # 规范 until its first follow-up is G days late
        (1, 0, 2, 1, 1, 1, 1),
        # June: P2 still due, visited by phone 06-10 (not a 面访), still 规范; P1 next due 07-01
        (1, 1, 2, 1, 1, 0, 0),
    ]
    assert months[-1].standard_rate == 50.0 and months[-3].face_rate == 100.0


def test_the_as_of_months_follow_ups_per_village_in_sheet_order():
    assert [(v.village, v.due, v.done) for v in computed().villages] == [("甲村", 0, 0), ("乙村", 1, 1)]


def test_a_month_with_nobody_registered_has_no_rate():
    first = computed().months[0]  # 2024-07: P1 and P3 registered, so look at a township with nobody
    assert first.registered == 2
    empty = trends.compute(Dataset(settings=Settings(township="测试镇")), {}, A).months[0]
    assert empty.registered == 0 and empty.standard_rate is None and empty.face_rate is None


def test_charts_are_inline_svg_with_every_value_written_and_text_escaped():
    bars = bar_chart("t", "标题<b>", ["1月", "2月"], [("应随访", [3, 0]), ("已随访", [2, None])])
    assert bars.strip().startswith('<section class="jf-chart"><figure><svg ') and "<script" not in bars
    assert re.findall(r'class="jf-value"[^>]*>(\d+|—)</text>', bars) == ["3", "0", "2", "—"]
    assert "标题&#60;b&#62;" in bars and "<b>" not in bars
    assert 'fill="url(#t-hatch)"' in bars  # the second series is hatched: readable without colour
    lines = line_chart("r", "率", ["1月", "2月", "3月"], [("规范管理率", [50.0, None, 75.0])])
    assert lines.count("<polyline") == 1 and re.findall(r'class="jf-value"[^>]*>(\d+)</text>', lines) == ["50", "75"]
    village = hbar_chart("v", "各村", ["甲村&乙"], [("应随访", [4])])
    assert "甲村&#38;乙" in village and ">4</text>" in village
