"""Test workbooks built in code (synthetic people only). Run ``python tests/workbooks.py OUT.xlsx`` to dump one.

``valid_sheets()`` is a small, valid workbook as {sheet: [header row, data rows…]}; tests copy it, plant
mess or mistakes in it, and write it with ``write_sheets`` (plain openpyxl, so any cell type can be planted).
"""

from __future__ import annotations

import copy
import sys
from datetime import date, datetime
from pathlib import Path
from typing import Any

from openpyxl import Workbook

from generator.contract.values import id_check_char

AS_OF = date(2025, 6, 30)


def make_id(area: str, born: date, seq: int, male: bool) -> str:
    """A synthetic 18-character ID number with a valid check character."""
    seq3 = seq * 2 + (1 if male else 0)  # 17th digit odd for 男
    first17 = f"{area}{born:%Y%m%d}{seq3:03d}"
    return first17 + id_check_char(first17)


ID_1 = make_id("110101", date(1980, 5, 6), 12, male=True)
ID_2 = make_id("110102", date(1975, 11, 23), 40, male=False)
ID_3 = make_id("110105", date(1990, 1, 2), 7, male=True)


def valid_sheets() -> dict[str, list[list[Any]]]:
    """A small valid workbook: two villages, two groups, three patients with some history."""
    return copy.deepcopy({
        "基本设置": [
            ["项目", "值", "说明"],
            ["乡镇名称", "测试镇", None],
            ["所属区县", "测试县", None],
            ["统计截止日期", datetime(2025, 6, 30), None],
            ["常住人口", 20000, None],
            ["高风险等级", 3, None],
            ["随访最少人数", 2, None],
        ],
        "随访规则": [
            ["病情分类", "随访间隔天数", "评估间隔天数"],
            ["不稳定", 14, 90],
            ["基本稳定", 30, 90],
            ["稳定", 90, 180],
        ],
        "村社区": [
            ["名称", "类型", "负责人", "负责人电话"],
            ["禾苗村", "村", "计承远", "13900000001"],
            ["溪口社区", "社区", "聂冬晴", "13900000002"],
        ],
        "人员": [
            ["姓名", "单位", "职务", "手机号"],
            ["计承远", "禾苗村", "支部书记", "13900000001"],
            ["聂冬晴", "溪口社区", "支部书记", "13900000002"],
            ["骆思源", "卫生院", "精防医生", "13900000003"],
            ["闵若川", "派出所", "社区民警", "13900000004"],
        ],
        "领导小组": [
            ["姓名", "小组职务", "分工"],
            ["骆思源", "成员", "随访管理"],
        ],
        "帮扶小组": [
            ["小组编号", "小组名称", "所属村社区", "组长", "成立日期"],
            ["G01", "禾苗村关爱帮扶小组", "禾苗村", "计承远", datetime(2023, 1, 5)],
            ["G02", "溪口社区关爱帮扶小组", "溪口社区", "聂冬晴", datetime(2023, 2, 1)],
        ],
        "小组成员": [
            ["小组编号", "姓名", "小组角色"],
            ["G01", "计承远", "组长"],
            ["G01", "骆思源", "精防医生"],
            ["G02", "聂冬晴", "组长"],
            ["G02", "闵若川", "社区民警"],
        ],
        "患者": [
            ["患者编号", "姓名", "性别", "身份证号", "现住村社区", "现住址", "诊断", "纳入管理日期", "在管状态",
             "帮扶小组编号", "监护人", "监护人关系", "监护人电话", "免费服药", "已录入公安库"],
            ["P001", "甘望舒", "男", ID_1, "禾苗村", "禾苗村2组8号", "精神分裂症", datetime(2023, 3, 1), "在家居住",
             "G01", "甘秋禾", "父母", "13900000011", "是", "是"],
            ["P002", "简雨桐", "女", ID_2, "溪口社区", "溪口社区5栋3号", "双相情感障碍", datetime(2023, 4, 1), "在家居住",
             "G02", "简守拙", "配偶", "13900000012", "否", "否"],
            ["P003", "车怀瑾", "男", ID_3, "禾苗村", "禾苗村4组1号", "偏执性精神病", datetime(2023, 5, 1), "住院治疗",
             None, None, None, None, None, None],
        ],
        "随访记录": [
            ["患者编号", "随访日期", "随访形式", "随访人员", "危险性", "病情分类", "用药依从性", "失访原因", "下次随访日期"],
            ["P001", datetime(2025, 5, 20), "家庭访视", "骆思源、计承远", 1, "基本稳定", "规律", None, datetime(2025, 6, 19)],
            ["P002", datetime(2025, 4, 10), "门诊", "骆思源、闵若川", 0, "稳定", "规律", None, None],
            ["P003", datetime(2025, 6, 1), "电话", "骆思源", 3, "不稳定", "规律", None, None],
        ],
        "危险性评估": [
            ["患者编号", "评估日期", "危险性", "评估机构", "评估医生"],
            ["P001", datetime(2025, 3, 1), 1, "县精神卫生中心", "骆思源"],
        ],
        "住院记录": [
            ["患者编号", "入院日期", "出院日期", "医院", "住院方式", "出院信息已接收"],
            ["P003", datetime(2025, 5, 15), None, "县精神卫生中心", "自愿", "否"],
        ],
        "健康体检": [
            ["患者编号", "体检日期", "体检机构", "结果"],
            ["P001", datetime(2024, 9, 1), "镇卫生院", "未见异常"],
        ],
        "协议": [
            ["患者编号", "协议类型", "签订日期", "到期日期", "年度金额"],
            ["P001", "监护协议", datetime(2024, 1, 10), None, None],
            ["P001", "以奖代补协议", datetime(2025, 1, 10), datetime(2026, 1, 9), 2000],
            ["P001", "免费服药告知书", datetime(2024, 1, 10), None, None],
        ],
        "小组会议": [
            ["小组编号", "会议日期", "参会人员", "内容"],
            ["G01", datetime(2025, 6, 5), "计承远、骆思源", "研判患者情况"],
        ],
        # v2 sheets: every case here keeps the v2 lists quiet but for P002 (no 以奖代补协议) and P003 (high risk)
        "工作会议": [
            ["会议日期", "会议类型", "参会人员", "议定事项"],
            [datetime(2025, 5, 10), "例会", "骆思源、闵若川", "部署二季度排查"],
        ],
        "事件记录": [
            ["患者编号", "发生日期", "事件类型", "危险性", "处置", "已报告派出所", "备注"],
            ["P001", datetime(2025, 2, 1), "轻微滋事", 1, "村医和民警到场劝导", "是", None],
        ],
        "排查记录": [
            ["村社区", "排查日期", "排查类型", "排查人员", "发现疑似人数", "备注"],
            ["禾苗村", datetime(2025, 3, 15), "集中排查", "计承远、骆思源", 0, None],
            ["溪口社区", datetime(2025, 3, 16), "集中排查", "聂冬晴、闵若川", 1, None],
        ],
        "通报记录": [
            ["患者编号", "通报日期", "通报类型", "通报对象", "备注"],
            ["P003", datetime(2025, 6, 1), "高风险报告", "平安办", None],
        ],
        "敏感时期": [
            ["名称", "开始日期", "结束日期", "点名范围"],
            ["端午", datetime(2025, 5, 31), datetime(2025, 6, 2), "高风险"],
            ["国庆", datetime(2025, 10, 1), datetime(2025, 10, 7), "全部在家"],
        ],
        "点名记录": [
            ["患者编号", "点名日期", "点名人", "情况", "备注"],
            ["P001", datetime(2025, 6, 1), "骆思源", "正常", None],
        ],
    })


