"""The patients and their care records: 患者, 随访记录, 危险性评估, 住院记录, 健康体检, 协议."""

from datetime import date

from pydantic import Field

from generator.contract import values
from generator.contract.fields import (Amount, AnyDate, Code, IdNumber, LongText, Name, Names, PastDate, Phone, Risk, Text,
                                       Vocab, YesNo)
from generator.contract.row import UNKNOWN, GroupRef, PatientRef, PlaceRef, Row, RowProblem, holds, sheet_row
from generator.contract.settings import Settings
from generator.contract.vocab import (AGREEMENT_KINDS, AT_HOME, CLOSED_STATUSES, DEAD, FACE_TO_FACE, NOT_REACHED, PENDING_DIAGNOSIS,
                                      STABLE, Adherence, AdmissionMode, AgreementType, Diagnosis, Economy, GuardianRelation, Informant,
                                      Insight, LossReason, Outcome, Restraint, Sex, SideEffects, Status, VisitClass, VisitForm)


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

    def _id_required(self, settings: Settings) -> RowProblem | None:
        if self.id_number is None and not holds(self.diagnosis, PENDING_DIAGNOSIS) and not holds(self.status, "下落不明"):
            return RowProblem("身份证号", "required", "身份证号必填（只有诊断为“待诊断”或在管状态为“下落不明”的人可以留空）。")
        return None

    def _sex_matches_id(self, settings: Settings) -> RowProblem | None:
        if self.id_number and values.id_sex(self.id_number) != self.sex:
            return RowProblem(
                "性别", "sex-mismatch",
                f"性别填的是“{self.sex}”，但身份证号第 17 位表示“{values.id_sex(self.id_number)}”。请核对性别或身份证号。",
            )
        return None

    def _birth_date_matches_id(self, settings: Settings) -> RowProblem | None:
        if self.id_number and self.birth_date and self.birth_date != (born := values.id_birth_date(self.id_number)):
            return RowProblem(
                "出生日期", "inconsistent",
                f"出生日期 {self.birth_date.isoformat()} 与身份证号中的 {born.isoformat()} 不一致，请核对。",
            )
        return None

    def _born_before_enrolment(self, settings: Settings) -> RowProblem | None:
        if self.id_number and (born := values.id_birth_date(self.id_number)) > self.enrolled:
            return RowProblem("身份证号", "inconsistent", f"身份证号中的出生日期 {born.isoformat()} 晚于纳入管理日期，请核对。")
        return None

    def _group_at_home(self, settings: Settings) -> RowProblem | None:
        if self.status == AT_HOME and not self.group_id:
            return RowProblem("帮扶小组编号", "required", "在家居住的患者必须填写帮扶小组编号。")
        return None

    def _guardian_at_home(self, settings: Settings) -> RowProblem | None:
        if self.status == AT_HOME and not self.guardian:
            return RowProblem("监护人", "required", "在家居住的患者必须填写监护人。")
        return None

    def _guardian_phone(self, settings: Settings) -> RowProblem | None:
        if (self.guardian is UNKNOWN or self.guardian) and not self.guardian_phone:  # an unreadable name is filled
            return RowProblem("监护人电话", "required", "填了监护人，就必须填写监护人电话。")
        return None

    def _diagnosed_after_birth(self, settings: Settings) -> RowProblem | None:
        if self.diagnosed and self.diagnosed < self.born_on_or_min():
            return RowProblem("确诊日期", "inconsistent", "确诊日期早于出生日期，请核对。")
        return None

    def _death_date(self, settings: Settings) -> RowProblem | None:
        if self.status == DEAD and not self.died:
            return RowProblem("死亡日期", "required", "在管状态为“死亡”时，请填写死亡日期。", "warning")
        return None

    checks = (_id_required, _sex_matches_id, _birth_date_matches_id, _born_before_enrolment, _group_at_home,
              _guardian_at_home, _guardian_phone, _diagnosed_after_birth, _death_date)

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
    next_due: AnyDate | None = Field(None, alias="下次随访日期", description="约定的下次随访日期；应随访日期取它和“随访日期 + 随访间隔”中较早的一天。")
    informant: Vocab(Informant, width=12) | None = Field(
        None, alias="随访对象", description="患者本人、家属监护人 或 其他知情人。"
    )
    insight: Vocab(Insight, width=8) | None = Field(None, alias="自知力", description="完全、不全 或 缺失。")
    restraint: Vocab(Restraint, width=12) | None = Field(None, alias="关锁情况", description="无关锁、关锁 或 关锁已解除。")
    side_effects: Vocab(SideEffects, width=8) | None = Field(None, alias="药物不良反应", description="无 或 有。")
    outcome: Vocab(Outcome, width=10) | None = Field(None, alias="转归", description="继续随访、暂时失访 或 终止管理。")
    note: LongText | None = Field(None, alias="备注", description="备注。")

    def _risk_required(self, settings: Settings) -> RowProblem | None:
        if self.risk is None and not holds(self.condition, NOT_REACHED):
            return RowProblem("危险性", "required", "危险性必填（只有病情分类为“未访到”时可以留空）。")
        return None

    def _high_risk_unstable(self, settings: Settings) -> RowProblem | None:
        if self.risk is not None and self.risk >= settings.high_risk_level and self.condition in (STABLE, "基本稳定"):
            return RowProblem(
                "病情分类", "inconsistent",
                f"危险性为 {self.risk} 级（高风险等级为 {settings.high_risk_level} 级及以上），病情分类应为“不稳定”，不能是“{self.condition}”。",
            )
        return None

    def _stable_without_risk(self, settings: Settings) -> RowProblem | None:
        # national criteria: 稳定 needs 危险性 0; a level that is already high risk is the error above, not this
        if self.condition == STABLE and self.risk in (1, 2) and self.risk < settings.high_risk_level:
            return RowProblem(
                "病情分类", "inconsistent",
                f"危险性为 {self.risk} 级，病情分类却是“稳定”：按国家标准，病情稳定须危险性为 0 级。"
                "请核对危险性，或把病情分类改为“基本稳定”。", "warning",
            )
        return None

    def _loss_reason(self, settings: Settings) -> RowProblem | None:
        if self.condition == NOT_REACHED and not self.loss_reason:
            return RowProblem("失访原因", "required", "病情分类为“未访到”时，请填写失访原因。", "warning")
        return None

    def _next_after_visit(self, settings: Settings) -> RowProblem | None:
        if self.next_due and self.next_due <= self.visit_date:
            return RowProblem("下次随访日期", "inconsistent", "下次随访日期应晚于本次随访日期。")
        return None

    checks = (_risk_required, _high_risk_unstable, _stable_without_risk, _loss_reason, _next_after_visit)

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

    def _discharge_after_admission(self, settings: Settings) -> RowProblem | None:
        if self.discharged and self.discharged < self.admitted:
            return RowProblem("出院日期", "inconsistent", f"出院日期早于入院日期 {self.admitted.isoformat()}，请核对。")
        return None

    checks = (_discharge_after_admission,)


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

    def _expiry_after_signing(self, settings: Settings) -> RowProblem | None:
        if self.expires and self.expires < self.signed:
            return RowProblem("到期日期", "inconsistent", f"到期日期早于签订日期 {self.signed.isoformat()}，请核对。")
        return None

    def _amount_for_reward(self, settings: Settings) -> RowProblem | None:
        if self.amount is not None and self.kind != AGREEMENT_KINDS["reward"]:
            return RowProblem("年度金额", "inconsistent", "年度金额只用于以奖代补协议。", "warning")
        return None

    checks = (_expiry_after_signing, _amount_for_reward)
