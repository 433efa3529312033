"""The rule catalogue and its evaluation.

Importing the package registers the pure worksheet functions (=CHECK_TOTAL() …) with the reader, so a
workbook that uses them computes them when saved without cached values."""

from xltools.rules import functions as functions