def write_sheets(path: Path, sheets: dict[str, list[list[Any]]], text_columns: dict[str, list[int]] | None = None) -> Path:
    """Write sheets in the given order with plain openpyxl; values keep their Python types."""
    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def column(sheets: dict[str, list[list[Any]]], sheet: str, header: str) -> int:
    """The 0-based index of a header in a sheet of valid_sheets()."""
    return sheets[sheet][0].index(header)


def set_cell(sheets: dict[str, list[list[Any]]], sheet: str, data_row: int, header: str, value: Any) -> None:
    """Set the cell under header on the data_row-th data row (1 = Excel row 2)."""
    rows = sheets[sheet]
    if header not in rows[0]:
        rows[0].append(header)
        for row in rows[1:]:
            row.append(None)
    i = rows[0].index(header)
    rows[data_row][i:i + 1] = [value]


def id_ending_in_x() -> str:
    seq = next(s for s in range(500) if make_id("110101", date(1985, 7, 9), s, male=False).endswith("X"))
    return make_id("110101", date(1985, 7, 9), seq, male=False)


def messy_sheets() -> dict:
    """valid_sheets() with every kind of mess a real workbook has, all of it unambiguous."""
    s = valid_sheets()
    # dates as text, in each of the five spellings, and a real date with a time of day
    set_cell(s, "随访记录", 1, "随访日期", "2025-05-20")
    set_cell(s, "随访记录", 2, "随访日期", "2025/4/10")
    set_cell(s, "随访记录", 3, "随访日期", " 2025.6.1 ")
    set_cell(s, "危险性评估", 1, "评估日期", "2025年3月1日")
    set_cell(s, "健康体检", 1, "体检日期", "20240901")
    set_cell(s, "协议", 1, "签订日期", datetime(2024, 1, 10, 14, 30))
    # IDs: lower-case x, full-width digits, spaces
    x_id = id_ending_in_x()
    set_cell(s, "患者", 2, "身份证号", x_id.lower())
    set_cell(s, "患者", 2, "出生日期", "1985-07-09")
    set_cell(s, "患者", 2, "性别", "女")
    set_cell(s, "患者", 1, "身份证号", " " + ID_1[:6] + " " + ID_1[6:].translate(str.maketrans("0123456789", "０１２３４５６７８９")))
    # phones: +86 and spaces, full-width digits, a number-typed mobile, a landline
    set_cell(s, "患者", 1, "监护人电话", "+86 139 0000 0011")
    set_cell(s, "患者", 2, "监护人电话", 13900000012)
    set_cell(s, "人员", 3, "手机号", "１３９００００００03")
    set_cell(s, "村社区", 1, "负责人电话", "0827-5211234")
    # yes/no variants; numbers typed as text and full-width; an alignment space in a name
    set_cell(s, "患者", 1, "免费服药", "Y")
    set_cell(s, "患者", 2, "免费服药", "×")
    set_cell(s, "患者", 1, "已录入公安库", "√")
    set_cell(s, "住院记录", 1, "出院信息已接收", 0)
    set_cell(s, "随访规则", 1, "随访间隔天数", "14")
    set_cell(s, "随访记录", 2, "危险性", "０")
    set_cell(s, "患者", 1, "监护人", "甘 秋禾")
    # headers with stray spaces and a full-width space, a sheet name with a trailing space
    s["随访记录"][0][2] = "  随访形式 "
    s["患者"][0][3] = "身份证号\u3000"
    s["患者 "] = s.pop("患者")
    # columns in another order, an extra column, blank rows and a row of spaces
    s["村社区"] = [list(reversed(row)) for row in s["村社区"]]
    set_cell(s, "随访记录", 1, "核对情况", "已核对")
    s["随访记录"].insert(2, [None] * 9)
    s["随访记录"].append(["  ", None, "\t"])
    return s


