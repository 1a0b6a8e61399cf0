"""本周应访: whom to visit or call this week, per village and per 精防医生, most urgent first.

The guardian's phone is shown in full as a tap-to-call link (these pages exist to call), and each code links to the
record's 当前状态 section (what is due, then the visit history below it).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from generator.derive.registry import OverdueItem
from generator.contract.patients import Patient
from generator.present.views import View
from generator.contract.vocab import DOCTOR
from generator.present.pages import paths
from generator.present.pages.html import Page, Raw, a, a_to, badge, page, phone, print_button, table, text

# the lists a home visit or a call settles, and what each asks for
WEEK_LISTS = {"followup_overdue": "随访", "followup_due_soon": "随访", "high_risk_visit_overdue": "重点患者面访",
              "discharge_followup_overdue": "出院后首次随访"}
# an item whose patient has had no such visit reads 从未…: (the PatientState field of the last one, the words)
NEVER = {"followup_overdue": ("last_followup", "从未随访"), "high_risk_visit_overdue": ("last_face_visit", "从未面访")}
# blanks written in by hand on the printed list (jingfang.css .jf-week: on paper only, never on the screen)
PAPER = ("结果", "签字")
UNASSIGNED = "未指定"  # patients whose group has no 精防医生 (or who have no group)
UNASSIGNED_CODE = "D00"
SOON_DAYS = 7  # followup_due_soon looks this far ahead (domain.md v2)


@dataclass(frozen=True)
class Call:
    """One patient on the week plan and what is due, most days late first."""

    patient: Patient
    items: tuple[tuple[str, OverdueItem], ...]  # (list key, item)

    @property
    def days_late(self) -> int | None:
        late = [i.days_overdue for _, i in self.items if i.days_overdue is not None]
        return max(late) if late else None

    @property
    def due(self) -> date | None:
        return min((i.due for _, i in self.items if i.due), default=None)

    def urgency(self) -> tuple:
        """Most days late first, then the soonest due, then by code."""
        return (-(self.days_late or 0), self.due or date.max, self.patient.patient_id)


def week_plan(view: View) -> list[Call]:
    """Every patient with something of WEEK_LISTS, most urgent first."""
    found: dict[str, list[tuple[str, OverdueItem]]] = {}
    for key in WEEK_LISTS:
        for item in view.lists.get(key, []):
            found.setdefault(item.id, []).append((key, item))
    calls = [Call(view.patients[pid], tuple(sorted(items, key=lambda ki: _most_late_first(ki[1]))))
             for pid, items in found.items()]
    return sorted(calls, key=Call.urgency)


def _most_late_first(item: OverdueItem) -> tuple:
    return (-(item.days_overdue or 0), item.due or date.max)


def doctors_of_group(view: View) -> dict[str, list[str]]:
    """Each group's 精防医生 (小组成员 with that 小组角色), in sheet order."""
    found: dict[str, list[str]] = {}
    for m in view.data.members:
        if m.role == DOCTOR and m.name not in found.get(m.group_id, []):
            found.setdefault(m.group_id, []).append(m.name)
    return found


def doctor_codes(view: View) -> dict[str, str]:
    """A code per 精防医生 (D01 … in the order of the 人员 sheet), for addresses and titles that must not name anyone."""
    serving = {name for names in doctors_of_group(view).values() for name in names}
    ordered = [s.name for s in view.data.staff if s.name in serving]
    return {name: f"D{i:02d}" for i, name in enumerate(ordered, 1)}


def by_doctor(view: View, plan: list[Call]) -> dict[str, list[Call]]:
    """Each doctor's calls (a patient whose group has two doctors is on both lists); UNASSIGNED last, always there
    (its page's existence would otherwise tell that someone due this week has no doctor)."""
    groups = doctors_of_group(view)
    found: dict[str, list[Call]] = {name: [] for name in doctor_codes(view)} | {UNASSIGNED: []}
    for call in plan:
        for name in groups.get(call.patient.group_id or "") or [UNASSIGNED]:
            found.setdefault(name, []).append(call)
    return found


def render_week(view: View) -> dict[str, Page]:
    plan = week_plan(view)
    codes = doctor_codes(view)
    doctors = by_doctor(view, plan)
    pages = {}
    for name, code in view.village_codes.items():
        mine = [c for c in plan if c.patient.village == name]
        pages[paths.week_village(code)] = _plan_page(view, paths.week_village(code), mine, f"本周应访 · {code}",
                                                     f"本周应访 · {name}", village_column=False, owner=code)
    for name, calls in doctors.items():
        code = codes.get(name, UNASSIGNED_CODE)
        heading = f"本周应访 · {name}（{DOCTOR}）" if name in codes else f"本周应访 · {DOCTOR}{UNASSIGNED}"
        pages[paths.week_doctor(code)] = _plan_page(view, paths.week_doctor(code), calls, f"本周应访 · {code}", heading)
    pages[paths.WEEK] = _index(view, plan, doctors, codes)
    return pages


