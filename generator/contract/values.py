"""The workbook's value conventions: how a messy cell becomes a clean value.

Each ``parse_*`` takes what the reader found in a cell (str, int, float, datetime, bool) and returns the
clean value or raises :class:`pydantic_core.PydanticCustomError` whose type is one of our stable problem
codes and whose message a township clerk can act on.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from datetime import date, datetime, timedelta

from pydantic_core import PydanticCustomError

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK_CHARS = "10X98765432"
MOBILE_RE = re.compile(r"1[3-9]\d{9}")
# area code: 0 + 2–3 digits; local number: 7–8 digits
LANDLINE_RE = re.compile(r"(0\d{2,3})-?(\d{7,8})")
DATE_PATTERNS = (
    re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})"),
    re.compile(r"(\d{4})/(\d{1,2})/(\d{1,2})"),
    re.compile(r"(\d{4})\.(\d{1,2})\.(\d{1,2})"),
    re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日"),
    re.compile(r"(\d{4})(\d{2})(\d{2})"),
)
DATE_SPELLINGS = "2024-03-05、2024/3/5、2024.3.5、2024年3月5日 或 20240305"
YES = frozenset({"是", "Y", "YES", "√", "✓", "✔", "1", "TRUE"})
NO = frozenset({"否", "N", "NO", "×", "✗", "✘", "0", "FALSE"})
LIST_SEPARATORS = re.compile(r"[、，,;；/／\s]+")  # \s: spaces, the full-width space, line breaks (Alt+Enter)
CJK_SPACE_RE = re.compile(r"(?<=[\u3400-\u9fff])\s+(?=[\u3400-\u9fff])")
# zero-width characters, direction marks, soft hyphen, BOM: nobody sees them, but they make two equal values differ
INVISIBLE_RE = re.compile("[\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]")
ODD_SPACE_RE = re.compile("[\u00ad\u00a0\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]")  # invisible + NBSP
CONTROL_RE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
UNSAFE_RE = re.compile("[<>\x00-\x1f\x7f-\x9f\u2028\u2029]")
# in a list cell, line breaks and tabs separate names: anything else here needs the slow path
ODD_IN_LIST_RE = re.compile("[<>\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u00ad\u00a0\u180e\u200b-\u200f\u202a-\u202e"
                            "\u2060-\u2064\ufeff]")
_PLAIN: dict[str, str] = {}  # short non-ASCII cells (choices, dates) repeat: normalise each spelling once
APOSTROPHES = "'‘’`"
SERIAL_EPOCH = date(1899, 12, 30)  # Excel's day 0 (in the 1900 date system)
TIME_RE = re.compile(r"(.+?)(?:\s+|T)\d{1,2}[:：]\d{2}(?:[:：]\d{2}(?:\.\d+)?)?")


# A county workbook repeats the same few thousand codes, names, places and days across ~500,000 rows: one shared
# object per distinct value instead of one per cell keeps the validated rows small.
SHARE_MAX_CHARS = 24  # longer texts (notes, addresses) rarely repeat
_DAYS: dict[date, date] = {}


def share(text: str) -> str:
    """The one shared copy of a short text."""
    return sys.intern(text) if len(text) <= SHARE_MAX_CHARS else text


def _day(value: date) -> date:
    return _DAYS.setdefault(value, value)


def fail(code: str, message: str) -> PydanticCustomError:
    """A problem with a cell, typed by our stable code; the message is passed through verbatim."""
    return PydanticCustomError(code, "{message}", {"message": message})


def clean_text(value: object) -> str | None:
    """Free text as typed, trimmed; None for an empty cell. Punctuation and full-width characters are kept."""
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = value.strip() if isinstance(value, str) else str(value).strip()
    return share(text) if text else None


def plain(value: object) -> str:
    """A code, number, date, ID, phone or choice as text: NFKC (half-width), invisible characters and a leading
    apostrophe (typed to force text) dropped, trimmed; "" for an empty cell."""
    if isinstance(value, str):
        if value.isascii():  # most cells: skip NFKC
            text = value.strip()
            return share(text.lstrip(APOSTROPHES).strip() if text and text[0] in APOSTROPHES else text)
        known = _PLAIN.get(value)
        if known is None:
            text = unicodedata.normalize("NFKC", INVISIBLE_RE.sub("", value.replace("\u00a0", " "))).strip()
            known = share(text.lstrip(APOSTROPHES).strip() if text and text[0] in APOSTROPHES else text)
            if len(value) <= SHARE_MAX_CHARS and len(_PLAIN) < 100_000:
                _PLAIN[value] = known
        return known
    return clean_text(value) or ""


def parse_choice(value: object) -> str | None:
    """A value picked from a list (a vocabulary): plain text, None for an empty cell."""
    return plain(value) or None


def split_choices(value: object) -> list[str]:
    """Several values picked from a list, in one cell, separated like names (、 ， , ; or spaces)."""
    text = plain(value)
    return [part for part in LIST_SEPARATORS.split(text) if part]


def check_safe(text: str, what: str = "姓名、编号和名称") -> str:
    """Refuse markup and control characters in a name, code or setting (they end up in pages and page titles)."""
    if not UNSAFE_RE.search(text):
        return text
    if "<" in text or ">" in text:
        raise fail("unsafe-text", f"「{text}」含有 < 或 > 符号。{what}不能含有 < 或 > 等符号，请删除。")
    shown = CONTROL_RE.sub("↵", text)
    raise fail("unsafe-text", f"「{shown}」含有看不见的控制字符（换行等，显示为 ↵）。{what}必须写在一行里，请删除后重新输入。")


def show(value: object) -> str:
    """A cell value as the clerk sees it, for messages."""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat(" ")
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    if isinstance(value, float) and abs(value) >= 1e15:
        return f"{value:.5E}"  # as Excel shows a long number it can no longer hold exactly
    return str(value)


def parse_date(value: object) -> date:
    """A real Excel date or one of the five text spellings."""
    if isinstance(value, datetime):
        return _day(value.date())
    if isinstance(value, date):
        return _day(value)
    if isinstance(value, bool):
        raise fail("bad-date", f"「{show(value)}」不是日期。请填写如 {DATE_SPELLINGS} 的日期。")
    if isinstance(value, (int, float)):
        if float(value).is_integer() and 19000101 <= value <= 29991231:
            value = str(int(value))
        else:
            raise fail(
                "bad-date",
                f"「{show(value)}」是一个数字，不是日期（可能是单元格格式被改成了“常规”{_as_serial(value)}）。"
                f"请把单元格设为日期格式，或填写如 {DATE_SPELLINGS} 的日期。",
            )
    text = plain(value)
    with_time = TIME_RE.fullmatch(text)
    compact = re.sub(r"\s+", "", with_time.group(1) if with_time else text)  # a time of day typed after the date
    for pattern in DATE_PATTERNS:
        match = pattern.fullmatch(compact)
        if match:
            year, month, day = (int(g) for g in match.groups())
            try:
                return _day(date(year, month, day))
            except ValueError:
                raise fail("bad-date", f"「{text}」不是一个存在的日期（{year}年没有{month}月{day}日）。") from None
    if re.fullmatch(r"\d{5}(\.0+)?", compact):
        raise fail("bad-date", f"「{text}」是存成文本的数字，不是日期{_as_serial(float(compact))}。"
                               f"请重新输入日期，如 {DATE_SPELLINGS}。")
    raise fail("bad-date", f"「{text}」不是可识别的日期。请填写如 {DATE_SPELLINGS} 的日期。")


def _as_serial(value: float) -> str:
    """What Excel would show for value as a date serial number, as a hint ("" when it is no plausible date)."""
    if not 1 <= value <= 73050:  # up to 2099-12-31
        return ""
    return f"；作为 Excel 日期序号，它是 {(SERIAL_EPOCH + timedelta(days=int(value))).isoformat()}"


def parse_yes_no(value: object) -> bool:
    """是/否, also Y/N, √/×, 1/0 and Excel's TRUE/FALSE."""
    text = plain(value).upper()
    if text in YES:
        return True
    if text in NO:
        return False
    raise fail("not-in-vocabulary", f"「{show(value)}」不是“是”或“否”。请填写 是 或 否（也可用 Y/N、√/×、1/0）。")


