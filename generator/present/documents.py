"""``jingfang documents``: the printable documents as editable Word files, one per village and document (or one per
document), written into a folder of their own outside any built site.

Which patients get a document is the site's batch selection (``PatientState.to_sign`` for agreements,
``PatientState.documents`` for forms); ``everyone`` takes every patient the document applies to. The files are plaintext
personal data like an export: each readable by its owner only, never inside a built site.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from generator.contract.documents import DOCUMENTS, GROUP_DOCUMENTS, TOWNSHIP_DOCUMENTS, VILLAGE_DOCUMENTS
from generator.contract.lists import DEPARTMENTS
from generator.contract.patients import Patient
from generator.contract.vocab import AGREEMENT_KINDS
from generator.derive.monthly import monthly_report
from generator.derive.registry import Facts
from generator.present.document_context import context, group_context, report_context, roll_call_contexts
from generator.present.export import ExportRefused, check_target, check_village, write_private
from generator.present.outpaths import check_not_input, file_in
from generator.present.own_templates import OVERRIDE_FOLDER, TemplateProblem
from generator.present.views import View
from generator.present.word import DEFAULTS, SUFFIX, render_documents, template_path

TITLES = [*DOCUMENTS.values(), *GROUP_DOCUMENTS.values(), *VILLAGE_DOCUMENTS.values(), *TOWNSHIP_DOCUMENTS.values()]
MARKER = ".jingfang-documents"  # marks a folder this command made, so a later run may write into it again
MARKER_TEXT = "这个文件夹由 jingfang documents 生成，其中的 Word 文书含患者个人信息，请妥善保管，用后删除。\n"


class UnknownKind(Exception):
    """A --kind that is not one of the documents; the message names them."""


@dataclass
class Planned:
    """One .docx to write: its file name, the template's title and one context per document in it."""

    name: str
    title: str
    contexts: list[dict]


def check_kinds(kinds: list[str]) -> None:
    """Refuse a document name we do not have, naming those we have."""
    for kind in kinds:
        if kind not in TITLES:
            raise UnknownKind(f"没有叫“{kind}”的文书。可以选的文书有：{'、'.join(TITLES)}。")


def check_folder(folder: Path) -> None:
    """Refuse a folder inside a built site, a file, or a folder holding other things than our own documents."""
    check_target(folder)
    if folder.exists() and not folder.is_dir():
        raise ExportRefused(f"“{folder}”是一个文件，不是文件夹，没有写入。请指定一个新的或空的文件夹。")
    if folder.is_dir() and any(folder.iterdir()) and not (folder / MARKER).is_file():
        raise ExportRefused(f"文件夹“{folder}”里已经有别的文件，没有写入（以免和别的文件混在一起）。请指定一个新的或空的文件夹。")


def gets(view: View, p: Patient, kind: str, everyone: bool) -> bool:
    """Whether a patient gets a document: the site's batch selection (an agreement to sign: missing, expired or
    ending soon; a form whenever it applies), or (everyone) whenever it applies."""
    state = view.states[p.patient_id]
    if everyone or kind not in AGREEMENT_KINDS:
        return kind in state.documents
    return kind in state.to_sign


def plan(view: View, villages: list[str], kinds: list[str], patients: list[str], everyone: bool,
         separate: bool) -> list[Planned]:
    """The files to write: per village and document (every village and document when none is named)."""
    for village in villages:
        check_village(view, village)
    check_kinds(kinds)
    planned = []
    for village in villages or list(view.village_codes):
        for kind, title in DOCUMENTS.items():
            if kinds and title not in kinds:
                continue
            chosen = sorted((p for p in view.data.patients if p.village == village and gets(view, p, kind, everyone)
                             and (not patients or p.patient_id in patients)), key=lambda p: p.patient_id)
            docs = [(p.patient_id, context(view, p)) for p in chosen]
            planned += files(village, title, docs, separate)
        if patients:  # a patient's documents were asked for, not the village's notices and sheets
            continue
        for title in GROUP_DOCUMENTS.values():
            if not kinds or title in kinds:
                docs = [(g.group_id, group_context(view, g)) for g in view.data.groups if g.village == village]
                planned += files(village, title, docs, separate)
        for title in VILLAGE_DOCUMENTS.values():
            if not kinds or title in kinds:
                sheets = [(str(k), roll_call_contexts(view, period, village))
                          for k, period in enumerate(view.data.periods, 1)]
                planned += files(village, title, [(key, c) for key, ctxs in sheets for c in ctxs], separate)
    title = TOWNSHIP_DOCUMENTS["monthly"]
    if not villages and not patients and (not kinds or title in kinds):  # the whole township's: not for one village
        sections = monthly_report(Facts(view.data, view.as_of, view.histories, view.states), view.month)
        copies = [(d.slug, report_context(view, d, sections)) for d in DEPARTMENTS]
        planned += files(view.month.label, title, copies, separate)
    return planned


def files(village: str, title: str, docs: list[tuple[str, dict]], separate: bool) -> list[Planned]:
    """One file of all a village's documents of a title, or (separate) one file per patient, group or period."""
    if not docs:
        return []
    if not separate:
        return [Planned(f"{village}-{title}.docx", title, [c for _, c in docs])]
    keys = list(dict.fromkeys(key for key, _ in docs))  # a period's weekly sheets stay together
    return [Planned(f"{village}-{title}-{key}.docx", title, [c for k, c in docs if k == key]) for key in keys]


def write_documents(view: View, folder: Path, planned: list[Planned], workbook_dir: Path | None, *,
                    reads: Sequence[Path]) -> list[tuple[str, int]]:
    """Render every file first (a template problem writes nothing) and check every name (none may leave folder, none
    may be an input: reads or a template), then write them into folder, each 0600."""
    check_folder(folder)
    inputs = [*reads, *(template_path(p.title, workbook_dir) for p in planned)]
    for name in [MARKER, *(p.name for p in planned)]:
        check_not_input(file_in(folder, name), inputs)
    rendered = [(p.name, len(p.contexts), render_documents(p.title, p.contexts, workbook_dir)) for p in planned]
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    write_private(MARKER_TEXT.encode("utf-8"), folder, MARKER, inputs)
    for name, _, data in rendered:
        write_private(data, folder, name, inputs)
    return [(name, count) for name, count, _ in rendered]


def copy_templates(workbook_dir: Path) -> list[tuple[str, str]]:
    """Copy the default Word templates into 协议模板/ beside the workbook for a clerk to edit; never over anything
    already there (it may be the township's own), never through a link (a dangling one would create its target
    wherever it points). Returns (file name, why it was not copied, or "")."""
    folder = workbook_dir / OVERRIDE_FOLDER
    if folder.is_symlink():
        raise TemplateProblem(f"“{folder}”是一个链接（快捷方式），不是文件夹本身，没有复制模板。请删去它，再运行一次。")
    folder.mkdir(exist_ok=True)
    done = []
    for title in TITLES:
        target = folder / f"{title}{SUFFIX}"
        try:
            with open(target, "xb") as file:  # O_CREAT|O_EXCL: fails on anything there, a dangling link included
                file.write((DEFAULTS / target.name).read_bytes())
            note = ""
        except FileExistsError:
            note = "是一个链接，没有写入" if target.is_symlink() else "已有，没有覆盖"
        done.append((f"{OVERRIDE_FOLDER}/{target.name}", note))
    return done
