"""The files the product writes into a site folder beside the pages, by name (the export and documents commands
refuse a folder that holds the stamp: it is a site)."""

from __future__ import annotations

STAMP = ".jingfang-build.json"  # the build stamp: inputs' digest, every file's SHA-256, the passwords' PBKDF2 values
STATE_FILE = "jingfang-state.txt"  # the last build's state, sealed under the township password
