"""Batch jobs (digests, reminders, the CRM sync) run with Python's cyclic collector paused.

Shared by the CLI's `run_work`, the queue's jobs and `bench/digests.py`.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def cyclic_gc_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector for a batch job, then collect what it left.

    The digest job holds about a million small objects until it ends; the collector kept
    rescanning them and cost ~40% of the run at 10,000 reps (`bench/digests.py`).
    Reference counting still frees everything the job drops. While the collector is off,
    everything the job allocates stays in the youngest generation, so the closing pass
    over the young generations finds the job's cycles without rescanning the long-lived
    objects of the process (those wait for the collector's own full passes). That pass
    costs what is still alive, so callers let go of the job's result inside the block.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
        gc.collect(1)
