"""Roster files as other tools write them, built in code: an old 台账 with a merged title row and a 合计 row.

Run ``python tests/rosters.py OUT_DIR`` to dump them. Every name and number is made up.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

from openpyxl import Workbook

from generator.contract.values import id_check_char


def make_id(first17: str) -> str:
    """A synthetic 18-digit ID with a valid check character."""
    return first17 + id_check_char(first17)


ID_A = make_id("51099919800101001")  # odd 17th digit: 男
ID_B = make_id("51099919750315002")
OLD_ID = "510999820704003"  # 15 digits: 1982-07-04
TITLE = "某某镇严重精神障碍患者管理台账（2024年）"
HEADERS = ["序号", "患者姓名", "性 别", "身份证号码*", "出生年月", "所属村（社区）", "疾病名称", "危险等级",
           "管理状态", "监护人姓名", "联系电话", "病史"]
ROWS = [
    [1, "张 三", "男", ID_A, "1980-01-01", "青山村", "精神分裂", "3级", "在家", "张大", "13800000001", "10年"],
    [2, "李四", "女", ID_B.replace("0", "０"), "1975/3/15", "绿水村", "双相", "三级", "住院", "", "", ""],
    [3, "王五", "男", OLD_ID, "1982年7月4日", "青山村", "强迫症", "高", "失联", "王大", "", "5年"],
]


def write_ledger_xlsx(path: Path) -> Path:
    """An old 台账 as openpyxl writes it: a merged title row, a blank row, the table, a blank row and a 合计 row."""
    wb = Workbook()
    ws = wb.active
    ws.title = "台账"
    ws.append([TITLE])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADERS))
    ws.append([])
    ws.append(HEADERS)
    for row in ROWS[:2]:
        ws.append(row)
    ws.append([])
    ws.append(ROWS[2])
    ws.append(["合计", "3人"])
    wb.save(path)
    return path


def write_ledger_csv(path: Path, encoding: str) -> Path:
    """The same table as a .csv (title row and 合计 row included) in encoding (utf-8-sig, gbk)."""
    with open(path, "w", encoding=encoding, newline="") as file:
        writer = csv.writer(file)
        writer.writerow([TITLE])
        writer.writerow(HEADERS)
        for row in ROWS:
            writer.writerow(row)
        writer.writerow(["合计", "3人"])
    return path


def write_roster_xlsx(path: Path, headers: list[str], rows: list[list], title: str | None = None) -> Path:
    """Any roster as one sheet: an optional title row, the headers, the rows (row numbers follow from these)."""
    wb = Workbook()
    ws = wb.active
    ws.title = "名单"
    if title:
        ws.append([title])
    ws.append(headers)
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


if __name__ == "__main__":
    out = Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    write_ledger_xlsx(out / "台账.xlsx")
    write_ledger_csv(out / "台账-gbk.csv", "gbk")
    write_ledger_csv(out / "台账-bom.csv", "utf-8-sig")
