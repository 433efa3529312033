"""Headless Chromium (Debian's `chromium`) to look at the HTML summary as a reader's browser shows it."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)


def chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


def _run(page: Path, *args: str) -> subprocess.CompletedProcess[str]:
    exe = chromium()
    if exe is None:
        raise RuntimeError("chromium not found")
    with tempfile.TemporaryDirectory(prefix="xltools-chromium-") as profile:
        return subprocess.run(
            [exe, *FLAGS, f"--user-data-dir={profile}", *args, page.as_uri()],
            check=True,
            capture_output=True,
            text=True,
            timeout=120,
        )


def dom(page: Path) -> str:
    """The page's DOM after its scripts ran."""
    return _run(page, "--dump-dom").stdout


def screenshot(page: Path, png: Path, size: str = "1400,520") -> Path:
    _run(page, f"--screenshot={png}", f"--window-size={size}", "--hide-scrollbars")
    return png
