"""``jingfang shortcut``: the double-click launchers (generator.app.launcher) for a workbook that already exists;
``init`` writes them beside a new template the same way."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from generator.app.launcher import plan_launchers
from generator.cli.chinese import COMPARE_FILE, ChineseCommand
from generator.cli.errors import _library_errors
from generator.read.workbook import check_readable


@click.command(cls=ChineseCommand)
@click.argument("workbook", type=click.Path(path_type=Path))
@click.option("--access", "access_file", type=click.Path(path_type=Path, dir_okay=False),
              help="生成网站时用的权限文件（YAML，放在项目文件夹之外）。不写时，每次生成在窗口里输入网站密码。")
@click.option("--compare", "compare_files", type=COMPARE_FILE, multiple=True, metavar="FILE[=来源]",
              help="生成网站时与这个名单比对（同 build --compare，可以写多次）：网站“信息比对”页和月度通报里有结果。")
@click.option("--force", is_flag=True, help="启动文件已存在时重新生成（只替换 jingfang 生成的启动文件）。")
def shortcut(workbook: Path, access_file: Path | None, compare_files: tuple[tuple[Path, str], ...],
             force: bool) -> None:
    """在台账 WORKBOOK 旁边生成双击启动文件：生成网站.bat（Windows）和 生成网站.sh（Linux、macOS）。

    \b
    双击它：先检查台账（和权限文件），无误后生成网站到台账旁边的“网站”文件夹，再用浏览器打开；
    有问题时窗口不关，显示要改正的地方。不用输入任何命令。
    台账、权限文件和本程序的位置在生成时写进启动文件：移动了它们，请再运行一次（加 --force）。
    同名文件不是 jingfang 生成的，不会被覆盖。
    """
    with _library_errors():
        check_readable(workbook)
        click.echo(plan_launchers(workbook, access_file, Path(sys.executable), force, compare_files).write())
