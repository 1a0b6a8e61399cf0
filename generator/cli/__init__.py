"""The ``jingfang`` command: a thin click layer over the library (this package is the only one that imports click;
``chinese`` teaches click Chinese). Each command parses its options, reads the clock, calls one library function and
prints what it returns; the library's named exceptions become one Chinese error line and an exit status (``errors``).
Commands with a module of their own (``launch``: shortcut) are added to the group at the end."""

from __future__ import annotations

import sys
from datetime import date, datetime
from pathlib import Path

import click

from generator.app.build import LOCK_MINUTES
from generator.app.checking import check_workbook, list_overdue, verify_site
from generator.app.indicating import show_indicators
from generator.cli.chinese import AS_OF_DAY, COMPARE_FILE, MONTH, ChineseGroup
from generator.cli.county import county, summary
from generator.cli.launch import shortcut
from generator.cli.errors import JingfangError, Unreadable, _library_errors, _say, _to_stderr  # noqa: F401
from generator.app.password import generate_passphrase
from generator.app.publishing import SiteOptions, publish
from generator.contract.indicators import PERIODS
from generator.contract.roster import DEFAULT_SOURCE, SOURCES as ROSTER_SOURCES
from generator.present.outpaths import refuse_overwrite

TEMPLATE_PATH = Path("workbook") / "标准台账.xlsx"
SAMPLE_PATH = Path("workbook") / "示例台账.xlsx"


@click.group(cls=ChineseGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="jingfang", message="jingfang %(version)s", help="显示版本号并退出。")
def main() -> None:
    """精防台账：检查严重精神障碍患者服务管理台账（.xlsx），生成带密码的内部网站。

    \b
    常用步骤：
      jingfang init                生成空白的标准台账 workbook/标准台账.xlsx
      jingfang import 名单.xlsx --out 台账.xlsx  从已有的名单生成标准台账
      jingfang check 台账.xlsx      检查台账，列出所有问题（工作表、单元格、列、值）
      jingfang overdue 台账.xlsx    列出各类逾期清单
      jingfang indicators 台账.xlsx 按国家口径计算工作指标
      jingfang build 台账.xlsx      检查无误后生成内部网站（site/）
      jingfang shortcut 台账.xlsx   在台账旁边放双击启动文件 生成网站.bat，以后双击它即可生成网站

    台账只会被读取，任何命令都不会修改它。
    """
    for stream in (sys.stdout, sys.stderr):  # a Windows console or a pipe may use GBK: replace what it cannot print
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="replace")


@main.command()
@click.argument("path", type=click.Path(path_type=Path), default=TEMPLATE_PATH)
@click.option("--force", is_flag=True, help="文件已存在时覆盖它（启动文件只替换 jingfang 生成的）。")
@click.option("--access", "access_file", type=click.Path(path_type=Path, dir_okay=False),
              help="双击启动文件生成网站时用的权限文件（YAML）。不写时，每次生成在窗口里输入网站密码。")
def init(path: Path, force: bool, access_file: Path | None) -> None:
    """生成空白的标准台账 PATH（默认 workbook/标准台账.xlsx），旁边放双击启动文件 生成网站.bat 和 生成网站.sh。

    含“说明”页、所有工作表、表头批注、下拉列表、文本/日期格式，以及默认的基本设置和随访规则。
    双击启动文件即检查台账、生成并打开网站（见 jingfang shortcut）。
    文件已存在时不会覆盖，除非加 --force。
    """
    from generator.app.launcher import plan_launchers
    from generator.sample.template import write_template  # openpyxl: only for writing workbooks, slow to import

    with _library_errors():
        refuse_overwrite(path, force)  # the template's refusal first, then the launchers': nothing written yet
        launchers = plan_launchers(path, access_file, Path(sys.executable), force)
        click.echo(write_template(path, force))
        click.echo(launchers.write())


@main.command()
@click.argument("path", type=click.Path(path_type=Path), default=SAMPLE_PATH)
@click.option("--patients", type=click.IntRange(1, 50_000), metavar="N", default=60, show_default=True, help="患者人数。")
@click.option("--seed", type=int, metavar="N", default=2026, show_default=True, help="随机种子：相同的人数和种子生成完全相同的台账。")
@click.option("--force", is_flag=True, help="文件已存在时覆盖它。")
def sample(path: Path, patients: int, seed: int, force: bool) -> None:
    """生成一个示例台账 PATH（默认 workbook/示例台账.xlsx），数据全部是虚构的。

    用于演示和测试：每张表都有数据，每类逾期清单都不为空，还有几处常见的“不规范但可识别”的写法。
    --patients 5000 可生成县级规模的台账用于性能测试。
    """
    from generator.sample.synthetic import write_sample  # the generator is only needed here

    with _library_errors():
        click.echo(write_sample(path, patients, seed, force, progress=_to_stderr))


