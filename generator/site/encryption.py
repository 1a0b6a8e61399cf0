"""The one adapter to mkdocs-encryptcontent-plugin: everything that depends on its internals lives here.

Pinned to version 3.1.0 (PINNED); another version is refused before a build starts rather than trusted to keep
the internals below unchanged:

- its level names: every page gets the level "_global" unless its front matter names another;
- its options (ours: Chinese prompt, the browser's own crypto, no ES modules so file:// works, 10^6 PBKDF2
  iterations, keys remembered for the tab only, no cache file that would keep derived keys);
- its password inventory, which we fill from the mkdocs child's environment (never from a file) as strings;
- its setup dict (``level_keys``, ``keystore``), rewritten in sharded builds so that all shards share level keys;
- its ciphertext, AES-CBC of the page's UTF-8 HTML with PKCS#7 (a padded size of n bytes makes n + 16), which
  is why the HTML is padded to a size bucket (pad) before the plugin encrypts it;
- its template compiled per page (we compile it once) and its storage prefix and DOM ids, which the browser script
  (jingfang.js) and the leak gate (verify.py) rely on;
- its ``os._exit`` on some errors, which is why mkdocs always runs in a child process (site.MkdocsProcesses);
- its derivation of a password's key (PBKDF2-SHA256 of the URI-encoded password) and its cache of derived keys,
  which we seed so that every village and department password shares one salt, and its page globals
  (``encryptcontent_id``, ``encryptcontent_done``, ``decrypt_action``, ``decryptor_reaction``), which jingfang.js
  calls to open a page with a key another tab of the site hands it.

The level probe (``level_probe``): a password typed on a page it does not open is recognised with one derivation,
whatever it opens, and the tab goes to that level's entry page (see assets/jingfang.js).
"""

from __future__ import annotations

import base64
import json
import os
import random
from functools import lru_cache
from importlib.metadata import PackageNotFoundError, version
from urllib.parse import quote

import jinja2

from generator.contract.access import ENTRY_LEVEL, TOWNSHIP_LEVEL

PACKAGE = "mkdocs-encryptcontent-plugin"
PINNED = "3.1.0"
PLUGIN = "encryptcontent"  # its name under plugins: in mkdocs.yml
STORAGE_PREFIX = "encryptcontent_"  # its remember_prefix: the sessionStorage keys of remembered level keys
CIPHERTEXT_ID = "mkdocs-encrypted-content"  # the element holding a page's ciphertext (gone once decrypted)
SECRETS_ENV = "JINGFANG_SECRETS"  # {level: [passwords]} as JSON, in the mkdocs child's environment only
LEVEL_KEYS_ENV = "JINGFANG_LEVEL_KEYS"  # {level: hex key} as JSON, for sharded builds (secret too)
LEVEL_ENTRIES_ENV = "JINGFANG_LEVEL_ENTRIES"  # {level: [entry page, name]} of each level with its own password
SECRET_ENVS = (SECRETS_ENV, LEVEL_KEYS_ENV, LEVEL_ENTRIES_ENV)
PROBE_FILE = "assets/jingfang-levels.js"  # the level probe, written by the first shard (read by jingfang.js)
PROBE_WIDTH = 128  # bytes: every probe entry's plaintext is padded to the same multiple of this

# Every text of the password prompt, in Chinese. Keys are the plugin's options.
PROMPT_TEXTS = {
    "title_prefix": "",
    "summary": "本页内容已加密",
    "placeholder": "请输入密码",
    "password_button": True,
    "password_button_text": "打开",
    "decryption_failure_message": "密码不对，请重新输入。",
    # on a phone the sections are behind the ☰ button at the top left, not along the top
    "encryption_info_message": "这是乡镇内部网站，内容受密码保护，请输入密码后点“打开”。村社区工作人员请从“村社区”栏目"
                               "进入本村页面（手机上点左上角的 ☰ 打开栏目）。",
}


class WrongPluginVersion(Exception):
    """The installed encryption plugin is not the version this adapter was written for."""


def check_version() -> None:
    """Refuse to build with a plugin version whose internals this module has not been checked against."""
    try:
        found = version(PACKAGE)
    except PackageNotFoundError:
        found = "未安装"
    if found != PINNED:
        raise WrongPluginVersion(f"加密插件 {PACKAGE} 的版本是 {found}，jingfang 只支持 {PINNED}。"
                                 f"请重新安装 jingfang（pip install -e . 会装上 {PINNED}）。")


def options(info: str | None = None) -> dict:
    """The plugin's options (its password inventory stays empty in the file: see install_passwords); info: the
    prompt's explanation when not the township site's (the county's site says what it is)."""
    return {
        **PROMPT_TEXTS,
        **({"encryption_info_message": info} if info else {}),
        "webcrypto": True,  # the browser's own crypto: no crypto-js from a CDN
        "esm": False,  # module scripts do not load from file://
        "kdf_pow": 6,  # 10^6 PBKDF2-SHA256 iterations
        "remember_keys": True,
        "session_storage": True,  # keys live with the tab (jingfang.js shortens that further)
        "remember_password": False,
        "remember_prefix": STORAGE_PREFIX,
        "cache_file": "",  # the plugin's cache would keep derived keys next to the config
        "threshold_warning_min_entropy": 0,  # jingfang checks password strength itself
        "sharelinks": False,
        "password_inventory": {},
    }


