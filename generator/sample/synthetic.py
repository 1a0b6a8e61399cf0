"""A deterministic synthetic workbook: invented people, valid ID checksums, a few cases planted for every list.

Nothing here comes from a real person: names are drawn from surname and given-name character lists, ID numbers
and phones are generated. The same (patients, seed) always gives the same workbook.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Callable

from generator.contract import schema
from generator.sample.records import SETTINGS as RECORD_SETTINGS
from generator.sample.records import write_records
from generator.sample.template import WorkbookContent, default_content
from generator.contract.values import id_check_char
from generator.contract.vocab import OUTSIDE

SAMPLE_AS_OF = date(2026, 9, 30)
TOWNSHIP, COUNTY = "青禾镇", "云岭县"
AREA_CODE = "513099"
SURNAMES = "柏甘简车祁骆闵聂计邝隋甄裘詹蔺阙宓鞠芮邬竺訾翟蒯郜缪卞应舒牧栾俞解匡班荀幸郗戚".replace("", " ").split()
GIVEN = "望舒雨桐怀瑾清和远帆若川冬晴思源承砚知岚听澜星沅聿修绍钧嘉禾慕言亦棠书昀玄朗辰逸启铭景曜牧歌霁月明煦"
VILLAGE_HEADS = ("青石", "柳河", "杏林", "北坪", "槐荫", "枫岭", "松溪", "梅坞", "竹岗", "荷塘", "兰亭", "桂丛", "桃源", "栗园")
VILLAGE_TAILS = ("村", "村", "社区", "村")
DIAGNOSES = (("精神分裂症", 60), ("双相情感障碍", 12), ("精神发育迟滞伴发精神障碍", 8), ("偏执性精神病", 6),
             ("癫痫所致精神障碍", 6), ("分裂情感性障碍", 5), ("其他", 3))
STATUSES = (("在家居住", 82), ("住院治疗", 7), ("外出务工", 3), ("下落不明", 2), ("羁押服刑", 1), ("强制隔离戒毒", 1),
            ("死亡", 2), ("迁出", 2))
PROFILES = (("稳定", 68), ("基本稳定", 26), ("不稳定", 6))
HISTORY_YEARS = 5
# every planted case, by the list it feeds; each takes a few at-home patients
FORCED_STATUS = {5: "下落不明", 11: "外出务工", 23: "住院治疗", 31: "死亡"}  # so even a small sample has each


def pick(rng: random.Random, weighted: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([v for v, _ in weighted], [w for _, w in weighted])[0]


@dataclass
class People:
    """Unique invented names and phone numbers."""

    rng: random.Random
    names: set[str] = field(default_factory=set)
    phones: set[str] = field(default_factory=set)
    ids: set[str] = field(default_factory=set)

    def name(self, surname: str | None = None) -> str:
        while True:
            candidate = (surname or self.rng.choice(SURNAMES)) + "".join(self.rng.sample(GIVEN, 2))
            if candidate not in self.names:
                self.names.add(candidate)
                return candidate

    def phone(self) -> str:
        while True:
            candidate = f"1{self.rng.choice('35789')}{self.rng.randrange(10**9):09d}"
            if candidate not in self.phones:
                self.phones.add(candidate)
                return candidate

    def id_number(self, born: date, male: bool) -> str:
        while True:
            seq = self.rng.randrange(500) * 2 + (1 if male else 0)
            first17 = f"{AREA_CODE}{born:%Y%m%d}{seq:03d}"
            if first17 not in self.ids:
                self.ids.add(first17)
                return first17 + id_check_char(first17)


def villages_for(patients: int) -> list[str]:
    count = max(4, min(len(VILLAGE_HEADS) * len(VILLAGE_TAILS), round(patients / 12)))
    names = [head + tail for tail in ("村", "社区") for head in VILLAGE_HEADS]
    return names[:count] if count <= len(names) else names


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


def sample_content(patients: int = 60, seed: int = 2026) -> WorkbookContent:  # noqa: C901
    """A whole synthetic workbook at SAMPLE_AS_OF: about patients/5 care groups, five years of history."""
    rng = random.Random(seed)
    b = Builder(patients, rng, People(rng))
    villages = villages_for(patients)
    heads = {}
    for v in villages:
        heads[v] = b.staff(v, "支部书记")
        b.add("村社区", 名称=v, 类型="社区" if v.endswith("社区") else "村", 负责人=heads[v], 负责人电话=b.people.phone())
    per = max(1, len(villages) // 8 + 1)
    doctors = [b.staff("卫生院", "精防医生") for _ in range(per + 1)]
    police = [b.staff("派出所", "社区民警") for _ in range(per)]
    civil = [b.staff("民政办", "民政干部") for _ in range(per)]
    rehab = [b.staff("残联", "康复协调员") for _ in range(per)]
    head, deputy, office = b.staff("乡镇政府", "镇长"), b.staff("乡镇政府", "政法委员"), b.staff("平安办", "综治专干")
    for name, role, duty in ((head, "组长", "全面负责"), (deputy, "副组长", "统筹协调"), (doctors[0], "成员", "诊断评估与随访"),
                             (police[0], "成员", "应急处置与查找"), (civil[0], "成员", "救助帮扶"), (office, "办公室", "日常工作")):
        b.add("领导小组", 姓名=name, 小组职务=role, 分工=duty)
    plist = [make_patient(b, i, villages) for i in range(patients)]
    assign_groups(b, plist, villages, heads, doctors, police, civil, rehab)
    for p in plist:
        write_history(b, p)
    plant_cases(b, plist)
    write_records(b, plist, SAMPLE_AS_OF)
    add_mess(b, plist)
    content = default_content()
    content.settings |= {"乡镇名称": TOWNSHIP, "所属区县": COUNTY, "统计截止日期": SAMPLE_AS_OF,
                         "常住人口": round(patients / 0.0045), "随访最少人数": 3, "以奖代补年度金额": 2000} | RECORD_SETTINGS
    content.rows |= b.rows
    content.extra_columns = {"随访记录": ["核对情况"]}
    return content


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
    b.add("住院记录", 患者编号=p.id, 入院日期=out - timedelta(days=25), 出院日期=out, 医院="县精神卫生中心", 住院方式="非自愿",
          出院信息已接收=True)


def _no_guardian_agreement(b: Builder, p: P, k: int) -> None:
    drop(b, "协议", p.id, lambda r: r["协议类型"] != "监护协议")


def _reward_lapsed(b: Builder, p: P, k: int) -> None:
    drop(b, "协议", p.id, lambda r: r["协议类型"] != "以奖代补协议")
    signed = SAMPLE_AS_OF - timedelta(days=400 + b.rng.randrange(0, 60))
    b.add("协议", 患者编号=p.id, 协议类型="以奖代补协议", 签订日期=signed, 年度金额=2000)


def _consent_unsigned(b: Builder, p: P, k: int) -> None:
    p.row["免费服药"] = True
    drop(b, "协议", p.id, lambda r: r["协议类型"] != "免费服药告知书")


PATIENT_CASES = (_followup_overdue, _assessment_overdue, _check_overdue, _high_risk_at_home, _discharged_unvisited,
                 _no_guardian_agreement, _reward_lapsed, _consent_unsigned)


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
