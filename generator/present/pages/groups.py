"""帮扶小组: an index, and one page per group (members, patients, meetings, overdue items), printable."""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

from generator.contract.lists import BY_KEY
from generator.contract.organisation import Group
from generator.contract.values import mask_phone
from generator.present.views import View
from generator.present.pages import paths
from generator.present.document_html import environment
from generator.present.pages.agreements import render_group_documents
from generator.present.pages.html import Page, Raw, a, badge, page, person_phone, print_button, table, text
from generator.present.wording import risk_label
from generator.present.pages.html import phone as phone_link


def overdue_of_group(view: View, group: Group) -> list[tuple[str, str, int | None]]:
    """(list key, patient or group code, days overdue) of everything overdue in a group."""
    found = [(key, p.patient_id, days) for p in view.patients_of_group.get(group.group_id, [])
             for key, days in view.overdue_of_patient.get(p.patient_id, [])]
    found += [(key, item.id, item.days_overdue) for key, items in view.lists.items() if BY_KEY[key].subject == "group"
              for item in items if item.id == group.group_id]
    return found


def group_people(view: View, group: Group) -> list[tuple[str, str, str, str]]:
    """A group's members as its page lists them: the 小组成员 rows, then the guardian of each of its patients
    (name, role, unit or relation, phone; guardians' phones masked). The index counts the same list."""
    people = [(name, role, view.staff[name].unit if name in view.staff else "", view.phone_of(name))
              for name, role in view.members.get(group.group_id, [])]
    people += [(p.guardian, f"监护人（{p.patient_id}）", p.guardian_relation or "", mask_phone(p.guardian_phone))
               for p in view.patients_of_group.get(group.group_id, []) if p.guardian]
    return people


def render_groups(view: View, workbook_dir: Path | None = None) -> Iterator[tuple[str, Page]]:
    here = paths.GROUPS
    rows = []
    for g in view.data.groups:
        rows.append((Raw(a(here, paths.group(g.group_id), g.group_id)), g.name, g.village,
                     person_phone(g.leader, view.phone_of(g.leader)), len(group_people(view, g)),
                     len(view.patients_of_group.get(g.group_id, [])), len(overdue_of_group(view, g))))
    yield here, page("帮扶小组", f"共 {len(view.data.groups)} 个小组。" + table(
        ["小组", "名称", "村社区", "组长及电话", "成员数（含监护人）", "患者数", "逾期事项"], rows, cls="jf-table jf-sortable"))
    env = environment(workbook_dir)
    for g in view.data.groups:
        yield paths.group(g.group_id), render_group(view, g, render_group_documents(env, view, g))


def render_group(view: View, g: Group, documents: str) -> Page:
    here = paths.group(g.group_id)
    patients = view.patients_of_group.get(g.group_id, [])
    people = group_people(view, g)
    notice = "".join(f"<p>{text(role if role != '组长' else '组　长')}：{text(name)}　{text(unit)}　（电话：{phone_link(phone)}）</p>"
                     for name, role, unit, phone in people)
    rows = []
    for p in sorted(patients, key=lambda p: p.patient_id):
        s = view.states[p.patient_id]
        late = s.followup_overdue
        rows.append((Raw(a(here, paths.patient(p.patient_id), p.patient_id)), p.name, p.status,
                     risk_label(s.risk), s.condition,
                     s.last_followup.visit_date if s.last_followup else "",
                     Raw(f"{s.dues.followup.due.isoformat()} " + (badge("逾期", "late") if late else ""))))
    meetings = view.meetings_of_group.get(g.group_id, [])
    overdue = [(BY_KEY[key].title, Raw(a(here, paths.patient(pid), pid)) if pid in view.patients else pid,
                "" if days is None else BY_KEY[key].never if (key, pid) in view.never_done and BY_KEY[key].never
                else f"{days} 天") for key, pid, days in overdue_of_group(view, g)]
    body = f"""
**{text(g.name)}**　所属：{text(g.village)}　成立日期：{text(g.founded) or "未填"}
{print_button("打印小组名单")}
## 小组名单

<div class="jf-notice">{notice}</div>

## 患者

{table(["编号", "姓名", "在管状态", "当前危险性", "病情分类", "末次随访", "下次应随访"], rows)}

## 逾期事项

{table(["清单", "编号", "逾期"], overdue) if overdue else "没有逾期事项。"}

## 小组会议

{table(["日期", "参会人员", "内容"], [(m.held, m.attendees, m.content) for m in meetings]) if meetings else "没有会议记录。"}
"""
    return page(f"帮扶小组 {g.group_id}", body + "\n\n## 成立通知\n\n" + documents, toc=True,
                owner=view.village_code(g.village))
