"""The indicators inspectors score a township on (national 口径, domain.md v3): one catalogue the derivation, the CLI,
the site and the county read — key, name, definition, unit, default target, and which way is better.

Targets are settings (基本设置 rows named ``<name>目标``); the defaults are here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal, get_args

from generator.contract.values import fail, plain, show

Period = Literal["本年", "本季度", "本月", "近12个月"]
DEFAULT_PERIOD: Period = "本年"
PERIODS: tuple[str, ...] = get_args(Period)
SIX_DIAGNOSES = ("精神分裂症", "分裂情感性障碍", "偏执性精神病", "双相情感障碍", "癫痫所致精神障碍", "精神发育迟滞伴发精神障碍")
OTHER_DIAGNOSIS = "其他"
MEDICATED = ("规律", "间断")  # 用药依从性 values counted by 服药率
REGULAR = "规律"
STABLE = "稳定"
PERMILLE = "‰"
PERCENT = "%"


@dataclass(frozen=True)
class IndicatorSpec:
    """One indicator of the catalogue: value = numerator ÷ denominator × 100 (× 1000 for ‰)."""

    key: str
    name: str
    definition: str  # in Chinese, numerator ÷ denominator in words
    base: str  # what the denominator counts, in a few words
    target: float | None  # the default target in the indicator's unit; None = no target ("—")
    unit: str = PERCENT
    lower_is_better: bool = False

    @property
    def setting(self) -> str:
        """The 基本设置 项目 that sets this indicator's target."""
        return f"{self.name}目标"

    @property
    def scale(self) -> int:
        return 1000 if self.unit == PERMILLE else 100


INDICATORS: tuple[IndicatorSpec, ...] = (
    IndicatorSpec("prevalence", "报告患病率", "在册患者数 ÷ 辖区常住人口（基本设置“常住人口”）", "常住人口", 4.5, PERMILLE),
    IndicatorSpec("management_rate", "管理率",
                  "在管患者（统计期内至少随访 1 次的在册患者，未访到不算随访）÷ 在册患者", "在册", 80),
    IndicatorSpec("standard_management_rate", "规范管理率",
                  "规范管理的在册患者 ÷ 在册患者。规范管理：从统计期开始（或纳入管理）前最近一次随访（或纳入管理日期）起，"
                  "到统计截止日期止，相邻两次随访的间隔都不超过“规范管理最大间隔天数”；统计期满一年且统计期开始前已纳入管理的，"
                  "期内还须随访至少 4 次", "在册", 95),
    IndicatorSpec("face_visit_rate", "面访率", "统计期内至少面访（门诊或家庭访视）1 次的在册患者 ÷ 在册患者", "在册", 95),
    IndicatorSpec("medication_rate", "服药率",
                  "统计期内末次随访用药依从性为“规律”或“间断”、或在管状态为“住院治疗”的在册患者 ÷ 在册患者", "在册", None),
    IndicatorSpec("regular_medication_rate", "规律服药率",
                  "统计期内末次随访用药依从性为“规律”的在册患者 ÷ 在册患者", "在册", 85),
    IndicatorSpec("stable_rate", "病情稳定率", "统计期内末次随访病情分类为“稳定”的在管患者 ÷ 在管患者", "在管", None),
    IndicatorSpec("free_medication_share", "免费服药比例", "享受免费服药的在管患者 ÷ 在管患者", "在管", 30),
    IndicatorSpec("consent_signed_rate", "免费服药告知书签署率",
                  "已签免费服药告知书（签订日期不晚于统计截止日期）的免费服药在册患者 ÷ 享受免费服药的在册患者",
                  "免费服药的在册", 100),
    IndicatorSpec("health_check_rate", "健康体检率",
                  "统计期内做过健康体检的在家居住在册患者 ÷ 在家居住的在册患者", "在家居住的在册", None),
    IndicatorSpec("guardian_agreement_rate", "监护协议签订率",
                  "统计截止日期有有效监护协议的在家居住在册患者 ÷ 在家居住的在册患者", "在家居住的在册", 100),
    IndicatorSpec("reward_agreement_rate", "以奖代补签约率",
                  "统计截止日期有有效以奖代补协议的在家居住在册患者 ÷ 在家居住的在册患者", "在家居住的在册", None),
    IndicatorSpec("incident_rate", "肇事肇祸率",
                  "统计期内发生肇事肇祸（事件记录）的在册患者 ÷ 在册患者（越低越好）", "在册", None, lower_is_better=True),
)
BY_KEY: dict[str, IndicatorSpec] = {spec.key: spec for spec in INDICATORS}
POPULATION_KEY = "prevalence"  # the one indicator whose denominator is not patients: left out for a village

COUNTS: dict[str, str] = {  # the keys of indicators --json's "counts", and their Chinese names
    "registered": "在册", "managed": "在管", "pending": "待诊断", "other_diagnosis": "其他诊断", "closed": "已结案",
}

assert len(BY_KEY) == len(INDICATORS) and POPULATION_KEY in BY_KEY


def parse_target(value: object) -> float | None:
    """A target as typed in 基本设置: a number, with or without a trailing % or ‰ ("95", "95%", "4.5‰")."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    text = re.sub(r"[\s%‰％]", "", plain(value))
    if not text:
        return None
    try:
        return float(text)
    except ValueError:
        raise fail("bad-number", f"「{show(value)}」不是指标目标值，请只填写数字（如 95 表示 95%）。") from None
