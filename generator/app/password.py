"""Site passwords: where they come from (never the repo or the workbook), how strong they must be, access levels.

The township password opens every page; an optional village password opens only that village's pages, an optional
department password only that department's page and its copy of the monthly report.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Callable, TypeVar

from generator.app.accessfile import COUNTY_SECTIONS, AccessFileProblem, plain_problem, read_access_yaml, scan_access_yaml
from generator.read.inputs import InputRefused, read_input
from generator.contract.lists import DEPARTMENTS, department_named
from generator.app.strength import Hints, guessable, hints_for

T = TypeVar("T")

ENV_VAR = "JINGFANG_PASSWORD"
MIN_LENGTH = 12
# lower-case letters and digits without look-alikes (0/o, 1/l/i): typed without Shift, read aloud without doubt;
# 31 symbols x 20 = 99 bits
PASSPHRASE_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
PASSPHRASE_GROUPS, PASSPHRASE_GROUP_LENGTH = 5, 4
FILE_LIMIT = 64 * 1024  # a password file, an access file: a few lines
NOT_UTF8 = "不是 UTF-8 编码：请用记事本打开它，“另存为”时把编码选为“UTF-8”，保存后再试。"


class PasswordProblem(Exception):
    """A password is refused; the message says why in plain Chinese."""


class AccessFileProblems(PasswordProblem):
    """The access file's own problems (lines), with what could be read of it (partial), so that the problems only
    the workbook can show (guessable, repeated passwords, unknown villages) can be added before anything is said."""

    def __init__(self, path: Path, lines: list[str], partial: Access) -> None:
        super().__init__(describe_problems(path, lines))
        self.path, self.lines, self.partial = path, lines, partial


def describe_problems(path: Path | None, lines: list[str], sentences: list[str] = ()) -> str:
    """The access file's problems: lines (what follows the file's name: "第 2 行：…") and whole sentences. One
    problem as one sentence; several as a count and one indented line each, the file named once."""
    where = f"权限文件“{path}”" if path is not None else "权限文件"
    if len(lines) + len(sentences) == 1:
        return f"{where}{lines[0]}" if lines else sentences[0]
    shown = [line.removeprefix("中的") for line in lines] + [line.removeprefix("权限文件中的") for line in sentences]
    return f"{where}有 {len(shown)} 个问题：\n" + "\n".join(f"  {line}" for line in shown)


def generate_passphrase() -> str:
    """A random passphrase that is easy to type: five hyphen-separated groups of four letters or digits."""
    while True:  # a draw that happens to spell something guessable (vanishingly rare) is drawn again
        phrase = "-".join("".join(secrets.choice(PASSPHRASE_ALPHABET) for _ in range(PASSPHRASE_GROUP_LENGTH))
                          for _ in range(PASSPHRASE_GROUPS))
        if guessable(phrase, hints_for()) is None:
            return phrase


def weakness(password: str, hints: Hints | None = None) -> str | None:
    """Why a password is too weak (a Chinese sentence that never repeats it), or None when it is acceptable."""
    if len(password) < MIN_LENGTH:
        return f"太短：至少 {MIN_LENGTH} 个字符（现在 {len(password)} 个）。"
    reason = guessable(password, hints if hints is not None else hints_for())
    return f"太容易被猜到：{reason}。" if reason else None


def check_password(password: str, hints: Hints | None = None, who: str = "网站密码") -> str:
    """The password itself, or PasswordProblem saying why it is refused and offering a generated passphrase."""
    reason = weakness(password, hints)
    if reason:
        raise PasswordProblem(f"{who}{reason}可以改用这个随机生成的密码：{generate_passphrase()}，"
                              "或运行 jingfang build --generate-password 另生成一个。")
    return password


def read_password_file(path: Path) -> str:
    """The first line of a password file (trailing newline and spaces stripped)."""
    try:
        lines = read_input(path, "密码文件", FILE_LIMIT).decode("utf-8-sig").splitlines()
    except InputRefused as exc:
        raise PasswordProblem(str(exc)) from None
    except UnicodeDecodeError:  # its message shows the byte it stopped at: a byte of the password
        raise PasswordProblem(f"密码文件“{path}”{NOT_UTF8}") from None
    if not lines or not lines[0].strip():
        raise PasswordProblem(f"密码文件“{path}”是空的。")
    problem = plain_problem(lines[0].strip())
    if problem:
        raise PasswordProblem(f"密码文件“{path}”中的密码{problem}")
    return lines[0].strip()


def password_from_environment() -> str | None:
    value = os.environ.get(ENV_VAR)
    return value if value else None


@dataclass
class Access:
    """Who can open what: one township password, and optionally one password per village and per department."""

    township: str
    villages: dict[str, str] = field(default_factory=dict)
    departments: dict[str, str] = field(default_factory=dict)  # department slug → password

    @property
    def others(self) -> dict[str, str]:
        """Every password but the township's, by what it opens (village names, department titles)."""
        titles = {d.slug: d.title for d in DEPARTMENTS}
        return self.villages | {titles[slug]: secret for slug, secret in self.departments.items()}


def read_county_access(path: Path) -> str:
    """The county site's one password from its access file (YAML ``县区: 密码``), unchecked; every problem of the
    file named at once (accessfile.read_access_yaml)."""
    raw = _read_yaml(path, lambda text: read_access_yaml(text, COUNTY_SECTIONS))
    if raw[COUNTY_SECTIONS[0]] is None:
        raise PasswordProblem(f"权限文件“{path}”必须有一行“县区: 密码”（打开县级网站的密码）。")
    return raw[COUNTY_SECTIONS[0]]


