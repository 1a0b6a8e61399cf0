"""The township's work records (domain.md v2), the optional sheets: 工作会议, 事件记录, 排查记录, 通报记录, 敏感时期,
点名记录."""

from pydantic import Field

from generator.contract.fields import AnyDate, Count, LongText, Names, PastDate, Place, Risk, Text, Vocab, YesNo
from generator.contract.row import PatientRef, Row, RowProblem, StaffRef, StaffRefs, VillageRef, sheet_row
from generator.contract.settings import Settings
from generator.contract.vocab import (IncidentType, NoticeType, RollCallResult, RollCallScope, ScreeningType,
                                      WorkMeetingType)


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
        alias="通报类型", description="人户分离通报、外出报告、高风险报告、出院衔接、失访拒访通报 或 其他。"
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

    def _end_after_start(self, settings: Settings) -> RowProblem | None:
        if self.end < self.start:
            return RowProblem("结束日期", "inconsistent", f"结束日期早于开始日期 {self.start.isoformat()}，请核对。")
        return None

    checks = (_end_after_start,)


@sheet_row
class RollCall(Row):
    """点名记录: one patient's daily roll call on one day of a sensitive period."""

    patient_id: PatientRef = Field(alias="患者编号", description="患者编号，须在“患者”表中。")
    called: PastDate = Field(alias="点名日期", description="点名日期。")
    caller: StaffRef | None = Field(None, alias="点名人", description="点名的人，须在“人员”表中。")
    result: Vocab(RollCallResult, width=10) = Field(alias="情况", description="正常、异常 或 未联系上。")
    note: LongText | None = Field(None, alias="备注", description="备注。")
