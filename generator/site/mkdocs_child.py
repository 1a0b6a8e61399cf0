"""A mkdocs process started before its pages exist (``site.MkdocsProcesses``).

It imports mkdocs, Python-Markdown, the encryption plugin and jingfang's own (a third of a second) while the main
process still reads the workbook and renders the pages, then waits for one line on stdin: the config to build and
the secrets for the plugins, which it puts into its own environment (where the jingfang plugin reads them) before
running ``mkdocs build --strict -f CONFIG``. An empty stdin (the build stopped, or needs fewer processes) ends it.
"""

from __future__ import annotations

import json
import os
import sys

import encryptcontent.plugin  # noqa: F401  (imported now, used by the build)
import markdown.extensions.attr_list  # noqa: F401
import markdown.extensions.toc  # noqa: F401
import mkdocs.commands.build  # noqa: F401
import mkdocs.config.defaults  # noqa: F401  (reads the installed plugins' entry points)
from mkdocs.__main__ import cli
from mkdocs.utils import get_themes

from generator.site import mkdocs_plugin  # noqa: F401


def main() -> int | None:
    get_themes()  # the installed themes' entry points, cached for the build
    line = sys.stdin.readline()
    if not line.strip():
        return 0
    job = json.loads(line)
    os.environ.update(job["env"])
    return cli.main(["build", "--strict", "-f", job["config"]], prog_name="mkdocs")


if __name__ == "__main__":
    sys.exit(main())
