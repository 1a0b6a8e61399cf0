"""The derived contract: one specification per overdue list, declared once.

The rules' output (its keys and their order), the overdue pages, the home page, ``overdue --json``, ``export`` and
the README's table are all made from these specs, in the order of LISTS. A list's logic is the rule registered under
its key in generator/derive/list_rules.py (v1) or records.py (v2, v3); adding a list means one spec here and one rule
function there.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

Subject = Literal["patient", "group", "village", "township"]
Shows = Literal["due", "date", "none"]
# what a list is to its reader: things to do now; a register to consult (高风险患者底册, the 逐人台账); or findings
# about the past that nobody can put right now (a visit made by one person, a roll call a day missed): data quality
Kind = Literal["todo", "register", "finding"]
KIND_TITLES: dict[str, str] = {"todo": "待办", "register": "底册台账", "finding": "数据质量与既往情况"}


@dataclass(frozen=True)
class ListSpec:
    """One list: its key (as in domain.md), title, one-line explanation, what its items are and what they carry.

    subject: what an item's id names (a patient code, a group code, a village name, the township).
    shows: "due" — a due date and the days past it; "date" — the date of the event it is about (date_label names
    it); "none" — being on the list is the whole fact. never: how an item reads that was never done at all
    (no due date, or one counted from enrolment: OverdueItem.never).
    kind: "todo" (things to do), "register" (a register to consult: 高风险患者底册, not things to do) or "finding"
    (a fact about the past nobody can put right now: shown apart from the to-dos, as data quality). needs: the optional sheets the list is made
    from; when the workbook lacks one, the list is empty rather than full of things that were never recorded.
    """

    key: str
    title: str
    about: str
    subject: Subject = "patient"
    shows: Shows = "due"
    date_label: str = ""
    never: str = ""
    kind: Kind = "todo"
    needs: tuple[str, ...] = ()
    facts: tuple[str, ...] = ()  # more about each patient beside the item (pages/overdue.FACTS names them)

    @property
    def register(self) -> bool:
        """A register to consult, not things to do."""
        return self.kind == "register"

    def when_headers(self) -> list[str]:
        """The columns that say when: a due date and days past it, the date of the event, or none."""
        return {"due": ["应办日期", "逾期天数"], "date": [self.date_label], "none": []}[self.shows]

    def when_cells(self, item: Any) -> list[Any]:
        """An item's cells under when_headers (item: derive.registry.OverdueItem)."""
        if self.shows == "due":
            return [item.due or self.never or None, item.days_overdue]
        return [item.date] if self.shows == "date" else []

    def when_words(self, item: Any) -> list[Any]:
        """when_cells as a page shows them: never done at all says so rather than count days from enrolment, and a
        patient's says since when (从未面访（纳入管理 2024-01-01）), not a due date years ago."""
        cells = self.when_cells(item)
        if self.shows == "due" and item.never and self.never:
            since = getattr(item, "since", None)
            cells = [f"{self.never}（纳入管理 {since.isoformat()}）", None] if since else [cells[0], self.never]
        return cells


