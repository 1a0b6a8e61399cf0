"""The township's summary (三级联动): what a township sends up to its county instead of any patient's data — counts,
every indicator's numerator and denominator, every list's item count; never a name, ID, phone, address or village.

A summary file is JSON with a ``digest``: the SHA-256 of the canonical JSON of everything else (keys sorted, no
spaces, UTF-8). It tells a truncated or hand-edited file from a whole one; it is no signature (anyone can
recompute it), since the file holds nothing secret.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, StrictInt, ValidationError, model_validator

from generator.contract.indicators import BY_KEY as INDICATOR_KEYS, COUNTS, POPULATION_KEY, Period
from generator.contract.lists import BY_KEY as LIST_KEYS

FORMAT = "jingfang-summary/1"
FORMAT_FAMILY = "jingfang-summary/"
HIGH_RISK = "high_risk"  # the summary's counts: indicators --json's, and 在册 patients at high risk now
SUMMARY_COUNTS: dict[str, str] = {**COUNTS, HIGH_RISK: "高风险"}
INCIDENT_KEY = "incident_rate"  # its numerator is the 肇事肇祸 count the county shows
DIGEST = "digest"
# what each indicator's denominator must equal (a count's key), or at most equal (≤); its numerator is a subset of
# its denominator for every indicator but 报告患病率 (numerator 在册, denominator 常住人口): derive/indicators.compute
EQUALS = {"management_rate": "registered", "standard_management_rate": "registered", "face_visit_rate": "registered",
          "medication_rate": "registered", "regular_medication_rate": "registered", "incident_rate": "registered",
          "stable_rate": "managed", "free_medication_share": "managed"}
AT_MOST = {"consent_signed_rate": "registered", "health_check_rate": "registered",
           "guardian_agreement_rate": "registered", "reward_agreement_rate": "registered"}


class SummaryRefused(ValueError):
    """A summary file the county cannot use; one Chinese sentence naming the file."""


class Fraction(BaseModel):
    """An indicator's numerator and denominator (never a rate: the county sums these)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    numerator: StrictInt = Field(ge=0)
    denominator: StrictInt = Field(ge=0)


