"""Small performance helpers."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def no_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector: reading and checking a workbook creates many small objects
    and no cycles worth collecting, and the collector's passes made time grow faster than the rows.
    On leaving, every object alive is frozen (moved out of the collector's generations: the first
    collection after a big workbook otherwise walks all of them); frozen objects are still freed as
    soon as nothing refers to them, only cycles among them are not collected."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.freeze()  # what survived is not garbage the collector should walk again
            gc.enable()
