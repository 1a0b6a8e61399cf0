"""The workbook contract: one pydantic model per sheet row, headers as aliases, vocabularies as Literals.

This module is the single source of the template (``init``), the validator (``check``) and the README's sheet
reference. Sheet names, headers and vocabulary values are those of the standard workbook spec. The column types and
the helpers that read a model's columns back live in fields.py, the vocabularies in vocab.py; the Dataset (a
validated workbook) is at the end of this module.
"""

from dataclasses import dataclass, field
from datetime import date
from typing import Annotated, Iterator, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field
from pydantic.dataclasses import dataclass as pydantic_dataclass

from generator.contract import values
from generator.contract.fields import (Amount, AnyDate, Code, Col, Count, Days, DaysOrOff, IdNumber, LongText, Name, Names, PastDate, Phone,
                     FilePlace, Place, Ref, RefNames, Risk, Text, Vocab, VocabList, YesNo)
from generator.contract.vocab import (AGREEMENT_KINDS, AT_HOME, CLOSED_STATUSES, DEAD, FACE_TO_FACE, NOT_REACHED, OUTSIDE, PENDING_DIAGNOSIS,
                    SERIOUS_INCIDENT, Adherence, AdmissionMode, AgreementType, ConditionClass, Diagnosis, Economy,
                    GroupRole, GuardianRelation, IncidentType, Informant, Insight, LeaderRole, LossReason, NoticeType,
                    Outcome, Restraint, RollCallResult, RollCallScope, ScreeningType, Sex, SideEffects, Status,
                    VillageType, VisitClass, VisitForm, WorkMeetingType)


# columns naming a key of another sheet (the names are sheet names, checked across sheets after rows are valid)
StaffRef = Ref("人员", "name", width=10)
StaffRefs = RefNames("人员")
GroupRef = Ref("帮扶小组", "code")
PatientRef = Ref("患者", "code")
VillageRef = Ref("村社区")
PlaceRef = Ref("村社区", others=(OUTSIDE,))  # a village of the township, or 外地


@dataclass(frozen=True)
class RowProblem:
    """A problem a row finds with itself once its cells are valid (conditional requirements, date order)."""

    column: str
    code: str
    message: str
    severity: Literal["error", "warning"] = "error"


# Rows are frozen, slotted pydantic dataclasses rather than BaseModels: a county workbook holds ~500,000 rows, and a
# BaseModel instance carries a __dict__ and a fields-set (~1.2 KB a row) where a slotted row needs ~100 bytes.
sheet_row = pydantic_dataclass(config=ConfigDict(populate_by_name=True, extra="ignore"), frozen=True, slots=True,
                               kw_only=True)


@sheet_row
class Row:
    """Base of every sheet row: headers are aliases; ``row`` is the Excel row number."""

    row: int = Field(default=0, alias="__row__")

    def row_problems(self, settings: "Settings") -> Iterator[RowProblem]:
        """Checks that need several cells of the row (and the settings); none by default."""
        return iter(())


