"""The shared words: every verdict, severity, rule kind and change kind has its Chinese label, and the
rule catalogue speaks only these words."""

from __future__ import annotations

import pytest

from xltools import vocabulary as v
from xltools.errors import FormatError
from xltools.rules import catalogue


@pytest.mark.parametrize(
    ("kind", "labels"),
    [
        (v.Verdict, v.VERDICT_LABELS),
        (v.Severity, v.SEVERITY_LABELS),
        (v.RuleKind, v.RULE_KIND_LABELS),
        (v.ChangeKind, v.CHANGE_LABELS),
        (v.Verdict, v.RANK),
        (v.Severity, v.FAILED),
    ],
)
def test_every_word_has_its_entry(kind: type, labels: dict) -> None:
    assert set(labels) == set(kind)


def test_words_are_their_strings() -> None:
    """JSON, the 校验 sheet and catalogue.toml keep the plain spellings."""
    assert v.Verdict.TAIL == "tail" and f"{v.Verdict.NA}" == "n/a" and str(v.Severity.ERROR) == "error"
    assert set(v.FAILURES) == set(v.Verdict) - {v.Verdict.PASS, v.Verdict.NA}
    assert {v.Verdict.PASS, v.Verdict.TAIL} == v.HOLDS


def test_catalogue_rules_carry_typed_words() -> None:
    rules = catalogue.load_rules()
    assert {type(r.kind) for r in rules} == {v.RuleKind} and {type(r.severity) for r in rules} == {v.Severity}
    assert {r.kind for r in rules} == set(v.RuleKind)


@pytest.mark.parametrize(
    ("field", "value"), [("kind", "relaton"), ("severity", "eror"), ("relation", "=>"), ("hard", "<")]
)
def test_a_misspelt_word_in_the_catalogue_is_refused(field: str, value: str) -> None:
    entry = {"id": "X1", "text": "t", "left": ["公开01.total.a"], "right": ["公开01.total.b"], field: value}
    with pytest.raises(FormatError, match="X1"):
        catalogue._rule(entry)
