"""Column types of the workbook contract and the helpers that read them back from a model.

A column type is an ``Annotated`` type with a parser (values.py) and a Col marker saying how Excel shows it; the
template, the validator and the README's sheet reference all read the markers through the helpers below.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import TYPE_CHECKING, Annotated, Any, Literal, get_args, get_origin

from pydantic import AfterValidator, BeforeValidator, Field, TypeAdapter, ValidationInfo
from pydantic.fields import FieldInfo

from generator.contract import values
from generator.contract.values import fail

if TYPE_CHECKING:
    from generator.contract.row import Row
    from generator.contract.settings import Settings

ColumnKind = Literal["text", "place", "name", "names", "code", "date", "int", "amount", "yesno", "id", "phone", "vocab",
                     "vocabs"]


@dataclass(frozen=True)
class Col:
    """How a column is typed in Excel: drives the template's formats, widths and dropdowns."""

    kind: ColumnKind
    ref: str | None = None  # the sheet whose key this column names
    width: int = 12
    others: tuple[str, ...] = ()  # values allowed besides the referenced keys (外地)


def _not_after_as_of(value: date, info: ValidationInfo) -> date:
    as_of = (info.context or {}).get("as_of")
    if as_of and value > as_of:
        raise fail(
            "future-date",
            f"日期 {value.isoformat()} 晚于统计截止日期 {as_of.isoformat()}。"
            "除“下次随访日期”和“到期日期”外，日期不能晚于统计截止日期，请核实是否录错年份。",
        )
    return value


Text = Annotated[str, BeforeValidator(values.clean_text), Col("text", width=16)]
Place = Annotated[str, BeforeValidator(values.parse_place), Col("place", width=16)]  # one line, no markup
# the township and village names: also parts of file names (exports, Word documents), so no / \ : and the like
FilePlace = Annotated[str, BeforeValidator(values.parse_file_place), Col("place", width=16)]
LongText = Annotated[str, BeforeValidator(values.clean_text), Col("text", width=30)]
Name = Annotated[str, BeforeValidator(values.parse_name), Col("name", width=10)]
Names = Annotated[list[str], BeforeValidator(values.split_names), Col("names", width=24)]
Code = Annotated[str, BeforeValidator(values.parse_code), Col("code", width=10)]
PastDate = Annotated[date, BeforeValidator(values.parse_date), AfterValidator(_not_after_as_of), Col("date")]
AnyDate = Annotated[date, BeforeValidator(values.parse_date), Col("date")]
YesNo = Annotated[bool, BeforeValidator(values.parse_yes_no), Col("yesno", width=8)]
Days = Annotated[int, BeforeValidator(values.parse_int), Field(ge=1, le=3660), Col("int", width=10)]
Count = Annotated[int, BeforeValidator(values.parse_int), Field(ge=0), Col("int", width=10)]
DaysOrOff = Annotated[int, BeforeValidator(values.parse_int), Field(ge=0, le=3660), Col("int", width=10)]  # 0 = not checked
Risk = Annotated[int, BeforeValidator(values.parse_int), Field(ge=0, le=5), Col("int", width=8)]
Amount = Annotated[float, BeforeValidator(values.parse_amount), Field(ge=0), Col("amount", width=10)]
IdNumber = Annotated[str, BeforeValidator(values.parse_id_number), Col("id", width=21)]
Phone = Annotated[str, BeforeValidator(values.parse_phone), Col("phone", width=15)]


def Ref(sheet: str, kind: ColumnKind = "text", width: int = 12, others: tuple[str, ...] = ()) -> Any:
    """A column naming a key of another sheet (checked across sheets after rows are valid)."""
    parse = {"code": values.parse_code, "name": values.parse_name}.get(kind, values.parse_place)
    if sheet == "村社区":  # a reference reads like the name itself: a name refused there is refused at each reference
        parse = values.parse_file_place
    return Annotated[str, BeforeValidator(parse), Col(kind, ref=sheet, width=width, others=others)]


def RefNames(sheet: str, width: int = 24) -> Any:
    """A list of names in one cell, each a key of another sheet (checked one by one across sheets)."""
    return Annotated[list[str], BeforeValidator(values.split_names), Col("names", ref=sheet, width=width)]


def VocabList(choices: Any, width: int = 16) -> Any:
    """Several values of a fixed list in one cell (separated like names)."""
    return Annotated[list[choices], BeforeValidator(values.split_choices), Col("vocabs", width=width)]


def Vocab(choices: Any, width: int = 12) -> Any:
    """A column whose value is one of a fixed list; the template gives it a dropdown."""
    return Annotated[choices, BeforeValidator(values.parse_choice), Col("vocab", width=width)]


def col(info: FieldInfo) -> Col:
    """The Col marker of a field (unwrapping ``X | None``)."""
    for meta in info.metadata:
        if isinstance(meta, Col):
            return meta
    annotation = info.annotation
    for arg in get_args(annotation) or (annotation,):
        for meta in getattr(arg, "__metadata__", ()):
            if isinstance(meta, Col):
                return meta
    return Col("text")


def choices(info: FieldInfo) -> tuple[str, ...]:
    """The vocabulary of a field: its Literal values, or 是/否."""
    kind = col(info).kind
    if kind == "yesno":
        return ("是", "否")
    stack = [info.annotation]
    while stack:
        tp = stack.pop()
        if get_origin(tp) is Literal:
            return tuple(get_args(tp))
        stack.extend(get_args(tp))
    return ()


def bounds(info: FieldInfo) -> tuple[int | None, int | None]:
    """The (ge, le) limits declared on a field, looking inside ``X | None``."""
    metas = list(info.metadata)
    for arg in get_args(info.annotation):
        metas.extend(getattr(arg, "__metadata__", ()))
    metas += [m for inner in metas if isinstance(inner, FieldInfo) for m in inner.metadata]
    low = next((m.ge for m in metas if getattr(m, "ge", None) is not None), None)
    high = next((m.le for m in metas if getattr(m, "le", None) is not None), None)
    return low, high


def required(info: FieldInfo) -> bool:
    return info.is_required()


def columns(model: type[Row] | type[Settings]) -> dict[str, FieldInfo]:
    """Header → field of a sheet's row model, in template order (``row`` left out)."""
    return {f.alias: f for name, f in model.__pydantic_fields__.items() if name != "row" and f.alias}


@cache
def adapter(model: type[Row]) -> TypeAdapter:
    """The validator of a row model (built once per model)."""
    return TypeAdapter(model)


def field_name(model: type[Row] | type[Settings], header: str) -> str:
    """The Python attribute behind a header."""
    for name, f in model.__pydantic_fields__.items():
        if f.alias == header:
            return name
    raise KeyError(header)


