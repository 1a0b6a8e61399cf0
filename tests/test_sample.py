"""The synthetic sample workbook: deterministic, valid, every list non-empty, synthetic people only."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook

from generator.derive.evaluation import overdue_lists
from generator.sample.synthetic import SAMPLE_AS_OF, sample_content
from generator.sample.template import write_workbook
from generator.validate.workbook import validate_workbook
from generator.contract.values import parse_id_number
from generator.read.workbook import read_workbook
from tests import fingerprints

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    path = tmp_path_factory.mktemp("sample") / "示例台账.xlsx"
    write_workbook(path, sample_content())
    data, report = validate_workbook(read_workbook(path), as_of=None, today=date(2026, 11, 24))
    return path, data, report


def test_sample_is_valid_with_a_few_warnings(sample):
    _, data, report = sample
    assert report.valid, report.flatten(["sheet", "cell", "code", "message"])[:5]
    assert 0 < len(report.warnings) < 60
    assert {p.code for p in report.warnings} <= {"too-few-visitors", "extra-column"}
    assert data.settings.as_of == SAMPLE_AS_OF and len(data.patients) == 60
    assert 4 <= len(data.villages) <= 6 and len(data.groups) >= 10


def test_every_overdue_list_is_non_empty(sample):
    _, data, _ = sample
    lists = overdue_lists(data, SAMPLE_AS_OF)
    assert [key for key, items in lists.items() if not items] == []
    assert len(lists) == 29  # the 15 lists of v1, the 10 of v2 and the 4 of v3
    home = sum(p.status == "在家居住" for p in data.patients)
    assert len(lists["followup_overdue"]) < home / 4  # most patients are in order


def test_every_sheet_is_populated(sample):
    _, data, _ = sample
    for name in ("villages", "staff", "leaders", "groups", "members", "patients", "followups", "assessments", "stays",
                 "checks", "agreements", "meetings", "work_meetings", "incidents", "screenings", "notices", "periods",
                 "roll_calls"):
        assert getattr(data, name), name
    assert data.absent == frozenset()
    assert all(p.died for p in data.patients if p.status == "死亡")
    assert {v.insight for v in data.followups if v.is_followup} == {"完全", "不全", "缺失"}


def test_v2_settings_and_a_period_planned_ahead(sample):
    _, data, _ = sample
    assert data.settings.active_search_days == 31 and data.settings.register_from.isoformat() == "2024-01-01"
    assert [p.name for p in data.periods if p.start > SAMPLE_AS_OF] == ["国庆"]


def test_sample_is_deterministic_and_seeded():
    assert sample_content(30, seed=7).rows == sample_content(30, seed=7).rows
    assert sample_content(30, seed=7).rows["患者"] != sample_content(30, seed=8).rows["患者"]


def test_sample_holds_realistic_mess(sample):
    path, data, _ = sample
    cells = [c for ws in load_workbook(path).worksheets for row in ws.iter_rows(values_only=True) for c in row if c]
    texts = [c for c in cells if isinstance(c, str)]
    assert any(re.fullmatch(r"\d{4}年\d{1,2}月\d{1,2}日", t) for t in texts)
    assert any(re.fullmatch(r"\d{4}\.\d{1,2}\.\d{1,2}", t) for t in texts)
    assert any(t.startswith("+86 ") for t in texts) and any("１" in t or "３" in t for t in texts)
    assert any(t in ("Y", "√") for t in texts)
    assert "核对情况" in texts


def test_people_are_synthetic_with_valid_unique_ids(sample):
    _, data, _ = sample
    ids = [p.id_number for p in data.patients if p.id_number]
    assert len(ids) == len(set(ids)) and all(parse_id_number(i) == i for i in ids)
    names = [p.name for p in data.patients] + [p.guardian for p in data.patients if p.guardian] + [s.name for s in data.staff]
    assert len(names) == len(set(names))
    seeds = fingerprints.load()
    assert len(seeds) > 1000, "tests/data/seed-fingerprints.txt is missing or empty"
    assert not [n for n in names if fingerprints.fingerprint(n) in seeds]
    phones = [p.guardian_phone for p in data.patients if p.guardian_phone] + [s.phone for s in data.staff]
    assert not [ph for ph in phones if fingerprints.fingerprint(fingerprints.phone_key(ph)) in seeds]


def test_seed_fingerprints_would_catch_a_reused_name_and_phone():
    seeds = fingerprints.seed_fingerprints(["组  长：甄望舒 某村副书记（电话：152****9178）"])
    assert fingerprints.fingerprint("甄望舒") in seeds and fingerprints.fingerprint("骆和知") not in seeds
    assert fingerprints.fingerprint(fingerprints.phone_key("15212349178")) in seeds


def test_committed_sample_is_what_the_command_writes(sample):
    path, _, _ = sample
    shipped, fresh = load_workbook(ROOT / "workbook" / "示例台账.xlsx"), load_workbook(path)
    assert shipped.sheetnames == fresh.sheetnames
    for name in fresh.sheetnames:
        assert list(shipped[name].values) == list(fresh[name].values), name
