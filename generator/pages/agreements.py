"""协议打印: the three documents prefilled per patient, and per-village batches of one document type.

Default wording lives in ``templates/``; a township overrides it with a file of the same name (Jinja, HTML) in a
``协议模板/`` folder beside its workbook. Placeholders are listed in PLACEHOLDERS (and on the index page).
Anyone who can write to the workbook's folder can write a template, so templates run in Jinja's sandbox (no access to
Python internals, hence none to the machine or its passwords) and their output is cleaned by an allow-list
sanitizer: document markup only — no script, no event handlers, no links, images or styles that could reach out.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Iterator

import nh3
from jinja2 import ChoiceLoader, Environment, FileSystemLoader, StrictUndefined, TemplateError
from jinja2.exceptions import SecurityError
from jinja2.sandbox import ImmutableSandboxedEnvironment

from ..records import in_roll_call, period_days
from ..schema import Group, Patient, SensitivePeriod
from ..vocab import AGREEMENT_KINDS
from ..views import View
from . import paths
from .html import Page, Raw, a, page, phone, print_button, table

DEFAULTS = Path(__file__).resolve().parent / "templates"
OVERRIDE_FOLDER = "协议模板"
DOCUMENTS = {**AGREEMENT_KINDS, "joint_visit": "高风险患者联合随访记录单"}  # a patient's: kind → title (= file name)
GROUP_DOCUMENTS = {"notice": "成立关爱帮扶小组的通知"}  # a group's
VILLAGE_DOCUMENTS = {"rollcall": "敏感时期点名表"}  # a village's, per sensitive period
DAYS_PER_PAGE = 7  # day columns of a roll-call sheet that fit across an A4 page
PLACEHOLDERS = {
    "township": "乡镇名称", "county": "所属区县", "village": "患者现住村社区",
    "village_committee": "村（居）民委员会全称，如 禾苗村村民委员会", "year": "统计截止日期所在年份",
    "amount": "以奖代补年度金额（最近一份协议的金额，否则取基本设置）",
    "patient.name": "患者姓名", "patient.sex": "性别", "patient.id_number": "身份证号", "patient.address": "现住址",
    "patient.diagnosis": "诊断", "patient.patient_id": "患者编号",
    "guardian.name": "监护人姓名", "guardian.relation": "监护人关系", "guardian.phone": "监护人电话",
    "group.leader": "帮扶小组组长", "group.leader_phone": "组长电话", "group.name": "帮扶小组名称",
    "risk": "当前危险性（联合随访记录单）",
    "members": "小组成员列表（每项有 name、role、unit、title、phone），如 {% for m in members %}{{ m.name }}{% endfor %}",
    "guardians": "小组所管患者的监护人列表（每项有 name、relation、phone；成立通知）",
    "meeting_days": "小组会议间隔天数（成立通知）", "intervals": "各病情分类的随访间隔天数，如 {{ intervals[\"稳定\"] }}",
    "min_visitors": "随访最少人数",
}


# the markup a printed document needs; everything else (and the content of script/style) is removed
DOCUMENT_TAGS = {"h1", "h2", "h3", "h4", "p", "br", "hr", "ol", "ul", "li", "strong", "em", "b", "i", "u", "small",
                 "sup", "sub", "span", "div", "section", "table", "thead", "tbody", "tr", "th", "td"}
DOCUMENT_ATTRIBUTES = {"*": {"class"}, "td": {"colspan", "rowspan"}, "th": {"colspan", "rowspan"}}


class TemplateProblem(Exception):
    """A township's own agreement template cannot be used; the message names the file."""


def environment(workbook_dir: Path | None) -> Environment:
    """Templates from 协议模板/ beside the workbook first, then the defaults; all of them sandboxed."""
    loaders = [FileSystemLoader(str(workbook_dir / OVERRIDE_FOLDER))] if workbook_dir else []
    return ImmutableSandboxedEnvironment(loader=ChoiceLoader(loaders + [FileSystemLoader(str(DEFAULTS))]),
                                         autoescape=True, undefined=StrictUndefined)


def override_templates(workbook_dir: Path) -> tuple[list[str], list[str]]:
    """The township's own templates beside the workbook: (used, ignored) file names."""
    folder = workbook_dir / OVERRIDE_FOLDER
    if not folder.is_dir():
        return [], []
    names = sorted(p.name for p in folder.iterdir() if p.is_file() and not p.name.startswith((".", "~$")))
    known = {f"{title}.html" for title in {**DOCUMENTS, **GROUP_DOCUMENTS, **VILLAGE_DOCUMENTS}.values()}
    return [n for n in names if n in known], [n for n in names if n not in known]


def sanitize(markup: str) -> str:
    """Document markup only: no script, no event handler, no URL of any kind."""
    return nh3.clean(markup, tags=DOCUMENT_TAGS, attributes=DOCUMENT_ATTRIBUTES, url_schemes=set())


