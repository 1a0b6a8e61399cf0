"""患者档案: one page per patient — identity, guardian, whom to call, current state, due dates, full history."""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

from ..lists import BY_KEY
from ..rules import History
from ..schema import Patient
from ..views import View
from .agreements import environment, render_patient_documents
from . import paths
from .html import Page, a, badge, page, table, text


def derivation(view: View, p: Patient, history: History) -> str:
    """How the current risk and class were derived, in words."""
    level = view.data.settings.high_risk_level
    state = view.states[p.patient_id]
    dated = [(v.visit_date, 0, f"{v.visit_date.isoformat()} 随访") for v in history.followups if v.risk is not None]
    dated += [(x.assessed, 1, f"{x.assessed.isoformat()} 危险性评估") for x in history.assessments]
    risk = f"当前危险性 {state.risk} 级，取自最近一次记录（{max(dated)[2]}）。" if dated else "没有危险性记录，当前危险性未知。"
    if state.risk is not None and state.risk >= level:
        cls = f"危险性达到高风险等级（{level} 级及以上），病情分类按“不稳定”管理。"
    elif history.followups:
        cls = f"病情分类取自最近一次随访（{history.followups[-1].visit_date.isoformat()}）：{state.condition}。"
    else:
        cls = f"还没有随访，病情分类按危险性推定为“{state.condition}”。"
    return risk + cls


def due_row(view: View, label: str, due, applies: bool) -> tuple:
    if not applies:
        return (label, due, badge("不适用", "info"))
    return (label, due, badge(f"逾期 {(view.as_of - due).days} 天", "late") if view.as_of > due else badge("未到期", "ok"))


def render_patient(view: View, p: Patient, documents: str) -> Page:
    here = paths.patient(p.patient_id)
    h = view.histories.get(p.patient_id) or History()
    s = view.states[p.patient_id]
    home = p.status == "在家居住"
    high = s.risk is not None and s.risk >= view.data.settings.high_risk_level
    group = view.groups.get(p.group_id or "")
    contacts = [(p.guardian, f"监护人（{p.guardian_relation or '关系未填'}）", p.guardian_phone)] if p.guardian else []
    if group:
        contacts += [(name, role, view.phone_of(name)) for name, role in view.members.get(group.group_id, [])]
    identity = table(["项目", "内容"], [
        ("姓名", p.name), ("性别", p.sex), ("年龄", view.age(p)), ("身份证号", p.id_number or "未填"),
        ("出生日期", p.born_on_or_min() if view.age(p) is not None else "未知"), ("现住村社区", p.village),
        ("现住址", p.address), ("户籍村社区", p.home_village or "同现住"), ("户籍地址", p.home_address),
        ("诊断", p.diagnosis), ("确诊日期", p.diagnosed), ("纳入管理日期", p.enrolled), ("在管状态", p.status),
        ("经济状况", p.economy), ("精神残疾证", p.disability_card), ("免费服药", p.free_medication),
        ("已录入卫健库", p.in_health_db), ("已录入公安库", p.in_police_db), ("摸排来源", p.source), ("备注", p.note),
    ])
    dues = table(["事项", "应办日期", "状态"], [
        due_row(view, "随访", s.followup_due, home and not p.closed),
        due_row(view, "危险性评估", s.assessment_due, home),
        due_row(view, "健康体检", s.check_due, home),
        due_row(view, "高风险面访", s.face_visit_due, home and high),
    ])
    lists = "、".join(a(here, paths.overdue_list(key), BY_KEY[key].title) for key in view.lists_of_patient.get(p.patient_id, []))
    body = f"""
**{text(p.name)}**　{text(p.sex)}　{text(view.age(p) or "")}{"岁" if view.age(p) else ""}　{text(p.village)}　{text(p.status)}

## 基本信息

{identity}

## 监护人与帮扶小组

帮扶小组：{a(here, paths.group(group.group_id), group.group_id) + "　" + text(group.name) if group else "未分配"}

{table(["姓名", "身份", "电话"], contacts) if contacts else "没有监护人和小组成员信息。"}

## 当前状态

{derivation(view, p, h)}

{dues}

所在清单：{lists or "无"}

## 随访记录

{table(["日期", "形式", "随访人员", "危险性", "病情分类", "用药依从性", "失访原因", "下次随访", "备注"],
       [(v.visit_date, v.form, v.visitors, v.risk, v.condition, v.adherence, v.loss_reason, v.next_due, v.note)
        for v in reversed(h.attempts)]) if h.attempts else "没有随访记录。"}

## 危险性评估

{table(["日期", "危险性", "机构", "医生", "备注"], [(x.assessed, x.risk, x.institution, x.doctor, x.note)
                                              for x in reversed(h.assessments)]) if h.assessments else "没有评估记录。"}

## 住院记录

{table(["入院", "出院", "医院", "方式", "出院信息已接收"], [(x.admitted, x.discharged or "仍在住院", x.hospital, x.mode,
       x.discharge_info_received) for x in reversed(h.stays)]) if h.stays else "没有住院记录。"}

## 健康体检

{table(["日期", "机构", "结果"], [(x.checked, x.institution, x.result) for x in reversed(h.checks)]) if h.checks else "没有体检记录。"}

## 协议

{table(["类型", "签订", "到期", "年度金额", "备注"], [(x.kind, x.signed, x.expires, x.amount, x.note)
                                          for x in reversed(h.agreements)]) if h.agreements else "没有协议记录。"}

## 协议打印

{documents}
"""
    return page(f"患者档案 {p.patient_id}", body, toc=True)


def render_patients(view: View, workbook_dir: Path | None = None) -> Iterator[tuple[str, Page]]:
    env = environment(workbook_dir)
    for p in view.data.patients:
        yield paths.patient(p.patient_id), render_patient(view, p, render_patient_documents(env, view, p))
