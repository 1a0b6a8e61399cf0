"""Keys across rows and sheets: duplicate keys over every row that has one, references to other sheets' keys, and
the other checks that need another sheet.

Keys are taken from every row, valid or not, so one bad cell in a row neither hides a duplicate nor breaks every
reference to the row. Every row is checked, valid or not: a row with errors is a partial row (``partial_row``), so
an unknown village is reported in the same run as a bad ID on the same row.
"""

from __future__ import annotations

import difflib
import functools
import unicodedata
from datetime import timedelta
from typing import TYPE_CHECKING, Annotated, Any, Callable

from pydantic import TypeAdapter, ValidationError

from generator.contract import fields
from generator.contract.report import Problem, Report
from generator.contract.row import UNKNOWN, Row, UnknownCell
from generator.contract.schema import Dataset
from generator.contract.settings import Settings
from generator.contract.vocab import OUTSIDE

if TYPE_CHECKING:
    from generator.validate.workbook import SheetContext

KEY_HEADER = {"村社区": "名称", "人员": "姓名", "帮扶小组": "小组编号", "患者": "患者编号"}


class KeyIndex:
    """The key values of every row that has them, valid or not: duplicates are found, references are checked."""

    def __init__(self, ctx: SheetContext, report: Report) -> None:
        self.ctx, self.report = ctx, report
        self.unique = [key for key in ctx.spec.unique if all(h in ctx.columns for h in key)]
        self.first: list[dict[tuple, int]] = [{} for _ in self.unique]
        self.key = KEY_HEADER.get(ctx.spec.name)
        self.wanted = bool(self.unique or self.key)  # most rows (follow-ups) have no key at all

    def add(self, number: int, data: dict[str, object]) -> None:
        model = self.ctx.spec.model
        for key, first in zip(self.unique, self.first):
            value = tuple(parse_cell(model, h, data.get(h)) for h in key)
            if any(v is None for v in value):
                continue
            if value in first:
                shown = "、".join(str(v) for v in value)
                self.report.extend([self.ctx.problem(
                    number, key[-1], shown, "duplicate-key",
                    f"“{'+'.join(key)}”为「{shown}」的行重复了（第 {first[value]} 行已有），请删除重复行或改正。")])
            else:
                first[value] = number
        if self.key:
            value = parse_cell(model, self.key, data.get(self.key))
            if value is not None:
                self.ctx.keys.add(value)


def parse_cell(model: type[Row] | type[Settings], header: str, value: object) -> Any:
    """A cell parsed like its field; None when empty or when it does not parse."""
    if value is None:
        return None
    try:
        return _field_adapter(model, header).validate_python(value)
    except ValidationError:
        return None


def partial_row(model: type[Row], data: dict[str, object], failed: set[str]) -> Row:
    """A row whose cells did not all parse, for the checks across rows and sheets (never for the Dataset): the cells
    that did parse, typed; UNKNOWN for the failed ones and for required cells left blank."""
    row = object.__new__(model)  # not validated: the frozen, slotted fields are set one by one
    object.__setattr__(row, "row", data["__row__"])
    for header, info in fields.columns(model).items():
        if header in failed:
            value = UNKNOWN
        elif header in data:
            value = parse_cell(model, header, data[header])  # accepted by the model, so it parses alone
            value = UNKNOWN if value is None else value
        else:
            value = UNKNOWN if info.is_required() else info.get_default(call_default_factory=True)
        object.__setattr__(row, fields.field_name(model, header), value)
    return row


@functools.cache
def _field_adapter(model: type[Row] | type[Settings], header: str) -> TypeAdapter:
    info = fields.columns(model)[header]
    return TypeAdapter(Annotated[info.annotation, *info.metadata] if info.metadata else info.annotation)


def check_references(ctx: SheetContext, rows: list[Row], keys: dict[str, set[str]], report: Report) -> None:
    for header, info in fields.columns(ctx.spec.model).items():
        meta = fields.col(info)
        if not meta.ref or meta.ref not in keys:
            continue  # the referenced sheet is missing or unreadable: already reported
        attr = fields.field_name(ctx.spec.model, header)
        folded: dict[str, str] = {}
        for row in rows:
            cell = getattr(row, attr)
            for value in cell if isinstance(cell, list) else (cell,):  # a list of names: each one is a reference
                if value is None or value is UNKNOWN or value in keys[meta.ref] or value in meta.others:
                    continue
                hint = reference_hint(value, keys[meta.ref], meta.ref, folded)
                also = f"，或填“{'、'.join(meta.others)}”" if meta.others else ""
                report.extend([ctx.problem(row.row, header, value, "unknown-reference",
                                           f"「{value}」不在“{meta.ref}”表的“{KEY_HEADER[meta.ref]}”中。{hint}"
                                           f"请先在“{meta.ref}”表中添加{also}。")])


