"""花名册: every patient, with a filter box and sortable columns; also one page per village and per status.

Every status of the vocabulary has its page, an empty one too: which pages exist, and their titles, are visible
without a password, so they must not tell whether anyone has a status.
"""

from __future__ import annotations

from generator.derive.indicators import census
from generator.contract.patients import Patient
from generator.contract.values import mask_phone
from generator.present.views import STATUS_SLUGS, View
from generator.present.pages import paths
from generator.present.pages.html import Page, Raw, a, badge, filter_box, page, table
from generator.present.wording import risk_label

HEADERS = ["编号", "姓名", "性别", "年龄", "村社区", "诊断", "当前危险性", "病情分类", "在管状态", "帮扶小组", "末次随访",
           "下次应随访", "监护人及电话"]


def roster_table(view: View, here: str, patients: list[Patient]) -> str:
    """The roster table of some patients, sorted by code; the ID tail is searchable but not shown."""
    rows, searches = [], []
    for p in sorted(patients, key=lambda p: p.patient_id):
        state = view.states[p.patient_id]
        due = state.dues.followup.due
        late = state.followup_overdue
        rows.append((
            Raw(a(here, paths.patient(p.patient_id), p.patient_id)), p.name, p.sex, view.age(p), p.village,
            p.diagnosis, risk_label(state.risk), state.condition, p.status,
            Raw(a(here, paths.group(p.group_id), p.group_id)) if p.group_id in view.groups else "",
            state.last_followup.visit_date if state.last_followup else "",
            "" if p.closed else Raw(f"{due.isoformat()} " + (badge("逾期", "late") if late else "")),
            f"{p.guardian or ''} {mask_phone(p.guardian_phone)}".strip(),
        ))
        searches.append((p.id_number or "")[-6:])
    return filter_box() + table(HEADERS, rows, cls="jf-table jf-sortable", searches=searches)


def roster_count(patients: list[Patient]) -> str:
    """共 N 人, and how many of them are 在册, awaiting diagnosis, diagnosed 其他, closed: the parts add up to N."""
    c = census(patients)
    closed = "、".join(f"{status} {n}" for status, n in c.closed.items())
    return (f"共 {c.total} 人：在册 {c.registered} 人，待诊断 {c.pending} 人，诊断为其他 {c.other} 人，"
            f"已结案 {sum(c.closed.values())} 人（{closed}）。")


def render_rosters(view: View) -> dict[str, Page]:
    patients = view.data.patients
    here = paths.ROSTER
    villages = " · ".join(a(here, paths.village_roster(code), name) for name, code in view.village_codes.items())
    statuses = " · ".join(a(here, paths.status_roster(slug), status) for status, slug in STATUS_SLUGS.items())
    pages = {here: page("花名册", f"按村社区：{villages}\n\n按在管状态：{statuses}\n\n{roster_count(patients)}"
                        + roster_table(view, here, patients))}
    for name, code in view.village_codes.items():
        rel = paths.village_roster(code)
        chosen = [p for p in patients if p.village == name]
        pages[rel] = page(f"花名册 · {code}", roster_count(chosen) + roster_table(view, rel, chosen),
                          heading=f"花名册 · {name}", owner=code)
    for status, slug in STATUS_SLUGS.items():
        chosen = [p for p in patients if p.status == status]
        rel = paths.status_roster(slug)
        pages[rel] = page(f"花名册 · {status}",
                          roster_count(chosen) + roster_table(view, rel, chosen) if chosen else "没有。")
    return pages