class Settings(BaseModel):
    """基本设置: one 项目 per row; the 值 column holds the value."""

    model_config = ConfigDict(populate_by_name=True, extra="ignore", frozen=True)

    township: FilePlace = Field(alias="乡镇名称", description="乡镇（街道）名称，显示在网站标题和协议上。")
    county: Place | None = Field(None, alias="所属区县", description="所属区县。")
    as_of: AnyDate | None = Field(
        None, alias="统计截止日期", description="所有逾期清单和指标按这一天计算；留空则为生成网站当天。"
    )
    population: Annotated[int, BeforeValidator(values.parse_int), Field(ge=1), Col("int")] | None = Field(
        None, alias="常住人口", description="辖区常住人口，用于计算报告患病率。"
    )
    high_risk_level: Annotated[int, BeforeValidator(values.parse_int), Field(ge=1, le=5), Col("int")] = Field(
        3, alias="高风险等级", description="危险性达到这一级（含）即为高风险患者。"
    )
    high_risk_visit_days: Days = Field(
        180, alias="高风险居家面访间隔天数", description="在家居住的高风险患者，帮扶小组至少这么多天面访一次。"
    )
    discharge_followup_days: Days = Field(
        14, alias="出院后首次随访天数", description="患者出院后，应在这么多天内完成首次随访。"
    )
    health_check_days: Days = Field(365, alias="体检间隔天数", description="免费健康体检的间隔天数（每年一次）。")
    group_meeting_days: Days = Field(30, alias="小组会议间隔天数", description="帮扶小组会议的间隔天数（每月一次）。")
    min_visitors: Count = Field(
        0, alias="随访最少人数", description="每次面访（门诊、家庭访视）至少应有几名随访人员；0 表示不检查。"
    )
    max_followup_gap_days: Days = Field(
        92, alias="规范管理最大间隔天数", description="相邻两次随访超过这么多天，即不算规范管理。"
    )
    reward_amount: Amount | None = Field(
        None, alias="以奖代补年度金额", description="以奖代补有奖监护协议上默认打印的年度奖励金额（元/年）。"
    )
    work_meeting_days: Days = Field(
        92, alias="工作会议间隔天数", description="综合管理（领导）小组例会或联席会议至少这么多天开一次（每季度 92；每半年 183）。"
    )
    screening_days: Days = Field(183, alias="集中排查间隔天数", description="每个村社区至少这么多天开展一次集中排查。")
    active_search_days: DaysOrOff = Field(
        0, alias="主动搜索间隔天数", description="每个村社区至少这么多天开展一次主动搜索（每月 31）；0 表示不检查。"
    )
    report_days: Days = Field(
        1, alias="报告时限天数", description="患者升为高风险、外出或走失后，应在这么多天内完成高风险报告或外出报告。"
    )
    register_from: AnyDate | None = Field(
        None, alias="高风险底册起始日期",
        description="高风险患者底册收录这一天（含）以后危险性达到高风险等级的患者；留空表示收录全部历史。",
    )
    reward_void_types: VocabList(IncidentType) = Field(
        [SERIOUS_INCIDENT], alias="奖励取消事件类型",
        description="发生这些类型的事件，当年度的以奖代补奖励取消；多个类型用 、隔开。",
    )
    stale_days: Days = Field(
        7, alias="数据过期提醒天数",
        description="统计截止日期比生成网站那天早这么多天以上时，生成时提醒，网站每页顶部也显示提醒：清单可能不全。",
    )


@sheet_row
class FollowupRule(Row):
    """随访规则: the follow-up and assessment interval of each condition class."""

    condition: Vocab(ConditionClass) = Field(alias="病情分类", description="病情分类：不稳定、基本稳定或稳定。")
    followup_days: Days = Field(alias="随访间隔天数", description="这一类患者两次随访之间最多间隔的天数。")
    assessment_days: Days = Field(alias="评估间隔天数", description="这一类患者两次危险性评估之间最多间隔的天数。")
    note: LongText | None = Field(None, alias="说明", description="备注，不参与计算。")


DEFAULT_RULES: dict[str, tuple[int, int]] = {"不稳定": (14, 90), "基本稳定": (30, 90), "稳定": (90, 180)}


@sheet_row
class Village(Row):
    """村社区: the villages and communities of the township."""

    name: FilePlace = Field(alias="名称", description="村或社区名称，如 幸福村、银水社区。不能重复。")
    kind: Vocab(VillageType, width=8) | None = Field(None, alias="类型", description="村 或 社区。")
    head: Name | None = Field(None, alias="负责人", description="支部书记或负责人姓名。")
    head_phone: Phone | None = Field(None, alias="负责人电话", description="负责人的电话。")


