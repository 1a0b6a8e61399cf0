"""Month-by-month trends over the last 12 months ending with the as-of month — pure functions of (Dataset, as_of).

规范管理率 and 面访率 are the indicators' (national 口径) over 近12个月 ending at each month's end: a rolling year,
since a year to date would start again every January.

The workbook holds each patient's status today, not its history: who was at home in a past month is read from
today's 在管状态 (the page says so). The only dated loss is a death (死亡日期); 迁出 and 下落不明 carry no date.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from generator.derive.indicators import period_of, registered, standard_management
from generator.derive.history import History
from generator.derive.state import due_for_followup
from generator.contract.schema import Dataset
from generator.contract.vocab import AT_HOME

MONTHS = 12


@dataclass(frozen=True)
class Month:
    """One month's numbers; end is the month's last day, or the as-of day in the as-of month."""

    start: date
    end: date
    due: int  # at-home patients whose follow-up fell due by the month's end
    done: int  # of those, followed up within the month
    registered: int  # 在册 at the month's end
    standard: int  # 规范管理 over 近12个月 ending at the month's end (indicators.standard_management)
    faced: int  # at least one 面访 in 近12个月 ending at the month's end (its 365 days, both ends included)
    new: int  # 纳入管理日期 within the month
    died: int  # 死亡日期 within the month

    @property
    def label(self) -> str:
        return f"{self.start:%Y-%m}"

    @property
    def standard_rate(self) -> float | None:
        return self.standard / self.registered * 100 if self.registered else None

    @property
    def face_rate(self) -> float | None:
        return self.faced / self.registered * 100 if self.registered else None


@dataclass(frozen=True)
class VillageMonth:
    """One village's follow-ups in the as-of month."""

    village: str
    due: int
    done: int


@dataclass(frozen=True)
class Trends:
    months: list[Month]
    villages: list[VillageMonth]


def month_spans(as_of: date, count: int = MONTHS) -> list[tuple[date, date]]:
    """(first day, last day) of the count months ending with as_of's month; the last one ends at as_of."""
    spans = []
    year, month = as_of.year, as_of.month
    for _ in range(count):
        start = date(year, month, 1)
        nxt = date(year + month // 12, month % 12 + 1, 1)
        spans.append((start, min(nxt - timedelta(days=1), as_of)))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return spans[::-1]


class Record:
    """One patient's dated records, sorted once, so that each month's questions are answered by bisection."""

    def __init__(self, history: History) -> None:
        self.history = history
        self.visits = [v.visit_date for v in history.followups]
        self.faces = [v.visit_date for v in history.followups if v.face_to_face]
        self.assessed = [a.assessed for a in history.assessments]
        self.happened = [i.happened for i in history.incidents]

    def before(self, day: date) -> History:
        """The records before day that a follow-up's due date depends on: of each kind, those of the last day
        (the latest follow-up, and the latest risk observation however observations order within a day)."""
        h = self.history
        return History(followups=_last_day(h.followups, self.visits, day),
                       assessments=_last_day(h.assessments, self.assessed, day),
                       incidents=_last_day(h.incidents, self.happened, day))

    def visited(self, start: date, end: date) -> bool:
        return bisect_right(self.visits, end) > bisect_left(self.visits, start)

    def faced(self, start: date, end: date) -> bool:
        return bisect_right(self.faces, end) > bisect_left(self.faces, start)


def _last_day(items: list, days: list[date], day: date) -> list:
    """The items (sorted by days) of the last day before day."""
    end = bisect_left(days, day)
    return items[bisect_left(days, days[end - 1]):end] if end else []


def followup_month(data: Dataset, records: dict[str, Record], start: date, end: date) -> tuple[set[str], set[str]]:
    """Patients at home whose follow-up fell due by end (as the rules saw it on start), and those of them visited
    from start to end."""
    due, done = set(), set()
    for p in data.patients:
        if p.status != AT_HOME or p.enrolled > end:
            continue
        r = records[p.patient_id]
        if due_for_followup(p, r.before(start), data) <= end:
            due.add(p.patient_id)
            if r.visited(start, end):
                done.add(p.patient_id)
    return due, done


def compute(data: Dataset, histories: dict[str, History], as_of: date) -> Trends:
    """The 12 months ending with as_of's month, and each village's follow-ups in the as-of month."""
    gap = data.settings.max_followup_gap_days
    empty = History()
    records = {p.patient_id: Record(histories.get(p.patient_id, empty)) for p in data.patients}
    months = []
    due = done = set()
    for start, end in month_spans(as_of):
        due, done = followup_month(data, records, start, end)
        year = period_of(end, "近12个月")
        reg = [(p, records[p.patient_id]) for p in data.patients if registered(p, end)]
        months.append(Month(
            start=start, end=end, due=len(due), done=len(done), registered=len(reg),
            standard=sum(standard_management(p.enrolled, r.visits, year, gap) for p, r in reg),
            faced=sum(r.faced(year.start, end) for _, r in reg),
            new=sum(start <= p.enrolled <= end for p in data.patients),
            died=sum(p.died is not None and start <= p.died <= end for p in data.patients),
        ))
    return Trends(months, village_followups(data, due, done))


def village_followups(data: Dataset, due: set[str], done: set[str]) -> list[VillageMonth]:
    """A month's follow-ups due and done per village (followup_month's sets), in the order of the 村社区 sheet
    (others after)."""
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for v in data.villages:
        counts[v.name]
    for p in data.patients:
        if p.patient_id in due:
            counts[p.village][0] += 1
            counts[p.village][1] += p.patient_id in done
    return [VillageMonth(name, n_due, n_done) for name, (n_due, n_done) in counts.items()]
