"""A township's summary (contract.summary) from its validated workbook — pure: the period (and so the as-of day) is
passed in. Counts, indicator numerators and denominators and list sizes only: nothing of any person."""

from __future__ import annotations

from generator.contract.schema import Dataset
from generator.contract.summary import HIGH_RISK, Fraction, Summary, SummaryPeriod
from generator.derive import evaluation, indicators
from generator.derive.indicators import Period, census


def make_summary(data: Dataset, period: Period) -> Summary:
    """The summary of a valid workbook over period (its end is the as-of day): the same numbers as ``indicators
    --json`` and ``overdue --json`` give for that day."""
    day = period.end
    facts = evaluation.evaluate(data, day)
    lists = evaluation.overdue_lists(data, day, facts)
    result = indicators.compute(data, facts.histories, period)
    high = {pid for pid, state in facts.states.items() if state.high}
    settings = data.settings
    return Summary(
        township=settings.township, county=settings.county, as_of=day,
        period=SummaryPeriod(name=period.name, start=period.start, end=period.end),
        counts={**result.counts, HIGH_RISK: census(data.patients, high).high},
        indicators={i.key: Fraction(numerator=i.numerator, denominator=i.denominator) for i in result},
        lists={key: len(items) for key, items in lists.items()},
    )
