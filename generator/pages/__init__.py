"""Markdown pages of the internal site, rendered from a View (pure: returns {docs path: text}, writes nothing)."""

from __future__ import annotations

from pathlib import Path

from ..views import View
from .agreements import render_agreements
from .groups import render_groups
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


def render_pages(view: View, workbook_dir: Path | None = None) -> dict[str, str]:
    """Every page of the site."""
    pages: dict[str, str] = {}
    for render in (render_home, render_rosters, render_groups, render_patients, render_overdue, render_villages,
                   render_leaders, render_rules, render_quality):
        pages.update(render(view))
    pages.update(render_agreements(view, workbook_dir))
    return pages
