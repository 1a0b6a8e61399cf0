"""The sample workbook's v2 work records: meetings, screenings, incidents, notifications, sensitive periods, roll calls.

Written after the patients' histories and planted cases (histories.py, planted.py), so the notifications and roll calls follow
what the history says (who is high-risk now, when they rose, who went away); a few are left out on purpose so every
v2 list has something on it. Deterministic: the only randomness is the builder's seeded generator.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from generator.derive.history import Observation, rise_date
from generator.contract.vocab import (CLOSED_STATUSES, DEAD, HIGH_RISK_SCOPE, MOVE_LOSS_REASONS, NOT_REACHED, NOTICE_KINDS,
                                      REFUSED, SCREENING_KINDS, SERIOUS_INCIDENT, WANDERED)

if TYPE_CHECKING:
    from generator.sample.histories import Builder, P

HIGH = 3  # the sample keeps the default 高风险等级
PERIODS = (("春节", date(2026, 2, 16), date(2026, 2, 22), HIGH_RISK_SCOPE), ("全国两会", date(2026, 3, 4), date(2026, 3, 11), HIGH_RISK_SCOPE),
           ("中秋", date(2026, 9, 25), date(2026, 9, 27), HIGH_RISK_SCOPE), ("国庆", date(2026, 10, 1), date(2026, 10, 7), "全部在家"))
SETTINGS = {"主动搜索间隔天数": 31, "高风险底册起始日期": date(2024, 1, 1)}


def write_records(b: Builder, plist: list[P], a: date) -> None:
    """Every v2 sheet of the sample, and the v2 columns of 患者 and 随访记录."""
    _work_meetings(b, a)
    _screenings(b, a)
    _incidents(b, plist, a)
    rows = _rows_by_patient(b)
    _notices(b, plist, rows, a)
    _roll_calls(b, plist, rows, a)
    _deaths(b, plist, rows, a)
    _last_month(b, plist, rows, a)
    _followup_details(b)


def _work_meetings(b: Builder, a: date) -> None:
    """Quarterly 例会 that stopped a little over 100 days ago (so the list shows it), monthly 信息交换."""
    leaders = [r["姓名"] for r in b.rows["领导小组"]]
    day = a - timedelta(days=730)
    while day <= a - timedelta(days=100):
        b.add("工作会议", 会议日期=day, 会议类型="例会", 参会人员="、".join(leaders), 议定事项="通报本季度患者管理情况，部署下季度工作")
        day += timedelta(days=91)
    b.add("工作会议", 会议日期=a - timedelta(days=400), 会议类型="联席会议", 参会人员="、".join(leaders[:4]), 议定事项="研判高风险患者")
    day = a - timedelta(days=360)
    while day <= a:
        b.add("工作会议", 会议日期=day, 会议类型="信息交换", 参会人员="、".join(leaders[2:5]), 议定事项="交换新增、出院、失访信息")
        day += timedelta(days=30)


def _screenings(b: Builder, a: date) -> None:
    """Each village: a 集中排查 about every 175 days, a 主动搜索 every 30; one village late for each."""
    villages = [r["名称"] for r in b.rows["村社区"]]
    doctor = next(r["姓名"] for r in b.rows["人员"] if r["职务"] == "精防医生")
    for k, (village, head) in enumerate(zip(villages, (r["负责人"] for r in b.rows["村社区"]))):
        people = f"{head}、{doctor}"
        last_campaign = a - timedelta(days=200 if k == len(villages) // 2 else 0)
        day = a - timedelta(days=700 - k)
        while day <= last_campaign:
            b.add("排查记录", 村社区=village, 排查日期=day, 排查类型=SCREENING_KINDS["campaign"], 排查人员=people,
                  发现疑似人数=b.rng.choice((0, 0, 0, 1)))
            day += timedelta(days=175)
        last_search = a - timedelta(days=45 if k == 0 else 0)
        day = a - timedelta(days=365 - k % 5)
        while day <= last_search:
            b.add("排查记录", 村社区=village, 排查日期=day, 排查类型=SCREENING_KINDS["search"], 排查人员=head, 发现疑似人数=0)
            day += timedelta(days=30)
        b.add("排查记录", 村社区=village, 排查日期=a - timedelta(days=90 + k), 排查类型="动态排查", 排查人员=people,
              发现疑似人数=0, 备注="结合入户走访")


def _in_force_reward(b: Builder, pid: str, a: date) -> dict[str, Any] | None:
    return next((g for g in b.rows["协议"] if g["患者编号"] == pid and g["协议类型"] == "以奖代补协议"
                 and g["签订日期"] <= a <= g.get("到期日期", date.min)), None)


def _incidents(b: Builder, plist: list[P], a: date) -> None:
    """A 肇事肇祸 inside a reward year (voids it), a 轻微滋事 inside another (does not), 走失 for the missing."""
    rewarded = [(p, g) for p in plist if p.at_home and not getattr(p, "planted", False)
                for g in [_in_force_reward(b, p.id, a)] if g]
    n = max(1, len(plist) // 60)
    for p, g in rewarded[:n]:
        day = g["签订日期"] + timedelta(days=b.rng.randrange(0, max(1, (a - g["签订日期"]).days - 30)))
        b.add("事件记录", 患者编号=p.id, 发生日期=day, 事件类型=SERIOUS_INCIDENT, 危险性=3, 处置="民警、村医到场，送医诊治",
              已报告派出所=True)
    for p, g in rewarded[n:2 * n]:
        b.add("事件记录", 患者编号=p.id, 发生日期=max(g["签订日期"], a - timedelta(days=20)), 事件类型="轻微滋事", 危险性=1,
              处置="网格员劝导", 已报告派出所=False)
    for p in plist:
        if p.row["在管状态"] == "下落不明":
            attempts = [r["随访日期"] for r in b.rows["随访记录"] if r["患者编号"] == p.id]
            day = min(a, max(attempts, default=p.enrolled) + timedelta(days=3))
            b.add("事件记录", 患者编号=p.id, 发生日期=day, 事件类型=WANDERED, 处置="派出所协查", 已报告派出所=True)


def _rows_by_patient(b: Builder) -> dict[str, dict[str, list[dict[str, Any]]]]:
    found: dict[str, dict[str, list[dict[str, Any]]]] = defaultdict(lambda: defaultdict(list))
    for sheet in ("随访记录", "危险性评估", "事件记录", "住院记录", "健康体检"):
        for r in b.rows[sheet]:
            found[r["患者编号"]][sheet].append(r)
    return found


def _observations(rows: dict[str, list[dict[str, Any]]]) -> list[Observation]:
    found = [Observation(r["随访日期"], 0, r["危险性"]) for r in rows["随访记录"] if r["病情分类"] != NOT_REACHED]
    found += [Observation(r["发生日期"], 1, r["危险性"]) for r in rows["事件记录"] if "危险性" in r]
    found += [Observation(r["评估日期"], 2, r["危险性"]) for r in rows["危险性评估"]]
    return sorted(found)


def _notices(b: Builder, plist: list[P], rows: dict, a: date) -> None:
    """Reports of rises to high risk, of absences and of cross-village patients — the first of each left out."""
    skipped: set[str] = set()

    def report(p: P, kind: str, day: date, to: str) -> None:
        if kind not in skipped:
            skipped.add(kind)  # the first case of each kind stays unreported
            return
        b.add("通报记录", 患者编号=p.id, 通报日期=min(a, day + timedelta(days=b.rng.randrange(0, 2))), 通报类型=kind, 通报对象=to)

    for p in plist:
        if p.row["在管状态"] in CLOSED_STATUSES:
            continue
        mine = rows[p.id]
        rise = rise_date(_observations(mine), HIGH)
        if rise:
            report(p, NOTICE_KINDS["high_risk"], rise, "平安办、派出所")
        left = [r["随访日期"] for r in mine["随访记录"] if r["病情分类"] == NOT_REACHED and r.get("失访原因") in MOVE_LOSS_REASONS]
        left += [r["发生日期"] for r in mine["事件记录"] if r["事件类型"] == WANDERED]
        if left:
            report(p, NOTICE_KINDS["move"], max(left), "派出所")
        refused = [r["随访日期"] for r in mine["随访记录"] if r.get("失访原因") == REFUSED]
        if refused:
            report(p, NOTICE_KINDS["refusal"], max(refused), "派出所、平安办")
        if p.row.get("户籍村社区") not in (None, p.row["现住村社区"]):
            report(p, NOTICE_KINDS["cross_village"], p.enrolled + timedelta(days=7), f"户籍地{p.row['户籍村社区']}")
        for stay in mine["住院记录"][:1]:
            if "出院日期" in stay:
                b.add("通报记录", 患者编号=p.id, 通报日期=stay["出院日期"], 通报类型="出院衔接", 通报对象="卫生院")


def _roll_calls(b: Builder, plist: list[P], rows: dict, a: date) -> None:
    """The periods, and a roll call each day for each high-risk patient at home — but for one missed day."""
    for name, start, end, scope in PERIODS:
        b.add("敏感时期", 名称=name, 开始日期=start, 结束日期=end, 点名范围=scope)
    days = sorted({start + timedelta(days=k) for _, start, end, scope in PERIODS if scope == HIGH_RISK_SCOPE
                   for k in range((min(end, a - timedelta(days=1)) - start).days + 1)})
    high = [p for p in plist if p.at_home and (seen := _observations(rows[p.id])) and seen[-1].risk >= HIGH]
    for n, p in enumerate(high):
        for day in days[:-1] if n == 0 else days:
            b.add("点名记录", 患者编号=p.id, 点名日期=day, 点名人=p.members[0],
                  情况="异常" if b.rng.random() < 0.03 else "正常")


def _deaths(b: Builder, plist: list[P], rows: dict, a: date) -> None:
    for p in plist:
        if p.row["在管状态"] == DEAD:
            dated = [r["随访日期"] for r in rows[p.id]["随访记录"]] + [r["评估日期"] for r in rows[p.id]["危险性评估"]]
            p.row["死亡日期"] = min(a, max(dated, default=p.enrolled) + timedelta(days=b.rng.randrange(3, 30)))
            p.row["死亡原因"] = b.rng.choice(("心脑血管疾病", "恶性肿瘤", "意外伤害", "其他疾病"))


def _last_month(b: Builder, plist: list[P], rows: dict, a: date) -> None:
    """Records in the month before the as-of date, so the sample's 月度信息交换通报 has something in each part: a death,
    a 轻微滋事 (no 危险性: it changes no list) and an 其他 notification."""
    first = (a.replace(day=1) - timedelta(days=1)).replace(day=1)
    for p in plist:
        dated = [r["随访日期"] for r in rows[p.id]["随访记录"]] + [r["评估日期"] for r in rows[p.id]["危险性评估"]]
        if p.row["在管状态"] == DEAD and max(dated, default=p.enrolled) < first:
            p.row["死亡日期"] = first + timedelta(days=11)
            break
    home = [p for p in plist if p.at_home and not getattr(p, "planted", False)]
    if home:
        b.add("事件记录", 患者编号=home[-1].id, 发生日期=first + timedelta(days=16), 事件类型="轻微滋事",
              处置="村干部、网格员到场劝导", 已报告派出所=True)
        b.add("通报记录", 患者编号=home[-1].id, 通报日期=first + timedelta(days=17), 通报类型="其他", 通报对象="派出所",
              备注="通报轻微滋事及处置情况")


def _followup_details(b: Builder) -> None:
    """The national form's optional columns, consistent with each visit's class and form."""
    insight = {"稳定": "完全", "基本稳定": "不全", "不稳定": "缺失"}
    for r in b.rows["随访记录"]:
        if r["病情分类"] == NOT_REACHED:
            r["转归"] = "暂时失访"
            continue
        r |= {"随访对象": "家属监护人" if r["随访形式"] == "电话" else "患者本人", "自知力": insight[r["病情分类"]],
              "关锁情况": "无关锁", "药物不良反应": "有" if b.rng.random() < 0.05 else "无", "转归": "继续随访"}