@main.command("import")
@click.argument("source", type=click.Path(path_type=Path))
@click.option("--out", type=click.Path(path_type=Path), required=True, metavar="NEW.xlsx", help="要生成的新台账（不能已经存在）。")
@click.option("--sheet", metavar="工作表", help="读取这张工作表（默认第一张有表头的工作表）。")
@click.option("--as-of", type=AS_OF_DAY, help="没有评估日期时，导入的危险性记为这一天的评估（默认今天）。")
def import_(source: Path, out: Path, sheet: str | None, as_of: date | None) -> None:
    """从已有的名单 SOURCE（.xlsx、.xls、.ods、.csv：旧台账、卫健库/公安库导出的名单）生成新的标准台账 NEW.xlsx。

    \b
    填好患者（编号 P0001… 按原表顺序）、村社区和危险性评估；没有对应列的内容放进患者的备注（原表列名：值）。
    列出每列的去向、跳过的行（空行、合计行），以及新台账还需要补全的问题。
    退出码：0 已生成新台账；1 找不到表头或 NEW 已存在；2 SOURCE 无法读取。SOURCE 只会被读取。
    """
    from generator.sample.importing import import_roster  # openpyxl: only for writing workbooks, slow to import

    with _library_errors():
        click.echo(import_roster(source, out, sheet, as_of, date.today()).text)


@main.command()
@click.argument("workbook", type=click.Path(path_type=Path))
@click.argument("other", type=click.Path(path_type=Path))
@click.option("--source", type=click.Choice(ROSTER_SOURCES), default=DEFAULT_SOURCE, show_default=True, help="名单 OTHER 来自哪个系统。")
@click.option("--as-of", type=AS_OF_DAY, help="统计截止日期（默认取“基本设置”中的统计截止日期，再默认今天）。")
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出（键：source, matched, only_in_workbook, only_in_other, differences, duplicates）。")
@click.option("--out", type=click.Path(path_type=Path), metavar="FILE.xlsx", help="同时把比对结果写成工作簿（不加密，不能在网站文件夹里，不覆盖已有文件）。")
def compare(workbook: Path, other: Path, source: str, as_of: date | None, as_json: bool, out: Path | None) -> None:
    """信息比对：把台账 WORKBOOK 与其他系统的名单 OTHER（.xlsx、.xls、.ods、.csv）逐人核对。

    \b
    按身份证号匹配；名单没有可用身份证号的行按 姓名+出生日期、再按 姓名+性别+现住村社区 匹配（标为“按姓名匹配”）。
    列出只在台账里的患者、只在名单里的行，以及两边不一致的姓名、性别、现住村社区、死亡、迁出、危险性、监护人电话。
    台账有错误时先列出错误，不比对（退出码 1）；OTHER 无法读取时退出码 2。两个文件都只会被读取。
    """
    from generator.app.comparing import compare_lists  # openpyxl: only for writing workbooks, slow to import

    with _library_errors():
        _say(compare_lists(workbook, other, source, as_of, date.today(), as_json, out))


@main.command()
@click.argument("workbook", type=click.Path(path_type=Path))
@click.option("--as-of", type=AS_OF_DAY, help="统计截止日期（默认取“基本设置”中的统计截止日期，再默认今天）。")
@click.option("--json", "as_json", is_flag=True, help="以 JSON 数组输出问题（键：sheet, row, column, cell, value, code, message, severity）。")
@click.option("--access", "access_file", type=click.Path(path_type=Path, dir_okay=False),
              help="同时检查这个权限文件（YAML）：格式、密码强度、重复的密码、台账里没有的村社区，一次列出全部问题。")
def check(workbook: Path, as_of: date | None, as_json: bool, access_file: Path | None) -> None:
    """检查台账 WORKBOOK，一次列出所有问题。

    \b
    每个问题给出工作表、单元格（如 随访记录!C12）、列、值和改正方法。
    加 --access 时，权限文件的问题列在后面（--json 时写到标准错误）。
    退出码：0 没有错误（可能有警告）；1 有错误；2 文件无法读取。
    台账只会被读取，不会被修改。
    """
    with _library_errors():
        _say(check_workbook(workbook, as_of, date.today(), as_json, access_file))