def inventory(passwords: dict[str, str]) -> dict[str, list[str]]:
    """Each access level's passwords: the township's opens every level, a village's its own and the entry page."""
    township = passwords[TOWNSHIP_LEVEL]
    levels = {level: [township] + ([pw] if level != TOWNSHIP_LEVEL else []) for level, pw in passwords.items()}
    if len(passwords) > 1:
        levels[ENTRY_LEVEL] = list(passwords.values())
    return levels


def install_passwords(config, secrets: str) -> None:
    """Give the plugin its password inventory (JSON from the environment) before it reads it, every value a string.

    YAML would read a password such as 0x1234ABCDEF or 2026-09-30 as a number or a date; JSON keeps strings.
    """
    if PLUGIN in config.plugins:
        levels = json.loads(secrets)
        config.plugins[PLUGIN].config["password_inventory"] = {
            str(level): [str(pw) for pw in pws] for level, pws in levels.items()}


def install_level_keys(config, keys_json: str) -> None:
    """Replace each level's random key, in the level table and in every password's keystore, by the parent's."""
    setup = config.plugins[PLUGIN].setup
    keys = json.loads(keys_json)
    if set(setup["level_keys"]) != set(keys):
        raise ValueError("sharded build: levels differ between the parent and mkdocs")
    for level, entry in setup["level_keys"].items():
        key = bytes.fromhex(keys[level])
        for store in setup["keystore"].values():
            if entry["id"] in store:
                store[entry["id"]] = key.hex()
        entry["key"] = key


@lru_cache(maxsize=8)
def _template(source: str) -> jinja2.Template:
    return jinja2.Template(source)


def compile_form_once() -> None:
    """The plugin compiles its constant password-form template once per page; compile it once per process."""
    from encryptcontent import plugin as encryptcontent

    if getattr(encryptcontent, "Template", None) is jinja2.Template:
        encryptcontent.Template = _template  # same call, same result: jinja2.Template(source)


PAD_FLOOR = 8192  # bytes: a page with up to a dozen roster rows or a couple of documents is as long as an empty one
PAD_STEP = 1024  # every bucket a whole number of KiB (so of AES blocks)


def padded_size(length: int) -> int:
    """The bucket a page's HTML of ``length`` UTF-8 bytes is padded to: the floor, then each a quarter larger."""
    size = PAD_FLOOR
    while size < length:
        size = -(-size * 5 // (4 * PAD_STEP)) * PAD_STEP
    return size


def pad(html: str) -> str:
    """The page's HTML with trailing spaces up to its bucket (padded_size), so that its ciphertext, whose length the
    plugin makes the UTF-8 length plus one to sixteen bytes of PKCS#7, tells only the bucket. Spaces after the last
    element are inert: the browser adds an empty text node."""
    return html + " " * (padded_size(len(html.encode("utf-8"))) - len(html.encode("utf-8")))


def page_secret(page) -> dict | None:
    """The plugin's per-page state (holds the HTML it will encrypt), or None for a page it leaves alone."""
    return getattr(page, "encryptcontent", None)


def level_probe(config, entries: dict[str, list[str]]) -> str:
    """The level probe as a script, and the plugin's key cache seeded for it.

    entries: each level that has a password of its own besides the township's (a village, a department), with its
    entry page and its name. For each such password, one AES-GCM ciphertext of the keys it opens (its keystore, as
    the plugin made it), the entry page and the name, padded to one width and shuffled, so that the file shows only
    how many such passwords there are. All of them are derived with one salt (random per build) and the plugin's
    iterations, so the browser derives once per typed password, whichever of them it is; the plugin's keystores of
    those passwords are seeded with the same derived keys (its cache), so the build derives each password once, as
    before. The township password keeps its own salt: it opens every page, so it never needs the probe.
    """
    from Crypto.Cipher import AES
    from Crypto.Hash import SHA256
    from Crypto.Protocol.KDF import PBKDF2
    from encryptcontent.plugin import KS_PASSWORD

    setup = config.plugins[PLUGIN].setup
    iterations = setup["kdf_iterations"]
    township = set(setup["password_inventory"].get(TOWNSHIP_LEVEL, []))
    salt = os.urandom(16)
    found: list[tuple[bytes, bytes]] = []
    for level, (url, name) in entries.items():
        for password in setup["password_inventory"].get(level, []):
            if password in township:
                continue
            derived = PBKDF2(quote(password, safe="~()*!'"), salt, 32, count=iterations, hmac_hash_module=SHA256)
            setup["cache"]["password"][password] = ";".join(
                (derived.hex(), salt.hex(), SHA256.new(password.encode()).hexdigest()))
            text = {"keys": setup["keystore"][(KS_PASSWORD, password)], "url": url, "name": name}
            found.append((derived, json.dumps(text, ensure_ascii=False).encode("utf-8")))
    width = -(-max((len(text) for _, text in found), default=0) // PROBE_WIDTH) * PROBE_WIDTH
    sealed = []
    for derived, text in found:
        nonce = os.urandom(12)
        body, tag = AES.new(derived, AES.MODE_GCM, nonce=nonce).encrypt_and_digest(text.ljust(width))
        sealed.append(f"{_b64(nonce)};{_b64(body + tag)}")
    random.SystemRandom().shuffle(sealed)
    probe = {"iterations": iterations, "salt": _b64(salt), "entries": sealed}
    return f"window.jingfangLevels = {json.dumps(probe)};\n"


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")
