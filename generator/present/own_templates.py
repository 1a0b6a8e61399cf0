"""The township's own templates in 协议模板/ beside the workbook, read only as regular files of their own.

Whoever can write to the workbook's folder can put a link there named like a template; followed, it would put the
file it points to (the access file, say) into pages a village password opens. So a template is read through
generator.read.inputs (no link, no FIFO or device, size-capped), and a template name that is not such a file stops the
build, naming it, instead of quietly falling back to the default.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Callable

from jinja2 import BaseLoader, Environment, TemplateNotFound

from generator.read.inputs import MB, InputRefused, read_input

OVERRIDE_FOLDER = "协议模板"
HTML_LIMIT = 1 * MB  # an HTML document template is a few KB
WORD_LIMIT = 8 * MB  # a .docx template is tens of KB; a logo or two fits


class TemplateProblem(Exception):
    """A township's own template cannot be used; the message names the file."""


def own_template(folder: Path, name: str) -> Path | None:
    """folder/name when anything at all is there (a link too, even a dangling one), else None."""
    path = folder / name
    return path if os.path.lexists(path) else None


def read_template(path: Path, what: str, limit: int) -> bytes:
    """A template's bytes, when it is a regular file of at most limit bytes; TemplateProblem otherwise."""
    try:
        return read_input(path, what, limit)
    except InputRefused as exc:
        raise TemplateProblem(str(exc)) from None


class FolderLoader(BaseLoader):
    """Jinja templates from one folder, each read through generator.read.inputs (FileSystemLoader follows links)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def get_source(self, environment: Environment, template: str) -> tuple[str, str, Callable[[], bool]]:
        path = own_template(self.folder, template) if "/" not in template and "\\" not in template else None
        if path is None:
            raise TemplateNotFound(template)
        try:
            source = read_template(path, OVERRIDE_FOLDER, HTML_LIMIT).decode("utf-8")
        except UnicodeDecodeError:
            raise TemplateProblem(f"{OVERRIDE_FOLDER}“{path}”不是 UTF-8 编码的文本，请用记事本“另存为 UTF-8”后再试。") from None
        return source, str(path), lambda: True  # read once per build: the environment lives for one build