def check_group_villages(patients: list[Row], groups: list[Row], villages: list[Row], ctx: SheetContext,
                         report: Report) -> None:
    """A patient's care group must be of the village the patient lives in.

    A group's page and its 成立通知 are opened by the group's village, while a patient's own record is opened by the
    village the patient lives in (外地: by the township only): a patient in another village's group would be shown to
    a village that may not see them. (A 户籍 village elsewhere sees the patient only on 人户分离待通报.)
    """
    by_id = {g.group_id: g for g in groups if g.group_id is not UNKNOWN}  # type: ignore[attr-defined]
    names = {v.name for v in villages if v.name is not UNKNOWN} | {OUTSIDE}  # type: ignore[attr-defined]
    for p in patients:
        _each(report, _group_village, p, by_id, names, ctx)


def _group_village(p: Any, groups: dict[str, Any], villages: set[str], ctx: SheetContext) -> Problem | None:
    g = groups.get(p.group_id or "")
    if g is None or g.village == p.village or not {p.village, g.village} <= villages:
        return None  # the same village, or an unknown one (reported already as unknown-reference)
    where = "外地" if p.village == OUTSIDE else f"“{p.village}”"
    fix = "住在外地的患者请清空帮扶小组编号" if p.village == OUTSIDE else f"请改填{p.village}的帮扶小组编号"
    return ctx.problem(p.row, "帮扶小组编号", p.group_id, "group-village",
                       f"患者现住{where}，帮扶小组 {g.group_id} 却属于“{g.village}”：小组页面和成立通知会让"
                       f"{g.village}看到这位患者。{fix}（或核对现住村社区）。")


def check_followups(data: Dataset, followups: list[Row], patients: list[Row], ctx: SheetContext,
                    report: Report) -> None:
    """Follow-up checks that need other sheets: visits before enrolment, too few visitors, a 下次随访日期 later than
    the interval of 随访规则 allows."""
    enrolled: dict[str, Any] = {}
    for p in patients:
        if p.patient_id is not UNKNOWN and p.enrolled is not UNKNOWN:  # type: ignore[attr-defined]
            enrolled[p.patient_id] = p.enrolled  # type: ignore[attr-defined]
    for visit in followups:
        _each(report, _before_enrolment, visit, enrolled, ctx)
        _each(report, _too_few_visitors, visit, data.settings.min_visitors, ctx)
        _each(report, _next_due_late, visit, data.intervals, ctx)


def _before_enrolment(visit: Any, enrolled: dict[str, Any], ctx: SheetContext) -> Problem | None:
    start = enrolled.get(visit.patient_id)
    if not start or visit.visit_date >= start:
        return None
    return ctx.problem(visit.row, "随访日期", visit.visit_date, "before-enrolment",
                       f"随访日期早于该患者的纳入管理日期 {start.isoformat()}，请核对。", "warning")


def _too_few_visitors(visit: Any, minimum: int, ctx: SheetContext) -> Problem | None:
    if not minimum or not visit.face_to_face or len(visit.visitors or []) >= minimum:
        return None
    return ctx.problem(visit.row, "随访人员", "、".join(visit.visitors or []) or None, "too-few-visitors",
                       f"面访只有 {len(visit.visitors or [])} 名随访人员，规定至少 {minimum} 人同行。", "warning")


def _next_due_late(visit: Any, intervals: dict[str, tuple[int, int]], ctx: SheetContext) -> Problem | None:
    """domain.md v3: the interval of the row's class is a ceiling; a later agreed date does not push the visit."""
    if not visit.next_due or visit.condition not in intervals:
        return None  # 未访到 has no interval
    days = intervals[visit.condition][0]
    latest = visit.visit_date + timedelta(days=days)
    if visit.next_due <= latest:
        return None
    return ctx.problem(visit.row, "下次随访日期", visit.next_due, "next-due-late",
                       f"下次随访日期 {visit.next_due.isoformat()} 晚于按规定间隔计算的最迟日期 {latest.isoformat()}"
                       f"（随访日期 {visit.visit_date.isoformat()} + “{visit.condition}”的随访间隔 {days} 天）。"
                       f"应随访日期按较早的 {latest.isoformat()} 计算；请核对下次随访日期。", "warning")


def _each(report: Report, check: Callable[..., Problem | None], *args: Any) -> None:
    """Run one check of one row; a check that reads a cell that did not parse is skipped (reported already)."""
    try:
        problem = check(*args)
    except UnknownCell:
        return
    if problem is not None:
        report.extend([problem])


def reference_hint(value: str, keys: set[str], sheet: str, folded: dict[str, str]) -> str:
    """A suggestion that cannot name another person: the same text but for width or spaces, or a similar village.

    A similar patient code, group code or staff name is never offered: following it files records under
    someone else.
    """
    if not folded:
        folded.update({fold(k): k for k in sorted(keys, reverse=True)})
    same = folded.get(fold(value))
    if same:
        return f"是不是“{same}”（只差全角/半角或空格）？"
    if sheet == "村社区":
        near = difflib.get_close_matches(value, sorted(keys), n=1, cutoff=0.6)
        return f"是不是“{near[0]}”？" if near else ""
    return ""


def fold(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split()).casefold()