@main.command()
@click.argument("workbook", type=click.Path(path_type=Path))
@click.option("--as-of", type=AS_OF_DAY, help="统计截止日期（默认取“基本设置”中的统计截止日期，再默认今天）。")
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出：{\"as_of\": …, \"lists\": {清单键: [{id, due, days_overdue}, …]}}。")
def overdue(workbook: Path, as_of: date | None, as_json: bool) -> None:
    """列出台账 WORKBOOK 的各类逾期清单（随访、评估、体检、协议、高风险……）。

    台账有错误时先列出错误，不输出清单（退出码 1）。
    """
    with _library_errors():
        _say(list_overdue(workbook, as_of, date.today(), as_json))


@main.command()
@click.argument("workbook", type=click.Path(path_type=Path))
@click.option("--as-of", type=AS_OF_DAY, help="统计截止日期（默认取“基本设置”中的统计截止日期，再默认今天）。")
@click.option("--period", type=click.Choice(PERIODS), help="统计期（默认取“基本设置”中的统计周期，再默认本年）。")
@click.option("--village", metavar="村社区", help="只统计这个村社区（现住村社区）的患者，不计报告患病率。")
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出统计期、人数和每个指标的分子、分母、数值、单位、目标（键名见 README）。")
def indicators(workbook: Path, as_of: date | None, period: str | None, village: str | None, as_json: bool) -> None:
    """按国家口径计算台账 WORKBOOK 的工作指标（管理率、规范管理率、面访率、服药率……）。

    每个指标给出分子、分母、数值和目标；统计期从本年 1 月 1 日（或本季度、本月第一天，或近12个月）到统计截止日期。
    台账有错误时先列出错误，不输出指标（退出码 1）。
    """
    with _library_errors():
        _say(show_indicators(workbook, as_of, date.today(), period, village, as_json))


@main.command()
@click.argument("workbook", type=click.Path(path_type=Path), default=SAMPLE_PATH)
@click.option("--out", type=click.Path(path_type=Path), default=Path("site"), show_default=True, help="网站输出文件夹。")
@click.option("--as-of", type=AS_OF_DAY, help="统计截止日期（默认取“基本设置”中的统计截止日期，再默认今天）。")
@click.option("--password-file", type=click.Path(path_type=Path, dir_okay=False),
              help="从这个文件的第一行读取网站密码（文件应放在项目文件夹之外）。")
@click.option("--access", "access_file", type=click.Path(path_type=Path, dir_okay=False),
              help="权限文件（YAML）：乡镇密码打开所有页面，各村社区密码只打开本村页面，各部门密码只打开本部门页面。见 README。")
@click.option("--insecure-no-password", is_flag=True, help="不加密（只用于本机测试！网站将以明文保存姓名、身份证号和电话）。")
@click.option("--lock-minutes", type=click.IntRange(1, 720), metavar="MINUTES", default=LOCK_MINUTES, show_default=True,
              help="浏览器多少分钟无人操作后忘记密码，再打开页面需要重新输入（1–720）。")
@click.option("--month", type=MONTH, metavar="YYYY-MM",
              help="月度信息交换通报的月份，如 2026-10（默认统计截止日期的上一个月）。")
@click.option("--compare", "compare_files", type=COMPARE_FILE, multiple=True, metavar="FILE[=来源]",
              help=f"与其他系统的名单 FILE 比对（来源：{'、'.join(ROSTER_SOURCES)}，默认{DEFAULT_SOURCE}；可以写多次），结果在网站“信息比对”页和月度信息交换通报里。")