def _about(view: View) -> str:
    end = view.as_of + timedelta(days=SOON_DAYS)
    return (f"统计截止日期 {view.as_of.isoformat()}。在家居住的患者中，应随访日期在 {view.as_of.isoformat()} 至 "
            f"{end.isoformat()} 之间的，以及随访、重点患者面访、出院后首次随访已经逾期的；逾期最久的在前，其次是最早到期的。"
            '<span class="jf-screen">点编号看当前状态和随访记录，点电话直接拨打监护人。</span>')


def _index(view: View, plan: list[Call], doctors: dict[str, list[Call]], codes: dict[str, str]) -> Page:
    here = paths.WEEK
    villages = [(Raw(a(here, paths.week_village(code), name)), *_counts([c for c in plan if c.patient.village == name]))
                for name, code in view.village_codes.items()]
    people = [(Raw(a(here, paths.week_doctor(codes.get(name, UNASSIGNED_CODE)), name if name in codes else UNASSIGNED)),
               phone(view.phone_of(name)) if name in codes else "", *_counts(calls))
              for name, calls in doctors.items() if name in codes or calls]
    body = (_about(view) + f"\n\n全乡镇共 {len(plan)} 人，其中已逾期 {sum(c.days_late is not None for c in plan)} 人。"
            + "\n\n## 按村社区\n\n" + table(["村社区", "应访人数", "其中已逾期"], villages)
            + f"\n\n## 按{DOCTOR}\n\n帮扶小组里小组角色为“{DOCTOR}”的成员；小组里没有{DOCTOR}的患者列在“{UNASSIGNED}”。"
            + table([DOCTOR, "电话", "应访人数", "其中已逾期"], people))
    return page("本周应访", body)


def _counts(calls: list[Call]) -> tuple[int, int]:
    return len(calls), sum(c.days_late is not None for c in calls)


def _plan_page(view: View, here: str, calls: list[Call], title: str, heading: str, *,
               village_column: bool = True, owner: str | None = None) -> Page:
    headers = ["编号", "姓名", *(["村社区"] if village_column else []), "现住址", "监护人", "监护人电话", "应办事项",
               "应访日期", "逾期", "末次随访", *PAPER]
    rows = [_row(view, here, call, village_column) for call in calls]
    body = _about(view) + print_button() + (f"共 {len(calls)} 人。" + table(headers, rows, cls="jf-table jf-week")
                                            if calls else "本周没有应访的患者。")
    return page(title, body, heading=heading, owner=owner)


def _row(view: View, here: str, call: Call, village_column: bool) -> list:
    p = call.patient
    state = view.states[p.patient_id]
    labels = list(dict.fromkeys(WEEK_LISTS[key] for key, _ in call.items))
    never = NEVER.get(call.items[0][0], (None, ""))
    due: object = call.due
    if call.days_late is not None and never[0] and getattr(state, never[0]) is None:
        # a due date counted from enrolment, years ago, would read as if a visit had lapsed then: say it never was
        due, late = f"{never[1]}（纳入管理 {p.enrolled.isoformat()}）", badge("已逾期", "late")
    elif call.days_late is not None:
        late = badge(f"逾期 {call.days_late} 天", "late")
    else:
        ahead = (call.due - view.as_of).days if call.due else 0
        late = badge("今天到期" if ahead == 0 else f"{ahead} 天后到期", "warn")
    relation = f"（{p.guardian_relation}）" if p.guardian and p.guardian_relation else ""
    # one span per cell: a phone card lays a cell's children out as flex items, one per line
    guardian = Raw(f"<span>{_unbroken(p.guardian)}{_unbroken(relation)}</span>")  # breaks only before the relation
    return [Raw(a_to(here, paths.patient(p.patient_id), paths.STATE, p.patient_id)), Raw(_unbroken(p.name)),
            *([Raw(_unbroken(p.village))] if village_column else []), p.address, guardian, phone(p.guardian_phone),
            Raw(f"<span>{'、'.join(_unbroken(label) for label in labels)}</span>"),  # a line breaks between two items, not inside one
            due, late, state.last_followup.visit_date if state.last_followup else "从未随访", "", ""]


def _unbroken(words: str | None) -> str:
    """Words kept on one line (a printed list must not break 戚望山 into 戚望 / 山, nor 溪口社区 into 溪口社 / 区)."""
    return f'<span class="jf-nw">{text(words)}</span>' if words else ""