def place_context(view: View, village: str) -> dict:
    """What every document may use: the township, county, village, its committee and the year."""
    s = view.data.settings
    return {"township": s.township, "county": s.county or "", "village": village, "village_committee": committee(village),
            "year": view.as_of.year}


def context(view: View, p: Patient) -> dict:
    """Everything a template may use for one patient."""
    s = view.data.settings
    group = view.groups.get(p.group_id or "")
    rewards = [g for g in (view.histories.get(p.patient_id).agreements if p.patient_id in view.histories else [])
               if g.kind == AGREEMENT_KINDS["reward"] and g.amount]
    amount = rewards[-1].amount if rewards else s.reward_amount
    return place_context(view, p.village) | {
        "amount": f"{amount:g}" if amount else "",
        "patient": {"name": p.name, "sex": p.sex, "id_number": p.id_number or "", "address": p.address or "",
                    "diagnosis": p.diagnosis, "patient_id": p.patient_id},
        "guardian": {"name": p.guardian or "", "relation": p.guardian_relation or "", "phone": p.guardian_phone or ""},
        "group": {"leader": group.leader if group else "", "leader_phone": view.phone_of(group.leader) if group else "",
                  "name": group.name if group else ""},
        "members": members(view, group.group_id) if group else [],
        "risk": "" if view.states[p.patient_id].risk is None else view.states[p.patient_id].risk,
    }


def members(view: View, group_id: str) -> list[dict]:
    """A group's staff members as a template sees them."""
    return [{"name": name, "role": role, "unit": view.staff[name].unit or "" if name in view.staff else "",
             "title": view.staff[name].title or "" if name in view.staff else "", "phone": view.phone_of(name)}
            for name, role in view.members.get(group_id, [])]


def group_context(view: View, g: Group) -> dict:
    """Everything a group's template may use."""
    s = view.data.settings
    return place_context(view, g.village) | {
        "group": {"name": g.name, "leader": g.leader, "leader_phone": view.phone_of(g.leader)},
        "members": members(view, g.group_id),
        "guardians": [{"name": p.guardian, "relation": p.guardian_relation or "", "phone": p.guardian_phone or ""}
                      for p in view.patients_of_group.get(g.group_id, []) if p.guardian and not p.closed],
        "meeting_days": s.group_meeting_days, "min_visitors": s.min_visitors,
        "intervals": {condition: days for condition, (days, _) in view.data.rules.items()},
    }


def committee(village: str) -> str:
    """The name of a village's or community's committee, as printed on an agreement."""
    if village.endswith("社区"):
        return village + "居民委员会"
    if village.endswith("村"):
        return village + "村民委员会"
    return village + "（村（居）民委员会）"


def render_document(env: Environment, kind: str, ctx: dict) -> str:
    name = f"{({**DOCUMENTS, **GROUP_DOCUMENTS, **VILLAGE_DOCUMENTS})[kind]}.html"
    try:
        body = env.get_template(name).render(**ctx)
    except SecurityError as exc:
        raise TemplateProblem(f"协议模板“{name}”里有不允许的写法（{exc}）：模板里只能用占位符和简单的判断，不能调用程序。"
                              "可用的占位符见网站“协议打印”页。") from None
    except TemplateError as exc:
        raise TemplateProblem(f"协议模板“{name}”有问题：{exc}。可用的占位符见网站“协议打印”页。") from None
    return f'\n\n<section class="jf-doc">\n{link_phones(sanitize(body), ctx)}\n</section>\n\n'


def _phones(value: object, key: str = "") -> Iterator[str]:
    """Every phone number in a document's context (the values of keys ending in phone)."""
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _phones(v, k)
    elif isinstance(value, list):
        for v in value:
            yield from _phones(v, key)
    elif key.endswith("phone") and isinstance(value, str) and value:
        yield value


def link_phones(markup: str, ctx: dict) -> str:
    """The context's phone numbers in a sanitized document as tel: links, in text only (never inside a tag); the
    links are ours, added after the sanitizer, so a template still cannot link anywhere. Printed, they are text."""
    phones = sorted(set(_phones(ctx)), key=len, reverse=True)
    if not phones:
        return markup
    pattern = re.compile(r"(?<![\d-])(" + "|".join(re.escape(p) for p in phones) + r")(?![\d-])(?![^<]*>)")
    return pattern.sub(lambda m: phone(m.group(1)), markup)


def render_patient_documents(env: Environment, view: View, p: Patient) -> str:
    """A patient's documents (the three agreements, and the joint follow-up form when high-risk at home), for the
    end of the record page (printed by their own button)."""
    ctx = context(view, p)
    kinds = [k for k in DOCUMENTS if k in AGREEMENT_KINDS or k in view.states[p.patient_id].documents]
    return printable(len(kinds), "".join(render_document(env, kind, ctx) for kind in kinds))


