"""The sample's deliberate cases: a few patients, groups and rows changed so that every overdue list has someone
on it, and the realistic (still unambiguous) mess of township workbooks.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Callable

from generator.contract.vocab import OUTSIDE
from generator.sample.histories import SAMPLE_AS_OF, Builder, P, interval


def drop(b: Builder, sheet: str, pid: str, keep) -> None:
    """Remove a patient's rows of a sheet that keep() rejects."""
    b.rows[sheet] = [r for r in b.rows[sheet] if r.get("患者编号") != pid or keep(r)]


def plant_cases(b: Builder, plist: list[P]) -> None:
    """Make every overdue list non-empty with a few deliberate cases, spread over the villages."""
    home = [p for p in plist if p.at_home and p.row["诊断"] != "待诊断"]
    n = max(2, len(home) // 60)
    take = _picker(home[1::max(1, len(home) // (9 * n + 1))] + home, n)
    for plant in PATIENT_CASES:
        for k, p in enumerate(take()):
            plant(b, p, k)
    _plant_cross_village(b, plist, n)
    _plant_silent_groups(b, n)


def _picker(candidates: list[P], n: int) -> Callable[[], list[P]]:
    """Hands out n patients at a time that no earlier case has taken."""
    chosen = iter(candidates)

    def take() -> list[P]:
        picked: list[P] = []
        while len(picked) < n:
            p = next(chosen)
            if p not in picked and not getattr(p, "planted", False):
                p.planted = True  # type: ignore[attr-defined]
                picked.append(p)
        return picked
    return take


def _followup_overdue(b: Builder, p: P, k: int) -> None:
    cutoff = SAMPLE_AS_OF - timedelta(days=interval(p.profile)[0] + b.rng.randrange(5, 40))
    drop(b, "随访记录", p.id, lambda r: r["随访日期"] <= cutoff)
    drop(b, "住院记录", p.id, lambda r: False)
    for r in b.rows["随访记录"]:
        if r["患者编号"] == p.id:
            r.pop("下次随访日期", None)


def _assessment_overdue(b: Builder, p: P, k: int) -> None:
    cutoff = SAMPLE_AS_OF - timedelta(days=interval(p.profile)[1] + b.rng.randrange(10, 60))
    drop(b, "危险性评估", p.id, lambda r: r["评估日期"] <= cutoff)


def _check_overdue(b: Builder, p: P, k: int) -> None:
    drop(b, "健康体检", p.id, lambda r: r["体检日期"] <= SAMPLE_AS_OF - timedelta(days=400))


def _high_risk_at_home(b: Builder, p: P, k: int) -> None:
    """The first seen by phone only for half a year; the second not in the police database."""
    a = SAMPLE_AS_OF
    last = a - timedelta(days=3)
    drop(b, "随访记录", p.id, lambda r: r["随访日期"] < a - timedelta(days=200))
    form = "电话" if k == 0 else "家庭访视"
    if k == 0:
        for r in b.rows["随访记录"]:
            if r["患者编号"] == p.id:
                r["随访形式"] = "电话"
    b.add("随访记录", 患者编号=p.id, 随访日期=last, 随访形式=form, 随访人员="、".join(p.members), 危险性=4, 病情分类="不稳定",
          用药依从性="间断", 下次随访日期=last + timedelta(days=14))
    b.add("危险性评估", 患者编号=p.id, 评估日期=last, 危险性=4, 评估机构="县精神卫生中心")
    if k == 1:
        p.row["已录入公安库"] = False


def _discharged_unvisited(b: Builder, p: P, k: int) -> None:
    out = SAMPLE_AS_OF - timedelta(days=20 + b.rng.randrange(0, 10))
    drop(b, "随访记录", p.id, lambda r: r["随访日期"] < out - timedelta(days=30))
    # the first hospital's discharge papers (一历五单) never arrived: discharge_info_missing
    b.add("住院记录", 患者编号=p.id, 入院日期=out - timedelta(days=25), 出院日期=out, 医院="县精神卫生中心", 住院方式="非自愿",
          出院信息已接收=k != 0)


def _no_guardian_agreement(b: Builder, p: P, k: int) -> None:
    drop(b, "协议", p.id, lambda r: r["协议类型"] != "监护协议")


def _reward_lapsed(b: Builder, p: P, k: int) -> None:
    drop(b, "协议", p.id, lambda r: r["协议类型"] != "以奖代补协议")
    signed = SAMPLE_AS_OF - timedelta(days=400 + b.rng.randrange(0, 60))
    b.add("协议", 患者编号=p.id, 协议类型="以奖代补协议", 签订日期=signed, 年度金额=2000)


def _consent_unsigned(b: Builder, p: P, k: int) -> None:
    p.row["免费服药"] = True
    drop(b, "协议", p.id, lambda r: r["协议类型"] != "免费服药告知书")


def _not_reached(b: Builder, p: P, day, reason: str, note: str) -> None:
    b.add("随访记录", 患者编号=p.id, 随访日期=day, 随访形式="家庭访视", 随访人员="、".join(p.members), 病情分类="未访到",
          失访原因=reason, 备注=note)


def _lost_contact(b: Builder, p: P, k: int) -> None:
    """Not reached three times running over the last six weeks (连续未访到次数 3): lost_contact_suspected."""
    first = SAMPLE_AS_OF - timedelta(days=40 + b.rng.randrange(0, 10))
    drop(b, "随访记录", p.id, lambda r: r["随访日期"] < first)
    for gap in (0, 14, 28):
        _not_reached(b, p, first + timedelta(days=gap), "其他", "家中无人，邻居不知去向")


def _refused(b: Builder, p: P, k: int) -> None:
    """Refused the latest visit; records.py reports every refusal but the first (refusal_unreported)."""
    day = SAMPLE_AS_OF - timedelta(days=5 + b.rng.randrange(0, 20))
    drop(b, "随访记录", p.id, lambda r: r["随访日期"] < day)
    _not_reached(b, p, day, "拒绝随访", "家属拒绝入户")


# every planted case, by the list it feeds; each takes a few at-home patients
PATIENT_CASES = (_followup_overdue, _assessment_overdue, _check_overdue, _high_risk_at_home, _discharged_unvisited,
                 _no_guardian_agreement, _reward_lapsed, _consent_unsigned, _lost_contact, _refused)


def _plant_cross_village(b: Builder, plist: list[P], n: int) -> None:
    """Patients registered in another village, or outside the township."""
    others = [p for p in plist if p.row["在管状态"] not in ("死亡", "迁出")]
    villages = [r["名称"] for r in b.rows["村社区"]]
    for k, p in enumerate(others[2::max(1, len(others) // (3 * n))][: 3 * n]):
        here = villages.index(p.row["现住村社区"])
        p.row["户籍村社区"] = OUTSIDE if k % 3 == 2 else villages[(here + 1) % len(villages)]


def _plant_silent_groups(b: Builder, n: int) -> None:
    """Care groups that stopped meeting, and one that never met."""
    a = SAMPLE_AS_OF
    groups = b.rows["帮扶小组"]
    for g in groups[3::max(1, len(groups) // (2 * n))][:n]:
        b.rows["小组会议"] = [m for m in b.rows["小组会议"] if m["小组编号"] != g["小组编号"] or m["会议日期"] < a - timedelta(days=75)]
    never = groups[len(groups) // 2]
    b.rows["小组会议"] = [m for m in b.rows["小组会议"] if m["小组编号"] != never["小组编号"]]


def add_mess(b: Builder, plist: list[P]) -> None:
    """The realistic mess township workbooks have, all of it still unambiguous (so the sample stays valid)."""
    visits = b.rows["随访记录"]
    for r, spell in zip(visits[:5], ("{:%Y-%m-%d}", "{0.year}/{0.month}/{0.day}", "{0.year}.{0.month}.{0.day}",
                                     "{0.year}年{0.month}月{0.day}日", "{:%Y%m%d}")):
        r["随访日期"] = spell.format(r["随访日期"])
    for r in visits[5:400:40]:
        r["核对情况"] = "已核对"
    for r in visits[7:300:60]:
        if "危险性" in r:
            r["危险性"] = str(r["危险性"])
    with_x = next((p for p in plist if (p.row.get("身份证号") or "").endswith("X")), None)
    if with_x:
        with_x.row["身份证号"] = with_x.row["身份证号"].lower()
    guardians = [p for p in plist if p.row.get("监护人电话")]
    phone = guardians[0].row["监护人电话"]
    guardians[0].row["监护人电话"] = f"+86 {phone[:3]} {phone[3:7]} {phone[7:]}"
    guardians[1].row["监护人"] = guardians[1].row["监护人"][0] + " " + guardians[1].row["监护人"][1:]
    staff = b.rows["人员"][2]
    staff["手机号"] = staff["手机号"].translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    for p, word in zip(plist[1:12:3], ("Y", "√", "1", "N")):
        p.row["精神残疾证"] = word
    b.rows["患者"].insert(len(b.rows["患者"]) // 2, {})
