"""How many guesses a password would take, estimated by zxcvbn with what an attacker of this site would try first.

Besides zxcvbn's own dictionaries, keyboard walks, repeats, sequences and dates, the attacker is assumed to know
the township, its county and villages (in characters, pinyin and pinyin initials), the years around the as-of
date, the words Chinese passwords are commonly built from, and the words of the field itself (平安办, 精防, 严重精神障碍
…: whoever finds the site knows what it is for).
"""

from __future__ import annotations

import functools
import itertools
from datetime import date
from typing import Iterable

# The site's keys come from PBKDF2-SHA256 with 10^6 iterations (site.py, kdf_pow 6): one high-end GPU
# (hashcat, RTX 4090 class: roughly 10^10 PBKDF2-SHA256 iterations a second) tries about 10^4 passwords a
# second. zxcvbn's score 4 (10^10 guesses) would fall to one such GPU in 12 days, to ten rented ones in a day
# for the price of a day's rent. 10^12 guesses is about 3 GPU-years, and leaves a margin for what zxcvbn
# overestimates: it knows no pinyin beyond the words fed to it here, so a pinyin phrase it has not been given
# counts as random letters. A generated passphrase (31^20, about 10^30; zxcvbn says >= 10^22) clears it easily.
MIN_GUESSES = 10**12
# zxcvbn refuses longer input; the first 72 characters are estimated (more characters only add guesses)
MAX_ESTIMATED = 72
SUFFIXES = ("街道", "社区", "自治县", "镇", "乡", "村", "县", "区", "市")
YEARS_AROUND = 5
READINGS = 8  # at most this many pinyin readings of a name with characters that have several
# words Chinese passwords are commonly built from; zxcvbn's own lists know few of them
COMMON_WORDS = (
    "woaini", "aini", "iloveyou", "woaiwojia", "wodemima", "mima", "nihao", "zhongguo", "woshishui", "aiwo",
    "5201314", "1314520", "5211314", "1314", "520", "521", "147258369", "159357", "168", "8888",
    "jingfang", "jingshen", "taizhang", "weisheng", "weishengyuan", "yiyuan", "huanzhe",
)
# the field's own words: the offices, the people and the work a 精防 site is about (tried in characters, full pinyin
# and pinyin initials)
FIELD_WORDS = (
    "平安办", "平安", "综治办", "综治", "综治中心", "政法委", "精防", "精防办", "精神卫生", "严重精神障碍", "精神障碍",
    "精神病", "精神分裂", "精神科", "卫生院", "卫生室", "卫生", "卫健委", "卫健", "疾控", "医院", "医生", "派出所",
    "公安", "民警", "民政办", "民政", "残联", "关爱帮扶", "关爱", "帮扶", "帮扶小组", "随访", "监护", "监护人",
    "以奖代补", "患者", "病人", "台账", "村委会", "居委会", "网格员", "网格", "乡镇", "街道", "政府", "服药",
    "危险性", "肇事肇祸", "应急处置", "信息交换", "在管", "管理", "密码", "网站",
)

PLACE, YEAR, COMMON, FIELD = "place", "year", "common", "field"
WORD, KEYBOARD, REPEAT, SEQUENCE = "word", "keyboard", "repeat", "sequence"
REASONS = {
    PLACE: "含有本乡镇、村社区或区县的名称（汉字、拼音或拼音首字母）",
    FIELD: "含有精防工作的常用词（如平安办、综治办、精防、严重精神障碍、卫生院、派出所的汉字、拼音或拼音首字母）",
    YEAR: "含有年份或日期",
    COMMON: "含有常见密码或常用的密码词（如 123456、password、woaini、5201314）",
    WORD: "含有常见的英文单词、人名或姓氏",
    KEYBOARD: "含有键盘上连在一起的按键（如 qwerty、1qaz2wsx）",
    REPEAT: "含有重复的字符或片段（如 aaa、abcabc）",
    SEQUENCE: "含有连续的字母或数字（如 abcd、1234、9876）",
}
FALLBACK = "字符太少或太有规律"