@sheet_row
class Staff(Row):
    """人员: everyone who serves in a care group or on the leadership group."""

    name: Name = Field(
        alias="姓名", description="姓名，不能重复；同名的人加后缀区分，如 王鹏（卫生院）。其他表按这里的姓名引用。"
    )
    unit: Text | None = Field(None, alias="单位", description="工作单位，如 卫生院、派出所、民政办、某某村。")
    title: Text | None = Field(None, alias="职务", description="职务，如 精防医生、社区民警、支部书记。")
    phone: Phone = Field(alias="手机号", description="手机号（11 位）或座机（带区号）。")


@sheet_row
class Leader(Row):
    """领导小组: the township's leadership group (综合管理小组)."""

    name: StaffRef = Field(alias="姓名", description="姓名，须在“人员”表中。")
    role: Vocab(LeaderRole) = Field(alias="小组职务", description="组长、副组长、成员 或 办公室。")
    duty: LongText | None = Field(None, alias="分工", description="分工，如 负责统筹协调。")


@sheet_row
class Group(Row):
    """帮扶小组: one care-and-support group per household or per village."""

    group_id: Code = Field(alias="小组编号", description="小组编号，如 G01；只用英文字母和数字，不能重复。")
    name: Place = Field(
        alias="小组名称", description="小组名称，如 幸福村关爱帮扶小组 或 某某户联合服务管理小组。"
    )
    village: VillageRef = Field(alias="所属村社区", description="小组所属的村社区，须在“村社区”表中。")
    leader: StaffRef = Field(alias="组长", description="组长姓名，须在“人员”表中。")
    founded: PastDate | None = Field(None, alias="成立日期", description="小组成立日期。")


@sheet_row
class GroupMember(Row):
    """小组成员: who serves in which group, in which role (the patient's guardian is added automatically)."""

    group_id: GroupRef = Field(alias="小组编号", description="小组编号，须在“帮扶小组”表中。")
    name: StaffRef = Field(alias="姓名", description="成员姓名，须在“人员”表中。")
    role: Vocab(GroupRole, width=14) = Field(alias="小组角色", description="成员在小组中的角色。")


