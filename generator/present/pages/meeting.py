"""The meeting view: status cards that partition 在册, the village × list table of to-dos, indicators per village."""

from __future__ import annotations

import html

from generator.contract.indicators import COUNTS
from generator.derive.indicators import Census, Indicator, Indicators, census
from generator.contract.lists import BY_KEY
from generator.derive.urgency import todo_order
from generator.present.views import View
from generator.contract.vocab import AT_HOME
from generator.present.pages import paths
from generator.present.pages.html import Raw, a, a_to, badge, table
from generator.present.pages.week import week_plan
from generator.present.wording import target_text

TOWNSHIP_COLUMN = "乡镇"
TOTAL = "合计"


def census_of(view: View, village: str | None = None) -> Census:
    """The census of the township's (or one village's) patients."""
    return census((p for p in view.data.patients if village is None or p.village == village), _high(view))


def village_censuses(view: View) -> dict[str, Census]:
    """Each village's census (现住村社区), in one pass over the patients."""
    mine: dict[str, list] = {name: [] for name in view.village_codes}
    for p in view.data.patients:
        mine.setdefault(p.village, []).append(p)
    high = _high(view)
    return {name: census(patients, high) for name, patients in mine.items()}


def _high(view: View) -> set[str]:
    return {pid for pid, state in view.states.items() if state.high}


def _card(n: int, label: str, what: str) -> str:
    return (f'<div class="jf-card"><div class="jf-num">{n}</div><div>{html.escape(label)}</div>'
            f'<div class="jf-what">{html.escape(what)}</div></div>')


def render_cards(view: View) -> str:
    """The counts: 在册 and one card per 在管状态 summing to it; who is outside 在册 (待诊断, 其他, closed); 在管 (followed
    up in the period) and 高风险 within it."""
    c = census_of(view)
    level = view.data.settings.high_risk_level
    statuses = "".join(_card(n, status, f"在册患者中在管状态为“{status}”") for status, n in c.by_status.items())
    total = _card(c.registered, "在册", "六类严重精神障碍确诊、未死亡、未迁出的患者，等于各在管状态人数之和")
    closed = "、".join(f"{status} {n}" for status, n in c.closed.items())
    managed = view.indicators.counts["managed"]
    within = (_card(managed, "在管", f"统计期{view.indicators.period.label}内至少随访 1 次的在册患者")
              + _card(c.high, "高风险", f"在册患者中当前危险性 {level} 级及以上"))
    sum_line = " + ".join(f"{status} {n}" for status, n in c.by_status.items())
    return (f'<div class="jf-cards">{total}{statuses}</div>\n\n'
            f"在册 {c.registered} 人 = {sum_line}。不计入在册：待诊断 {c.pending} 人（确诊后计入），"
            f"诊断为其他 {c.other} 人（不属六类严重精神障碍），"
            f"已结案 {sum(c.closed.values())} 人（{closed}）；台账共 {c.total} 人。\n\n"
            f'<div class="jf-cards">{within}</div>')


def village_counts(view: View) -> dict[str, dict[str, int]]:
    """Each village's count per to-do list (registers and findings left out): the items its list page shows."""
    todo = [key for key in view.lists if BY_KEY[key].kind == "todo"]
    counts = {name: {key: 0 for key in todo} for name in view.village_codes}
    for key in todo:
        for item in view.lists[key]:
            for village in view.villages_of(BY_KEY[key], item):
                if village in counts:  # a 户籍 village 外地 has no page when nobody lives 外地
                    counts[village][key] += 1
    return counts


def render_village_counts(view: View, here: str) -> str:
    """A row per village: 在册, at home, high-risk, to-do items, this week's visits (township pages only: the
    village index is opened by every password)."""
    counts, plan, censuses = village_counts(view), week_plan(view), village_censuses(view)
    rows = []
    for name, code in view.village_codes.items():
        c = censuses[name]
        week = sum(call.patient.village == name for call in plan)
        rows.append((Raw(a(here, paths.village(code), name)), c.registered, c.by_status[AT_HOME], c.high,
                     sum(counts[name].values()), Raw(a(here, paths.week_village(code), week))))
    return (table(["村社区", "在册", "在家居住", "高风险", "待办事项", "本周应访"], rows)
            + "按现住村社区计；待办事项是该村社区待办清单里的事项（不含底册和数据质量），与下表的“待办合计”相同。")


