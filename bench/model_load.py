"""What the situation model costs a process: the time to load it and the memory it holds.

Measured in a fresh interpreter, so nothing else is cached: the coach's own modules are
imported first (that is start-up either way), then the artefact and the word clusters are
loaded, and the difference in time and resident memory is what the model adds to `coach`
start-up and to a web worker.
"""

from __future__ import annotations

import json
import subprocess
import sys

LOAD_BUDGET_MS = 150.0
MEMORY_BUDGET_MIB = 60.0
_PROBE = """
import json, resource, time
import coaching.engine
from coaching.situations.clusters import word_clusters
from coaching.situations.model import ARTEFACT, SituationModel
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
started = time.perf_counter()
model = SituationModel.from_file(ARTEFACT)
word_clusters()
elapsed = (time.perf_counter() - started) * 1000
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"ms": elapsed, "mib": (after - before) / 1024, "labels": len(model.labels)}))
"""


def probe() -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, "-c", _PROBE], capture_output=True, text=True, check=True, timeout=120
    )
    result: dict[str, float] = json.loads(done.stdout)
    return result


def run() -> bool:
    samples = sorted((probe() for _ in range(5)), key=lambda s: s["ms"])
    median = samples[len(samples) // 2]
    memory = max(s["mib"] for s in samples)
    load_ok = median["ms"] <= LOAD_BUDGET_MS
    memory_ok = memory <= MEMORY_BUDGET_MIB
    print(
        f"load median {median['ms']:.1f} ms (budget {LOAD_BUDGET_MS:g} ms, "
        f"{median['ms'] / LOAD_BUDGET_MS:.2f}x): {'met' if load_ok else 'NOT met'}"
    )
    print(
        f"resident memory added {memory:.1f} MiB (budget {MEMORY_BUDGET_MIB:g} MiB, "
        f"{memory / MEMORY_BUDGET_MIB:.2f}x): {'met' if memory_ok else 'NOT met'}"
    )
    return load_ok and memory_ok
