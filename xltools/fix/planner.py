"""plan(report) → Plan: every change a fix proposes, in the order a clerk would make them, from the
report alone (no file I/O, so the Excel add-in can plan on an open workbook too)."""

from __future__ import annotations

from xltools.fix.convert import blank_fills, text_changes
from xltools.fix.locate import localise
from xltools.fix.model import Plan
from xltools.fix.system import build
from xltools.fix.tails import resolve_tails
from xltools.fix.typos import find_slips, typo_changes
from xltools.model import Report


def plan(report: Report, *, accept_typos: bool = False) -> Plan:
    """The Plan for `report`.

    Text numbers are converted; blank cells a relation determines are filled; typing slips are
    proposed (kind 'typo'); rounding tails are resolved on the values as they will be after the fix
    (with the slips corrected only when `accept_typos`); what still fails is localised for review."""
    system = build(report)
    values = dict(system.values)
    changes = text_changes(system)
    changes += blank_fills(system, values)
    slips = find_slips(system, values)
    typos = typo_changes(system, values, slips)
    if accept_typos:
        for s in slips:
            values[s.cell] = s.new * system.scales[s.cell]
    frozen = set() if accept_typos else {s.cell for s in slips}
    tails = resolve_tails(system, values, frozen)
    changes += typos  # before the tails: with accept_typos a tail may move a corrected cell further
    changes += tails.changes
    corrected = dict(values)  # genuine errors: what fails even with the slips corrected
    for s in slips:
        corrected[s.cell] = s.new * system.scales[s.cell]
    reviews = localise(system, corrected)
    return Plan(str(report.path), tuple(changes), tuple(reviews), tails.unresolved)
