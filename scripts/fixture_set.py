"""Write the whole fixture set into one folder, for `xltools check DIR --format json --all` before and
after a change: every layout of both reference books, every planted error, every bad file, every wild
kind (plain and with its planted error), a two-unit book, and copies of the first 40 (read a second
time, through the layout memory).

Usage: python scripts/fixture_set.py OUT_DIR
Then, at two commits:  xltools check OUT_DIR --format json --all --jobs 1 > findings.json ; diff the two."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests"), str(ROOT / "tests" / "fixtures")]


def main(argv: list[str]) -> int:
    from bad import build_bad
    from fixture_books import build_all
    from openpyxl import load_workbook
    from planted import build_planted
    from read.wild_kinds import KINDS, PLANTS, plant, two_unit_book

    if len(argv) != 1:
        print(__doc__.strip().splitlines()[-2], file=sys.stderr)
        return 2
    out = Path(argv[0])
    shutil.rmtree(out, ignore_errors=True)
    work = out / ".work"
    books = build_all(work / "books")
    for made in (books, build_planted(work / "planted"), build_bad(work / "bad")):
        for path in made.values():
            shutil.copy(path, out / path.name)
    for name, transform in KINDS.items():
        for planted in (False, True):
            wb = load_workbook(books["000_std"])
            if planted:
                plant(wb, *PLANTS[name])
            transform(wb)
            wb.save(out / f"wild_{name}{'_plant' if planted else ''}.xlsx")
    two_unit_book(books["000_std"], books["001_std"], out / "wild_two_units.xlsx")
    for path in sorted(out.glob("*.xlsx"))[:40]:
        shutil.copy(path, out / f"zz_copy_{path.name}")
    shutil.rmtree(work)
    print(f"{sum(1 for _ in out.iterdir())} 个文件 → {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
