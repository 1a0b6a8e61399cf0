"""Markdown pages of the internal site, rendered from a View (pure: yields (docs path, Page), writes nothing); each
page says whose it is (Page.owner) where it is made, and with_levels turns that into its access level."""

from __future__ import annotations

from pathlib import Path
from typing import Iterable, Iterator

from generator.contract.access import ENTRY_LEVEL
from generator.present.views import View
from generator.present.pages import paths
from generator.present.pages.agreements import render_agreements
from generator.present.pages.changes import render_changes
from generator.present.pages.comparison import render_comparison
from generator.present.pages.departments import render_departments
from generator.present.pages.groups import render_groups
from generator.present.pages.html import Page
from generator.present.pages.home import render_home
from generator.present.pages.guidelines import render_guidelines
from generator.present.pages.leaders import render_leaders
from generator.present.pages.monthly import render_monthly
from generator.present.pages.overdue import render_overdue
from generator.present.pages.patients import render_patients
from generator.present.pages.quality import render_quality
from generator.present.pages.roster import render_rosters
from generator.present.pages.trends import render_trends
from generator.present.pages.villages import render_villages
from generator.present.pages.week import render_week

# Only section pages are in the navigation: patient, group and agreement pages are reached by links, so the nav
# Material repeats on every page stays small however many patients there are.
NAV = [
    {"首页": paths.HOME},
    {"花名册": paths.ROSTER},
    {"帮扶小组": paths.GROUPS},
    {"待办清单": paths.OVERDUE},
    {"底册台账": paths.REGISTERS},
    {"村社区": paths.VILLAGES},
    {"部门": paths.DEPARTMENTS},
    {"协议打印": paths.AGREEMENTS},
    {"领导小组与通讯录": paths.LEADERS},
    {"工作规则": paths.GUIDELINES},
    {"数据质量": paths.QUALITY},
    {"信息比对": paths.COMPARISON},
    {"趋势": paths.TRENDS},
    {"变化": paths.CHANGES},
]


class Unowned(Exception):
    """A page at the address of one village, patient, group or department made without its owner (a slip in a page
    module: the build stops rather than let the page fall to the township's level)."""


def render_pages(view: View, workbook_dir: Path | None = None) -> Iterator[tuple[str, Page]]:
    """Every page of the site, one at a time: a county's pages would not fit in memory all at once."""
    for rel, item in _pages(view, workbook_dir):
        if item.owner is None and paths.OWNED.fullmatch(rel):
            raise Unowned(f"{rel}: a page of one village or department made without its owner (Page.owner)")
        yield rel, item


def _pages(view: View, workbook_dir: Path | None) -> Iterator[tuple[str, Page]]:
    for render in (render_home, render_rosters, render_overdue, render_villages, render_departments, render_leaders,
                   render_guidelines, render_quality, render_comparison, render_trends, render_changes, render_week):
        yield from render(view).items()
    yield from render_groups(view, workbook_dir)
    yield from render_patients(view, workbook_dir)
    yield from render_agreements(view, workbook_dir)
    yield from render_monthly(view, workbook_dir)


ENTRY_PAGE = paths.VILLAGES  # the way in for village and department staff: any password of the site opens it


def with_levels(pages: Iterable[tuple[str, Page]], protected: set[str]) -> Iterator[tuple[str, Page]]:
    """Give each page its access level: its owner's where the owner has a password, the entry level to the village
    index (every password opens it), the township's to the rest."""
    for rel, item in pages:
        if rel == ENTRY_PAGE and protected:
            item.level = ENTRY_LEVEL
        elif item.owner in protected:
            item.level = item.owner
        yield rel, item