class SummaryPeriod(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    name: Period
    start: date
    end: date


class Summary(BaseModel):
    """One township's summary as of a day (format jingfang-summary/1)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    format: str = FORMAT
    township: str = Field(min_length=1, max_length=60)
    county: str | None = Field(None, max_length=60)
    as_of: date
    period: SummaryPeriod
    counts: dict[str, StrictInt]
    indicators: dict[str, Fraction]
    lists: dict[str, StrictInt]

    @model_validator(mode="after")
    def _keys(self) -> Summary:
        for field, known in (("counts", SUMMARY_COUNTS), ("indicators", INDICATOR_KEYS), ("lists", LIST_KEYS)):
            have = getattr(self, field)
            missing, unknown = [k for k in known if k not in have], [k for k in have if k not in known]
            if missing or unknown:
                said = "；".join(part for part in (missing and f"缺少 {'、'.join(missing)}",
                                                   unknown and f"不认识 {'、'.join(unknown)}") if part)
                raise ValueError(f"“{field}”的项目与本程序不同（{said}）：两边的 jingfang 版本不一致")
        for field in ("counts", "lists"):
            for key, n in getattr(self, field).items():
                if n < 0:
                    raise ValueError(f"{field}.{key} 是负数 {n}")
        return self._consistent()

    def _consistent(self) -> Summary:
        """The numbers one workbook can give (derive/indicators.compute): a numerator within its denominator, the
        denominators the counts they are of; ValueError naming the key otherwise."""
        c, f = self.counts, self.indicators
        if c["managed"] > c["registered"]:
            raise ValueError(f"counts.managed（在管 {c['managed']}）大于 counts.registered（在册 {c['registered']}）")
        for key, spec in INDICATOR_KEYS.items():
            n, d = f[key].numerator, f[key].denominator
            if key != POPULATION_KEY and n > d:
                raise ValueError(f"indicators.{key}（{spec.name}）的分子 {n} 大于分母 {d}")
        prevalence = f[POPULATION_KEY].numerator
        if prevalence != c["registered"]:
            raise ValueError(f"indicators.{POPULATION_KEY}（报告患病率）的分子 {prevalence} 不等于在册人数 {c['registered']}")
        if f["management_rate"].numerator != c["managed"]:
            raise ValueError(f"indicators.management_rate（管理率）的分子 {f['management_rate'].numerator} "
                             f"不等于在管人数 {c['managed']}")
        for rule, holds, said in ((EQUALS, lambda d, n: d == n, "不等于"), (AT_MOST, lambda d, n: d <= n, "大于")):
            for key, count in rule.items():
                d = f[key].denominator
                if not holds(d, c[count]):
                    raise ValueError(f"indicators.{key}（{INDICATOR_KEYS[key].name}）的分母 {d} {said}"
                                     f"{COUNTS[count]}人数 {c[count]}")
        return self

    def content(self) -> dict[str, Any]:
        """The summary as JSON data, without the digest (catalogue order)."""
        return {
            "format": self.format, "township": self.township, "county": self.county, "as_of": self.as_of.isoformat(),
            "period": {"name": self.period.name, "start": self.period.start.isoformat(),
                       "end": self.period.end.isoformat()},
            "counts": {k: self.counts[k] for k in SUMMARY_COUNTS},
            "indicators": {k: {"numerator": f.numerator, "denominator": f.denominator}
                           for k in INDICATOR_KEYS for f in [self.indicators[k]]},
            "lists": {k: self.lists[k] for k in LIST_KEYS},
        }

    def to_json(self) -> str:
        """The file's text: the content and its digest, indented for a person to read."""
        content = self.content()
        return json.dumps({**content, DIGEST: digest_of(content)}, ensure_ascii=False, indent=2) + "\n"


def digest_of(content: dict[str, Any]) -> str:
    """SHA-256 (hex) of the canonical JSON of content: keys sorted, no spaces, UTF-8."""
    canonical = json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def summary_from(data: object, name: str) -> Summary:
    """The Summary in a file's parsed JSON; SummaryRefused naming the file (name) for another format or version, a
    digest that does not match (edited, truncated) or content this version cannot read."""
    if not isinstance(data, dict) or not isinstance(data.get("format"), str) \
            or not data["format"].startswith(FORMAT_FAMILY):
        raise SummaryRefused(f"“{name}”不是 jingfang 的乡镇汇总文件（没有“format”: “{FORMAT}”），请确认选对了文件。")
    if data["format"] != FORMAT:
        raise SummaryRefused(f"汇总文件“{name}”的格式版本是“{data['format'][:40]}”，本程序只能读取“{FORMAT}”："
                             "它多半来自更新版本的 jingfang，请先升级 jingfang 再汇总。")
    content = {k: v for k, v in data.items() if k != DIGEST}
    if not isinstance(data.get(DIGEST), str) or data[DIGEST] != digest_of(content):
        raise SummaryRefused(f"汇总文件“{name}”的校验码不符：文件生成后被改动过或不完整。请让乡镇重新运行 jingfang summary "
                             "生成后原样发送，不要手工修改。")
    try:
        return Summary.model_validate(content)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        said = (str(first["ctx"]["error"]) if first["type"] == "value_error"
                else "不能是负数" if first["type"] == "greater_than_equal"
                else "应为整数" if first["type"].startswith("int") else "值的类型或格式不对")
        raise SummaryRefused(f"汇总文件“{name}”的内容不对（{f'{where}：' if where else ''}{said}），没有汇总。"
                             "这样的数字不可能由 jingfang summary 算出，请让乡镇重新生成后原样发送。") from None
