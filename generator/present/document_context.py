"""What a document's template sees: the values for one patient, group, village's roll call or department's monthly
report, drawn from the View. Shared by the site's documents (HTML) and the Word files of ``jingfang documents``."""

from __future__ import annotations

from generator.contract.lists import Department
from generator.contract.schema import Group, Patient, SensitivePeriod
from generator.contract.vocab import AGREEMENT_KINDS
from generator.derive.monthly import DEPARTMENT_SECTIONS, Section, comparison_summary
from generator.derive.records import in_roll_call, period_days
from generator.present.views import View
from generator.present.wording import amount_in_words, date_words, relation

DAYS_PER_PAGE = 7  # day columns of a roll-call sheet that fit across an A4 page
NUMBERS = "一二三四五六七八九十"  # a monthly report's section numbers


def place_context(view: View, village: str) -> dict:
    """What every document may use: the township, county, village, its committee and the year."""
    s = view.data.settings
    return {"township": s.township, "county": s.county or "", "village": village, "village_committee": committee(village),
            "year": view.as_of.year}


def context(view: View, p: Patient) -> dict:
    """Everything a template may use for one patient."""
    s = view.data.settings
    group = view.groups.get(p.group_id or "")
    rewards = [g for g in (view.histories.get(p.patient_id).agreements if p.patient_id in view.histories else [])
               if g.kind == AGREEMENT_KINDS["reward"] and g.amount]
    amount = rewards[-1].amount if rewards else s.reward_amount
    term = next((paper.term for paper in view.states[p.patient_id].papers if paper.kind == "reward"), None) or (None, None)
    return place_context(view, p.village) | {
        "amount": f"{amount:g}" if amount else "", "amount_words": amount_in_words(amount),
        "term": {"start": date_words(term[0]), "end": date_words(term[1])},
        "patient": {"name": p.name, "sex": p.sex, "id_number": p.id_number or "", "address": p.address or "",
                    "diagnosis": p.diagnosis, "patient_id": p.patient_id},
        "guardian": {"name": p.guardian or "", "relation": relation(p.guardian_relation),
                     "relation_tick": relation(p.guardian_relation, tick=True), "phone": p.guardian_phone or ""},
        "group": {"leader": group.leader if group else "", "leader_phone": view.phone_of(group.leader) if group else "",
                  "name": group.name if group else ""},
        "members": members(view, group.group_id) if group else [],
        "risk": "" if view.states[p.patient_id].risk is None else view.states[p.patient_id].risk,
    }


def members(view: View, group_id: str) -> list[dict]:
    """A group's staff members as a template sees them."""
    return [{"name": name, "role": role, "unit": view.staff[name].unit or "" if name in view.staff else "",
             "title": view.staff[name].title or "" if name in view.staff else "", "phone": view.phone_of(name)}
            for name, role in view.members.get(group_id, [])]


def group_context(view: View, g: Group) -> dict:
    """Everything a group's template may use."""
    s = view.data.settings
    return place_context(view, g.village) | {
        "group": {"name": g.name, "leader": g.leader, "leader_phone": view.phone_of(g.leader)},
        "members": members(view, g.group_id),
        "guardians": [{"name": p.guardian, "relation": relation(p.guardian_relation), "phone": p.guardian_phone or ""}
                      for p in view.patients_of_group.get(g.group_id, []) if p.guardian and not p.closed],
        "meeting_days": s.group_meeting_days, "min_visitors": s.min_visitors,
        "intervals": {condition: days for condition, (days, _) in view.data.intervals.items()},
    }


def committee(village: str) -> str:
    """The name of a village's or community's committee, as printed on an agreement."""
    if village.endswith("社区"):
        return village + "居民委员会"
    if village.endswith("村"):
        return village + "村民委员会"
    return village + "（村（居）民委员会）"


def roll_call_contexts(view: View, period: SensitivePeriod, village: str) -> list[dict]:
    """What each roll-call sheet of a village and period may use (one per week; none when nobody is in scope)."""
    patients = [{"patient_id": p.patient_id, "name": p.name, "guardian": p.guardian or "",
                 "guardian_phone": p.guardian_phone or ""}
                for p in view.data.patients if p.village == village and in_roll_call(period, p, view.states[p.patient_id])]
    if not patients:
        return []
    days = [d.strftime("%m-%d") for d in period_days(period)]
    pages = [days[i:i + DAYS_PER_PAGE] for i in range(0, len(days), DAYS_PER_PAGE)]
    return [place_context(view, village) | {
        "patients": patients, "days": chunk,
        "part": k if len(pages) > 1 else 0,
        "period": {"name": period.name, "start": period.start.isoformat(), "end": period.end.isoformat(),
                   "scope": period.scope}} for k, chunk in enumerate(pages, 1)]


def report_context(view: View, d: Department, sections: dict[str, Section]) -> dict:
    """What the report template sees for one department."""
    mine = [sections[key] for key in DEPARTMENT_SECTIONS[d.slug]]
    return place_context(view, "") | {
        "department": d.title, "month": view.month.label, "first": view.month.first.isoformat(),
        "last": view.month.last.isoformat(),
        "comparisons": [comparison_summary(c.result) for c in view.comparisons],
        # the lists carry no date of their own: the counts are those of the comparison made now, said so in the line
        "compared_on": view.built_at.date().isoformat(),
        "sections": [{"number": NUMBERS[k] if k < len(NUMBERS) else str(k + 1), "title": s.title, "about": s.about,
                      "summary": summary(s), "columns": list(s.columns),
                      "rows": [[_cell(v) for v in row] for row in s.rows]} for k, s in enumerate(mine)],
    }


def summary(s: Section) -> str:
    """One clause of the report's overview: how many, in the section's own terms."""
    if s.key == "followups":
        due, done = s.rows[-1][1], s.rows[-1][2]
        return f"应随访 {due} 人、已随访 {done} 人"
    return f"{s.title} {len(s.rows)} {'人' if s.key in ('new', 'rises') else '项'}"


def _cell(value: object) -> str:
    if isinstance(value, bool):
        return "是" if value else "否"
    return value.isoformat() if hasattr(value, "isoformat") else str(value)