def parse_int(value: object) -> int:
    """A whole number, typed as a number or as text."""
    if isinstance(value, bool):
        raise fail("bad-number", f"「{show(value)}」不是整数。")
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    text = plain(value)
    if re.fullmatch(r"[+-]?\d+", text):
        return int(text)
    if re.fullmatch(r"[+-]?\d+\.0+", text):
        return int(float(text))
    raise fail("bad-number", f"「{show(value)}」不是整数，请只填写数字。")


def parse_amount(value: object) -> float:
    """An amount of money in 元 (may have decimals; a trailing 元 is tolerated)."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    text = re.sub(r"[\s,元]", "", plain(value))
    try:
        return float(text)
    except ValueError:
        raise fail("bad-number", f"「{show(value)}」不是金额，请只填写数字（单位：元）。") from None


def parse_name(value: object) -> str | None:
    """A person's name; spaces typed to align two-character names (蔡  伟) and invisible characters are dropped."""
    text = check_safe(ODD_SPACE_RE.sub(_odd_space, value).strip() if isinstance(value, str) else clean_text(value) or "")
    return _name(text) if text else None  # a cell of invisible characters is empty


def _odd_space(match: re.Match) -> str:
    return " " if match.group() == "\u00a0" else ""


def _name(text: str) -> str:
    return share(CJK_SPACE_RE.sub("", text)) if " " in text or "\u3000" in text else share(text)


