"""领导小组与通讯录: the leadership group, every staff member's phone, the villages' heads."""

from __future__ import annotations

from generator.present.views import View
from generator.present.pages import paths
from generator.present.pages.html import Page, page, phone, table


def render_leaders(view: View) -> dict[str, Page]:
    """The 领导小组与通讯录 page."""
    leaders = table(["姓名", "小组职务", "分工", "单位", "电话"], [
        (m.name, m.role, m.duty, view.staff[m.name].unit if m.name in view.staff else "", phone(view.phone_of(m.name)))
        for m in view.data.leaders])
    staff = table(["姓名", "单位", "职务", "手机号"], [(s.name, s.unit, s.title, phone(s.phone)) for s in view.data.staff])
    villages = table(["村社区", "类型", "负责人", "电话"], [(v.name, v.kind, v.head, phone(v.head_phone)) for v in view.data.villages])
    body = f"## 领导小组\n\n{leaders}\n\n## 通讯录\n\n{staff}\n\n## 村社区负责人\n\n{villages}"
    return {paths.LEADERS: page("领导小组与通讯录", body, toc=True)}
