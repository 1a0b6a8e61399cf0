"""The access file's YAML, read strictly: names and passwords as typed, nothing YAML could make of them.

PyYAML's SafeLoader still expands aliases (a few lines of nested ``*a`` make gigabytes: "billion laughs"), keeps the
last of two equal keys, reads ``0x1F…`` as a number and a ``- x`` line as a list. Here the document is composed
by a SafeLoader subclass that refuses anchors, aliases and explicit tags before they are composed, and the node tree
is then walked by hand: every key once, every password a scalar YAML reads as a string, with no control or invisible
character and at most MAX_PASSWORD characters. Every problem is collected, one line each with its line number, so
one run names them all; no message shows a password.
"""

from __future__ import annotations

import unicodedata

import yaml

MAX_PASSWORD = 256
SECTIONS = ("乡镇", "村社区", "部门")
COUNTY_SECTIONS = ("县区",)  # the county site's access file (jingfang county): its one password
STR_TAG = "tag:yaml.org,2002:str"
NULL_TAG = "tag:yaml.org,2002:null"


class AccessFileProblem(Exception):
    """The access file says something it may not: Chinese sentences, one a line, each starting with the line it is
    about (no password in them)."""


class StrictLoader(yaml.SafeLoader):
    """SafeLoader composing plain documents only: no anchors (&), aliases (*) or explicit tags (!!)."""

    def compose_node(self, parent: yaml.Node | None, index: object) -> yaml.Node:
        event = self.peek_event()
        line = f"第 {event.start_mark.line + 1} 行："
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise AccessFileProblem(line + "不能用 YAML 的锚点（&）和引用（*），请把每个密码写出来。")
        if getattr(event, "tag", None) is not None:
            raise AccessFileProblem(line + "不能用 YAML 的类型标记（!!），请直接写密码。")
        return super().compose_node(parent, index)


def plain_problem(password: str) -> str | None:
    """What keeps password from being plain typed text (control or invisible characters, length), or None."""
    if any(unicodedata.category(char)[0] == "C" or unicodedata.category(char) in ("Zl", "Zp") for char in password):
        return "里有控制字符或看不见的字符，请重新输入这个密码。"
    if len(password) > MAX_PASSWORD:
        return f"太长（{len(password)} 个字符），最多 {MAX_PASSWORD} 个。"
    return None


def read_access_yaml(text: str, sections: tuple[str, ...] = SECTIONS) -> dict:
    """{"乡镇": password or None, "村社区": {name: password}, "部门": {name: password}} from an access file's text
    (sections: the keys it may have, the first one a single password: COUNTY_SECTIONS for the county's);
    AccessFileProblem with every problem of the file, one line each (scan_access_yaml)."""
    found, problems = scan_access_yaml(text, sections)
    if problems:
        raise AccessFileProblem("\n".join(problems))
    return found


def scan_access_yaml(text: str, sections: tuple[str, ...] = SECTIONS) -> tuple[dict, list[str]]:
    """What read_access_yaml reads, and every problem found on the way (an entry with a problem is left out, the
    others are still read), so one run names them all. AccessFileProblem when YAML cannot read the file at all (or
    it uses anchors, aliases or tags)."""
    loader = StrictLoader(text)
    found: dict = {name: None if i == 0 else {} for i, name in enumerate(sections)}
    try:
        root = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:  # its text quotes the line, which may hold a password: only the line number
        mark = exc.problem_mark or exc.context_mark
        where = f"（第 {mark.line + 1} 行附近）" if mark else ""
        raise AccessFileProblem(f"格式不对{where}：请检查冒号、缩进和引号（密码里有 # 或冒号时，在密码两边加上英文引号）。"
                                ) from None
    except yaml.YAMLError:  # the reader's: a control character typed into the file itself
        raise AccessFileProblem("里有控制字符，请用记事本检查后重新保存。") from None
    finally:
        loader.dispose()
    problems: list[str] = []
    if root is None or not isinstance(root, yaml.MappingNode):
        return found, problems  # not "乡镇: 密码": the caller says what is missing
    for key, key_node, value in _entries(root, problems):
        if key not in sections:
            problems.append(f"{_line(key_node)}不认识“{key}”：只能写 {'、'.join(sections)}。")
        elif key == sections[0]:
            found[key] = _password(value, key, problems)
        elif not _is_null(value):
            if not isinstance(value, yaml.MappingNode):
                problems.append(f"{_line(value)}“{key}”下应是“名称: 密码”，每行一个。")
                continue
            passwords = {name: _password(secret, f"“{name}”", problems) for name, _, secret in _entries(value, problems)}
            found[key] = {name: secret for name, secret in passwords.items() if secret is not None}
    return found, problems


def _entries(node: yaml.MappingNode, problems: list[str]) -> list[tuple[str, yaml.Node, yaml.Node]]:
    """The (key text, key node, value node) entries of a mapping; a key written twice is a problem (its first
    entry is kept), as is a key that is not text."""
    seen: set[str] = set()
    pairs = []
    for key, value in node.value:
        if not isinstance(key, yaml.ScalarNode):
            problems.append(f"{_line(key)}名称应是一段文字。")
        elif key.value in seen:
            problems.append(f"{_line(key)}“{key.value}”写了两次。")
        else:
            seen.add(key.value)
            pairs.append((key.value, key, value))
    return pairs


def _password(node: yaml.Node, who: str, problems: list[str]) -> str | None:
    """The password a value node holds exactly as typed, or None with the reason added to problems."""
    line = _line(node)
    if not isinstance(node, yaml.ScalarNode):
        problems.append(f"{line}{who}的密码应是一段文字，不能是列表或“名称: 值”的组合。")
    elif _is_null(node):
        problems.append(f"{line}{who}没有写密码。")
    elif node.tag != STR_TAG:
        problems.append(f"{line}{who}的密码会被读成数字、日期或是/否，而不是原样的文字：请在密码两边加上英文引号 \"\"。")
    elif problem := plain_problem(node.value):
        problems.append(f"{line}{who}的密码{problem}")
    else:
        return node.value
    return None


def _is_null(node: yaml.Node) -> bool:
    return isinstance(node, yaml.ScalarNode) and node.tag == NULL_TAG


def _line(node: yaml.Node) -> str:
    return f"第 {node.start_mark.line + 1} 行："
