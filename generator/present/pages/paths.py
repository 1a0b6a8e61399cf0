"""Every address of the site, one function per kind of page (docs paths; html.href makes them relative links).

Addresses carry codes only (patient, group and village codes, list keys): they are visible without a password.
"""

from __future__ import annotations

import re

HOME = "index.md"
ROSTER = "roster/index.md"
GROUPS = "groups/index.md"
OVERDUE = "overdue/index.md"  # 待办清单: the to-do lists (their pages keep their overdue/ addresses)
REGISTERS = "registers/index.md"  # 底册台账: the registers (ListSpec.register), pages under overdue/ too
VILLAGES = "villages/index.md"
AGREEMENTS = "agreements/index.md"
TEMPLATE_HELP = "agreements/templates.md"  # 文书模板说明: the placeholders, for whoever edits a template
LEADERS = "leaders.md"
GUIDELINES = "rules.md"  # 工作规则 (its address predates the name)
QUALITY = "quality.md"
DEPARTMENTS = "departments/index.md"
TRENDS = "trends.md"
CHANGES = "changes.md"
WEEK = "week/index.md"
STATE = "state"  # the id of a patient record's 当前状态 heading (本周应访 and 本周要办 land on it)
COMPARISON = "compare.md"  # 信息比对 (build --compare): the township's only
FOLLOWUPS = "followups"  # the id of a patient record's 随访记录 heading (the visit history one tap away)
# The addresses of pages that belong to one village (named by its code, V01…: roster/V01.md, agreements/V01-reward.md;
# or by one of its patients' or groups' codes) or to one department (departments/police.md and its monthly copy):
# a page made at one of them without its owner (html.Page.owner) is refused (pages.render_pages), as it would
# otherwise fall silently to the township's level. A new per-village address names its village's code, so it is here.
OWNED = re.compile(r"[a-z]+/V\d+[.-].+|patients/.+|groups/(?!index\.md$).+|departments/(?!index\.md$|monthly\.md$).+")


def patient(patient_id: str) -> str:
    return f"patients/{patient_id}.md"


def group(group_id: str) -> str:
    return f"groups/{group_id}.md"


def village(code: str) -> str:
    return f"villages/{code}.md"


def village_roster(code: str) -> str:
    return f"roster/{code}.md"


def village_lists(code: str) -> str:
    return f"overdue/{code}.md"


def status_roster(slug: str) -> str:
    return f"roster/{slug}.md"


def overdue_list(key: str) -> str:
    return f"overdue/{key}.md"


def batch(code: str, kind: str) -> str:
    """A village's batch of one document kind (guardian, reward, consent)."""
    return f"agreements/{code}-{kind}.md"


def department(slug: str) -> str:
    return f"departments/{slug}.md"


MONTHLY = "departments/monthly.md"  # the month's information exchange report, every department's copy


def monthly(slug: str) -> str:
    """One department's copy of the month's information exchange report."""
    return f"departments/{slug}-monthly.md"


def week_village(code: str) -> str:
    """A village's 本周应访 (code V01 …)."""
    return f"week/{code}.md"


def week_doctor(code: str) -> str:
    """A 精防医生's 本周应访 (code D01 …, D00 for patients without one)."""
    return f"week/{code}.md"
