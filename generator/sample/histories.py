"""The sample's patients, their care groups and up to five years of history (follow-ups, assessments, checks,
agreements, stays), collected sheet by sheet on a Builder. Deterministic: the only randomness is the builder's seeded
generator, drawn in a fixed order.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from generator.contract import schema
from generator.sample.people import SURNAMES, People, pick

SAMPLE_AS_OF = date(2026, 9, 30)
DIAGNOSES = (("精神分裂症", 60), ("双相情感障碍", 12), ("精神发育迟滞伴发精神障碍", 8), ("偏执性精神病", 6),
             ("癫痫所致精神障碍", 6), ("分裂情感性障碍", 5), ("其他", 3))
STATUSES = (("在家居住", 82), ("住院治疗", 7), ("外出务工", 3), ("下落不明", 2), ("羁押服刑", 1), ("强制隔离戒毒", 1),
            ("死亡", 2), ("迁出", 2))
PROFILES = (("稳定", 68), ("基本稳定", 26), ("不稳定", 6))
HISTORY_YEARS = 5
FORCED_STATUS = {5: "下落不明", 11: "外出务工", 23: "住院治疗", 31: "死亡"}  # so even a small sample has each


@dataclass
class Builder:
    """Accumulates the rows of every sheet."""

    patients: int
    rng: random.Random
    people: People
    rows: dict[str, list[dict[str, Any]]] = field(default_factory=lambda: {s.name: [] for s in schema.SHEETS[2:]})

    def add(self, sheet: str, **cells: Any) -> dict[str, Any]:
        row = {k: v for k, v in cells.items() if v is not None}
        self.rows[sheet].append(row)
        return row

    def staff(self, unit: str, title: str) -> str:
        name = self.people.name()
        self.add("人员", 姓名=name, 单位=unit, 职务=title, 手机号=self.people.phone())
        return name


@dataclass
class P:
    """A patient while being generated: the row plus what the history needs."""

    row: dict[str, Any]
    profile: str
    enrolled: date
    index: int
    members: list[str] = field(default_factory=list)

    @property
    def id(self) -> str:
        return self.row["患者编号"]

    @property
    def at_home(self) -> bool:
        return self.row["在管状态"] == "在家居住"


def make_patient(b: Builder, i: int, villages: list[str]) -> P:
    rng = b.rng
    width = max(3, len(str(b.patients)))
    male = rng.random() < 0.55
    born = date(rng.randrange(1951, 2006), rng.randrange(1, 13), rng.randrange(1, 29))
    village = villages[i % len(villages)]
    status = FORCED_STATUS.get(i) or pick(rng, STATUSES)
    diagnosis = "待诊断" if i % 40 == 17 else pick(rng, DIAGNOSES)
    enrolled = SAMPLE_AS_OF - timedelta(days=rng.randrange(60, 12 * 365))
    surname = rng.choice(SURNAMES)
    row = {
        "患者编号": f"P{i + 1:0{width}d}", "姓名": b.people.name(surname), "性别": "男" if male else "女",
        "身份证号": None if diagnosis == "待诊断" and i % 80 == 17 else b.people.id_number(born, male),
        "现住村社区": village, "现住址": f"{village}{rng.randrange(1, 9)}组{rng.randrange(1, 80)}号",
        "诊断": diagnosis, "确诊日期": None if diagnosis == "待诊断" else enrolled - timedelta(days=rng.randrange(0, 200)),
        "纳入管理日期": enrolled, "在管状态": status,
        "经济状况": pick(rng, (("一般", 50), ("低保", 25), ("低收入", 12), ("特困", 5), ("不详", 8))),
        "精神残疾证": rng.random() < 0.6, "免费服药": rng.random() < 0.42, "已录入卫健库": rng.random() < 0.97,
        "已录入公安库": True, "摸排来源": rng.choice(("曾住院", "残疾证", "评估3级以上", "群众反映", "司法鉴定")),
    }
    if row["身份证号"] is None:
        row["出生日期"] = born
    if status not in ("死亡", "迁出", "下落不明") or rng.random() < 0.5:
        relation = rng.choice(("父母", "配偶", "子女", "兄弟姐妹", "其他亲属"))
        row |= {"监护人": b.people.name(surname if relation != "配偶" else None), "监护人关系": relation,
                "监护人电话": b.people.phone()}
    b.rows["患者"].append(row)
    return P(row, pick(rng, PROFILES), enrolled, i)


def assign_groups(b: Builder, plist: list[P], villages: list[str], heads: dict[str, str], doctors: list[str],
                  police: list[str], civil: list[str], rehab: list[str]) -> None:
    """One group per household for about one patient in ten, village groups of up to eight for the rest."""
    width = max(2, len(str(len(plist) // 5 + len(villages))))
    count = 0
    for p in plist:  # who visits patients outside any group (closed cases): the village head and the doctor
        p.members = [heads[p.row["现住村社区"]], doctors[0], police[0]]

    def new_group(village: str, name: str, founded: date) -> str:
        nonlocal count
        count += 1
        gid = f"G{count:0{width}d}"
        k = count % len(doctors)
        b.add("帮扶小组", 小组编号=gid, 小组名称=name, 所属村社区=village, 组长=heads[village], 成立日期=founded)
        for person, role in ((heads[village], "组长"), (doctors[k], "精防医生"), (police[k % len(police)], "社区民警"),
                             (civil[k % len(civil)], "民政干部"), (rehab[k % len(rehab)], "康复协调员")):
            b.add("小组成员", 小组编号=gid, 姓名=person, 小组角色=role)
        return gid

    for v in villages:
        mine = [p for p in plist if p.row["现住村社区"] == v and p.row["在管状态"] not in ("死亡", "迁出")]
        shared: list[str] = []
        for n, p in enumerate(mine):
            if p.index % 10 == 3:
                gid = new_group(v, f"{p.row['姓名']}户联合服务管理小组", p.enrolled)
            else:
                if not shared or n % 8 == 0:
                    shared.append(new_group(v, f"{v}关爱帮扶{'一二三四五六七八九十'[len(shared) % 10]}组",
                                            SAMPLE_AS_OF - timedelta(days=900 + len(shared))))
                gid = shared[-1]
            p.row["帮扶小组编号"] = gid
            p.members = [heads[v], doctors[count % len(doctors)], police[count % len(police)]]
    members: dict[str, list[str]] = {}
    for m in b.rows["小组成员"]:
        members.setdefault(m["小组编号"], []).append(m["姓名"])
    for g in b.rows["帮扶小组"]:
        day = max(g["成立日期"], SAMPLE_AS_OF - timedelta(days=365 * 2)) + timedelta(days=b.rng.randrange(0, 20))
        while day <= SAMPLE_AS_OF:
            b.add("小组会议", 小组编号=g["小组编号"], 会议日期=day, 参会人员="、".join(members[g["小组编号"]][:4]),
                  内容="研判患者情况，安排随访")
            day += timedelta(days=28)


def interval(profile: str) -> tuple[int, int]:
    """(follow-up, assessment) days of a condition class, as in the default 随访规则."""
    return schema.DEFAULT_INTERVALS[profile]


def risk_for(rng: random.Random, profile: str) -> int:
    if profile == "稳定":
        return 0
    if profile == "基本稳定":
        return rng.choice((1, 1, 2))
    return rng.choice((1, 2, 3, 3, 4))


def write_history(b: Builder, p: P) -> None:
    """Five years (at most) of follow-ups, assessments, checks, agreements and stays, up to date at SAMPLE_AS_OF."""
    rng, status = b.rng, p.row["在管状态"]
    start = max(p.enrolled, SAMPLE_AS_OF - timedelta(days=365 * HISTORY_YEARS))
    end = SAMPLE_AS_OF
    if status in ("死亡", "迁出", "下落不明", "外出务工", "羁押服刑"):
        end = SAMPLE_AS_OF - timedelta(days=rng.randrange(40, 300))
    admitted = None
    if status == "住院治疗":
        admitted = SAMPLE_AS_OF - timedelta(days=rng.randrange(10, 100))
        b.add("住院记录", 患者编号=p.id, 入院日期=max(admitted, p.enrolled), 医院="县精神卫生中心", 住院方式="自愿", 出院信息已接收=False)
    elif rng.random() < 0.12 and (SAMPLE_AS_OF - start).days > 120:
        stay_in = start + timedelta(days=rng.randrange(10, (SAMPLE_AS_OF - start).days - 80))
        stay_out = stay_in + timedelta(days=rng.randrange(15, 45))
        b.add("住院记录", 患者编号=p.id, 入院日期=stay_in, 出院日期=stay_out, 医院="市第三人民医院",
              住院方式=rng.choice(("自愿", "自愿", "非自愿")), 出院信息已接收=True)
        visit(b, p, stay_out + timedelta(days=rng.randrange(3, 10)), "门诊")
    follow_days, assess_days = interval(p.profile)
    day = start + timedelta(days=rng.randrange(0, 10))
    while day <= end:
        phone = admitted is not None and day >= admitted or rng.random() < 0.2
        visit(b, p, day, "电话" if phone else rng.choice(("门诊", "家庭访视", "家庭访视")))
        day += timedelta(days=follow_days - rng.randrange(0, 4))
    if status in ("下落不明", "外出务工"):
        for k in range(1, 4):
            if end + timedelta(days=20 * k) > SAMPLE_AS_OF:
                break
            b.add("随访记录", 患者编号=p.id, 随访日期=end + timedelta(days=20 * k), 随访形式="家庭访视", 随访人员="、".join(p.members),
                  病情分类="未访到", 失访原因="走失" if status == "下落不明" else "外出务工")
    day = start + timedelta(days=rng.randrange(5, 30))
    while day <= end:
        b.add("危险性评估", 患者编号=p.id, 评估日期=day, 危险性=risk_for(rng, p.profile), 评估机构="县精神卫生中心",
              评估医生=p.members[1] if len(p.members) > 1 else None)
        day += timedelta(days=assess_days - rng.randrange(0, 10))
    day = start + timedelta(days=rng.randrange(20, 90))
    while day <= end:
        b.add("健康体检", 患者编号=p.id, 体检日期=day, 体检机构="青禾镇卫生院", 结果=rng.choice(("未见异常", "血压偏高", "血脂偏高")))
        day += timedelta(days=365 - rng.randrange(0, 20))
    write_agreements(b, p)


def visit(b: Builder, p: P, day: date, form: str) -> None:
    rng = b.rng
    risk = risk_for(rng, p.profile)
    condition = "不稳定" if risk >= 3 else p.profile
    people = p.members[:1] if form == "电话" else p.members[: 2 if rng.random() < 0.015 else 3]
    follow_days = interval(condition)[0]
    b.add("随访记录", 患者编号=p.id, 随访日期=day, 随访形式=form, 随访人员="、".join(people), 危险性=risk, 病情分类=condition,
          用药依从性=pick(rng, (("规律", 82), ("间断", 10), ("不服药", 4), ("医嘱勿需服药", 4))),
          下次随访日期=day + timedelta(days=follow_days) if rng.random() < 0.25 else None)


def write_agreements(b: Builder, p: P) -> None:
    rng = b.rng
    if p.row["在管状态"] in ("死亡", "迁出"):
        return
    signed = p.enrolled + timedelta(days=rng.randrange(0, 30))
    if signed <= SAMPLE_AS_OF:
        b.add("协议", 患者编号=p.id, 协议类型="监护协议", 签订日期=signed)
        if p.row["免费服药"]:
            b.add("协议", 患者编号=p.id, 协议类型="免费服药告知书", 签订日期=signed)
    if p.at_home and rng.random() < 0.6:
        day = max(signed, SAMPLE_AS_OF - timedelta(days=3 * 365 - rng.randrange(0, 200)))
        while day <= SAMPLE_AS_OF:
            expires = day.replace(year=day.year + 1) - timedelta(days=1) if not (day.month == 2 and day.day == 29) else day + timedelta(days=364)
            b.add("协议", 患者编号=p.id, 协议类型="以奖代补协议", 签订日期=day, 到期日期=expires, 年度金额=2000)
            day = expires + timedelta(days=1)