@click.option("--rebuild", is_flag=True, help="即使台账、模板和密码都没有变化也重新生成。")
@click.option("--generate-password", is_flag=True, help="只生成并显示一个随机密码（不生成网站），可用作网站密码。")
@click.option("--demo", is_flag=True, help="演示用：把台账自己的统计截止日期当作生成那天，不显示数据过期提醒（示例台账的演示网站）。")
@click.option("--timings", is_flag=True, hidden=True, help="Print seconds per stage as JSON (for benchmarks).")
def build(workbook: Path, out: Path, as_of: date | None, password_file: Path | None, access_file: Path | None,
          insecure_no_password: bool, lock_minutes: int, month: str | None, compare_files: tuple[tuple[Path, str], ...],
          rebuild: bool, generate_password: bool, demo: bool, timings: bool) -> None:
    """检查台账 WORKBOOK（默认示例台账），无误后生成加密的内部网站到 --out（默认 site/）。

    \b
    有错误时列出全部错误并停止，原来的网站保持不变；警告会显示，但不影响生成。
    台账、模板、设置和密码都没有变化时不重复生成（--rebuild 强制重新生成）。
    网站密码依次取自：--access 权限文件、--password-file 文件、环境变量 JINGFANG_PASSWORD，
    都没有时在命令行窗口中输入两次。密码至少 12 个字符，而且不能容易被猜到（常见密码、键盘上连着的键、
    乡镇和村社区名称及其拼音、年份等）；--generate-password 生成一个好输入的随机密码。
    密码不会保存在任何地方；忘记密码只能用新密码重新生成网站。
    浏览器输入一次密码后，同一窗口内打开其他页面不再询问；无人操作 --lock-minutes 分钟（默认 30）、
    点“退出”或关闭窗口后，需要重新输入。
    网站可以直接从文件夹打开（双击 index.html），也可以用 jingfang serve 在本机查看。
    """
    if generate_password:
        click.echo(generate_passphrase())
        return
    options = SiteOptions(as_of=as_of, password_file=password_file, access_file=access_file,
                          insecure=insecure_no_password, lock_minutes=lock_minutes, month=month, rebuild=rebuild,
                          timings=timings, compare=compare_files, demo=demo)
    with _library_errors(invalid="台账有错误，没有生成网站（原来的网站保持不变）。请按上表改正后再运行。"):
        _say(publish(workbook, out, options, today=date.today(), now=datetime.now(), prompt=_ask_password,
                     progress=_to_stderr))


def _ask_password() -> str:
    return click.prompt("请设置网站密码（至少 12 个字符）", hide_input=True, confirmation_prompt="请再输入一次",
                        err=True)


@main.command()
@click.argument("workbook", type=click.Path(path_type=Path))
@click.argument("site", type=click.Path(path_type=Path), default=Path("site"))
def verify(workbook: Path, site: Path) -> None:
    """保密检查：已生成的网站 SITE（默认 site/）中每个页面都已加密，台账 WORKBOOK 中的姓名、身份证号、电话、地址都没有以明文出现。

    \b
    jingfang build 在安装新网站之前会自动做同样的检查；这个命令用于检查复制到别处的网站。
    发现问题时只列出文件和信息类别（如“姓名”），不显示具体内容。
    退出码：0 没有问题；1 发现问题；2 台账或网站无法读取。
    """
    with _library_errors():
        _say(verify_site(workbook, site, date.today(), notice=_to_stderr))


@main.command()
@click.option("--out", type=click.Path(path_type=Path), default=Path("site"), show_default=True, help="要查看的网站文件夹。")
@click.option("--port", type=click.IntRange(0, 65535), metavar="PORT", default=8000, show_default=True, help="端口。")
def serve(out: Path, port: int) -> None:
    """在本机查看已生成的网站（只监听 127.0.0.1，局域网里的其他电脑访问不到）。

    只提供网站文件夹里的网页文件：不列出文件夹内容，不提供隐藏文件，不跟随指向文件夹外面的链接。
    按 Ctrl+C 停止。也可以不用服务器，直接双击网站文件夹里的 index.html。
    """
    from generator.site.serve import CannotServe, serve_site

    try:
        serve_site(out, port, say=_to_stderr)
    except CannotServe as exc:
        raise JingfangError(str(exc)) from None


@main.command()
@click.argument("workbook", type=click.Path(path_type=Path))
@click.option("--out", type=click.Path(path_type=Path),
              help="要写出的工作簿（.xlsx）。默认写在当前文件夹，文件名写明内容、村社区和日期，如 逾期清单-禾苗村-2025-06-30.xlsx。")