def render_meeting_table(view: View, here: str) -> str:
    """A row per village (and one for the township's own items), a column per to-do list with items (most urgent
    first), the village's total second so that it is always in sight; each count links to that village's list."""
    counts = village_counts(view)
    shown = todo_order(view.lists, view.states)
    township = {key: sum(not view.villages_of(BY_KEY[key], i) for i in view.lists[key]) for key in shown}
    rows = []
    for v, code in view.village_codes.items():
        cells = [_count(here, paths.village_lists(code), key, counts[v][key]) for key in shown]
        rows.append([Raw(a(here, paths.village(code), v)), sum(counts[v][key] for key in shown), *cells])
    if any(township.values()):
        rows.append([TOWNSHIP_COLUMN, sum(township.values()),
                     *(_count(here, paths.overdue_list(key), key, township[key], anchor=False) for key in shown)])
    rows.append([TOTAL, sum(len(view.lists[key]) for key in shown),
                 *(Raw(a(here, paths.overdue_list(key), len(view.lists[key]))) for key in shown)])
    quiet = sum(BY_KEY[key].kind == "todo" for key in view.lists) - len(shown)
    note = ("空白为 0。每个数字链接到该村社区的清单，末行的数字链接到全乡镇的清单；清单按紧急程度排列（有高风险患者的在前，其次是逾期最久的）。"
            "人户分离待通报的一项在现住和户籍两个村社区各计一次，末行“合计”按项数计。"
            + (f"另有 {quiet} 个清单全乡镇都没有待办，未列出。" if quiet else "") + "底册和数据质量不是待办，不列。")
    headers = ["村社区", "待办合计", *(BY_KEY[key].title for key in shown)]
    return (table(headers, rows, cls="jf-table jf-meeting jf-village-lists", fold=False) + note) if shown else \
        "全乡镇没有待办事项。"


def _count(here: str, target: str, key: str, n: int, *, anchor: bool = True) -> Raw | str:
    if not n:
        return ""  # blank, not 0: thirty villages by twenty lists read at a glance, and a phone's card skips it
    return Raw(a_to(here, target, key, n) if anchor else a(here, target, n))


def period_line(result: Indicators) -> str:
    """The sentence naming the period the indicators count over."""
    return f"统计期：{result.period.label}，起止两天都算在内。"


def indicator_table(result: Indicators, keys: tuple[str, ...] | None = None) -> str:
    """The indicators (all, or those of keys) with their period: value, target and whether it is met (in words and a
    sign, not by colour alone) first — what a phone's card shows — then numerator, denominator (and what it
    counts) and the definition."""
    chosen = [i for i in result if keys is None or i.key in keys]
    return period_line(result) + "\n\n" + table(["指标", "数值", "目标", "达标", "分子", "分母", "定义"], [
        (i.name, value_text(i), target_text(i), _met(i), i.numerator, f"{i.denominator}（{i.base}）", i.definition)
        for i in chosen
    ], cls="jf-table jf-indicators")


def _met(i: Indicator):
    if i.met is None:
        return badge("— 无目标" if i.target is None else "— 无分母", "info")
    return badge("✓ 达标", "ok") if i.met else badge("✗ 未达标", "late")


def value_text(i: Indicator) -> str:
    """The value with one decimal and its unit; — without a denominator."""
    return "—" if i.value is None else f"{i.value:.1f}{i.unit}"


def counts_line(result: Indicators) -> str:
    """The counts behind the indicators, in words."""
    return "；".join(f"{COUNTS[key]} {n} 人" for key, n in result.counts.items()) + "。"


def render_village_indicators(view: View) -> str:
    """One table: a 目标 row, then a row per village and one for the township; each cell value (numerator/
    denominator) marked ✓ or ✗ against the target, and a 达标 column counting the targets met — in words and signs,
    not by colour."""
    villages = [v for v in view.village_codes if v in view.village_indicators]
    if not villages:
        return "没有患者。"
    keys = [i.key for i in view.village_indicators[villages[0]]]
    township = view.indicators
    rows = [["目标", "", *(target_text(township[k]) for k in keys)]]
    rows += [[village, *_met_cells(list(view.village_indicators[village]))] for village in villages]
    rows.append([f"全{TOWNSHIP_COLUMN}", *_met_cells([township[k] for k in keys])])
    names = [township[k].name for k in keys]
    return (period_line(township) + "\n\n"
            + table(["村社区", "达标", *names], rows, cls="jf-table jf-meeting jf-village-indicators", fold=False)
            + "按现住村社区计；各村社区的分子、分母相加等于全乡镇的。✓ 达标，✗ 未达标，没有目标或没有分母的不标；"
            "“达标”列为达到目标的指标数 / 有目标的指标数。各村社区没有常住人口数，不计报告患病率。")


def _met_cells(indicators: list[Indicator]) -> list:
    """The 达标 count, then each indicator as its value and sign over (numerator/denominator): two short lines, so
    that a dozen indicators fit a laptop's width (all numbers and fixed signs: nothing to escape)."""
    judged = [i for i in indicators if i.met is not None]
    mark = {True: "\u00a0✓", False: "\u00a0✗", None: ""}  # the sign stays beside its value
    return [f"{sum(i.met for i in judged)}/{len(judged)}\u00a0项" if judged else "—",
            *(Raw(f"{value_text(i)}{mark[i.met]}<br>（{i.numerator}/{i.denominator}）") for i in indicators)]
