"""The build stamp: an unchanged build is skipped only for the same inputs and the same passwords."""

from __future__ import annotations

import pytest

from generator.freshness import STAMP, Stamp, is_fresh

LEVELS = {"乡镇": "Town-Secret-2025", "禾苗村": "Hemiao-Secret-2025"}


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
    ("digest-1", {**LEVELS, "禾苗村": "Another-Secret-2025"}),
    ("digest-1", {"乡镇": "Town-Secret-2025"}),
    ("digest-1", None),
])
def test_any_change_makes_it_stale(site, digest, levels):
    assert not is_fresh(site, digest, levels)


def test_the_stamp_holds_no_password_and_a_missing_site_is_stale(site):
    text = (site / STAMP).read_text(encoding="utf-8")
    assert not any(pw in text for pw in LEVELS.values())
    (site / "index.html").unlink()
    assert not is_fresh(site, "digest-1", dict(LEVELS))

