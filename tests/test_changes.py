"""The 变化 page: two builds of workbooks that differ by known edits, the encrypted state between them, and the
stale-data warning."""

from __future__ import annotations

import json
import shutil
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from generator.derive.changes import compare
from generator.site.statefile import STATE_FILE, StateUnreadable, read_state, seal, unseal
from tests.browsing import unlock
from tests.commands import PASSWORD, assert_no_leaks, run, text, verify
from tests.workbooks import ID_1, make_id, set_cell, valid_sheets, write_sheets

OTHER_PASSWORD = "Another-Test-Pass-2025"


def state(patients: dict, lists: dict, as_of: str = "2025-06-30") -> dict:
    return {"version": 1, "as_of": as_of, "patients": patients, "lists": lists}


def test_compare_names_each_kind_of_change():
    before = state({"P1": ["在家居住", 1], "P2": ["在家居住", 0], "P3": ["住院治疗", 3], "P9": ["迁出", None]},
                   {"followup_overdue": ["P1", "P2"], "too_few_visitors": ["P1@2025-05-20"]}, "2025-05-31")
    now = state({"P1": ["在家居住", 3], "P2": ["外出务工", 0], "P3": ["死亡", 3], "P4": ["在家居住", None]},
                {"followup_overdue": ["P2", "P4"], "too_few_visitors": ["P1@2025-05-20"], "missing": ["P2"]})
    found = compare(before, now)
    assert found.since == "2025-05-31"
    assert (found.added, found.removed, found.closed) == (["P4"], ["P9"], ["P3"])
    assert found.status == [("P2", "在家居住", "外出务工"), ("P3", "住院治疗", "死亡")]
    assert found.risk == [("P1", 1, 3)]
    assert found.lists == {"followup_overdue": (["P4"], ["P1"]), "too_few_visitors": ([], []), "missing": (["P2"], [])}
    assert compare(now, now).empty


def test_state_file_opens_only_with_its_password_and_holds_no_plaintext(tmp_path):
    sealed = seal(state({"P001": ["在家居住", 2]}, {"followup_overdue": ["P001"]}), PASSWORD)
    assert unseal(sealed, PASSWORD)["patients"] == {"P001": ["在家居住", 2]}
    assert "P001" not in sealed and "在家" not in sealed and sealed.isascii()
    with pytest.raises(StateUnreadable):
        unseal(sealed, OTHER_PASSWORD)
    (tmp_path / STATE_FILE).write_text(sealed[:-8] + "AAAAAAAA", encoding="ascii")  # damaged
    assert read_state(tmp_path, PASSWORD) is None
    assert read_state(tmp_path / "missing", PASSWORD) is None


def edited_sheets() -> dict:
    """valid_sheets() with five edits: P004 added, P003 died, P002 moved away for work, P001's risk raised to 2 by an
    assessment, and a follow-up of P001 that clears P001's overdue follow-up."""
    s = valid_sheets()
    header = s["患者"][0]
    new = dict(患者编号="P004", 姓名="尤望川", 性别="男", 身份证号=make_id("110101", date(1966, 3, 4), 21, True),
               现住村社区="溪口社区", 现住址="溪口社区9栋1号", 诊断="精神分裂症", 纳入管理日期=datetime(2025, 6, 28),
               在管状态="在家居住", 帮扶小组编号="G02", 监护人="尤守拙", 监护人关系="父母", 监护人电话="13900000031")
    s["患者"].append([new.get(h) for h in header])
    set_cell(s, "患者", 3, "在管状态", "死亡")
    set_cell(s, "患者", 3, "死亡日期", datetime(2025, 6, 20))
    set_cell(s, "患者", 2, "在管状态", "外出务工")
    s["随访记录"].append(["P001", datetime(2025, 6, 25), "家庭访视", "骆思源、计承远", 1, "基本稳定", "规律", None, None])
    s["危险性评估"].append(["P001", datetime(2025, 6, 26), 2, "县精神卫生中心", "骆思源"])
    return s


