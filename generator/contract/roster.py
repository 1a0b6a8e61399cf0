"""Roster files (other systems' lists, a township's old 台账): the headers they are known by and how their values map.

Declarations only; ``read/roster`` finds the header row and cleans the values with them. The spellings are the
contract's (workbook-spec "Other systems' lists"); add an alias here and every reader of roster files knows it.
"""

from __future__ import annotations

# standard field (the 患者 sheet's header, or 危险性/评估日期 for the 危险性评估 row) → the headers it is known by
HEADERS: dict[str, tuple[str, ...]] = {
    "姓名": ("姓名", "患者姓名"),
    "性别": ("性别",),
    "身份证号": ("身份证号", "身份证号码", "公民身份号码", "证件号码", "身份证"),
    "出生日期": ("出生日期", "出生年月"),
    "现住址": ("现住址", "家庭住址", "住址", "居住地址", "现居住地址"),
    "现住村社区": ("村社区", "村（社区）", "所属村", "所属村（社区）", "村居", "村"),
    "户籍地址": ("户籍地址", "户籍地"),
    "诊断": ("诊断", "疾病名称", "诊断名称", "疾病诊断"),
    "确诊日期": ("确诊日期", "确诊时间", "诊断日期"),
    "纳入管理日期": ("纳入管理日期", "建档日期", "管理日期"),
    "危险性": ("危险性", "危险性评估", "危险等级", "风险等级", "危险性等级"),
    "评估日期": ("评估日期", "最近评估日期"),
    "在管状态": ("在管状态", "管理状态", "目前状态", "患者状态"),
    "监护人": ("监护人", "监护人姓名"),
    "监护人关系": ("监护人关系", "与患者关系", "关系"),
    "监护人电话": ("监护人电话", "监护人联系电话", "联系电话"),
    "备注": ("备注",),
}
HEADER_ROWS = 20  # the header row is looked for among the first rows
MIN_KNOWN_HEADERS = 3
TOTAL_WORDS = ("合计", "小计", "总计")

DATE_FIELDS = ("出生日期", "确诊日期", "纳入管理日期", "评估日期")
CHINESE_DIGITS = {"零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5}
RISK_LEVELS = range(0, 6)

STATUS_SYNONYMS: dict[str, str] = {
    "在家": "在家居住", "居家": "在家居住", "住院": "住院治疗", "失访": "下落不明", "失联": "下落不明",
    "外出": "外出务工", "外出打工": "外出务工", "死亡": "死亡", "已死亡": "死亡", "迁出": "迁出", "已迁出": "迁出",
}
DIAGNOSIS_SYNONYMS: dict[str, str] = {
    "精神分裂": "精神分裂症", "双相": "双相情感障碍", "双相障碍": "双相情感障碍", "双相情感性障碍": "双相情感障碍",
    "偏执": "偏执性精神病", "分裂情感": "分裂情感性障碍", "癫痫所致": "癫痫所致精神障碍",
    "精神发育迟滞": "精神发育迟滞伴发精神障碍", "智力障碍伴精神障碍": "精神发育迟滞伴发精神障碍",
}


def known_headers() -> str:
    """The standard fields and their aliases, for the message when no header row is found."""
    return "；".join(f"{name}（{'、'.join(aliases)}）" if aliases != (name,) else name for name, aliases in HEADERS.items())

# ``jingfang compare``: where OTHER's list comes from, and the fields compared for each matched pair, in this order
SOURCES = ("卫健库", "公安库", "民政", "残联", "其他")
DEFAULT_SOURCE = "其他"
COMPARED_FIELDS = ("姓名", "性别", "现住村社区", "死亡", "迁出", "危险性", "监护人电话")
COMPARE_JSON_KEYS = ("source", "matched", "only_in_workbook", "only_in_other", "differences", "duplicates")
DIFFERENCE_KEYS = ("id", "row", "field", "workbook", "other")
BY_NAME = "按姓名匹配"
DUPLICATES_HEADING = "名单中身份证号相同的行（同一人登记了多次，或身份证号填错了；这些行都没有参与比对，请在名单中核实）"


def where_read(sheet: str | None) -> str:
    """Where a roster's table was read, for the clerk: a workbook's sheet, or a .csv (a text file has no sheets)."""
    return "CSV 文件" if sheet is None else f"工作表“{sheet}”"
