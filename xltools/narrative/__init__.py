"""Part three of the report (情况说明): generate it from the tables, or check a written one."""

from __future__ import annotations

from xltools.narrative.check import (
    RULES,
    NarrativeCheck,
    Outcome,
    check_narrative,
    check_part_three,
    check_text,
)
from xltools.narrative.document import Narrative, Paragraph, Section, to_markdown, to_text, write, write_docx
from xltools.narrative.generate import generate, narrative_text
from xltools.narrative.inputs import Inputs, inputs_from_mapping, load_inputs
from xltools.narrative.parse import read_part_three

__all__ = [
    "RULES",
    "Inputs",
    "Narrative",
    "NarrativeCheck",
    "Outcome",
    "Paragraph",
    "Section",
    "check_narrative",
    "check_part_three",
    "check_text",
    "generate",
    "inputs_from_mapping",
    "load_inputs",
    "narrative_text",
    "read_part_three",
    "to_markdown",
    "to_text",
    "write",
    "write_docx",
]