@pytest.fixture(scope="module")
def two_builds(tmp_path_factory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("changes")
    first = write_sheets(folder / "before" / "台账.xlsx", valid_sheets())
    out = folder / "site"
    assert run("build", str(first), "--out", str(out)).returncode == 0
    assert (out / STATE_FILE).is_file()
    second = write_sheets(folder / "台账.xlsx", edited_sheets())
    result = run("build", str(second), "--out", str(out))
    assert result.returncode == 0, text(result.stderr)
    assert_no_leaks(second, out)
    assert_no_leaks(first, out)  # the state file holds nothing of the first workbook either
    return second, out


def page_lines(page, site: Path, rel: str, password: str = PASSWORD) -> list[str]:
    """The unlocked page's text, line by line (blank lines left out)."""
    page.goto((site / rel).as_uri())
    unlock(page, password)
    return [line for line in page.locator("article").inner_text().splitlines() if line.strip()]


EXPECTED = """\
新增患者（1）
编号	姓名	村社区	在管状态
P004	尤望川	溪口社区	在家居住
结案或移出（1）
编号	姓名	村社区	变化
P003	车怀瑾	禾苗村	住院治疗 → 死亡
在管状态变化（2）
编号	姓名	村社区	原状态	现状态
P002	简雨桐	溪口社区	在家居住	外出务工
P003	车怀瑾	禾苗村	住院治疗	死亡
危险性变化（1）
编号	姓名	村社区	原危险性	现危险性	
P001	甘望舒	禾苗村	1 级	2 级	升高
清单变化（8）
清单	新增	已消除
随访逾期	0	1
评估逾期	0	2
体检逾期	0	1
未签监护协议	1	1
高风险未录入公安库	0	1
失访/下落不明	1	0
未签以奖代补协议（逐人台账）	1	1
高风险患者底册	0	1
随访逾期
新增：无
已消除：P001 甘望舒
评估逾期
新增：无
已消除：P001 甘望舒、P002 简雨桐
体检逾期
新增：无
已消除：P002 简雨桐
未签监护协议
新增：P004 尤望川
已消除：P002 简雨桐
高风险未录入公安库
新增：无
已消除：P003 车怀瑾
失访/下落不明
新增：P002 简雨桐
已消除：无
未签以奖代补协议（逐人台账）
新增：P004 尤望川
已消除：P002 简雨桐
高风险患者底册
新增：无
已消除：P003 车怀瑾（2025-06-01）"""


def test_second_build_shows_exactly_the_edits(two_builds, page):
    _, site = two_builds
    shown = page_lines(page, site, "changes.html")
    # the follow-up cleared P001's overdue follow-up, the assessment its overdue assessment; P002 away from home
    # left the at-home lists for 失访; P003's death took it off the police lists; P004 at home lacks agreements
    assert shown[1] == ("与上次生成的网站（数据截至 2025-06-30）相比，这次（数据截至 2025-06-30）的变化。每次生成网站时，"
                    "都把每个患者的编号、在管状态、危险性和各清单的条目（只有编号，没有姓名）用乡镇密码加密保存在网站文件夹里，"
                    "下次生成时与新台账比较。")
    assert shown[2:] == EXPECTED.splitlines()


def test_state_file_is_ciphertext_with_codes_only(two_builds, tmp_path):
    workbook, site = two_builds
    sealed = (site / STATE_FILE).read_bytes()
    assert sealed.isascii() and b"P00" not in sealed and b"{" not in sealed
    kept = read_state(site, PASSWORD)
    assert sorted(kept["patients"]) == ["P001", "P002", "P003", "P004"]
    plain = json.dumps(kept, ensure_ascii=False)
    for name in ("甘望舒", "简雨桐", "车怀瑾", "尤望川", "甘秋禾", ID_1, "13900000011", "禾苗村2组8号"):
        assert name not in plain
    assert STATE_FILE in json.loads((site / ".jingfang-build.json").read_text(encoding="utf-8"))["files"]
    copy = shutil.copytree(site, tmp_path / "copy")
    (copy / STATE_FILE).write_text(plain, encoding="utf-8")  # a state file in plaintext fails the gate
    result = verify(workbook, copy)
    assert result.returncode == 1 and f"未加密的页面：{STATE_FILE}" in text(result.stdout)


def test_stale_warning_then_changed_password_cannot_compare(tmp_path, page):
    workbook = write_sheets(tmp_path / "台账.xlsx", valid_sheets())
    out = tmp_path / "site"
    old = date.today() - timedelta(days=30)
    result = run("build", str(workbook), "--out", str(out), "--as-of", old.isoformat())
    assert result.returncode == 0, text(result.stderr)
    warning = f"数据截至 {old.isoformat()}，已过去 30 天，清单可能不全：请更新台账后重新生成"
    assert f"警告：{warning}。" in text(result.stderr).splitlines()
    for rel in ("index.html", "trends.html", "patients/P001.html"):
        assert f'<p class="jf-stale" role="alert">{warning}</p>' in (out / rel).read_text(encoding="utf-8")
    fresh = date.today() - timedelta(days=7)  # 7 days is not more than 数据过期提醒天数 (default 7)
    result = run("build", str(workbook), "--out", str(out), "--as-of", fresh.isoformat(), password=OTHER_PASSWORD)
    assert result.returncode == 0, text(result.stderr)
    assert "已过去" not in text(result.stderr) and "jf-stale" not in (out / "index.html").read_text(encoding="utf-8")
    shown = page_lines(page, out, "changes.html", OTHER_PASSWORD)
    assert shown[:2] == ["变化", "无法比较（首次生成或密码已更换）。"]
