"""The vocabularies of the workbook contract (dropdown values) and the named values the rules use.

Code refers to a value by its name here (AT_HOME, not "在家居住"), so a value is typed once.
"""

from __future__ import annotations

from typing import Literal, get_args

ConditionClass = Literal["不稳定", "基本稳定", "稳定"]
VisitClass = Literal["不稳定", "基本稳定", "稳定", "未访到"]
Sex = Literal["男", "女"]
Diagnosis = Literal[
    "精神分裂症", "分裂情感性障碍", "偏执性精神病", "双相情感障碍", "癫痫所致精神障碍", "精神发育迟滞伴发精神障碍",
    "待诊断", "其他",
]
Status = Literal["在家居住", "住院治疗", "羁押服刑", "强制隔离戒毒", "下落不明", "外出务工", "死亡", "迁出"]
GuardianRelation = Literal["父母", "父亲", "母亲", "配偶", "子女", "儿子", "女儿", "兄弟姐妹", "其他亲属", "村委会", "其他"]
Economy = Literal["低保", "特困", "低收入", "一般", "不详"]
VisitForm = Literal["门诊", "家庭访视", "电话"]
Adherence = Literal["规律", "间断", "不服药", "医嘱勿需服药"]
LossReason = Literal["外出务工", "迁居他处", "走失", "连续3次未访到", "拒绝随访", "其他"]
AdmissionMode = Literal["自愿", "非自愿", "强制医疗"]
AgreementType = Literal["监护协议", "以奖代补协议", "免费服药告知书"]
LeaderRole = Literal["组长", "副组长", "成员", "办公室"]
GroupRole = Literal[
    "组长", "精防医生", "村医", "社区民警", "民政干部", "康复协调员", "网格员", "残疾人专职委员", "综治专干", "志愿者", "其他",
]
VillageType = Literal["村", "社区"]
# v2 (2026-11-24): the township's work records and the national form's optional follow-up columns
WorkMeetingType = Literal["例会", "联席会议", "信息交换", "专题会议"]
IncidentType = Literal["肇事肇祸", "轻微滋事", "自伤", "自杀未遂", "走失", "其他"]
ScreeningType = Literal["集中排查", "主动搜索", "动态排查"]
NoticeType = Literal["人户分离通报", "外出报告", "高风险报告", "出院衔接", "失访拒访通报", "其他"]
RollCallScope = Literal["高风险", "全部在家"]
RollCallResult = Literal["正常", "异常", "未联系上"]
Informant = Literal["患者本人", "家属监护人", "其他知情人"]
Insight = Literal["完全", "不全", "缺失"]
Restraint = Literal["无关锁", "关锁", "关锁已解除"]
SideEffects = Literal["无", "有"]
Outcome = Literal["继续随访", "暂时失访", "终止管理"]

OUTSIDE = "外地"  # a 村社区 value meaning "outside this township"
AT_HOME = "在家居住"
POOR = ("低保", "特困", "低收入")  # 经济状况 values 民政办 and 残联 act on
IN_HOSPITAL = "住院治疗"
DEAD = "死亡"
CLOSED_STATUSES = (DEAD, "迁出")
MISSING_STATUSES = ("下落不明", "外出务工")
PENDING_DIAGNOSIS = "待诊断"
NOT_REACHED = "未访到"  # a 随访记录 row that is an attempt, not a follow-up
UNSTABLE = "不稳定"
STABLE = "稳定"  # national criteria: 稳定 requires 危险性 0
FACE_TO_FACE = ("门诊", "家庭访视")
AGREEMENT_KINDS: dict[str, str] = {"guardian": "监护协议", "reward": "以奖代补协议", "consent": "免费服药告知书"}
REGULAR_MEETINGS = ("例会", "联席会议")  # the 工作会议 types that count for 工作会议间隔天数
SCREENING_KINDS: dict[str, str] = {"campaign": "集中排查", "search": "主动搜索"}
NOTICE_KINDS: dict[str, str] = {"cross_village": "人户分离通报", "move": "外出报告", "high_risk": "高风险报告",
                                "refusal": "失访拒访通报"}
MOVE_LOSS_REASONS = ("外出务工", "迁居他处", "走失")  # a 未访到 for these reasons calls for an 外出报告
WANDERED = "走失"  # the 事件类型 that calls for an 外出报告
MOVED_AWAY = "迁居他处"  # the 失访原因 the monthly report counts as a move, not a loss
SERIOUS_INCIDENT = "肇事肇祸"  # the default 奖励取消事件类型
REFUSED = "拒绝随访"  # v3: the 失访原因 that calls for a 失访拒访通报 (refusal_unreported)
POLICE_INCIDENTS = ("肇事肇祸", "轻微滋事")  # v3: the 事件类型 to report to the police (incident_unreported)
HIGH_RISK_SCOPE = "高风险"  # 点名范围: only patients whose current risk is high (else every patient at home)
DOCTOR = "精防医生"  # the 小组角色 of a group's doctor: the roster export's 精防医生, 本周应访 per doctor

assert {AT_HOME, IN_HOSPITAL, *CLOSED_STATUSES, *MISSING_STATUSES} <= set(get_args(Status))
assert PENDING_DIAGNOSIS in get_args(Diagnosis) and {NOT_REACHED, STABLE} <= set(get_args(VisitClass))
assert set(AGREEMENT_KINDS.values()) == set(get_args(AgreementType))
assert set(REGULAR_MEETINGS) <= set(get_args(WorkMeetingType)) and set(SCREENING_KINDS.values()) <= set(get_args(ScreeningType))
assert set(NOTICE_KINDS.values()) <= set(get_args(NoticeType)) and {*MOVE_LOSS_REASONS, MOVED_AWAY} <= set(get_args(LossReason))
assert {WANDERED, SERIOUS_INCIDENT} <= set(get_args(IncidentType)) and HIGH_RISK_SCOPE in get_args(RollCallScope)
assert DOCTOR in get_args(GroupRole)
assert REFUSED in get_args(LossReason) and set(POLICE_INCIDENTS) <= set(get_args(IncidentType))


assert set(POOR) <= set(get_args(Economy))

# 监护人关系 as printed on a document one guardian signs: (wording, wording to tick at signing). A document prints
# what was typed (父亲, or 父母 as it is: never "父亲或母亲"); where the signer signs, the categories 父母/子女/兄弟姐妹,
# which name no single person, become boxes to tick which one they are.
RELATION_WORDING: dict[str, tuple[str, str]] = {
    "父母": ("父母", "□父亲　□母亲"), "父亲": ("父亲", "父亲"), "母亲": ("母亲", "母亲"), "配偶": ("配偶", "配偶"),
    "子女": ("子女", "□儿子　□女儿"), "儿子": ("儿子", "儿子"), "女儿": ("女儿", "女儿"),
    "兄弟姐妹": ("兄弟姐妹", "□兄弟　□姐妹"), "其他亲属": ("其他亲属", "其他亲属（________）"),
    "村委会": ("村（居）民委员会", "村（居）民委员会"), "其他": ("其他", "其他（________）"),
}
assert set(RELATION_WORDING) == set(get_args(GuardianRelation))
