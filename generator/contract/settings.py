"""The settings sheets: 基本设置 (one 项目 per row) and 随访规则 (the follow-up and assessment intervals of each class)."""

from typing import Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from generator.contract import values
from generator.contract import indicators
from generator.contract.fields import AnyDate, Amount, Col, Count, Days, DaysOrOff, FilePlace, LongText, Place, Vocab, VocabList
from generator.contract.row import Row, sheet_row
from generator.contract.vocab import SERIOUS_INCIDENT, ConditionClass, IncidentType


Target = Annotated[float | None, BeforeValidator(indicators.parse_target), Field(ge=0, le=1000), Col("amount", width=10)]


def _target(key: str):
    """The setting 〈name〉目标 of an indicator, defaulting to the catalogue's target."""
    spec = indicators.BY_KEY[key]
    way = "不高于" if spec.lower_is_better else "不低于"
    default = f"留空为默认值 {spec.target:g}" if spec.target is not None else "默认不设目标"
    return Field(spec.target, alias=spec.setting,
                 description=f"{spec.name}的目标值（单位 {spec.unit}，{way}目标为达标）；{default}。")


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
        180, alias="高风险居家面访间隔天数",
        description="在家居住的高风险或病情不稳定的患者，帮扶小组至少这么多天面访一次。",
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
    # v3: the indicators' period and targets (contract/indicators is the catalogue)
    period: Vocab(indicators.Period) = Field(
        indicators.DEFAULT_PERIOD, alias="统计周期",
        description="指标的统计期：本年（1月1日起）、本季度、本月 或 近12个月，都到统计截止日期为止。",
    )
    prevalence_target: Target = _target("prevalence")
    management_rate_target: Target = _target("management_rate")
    standard_management_rate_target: Target = _target("standard_management_rate")
    face_visit_rate_target: Target = _target("face_visit_rate")
    medication_rate_target: Target = _target("medication_rate")
    regular_medication_rate_target: Target = _target("regular_medication_rate")
    stable_rate_target: Target = _target("stable_rate")
    free_medication_share_target: Target = _target("free_medication_share")
    consent_signed_rate_target: Target = _target("consent_signed_rate")
    health_check_rate_target: Target = _target("health_check_rate")
    guardian_agreement_rate_target: Target = _target("guardian_agreement_rate")
    reward_agreement_rate_target: Target = _target("reward_agreement_rate")
    incident_rate_target: Target = _target("incident_rate")
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
    missed_in_a_row: Count = Field(
        3, alias="连续未访到次数",
        description="患者最近这么多条随访记录都是“未访到”时，列入“连续未访到（核实去向）”；0 表示不检查。",
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
class FollowupInterval(Row):
    """随访规则: the follow-up and assessment interval of each condition class."""

    condition: Vocab(ConditionClass) = Field(alias="病情分类", description="病情分类：不稳定、基本稳定或稳定。")
    followup_days: Days = Field(alias="随访间隔天数", description="这一类患者两次随访之间最多间隔的天数。")
    assessment_days: Days = Field(alias="评估间隔天数", description="这一类患者两次危险性评估之间最多间隔的天数。")
    note: LongText | None = Field(None, alias="说明", description="备注，不参与计算。")


DEFAULT_INTERVALS: dict[str, tuple[int, int]] = {"不稳定": (14, 90), "基本稳定": (30, 90), "稳定": (90, 180)}