@sheet_row
class Patient(Row):
    """患者: one row per registered patient (and per suspected case awaiting diagnosis)."""

    patient_id: Code = Field(
        alias="患者编号", description="患者编号，如 P001；只用英文字母和数字，不能重复。其他表按编号引用患者。"
    )
    name: Name = Field(alias="姓名", description="患者姓名。")
    sex: Vocab(Sex, width=6) = Field(alias="性别", description="男 或 女，须与身份证号一致。")
    id_number: IdNumber | None = Field(
        None, alias="身份证号", description="18 位身份证号（文本格式）。只有待诊断或下落不明的人可以留空。"
    )
    birth_date: PastDate | None = Field(None, alias="出生日期", description="出生日期；留空时由身份证号推出。")
    village: PlaceRef = Field(
        alias="现住村社区", description="现在居住的村社区，须在“村社区”表中，或填 外地。"
    )
    address: LongText | None = Field(None, alias="现住址", description="现住址。")
    home_village: PlaceRef | None = Field(
        None, alias="户籍村社区", description="户籍所在村社区；留空表示与现住村社区相同。"
    )
    home_address: LongText | None = Field(None, alias="户籍地址", description="户籍地址。")
    diagnosis: Vocab(Diagnosis, width=22) = Field(alias="诊断", description="诊断（六类严重精神障碍、待诊断 或 其他）。")
    diagnosed: PastDate | None = Field(None, alias="确诊日期", description="确诊日期。")
    enrolled: PastDate = Field(alias="纳入管理日期", description="纳入管理的日期；没有随访时由此计算应随访日期。")
    status: Vocab(Status) = Field(alias="在管状态", description="患者目前在哪里：在家居住、住院治疗、下落不明 等。")
    died: PastDate | None = Field(None, alias="死亡日期", description="死亡日期；在管状态为“死亡”时应填写。")
    death_cause: Text | None = Field(None, alias="死亡原因", description="死亡原因。")
    group_id: GroupRef | None = Field(
        None, alias="帮扶小组编号", description="所属帮扶小组的编号；在家居住的患者必填。"
    )
    guardian: Name | None = Field(None, alias="监护人", description="监护人姓名；在家居住的患者必填。")
    guardian_relation: Vocab(GuardianRelation, width=10) | None = Field(
        None, alias="监护人关系", description="监护人与患者的关系。"
    )
    guardian_phone: Phone | None = Field(None, alias="监护人电话", description="监护人电话；填了监护人就必填。")
    economy: Vocab(Economy, width=10) | None = Field(None, alias="经济状况", description="低保、特困、低收入、一般 或 不详。")
    disability_card: YesNo | None = Field(None, alias="精神残疾证", description="是否办理了精神残疾证。")
    free_medication: YesNo | None = Field(None, alias="免费服药", description="是否享受免费服药。")
    in_health_db: YesNo | None = Field(None, alias="已录入卫健库", description="是否已录入卫健系统。")
    in_police_db: YesNo | None = Field(
        None, alias="已录入公安库", description="是否已录入公安库；高风险患者必须为 是。"
    )
    source: Text | None = Field(
        None, alias="摸排来源", description="如 评估3级以上、曾住院、强制医疗、司法鉴定、残疾证、群众反映。"
    )
    note: LongText | None = Field(None, alias="备注", description="备注。")

    def row_problems(self, settings: Settings) -> Iterator[RowProblem]:
        if self.id_number is None and self.diagnosis != PENDING_DIAGNOSIS and self.status != "下落不明":
            yield RowProblem("身份证号", "required", "身份证号必填（只有诊断为“待诊断”或在管状态为“下落不明”的人可以留空）。")
        if self.id_number:
            if values.id_sex(self.id_number) != self.sex:
                yield RowProblem(
                    "性别", "sex-mismatch",
                    f"性别填的是“{self.sex}”，但身份证号第 17 位表示“{values.id_sex(self.id_number)}”。请核对性别或身份证号。",
                )
            born = values.id_birth_date(self.id_number)
            if self.birth_date and self.birth_date != born:
                yield RowProblem(
                    "出生日期", "inconsistent",
                    f"出生日期 {self.birth_date.isoformat()} 与身份证号中的 {born.isoformat()} 不一致，请核对。",
                )
            if born > self.enrolled:
                yield RowProblem("身份证号", "inconsistent", f"身份证号中的出生日期 {born.isoformat()} 晚于纳入管理日期，请核对。")
        if self.status == AT_HOME:
            if not self.group_id:
                yield RowProblem("帮扶小组编号", "required", "在家居住的患者必须填写帮扶小组编号。")
            if not self.guardian:
                yield RowProblem("监护人", "required", "在家居住的患者必须填写监护人。")
        if self.guardian and not self.guardian_phone:
            yield RowProblem("监护人电话", "required", "填了监护人，就必须填写监护人电话。")
        if self.diagnosed and self.diagnosed < self.born_on_or_min():
            yield RowProblem("确诊日期", "inconsistent", "确诊日期早于出生日期，请核对。")
        if self.status == DEAD and not self.died:
            yield RowProblem("死亡日期", "required", "在管状态为“死亡”时，请填写死亡日期。", "warning")

    def born_on_or_min(self) -> date:
        """Birth date from the cell or the ID number; date.min when neither is known."""
        if self.birth_date:
            return self.birth_date
        return values.id_birth_date(self.id_number) if self.id_number else date.min

    @property
    def closed(self) -> bool:
        return self.status in CLOSED_STATUSES


