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
from typing import Callable

from generator.app.accessfile import COUNTY_SECTIONS, AccessFileProblem, plain_problem, read_access_yaml
from generator.read.inputs import InputRefused, read_input
from generator.contract.lists import DEPARTMENTS, department_named
from generator.app.strength import Hints, guessable, hints_for

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


def _access_yaml(path: Path, sections: tuple[str, ...] | None = None) -> dict:
    """An access file read strictly (accessfile.read_access_yaml): every password a plain string, written once."""
    try:
        text = read_input(path, "权限文件", FILE_LIMIT).decode("utf-8-sig")
        return read_access_yaml(text) if sections is None else read_access_yaml(text, sections)
    except InputRefused as exc:
        raise PasswordProblem(str(exc)) from None
    except UnicodeDecodeError:
        raise PasswordProblem(f"权限文件“{path}”{NOT_UTF8}") from None
    except AccessFileProblem as exc:
        raise PasswordProblem(f"权限文件“{path}”{exc}") from None


def read_county_access(path: Path) -> str:
    """The county site's one password from its access file (YAML ``县区: 密码``), unchecked."""
    raw = _access_yaml(path, COUNTY_SECTIONS)
    if raw[COUNTY_SECTIONS[0]] is None:
        raise PasswordProblem(f"权限文件“{path}”必须有一行“县区: 密码”（打开县级网站的密码）。")
    return raw[COUNTY_SECTIONS[0]]


def read_access_file(path: Path) -> Access:
    """Read a credentials file (YAML): ``乡镇: 密码``, ``村社区: {村名: 密码}`` and ``部门: {派出所: 密码}`` (checked by
    check_access). Read strictly (accessfile.read_access_yaml): every password a plain string, written once."""
    raw = _access_yaml(path)
    if raw["乡镇"] is None:
        raise PasswordProblem(f"权限文件“{path}”必须有一行“乡镇: 密码”（能打开所有页面的乡镇密码）。")
    slugs = {}
    for name, secret in raw["部门"].items():
        found = department_named(name)
        if found is None:
            known = "、".join(d.names[0] for d in DEPARTMENTS)
            raise PasswordProblem(f"权限文件“{path}”中的部门“{name}”不认识：可以写 {known}。")
        if found.slug in slugs:
            raise PasswordProblem(f"权限文件“{path}”中的部门“{found.title}”写了两次。")
        slugs[found.slug] = secret
    return Access(raw["乡镇"], dict(raw["村社区"]), slugs)


def check_access(access: Access, township: str, known_villages: list[str], *, county: str | None = None,
                 as_of: date | None = None) -> Access:
    """Refuse guessable or repeated passwords and villages the workbook does not have."""
    for name in access.villages:
        if name not in known_villages:
            raise PasswordProblem(f"权限文件中的“{name}”不在台账的“村社区”表中。")
    passwords = [access.township, *access.others.values()]
    if len(set(passwords)) != len(passwords):
        raise PasswordProblem("权限文件中的密码不能重复：乡镇、每个村社区和每个部门各用不同的密码。")
    hints = hints_for(township, county, known_villages, as_of)
    check_password(access.township, hints, "乡镇密码" if access.others else "网站密码")
    for name, secret in access.others.items():
        check_password(secret, hints, f"“{name}”的密码")
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
    for path, what in ((access_file, "权限文件"), (password_file, "密码文件")):
        if path is not None and not is_safe_location(path, project):
            raise PasswordProblem(f"{what}“{path}”在项目文件夹里，可能被提交到代码仓库。请把它放到项目文件夹之外。")
    if access_file is not None:
        if password_file is not None:
            raise PasswordProblem("--access 文件里已有乡镇密码，不能再同时用 --password-file。")
        return read_access_file(access_file)
    if password_file is not None:
        return Access(read_password_file(password_file))
    from_env = password_from_environment()
    if from_env is not None:
        return Access(_plain(from_env, f"环境变量 {ENV_VAR} 中的密码"))
    if prompt is None:
        raise PasswordProblem(f"需要网站密码：请用 --password-file 文件、环境变量 {ENV_VAR} 提供，或在命令行窗口中运行以便输入。")
    return Access(_plain(prompt(), "输入的密码"))


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