def split_names(value: object) -> list[str]:
    """A list of names in one cell, separated by spaces, line breaks, 、 ， , ； ; or /."""
    text = value if isinstance(value, str) else clean_text(value) or ""
    if ODD_IN_LIST_RE.search(text):
        text = ODD_SPACE_RE.sub("", text)
        check_safe(LIST_SEPARATORS.sub("、", text))  # line breaks and tabs separate names here; other controls do not
    return [_name(part) for part in LIST_SEPARATORS.split(text) if part]


def parse_place(value: object) -> str | None:
    """A village, community or township name: as typed (no half-width conversion), one line, no markup."""
    text = ODD_SPACE_RE.sub(_odd_space, value).strip() if isinstance(value, str) else clean_text(value) or ""
    return share(check_safe(text, "名称")) if text else None


# what Windows, macOS or Linux refuse in a file name, or read as a folder or drive (< > and control characters are
# already unsafe-text); full-width ／ ： are ordinary characters
FILE_NAME_RE = re.compile(r'[/\\:*?"|]')
FILE_NAME_RULE = "乡镇和村社区名称会用作导出文件和 Word 文书的文件名，不能含有 / \\ : * ? \" | 这些符号，请删除或改用别的字。"


def check_file_name(text: str) -> str:
    """Refuse a township or village name that cannot be part of a file name (it would name, or leave, a folder)."""
    found = FILE_NAME_RE.findall(text)
    if found:
        raise fail("unsafe-file-name", f"「{text}」含有 {' '.join(dict.fromkeys(found))} 符号。{FILE_NAME_RULE}")
    if text.startswith("."):
        raise fail("unsafe-file-name", f"「{text}」以点“.”开头。乡镇和村社区名称会用作文件名，以点开头的文件会被隐藏，"
                                       "请删除开头的点。")
    return text


def parse_file_place(value: object) -> str | None:
    """A township or village name (and every reference to a village): a place that is also part of file names."""
    text = parse_place(value)
    return check_file_name(text) if text else None


CODE_RE = re.compile(r"[A-Z0-9_-]+")


def parse_code(value: object) -> str:
    """A 患者编号 or 小组编号: letters, digits, - and _, upper-cased; spaces and invisible characters dropped."""
    if isinstance(value, str) and CODE_RE.fullmatch(value):
        return share(value)  # already clean: most cells
    text = re.sub(r"\s+", "", check_safe(plain(value), "编号")).upper()
    if not CODE_RE.fullmatch(text):
        raise fail("bad-code", f"编号「{text}」只能包含英文字母、数字、- 和 _（如 P001、G01），不要用汉字或姓名。")
    return share(text)


def id_check_char(first17: str) -> str:
    """The GB 11643 check character for the first 17 digits."""
    total = sum(int(d) * w for d, w in zip(first17, ID_WEIGHTS))
    return ID_CHECK_CHARS[total % 11]


