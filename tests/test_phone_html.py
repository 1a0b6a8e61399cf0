"""html.phone and html.table as pages use them (issue 14): tel: links that carry only a number, labelled cells."""

from __future__ import annotations

from generator.present.document_html import link_phones
from generator.present.pages.html import person_phone, phone, table


def test_a_full_phone_is_a_tel_link_and_a_masked_or_empty_one_text():
    assert phone("13900000001") == '<a class="jf-tel jf-nw" href="tel:13900000001">13900000001</a>'
    assert phone("0827-1234567") == '<a class="jf-tel jf-nw" href="tel:0827-1234567">0827-1234567</a>'
    assert phone("139****0001") == "139&#42;&#42;&#42;&#42;0001"  # text, stars written as characters
    assert phone("") == "" and phone(None) == "" and phone("无") == "无"
    assert person_phone("试组长", "13900000002") == '试组长 <a class="jf-tel jf-nw" href="tel:13900000002">13900000002</a>'
    assert person_phone("试组长", "") == "试组长"


def test_a_hostile_phone_value_reaches_the_href_as_digits_only_and_the_text_inert():
    hostile = '139" onclick="alert(1)" href="javascript:alert(2)<script>'
    link = phone(hostile)
    href = link.split('href="', 1)[1].split('"', 1)[0]
    assert href == "tel:13912"  # letters, quotes, colons and brackets never reach the address
    assert "<script>" not in link and "onclick=\"" not in link and link.count('"') == 4
    assert link.endswith("&#60;script&#62;</a>")


def test_headers_carry_the_column_layout_once_and_cells_stay_bare():
    """jingfang.js copies each header (as data-label) and its classes onto the column's cells when the page opens
    (tests/test_browser_phone.py sees the result); the pages write them once per table, not once per cell."""
    markup = table(["编号", "姓名", "在管状态", "应办日期", "逾期天数", "帮扶小组", "监护人电话"],
                   [("P001", "试甲乙", "在家居住", "2026-09-30", 3, "G01", "139****0001")])
    assert ('<thead><tr><th class="jf-nw">编号</th><th class="jf-nw">姓名</th><th class="jf-nw jf-more">在管状态</th>'
            '<th class="jf-nw">应办日期</th><th class="jf-nw">逾期天数</th><th class="jf-nw jf-more">帮扶小组</th>'
            '<th class="jf-nw">监护人电话</th></tr></thead>') in markup
    assert ("<tr><td>P001</td><td>试甲乙</td><td>在家居住</td><td>2026-09-30</td><td>3</td><td>G01</td>"
            "<td>139****0001</td></tr>") in markup
    assert '<table class="jf-table">' in markup and "data-label" not in markup


def test_small_tables_fold_nothing_and_two_columns_stay_a_table_on_phones():
    assert "jf-more" not in table(["日期", "类型", "通报对象", "备注"], [("2026-01-01", "a", "b", "c")])
    assert '<table class="jf-table jf-flat">' in table(["项目", "内容"], [("姓名", "试甲乙")])
    assert "<th>&lt;b&gt;</th>" in table(["<b>"], [("x",)])  # a header is text


def test_a_documents_phones_become_tel_links_in_text_only():
    ctx = {"guardian": {"phone": "13900000001"}, "members": [{"name": "试组长", "phone": "0827-1234567"}]}
    markup = '<p class="13900000001">电话：13900000001；ID 513900000001139000000012；座机 0827-1234567。</p>'
    assert link_phones(markup, ctx) == (
        '<p class="13900000001">电话：<a class="jf-tel jf-nw" href="tel:13900000001">13900000001</a>；'
        'ID 513900000001139000000012；座机 <a class="jf-tel jf-nw" href="tel:0827-1234567">0827-1234567</a>。</p>')
    assert link_phones(markup, {"guardian": {"phone": ""}}) == markup