@sheet_row
class Followup(Row):
    """随访记录: one row per follow-up visit or attempt (national 随访服务记录表)."""

    patient_id: PatientRef = Field(alias="患者编号", description="患者编号，须在“患者”表中。")
    visit_date: PastDate = Field(alias="随访日期", description="随访日期。")
    form: Vocab(VisitForm, width=10) = Field(
        alias="随访形式", description="门诊、家庭访视 或 电话；门诊和家庭访视算面访。"
    )
    visitors: Names | None = Field(
        None, alias="随访人员", description="参加随访的人员，用 、或 ， 隔开；面访人数按“随访最少人数”检查。"
    )
    risk: Risk | None = Field(None, alias="危险性", description="危险性评估 0–5 级；只有“未访到”时可以留空。")
    condition: Vocab(VisitClass, width=10) = Field(
        alias="病情分类", description="不稳定、基本稳定、稳定 或 未访到（未访到只算一次尝试，不算随访）。"
    )
    adherence: Vocab(Adherence, width=12) | None = Field(None, alias="用药依从性", description="规律、间断、不服药 或 医嘱勿需服药。")
    loss_reason: Vocab(LossReason, width=14) | None = Field(None, alias="失访原因", description="未访到时填写原因。")
    next_due: AnyDate | None = Field(None, alias="下次随访日期", description="约定的下次随访日期；填了就以此为应随访日期。")
    informant: Vocab(Informant, width=12) | None = Field(
        None, alias="随访对象", description="患者本人、家属监护人 或 其他知情人。"
    )
    insight: Vocab(Insight, width=8) | None = Field(None, alias="自知力", description="完全、不全 或 缺失。")
    restraint: Vocab(Restraint, width=12) | None = Field(None, alias="关锁情况", description="无关锁、关锁 或 关锁已解除。")
    side_effects: Vocab(SideEffects, width=8) | None = Field(None, alias="药物不良反应", description="无 或 有。")
    outcome: Vocab(Outcome, width=10) | None = Field(None, alias="转归", description="继续随访、暂时失访 或 终止管理。")
    note: LongText | None = Field(None, alias="备注", description="备注。")

    def row_problems(self, settings: Settings) -> Iterator[RowProblem]:
        if self.risk is None and self.condition != NOT_REACHED:
            yield RowProblem("危险性", "required", "危险性必填（只有病情分类为“未访到”时可以留空）。")
        if self.risk is not None and self.risk >= settings.high_risk_level and self.condition in ("稳定", "基本稳定"):
            yield RowProblem(
                "病情分类", "inconsistent",
                f"危险性为 {self.risk} 级（高风险等级为 {settings.high_risk_level} 级及以上），病情分类应为“不稳定”，不能是“{self.condition}”。",
            )
        if self.condition == NOT_REACHED and not self.loss_reason:
            yield RowProblem("失访原因", "required", "病情分类为“未访到”时，请填写失访原因。", "warning")
        if self.next_due and self.next_due <= self.visit_date:
            yield RowProblem("下次随访日期", "inconsistent", "下次随访日期应晚于本次随访日期。")

    @property
    def is_followup(self) -> bool:
        """A real follow-up; a 未访到 row is only an attempt."""
        return self.condition != NOT_REACHED

    @property
    def face_to_face(self) -> bool:
        return self.is_followup and self.form in FACE_TO_FACE


@sheet_row
class Assessment(Row):
    """危险性评估: a doctor's diagnosis review and risk assessment."""

    patient_id: PatientRef = Field(alias="患者编号", description="患者编号，须在“患者”表中。")
    assessed: PastDate = Field(alias="评估日期", description="评估日期。")
    risk: Risk = Field(alias="危险性", description="危险性 0–5 级。")
    institution: Text | None = Field(None, alias="评估机构", description="评估机构。")
    doctor: Name | None = Field(None, alias="评估医生", description="评估医生。")
    note: LongText | None = Field(None, alias="备注", description="备注。")