def id_birth_date(id_number: str) -> date:
    """Birth date encoded in digits 7–14 of a valid ID number."""
    return date(int(id_number[6:10]), int(id_number[10:12]), int(id_number[12:14]))


def id_sex(id_number: str) -> str:
    """男 when the 17th digit is odd, else 女."""
    return "男" if int(id_number[16]) % 2 else "女"


def parse_id_number(value: object) -> str:
    """An 18-character 身份证号 with a valid check character and birth date."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        digits = str(value) if isinstance(value, int) else f"{value:.0f}"
        if isinstance(value, float) or len(digits) > 15 and id_check_char(digits[:17]) != digits[17:]:
            raise fail(
                "id-lost-digits",
                f"身份证号被存成了数字（显示为 {show(value)}），Excel 只保留 15 位有效数字，后几位已经丢失。"
                "这个单元格必须是文本：请把该列设为“文本”格式，再重新输入完整的 18 位号码"
                "（或在号码前加英文单引号 '）。",
            )
        value = digits
    text = re.sub(r"\s+", "", plain(value)).upper()
    if re.fullmatch(r"\d{15}", text):
        raise fail("old-id", _old_id_message(text))
    if not re.fullmatch(r"\d{17}[\dX]", text):
        raise fail(
            "bad-id",
            f"「{show(value)}」不是 18 位身份证号（现有 {len(text)} 位）。身份证号为 17 位数字加 1 位数字或 X。",
        )
    expected = id_check_char(text[:17])
    if text[17] != expected:
        raise fail(
            "bad-id-checksum",
            f"身份证号「{text}」的校验位不对（按前 17 位算应为 {expected}），可能有数字录错，请对照身份证核实。",
        )
    try:
        id_birth_date(text)
    except ValueError:
        raise fail("bad-id", f"身份证号「{text}」中的出生日期 {text[6:14]} 不是一个存在的日期，请核实。") from None
    return text


def _old_id_message(old: str) -> str:
    """Explain a 15-digit first-generation ID and give the 18-digit number it converts to, when it can."""
    first17 = old[:6] + "19" + old[6:]
    try:
        id_birth_date(first17 + "0")
    except ValueError:
        return f"「{old}」是 15 位的旧身份证号，其中的出生日期不存在，请对照身份证核实后填写 18 位号码。"
    return (f"「{old}」是 15 位的旧身份证号（已停用）。请填写 18 位身份证号；按国家规则换算应为 "
            f"{first17 + id_check_char(first17)}，请对照身份证核实。")


def parse_phone(value: object) -> str:
    """An 11-digit mobile (1[3-9]…, +86 stripped) or a landline with area code (0827-1234567)."""
    was_number = isinstance(value, (int, float)) and not isinstance(value, bool)
    text = plain(value)
    compact = re.sub(r"[\s()（）]", "", text)
    compact = re.sub(r"^(\+86|0086|86(?=1\d{10}$))", "", compact)
    mobile = compact.replace("-", "")
    if MOBILE_RE.fullmatch(mobile):
        return mobile
    landline = LANDLINE_RE.fullmatch(compact)
    if landline:
        return f"{landline.group(1)}-{landline.group(2)}"
    digits = re.sub(r"\D", "", compact)
    if was_number and not mobile.startswith("1") and len(digits) in (9, 10, 11):
        hint = "单元格是数字格式，座机区号开头的 0 可能已经丢失。请把该列设为“文本”格式后重新输入，如 0827-1234567。"
    elif mobile.isdigit() and len(digits) == 10 and not digits.startswith("0"):
        hint = "手机号应为 11 位（这里只有 10 位）；如果是座机，请带上以 0 开头的区号，如 0827-1234567。"
    elif mobile.isdigit() and mobile.startswith("1"):
        hint = f"手机号应为 11 位数字，这里有 {len(digits)} 位，请核对是否漏打或多打了数字。"
    else:
        hint = "请填写 11 位手机号（如 13812345678），或带区号的座机号（如 0827-1234567）。"
    raise fail("bad-phone", f"「{text}」不是有效的电话号码。{hint}")


def mask_phone(phone: str | None) -> str:
    """138****5678: enough to recognise a number, not to call it."""
    if not phone:
        return ""
    digits = phone.replace("-", "")
    return digits[:3] + "****" + digits[-4:] if len(digits) >= 8 else "****"
