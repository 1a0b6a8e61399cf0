"""协议打印: the three documents prefilled per patient, and per-village batches of one document type.

Default wording lives in ``templates/``; a township overrides it with a file of the same name (Jinja, HTML) in a
``协议模板/`` folder beside its workbook. Placeholders are listed in PLACEHOLDERS (and on the index page).
Anyone who can write to the workbook's folder can write a template, so a template is read only as a regular file of
its own (own_templates: never through a link), runs in Jinja's sandbox with bounds on time and memory (sandbox: no
access to Python internals, hence none to the machine or its passwords) and its output is cleaned by an allow-list
sanitizer: document markup only — no script, no event handlers, no links, images or styles that could reach out.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Callable, Iterator

import nh3
from jinja2 import ChoiceLoader, Environment, FileSystemLoader, TemplateError
from jinja2.exceptions import SecurityError

from generator.read.inputs import MB
from generator.present.own_templates import HTML_LIMIT, OVERRIDE_FOLDER, FolderLoader, TemplateProblem, read_template
from generator.derive.records import in_roll_call, period_days
from generator.derive.state import RENEWAL_DAYS, Paper, PatientState
from generator.present.sandbox import BoundedSandbox
from generator.contract.schema import Group, Patient, SensitivePeriod
from generator.contract.vocab import AGREEMENT_KINDS
from generator.present.views import View
from generator.present.pages import paths
from generator.present.pages.html import Page, Raw, a, page, phone, print_button, table, text
from generator.present.pages.wording import amount_in_words, date_words, relation

DEFAULTS = Path(__file__).resolve().parent / "templates"
DOCUMENT_TEXT = 8 * MB  # the most HTML one document may be (a township's monthly report is some hundred KB)
DOCUMENTS = {**AGREEMENT_KINDS, "joint_visit": "高风险患者联合随访记录单"}  # a patient's: kind → title (= file name)
GROUP_DOCUMENTS = {"notice": "成立关爱帮扶小组的通知"}  # a group's
VILLAGE_DOCUMENTS = {"rollcall": "敏感时期点名表"}  # a village's, per sensitive period
TOWNSHIP_DOCUMENTS = {"monthly": "月度信息交换通报"}  # the township's, one copy per department
ALL_DOCUMENTS = {**DOCUMENTS, **GROUP_DOCUMENTS, **VILLAGE_DOCUMENTS, **TOWNSHIP_DOCUMENTS}  # kind → title
# Every village has every batch page, an empty one too: the pages that exist and their titles are visible without a
# password, so they must not tell whether a village has, say, a high-risk patient at home.
NOBODY = "没有。"
DAYS_PER_PAGE = 7  # day columns of a roll-call sheet that fit across an A4 page
PLACEHOLDERS = {
    "township": "乡镇名称", "county": "所属区县", "village": "患者现住村社区",
    "village_committee": "村（居）民委员会全称，如 禾苗村村民委员会", "year": "统计截止日期所在年份",
    "amount": "以奖代补年度金额（最近一份协议的金额，否则取基本设置）", "amount_words": "年度金额的人民币大写，如 贰仟元整",
    "term.start": "以奖代补协议期限的起始日（如 2026年10月1日；续签从原协议到期次日起；未签或已过期时为空，由签订人填写）",
    "term.end": "以奖代补协议期限的截止日（起始日加一年减一天，或协议记录的到期日期）",
    "patient.name": "患者姓名", "patient.sex": "性别", "patient.id_number": "身份证号", "patient.address": "现住址",
    "patient.diagnosis": "诊断", "patient.patient_id": "患者编号",
    "guardian.name": "监护人姓名", "guardian.relation": "监护人与患者的关系，如 父亲或母亲（台账只记“父母”时）、配偶",
    "guardian.relation_tick": "签字时勾选的关系，如 □父亲　□母亲（台账记“父母”“子女”“兄弟姐妹”时）",
    "guardian.phone": "监护人电话",
    "group.leader": "帮扶小组组长", "group.leader_phone": "组长电话", "group.name": "帮扶小组名称",
    "risk": "当前危险性（联合随访记录单）",
    "members": "小组成员列表（每项有 name、role、unit、title、phone），如 {% for m in members %}{{ m.name }}{% endfor %}",
    "guardians": "小组所管患者的监护人列表（每项有 name、relation、phone；成立通知）",
    "meeting_days": "小组会议间隔天数（成立通知）", "intervals": "各病情分类的随访间隔天数，如 {{ intervals[\"稳定\"] }}",
    "min_visitors": "随访最少人数",
    "department": "月度通报的接收部门（派出所、卫生院（精防医生）、民政办、残联）", "month": "通报月份，如 2026年10月",
    "sections": "月度通报的各部分（每项有 number、title、about、summary、columns、rows）",
}


# the markup a printed document needs; everything else (and the content of script/style) is removed
DOCUMENT_TAGS = {"h1", "h2", "h3", "h4", "p", "br", "hr", "ol", "ul", "li", "strong", "em", "b", "i", "u", "small",
                 "sup", "sub", "span", "div", "section", "table", "thead", "tbody", "tr", "th", "td"}
DOCUMENT_ATTRIBUTES = {"*": {"class"}, "td": {"colspan", "rowspan"}, "th": {"colspan", "rowspan"}}


def environment(workbook_dir: Path | None) -> Environment:
    """Templates from 协议模板/ beside the workbook first (regular files only), then the defaults; all of them in
    the bounded sandbox."""
    env = BoundedSandbox(max_text=DOCUMENT_TEXT)
    loaders = [FolderLoader(workbook_dir / OVERRIDE_FOLDER)] if workbook_dir else []
    env.loader = ChoiceLoader(loaders + [FileSystemLoader(str(DEFAULTS))])
    return env


def override_templates(workbook_dir: Path) -> tuple[list[str], list[str]]:
    """The township's own templates beside the workbook: (used, ignored) file names. A template name that is not a
    regular file of its own (a link, a FIFO) is a TemplateProblem now, before any page is rendered."""
    folder = workbook_dir / OVERRIDE_FOLDER
    if not folder.is_dir():
        return [], []
    known = {f"{title}.html" for title in ALL_DOCUMENTS.values()}
    # Word templates (.docx) there are for `jingfang documents`, not the site
    names = sorted(p.name for p in folder.iterdir() if not p.name.startswith((".", "~$")) and not p.name.endswith(".docx")
                   and (p.name in known or p.is_file()))
    for name in names:
        if name in known:
            read_template(folder / name, OVERRIDE_FOLDER, HTML_LIMIT)
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
    term = next((paper.term for paper in view.states[p.patient_id].papers if paper.kind == "reward"), None) or (None, None)
    return place_context(view, p.village) | {
        "amount": f"{amount:g}" if amount else "", "amount_words": amount_in_words(amount),
        "term": {"start": date_words(term[0]), "end": date_words(term[1])},
        "patient": {"name": p.name, "sex": p.sex, "id_number": p.id_number or "", "address": p.address or "",
                    "diagnosis": p.diagnosis, "patient_id": p.patient_id},
        "guardian": {"name": p.guardian or "", "relation": relation(p.guardian_relation),
                     "relation_tick": relation(p.guardian_relation, tick=True), "phone": p.guardian_phone or ""},
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
        "guardians": [{"name": p.guardian, "relation": relation(p.guardian_relation), "phone": p.guardian_phone or ""}
                      for p in view.patients_of_group.get(g.group_id, []) if p.guardian and not p.closed],
        "meeting_days": s.group_meeting_days, "min_visitors": s.min_visitors,
        "intervals": {condition: days for condition, (days, _) in view.data.intervals.items()},
    }


def committee(village: str) -> str:
    """The name of a village's or community's committee, as printed on an agreement."""
    if village.endswith("社区"):
        return village + "居民委员会"
    if village.endswith("村"):
        return village + "村民委员会"
    return village + "（村（居）民委员会）"


def render_document(env: Environment, kind: str, ctx: dict) -> str:
    """One document from its template (the township's own or the default), sanitized, its phones linked."""
    name = f"{ALL_DOCUMENTS[kind]}.html"
    try:
        body = env.get_template(name).render(**ctx)
    except TemplateProblem:
        raise
    except SecurityError as exc:
        raise TemplateProblem(f"协议模板“{name}”里有不允许的写法（{exc}）：模板里只能用占位符和简单的判断，不能调用程序。"
                              "可用的占位符见网站“协议打印”页。") from None
    except (TemplateError, ArithmeticError, LookupError, TypeError, ValueError) as exc:  # 1/0, 2.0 ** 5000 …
        raise TemplateProblem(f"协议模板“{name}”有问题：{exc}。可用的占位符见网站“协议打印”页。") from None
    return f'\n\n{_opening(kind)}\n{link_phones(sanitize(body), ctx)}\n</section>\n\n'


def _opening(kind: str, more: str = "") -> str:
    """A document's opening tag: its kind as a class (jingfang.css sets its print size by it), and more classes."""
    return f'<section class="jf-doc jf-doc-{kind}{more}">'


def _phones(value: object, key: str = "") -> Iterator[str]:
    """Every phone number in a document's context (the values of keys ending in phone)."""
    if isinstance(value, dict):
        for k, v in value.items():
            if k.endswith("phone") or isinstance(v, (dict, list)):
                yield from _phones(v, k)
    elif isinstance(value, list):
        for v in value:
            if key.endswith("phone") or isinstance(v, (dict, list)):
                yield from _phones(v, key)
    elif key.endswith("phone") and isinstance(value, str) and value:
        yield value


# a number in text (never inside a tag) that may be a phone: linked only when it is one of the context's phones
_NUMBER = re.compile(r"(?<![\d-])\+?\d[\d-]{5,}\d(?![\d-])(?![^<]*>)")


def link_phones(markup: str, ctx: dict) -> str:
    """The context's phone numbers in a sanitized document as tel: links, in text only (never inside a tag); the
    links are ours, added after the sanitizer, so a template still cannot link anywhere. Printed, they are text."""
    phones = set(_phones(ctx))
    if not phones:
        return markup
    return _NUMBER.sub(lambda m: phone(m.group(0)) if m.group(0) in phones else m.group(0), markup)


def render_patient_documents(env: Environment, view: View, p: Patient) -> str:
    """The documents that apply to a patient (rules.documents_needed) with where each agreement stands, for the end of
    the record page (printed by their own button)."""
    state = view.states[p.patient_id]
    kinds = [k for k in DOCUMENTS if k in state.documents]
    if not kinds:
        return "\n\n该患者目前没有要打印的文书：协议只用于在家居住的患者，免费服药告知书只用于免费服药的患者。\n\n"
    standing = "；".join(f"{AGREEMENT_KINDS[paper.kind]} {standing_label(paper)}" for paper in state.papers)
    docs = "".join(patient_document(env, view, p, kind) for kind in kinds)
    return (f"\n\n{text(standing)}。\n\n" if standing else "") + printable(len(kinds), docs)


def patient_document(env: Environment, view: View, p: Patient, kind: str) -> str:
    """A patient's document, rendered once per build: the record page renders it, the village batch reuses it."""
    key = (kind, p.patient_id)
    if key not in view.documents:
        view.documents[key] = render_document(env, kind, context(view, p))
    return view.documents[key]


def standing_label(paper: Paper) -> str:
    """Where a patient's agreement stands: 未签, 已过期, 20 天后到期, 有效至 2026-12-31 or 长期有效."""
    if paper.reason:
        return paper.reason
    return f"有效至 {paper.expires.isoformat()}" if paper.expires else "长期有效"


def render_group_documents(env: Environment, view: View, g: Group) -> str:
    """A group's notice of establishment, for the end of the group page."""
    return printable(1, render_document(env, "notice", group_context(view, g)))


def roll_call_sheets(env: Environment, view: View, period: SensitivePeriod, village: str) -> list[str]:
    """A village's roll-call sheets for one sensitive period: the patients in scope, a column per day, a page a week."""
    return [render_document(env, "rollcall", ctx) for ctx in roll_call_contexts(view, period, village)]


def roll_call_contexts(view: View, period: SensitivePeriod, village: str) -> list[dict]:
    """What each roll-call sheet of a village and period may use (one per week; none when nobody is in scope)."""
    patients = [{"patient_id": p.patient_id, "name": p.name, "guardian": p.guardian or "",
                 "guardian_phone": p.guardian_phone or ""}
                for p in view.data.patients if p.village == village and in_roll_call(period, p, view.states[p.patient_id])]
    if not patients:
        return []
    days = [d.strftime("%m-%d") for d in period_days(period)]
    pages = [days[i:i + DAYS_PER_PAGE] for i in range(0, len(days), DAYS_PER_PAGE)]
    return [place_context(view, village) | {
        "patients": patients, "days": chunk,
        "part": k if len(pages) > 1 else 0,
        "period": {"name": period.name, "start": period.start.isoformat(), "end": period.end.isoformat(),
                   "scope": period.scope}} for k, chunk in enumerate(pages, 1)]


def printable(count: int, docs: str) -> str:
    button = ('\n\n<p class="jf-noprint"><button class="md-button" onclick="jingfangPrintDocuments()">'
              f"打印文书（{count} 份，每份一页 A4）</button></p>\n\n")
    return button + f'<details class="jf-documents"><summary>查看文书内容</summary>\n\n{docs}\n\n</details>'


def render_agreements(view: View, workbook_dir: Path | None = None) -> Iterator[tuple[str, Page]]:
    """Each village's batches (an agreement: those to sign, and everyone), and the index page listing them."""
    env = environment(workbook_dir)
    signing: list[tuple] = []
    batches: list[tuple] = []
    for village, code in view.village_codes.items():
        for kind in AGREEMENT_KINDS:
            yield from _signing_batches(env, view, village, code, kind, signing)
        chosen = _patients(view, village, lambda state: "joint_visit" in state.documents)
        docs = [patient_document(env, view, p, "joint_visit") for p in chosen]
        yield from _batch(paths.batch(code, "joint_visit"), DOCUMENTS["joint_visit"], code, village, docs, batches)
        groups = [g for g in view.data.groups if g.village == village]
        docs = [render_document(env, "notice", group_context(view, g)) for g in groups]
        yield from _batch(paths.batch(code, "notice"), GROUP_DOCUMENTS["notice"], code, village, docs, batches)
        for k, period in enumerate(view.data.periods, 1):
            docs = roll_call_sheets(env, view, period, village)
            yield from _batch(paths.batch(code, f"rollcall{k}"), f"{VILLAGE_DOCUMENTS['rollcall']}（{k}）", code, village,
                              docs, batches)
    view.documents.clear()  # every batch is written: the rendered documents are not needed again
    yield paths.AGREEMENTS, _index(view, signing, batches)


def _patients(view: View, village: str, chosen: Callable[[PatientState], bool]) -> list[Patient]:
    return sorted((p for p in view.data.patients if p.village == village and chosen(view.states[p.patient_id])),
                  key=lambda p: p.patient_id)


def _signing_batches(env: Environment, view: View, village: str, code: str, kind: str,
                     signing: list[tuple]) -> Iterator[tuple[str, Page]]:
    """A village's batch of one agreement, for everyone it applies to (written when nobody, too): printing it prints
    those to sign (未签, 已过期 or about to expire), 打印全部 also those in force (jf-in-force). Noted in signing for
    the index."""
    title, here = AGREEMENT_KINDS[kind], paths.batch(code, kind)
    everyone = _patients(view, village, lambda state: kind in state.documents)
    if not everyone:
        yield here, page(f"{title} · {code}", NOBODY, heading=f"{title} · {village}")
        return
    due = _patients(view, village, lambda state: kind in state.to_sign)
    to_sign = {p.patient_id for p in due}
    docs = "".join(patient_document(env, view, p, kind) if p.patient_id in to_sign
                   else in_force(patient_document(env, view, p, kind), kind) for p in everyone)
    rows = [(Raw(a(here, paths.patient(p.patient_id), p.patient_id)), p.name,
             next(paper.reason for paper in view.states[p.patient_id].papers if paper.kind == kind)) for p in due]
    scope = f"需要签订的{title}：未签、已过期或 {RENEWAL_DAYS} 天内到期（按统计截止日期 {view.as_of.isoformat()}）"
    if due:
        lead = f'<p class="jf-noprint">{scope}。</p>\n\n' + table(["编号", "姓名", "原因"], rows, cls="jf-table jf-noprint")
    else:
        lead = f'<p class="jf-noprint">本村目前没有{scope}。</p>'
    body = lead + _batch_buttons(len(due), len(everyone)) + docs
    yield here, page(f"{title} · {code}", body, heading=f"{title} · {village}")
    signing.append((village, title, f"{len(due)} 份", f"{len(everyone)} 份", Raw(a(paths.AGREEMENTS, here, "批量打印"))))


def in_force(document: str, kind: str) -> str:
    """A batch's document of an agreement still in force: shown, printed only with 打印全部 (jingfang.css)."""
    return document.replace(_opening(kind), _opening(kind, " jf-in-force"), 1)


def _batch_buttons(due: int, everyone: int) -> str:
    """打印需签的 (what the browser's own print prints too) and 打印全部, with a line on what each prints."""
    first = (f'<button class="md-button md-button--primary" onclick="window.print()">打印需签的 {due} 份</button> '
             if due else "")
    return (f'\n\n<p class="jf-noprint">{first}<button class="md-button" onclick="jingfangPrintAll()">'
            f"打印全部 {everyone} 份</button></p>\n\n"
            f'<p class="jf-noprint">下面是全部 {everyone} 份；标“有效期内”的 {everyone - due} 份只在“打印全部”时打印。'
            "每份单独占一页 A4。</p>\n\n")


def _batch(rel: str, title: str, code: str, village: str, docs: list[str],
           batches: list[tuple]) -> Iterator[tuple[str, Page]]:
    """One village's batch page of one document (written when nobody needs it, too); noted in batches for the index."""
    body = print_button(f"打印全部 {len(docs)} 份") + "".join(docs) if docs else NOBODY
    yield rel, page(f"{title} · {code}", body, heading=f"{title} · {village}")
    if docs:
        batches.append((village, title, len(docs), Raw(a(paths.AGREEMENTS, rel, "批量打印"))))


def _index(view: View, signing: list[tuple], batches: list[tuple]) -> Page:
    here = paths.AGREEMENTS
    agreements = table(["村社区", "协议", "需签订", "全部", ""], signing) if signing else "没有适用的患者。"
    index = table(["村社区", "文书", "份数", ""], batches) if batches else "没有。"
    patients = " ".join(a(here, paths.patient(p.patient_id), p.patient_id) for p in view.data.patients if not p.closed)
    holders = table(["占位符", "含义"], [("{{ " + k + " }}", v) for k, v in PLACEHOLDERS.items()])
    files = "、".join(f"{t}.html" for t in ALL_DOCUMENTS.values())
    body = f"""
每份文书单独占一页 A4（版式按 GB/T 9704：上 37 mm、下 35 mm、左 28 mm、右 26 mm，正文仿宋），打印时自动隐藏网站的页眉、导航和页脚。

## 按村社区批量打印协议

每村每种协议一页。默认只打印需要签订的：未签、已过期或 {RENEWAL_DAYS} 天内到期（按统计截止日期 {view.as_of.isoformat()}）；
页上的“打印全部”按钮打印协议适用的每一位患者（监护协议、以奖代补协议：在家居住的患者；免费服药告知书：免费服药的患者）。

{agreements}

## 其他文书

{index}

## 按患者打印

每位患者适用的文书（在家居住的有监护协议和以奖代补协议，免费服药的有告知书，高风险居家患者另有联合随访记录单）在其档案页末尾，每个帮扶小组的成立通知在小组页末尾，
点“打印文书”即可。

{patients}

## 修改文书内容

在台账所在文件夹新建“{OVERRIDE_FOLDER}”文件夹，放入同名文件（{files}）即可替换默认文字。
文件是带占位符的 HTML（Jinja 模板），可以从网站源码的默认模板复制后修改。可用的占位符：

{holders}
"""
    return page("协议打印", body)
