"""Access levels: which password opens a page. A page belongs to the township (every page that names no other), to
one village (its code, V01…), to one department, or to the entry page every password opens."""

from __future__ import annotations

TOWNSHIP_LEVEL = "_global"  # the encryption plugin's name for its default level; the township password opens it
ENTRY_LEVEL = "entry"  # the village index: every password of the site opens it


def department_level(slug: str) -> str:
    """The access level of a department's pages (its page and its copy of the monthly report)."""
    return f"dept-{slug}"