@sheet_row
class HospitalStay(Row):
    """住院记录: one row per hospital stay."""

    patient_id: PatientRef = Field(alias="患者编号", description="患者编号，须在“患者”表中。")
    admitted: PastDate = Field(alias="入院日期", description="入院日期。")
    discharged: PastDate | None = Field(None, alias="出院日期", description="出院日期；留空表示仍在住院。")
    hospital: Text | None = Field(None, alias="医院", description="医院名称。")
    mode: Vocab(AdmissionMode, width=10) | None = Field(None, alias="住院方式", description="自愿、非自愿 或 强制医疗。")
    discharge_info_received: YesNo | None = Field(
        None, alias="出院信息已接收", description="是否已收到医院推送的出院信息（“一历五单”）。"
    )

    def row_problems(self, settings: Settings) -> Iterator[RowProblem]:
        if self.discharged and self.discharged < self.admitted:
            yield RowProblem("出院日期", "inconsistent", f"出院日期早于入院日期 {self.admitted.isoformat()}，请核对。")


@sheet_row
class HealthCheck(Row):
    """健康体检: the free yearly health check."""

    patient_id: PatientRef = Field(alias="患者编号", description="患者编号，须在“患者”表中。")
    checked: PastDate = Field(alias="体检日期", description="体检日期。")
    institution: Text | None = Field(None, alias="体检机构", description="体检机构。")
    result: LongText | None = Field(None, alias="结果", description="体检结果摘要。")


@sheet_row
class Agreement(Row):
    """协议: signed agreements (监护协议, 以奖代补协议, 免费服药告知书)."""

    patient_id: PatientRef = Field(alias="患者编号", description="患者编号，须在“患者”表中。")
    kind: Vocab(AgreementType, width=14) = Field(alias="协议类型", description="监护协议、以奖代补协议 或 免费服药告知书。")
    signed: PastDate = Field(alias="签订日期", description="签订日期。")
    expires: AnyDate | None = Field(
        None, alias="到期日期", description="到期日期；留空表示长期有效（以奖代补协议默认一年）。"
    )
    amount: Amount | None = Field(None, alias="年度金额", description="以奖代补的年度奖励金额（元）。")
    note: LongText | None = Field(None, alias="备注", description="备注。")

    def row_problems(self, settings: Settings) -> Iterator[RowProblem]:
        if self.expires and self.expires < self.signed:
            yield RowProblem("到期日期", "inconsistent", f"到期日期早于签订日期 {self.signed.isoformat()}，请核对。")
        if self.amount is not None and self.kind != AGREEMENT_KINDS["reward"]:
            yield RowProblem("年度金额", "inconsistent", "年度金额只用于以奖代补协议。", "warning")


@sheet_row
class Meeting(Row):
    """小组会议: care-group meetings."""

    group_id: GroupRef = Field(alias="小组编号", description="小组编号，须在“帮扶小组”表中。")
    held: PastDate = Field(alias="会议日期", description="会议日期。")
    attendees: Names | None = Field(None, alias="参会人员", description="参会人员，用 、或 ， 隔开。")
    content: LongText | None = Field(None, alias="内容", description="会议内容摘要。")


@sheet_row
class WorkMeeting(Row):
    """工作会议: meetings of the township's 综合管理（领导）小组 — 例会, 联席会议, 信息交换, 专题会议."""

    held: PastDate = Field(alias="会议日期", description="会议日期。")
    kind: Vocab(WorkMeetingType, width=10) = Field(
        alias="会议类型", description="例会、联席会议、信息交换 或 专题会议；例会和联席会议按“工作会议间隔天数”检查。"
    )
    attendees: StaffRefs | None = Field(
        None, alias="参会人员", description="参会人员，用 、或 ， 隔开；每个人须在“人员”表中。"
    )
    decisions: LongText | None = Field(None, alias="议定事项", description="会议议定的事项。")


