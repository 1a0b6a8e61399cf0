"""患者档案: one page per patient — identity, guardian, whom to call, current state, due dates, full history."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Iterator

from generator.contract.lists import BY_KEY
from generator.derive.history import History
from generator.derive.state import Due, PatientState
from generator.contract.vocab import DEAD
from generator.contract.patients import Patient
from generator.present.views import View
from generator.present.document_html import environment
from generator.present.pages.agreements import render_patient_documents
from generator.present.pages import paths
from generator.present.pages.html import Page, Raw, a, badge, page, phone, table, text


def derivation(view: View, state: PatientState) -> str:
    """How the current risk and class were derived (derive/history.py), in words."""
    if state.risk_source:
        day, source = state.risk_source
        risk = f"当前危险性 {state.risk} 级，取自最近一次记录（{day.isoformat()} {source}）。"
    else:
        risk = "没有危险性记录，当前危险性未知。"
    if state.class_source == "high":
        cls = f"危险性达到高风险等级（{view.data.settings.high_risk_level} 级及以上），病情分类按“不稳定”管理。"
    elif state.class_source == "followup" and state.last_followup:
        cls = f"病情分类取自最近一次随访（{state.last_followup.visit_date.isoformat()}）：{state.condition}。"
    else:
        cls = f"还没有随访，病情分类按危险性推定为“{state.condition}”。"
    return risk + cls


# how a due item never done at all reads (its due date counts from enrolment: days late would mislead)
NEVER_DONE = {"随访": "从未随访", "危险性评估": "从未评估", "健康体检": "从未体检", "重点患者面访": "从未面访"}


def due_row(due: Due, enrolled: date) -> tuple:
    """事项, 应办日期, 状态: no date for what does not apply; for what was never done, since when it is owed."""
    if not due.applies:
        return (due.label, "", badge("不适用", "info"))
    if due.days_overdue is not None and due.never:
        # its due date counts from enrolment (years ago, often): say it was never done, and since when
        return (due.label, f"{NEVER_DONE.get(due.label, '从未办理')}（纳入管理 {enrolled.isoformat()}）",
                badge("已逾期", "late"))
    late = badge(f"逾期 {due.days_overdue} 天", "late") if due.days_overdue is not None else badge("未到期", "ok")
    return (due.label, due.due, late)


def render_patient(view: View, p: Patient, documents: str) -> Page:
    """One patient's record: who, whom to call, the current state and due dates, the whole history."""
    here = paths.patient(p.patient_id)
    age = view.age(p)
    summary = "　".join(text(x) for x in (p.sex, f"{age}岁" if age else "", p.village, p.status))
    body = "\n\n".join([
        f"**{text(p.name)}**　{summary}",
        "## 基本信息", _identity(view, p),
        "## 监护人与帮扶小组", _contacts(view, p, here),
        f"## 当前状态 {{#{paths.STATE}}}", _state(view, p, here),
        _history(view.histories.get(p.patient_id) or History()),
        "## 协议打印", documents,
    ])
    return page(f"患者档案 {p.patient_id}", body, toc=True, owner=view.village_code(p.village))


def _identity(view: View, p: Patient) -> str:
    age = view.age(p)
    return table(["项目", "内容"], [
        ("姓名", p.name), ("性别", p.sex), ("年龄", age),
        ("身份证号", Raw(f'<span class="jf-nw">{text(p.id_number)}</span>') if p.id_number else "未填"),
        ("出生日期", p.born_on_or_min() if age is not None else "未知"), ("现住村社区", p.village),
        ("现住址", p.address), ("户籍村社区", p.home_village or "同现住"), ("户籍地址", p.home_address),
        ("诊断", p.diagnosis), ("确诊日期", p.diagnosed), ("纳入管理日期", p.enrolled), ("在管状态", p.status),
        ("经济状况", p.economy), ("精神残疾证", p.disability_card), ("免费服药", p.free_medication),
        ("已录入卫健库", p.in_health_db), ("已录入公安库", p.in_police_db), ("摸排来源", p.source), ("备注", p.note),
    ] + ([("死亡日期", p.died or "未填"), ("死亡原因", p.death_cause)] if p.status == DEAD else []))


