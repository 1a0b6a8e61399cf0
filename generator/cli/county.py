"""The county's two commands (三级联动): ``summary`` (a township's counts-only summary file) and ``county`` (the
county's view built from the townships' summaries). Registered in cli/__init__; refusals reach the user through
cli/errors, as every command's do."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from generator.cli.chinese import AS_OF_DAY, ChineseCommand, Checked
from generator.cli.errors import JingfangError, _library_errors, _say
from generator.contract.indicators import PERIODS


@click.command(cls=ChineseCommand)
@click.argument("workbook", type=click.Path(path_type=Path))
@click.option("--out", type=click.Path(path_type=Path), metavar="FILE.json",
              help="要写出的汇总文件（.json）。默认写在当前文件夹，文件名写明乡镇和日期，如 汇总-青禾镇-2026-06-30.json。")
@click.option("--as-of", type=AS_OF_DAY, help="统计截止日期（默认取“基本设置”中的统计截止日期，再默认今天）。")
@click.option("--period", type=click.Choice(PERIODS), help="统计期（默认取“基本设置”中的统计周期，再默认本年）。")
@click.option("--force", is_flag=True, help="文件已存在时覆盖它。")
def summary(workbook: Path, out: Path | None, as_of: date | None, period: str | None, force: bool) -> None:
    """生成本乡镇的汇总文件（三级联动：每月发给县区，代替任何患者信息）。

    \b
    只有人数、各项指标的分子和分母、各清单的条数；没有姓名、身份证号、电话、地址和村社区名称
    （写出后用保密检查核对，发现就删除文件并报错）。不能写在网站文件夹里，不会覆盖台账。
    台账有错误时不生成（退出码 1）。
    """
    from generator.app.summarizing import write_summary  # openpyxl (export's writer): only here

    with _library_errors():
        _say(write_summary(workbook, out, as_of=as_of, period=period, force=force, today=date.today()))


def _read_target(text: str) -> tuple[str, float]:
    from generator.app.county import read_target  # the site's machinery: loaded only when a command needs it

    return read_target(text)


@click.command(cls=ChineseCommand)
@click.argument("summaries", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--out", type=click.Path(path_type=Path), metavar="SITE", help="县级网站的输出文件夹（新的、空的，或以前生成的县级网站）。")
@click.option("--access", "access_file", type=click.Path(path_type=Path, dir_okay=False),
              help="权限文件（YAML）：一行“县区: 密码”。不给时依次用 --password-file、环境变量 JINGFANG_PASSWORD，都没有时生成一个随机密码并显示。")
@click.option("--password-file", type=click.Path(path_type=Path, dir_okay=False), help="从这个文件的第一行读取网站密码。")
@click.option("--target", "targets", multiple=True, metavar="指标=目标",
              type=Checked("指标=目标", lambda text: _read_target(text)),
              help="全县统一的指标目标，代替默认目标，可以给多次，如 --target 规范管理率=90 --target 面访率=90。"
                   "所有乡镇都按同一套县级目标判断是否达标。")
@click.option("--json", "as_json", is_flag=True,
              help="以 JSON 输出：{\"townships\": [乡镇…], \"totals\": {指标键: {numerator, denominator}}, \"lists\": {清单键: 条数}}。")
def county(summaries: tuple[Path, ...], out: Path | None, access_file: Path | None, password_file: Path | None,
           targets: tuple[tuple[str, float], ...], as_json: bool) -> None:
    """县级汇总（三级联动）：把各乡镇的汇总文件 SUMMARIES 合起来，生成带密码的县级网站（--out）或输出 JSON（--json）。

    \b
    合计是各乡镇分子、分母分别相加后再算比率（不是比率的平均）。同一乡镇有多份汇总时用统计截止日期最晚的一份（并提示）；
    统计周期、年份或所属区县不同的汇总不能相加，会被拒绝。不完整、校验码不符、数字不可能（如分子大于分母）
    或来自更新版本的汇总文件也会被拒绝。各乡镇都按同一套县级目标（默认目标，或 --target 设定的）判断是否达标。
    """
    from generator.app.county import run_county

    if out is None and not as_json:
        raise JingfangError("请用 --out 指定县级网站的文件夹，或用 --json 只输出汇总数字。")
    with _library_errors():
        _say(run_county(list(summaries), out, as_json=as_json, access_file=access_file, password_file=password_file,
                        progress=lambda line: click.echo(line, err=True), targets=dict(targets)))
