"""The base of every sheet row model: a frozen, slotted pydantic dataclass whose fields are headers (aliases), the
problems a row finds with itself, and the columns that name a key of another sheet.

Row models are declared per group of sheets (settings.py, organisation.py, patients.py, work_records.py); schema.py
lists the sheets.
"""

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable, ClassVar, Literal

from pydantic import ConfigDict, Field
from pydantic.dataclasses import dataclass as pydantic_dataclass

from generator.contract.fields import Ref, RefNames
from generator.contract.vocab import OUTSIDE

if TYPE_CHECKING:
    from generator.contract.settings import Settings


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


class UnknownCell(Exception):
    """A check read a cell that did not parse: the check is skipped (that cell's own problem is already reported)."""


class _Unknown:
    """The value of a cell that did not parse, in a row kept only for the other checks: any use of it raises
    UnknownCell (``is None`` is False), so a check that needs it is skipped instead of guessing. An exception to a
    requirement reads it through ``holds`` instead: an unreadable cell is no exception, and the requirement stands."""

    __slots__ = ()

    def _refuse(self, *args: Any) -> Any:
        raise UnknownCell

    __bool__ = __eq__ = __ne__ = __lt__ = __le__ = __gt__ = __ge__ = __hash__ = _refuse
    __str__ = __format__ = __iter__ = __len__ = __getitem__ = __contains__ = _refuse
    __add__ = __radd__ = __sub__ = __rsub__ = __int__ = __index__ = __getattr__ = _refuse

    def __repr__(self) -> str:
        return "UNKNOWN"


UNKNOWN: Any = _Unknown()


def holds(cell: Any, *choices: object) -> bool:
    """Whether a cell holds one of these values. A cell that did not parse (or a required one left blank) holds none
    of them, since it would have parsed as one: an exception that reads it does not apply, so the requirement it
    would lift is reported in the same run as the cell's own problem, not only after that cell is corrected."""
    return cell is not UNKNOWN and cell in choices

RowCheck = Callable[[Any, "Settings"], "RowProblem | None"]


# Rows are frozen, slotted pydantic dataclasses rather than BaseModels: a county workbook holds ~500,000 rows, and a
# BaseModel instance carries a __dict__ and a fields-set (~1.2 KB a row) where a slotted row needs ~100 bytes.
sheet_row = pydantic_dataclass(config=ConfigDict(populate_by_name=True, extra="ignore"), frozen=True, slots=True,
                               kw_only=True)


@sheet_row
class Row:
    """Base of every sheet row: headers are aliases; ``row`` is the Excel row number."""

    row: int = Field(default=0, alias="__row__")
    # checks that need several cells of the row (and the settings), each on its own: a row whose other cells did
    # not parse still runs every check that does not read them
    checks: ClassVar[tuple[RowCheck, ...]] = ()

    def row_problems(self, settings: "Settings") -> list[RowProblem]:
        """Every check's problem; a check that reads an UNKNOWN cell is skipped."""
        found = []
        for check in self.checks:
            try:
                problem = check(self, settings)
            except UnknownCell:
                continue
            if problem is not None:
                found.append(problem)
        return found
