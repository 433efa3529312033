"""Rebuild the templates in workbooks/ from the format data: `python scripts/build_workbooks.py`.

workbooks/ is generated, never hand-edited; tests/fill/test_template.py checks it is current.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORKBOOKS = ROOT / "workbooks"
TEMPLATES = {"2021": "xltools-2021-template.xlsx", "2018": "xltools-2018-template.xlsx"}


def main() -> int:
    sys.path.insert(0, str(ROOT))
    from xltools.fill.template import write_template

    WORKBOOKS.mkdir(exist_ok=True)
    for fmt, name in TEMPLATES.items():
        write_template(fmt, WORKBOOKS / name)
        print(f"workbooks/{name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
