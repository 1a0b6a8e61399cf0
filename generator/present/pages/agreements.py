"""协议打印: the documents prefilled per patient (end of the record page) and per group (end of the group page), each
village's batches of one document, the index listing them, and 文书模板说明 (the placeholders a township's own
template may use, for whoever edits one).

The documents themselves are rendered by document_html from document_context's values; this module only arranges
them on pages.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable, Iterator

from jinja2 import Environment

from generator.contract.documents import ALL_DOCUMENTS, DOCUMENTS, GROUP_DOCUMENTS, PLACEHOLDERS, VILLAGE_DOCUMENTS
from generator.contract.schema import Group, Patient, SensitivePeriod
from generator.contract.vocab import AGREEMENT_KINDS
from generator.derive.state import RENEWAL_DAYS, Paper, PatientState
from generator.present.document_context import context, group_context, roll_call_contexts
from generator.present.document_html import environment, opening, render_document
from generator.present.own_templates import OVERRIDE_FOLDER
from generator.present.views import View
from generator.present.pages import paths
from generator.present.pages.html import Page, Raw, a, page, print_button, table, text

# Every village has every batch page, an empty one too: the pages that exist and their titles are visible without a
# password, so they must not tell whether a village has, say, a high-risk patient at home.
NOBODY = "没有。"


def render_patient_documents(env: Environment, view: View, p: Patient) -> str:
    """The documents that apply to a patient (state.documents_needed) with where each agreement stands, for the end of
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
    yield render_template_help()


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
        yield here, page(f"{title} · {code}", NOBODY, heading=f"{title} · {village}", owner=code)
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
        lead = f'<p class="jf-none-due">本村目前没有{scope}。</p>'  # printed: never a blank sheet
    body = lead + _batch_buttons(len(due), len(everyone)) + docs
    yield here, page(f"{title} · {code}", body, heading=f"{title} · {village}", owner=code)
    signing.append((village, title, f"{len(due)} 份", f"{len(everyone)} 份", Raw(a(paths.AGREEMENTS, here, "批量打印"))))


def in_force(document: str, kind: str) -> str:
    """A batch's document of an agreement still in force: shown, printed only with 打印全部 (jingfang.css)."""
    return document.replace(opening(kind), opening(kind, " jf-in-force"), 1)


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
    yield rel, page(f"{title} · {code}", body, heading=f"{title} · {village}", owner=code)
    if docs:
        batches.append((village, title, len(docs), Raw(a(paths.AGREEMENTS, rel, "批量打印"))))


def _index(view: View, signing: list[tuple], batches: list[tuple]) -> Page:
    here = paths.AGREEMENTS
    agreements = table(["村社区", "协议", "需签订", "全部", ""], signing) if signing else "没有适用的患者。"
    index = table(["村社区", "文书", "份数", ""], batches) if batches else "没有。"
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
点“打印文书”即可。点下面的姓名打开档案：

{_by_patient(view, here)}

## 修改文书内容

要改文书的文字（如协议条款、落款），见{a(here, paths.TEMPLATE_HELP, "文书模板说明")}。
"""
    return page("协议打印", body)


def _by_patient(view: View, here: str) -> str:
    """The patients still under care, by village: each name opens the record (the page is encrypted: names may show)."""
    rows = []
    for village in view.village_codes:
        names = [a(here, paths.patient(p.patient_id), p.name) for p in view.data.patients
                 if p.village == village and not p.closed]
        if names:
            rows.append((village, Raw("、".join(names))))
    return table(["村社区", "患者"], rows) if rows else "没有。"


def render_template_help() -> tuple[str, Page]:
    """文书模板说明: for whoever edits the documents' wording, what each placeholder stands for, in words first."""
    holders = table(["内容", "在模板中写作"],
                    [(meaning, Raw(f"<code>{text('{{ ' + key + ' }}')}</code>")) for key, meaning in PLACEHOLDERS.items()])
    files = "、".join(f"{t}.html" for t in ALL_DOCUMENTS.values())
    body = f"""
这一页供修改文书文字的人参考；日常打印协议不需要看。

## 网站上的文书

在台账所在文件夹新建“{OVERRIDE_FOLDER}”文件夹，放入同名文件（{files}）即可替换默认文字，下次生成网站时生效。
文件是带占位符的网页文件（HTML），可以从默认模板复制后修改；生成网站时，占位符换成每位患者、每个小组的内容。

## Word 文书

运行 `jingfang documents 台账 --templates`，默认的 Word 模板会复制到“{OVERRIDE_FOLDER}”文件夹，用 Word 或 WPS 修改后
保存（仍为 .docx，文件名不变）即可。

## 可用的占位符

左列是占位符代表的内容，右列是在模板里的写法：连同两边的双花括号原样照抄，不要改动括号里的英文。

{holders}
"""
    return paths.TEMPLATE_HELP, page("文书模板说明", body)
