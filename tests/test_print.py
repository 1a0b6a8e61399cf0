"""What gets printed: batches of what needs signing, only the documents that apply, the wording of the agreements."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

import pytest

from generator.derive.evaluation import evaluate
from generator.present.pages import render_pages
from generator.present.pages.agreements import render_agreements
from generator.present.pages.printing import print_header
from generator.present.wording import amount_in_words
from generator.contract.report import Report
from generator.contract.organisation import Group, Village
from generator.contract.patients import Agreement, Assessment, Patient
from generator.contract.schema import Dataset
from generator.contract.settings import Settings
from generator.present.views import build_view
from tests.markup import bare

A = date(2025, 6, 30)


def patient(pid: str, **kw) -> Patient:
    fields = dict(patient_id=pid, name=f"试{pid}", sex="男", village="甲村", diagnosis="精神分裂症",
                  enrolled=date(2024, 1, 1), status="在家居住", group_id="G1", guardian=f"监{pid}",
                  guardian_relation="父母", guardian_phone="13900000000")
    return Patient(**(fields | kw))


def reward(pid: str, signed: date, expires: date | None = None, amount: float | None = None) -> Agreement:
    return Agreement(patient_id=pid, kind="以奖代补协议", signed=signed, expires=expires, amount=amount)


def dataset(patients: list[Patient], agreements: list[Agreement] = (), **kw) -> Dataset:
    return Dataset(settings=Settings(township="测试镇", reward_amount=2000), villages=[Village(name="甲村")],
                   groups=[Group(group_id="G1", name="甲村帮扶小组", village="甲村", leader="试组长")],
                   patients=patients, agreements=list(agreements), **kw)


# five 以奖代补 standings at A: in force, expired, ending in 20 days, ending in 40 days, never signed
FIVE = dataset(
    [patient(f"P{i}") for i in range(1, 6)],
    [reward("P1", date(2025, 1, 1), date(2025, 12, 31)),
     reward("P2", date(2024, 1, 1), date(2024, 12, 31)),
     reward("P3", date(2024, 7, 21), amount=1800),  # blank 到期日期: a year less a day → 2025-07-20, A + 20
     reward("P4", date(2024, 8, 10))],  # → 2025-08-09, A + 40
)


def pages_of(data: Dataset) -> dict:
    return dict(render_agreements(build_view(data, Report(), A, datetime(2025, 7, 1))))


def documents_in(body: str, *, printed: bool = False) -> list[str]:
    """The patient of each document on a page (its 患者 line), in order; printed: only those the page prints by
    default (not marked jf-in-force, which print only with 打印全部)."""
    found = re.findall(r'<section class="jf-doc jf-doc-\w+( jf-in-force)?">.*?患者：(试P\d+)', body, flags=re.S)
    return [patient for in_force, patient in found if not (printed and in_force)]


def test_each_agreement_says_why_it_is_to_be_signed():
    states = evaluate(FIVE, A).states
    standing = {pid: next(p.reason for p in s.papers if p.kind == "reward") for pid, s in states.items()}
    assert standing == {"P1": None, "P2": "已过期", "P3": "20 天后到期", "P4": None, "P5": "未签"}
    assert [pid for pid, s in states.items() if "reward" in s.to_sign] == ["P2", "P3", "P5"]


def test_thirty_days_ahead_is_still_in_the_batch_and_thirty_one_is_not():
    data = dataset([patient("P1"), patient("P2")],
                   [reward("P1", date(2025, 1, 1), A + timedelta(days=30)), reward("P2", date(2025, 1, 1), A + timedelta(days=31))])
    states = evaluate(data, A).states
    # (监护协议, 以奖代补协议): neither has a 监护协议
    assert [p.reason for p in states["P1"].papers] == ["未签", "30 天后到期"]
    assert [p.reason for p in states["P2"].papers] == ["未签", None]


def test_batch_prints_exactly_those_to_sign_by_default_and_everyone_with_print_all():
    pages = pages_of(FIVE)
    body = pages["agreements/V01-reward.md"].body
    assert documents_in(body, printed=True) == ["试P2", "试P3", "试P5"]
    assert documents_in(body) == ["试P1", "试P2", "试P3", "试P4", "试P5"]
    assert "<td>试P2</td><td>已过期</td>" in bare(body) and "<td>试P3</td><td>20 天后到期</td>" in bare(body)
    assert 'onclick="window.print()">打印需签的 3 份</button>' in body
    assert 'onclick="jingfangPrintAll()">打印全部 5 份</button>' in body
    assert "标“有效期内”的 2 份只在“打印全部”时打印" in body
    index = bare(pages["agreements/index.md"].body)
    assert '<tr><td>甲村</td><td>以奖代补协议</td><td>3 份</td><td>5 份</td><td><a href="V01-reward.html">批量打印</a></td></tr>' in index
    assert not [rel for rel in pages if rel.endswith("-all.md")]  # one page per village and agreement
    # nobody has a 监护协议: all five need one
    body = pages["agreements/V01-guardian.md"].body
    assert documents_in(body, printed=True) == documents_in(body) == ["试P1", "试P2", "试P3", "试P4", "试P5"]


def test_a_village_with_nothing_to_sign_says_so_and_offers_everyone():
    data = dataset([patient("P1")], [Agreement(patient_id="P1", kind="监护协议", signed=date(2025, 1, 1))])
    body = pages_of(data)["agreements/V01-guardian.md"].body
    assert documents_in(body, printed=True) == [] and documents_in(body) == ["试P1"]
    assert body.startswith('<p class="jf-none-due">本村目前没有需要签订的监护协议：未签、已过期或 30 天内到期'
                           '（按统计截止日期 2025-06-30）。</p>')
    assert "打印需签的" not in body and 'onclick="jingfangPrintAll()">打印全部 1 份</button>' in body


def test_only_the_documents_that_apply_to_a_patient():
    data = dataset(
        [patient("P1", free_medication=False), patient("P2", free_medication=True),
         patient("P3", status="住院治疗", free_medication=True, group_id=None), patient("P4", status="死亡", died=date(2025, 1, 1),
                                                                                  free_medication=True, group_id=None),
         patient("P5", free_medication=True)],
        assessments=[Assessment(patient_id="P5", assessed=date(2025, 6, 1), risk=4)])
    states = evaluate(data, A).states
    assert {pid: s.documents for pid, s in states.items()} == {
        "P1": ("guardian", "reward"), "P2": ("guardian", "reward", "consent"), "P3": ("consent",), "P4": (),
        "P5": ("guardian", "reward", "consent", "joint_visit")}
    pages = pages_of(data)
    assert documents_in(pages["agreements/V01-consent.md"].body) == ["试P2", "试P3", "试P5"]


def test_the_record_page_offers_only_what_applies():
    data = dataset([patient("P1", free_medication=False), patient("P2", status="死亡", died=date(2025, 1, 1), group_id=None)])
    view = build_view(data, Report(), A, datetime(2025, 7, 1))
    records = dict(render_pages(view))
    first = records["patients/P1.md"].body
    assert re.findall(r'<section class="jf-doc jf-doc-(\w+)">', first) == ["guardian", "reward"]
    assert "监护协议 未签；以奖代补协议 未签。" in first and "打印文书（2 份，每份一页 A4）" in first
    assert ("该患者目前没有要打印的文书：协议只用于在家居住的患者，免费服药告知书只用于免费服药的患者。"
            in records["patients/P2.md"].body)


@pytest.mark.parametrize("relation, printed", [
    ("父母", "与患者关系：□父亲　□母亲"), ("子女", "与患者关系：□儿子　□女儿"), ("配偶", "与患者关系：配偶"),
    ("其他亲属", "与患者关系：其他亲属（________）"), (None, "与患者关系：__________"),
    ("父亲", "与患者关系：父亲"), ("女儿", "与患者关系：女儿"),  # one person named: as typed, nothing to tick
])
def test_relation_names_one_guardian(relation, printed):
    data = dataset([patient("P1", guardian_relation=relation, free_medication=True)])
    pages = pages_of(data)
    for kind in ("guardian", "reward", "consent"):
        body = pages[f"agreements/V01-{kind}.md"].body
        assert printed in body, kind
        assert "与患者关系：父母" not in body and "与患者关系：子女" not in body


def test_the_notice_lists_each_guardians_relation_as_typed_never_x_or_y():
    relations = ["父母", "父亲", "母亲", "子女", "儿子", "女儿", "兄弟姐妹"]
    data = dataset([patient(f"P{i}", guardian_relation=r) for i, r in enumerate(relations, 1)])
    notice = bare(pages_of(data)["agreements/V01-notice.md"].body)
    rows = re.findall(r"<tr><td>监护人</td><td>(试?监P\d)</td><td>(.*?)</td>", notice)
    assert rows == [(f"监P{i}", r) for i, r in enumerate(relations, 1)]
    assert "或" not in "".join(r for _, r in rows)


def test_reward_agreement_has_its_term_amount_and_a_line_per_party():
    pages = pages_of(FIVE)
    docs = re.split(r'<section class="jf-doc jf-doc-reward(?: jf-in-force)?">', pages["agreements/V01-reward.md"].body)[1:]
    by_patient = dict(zip(["P1", "P2", "P3", "P4", "P5"], docs))
    assert "本协议有效期一年，自 2025年1月1日 起至 2025年12月31日 止" in by_patient["P1"]  # in force: as signed
    assert "自 2025年7月21日 起至 2026年7月20日 止" in by_patient["P3"]  # renewal: from the day after it ends
    assert "自 ______年____月____日 起至 ______年____月____日 止" in by_patient["P2"]  # expired: the signers write it
    assert "年度监护奖励人民币 <strong>1800</strong> 元（大写：壹仟捌佰元整）" in by_patient["P3"]  # the agreement's amount
    assert "年度监护奖励人民币 <strong>2000</strong> 元（大写：贰仟元整）" in by_patient["P5"]  # else 基本设置's
    sign = by_patient["P1"][by_patient["P1"].index('<div class="jf-sign">'):]
    assert re.findall(r"<p>(.*?)</p>", sign) == [
        "甲方（盖章）：测试镇人民政府<br>代表（签字）：______________　　日期：______年____月____日",
        "乙方（盖章）：甲村村民委员会<br>代表（签字）：______________　　日期：______年____月____日",
        "丙方（监护人签字）：______________　　日期：______年____月____日"]


def test_guardian_agreement_and_consent_have_a_date_line_per_signer():
    pages = pages_of(dataset([patient("P1", free_medication=True)]))
    for kind, signers in (("guardian", 2), ("consent", 3)):
        body = pages[f"agreements/V01-{kind}.md"].body
        assert body.count("日期：______年____月____日") == signers, kind


@pytest.mark.parametrize("amount, words", [
    (2000, "贰仟元整"), (1800, "壹仟捌佰元整"), (2500, "贰仟伍佰元整"), (200, "贰佰元整"), (1050, "壹仟零伍拾元整"),
    (10005, "壹万零伍元整"), (100000, "壹拾万元整"), (1800.5, "壹仟捌佰元伍角"), (1800.05, "壹仟捌佰元零伍分"),
    (None, ""), (0, ""),
])
def test_amount_in_words(amount, words):
    assert amount_in_words(amount) == words


def test_township_reaches_the_print_margin_as_inert_text():
    assert print_header("测试镇") == '<div class="jf-township" data-township="测试镇" hidden></div>\n\n'
    hostile = print_header('镇"><script>alert(1)</script>')
    assert hostile == ('<div class="jf-township" data-township="镇&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;" '
                       'hidden></div>\n\n')