def render_group_documents(env: Environment, view: View, g: Group) -> str:
    """A group's notice of establishment, for the end of the group page."""
    return printable(1, render_document(env, "notice", group_context(view, g)))


def roll_call_sheets(env: Environment, view: View, period: SensitivePeriod, village: str) -> list[str]:
    """A village's roll-call sheets for one sensitive period: the patients in scope, a column per day, a page a week."""
    patients = [{"patient_id": p.patient_id, "name": p.name, "guardian": p.guardian or "",
                 "guardian_phone": p.guardian_phone or ""}
                for p in view.data.patients if p.village == village and in_roll_call(period, p, view.states[p.patient_id])]
    if not patients:
        return []
    days = [d.strftime("%m-%d") for d in period_days(period)]
    pages = [days[i:i + DAYS_PER_PAGE] for i in range(0, len(days), DAYS_PER_PAGE)]
    return [render_document(env, "rollcall", place_context(view, village) | {
        "patients": patients, "days": chunk,
        "part": k if len(pages) > 1 else 0,
        "period": {"name": period.name, "start": period.start.isoformat(), "end": period.end.isoformat(),
                   "scope": period.scope}}) for k, chunk in enumerate(pages, 1)]


def printable(count: int, docs: str) -> str:
    button = ('\n\n<p class="jf-noprint"><button class="md-button" onclick="jingfangPrintDocuments()">'
              f"打印文书（{count} 份，每份一页 A4）</button></p>\n\n")
    return button + f'<details class="jf-documents"><summary>查看文书内容</summary>\n\n{docs}\n\n</details>'


def render_agreements(view: View, workbook_dir: Path | None = None) -> Iterator[tuple[str, Page]]:
    """Each village's batch of each document, and the index page listing the batches."""
    env = environment(workbook_dir)
    batches = []
    for village, code in view.village_codes.items():
        for kind, title in DOCUMENTS.items():
            chosen = sorted((p for p in view.data.patients
                             if p.village == village and kind in view.states[p.patient_id].documents),
                            key=lambda p: p.patient_id)
            docs = [render_document(env, kind, context(view, p)) for p in chosen]
            yield from _batch(paths.batch(code, kind), title, code, village, docs, batches)
        groups = [g for g in view.data.groups if g.village == village]
        docs = [render_document(env, "notice", group_context(view, g)) for g in groups]
        yield from _batch(paths.batch(code, "notice"), GROUP_DOCUMENTS["notice"], code, village, docs, batches)
        for k, period in enumerate(view.data.periods, 1):
            docs = roll_call_sheets(env, view, period, village)
            yield from _batch(paths.batch(code, f"rollcall{k}"), f"{VILLAGE_DOCUMENTS['rollcall']}（{k}）", code, village,
                              docs, batches)
    yield paths.AGREEMENTS, _index(view, batches)


def _batch(rel: str, title: str, code: str, village: str, docs: list[str],
           batches: list[tuple]) -> Iterator[tuple[str, Page]]:
    """One village's batch page of one document (none when nobody needs it); noted in batches for the index."""
    if docs:
        yield rel, page(f"{title} · {code}", print_button(f"打印全部 {len(docs)} 份") + "".join(docs),
                        heading=f"{title} · {village}")
        batches.append((village, title, len(docs), Raw(a(paths.AGREEMENTS, rel, "批量打印"))))


def _index(view: View, batches: list[tuple]) -> Page:
    here = paths.AGREEMENTS
    index = table(["村社区", "文书", "份数", ""], batches)
    patients = " ".join(a(here, paths.patient(p.patient_id), p.patient_id) for p in view.data.patients if not p.closed)
    holders = table(["占位符", "含义"], [("{{ " + k + " }}", v) for k, v in PLACEHOLDERS.items()])
    files = "、".join(f"{t}.html" for t in {**DOCUMENTS, **GROUP_DOCUMENTS, **VILLAGE_DOCUMENTS}.values())
    body = f"""
每份文书单独占一页 A4，打印时自动隐藏网站的页眉、导航和页脚。

## 按村社区批量打印

{index}

## 按患者打印

每位患者的文书（三份协议；高风险居家患者另有联合随访记录单）在其档案页末尾，每个帮扶小组的成立通知在小组页末尾，
点“打印文书”即可。

{patients}

## 修改文书内容

在台账所在文件夹新建“{OVERRIDE_FOLDER}”文件夹，放入同名文件（{files}）即可替换默认文字。
文件是带占位符的 HTML（Jinja 模板），可以从网站源码的默认模板复制后修改。可用的占位符：

{holders}
"""
    return page("协议打印", body)