def _contacts(view: View, p: Patient, here: str) -> str:
    group = view.groups.get(p.group_id or "")
    contacts = [(p.guardian, f"监护人（{p.guardian_relation or '关系未填'}）", phone(p.guardian_phone))] if p.guardian else []
    if group:
        contacts += [(name, role, phone(view.phone_of(name))) for name, role in view.members.get(group.group_id, [])]
    line = f"帮扶小组：{a(here, paths.group(group.group_id), group.group_id) + '　' + text(group.name) if group else '未分配'}"
    return line + "\n\n" + (table(["姓名", "身份", "电话"], contacts) if contacts else "没有监护人和小组成员信息。")


def _state(view: View, p: Patient, here: str) -> str:
    state = view.states[p.patient_id]
    lists = "、".join(a(here, paths.overdue_list(key), BY_KEY[key].title) for key in view.lists_of_patient.get(p.patient_id, []))
    return "\n\n".join([derivation(view, state), table(["事项", "应办日期", "状态"], [due_row(d, p.enrolled) for d in state.dues]),
                        f"所在清单：{lists or '无'}"])


HISTORY = (  # (heading, records of History, empty text, columns, cells of a record): newest first on the page
    ("随访记录", "attempts", "没有随访记录。",
     ["日期", "形式", "随访人员", "随访对象", "危险性", "病情分类", "自知力", "关锁情况", "用药依从性", "药物不良反应",
      "失访原因", "转归", "下次随访", "备注"],
     lambda v: (v.visit_date, v.form, v.visitors, v.informant, v.risk, v.condition, v.insight, v.restraint, v.adherence,
                v.side_effects, v.loss_reason, v.outcome, v.next_due, v.note)),
    ("事件记录", "incidents", "没有事件记录。", ["日期", "类型", "危险性", "处置", "已报告派出所", "备注"],
     lambda x: (x.happened, x.kind, x.risk, x.handling, x.police_told, x.note)),
    ("通报记录", "notices", "没有通报记录。", ["日期", "类型", "通报对象", "备注"],
     lambda x: (x.sent, x.kind, x.recipient, x.note)),
    ("敏感时期点名", "roll_calls", "没有点名记录。", ["日期", "点名人", "情况", "备注"],
     lambda x: (x.called, x.caller, x.result, x.note)),
    ("危险性评估", "assessments", "没有评估记录。", ["日期", "危险性", "机构", "医生", "备注"],
     lambda x: (x.assessed, x.risk, x.institution, x.doctor, x.note)),
    ("住院记录", "stays", "没有住院记录。", ["入院", "出院", "医院", "方式", "出院信息已接收"],
     lambda x: (x.admitted, x.discharged or "仍在住院", x.hospital, x.mode, x.discharge_info_received)),
    ("健康体检", "checks", "没有体检记录。", ["日期", "机构", "结果"], lambda x: (x.checked, x.institution, x.result)),
    ("协议", "agreements", "没有协议记录。", ["类型", "签订", "到期", "年度金额", "备注"],
     lambda x: (x.kind, x.signed, x.expires, x.amount, x.note)),
)


def _history(h: History) -> str:
    parts = []
    for heading, attribute, empty, columns, cells in HISTORY:
        records = getattr(h, attribute)
        anchor = f" {{#{paths.FOLLOWUPS}}}" if attribute == "attempts" else ""  # 本周应访 links here
        parts += [f"## {heading}{anchor}", table(columns, [cells(r) for r in reversed(records)]) if records else empty]
    return "\n\n".join(parts)


def render_patients(view: View, workbook_dir: Path | None = None) -> Iterator[tuple[str, Page]]:
    env = environment(workbook_dir)
    for p in view.data.patients:
        yield paths.patient(p.patient_id), render_patient(view, p, render_patient_documents(env, view, p))
