"""The workbook contract's catalogue: every sheet (name, row model, uniqueness, optional) and the Dataset a valid
workbook becomes.

This module with the row models is the single source of the template (``init``), the validator (``check``) and the
README's sheet reference. Sheet names, headers and vocabulary values are those of the standard workbook spec. The row
models are in settings.py, organisation.py, patients.py and work_records.py (their base in row.py), the column types
and the helpers that read a model's columns back in fields.py, the vocabularies in vocab.py.
"""

from dataclasses import dataclass, field
from datetime import date

from generator.contract.organisation import Group, GroupMember, Leader, Meeting, Staff, Village
from generator.contract.patients import Agreement, Assessment, Followup, HealthCheck, HospitalStay, Patient
from generator.contract.row import Row
from generator.contract.settings import DEFAULT_INTERVALS, FollowupInterval, Settings
from generator.contract.work_records import Incident, Notice, RollCall, Screening, SensitivePeriod, WorkMeeting


@dataclass(frozen=True)
class SheetSpec:
    """One sheet of the standard workbook; an optional sheet may be absent (read as empty, with a notice)."""

    name: str
    model: type[Row] | type[Settings]
    about: str
    unique: tuple[tuple[str, ...], ...] = ()  # headers whose values must not repeat
    optional: bool = False


SETTINGS_SHEET = "基本设置"
SETTINGS_HEADERS = ("项目", "值", "说明")

SHEETS: tuple[SheetSpec, ...] = (
    SheetSpec(SETTINGS_SHEET, Settings, "乡镇名称、统计截止日期和各项间隔天数、阈值。每行一个项目，在“值”一列填写。"),
    SheetSpec("随访规则", FollowupInterval, "每种病情分类的随访间隔和评估间隔天数。", (("病情分类",),)),
    SheetSpec("村社区", Village, "本乡镇的村和社区。", (("名称",),)),
    SheetSpec("人员", Staff, "参加帮扶小组或领导小组的所有工作人员（通讯录）。", (("姓名",),)),
    SheetSpec("领导小组", Leader, "乡镇严重精神障碍患者综合管理（领导）小组成员。", (("姓名",),)),
    SheetSpec("帮扶小组", Group, "关爱帮扶小组（每户一个或每村一个）。", (("小组编号",),)),
    SheetSpec("小组成员", GroupMember, "每个帮扶小组的成员和角色；患者的监护人自动算作小组成员。", (("小组编号", "姓名"),)),
    SheetSpec("患者", Patient, "在册患者和待诊断的疑似患者，每人一行。", (("患者编号",), ("身份证号",))),
    SheetSpec("随访记录", Followup, "每次随访（或未访到的尝试）一行。"),
    SheetSpec("危险性评估", Assessment, "医生的病情诊断复核和危险性评估，每次一行。"),
    SheetSpec("住院记录", HospitalStay, "每次住院一行；出院日期留空表示仍在住院。"),
    SheetSpec("健康体检", HealthCheck, "每年一次的免费健康体检，每次一行。"),
    SheetSpec("协议", Agreement, "已签订的监护协议、以奖代补协议和免费服药告知书，每份一行。"),
    SheetSpec("小组会议", Meeting, "帮扶小组会议，每次一行。"),
    SheetSpec("工作会议", WorkMeeting, "综合管理（领导）小组的例会、联席会议、信息交换和专题会议，每次一行。", optional=True),
    SheetSpec("事件记录", Incident, "肇事肇祸、走失等事件，每件一行；填了危险性就算一次危险性记录。", optional=True),
    SheetSpec("排查记录", Screening, "各村社区的集中排查、主动搜索和动态排查，每次一行。", optional=True),
    SheetSpec("通报记录", Notice, "人户分离通报、外出报告、高风险报告等，每次一行。", optional=True),
    SheetSpec("敏感时期", SensitivePeriod, "需要每日点名的敏感时期，每个一行；可以提前填写。", optional=True),
    SheetSpec("点名记录", RollCall, "敏感时期每日点名，每人每天一行。", optional=True),
)
SHEET_BY_NAME = {spec.name: spec for spec in SHEETS}


@dataclass
class Dataset:
    """A validated workbook: settings plus the rows of every sheet."""

    settings: Settings
    intervals: dict[str, tuple[int, int]] = field(default_factory=lambda: dict(DEFAULT_INTERVALS))  # 随访规则
    as_of: date | None = None  # the day every list and indicator is computed for (resolved by the validator)
    villages: list[Village] = field(default_factory=list)
    staff: list[Staff] = field(default_factory=list)
    leaders: list[Leader] = field(default_factory=list)
    groups: list[Group] = field(default_factory=list)
    members: list[GroupMember] = field(default_factory=list)
    patients: list[Patient] = field(default_factory=list)
    followups: list[Followup] = field(default_factory=list)
    assessments: list[Assessment] = field(default_factory=list)
    stays: list[HospitalStay] = field(default_factory=list)
    checks: list[HealthCheck] = field(default_factory=list)
    agreements: list[Agreement] = field(default_factory=list)
    meetings: list[Meeting] = field(default_factory=list)
    work_meetings: list[WorkMeeting] = field(default_factory=list)
    incidents: list[Incident] = field(default_factory=list)
    screenings: list[Screening] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)
    periods: list[SensitivePeriod] = field(default_factory=list)
    roll_calls: list[RollCall] = field(default_factory=list)
    absent: frozenset[str] = frozenset()  # optional sheets the workbook does not have (their lists stay empty)


# which Dataset list holds each table sheet's rows
DATASET_FIELD = {
    "村社区": "villages", "人员": "staff", "领导小组": "leaders", "帮扶小组": "groups", "小组成员": "members",
    "患者": "patients", "随访记录": "followups", "危险性评估": "assessments", "住院记录": "stays",
    "健康体检": "checks", "协议": "agreements", "小组会议": "meetings", "工作会议": "work_meetings", "事件记录": "incidents",
    "排查记录": "screenings", "通报记录": "notices", "敏感时期": "periods", "点名记录": "roll_calls",
}
