"""The value conventions of the workbook spec, one parser at a time."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from pydantic_core import PydanticCustomError

from generator.contract import values
from tests.workbooks import ID_1, ID_2, make_id


def code_of(parse, value) -> str:
    with pytest.raises(PydanticCustomError) as err:
        parse(value)
    return err.value.type


@pytest.mark.parametrize("text", ["2024-03-05", "2024/3/5", "2024.3.5", "2024年3月5日", "20240305", " 2024 - 03 - 05 ",
                                  "２０２４-０３-０５", 20240305, datetime(2024, 3, 5, 9, 30), date(2024, 3, 5)])
def test_every_date_spelling_of_the_spec_is_read(text):
    assert values.parse_date(text) == date(2024, 3, 5)


@pytest.mark.parametrize("text", ["2024-02-30", "24-3-5", "3/5/2024", "2024年3月", "明年", 45356, 45356.0, True, "2024-3-5 下午",
                                  "45356"])
def test_anything_else_is_not_a_date(text):
    assert code_of(values.parse_date, text) == "bad-date"


def test_an_excel_serial_number_explains_the_cell_format():
    with pytest.raises(PydanticCustomError) as err:
        values.parse_date(45356)
    assert "日期格式" in err.value.message()


@pytest.mark.parametrize("text, expected", [("是", True), ("否", False), ("Y", True), ("n", False), ("√", True),
                                             ("×", False), (1, True), (0, False), ("１", True), (True, True), (" 是 ", True)])
def test_yes_no_variants(text, expected):
    assert values.parse_yes_no(text) is expected


def test_yes_no_rejects_other_words():
    assert code_of(values.parse_yes_no, "可能") == "not-in-vocabulary"


@pytest.mark.parametrize("text, expected", [
    ("13812345678", "13812345678"), ("+86 138 1234 5678", "13812345678"), ("0086-13812345678", "13812345678"),
    ("8613812345678", "13812345678"), ("138-1234-5678", "13812345678"), ("１３８１２３４５６７８", "13812345678"),
    (13812345678, "13812345678"), (13812345678.0, "13812345678"), ("0827-5211234", "0827-5211234"),
    ("010-12345678", "010-12345678"), ("08275211234", "0827-5211234"), ("(0827)5211234", "0827-5211234"),
])
def test_phone_formats(text, expected):
    assert values.parse_phone(text) == expected


@pytest.mark.parametrize("text", ["5124418826", "1381234567", "138123456789", "12812345678", "5211234", "电话待补", 8275211234])
def test_bad_phones(text):
    assert code_of(values.parse_phone, text) == "bad-phone"


def test_a_ten_digit_mobile_like_the_seed_typo_is_caught_with_its_length():
    with pytest.raises(PydanticCustomError) as err:
        values.parse_phone("5124418826")
    assert "10 位" in err.value.message()


def test_a_landline_stored_as_a_number_explains_the_lost_zero():
    with pytest.raises(PydanticCustomError) as err:
        values.parse_phone(8275211234)
    assert "0 可能已经丢失" in err.value.message()


def test_id_numbers_are_normalised():
    x_id = next(i for i in (make_id("110101", date(1985, 7, 9), s, False) for s in range(500)) if i.endswith("X"))
    assert values.parse_id_number(x_id.lower()) == x_id
    assert values.parse_id_number(" " + ID_1[:6] + " " + ID_1[6:]) == ID_1
    assert values.parse_id_number(ID_1.translate(str.maketrans("0123456789", "０１２３４５６７８９"))) == ID_1
    assert values.id_birth_date(ID_1) == date(1980, 5, 6) and values.id_sex(ID_1) == "男"
    assert values.id_sex(ID_2) == "女"


def test_id_problems_have_their_own_codes():
    assert code_of(values.parse_id_number, ID_1[:-1] + ("1" if ID_1[-1] != "1" else "2")) == "bad-id-checksum"
    assert code_of(values.parse_id_number, float(ID_1)) == "id-lost-digits"
    assert code_of(values.parse_id_number, int(f"{float(ID_1):.0f}")) == "id-lost-digits"
    assert code_of(values.parse_id_number, ID_1[:15]) == "old-id"
    assert code_of(values.parse_id_number, ID_1[:16]) == "bad-id"
    first17 = "11010119801332012"  # month 13
    assert code_of(values.parse_id_number, first17 + values.id_check_char(first17)) == "bad-id"


def test_an_exact_integer_id_is_unambiguous_and_accepted():
    assert ID_1[-1] != "X"
    assert values.parse_id_number(int(ID_1)) == ID_1  # written by a program, every digit kept


def test_names_and_lists():
    assert values.parse_name("蔡  伟") == "蔡伟"
    assert values.parse_name(" 甘 秋禾 ") == "甘秋禾"
    assert values.split_names("骆思源、计承远，闵若川;聂冬晴；车怀瑾") == ["骆思源", "计承远", "闵若川", "聂冬晴", "车怀瑾"]
    assert values.split_names("骆思源、、") == ["骆思源"]


def test_integers():
    assert [values.parse_int(v) for v in (3, 3.0, "3", "３", " 14 ", "14.0")] == [3, 3, 3, 3, 14, 14]
    assert code_of(values.parse_int, "三级") == "bad-number"
    assert code_of(values.parse_int, 2.5) == "bad-number"
