"""Site passwords: where they come from (never the repo or the workbook), how strong they must be, access levels.

The township password opens every page; an optional village password opens only that village's pages.
"""

from __future__ import annotations

import os
import string
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import yaml

ENV_VAR = "JINGFANG_PASSWORD"
MIN_LENGTH = 12
# the most common passwords and keyboard runs, lower-cased; a password containing one of these as most of its
# length is refused
COMMON = (
    "123456789012", "1234567890", "0123456789", "987654321", "1qaz2wsx", "qwertyuiop", "asdfghjkl", "zxcvbnm",
    "password", "passw0rd", "p@ssw0rd", "iloveyou", "admin", "administrator", "welcome", "abc123", "111111",
    "000000", "888888", "666666", "123123", "woaini", "qwerty", "letmein", "changeme", "secret", "mima",
    "abcdefghij",
)


class PasswordProblem(Exception):
    """A password is refused; the message says why in plain Chinese."""


def weakness(password: str, township: str = "") -> str | None:
    """Why a password is too weak, or None when it is acceptable."""
    if len(password) < MIN_LENGTH:
        return f"密码太短：至少 {MIN_LENGTH} 个字符（现在 {len(password)} 个）。"
    if len(set(password)) <= 3:
        return "密码里重复的字符太多。"
    for name in {township, township.removesuffix("镇").removesuffix("乡").removesuffix("街道")} - {""}:
        if name in password:
            return f"密码里不能含有乡镇名称“{name}”。"
    lower = password.lower()
    for common in COMMON:
        if common in lower and len(common) * 2 >= len(lower):
            return f"密码里含有常见密码“{common}”，很容易被猜到。"
    classes = [any(c.isdigit() for c in password), any(c.islower() for c in password),
               any(c.isupper() for c in password), any(not c.isascii() or c in string.punctuation for c in password)]
    if sum(classes) < 2:
        return "密码只用了一类字符：请混合使用数字、字母（大小写）或符号。"
    return None


def check_password(password: str, township: str = "", who: str = "网站密码") -> str:
    """The password itself, or PasswordProblem saying why it is refused."""
    reason = weakness(password, township)
    if reason:
        raise PasswordProblem(f"{who}不够安全：{reason}")
    return password


def read_password_file(path: Path) -> str:
    """The first line of a password file (trailing newline and spaces stripped)."""
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except OSError as exc:
        raise PasswordProblem(f"读不到密码文件“{path}”：{exc.strerror}。") from None
    if not lines or not lines[0].strip():
        raise PasswordProblem(f"密码文件“{path}”是空的。")
    return lines[0].strip()


def password_from_environment() -> str | None:
    value = os.environ.get(ENV_VAR)
    return value if value else None


@dataclass
class Access:
    """Who can open what: one township password, and optionally one password per village."""

    township: str
    villages: dict[str, str] = field(default_factory=dict)


def read_access_file(path: Path) -> Access:
    """Read a credentials file (YAML): ``乡镇: 密码`` and ``村社区: {村名: 密码}`` (checked by check_access)."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8-sig"))
    except OSError as exc:
        raise PasswordProblem(f"读不到权限文件“{path}”：{exc.strerror}。") from None
    except yaml.YAMLError as exc:
        raise PasswordProblem(f"权限文件“{path}”格式不对：{exc}") from None
    if not isinstance(raw, dict) or not isinstance(raw.get("乡镇"), str):
        raise PasswordProblem(f"权限文件“{path}”必须有一行“乡镇: 密码”（能打开所有页面的乡镇密码）。")
    villages = raw.get("村社区") or {}
    if not isinstance(villages, dict):
        raise PasswordProblem(f"权限文件“{path}”中“村社区”下应是“村名: 密码”的列表。")
    return Access(str(raw["乡镇"]), {str(name): str(secret) for name, secret in villages.items()})


def check_access(access: Access, township: str, known_villages: list[str]) -> Access:
    """Refuse weak or repeated passwords and villages the workbook does not have."""
    check_password(access.township, township, "乡镇密码" if access.villages else "网站密码")
    for name, secret in access.villages.items():
        if name not in known_villages:
            raise PasswordProblem(f"权限文件中的“{name}”不在台账的“村社区”表中。")
        check_password(secret, township, f"“{name}”的密码")
    passwords = [access.township, *access.villages.values()]
    if len(set(passwords)) != len(passwords):
        raise PasswordProblem("权限文件中的密码不能重复：每个村社区和乡镇各用不同的密码。")
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
        return Access(from_env)
    if prompt is None:
        raise PasswordProblem(f"需要网站密码：请用 --password-file 文件、环境变量 {ENV_VAR} 提供，或在命令行窗口中运行以便输入。")
    return Access(prompt())


def resolve_access(*, password_file: Path | None, access_file: Path | None, township: str, villages: list[str],
                   project: Path, prompt: Callable[[], str] | None) -> Access:
    """The passwords for a build, gathered and checked against the workbook."""
    access = gather_access(password_file=password_file, access_file=access_file, project=project, prompt=prompt)
    return check_access(access, township, villages)
