"""The access file's YAML, read strictly: names and passwords as typed, nothing YAML could make of them.

PyYAML's SafeLoader still expands aliases (a few lines of nested ``*a`` make gigabytes: "billion laughs"), keeps the
last of two equal keys, reads ``0x1F…`` as a number and a ``- x`` line as a list. Here the document is composed
by a SafeLoader subclass that refuses anchors, aliases and explicit tags before they are composed, and the node tree
is then walked by hand: every key once, every password a scalar YAML reads as a string, with no control or invisible
character and at most MAX_PASSWORD characters. Messages give the line and never show a password.
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
    """The access file says something it may not; one Chinese sentence starting with the line (no password in it)."""


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
    (sections: the keys it may have, the first one a single password: COUNTY_SECTIONS for the county's)."""
    loader = StrictLoader(text)
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
    found: dict = {name: None if i == 0 else {} for i, name in enumerate(sections)}
    if root is None:
        return found
    if not isinstance(root, yaml.MappingNode):
        return found  # not "乡镇: 密码": the caller says what is missing
    for key, key_node, value in _entries(root):
        if key not in sections:
            raise AccessFileProblem(f"{_line(key_node)}不认识“{key}”：只能写 {'、'.join(sections)}。")
        if key == sections[0]:
            found[key] = _password(value, key)
        elif not _is_null(value):
            if not isinstance(value, yaml.MappingNode):
                raise AccessFileProblem(f"{_line(value)}“{key}”下应是“名称: 密码”，每行一个。")
            found[key] = {name: _password(secret, f"“{name}”") for name, _, secret in _entries(value)}
    return found


def _entries(node: yaml.MappingNode) -> list[tuple[str, yaml.Node, yaml.Node]]:
    """The (key text, key node, value node) entries of a mapping; a key written twice is refused."""
    seen: set[str] = set()
    pairs = []
    for key, value in node.value:
        if not isinstance(key, yaml.ScalarNode):
            raise AccessFileProblem(f"{_line(key)}名称应是一段文字。")
        if key.value in seen:
            raise AccessFileProblem(f"{_line(key)}“{key.value}”写了两次。")
        seen.add(key.value)
        pairs.append((key.value, key, value))
    return pairs


def _password(node: yaml.Node, who: str) -> str:
    """The password a value node holds exactly as typed, or AccessFileProblem saying why it is none."""
    line = _line(node)
    if not isinstance(node, yaml.ScalarNode):
        raise AccessFileProblem(f"{line}{who}的密码应是一段文字，不能是列表或“名称: 值”的组合。")
    if _is_null(node):
        raise AccessFileProblem(f"{line}{who}没有写密码。")
    if node.tag != STR_TAG:
        raise AccessFileProblem(f"{line}{who}的密码会被读成数字、日期或是/否，而不是原样的文字：请在密码两边加上英文引号 \"\"。")
    problem = plain_problem(node.value)
    if problem:
        raise AccessFileProblem(f"{line}{who}的密码{problem}")
    return node.value


def _is_null(node: yaml.Node) -> bool:
    return isinstance(node, yaml.ScalarNode) and node.tag == NULL_TAG


def _line(node: yaml.Node) -> str:
    return f"第 {node.start_mark.line + 1} 行："
