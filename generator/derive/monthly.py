"""月度信息交换通报: what happened in one calendar month, each department's copy holding what it acts on (pure).

Seeds 000 and 001 ask the 派出所, 卫生院 and 民政办 to exchange information every month. The report is computed from
the workbook's dated records only; the month is passed in (default: the month before the as-of date).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta

from generator.contract.dates import EARLIEST, LATEST
from generator.derive.comparison import Comparison
from generator.derive.history import History, observations
from generator.derive.registry import Facts
from generator.contract.patients import Patient
from generator.derive.trends import Record, followup_month, village_followups
from generator.contract.vocab import MISSING_STATUSES, MOVED_AWAY, NOT_REACHED, NOTICE_KINDS, WANDERED

PATIENT_COLUMNS = ("编号", "姓名", "村社区")


class MonthProblem(Exception):
    """A month given on the command line cannot be used; the message says why in Chinese."""


@dataclass(frozen=True)
class Month:
    """A calendar month: its first and last day."""

    first: date
    last: date

    @classmethod
    def of(cls, day: date) -> Month:
        first = day.replace(day=1)
        following = (first + timedelta(days=32)).replace(day=1)
        return cls(first, following - timedelta(days=1))

    @property
    def label(self) -> str:
        return f"{self.first.year}年{self.first.month}月"

    @property
    def key(self) -> str:
        return f"{self.first.year}-{self.first.month:02d}"

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.first <= day <= self.last


def month_before(day: date) -> Month:
    """The calendar month before the one holding day (the default report month)."""
    return Month.of(day.replace(day=1) - timedelta(days=1))


def read_month(text: str) -> Month:
    """A month written 2026-10, 2026/10, 2026.10 or 2026年10月 (full-width digits too), in the years dates.py allows."""
    found = re.fullmatch(r"\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?\s*", unicodedata.normalize("NFKC", text))
    if not found or not 1 <= int(found[2]) <= 12:
        raise MonthProblem(f"月份“{text}”看不懂：请写成 2026-10 这样的“年-月”。")
    if not EARLIEST.year <= int(found[1]) <= LATEST.year:
        raise MonthProblem(f"月份“{text}”超出范围：年份应在 {EARLIEST.year} 到 {LATEST.year} 之间，请写成 2026-10 这样的“年-月”。")
    return Month.of(date(int(found[1]), int(found[2]), 1))


def parse_month(text: str, as_of: date) -> Month:
    """A month as read_month reads it, not after as_of's month."""
    month = read_month(text)
    if month.first > as_of:
        raise MonthProblem(f"月份 {month.label} 晚于统计截止日期 {as_of.isoformat()}：台账里还没有这个月的记录。")
    return month


@dataclass(frozen=True)
class Section:
    """One part of the report: a title, what it counts, and its rows (plain values, the patient's first)."""

    key: str
    title: str
    about: str
    columns: tuple[str, ...]
    rows: tuple[tuple, ...]


# each department's copy holds what that department acts on (keys of lists.DEPARTMENTS)
DEPARTMENT_SECTIONS: dict[str, tuple[str, ...]] = {
    "police": ("new", "rises", "stays", "incidents", "lost", "closed", "notices"),
    "health": ("new", "rises", "stays", "incidents", "lost", "closed", "followups", "notices"),
    "civil": ("new", "stays", "incidents", "closed"),
}


def monthly_report(facts: Facts, month: Month) -> dict[str, Section]:
    """Every section of the month's report, by key (departments pick theirs through DEPARTMENT_SECTIONS)."""
    people = {p.patient_id: p for p in facts.data.patients}
    sections = (_new(facts, month), _rises(facts, month), _stays(facts, month, people),
                _incidents(facts, month, people), _lost(facts, month), _closed(facts, month, people),
                _followups(facts, month), _notices(facts, month, people))
    return {s.key: s for s in sections}


def comparison_summary(result: Comparison) -> str:
    """One source's line in the report (build --compare): 与卫健库比对：一致 N 人，不一致 M 处（姓名 a 处…），仅台账有
    x 人，仅卫健库有 y 人. Counts only: the report goes to every department, the names stay on the 信息比对 page."""
    other = result.source if result.source.endswith("库") else f"{result.source}名单"
    fields = "、".join(f"{name} {n} 处" for name, n in result.field_counts().items())
    line = (f"与{other}比对：一致 {result.agreeing} 人，不一致 {len(result.differences)} 处{f'（{fields}）' if fields else ''}，"
            f"仅台账有 {len(result.only_in_workbook)} 人，仅{other}有 {len(result.only_in_other)} 人")
    if result.duplicates:
        line += f"，{other}中身份证号重复 {len(result.duplicates)} 组（未参与比对）"
    return line


def _who(p: Patient) -> tuple[str, str, str]:
    return p.patient_id, p.name, p.village


def _history(facts: Facts, p: Patient) -> History:
    return facts.histories.get(p.patient_id) or History()


def _new(facts: Facts, month: Month) -> Section:
    rows = [(*_who(p), p.enrolled, p.diagnosis, p.status) for p in facts.data.patients if p.enrolled in month]
    return Section("new", "新纳入管理的患者", "纳入管理日期在本月的患者。",
                   (*PATIENT_COLUMNS, "纳入管理日期", "诊断", "在管状态"), _by_date(rows, 3))