def every_list_sheets() -> dict:
    """valid_sheets() plus a case for every overdue list (worked by hand in tests/test_overdue_cli.py)."""
    s = valid_sheets()
    pat = s["患者"]
    header = pat[0]

    def patient(**cells):
        pat.append([cells.get(h) for h in header])

    common = dict(性别="男", 现住村社区="禾苗村", 诊断="精神分裂症", 帮扶小组编号="G01", 监护人="柏守一", 监护人关系="父母",
                  监护人电话="13900000021")
    patient(患者编号="P004", 姓名="柏清和", 身份证号=make_id("110101", date(1970, 2, 3), 11, True), 纳入管理日期=datetime(2024, 1, 1),
            在管状态="在家居住", 免费服药="是", 已录入公安库="否", **common)
    patient(患者编号="P005", 姓名="柏清远", 性别="男", 现住村社区="禾苗村", 诊断="精神分裂症", 纳入管理日期=datetime(2022, 1, 1),
            在管状态="下落不明")
    patient(患者编号="P006", 姓名="柏清川", 身份证号=make_id("110101", date(1972, 4, 5), 13, True), 纳入管理日期=datetime(2025, 6, 1),
            在管状态="在家居住", **common)
    patient(患者编号="P007", 姓名="柏清岚", 性别="女", 现住村社区="溪口社区", 诊断="待诊断", 纳入管理日期=datetime(2025, 5, 1),
            在管状态="住院治疗")
    header.append("户籍村社区")
    for row in pat[1:]:
        row.append("溪口社区" if row[0] == "P006" else None)
    f = s["随访记录"]
    f += [
        ["P004", datetime(2025, 6, 10), "电话", "骆思源", 4, "不稳定", "规律", None, None],
        ["P004", datetime(2024, 12, 1), "家庭访视", "骆思源、计承远", 2, "基本稳定", "规律", None, None],
        ["P006", datetime(2025, 6, 5), "家庭访视", "骆思源、计承远", 0, "稳定", "规律", None, None],
        ["P002", datetime(2024, 12, 1), "家庭访视", "闵若川", 0, "稳定", "规律", None, None],
    ]
    s["住院记录"] += [["P004", datetime(2025, 5, 1), datetime(2025, 6, 1), "县精神卫生中心", "自愿", "是"],
                    ["P006", datetime(2025, 6, 6), datetime(2025, 6, 10), "县精神卫生中心", "自愿", "是"]]
    s["协议"] += [["P004", "监护协议", datetime(2024, 1, 5), None, None],
                ["P004", "以奖代补协议", datetime(2024, 6, 1), None, 2000],
                ["P006", "监护协议", datetime(2025, 6, 1), None, None]]
    # v2 lists
    s["基本设置"].append(["主动搜索间隔天数", 31, None])
    next(row for row in f if row[0] == "P006")[8] = datetime(2025, 7, 3)  # P006's agreed next visit: within the week
    f.append(["P005", datetime(2025, 6, 20), "家庭访视", "骆思源、计承远", None, "未访到", None, "走失", None])
    s["事件记录"].append(["P001", datetime(2025, 4, 2), "肇事肇祸", None, "民警到场处置", "是", None])
    s["工作会议"] = [s["工作会议"][0], [datetime(2025, 3, 1), "例会", "骆思源", None],
                   [datetime(2025, 6, 15), "信息交换", "骆思源、闵若川", None]]
    s["排查记录"][2][1] = datetime(2024, 12, 1)
    s["排查记录"].append(["溪口社区", datetime(2025, 5, 20), "主动搜索", "聂冬晴", 0, None])
    return s


if __name__ == "__main__":
    out = write_sheets(Path(sys.argv[1] if len(sys.argv) > 1 else "test-workbook.xlsx"), valid_sheets())
    print(out)
