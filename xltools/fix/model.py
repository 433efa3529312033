"""The plan of a fix: proposed changes (cell, old, new, rule, reason, kind) and cells to verify."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from xltools.model import Cell
from xltools.vocabulary import CHANGE_LABELS, ChangeKind, Verdict

KINDS = tuple(ChangeKind)
KIND_LABELS = CHANGE_LABELS


@dataclass(frozen=True)
class Change:
    """One proposed write: `new` is the number to store, in the cell's printed unit (元 in a table
    kept in 元); `old` is what the cell holds now (the text, the number, or None when blank)."""

    kind: ChangeKind
    cell: Cell
    old: object
    new: Decimal
    rule: str
    reason: str

    @property
    def label(self) -> str:
        return KIND_LABELS[self.kind]


@dataclass(frozen=True)
class Review:
    """A genuine error left for a person: the violated rule, its message, and the cells error
    localisation names as likeliest wrong (the fewest cells whose change makes every relation hold)."""

    rule: str
    verdict: Verdict
    cells: tuple[Cell, ...]
    suspects: tuple[Cell, ...]
    message: str
    reason: str


@dataclass(frozen=True)
class Plan:
    """Every change a fix proposes, in the order written (text, blank, typo, tail), and the rest."""

    path: str
    changes: tuple[Change, ...] = ()
    reviews: tuple[Review, ...] = ()
    unresolved: tuple[str, ...] = field(default=())  # tails no ±0.01 set can resolve: why, per rule

    def only(self, kinds: set[ChangeKind] | None) -> tuple[Change, ...]:
        """The changes of the given kinds (all when `kinds` is None)."""
        return tuple(c for c in self.changes if kinds is None or c.kind in kinds)

    def applicable(
        self, *, accept_typos: bool = False, kinds: set[ChangeKind] | None = None
    ) -> tuple[Change, ...]:
        """The changes `apply` writes: typos only when accepted."""
        return tuple(c for c in self.only(kinds) if c.kind != ChangeKind.TYPO or accept_typos)
