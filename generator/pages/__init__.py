"""Markdown pages of the internal site, rendered from a View (pure: yields (docs path, Page), writes nothing)."""

from __future__ import annotations

from pathlib import Path
from typing import Iterable, Iterator

from ..site import ENTRY_LEVEL
from ..views import View
from .agreements import render_agreements
from .groups import render_groups
from .html import Page
from .home import render_home
from .misc import render_leaders, render_quality, render_rules
from .overdue import render_overdue
from .patients import render_patients
from .roster import render_rosters
from .villages import render_villages

# Only section pages are in the navigation: patient, group and agreement pages are reached by links, so the nav
# Material repeats on every page stays small however many patients there are.
NAV = [
    {"首页": "index.md"},
    {"花名册": "roster/index.md"},
    {"帮扶小组": "groups/index.md"},
    {"逾期清单": "overdue/index.md"},
    {"村社区": "villages/index.md"},
    {"协议打印": "agreements/index.md"},
    {"领导小组与通讯录": "leaders.md"},
    {"工作规则": "rules.md"},
    {"数据质量": "quality.md"},
]


def render_pages(view: View, workbook_dir: Path | None = None) -> Iterator[tuple[str, Page]]:
    """Every page of the site, one at a time: a county's pages would not fit in memory all at once."""
    for render in (render_home, render_rosters, render_overdue, render_villages, render_leaders, render_rules,
                   render_quality):
        yield from render(view).items()
    yield from render_groups(view)
    yield from render_patients(view, workbook_dir)
    yield from render_agreements(view, workbook_dir)


ENTRY_PAGE = "villages/index.md"  # the way in for village staff: any password of the site opens it


def page_levels(view: View) -> dict[str, str]:
    """The village code of every page that belongs to one village (its roster, lists, groups, patients, papers)."""
    levels: dict[str, str] = {}
    for name, code in view.village_codes.items():
        for rel in (f"roster/{code}.md", f"overdue/{code}.md", f"villages/{code}.md"):
            levels[rel] = code
        for kind in ("guardian", "reward", "consent"):
            levels[f"agreements/{code}-{kind}.md"] = code
    for p in view.data.patients:
        code = view.village_code(p.village)
        levels[f"patients/{p.patient_id}.md"] = code
    for g in view.data.groups:
        levels[f"groups/{g.group_id}.md"] = view.village_code(g.village)
    return levels


def with_levels(pages: Iterable[tuple[str, Page]], levels: dict[str, str],
                protected: set[str]) -> Iterator[tuple[str, Page]]:
    """Give each page its access level: its village's where that village has a password, the entry level to the
    village index (every password opens it), the township's to the rest."""
    for rel, item in pages:
        if rel == ENTRY_PAGE and protected:
            item.level = ENTRY_LEVEL
        elif levels.get(rel) in protected:
            item.level = levels[rel]
        yield rel, item
