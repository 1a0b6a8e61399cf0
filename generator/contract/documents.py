"""The document catalogue: every printable document by kind and title (the title is also its template's file name),
whose it is (a patient's, a group's, a village's, the township's), and the placeholders a template may use."""

from __future__ import annotations

from generator.contract.vocab import AGREEMENT_KINDS

DOCUMENTS = {**AGREEMENT_KINDS, "joint_visit": "高风险患者联合随访记录单"}  # a patient's: kind → title (= file name)
GROUP_DOCUMENTS = {"notice": "成立关爱帮扶小组的通知"}  # a group's
VILLAGE_DOCUMENTS = {"rollcall": "敏感时期点名表"}  # a village's, per sensitive period
TOWNSHIP_DOCUMENTS = {"monthly": "月度信息交换通报"}  # the township's, one copy per department
ALL_DOCUMENTS = {**DOCUMENTS, **GROUP_DOCUMENTS, **VILLAGE_DOCUMENTS, **TOWNSHIP_DOCUMENTS}  # kind → title
# what a template may use, and what it means (the 文书模板说明 page lists them for whoever edits a template)
PLACEHOLDERS = {
    "township": "乡镇名称", "county": "所属区县", "village": "患者现住村社区",
    "village_committee": "村（居）民委员会全称，如 禾苗村村民委员会", "year": "统计截止日期所在年份",
    "amount": "以奖代补年度金额（最近一份协议的金额，否则取基本设置）", "amount_words": "年度金额的人民币大写，如 贰仟元整",
    "term.start": "以奖代补协议期限的起始日（如 2026年10月1日；续签从原协议到期次日起；未签或已过期时为空，由签订人填写）",
    "term.end": "以奖代补协议期限的截止日（起始日加一年减一天，或协议记录的到期日期）",
    "patient.name": "患者姓名", "patient.sex": "性别", "patient.id_number": "身份证号", "patient.address": "现住址",
    "patient.diagnosis": "诊断", "patient.patient_id": "患者编号",
    "guardian.name": "监护人姓名", "guardian.relation": "监护人与患者的关系，照台账所填，如 父亲、父母、配偶",
    "guardian.relation_tick": "签字时勾选的关系，如 □父亲　□母亲（台账记“父母”“子女”“兄弟姐妹”时）",
    "guardian.phone": "监护人电话",
    "group.leader": "帮扶小组组长", "group.leader_phone": "组长电话", "group.name": "帮扶小组名称",
    "risk": "当前危险性（联合随访记录单）",
    "members": "小组成员列表（每项有 name、role、unit、title、phone），如 {% for m in members %}{{ m.name }}{% endfor %}",
    "guardians": "小组所管患者的监护人列表（每项有 name、relation、phone；成立通知）",
    "meeting_days": "小组会议间隔天数（成立通知）", "intervals": "各病情分类的随访间隔天数，如 {{ intervals[\"稳定\"] }}",
    "min_visitors": "随访最少人数",
    "department": "月度通报的接收部门（派出所、卫生院（精防医生）、民政办、残联）", "month": "通报月份，如 2026年10月",
    "sections": "月度通报的各部分（每项有 number、title、about、summary、columns、rows）",
    "comparisons": "月度通报中各来源的信息比对结果，每项一句，如“与卫健库比对：一致 40 人，不一致 2 处（姓名 1 处、死亡 1 处），"
                   "仅台账有 1 人，仅卫健库有 0 人”（生成网站时有 --compare 才有）",
    "compared_on": "月度通报中信息比对的日期：生成网站或文书的那天（名单本身不带日期），如 2026-07-05",
}
