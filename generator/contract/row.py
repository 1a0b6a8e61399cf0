"""The base of every sheet row model: a frozen, slotted pydantic dataclass whose fields are headers (aliases), the
problems a row finds with itself, and the columns that name a key of another sheet.

Row models are declared per group of sheets (settings.py, organisation.py, patients.py, work_records.py); schema.py
lists the sheets.
"""

from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterator, Literal

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


# Rows are frozen, slotted pydantic dataclasses rather than BaseModels: a county workbook holds ~500,000 rows, and a
# BaseModel instance carries a __dict__ and a fields-set (~1.2 KB a row) where a slotted row needs ~100 bytes.
sheet_row = pydantic_dataclass(config=ConfigDict(populate_by_name=True, extra="ignore"), frozen=True, slots=True,
                               kw_only=True)


@sheet_row
class Row:
    """Base of every sheet row: headers are aliases; ``row`` is the Excel row number."""

    row: int = Field(default=0, alias="__row__")

    def row_problems(self, settings: "Settings") -> Iterator[RowProblem]:
        """Checks that need several cells of the row (and the settings); none by default."""
        return iter(())
