"""The problem-code catalogue, declared once: every code a check can report, its severity and what it means.

Like frictionless's error types: a Problem must carry a code from here (report.Problem refuses any other), and the
README's list of codes is generated from this table (tests/test_docs.py keeps it current).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True)
class ProblemType:
    """One kind of problem: its stable code, how bad it is (error, warning, or either by case), what it means."""

    code: str
    severity: Literal["error", "warning", "either"]
    summary: str


CATALOGUE: tuple[ProblemType, ...] = (
    ProblemType("missing-sheet", "either", "缺工作表（v2 新增的工作表可以没有，只提示）"),
    ProblemType("duplicate-sheet", "error", "两张工作表名称只差空格或全角/半角"),
    ProblemType("title-row", "error", "表头不在第 1 行，上方有标题行或空行"),
    ProblemType("missing-column", "error", "缺必填列"),
    ProblemType("duplicate-column", "error", "表头重复"),
    ProblemType("extra-column", "warning", "多出的列"),
    ProblemType("renamed-column", "warning", "表头按常见别名读取，每张表提示一次"),
    ProblemType("required", "either", "必填项为空"),
    ProblemType("bad-date", "error", "不是可识别的日期"),
    ProblemType("future-date", "error", "晚于统计截止日期"),
    ProblemType("bad-id", "error", "身份证号格式不对"),
    ProblemType("bad-id-checksum", "error", "身份证号校验位不对"),
    ProblemType("id-lost-digits", "error", "身份证号被存成数字、丢了位数"),
    ProblemType("old-id", "error", "15 位旧身份证号，给出换算的 18 位号码供核对"),
    ProblemType("sex-mismatch", "error", "性别与身份证号不一致"),
    ProblemType("bad-phone", "error", "不是手机号或带区号的座机"),
    ProblemType("bad-number", "error", "不是数字"),
    ProblemType("bad-code", "error", "编号含汉字等"),
    ProblemType("bad-value", "error", "无法识别的值"),
    ProblemType("not-in-vocabulary", "error", "不是下拉列表里的值"),
    ProblemType("unknown-reference", "error", "引用了别的表里没有的名称/编号"),
    ProblemType("duplicate-key", "error", "编号、姓名等不能重复的值重复了"),
    ProblemType("out-of-range", "error", "超出范围"),
    ProblemType("inconsistent", "either", "同一行前后矛盾，如出院早于入院、高风险却填稳定（错误）；危险性 1–2 级却填稳定（警告）"),
    ProblemType("formula-no-value", "error", "公式没有保存计算结果"),
    ProblemType("formula-error", "error", "公式结果是 #N/A、#DIV/0! 等错误值"),
    ProblemType("stray-cell", "either", "离数据很远的单元格（如误敲的空格）：有内容且在标准列下是错误，否则是警告"),
    ProblemType("unsafe-text", "error", "姓名、编号、名称或乡镇设置里有 < > 或换行等控制字符"),
    ProblemType("unsafe-file-name", "error", "乡镇或村社区名称里有 / \\ : 等不能用在文件名里的符号，或以点开头（这些名称会用作导出和 Word 文件的文件名）"),
    ProblemType("group-village", "error", "患者的帮扶小组属于别的村社区（小组页面和成立通知会让那个村看到这位患者）"),
    ProblemType("invisible-char", "warning", "姓名里有看不见的字符，已去掉"),
    ProblemType("unknown-setting", "warning", "基本设置里有不认识的项目"),
    ProblemType("missing-row", "warning", "随访规则缺一类，按默认值"),
    ProblemType("before-enrolment", "warning", "随访早于纳入管理"),
    ProblemType("next-due-late", "warning", "下次随访日期晚于按规定间隔计算的日期（随访日期 + 该病情分类的随访间隔），应随访日期按较早的计算"),
    ProblemType("too-few-visitors", "warning", "面访人数少于“随访最少人数”"),
    ProblemType("file-unreadable", "error", "文件无法读取（找不到、不是 .xlsx、有打开密码、太大、是链接等；退出码 2）"),
)
BY_CODE: dict[str, ProblemType] = {t.code: t for t in CATALOGUE}

LABELS = {"error": "错误", "warning": "警告", "either": "错误或警告"}


def render_readme_list() -> str:
    """The README's table of problem codes."""
    rows = ["| 代码 | 级别 | 含义 |", "|---|---|---|"]
    rows += [f"| `{t.code}` | {LABELS[t.severity]} | {t.summary} |" for t in CATALOGUE]
    return "\n".join(rows) + "\n"
