"""Each page says whose it is where it is made (Page.owner): a village's pages, its patients' and groups', a
department's, or the township's; a page at a village's or department's address made without an owner stops the build."""

from __future__ import annotations

from datetime import date, datetime

import pytest

import generator.present.pages as pages_module
from generator.contract.access import department_level
from generator.contract.documents import DOCUMENTS, GROUP_DOCUMENTS
from generator.contract.lists import DEPARTMENTS
from generator.present.pages import Unowned, paths, render_pages, with_levels
from generator.present.pages.html import page
from generator.present.views import View, build_view
from generator.read.workbook import read_workbook
from generator.sample.synthetic import SAMPLE_AS_OF, sample_content
from generator.sample.template import write_workbook
from generator.validate.workbook import validate_workbook


@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> View:
    path = tmp_path_factory.mktemp("owners") / "示例台账.xlsx"
    write_workbook(path, sample_content())
    data, report = validate_workbook(read_workbook(path), as_of=None, today=date(2026, 11, 24))
    assert report.valid
    return build_view(data, report, SAMPLE_AS_OF, datetime(2026, 11, 24, 8, 0))


def expected_owners(view: View) -> dict[str, str]:
    """Whose each page is, worked out from the addresses (as the build did before pages declared it themselves)."""
    owners: dict[str, str] = {}
    for d in DEPARTMENTS:
        owners[paths.department(d.slug)] = owners[paths.monthly(d.slug)] = department_level(d.slug)
    for code in view.village_codes.values():
        for rel in (paths.village_roster(code), paths.village_lists(code), paths.village(code), paths.week_village(code)):
            owners[rel] = code
        for kind in [*DOCUMENTS, *GROUP_DOCUMENTS, *(f"rollcall{k}" for k in range(1, len(view.data.periods) + 1))]:
            owners[paths.batch(code, kind)] = code
    owners |= {paths.patient(p.patient_id): view.village_code(p.village) for p in view.data.patients}
    owners |= {paths.group(g.group_id): view.village_code(g.village) for g in view.data.groups}
    return owners


def test_every_page_of_a_village_patient_group_or_department_names_its_owner(sample):
    made = {rel: item.owner for rel, item in render_pages(sample)}
    expected = expected_owners(sample)
    assert sample.data.periods and sample.data.groups  # roll calls and groups are among the pages checked
    assert set(expected) <= set(made)
    assert made == {rel: expected.get(rel) for rel in made}  # the rest (None) are the township's


def test_a_village_page_made_without_its_owner_stops_the_build(sample, monkeypatch):
    forgotten = {"week/V01.md": page("本周应访 · V01", "正文")}  # a per-village page whose maker forgot owner=code
    monkeypatch.setattr(pages_module, "render_week", lambda view: forgotten)
    with pytest.raises(Unowned, match="week/V01.md"):
        list(render_pages(sample))


@pytest.mark.parametrize("rel", ["roster/V01.md", "overdue/V02.md", "villages/V01.md", "agreements/V01-rollcall1.md",
                                 "agreements/V02-notice.md", "patients/P001.md", "groups/G01.md", "departments/police.md",
                                 "departments/police-monthly.md"])
def test_the_addresses_of_a_village_or_department_are_owned(rel):
    assert paths.OWNED.fullmatch(rel)


@pytest.mark.parametrize("rel", ["index.md", "roster/index.md", "week/D01.md", "week/index.md", "overdue/index.md",
                                 "overdue/followup_overdue.md", "groups/index.md", "departments/index.md",
                                 "departments/monthly.md", "agreements/index.md", "villages/index.md", "rules.md"])
def test_the_township_addresses_are_not(rel):
    assert not paths.OWNED.fullmatch(rel)


def test_a_page_takes_its_owners_level_only_when_the_owner_has_a_password():
    made = [("villages/V01.md", page("村社区 V01", "", owner="V01")), ("villages/V02.md", page("村社区 V02", "", owner="V02")),
            ("departments/police.md", page("部门 · 派出所", "", owner="dept-police")), ("villages/index.md", page("村社区", "")),
            ("index.md", page("首页", ""))]
    levels = {rel: item.level for rel, item in with_levels(made, {"V01", "dept-police"})}
    assert levels == {"villages/V01.md": "V01", "villages/V02.md": None, "departments/police.md": "dept-police",
                      "villages/index.md": "entry", "index.md": None}
