"""The derived contract: one specification per overdue list, declared once.

The rules' output (its keys and their order), the overdue pages, the home page, ``overdue --json``, ``export`` and
the README's table are all made from these specs. A list's logic is the rule registered under its key in rules.py;
adding a list means one spec here and one rule function there.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

Subject = Literal["patient", "group", "village", "township"]
Shows = Literal["due", "date", "none"]


@dataclass(frozen=True)
class ListSpec:
    """One list: its key (as in domain.md), title, one-line explanation, what its items are and what they carry.

    subject: what an item's id names (a patient code, a group code, a village name, the township).
    shows: "due" — a due date and the days past it; "date" — the date of the event it is about (date_label names
    it); "none" — being on the list is the whole fact. never: how an item without a due date reads (never done).
    """

    key: str
    title: str
    about: str
    subject: Subject = "patient"
    shows: Shows = "due"
    date_label: str = ""
    never: str = ""

    def when_headers(self) -> list[str]:
        """The columns that say when: a due date and days past it, the date of the event, or none."""
        return {"due": ["应办日期", "逾期天数"], "date": [self.date_label], "none": []}[self.shows]

    def when_cells(self, item: Any) -> list[Any]:
        """An item's cells under when_headers (item: rules.OverdueItem)."""
        if self.shows == "due":
            return [item.due or self.never or None, item.days_overdue]
        return [item.date] if self.shows == "date" else []


LISTS: tuple[ListSpec, ...] = (
    ListSpec("followup_overdue", "随访逾期",
             "在家居住的患者，最近一次随访约定的下次随访日期（未约定时按病情分类的随访间隔）已过。"),
    ListSpec("assessment_overdue", "评估逾期", "在家居住的患者，距最近一次危险性评估已超过病情分类对应的评估间隔。"),
    ListSpec("health_check_overdue", "体检逾期", "在家居住的患者，距最近一次健康体检已超过体检间隔。"),
    ListSpec("high_risk_at_home", "高风险居家", "当前危险性达到高风险等级、仍在家居住的患者：原则上应住院治疗，需要作出决定。",
             shows="none"),
    ListSpec("high_risk_visit_overdue", "高风险面访逾期", "在家居住的高风险患者，距最近一次面访已超过高风险居家面访间隔。"),
    ListSpec("discharge_followup_overdue", "出院未及时随访", "出院后超过规定天数仍没有随访的在家居住患者。"),
    ListSpec("guardian_agreement_missing", "未签监护协议", "在家居住、没有有效监护协议的患者。", shows="none"),
    ListSpec("reward_agreement_expired", "以奖代补协议过期", "签过以奖代补协议、但目前没有一份在有效期内的在家居住患者。"),
    ListSpec("free_medication_consent_missing", "未签免费服药告知书", "享受免费服药、但没有签免费服药告知书的患者。",
             shows="none"),
    ListSpec("police_db_missing", "高风险未录入公安库", "高风险但“已录入公安库”不是“是”的患者。", shows="none"),
    ListSpec("missing", "失访/下落不明", "在管状态为下落不明或外出务工的患者。", shows="none"),
    ListSpec("cross_village", "人户分离待通报", "户籍村社区与现住村社区不同、需要通报户籍地的患者。", shows="none"),
    ListSpec("diagnosis_pending", "待诊断", "诊断为“待诊断”的人员。", shows="none"),
    ListSpec("too_few_visitors", "随访人数不足", "一年内随访人员少于“随访最少人数”的面访。", shows="date",
             date_label="随访日期"),
    ListSpec("group_meeting_overdue", "小组会议逾期", "距最近一次小组会议（没有会议时从成立日期算起）已超过会议间隔的帮扶小组。",
             subject="group", never="从未开会"),
)
BY_KEY: dict[str, ListSpec] = {spec.key: spec for spec in LISTS}

SUBJECT_IDS = {"patient": "患者编号", "group": "小组编号", "village": "村社区名称", "township": "乡镇"}


def render_readme_table() -> str:
    """The README's table of lists (checked by tests/test_docs.py)."""
    rows = ["| 键 | 清单 | 条目 | 说明 |", "|---|---|---|---|"]
    for spec in LISTS:
        carries = {"due": "、`due`、`days_overdue`", "date": f"、`date`（{spec.date_label}）", "none": ""}[spec.shows]
        rows.append(f"| `{spec.key}` | {spec.title} | `id`（{SUBJECT_IDS[spec.subject]}）{carries} | {spec.about} |")
    return "\n".join(rows) + "\n"