@click.option("--village", help="只导出这个村社区的患者、帮扶小组和事项（发给这个村时用）。")
@click.option("--roster", is_flag=True, help="导出花名册（每位患者一行：住址、监护人、电话、状态、危险性、小组、精防医生），而不是逾期清单。")
@click.option("--as-of", type=AS_OF_DAY, help="统计截止日期（默认取“基本设置”中的统计截止日期，再默认今天）。")
@click.option("--force", is_flag=True, help="文件已存在时覆盖它。")
def export(workbook: Path, out: Path | None, village: str | None, roster: bool, as_of: date | None, force: bool) -> None:
    """把逾期清单导出为工作簿（每个清单一张表，含姓名和联系方式），便于发给各村。

    \b
    --village 只含这个村社区的人（发给一个村时用，别的村的人不会出现在文件里）；
    --roster 导出花名册而不是逾期清单。
    导出文件不加密，含敏感个人信息，请妥善保管，用后删除。
    不能导出到已生成的网站文件夹里。台账有错误时不导出（退出码 1）。
    """
    from generator.app.exporting import export_lists  # openpyxl: only for writing workbooks, slow to import

    with _library_errors():
        _say(export_lists(workbook, out, village=village, roster=roster, as_of=as_of, force=force,
                          today=date.today(), now=datetime.now()))


@main.command()
@click.argument("workbook", type=click.Path(path_type=Path))
@click.option("--out", type=click.Path(path_type=Path),
              help="放 Word 文件的文件夹（新的或空的文件夹；不能在网站文件夹里）。生成文书时必须写。")
@click.option("--village", "villages", multiple=True, help="只要这个村社区的文书（可以写多次）。默认所有村社区。")
@click.option("--kind", "kinds", multiple=True,
              help="只要这种文书（可以写多次）：监护协议、以奖代补协议、免费服药告知书、高风险患者联合随访记录单、"
                   "成立关爱帮扶小组的通知、敏感时期点名表、月度信息交换通报（全乡镇的，不随 --village）。默认全部。")
@click.option("--patient", "patients", multiple=True, help="只要这位患者的文书（患者编号，可以写多次）。")
@click.option("--all", "everyone", is_flag=True, help="给每位适用的患者都出一份，而不只是需要签订的。")
@click.option("--separate", is_flag=True, help="每份文书单独一个文件（默认每个村社区每种文书一个文件，每份一页）。")
@click.option("--templates", is_flag=True,
              help="只把默认的 Word 模板复制到台账旁边的“协议模板”文件夹（已有的不覆盖），供用 Word 或 WPS 修改；不生成文书。")
@click.option("--as-of", type=AS_OF_DAY, help="统计截止日期（默认取“基本设置”中的统计截止日期，再默认今天）。")
@click.option("--month", type=MONTH, metavar="YYYY-MM", help="月度信息交换通报的月份，如 2026-10（默认统计截止日期的上一个月）。")
@click.option("--compare", "compare_files", type=COMPARE_FILE, multiple=True, metavar="FILE[=来源]",
              help="同 build --compare：月度信息交换通报里写上与这些名单比对的计数（可以写多次）。")
def documents(workbook: Path, out: Path | None, villages: tuple[str, ...], kinds: tuple[str, ...],
              patients: tuple[str, ...], everyone: bool, separate: bool, templates: bool, as_of: date | None,
              month: str | None, compare_files: tuple[tuple[Path, str], ...]) -> None:
    """把要打印的文书生成为可编辑的 Word 文件（.docx），写到文件夹 --out。

    \b
    默认选的人和网站“协议打印”页的批量打印一样（需要签订的）；--all 给每位适用的患者都出一份。
    每个村社区每种文书一个文件，每份文书占一页，可在 Word 或 WPS 里修改后打印。
    要改文书的文字：先用 --templates 把默认模板复制到台账旁边的“协议模板”文件夹，用 Word 或 WPS 修改后
    保存（仍为 .docx，文件名不变）；模板里的占位符（如 {{ patient.name }}）见网站的“文书模板说明”页（从“协议打印”页进入）。
    Word 文件不加密，含敏感个人信息，请妥善保管，用后删除。台账有错误时不生成（退出码 1）。
    """
    from generator.app.documents import copy_default_templates, write_word_files  # python-docx: slow to import

    if templates:
        with _library_errors():
            _say(copy_default_templates(workbook))
        return
    if out is None:
        raise JingfangError("请用 --out 指定放 Word 文件的文件夹（新的或空的文件夹）。")
    with _library_errors():
        _say(write_word_files(workbook, out, villages=list(villages), kinds=list(kinds), patients=list(patients),
                              everyone=everyone, separate=separate, as_of=as_of, month=month, today=date.today(),
                              now=datetime.now(), compare=compare_files))


main.add_command(summary)
main.add_command(county)
main.add_command(shortcut)
