"""Clerk-facing wording (issue 24 item 7): due dates that read right, no developer text on the clerk's pages."""

from __future__ import annotations

import re
from datetime import date, datetime

from generator.contract.patients import Assessment
from generator.contract.report import Report
from generator.present.pages import render_pages
from generator.present.views import build_view
from tests.markup import bare
from tests.test_print import A, dataset, patient


def dues_of(markdown: str) -> list[tuple[str, ...]]:
    """The rows of a record page's 事项 / 应办日期 / 状态 table, as text."""
    body = bare(markdown).split("<th>事项</th><th>应办日期</th><th>状态</th>", 1)[1].split("</table>", 1)[0]
    return [tuple(re.sub(r"<[^>]+>", "", c) for c in re.findall(r"<td>(.*?)</td>", row))
            for row in re.findall(r"<tr>(.*?)</tr>", body)]


def test_a_record_says_never_done_since_enrolment_and_gives_no_date_to_what_does_not_apply():
    # P1: at home, risk 4 assessed 2025-05-01, never followed up, checked or seen face to face, enrolled 2024-01-01.
    # P2: in hospital: nothing applies. At A = 2025-06-30.
    data = dataset([patient("P1"), patient("P2", status="住院治疗")],
                   assessments=[Assessment(patient_id="P1", assessed=date(2025, 5, 1), risk=4)])
    pages = {rel: p.markdown() for rel, p in render_pages(build_view(data, Report(), A, datetime(2025, 7, 1)))}
    assert dues_of(pages["patients/P1.md"]) == [
        ("随访", "从未随访（纳入管理 2024-01-01）", "已逾期"),
        ("危险性评估", "2025-07-30", "未到期"),  # done once: its date (05-01 + the default 90 days for 不稳定)
        ("健康体检", "从未体检（纳入管理 2024-01-01）", "已逾期"),
        ("重点患者面访", "从未面访（纳入管理 2024-01-01）", "已逾期"),
    ]
    assert dues_of(pages["patients/P2.md"]) == [
        ("随访", "", "不适用"), ("危险性评估", "", "不适用"), ("健康体检", "", "不适用"), ("重点患者面访", "", "不适用")]