@sheet_row
class Incident(Row):
    """事件记录: an incident (肇事肇祸, 走失 …); a 危险性 given here is a risk observation of that day."""

    patient_id: PatientRef = Field(alias="患者编号", description="患者编号，须在“患者”表中。")
    happened: PastDate = Field(alias="发生日期", description="事件发生的日期。")
    kind: Vocab(IncidentType, width=10) = Field(
        alias="事件类型", description="肇事肇祸、轻微滋事、自伤、自杀未遂、走失 或 其他。"
    )
    risk: Risk | None = Field(
        None, alias="危险性", description="事件时评估的危险性 0–5 级；填了就算作当天的一次危险性记录。"
    )
    handling: LongText | None = Field(None, alias="处置", description="联合处置情况：谁到场、做了什么。")
    police_told: YesNo | None = Field(None, alias="已报告派出所", description="是否已报告派出所。")
    note: LongText | None = Field(None, alias="备注", description="备注。")


@sheet_row
class Screening(Row):
    """排查记录: a 集中排查 campaign, a 主动搜索 or a 动态排查 in one village."""

    village: VillageRef = Field(alias="村社区", description="排查的村社区，须在“村社区”表中。")
    screened: PastDate = Field(alias="排查日期", description="排查日期。")
    kind: Vocab(ScreeningType, width=10) = Field(alias="排查类型", description="集中排查、主动搜索 或 动态排查。")
    screeners: Names | None = Field(None, alias="排查人员", description="参加排查的人员，用 、或 ， 隔开。")
    suspected: Count | None = Field(None, alias="发现疑似人数", description="这次排查发现的疑似患者人数。")
    note: LongText | None = Field(None, alias="备注", description="备注。")


@sheet_row
class Notice(Row):
    """通报记录: a notification or report made about a patient (人户分离通报, 外出报告, 高风险报告 …)."""

    patient_id: PatientRef = Field(alias="患者编号", description="患者编号，须在“患者”表中。")
    sent: PastDate = Field(alias="通报日期", description="通报或报告的日期。")
    kind: Vocab(NoticeType, width=14) = Field(
        alias="通报类型", description="人户分离通报、外出报告、高风险报告、出院衔接 或 其他。"
    )
    recipient: Text | None = Field(None, alias="通报对象", description="通报给谁，如 户籍地某某村、派出所、平安办。")
    note: LongText | None = Field(None, alias="备注", description="备注。")


@sheet_row
class SensitivePeriod(Row):
    """敏感时期: a period of daily roll call (may be planned ahead of the as-of date)."""

    name: Place = Field(alias="名称", description="敏感时期名称，如 春节、国庆。")
    start: AnyDate = Field(alias="开始日期", description="开始日期（可以晚于统计截止日期，提前安排）。")
    end: AnyDate = Field(alias="结束日期", description="结束日期（含），不能早于开始日期。")
    scope: Vocab(RollCallScope, width=10) = Field(
        alias="点名范围", description="高风险（当前危险性达到高风险等级的在家患者）或 全部在家（所有在家居住的患者）。"
    )

    def row_problems(self, settings: Settings) -> Iterator[RowProblem]:
        if self.end < self.start:
            yield RowProblem("结束日期", "inconsistent", f"结束日期早于开始日期 {self.start.isoformat()}，请核对。")


@sheet_row
class RollCall(Row):
    """点名记录: one patient's daily roll call on one day of a sensitive period."""

    patient_id: PatientRef = Field(alias="患者编号", description="患者编号，须在“患者”表中。")
    called: PastDate = Field(alias="点名日期", description="点名日期。")
    caller: StaffRef | None = Field(None, alias="点名人", description="点名的人，须在“人员”表中。")
    result: Vocab(RollCallResult, width=10) = Field(alias="情况", description="正常、异常 或 未联系上。")
    note: LongText | None = Field(None, alias="备注", description="备注。")


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
    SheetSpec("随访规则", FollowupRule, "每种病情分类的随访间隔和评估间隔天数。", (("病情分类",),)),
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
    rules: dict[str, tuple[int, int]] = field(default_factory=lambda: dict(DEFAULT_RULES))
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