Hints = dict[str, str]  # a lower-case word the attacker tries early -> its kind (PLACE, YEAR, COMMON or FIELD)


def name_forms(name: str) -> set[str]:
    """A place name as an attacker would type it: characters, full pinyin and initials, with and without suffix."""
    bases = {name.strip()}
    suffix = next((s for s in SUFFIXES if name.strip().endswith(s) and len(name.strip()) > len(s)), "")
    bases.add(name.strip().removesuffix(suffix))
    forms = set()
    for base in bases:
        forms.add(base)
        for reading in readings(base):
            forms.add("".join(reading))
            forms.add("".join(syllable[0] for syllable in reading if syllable))
    # zxcvbn matches case-insensitively and adds the cost of capitals itself, so "Qinghe" needs no own entry
    return {form.lower() for form in forms if len(form) >= 2}


@functools.cache
def field_hints() -> Hints:
    """The field's words (FIELD_WORDS) as an attacker would type them: characters, usual full pinyin, initials."""
    from pypinyin import Style, lazy_pinyin

    hints: Hints = {}
    for word in FIELD_WORDS:
        syllables = lazy_pinyin(word, style=Style.NORMAL)
        for form in (word, "".join(syllables), "".join(syllable[0] for syllable in syllables)):
            if len(form) >= 2:
                hints.setdefault(form.lower(), FIELD)
    return hints


def readings(text: str) -> list[list[str]]:
    """The pinyin syllables of text: the usual reading first, then others its characters allow."""
    from pypinyin import Style, lazy_pinyin, pinyin  # its phrase tables take 0.2 s to load: only when building

    usual = lazy_pinyin(text, style=Style.NORMAL, errors="default")
    others = itertools.product(*pinyin(text, style=Style.NORMAL, heteronym=True, errors="default"))
    return [usual] + [list(reading) for reading in itertools.islice(others, READINGS)]


def hints_for(township: str = "", county: str | None = None, villages: Iterable[str] = (),
              as_of: date | None = None) -> Hints:
    """What an attacker of this township's site tries first, each with the kind of guess it is."""
    hints: Hints = {word: COMMON for word in COMMON_WORDS}
    hints |= {form: kind for form, kind in field_hints().items() if form not in hints}
    if as_of is not None:
        hints |= {str(year): YEAR for year in range(as_of.year - YEARS_AROUND, as_of.year + 2)}
    for name in [township, county or "", *villages]:
        if name.strip():
            hints |= {form: PLACE for form in name_forms(name)}
    return hints


def guesses(password: str, hints: Hints) -> tuple[float, list[str]]:
    """zxcvbn's guess estimate, and the kinds of guessable parts it found (in order, each once)."""
    from zxcvbn import zxcvbn  # its word lists load on import: not for the commands that never check a password

    result = zxcvbn(password[:MAX_ESTIMATED], user_inputs=list(hints))
    kinds: list[str] = []
    for match in result["sequence"]:
        kind = match_kind(match, hints)
        if kind and kind not in kinds:
            kinds.append(kind)
    return float(result["guesses"]), kinds


def match_kind(match: dict, hints: Hints) -> str | None:
    """The kind of one zxcvbn match; None for the random-looking parts."""
    pattern = match["pattern"]
    if pattern == "dictionary":
        if match["dictionary_name"] == "user_inputs":
            return hints.get(match["matched_word"], PLACE)
        return COMMON if match["dictionary_name"] == "passwords" else WORD
    return {"spatial": KEYBOARD, "repeat": REPEAT, "sequence": SEQUENCE, "regex": YEAR, "date": YEAR}.get(pattern)


def guessable(password: str, hints: Hints) -> str | None:
    """Why the password falls within MIN_GUESSES guesses (one Chinese sentence, never the password), or None."""
    estimate, kinds = guesses(password, hints)
    if estimate >= MIN_GUESSES:
        return None
    return "；".join(REASONS[kind] for kind in kinds) if kinds else FALLBACK