def _read_yaml(path: Path, parse: Callable[[str], T]) -> T:
    """An access file's text parsed; a file that cannot be read or parsed at all is a PasswordProblem naming it."""
    try:
        return parse(read_input(path, "权限文件", FILE_LIMIT).decode("utf-8-sig"))
    except InputRefused as exc:
        raise PasswordProblem(str(exc)) from None
    except UnicodeDecodeError:
        raise PasswordProblem(f"权限文件“{path}”{NOT_UTF8}") from None
    except AccessFileProblem as exc:
        raise PasswordProblem(f"权限文件“{path}”{exc}") from None


def read_access_file(path: Path) -> Access:
    """Read a credentials file (YAML): ``乡镇: 密码``, ``村社区: {村名: 密码}`` and ``部门: {派出所: 密码}`` (checked by
    check_access). Read strictly (accessfile.scan_access_yaml): every password a plain string, written once. A file
    that cannot be read is a PasswordProblem; one with problems of its own is AccessFileProblems naming them all."""
    raw, lines = _read_yaml(path, scan_access_yaml)
    if raw["乡镇"] is None and not any(line.endswith("乡镇没有写密码。") or "乡镇的密码" in line for line in lines):
        lines.append("必须有一行“乡镇: 密码”（能打开所有页面的乡镇密码）。")
    slugs = {}
    for name, secret in raw["部门"].items():
        found = department_named(name)
        if found is None:
            known = "、".join(d.names[0] for d in DEPARTMENTS)
            lines.append(f"中的部门“{name}”不认识：可以写 {known}。")
        elif found.slug in slugs:
            lines.append(f"中的部门“{found.title}”写了两次。")
        else:
            slugs[found.slug] = secret
    access = Access(raw["乡镇"] or "", dict(raw["村社区"]), slugs)
    if lines:
        raise AccessFileProblems(path, lines, access)
    return access


def access_problems(access: Access, township: str, known_villages: list[str], *, county: str | None = None,
                    as_of: date | None = None, township_label: str | None = None) -> list[str]:
    """Every guessable or repeated password and every village the workbook does not have, one sentence each (a
    township password of "" is one the file did not give: its absence is said by the file's own problems).
    township_label names the township's password (default: 乡镇密码 beside others, else 网站密码)."""
    lines = [f"权限文件中的“{name}”不在台账的“村社区”表中。" for name in access.villages if name not in known_villages]
    levels = ([("乡镇", access.township)] if access.township else []) + list(access.others.items())
    sharing: dict[str, list[str]] = {}
    for name, secret in levels:
        sharing.setdefault(secret, []).append(name)
    for names in sharing.values():
        if len(names) > 1:
            lines.append(f"权限文件中的密码不能重复：{'、'.join(names)}用了同一个密码；乡镇、每个村社区和每个部门各用不同的密码。")
    hints = hints_for(township, county, known_villages, as_of)
    for name, secret in levels:
        who = (township_label or ("乡镇密码" if access.others else "网站密码")) if name == "乡镇" else f"“{name}”的密码"
        try:
            check_password(secret, hints, who)
        except PasswordProblem as exc:
            lines.append(str(exc))
    return lines


def check_access(access: Access, township: str, known_villages: list[str], *, county: str | None = None,
                 as_of: date | None = None) -> Access:
    """access, or PasswordProblem naming every guessable or repeated password and unknown village at once."""
    sentences = access_problems(access, township, known_villages, county=county, as_of=as_of)
    if sentences:
        raise PasswordProblem(describe_problems(None, [], sentences))
    return access


def is_safe_location(path: Path, repo: Path) -> bool:
    """A credentials file must not live inside the project folder (it would end up in git)."""
    try:
        path.resolve().relative_to(repo.resolve())
        return False
    except ValueError:
        return True


def gather_access(*, password_file: Path | None, access_file: Path | None, project: Path,
                  prompt: Callable[[], str] | None) -> Access:
    """The passwords for a build, unchecked: an access file, a password file, JINGFANG_PASSWORD, or the prompt."""
    check_password_files(access_file, password_file, project, "乡镇密码")
    if access_file is not None:
        return read_access_file(access_file)
    if password_file is not None:
        return Access(read_password_file(password_file))
    from_env = password_from_environment()
    if from_env is not None:
        return Access(_plain(from_env, f"环境变量 {ENV_VAR} 中的密码"))
    if prompt is None:
        raise PasswordProblem(f"需要网站密码：请用 --password-file 文件、环境变量 {ENV_VAR} 提供，或在命令行窗口中运行以便输入。")
    return Access(_plain(prompt(), "输入的密码"))


def check_password_files(access_file: Path | None, password_file: Path | None, project: Path, whose: str) -> None:
    """PasswordProblem when a file holding passwords lies in the project folder (it could be committed), or both an
    access file (which holds whose password) and a password file are given."""
    for path, what in ((access_file, "权限文件"), (password_file, "密码文件")):
        if path is not None and not is_safe_location(path, project):
            raise PasswordProblem(f"{what}“{path}”在项目文件夹里，可能被提交到代码仓库。请把它放到项目文件夹之外。")
    if access_file is not None and password_file is not None:
        raise PasswordProblem(f"--access 文件里已有{whose}，不能再同时用 --password-file。")


def _plain(password: str, what: str) -> str:
    """password, or PasswordProblem when it is not plain typed text (see accessfile.plain_problem)."""
    problem = plain_problem(password)
    if problem:
        raise PasswordProblem(what + problem)
    return password


def resolve_access(*, password_file: Path | None, access_file: Path | None, township: str, villages: list[str],
                   project: Path, prompt: Callable[[], str] | None, county: str | None = None,
                   as_of: date | None = None) -> Access:
    """The passwords for a build, gathered and checked against the workbook."""
    access = gather_access(password_file=password_file, access_file=access_file, project=project, prompt=prompt)
    return check_access(access, township, villages, county=county, as_of=as_of)