LISTS: tuple[ListSpec, ...] = (
    ListSpec("followup_overdue", "随访逾期",
             "在家居住的患者，应随访日期已过：最近一次随访约定的下次随访日期和随访日期加病情分类的随访间隔中较早的一天"
             "（从未随访时为纳入管理日期加随访间隔）。", never="从未随访"),
    ListSpec("assessment_overdue", "评估逾期", "在家居住的患者，距最近一次危险性评估已超过病情分类对应的评估间隔。",
             never="从未评估"),
    ListSpec("health_check_overdue", "体检逾期", "在家居住的患者，距最近一次健康体检已超过体检间隔。", never="从未体检"),
    ListSpec("high_risk_at_home", "高风险居家", "当前危险性达到高风险等级、仍在家居住的患者：原则上应住院治疗，需要作出决定。",
             shows="none"),
    ListSpec("high_risk_visit_overdue", "重点患者面访逾期",
             "在家居住、当前为高风险或病情不稳定的患者，距最近一次面访（门诊、家庭访视）已超过高风险居家面访间隔天数。",
             never="从未面访"),
    ListSpec("discharge_followup_overdue", "出院未及时随访", "出院后超过规定天数仍没有随访的在家居住患者。"),
    ListSpec("guardian_agreement_missing", "未签监护协议", "在家居住、没有有效监护协议的患者。", shows="none"),
    ListSpec("reward_agreement_expired", "以奖代补协议过期", "签过以奖代补协议、但目前没有一份在有效期内的在家居住患者。"),
    ListSpec("free_medication_consent_missing", "未签免费服药告知书", "享受免费服药、但没有签免费服药告知书的患者。",
             shows="none"),
    ListSpec("police_db_missing", "高风险未录入公安库", "高风险但“已录入公安库”不是“是”的患者。", shows="none"),
    ListSpec("missing", "失访/下落不明", "在管状态为下落不明或外出务工的患者。", shows="none"),
    ListSpec("cross_village", "人户分离待通报",
             "户籍村社区与现住村社区不同、还没有“人户分离通报”记录的患者；现住和户籍两个村社区的页面都显示。",
             shows="none"),
    ListSpec("diagnosis_pending", "待诊断", "诊断为“待诊断”的人员。", shows="none"),
    ListSpec("too_few_visitors", "随访人数不足", "一年内随访人员少于“随访最少人数”的面访。", shows="date",
             date_label="随访日期", kind="finding"),
    ListSpec("group_meeting_overdue", "小组会议逾期", "距最近一次小组会议（没有会议时从成立日期算起）已超过会议间隔的帮扶小组。",
             subject="group", never="从未开会"),
    # v2 (2026-11-24): the township's work records
    ListSpec("followup_due_soon", "近期应随访",
             "在家居住的患者，应随访日期在统计截止日期当天至其后 7 天内（本周的随访计划，最早到期的在前）；"
             "还没有逾期，逾期天数为空。"),
    ListSpec("high_risk_report_missing", "高风险未报告",
             "当前为高风险、升为高风险那天及以后还没有“高风险报告”通报记录的患者（死亡、迁出的除外）；"
             "应办日期为升为高风险的日期加报告时限天数。", needs=("通报记录",)),
    ListSpec("move_report_missing", "外出未报告",
             "因外出务工、迁居他处或走失未访到，或有走失事件，此后还没有“外出报告”通报记录的患者（死亡、迁出的除外）；"
             "应办日期为最近一次这样的日期加报告时限天数。", needs=("通报记录",)),
    ListSpec("reward_agreement_none", "未签以奖代补协议（逐人台账）", "在家居住、从未签过以奖代补协议的患者（逐人建立台账）。",
             shows="none", kind="register"),
    ListSpec("reward_voided", "本年度不予奖励",
             "以奖代补协议在有效期内，但本协议年度内发生了“奖励取消事件类型”中的事件的患者；日期为最近一次这样的事件。",
             shows="date", date_label="事件日期", needs=("事件记录",), kind="register"),
    ListSpec("roll_call_missing", "敏感时期点名缺失",
             "敏感时期里（算到统计截止日期前一天）应当点名、却没有点名记录的在家患者，每人每天一项；"
             "点名范围为“高风险”的时期只点当前高风险的患者。", shows="date", date_label="点名日期",
             needs=("敏感时期", "点名记录"), kind="finding"),
    ListSpec("work_meeting_overdue", "工作例会逾期",
             "距综合管理（领导）小组最近一次例会或联席会议已超过工作会议间隔天数（没有会议记录即为逾期）。",
             subject="township", never="从未开会", needs=("工作会议",)),
    ListSpec("screening_overdue", "集中排查逾期", "距最近一次集中排查已超过集中排查间隔天数的村社区（从未排查即为逾期）。",
             subject="village", never="从未排查", needs=("排查记录",)),
    ListSpec("active_search_overdue", "主动搜索逾期",
             "距最近一次主动搜索已超过主动搜索间隔天数的村社区（从未搜索即为逾期；间隔天数为 0 时不检查）。",
             subject="village", never="从未搜索", needs=("排查记录",)),
    ListSpec("high_risk_register", "高风险患者底册",
             "高风险底册起始日期（含）以后危险性达到过高风险等级的患者，死亡、迁出的除外。这是底册，不是待办事项；"
             "日期为起始日期以后第一次达到高风险的日期。", shows="date", date_label="列入日期", kind="register",
             facts=("risk", "last_face_visit", "last_notice")),
    # v3 (2026-12-06): lists from facts the workbook already holds
    ListSpec("lost_contact_suspected", "连续未访到（核实去向）",
             "在家居住的患者，最近的“连续未访到次数”条随访记录都是“未访到”（0 表示不检查）：核实去向；"
             "日期为其中最近的一次。", shows="date", date_label="最近未访到日期"),
    ListSpec("refusal_unreported", "拒访未通报",
             "最近一次因“拒绝随访”未访到以后，还没有“失访拒访通报”通报记录的患者（死亡、迁出的除外）；"
             "应办日期为那次未访到的日期加报告时限天数。", needs=("通报记录",)),
    ListSpec("incident_unreported", "事件未报告派出所",
             "“已报告派出所”不是“是”的肇事肇祸、轻微滋事事件，每件一项；日期为发生日期。", shows="date",
             date_label="发生日期", needs=("事件记录",)),
    ListSpec("discharge_info_missing", "出院信息未接收（一历五单）",
             "已出院（出院日期不晚于统计截止日期）、“出院信息已接收”不是“是”的住院记录，每次住院一项（死亡、迁出的除外）；"
             "日期为出院日期。", shows="date", date_label="出院日期"),
)
BY_KEY: dict[str, ListSpec] = {spec.key: spec for spec in LISTS}


