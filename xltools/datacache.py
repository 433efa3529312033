"""TOML data files parsed once per content and kept between runs.

xltools' own data (the formats, the rule catalogue) is TOML; parsing it costs a start-up ~10 ms that
JSON of the same data does in well under 1 ms. The parsed data is kept as JSON in the user's cache
folder ($XLTOOLS_CACHE, else $XDG_CACHE_HOME/xltools, else ~/.cache/xltools), named by a hash of the
text: an edited file is a new name, never a stale read. The cache is only ever an accelerator — a
folder that cannot be written, or an entry that cannot be read, means parsing as before."""

from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path
from typing import Any

VERSION = "toml-1"


def parse_toml(text: str) -> dict[str, Any]:
    """tomllib.loads(text), from the cache when this very text was parsed before (raises
    tomllib.TOMLDecodeError for a text that is no TOML, as tomllib does)."""
    folder = _folder()
    entry = None if folder is None else folder / f"{digest(text.encode())}.json"
    if entry is not None:
        with contextlib.suppress(OSError, ValueError):
            found = json.loads(entry.read_bytes())
            if isinstance(found, dict):
                return found
    import tomllib

    data = tomllib.loads(text)
    if entry is not None:
        _keep(entry, data)
    return data


def digest(data: bytes) -> str:
    try:  # CPython's built-in BLAKE2: no OpenSSL to load at start-up (hashlib's import costs ~2.5 ms)
        from _blake2 import blake2b
    except ImportError:  # another Python
        from hashlib import blake2b
    return blake2b(data, digest_size=16).hexdigest()


def cache_folder() -> Path | None:
    """xltools' cache folder: $XLTOOLS_CACHE, else $XDG_CACHE_HOME/xltools, else ~/.cache/xltools;
    None when XLTOOLS_CACHE=off (or no home is known): nothing is kept between runs."""
    chosen = os.environ.get("XLTOOLS_CACHE")
    if chosen:
        return None if chosen.lower() in ("off", "0", "no") else Path(chosen)
    xdg = os.environ.get("XDG_CACHE_HOME")
    if xdg:
        return Path(xdg) / "xltools"
    home = os.environ.get("HOME")
    return Path(home) / ".cache" / "xltools" if home else None


def _folder() -> Path | None:
    root = cache_folder()
    return None if root is None else root / VERSION


def keep_bytes(entry: Path, data: bytes) -> None:
    """Write `data` to `entry` atomically (io.write_atomic: a reader never sees half of it); a folder
    that cannot be made or written keeps nothing, quietly — the cache is only an accelerator."""
    from xltools.errors import XltoolsError
    from xltools.io import write_atomic

    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(entry, lambda tmp: _write(tmp, data))
    except (OSError, XltoolsError):
        pass


def _keep(entry: Path, data: dict[str, Any]) -> None:
    try:
        text = json.dumps(data, ensure_ascii=False)
    except (TypeError, ValueError):  # a date or time value: JSON has none, keep parsing the TOML
        return
    keep_bytes(entry, text.encode("utf-8"))


def _write(tmp: Path, data: bytes) -> None:
    tmp.write_bytes(data)
