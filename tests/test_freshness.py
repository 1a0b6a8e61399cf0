"""The build stamp: an unchanged build is skipped only for the same inputs and the same passwords."""

from __future__ import annotations

import json

import pytest

from generator.site.freshness import STAMP, Stamp, is_fresh

LEVELS = {"乡镇": "Town-Test-Only-7xq4", "禾苗村": "Village-Test-Only-k9w2", "溪口社区": "Creek-Test-Only-m4p8"}


@pytest.fixture
def site(tmp_path):
    (tmp_path / "index.html").write_text("<html></html>", encoding="utf-8")
    with Stamp("digest-1", LEVELS) as stamp:
        stamp.write(tmp_path)
    return tmp_path


def test_same_inputs_and_passwords_are_fresh(site):
    assert is_fresh(site, "digest-1", dict(LEVELS))


@pytest.mark.parametrize("digest, levels", [
    ("digest-2", LEVELS),
    ("digest-1", {**LEVELS, "禾苗村": "Another-Test-Only-v3m8"}),
    ("digest-1", {"乡镇": "Town-Test-Only-7xq4", "禾苗村": "Village-Test-Only-k9w2"}),
    ("digest-1", {"乡镇": LEVELS["乡镇"], "禾苗村": LEVELS["溪口社区"], "溪口社区": LEVELS["禾苗村"]}),  # swapped
    ("digest-1", {"乡镇": LEVELS["乡镇"], "河西村": LEVELS["禾苗村"], "溪口社区": LEVELS["溪口社区"]}),  # renamed
    ("digest-1", None),
])
def test_any_change_makes_it_stale(site, digest, levels):
    assert not is_fresh(site, digest, levels)


def test_the_stamp_holds_no_password_and_a_missing_site_is_stale(site):
    text = (site / STAMP).read_text(encoding="utf-8")
    assert not any(pw in text for pw in LEVELS.values())
    (site / "index.html").unlink()
    assert not is_fresh(site, "digest-1", dict(LEVELS))


def test_each_level_has_its_own_salt_and_no_village_name_is_written(site, tmp_path_factory):
    raw = (site / STAMP).read_bytes()
    assert not any(name.encode() in raw or json.dumps(name).encode() in raw for name in LEVELS)
    data = json.loads(raw)
    assert [sorted(entry) for entry in data["levels"]] == [["key", "salt"]] * 3
    salts = [entry["salt"] for entry in data["levels"]]
    assert len(set(salts)) == 3 and all(len(bytes.fromhex(salt)) == 16 for salt in salts)
    again = tmp_path_factory.mktemp("again")
    with Stamp("digest-1", LEVELS) as stamp:
        stamp.write(again)
    assert not set(salts) & {entry["salt"] for entry in json.loads((again / STAMP).read_text())["levels"]}


def test_a_stamp_of_the_old_shape_is_stale_not_an_error(site):
    old = {"inputs": "digest-1", "salt": "00" * 16, "encrypted": True, "levels": {"乡镇": "ab" * 32}}
    (site / STAMP).write_text(json.dumps(old), encoding="utf-8")
    assert not is_fresh(site, "digest-1", {"乡镇": LEVELS["乡镇"]})