def _rises(facts: Facts, month: Month) -> Section:
    """A rise: a high observation whose previous observation was below 高风险等级 (or the first ever); reported when a
    高风险报告 is dated on or after it and before the next fall below 高风险等级."""
    high = facts.data.settings.high_risk_level
    rows = []
    for p in facts.data.patients:
        h = _history(facts, p)
        found = observations(h)
        reports = [n.sent for n in h.notices if n.kind == NOTICE_KINDS["high_risk"]]
        for k, seen in enumerate(found):
            if seen.risk < high or (k and found[k - 1].risk >= high) or seen.day not in month:
                continue
            fall = next((later.day for later in found[k + 1:] if later.risk < high), date.max)
            reported = any(seen.day <= sent < fall for sent in reports)
            rows.append((*_who(p), seen.day, f"{seen.risk} 级", seen.source, "是" if reported else "否"))
    return Section("rises", "新升为高风险的患者", f"本月有一次危险性记录达到 {high} 级以上、而此前一次低于 {high} 级（或此前没有记录）。",
                   (*PATIENT_COLUMNS, "日期", "危险性", "来源", "已作高风险报告"), _by_date(rows, 3))


def _stays(facts: Facts, month: Month, people: dict[str, Patient]) -> Section:
    rows = []
    for s in facts.data.stays:
        p = people[s.patient_id]
        if s.admitted in month:
            rows.append((*_who(p), s.admitted, "入院", s.hospital or "", s.mode or ""))
        if s.discharged in month:
            rows.append((*_who(p), s.discharged, "出院", s.hospital or "", s.mode or ""))
    return Section("stays", "住院和出院", "入院日期或出院日期在本月的住院记录。",
                   (*PATIENT_COLUMNS, "日期", "事项", "医院", "住院方式"), _by_date(rows, 3))


def _incidents(facts: Facts, month: Month, people: dict[str, Patient]) -> Section:
    voiding = set(facts.data.settings.reward_void_types)
    rows = [(*_who(people[i.patient_id]), i.happened, i.kind, "" if i.risk is None else i.risk,
             "" if i.police_told is None else i.police_told, i.kind in voiding, i.handling or "")
            for i in facts.data.incidents if i.happened in month]
    return Section("incidents", "肇事肇祸等事件", "事件记录中发生日期在本月的事件；“取消奖励”指该类事件使当年度以奖代补不予奖励。",
                   (*PATIENT_COLUMNS, "日期", "类型", "危险性", "已报告派出所", "取消奖励", "处置"), _by_date(rows, 3))


def _lost(facts: Facts, month: Month) -> Section:
    """未访到 (except 迁居他处, counted with moves), 走失 events, and returns: a real follow-up right after a 未访到."""
    rows = []
    for p in facts.data.patients:
        h = _history(facts, p)
        previous = None
        for visit in h.attempts:
            if visit.visit_date in month:
                if visit.condition == NOT_REACHED and visit.loss_reason != MOVED_AWAY:
                    rows.append((*_who(p), visit.visit_date, f"未访到（{visit.loss_reason or '未填原因'}）"))
                elif visit.condition != NOT_REACHED and previous is not None and previous.condition == NOT_REACHED:
                    rows.append((*_who(p), visit.visit_date, f"重新访到（{visit.form}）"))
            previous = visit
        rows += [(*_who(p), i.happened, WANDERED) for i in h.incidents if i.kind == WANDERED and i.happened in month]
    missing = sum(p.status in MISSING_STATUSES for p in facts.data.patients)
    return Section("lost", "失访、走失和重新访到",
                   f"本月未访到的随访、走失事件，以及未访到后重新访到的患者。截至 {facts.as_of.isoformat()}，"
                   f"在管状态为{'、'.join(MISSING_STATUSES)}的共 {missing} 人。",
                   (*PATIENT_COLUMNS, "日期", "情况"), _by_date(rows, 3))


def _closed(facts: Facts, month: Month, people: dict[str, Patient]) -> Section:
    rows = [(*_who(p), p.died, "死亡", p.death_cause or "") for p in facts.data.patients if p.died in month]
    rows += [(*_who(people[v.patient_id]), v.visit_date, MOVED_AWAY, v.note or "")
             for v in facts.data.followups if v.condition == NOT_REACHED and v.loss_reason == MOVED_AWAY and v.visit_date in month]
    return Section("closed", "死亡和迁居", "死亡日期在本月的患者，和本月随访时得知迁居他处的患者。",
                   (*PATIENT_COLUMNS, "日期", "情况", "原因或备注"), _by_date(rows, 3))


def _notices(facts: Facts, month: Month, people: dict[str, Patient]) -> Section:
    rows = [(*_who(people[n.patient_id]), n.sent, n.kind, n.recipient or "")
            for n in facts.data.notices if n.sent in month]
    return Section("notices", "本月的通报和报告", "通报记录中通报日期在本月的记录。",
                   (*PATIENT_COLUMNS, "日期", "类型", "通报对象"), _by_date(rows, 3))


def _followups(facts: Facts, month: Month) -> Section:
    """Per village: the at-home patients whose follow-up fell due by the month's end (as the records stood when the
    month began), and how many of them were followed up in the month — the 趋势 page's numbers (trends.py)."""
    end = min(month.last, facts.as_of)
    records = {p.patient_id: Record(_history(facts, p)) for p in facts.data.patients}
    due, done = followup_month(facts.data, records, month.first, end)
    rows = [(v.village, v.due, v.done, _rate(v.done, v.due)) for v in village_followups(facts.data, due, done)]
    rows.append(("合计", len(due), len(done), _rate(len(done), len(due))))
    return Section("followups", "各村社区随访完成情况",
                   f"应随访：在家居住、按月初的记录到 {end.isoformat()} 已到应随访日期的患者；已随访：其中本月有随访（不含未访到）的。",
                   ("村社区", "应随访", "已随访", "完成率"), tuple(rows))


def _rate(done: int, due: int) -> str:
    return f"{done / due:.0%}" if due else "—"


def _by_date(rows: list[tuple], at: int) -> tuple[tuple, ...]:
    return tuple(sorted(rows, key=lambda r: (r[at], r[0])))