@dataclass(frozen=True)
class Department:
    """A department's page: the lists it acts on, one click from the home page."""

    slug: str
    title: str
    about: str
    lists: tuple[str, ...]
    names: tuple[str, ...] = ()  # what the access file may call it (besides the title)


DEPARTMENTS: tuple[Department, ...] = (
    Department("police", "派出所", "高风险患者底册和在家的高风险患者、应报未报、公安库录入、失访走失、拒访和事件。",
               ("high_risk_register", "high_risk_at_home", "high_risk_report_missing", "police_db_missing", "missing",
                "move_report_missing", "refusal_unreported", "incident_unreported"), ("派出所",)),
    Department("health", "卫生院（精防医生）",
               "近期应随访和逾期的随访、评估、体检、重点患者面访，连续未访到，出院衔接和出院信息，免费服药告知书，待诊断。",
               ("followup_due_soon", "followup_overdue", "assessment_overdue", "health_check_overdue",
                "high_risk_visit_overdue", "lost_contact_suspected", "discharge_followup_overdue",
                "discharge_info_missing", "free_medication_consent_missing", "diagnosis_pending"), ("卫生院", "精防医生")),
    Department("civil", "民政办、残联", "低保、特困、低收入患者，以奖代补协议和本年度不予奖励，精神残疾证和免费服药。",
               ("reward_agreement_none", "reward_agreement_expired", "reward_voided", "free_medication_consent_missing"),
               ("民政办", "残联")),
)


def department_named(name: str) -> Department | None:
    """The department an access file means by name (派出所, 卫生院, 民政办 …), or None."""
    return next((d for d in DEPARTMENTS if name.strip() in (d.title, *d.names)), None)


SUBJECT_IDS = {"patient": "患者编号", "group": "小组编号", "village": "村社区名称", "township": "乡镇"}
TOWNSHIP_ID = "乡镇"  # the id of a township-level item (work_meeting_overdue)


def render_readme_table() -> str:
    """The README's table of lists (checked by tests/test_docs.py)."""
    rows = ["| 键 | 清单 | 条目 | 说明 |", "|---|---|---|---|"]
    for spec in LISTS:
        carries = {"due": "、`due`、`days_overdue`", "date": f"、`date`（{spec.date_label}）", "none": ""}[spec.shows]
        rows.append(f"| `{spec.key}` | {spec.title} | `id`（{SUBJECT_IDS[spec.subject]}）{carries} | {spec.about} |")
    return "\n".join(rows) + "\n"
