"""The derived contract: a list is one spec (contract/lists.py) and one rule (derive/list_rules.py or records.py), and
shows up everywhere from those; the catalogue decides the order."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from generator.contract import lists
from generator.derive.evaluation import lists_json, overdue_lists
from generator.derive.registry import LIST_RULES, Facts, OverdueItem, rule
from generator.present.export import list_rows
from generator.contract.lists import ListSpec
from generator.present.pages import render_pages
from generator.contract.report import Report
from generator.contract.schema import Dataset
from generator.contract.settings import Settings
from generator.present.views import build_view
from generator.validate.workbook import validate_workbook
from generator.read.workbook import read_workbook
from tests.workbooks import AS_OF, every_list_sheets, write_sheets
from tests.markup import bare


def test_every_spec_has_a_rule_and_every_rule_a_spec():
    assert set(LIST_RULES) == set(lists.BY_KEY)
    assert len(lists.BY_KEY) == len(lists.LISTS)


def test_the_catalogue_decides_the_order(monkeypatch):
    data = Dataset(settings=Settings(township="测试镇"))
    order = [spec.key for spec in lists.LISTS]
    assert list(overdue_lists(data, AS_OF)) == order
    monkeypatch.setattr(lists, "LISTS", tuple(reversed(lists.LISTS)))
    assert list(overdue_lists(data, AS_OF)) == order[::-1]


def test_a_list_without_a_rule_or_a_rule_without_a_list_is_refused(monkeypatch):
    spec = ListSpec("sunday_visit", "周日面访", "在星期日进行的面访。", shows="none")
    monkeypatch.setattr(lists, "LISTS", lists.LISTS + (spec,))
    with pytest.raises(RuntimeError, match="lists of generator/contract/lists.py LISTS without a rule: sunday_visit"):
        overdue_lists(Dataset(settings=Settings(township="测试镇")), AS_OF)
    with pytest.raises(ValueError, match="list rule 'no_such_list' has no entry in generator/contract/lists.py LISTS"):
        rule("no_such_list")
    with pytest.raises(ValueError, match="list 'missing' has two rules"):
        rule("missing")


@pytest.fixture
def made_up_list(monkeypatch):
    """A list nobody asked for — face-to-face visits on a Sunday — added the way ARCHITECTURE.md says."""
    spec = ListSpec("sunday_visit", "周日面访", "在星期日进行的面访。", shows="date", date_label="面访日期")
    monkeypatch.setattr(lists, "LISTS", lists.LISTS + (spec,))
    monkeypatch.setitem(lists.BY_KEY, spec.key, spec)

    def sunday_visits(f: Facts):
        return (OverdueItem(v.patient_id, date=v.visit_date) for v in f.data.followups
                if v.face_to_face and v.visit_date.weekday() == 6)

    monkeypatch.setitem(LIST_RULES, spec.key, sunday_visits)
    return spec


def test_a_made_up_list_appears_in_json_pages_export_and_readme(made_up_list, every_list_data):
    data = every_list_data
    found = overdue_lists(data, AS_OF)
    sunday = sorted((v for v in data.followups if v.face_to_face and v.visit_date.weekday() == 6),
                    key=lambda v: (v.patient_id, v.visit_date))
    assert sunday, "the every-list workbook should hold a face-to-face visit on a Sunday"
    expected = [{"id": v.patient_id, "due": None, "days_overdue": None, "date": v.visit_date.isoformat()} for v in sunday]
    assert lists_json(found, AS_OF)["lists"]["sunday_visit"] == expected
    view = build_view(data, Report(), AS_OF, datetime(2025, 7, 1, 8, 0))
    pages = dict(render_pages(view))
    home = pages["index.md"].markdown()
    assert "周日面访" in home and "overdue/sunday_visit.html" in home
    listed = bare(pages["overdue/sunday_visit.md"].markdown())
    assert "在星期日进行的面访。" in listed and "<th>面访日期</th>" in listed and sunday[0].patient_id in listed
    assert "周日面访" in pages[f"patients/{sunday[0].patient_id}.md"].markdown()
    headers, rows = list_rows(view, made_up_list)
    assert headers[5] == "面访日期"
    assert sorted((row[1], row[5]) for row in rows) == [(v.patient_id, v.visit_date) for v in sunday]
    assert "| `sunday_visit` | 周日面访 | `id`（患者编号）、`date`（面访日期） | 在星期日进行的面访。 |" in lists.render_readme_table()


@pytest.fixture
def every_list_data(tmp_path):
    workbook = write_sheets(tmp_path / "台账.xlsx", every_list_sheets())
    data, report = validate_workbook(read_workbook(workbook), as_of=AS_OF, today=date(2025, 7, 1))
    assert report.valid
    return data


def test_the_register_shows_where_each_one_is_and_is_not_counted_as_a_to_do(every_list_data):
    view = build_view(every_list_data, Report(), AS_OF, datetime(2025, 7, 1, 8, 0))
    assert view.lists["high_risk_register"], "the every-list workbook has someone in the register"
    pages = dict(render_pages(view))
    register = bare(pages["overdue/high_risk_register.md"].markdown())
    assert "<th>列入日期</th><th>当前危险性</th><th>末次面访</th><th>末次通报</th>" in register
    home = pages["index.md"].markdown()
    todo, registers = home.split("## 待办清单", 1)[1].split("## 底册台账", 1)
    assert "high_risk_register.html" in registers.split("## 工作指标", 1)[0] and "high_risk_register.html" not in todo


def test_the_record_page_shows_incidents_reports_roll_calls_and_the_national_form(every_list_data):
    view = build_view(every_list_data, Report(), AS_OF, datetime(2025, 7, 1, 8, 0))
    incident = every_list_data.incidents[0]
    notice = every_list_data.notices[0]
    pages = dict(render_pages(view))
    record = bare(pages[f"patients/{incident.patient_id}.md"].markdown())
    assert "## 事件记录" in record and (f'<td>{incident.happened.isoformat()}</td>'
                                        f'<td>{incident.kind}</td>') in record
    assert "<th>随访对象</th>" in record and "<th>转归</th>" in record
    assert (f'<td>{notice.sent.isoformat()}</td><td>{notice.kind}</td>'
            in bare(pages[f"patients/{notice.patient_id}.md"].markdown()))
