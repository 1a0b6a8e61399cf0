"""The ``county`` command (三级联动): the townships' summary files read and added up (derive/county), printed as JSON
and/or built into the county's password-protected site (present/county) with the township site's machinery —
site/staging (mkdocs, encryption, leak gate), the stamp and site/output_folder's checks and atomic install.

One password opens every page: ``县区: 密码`` from --access, else --password-file or JINGFANG_PASSWORD, else a
generated one, said once on stderr.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Callable

from generator.app.build import LOCK_MINUTES, Progress
from generator.app.commandline import BadOption
from generator.app.outcome import Outcome, Refused
from generator.app.password import (PasswordProblem, check_password, check_password_files, generate_passphrase,
                                    password_from_environment, read_county_access, read_password_file)
from generator.app.publishing import PROJECT
from generator.app.strength import hints_for
from generator.contract.access import TOWNSHIP_LEVEL
from generator.contract.indicators import INDICATORS, PERMILLE
from generator.contract.summary import Summary, SummaryRefused
from generator.derive.county import County, MixedSummaries, county_of
from generator.present.county import NAV, render_county
from generator.present.pages.printing import with_print_header
from generator.read.inputs import InputRefused
from generator.read.summary import read_summary
from generator.site.encryption import STORAGE_PREFIX, WrongPluginVersion
from generator.site.freshness import Stamp
from generator.site.mkdocs_processes import BuildFailed
from generator.site.output_folder import UnsafeOutput, check_output, recover_output
from generator.site.staging import Staging
from generator.site.verify import Secrets

PROMPT = "这是县（区）严重精神障碍患者服务管理汇总网站，内容受密码保护，请输入密码后点“打开”。"
GENERATED = "本次县级网站的密码（随机生成，没有保存在任何地方，请记下并只告诉需要查看的人）："


def read_target(text: str) -> tuple[str, float]:
    """``county --target 名称=值`` (规范管理率=90, 90%, 报告患病率=4.5‰): the indicator's key and its target."""
    name, sep, typed = text.partition("=")
    names = "、".join(spec.name for spec in INDICATORS)
    spec = next((spec for spec in INDICATORS if spec.name == name.strip()), None)
    if not sep or spec is None:
        raise BadOption(f"“{text}”应写成 指标名称=目标值，如 --target 规范管理率=90；指标名称是 {names} 之一。")
    number = typed.strip().rstrip("%％‰").strip()
    top = 1000 if spec.unit == PERMILLE else 100
    try:
        target = float(number)
    except ValueError:
        target = -1.0
    if not 0 <= target <= top:
        raise BadOption(f"“{text}”：{spec.name}的目标应为 0 到 {top} 之间的数（单位 {spec.unit}），如 "
                        f"--target {spec.name}={spec.target if spec.target is not None else 90:g}。")
    return spec.key, target


def read_county(paths: list[Path], warn: Callable[[str], None],
                targets: dict[str, float] | None = None) -> tuple[County, str]:
    """Every summary read and the county made of them, and a digest of the files; Refused (naming the file or the
    townships) when a file is not a whole summary of this format or the summaries cannot be added up. Duplicates
    are warned about."""
    found: list[tuple[str, Summary]] = []
    digest = hashlib.sha256()
    try:
        for path in paths:
            summary = read_summary(path)
            found.append((str(path), summary))
            digest.update(summary.to_json().encode("utf-8") + b"\0")
        county = county_of(found, targets)
    except (SummaryRefused, MixedSummaries) as exc:
        raise Refused(str(exc)) from None
    for line in county.warnings:
        warn(f"警告：{line}")
    return county, digest.hexdigest()


def county_json(county: County) -> str:
    return json.dumps(county.to_json(), ensure_ascii=False, indent=2)


def run_county(paths: list[Path], out: Path | None, *, as_json: bool, access_file: Path | None,
               password_file: Path | None, progress: Progress, targets: dict[str, float] | None = None) -> Outcome:
    """``county``: the JSON (--json), the site (--out), or both; Refused when a summary or the output folder is
    refused, or the site cannot be built (the previous site kept)."""
    if out is not None:
        try:
            check_output(out)
        except UnsafeOutput as exc:
            raise Refused(str(exc)) from None
    county, digest = read_county(paths, progress, targets)
    built = None if out is None else build_county_site(county, digest, out, access_file=access_file,
                                                       password_file=password_file, progress=progress)
    if as_json:  # stdout holds the JSON alone; what was built is said on stderr
        return Outcome(county_json(county), note=built)
    return Outcome(built or "")


def county_password(county: County, *, access_file: Path | None, password_file: Path | None,
                    progress: Progress) -> str:
    """The site's password, checked for strength against the county's and townships' names and the year."""
    check_password_files(access_file, password_file, PROJECT, "县区密码")
    password = (read_county_access(access_file) if access_file is not None
                else read_password_file(password_file) if password_file is not None
                else password_from_environment())
    if password is None:
        password = generate_passphrase()
        progress(GENERATED + password)
    hints = hints_for(county.name or "", None, [t.name for t in county.townships], county.newest)
    return check_password(password, hints, "县级网站密码")


def build_county_site(county: County, digest: str, out: Path, *, access_file: Path | None,
                      password_file: Path | None, progress: Progress) -> str:
    """Build the county's site into out: pages staged privately, mkdocs, encryption, the leak gate (every page
    encrypted, the password nowhere in plaintext), the stamp, the atomic swap. The previous site is kept on any
    failure (Refused)."""
    try:
        recover_output(out)
        password = county_password(county, access_file=access_file, password_file=password_file,
                                   progress=progress)
        passwords = {TOWNSHIP_LEVEL: password}
        name = county.name or "县（区）"
        with Stamp(digest, passwords) as stamp, Staging() as staging:
            staging.passwords = (password,)
            staging.write(with_print_header(render_county(county), name))
            extra = {"township": name, "lock_minutes": LOCK_MINUTES, "key_prefix": STORAGE_PREFIX, "stale": None}
            pages = staging.build(out, f"{name}精防汇总", NAV, extra, passwords, secrets=Secrets({}, [password]),
                                  finish=stamp.write, progress=progress, prompt=PROMPT)
    except (PasswordProblem, BuildFailed, WrongPluginVersion, InputRefused) as exc:
        raise Refused(f"{exc}（原来的网站保持不变）") from None
    except UnsafeOutput as exc:
        raise Refused(str(exc)) from None
    return (f"县级网站已生成：{out.resolve()}（{len(county.townships)} 个乡镇，{pages} 个页面，"
            f"最新统计截止日期 {county.newest.isoformat()}）。保密检查通过：每个页面都已加密，没有明文的网站密码"
            "（网站只有各乡镇的人数、指标和清单条数，没有个人信息可查）。")
