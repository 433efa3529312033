"""修正回写: plan the changes a 公开 workbook needs (text numbers, blank totals, rounding tails,
typing slips), localise genuine errors, and write the changes back without losing anything."""

from __future__ import annotations

from xltools.fix.model import KINDS, Change, Plan, Review
from xltools.fix.planner import plan

__all__ = ["KINDS", "Change", "Plan", "Review", "apply", "plan"]


def __getattr__(name: str) -> object:
    if name == "apply":  # openpyxl is imported only when a fix is written
        from xltools.fix.write import apply

        return apply
    raise AttributeError(name)
