"""`make eval`: score the offline coach on the public scenario set through the real CLI.

Each scenario runs `coach <cmd> - --json --now <now> --tz <tz>` as a user would. Reported:
finding-code recall, false alarms (codes a scenario forbids), commitment recall (kind and
due date) and clean rejection of bad input. Exits non-zero below the quality bar
(recall >= 0.9, at most one false alarm).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DEFAULT_SET = Path(__file__).resolve().parents[1].parent / "shared" / "eval" / "public.jsonl"
COACH = str(Path(sys.executable).with_name("coach"))
RECALL_BAR = 0.9
FALSE_ALARM_BAR = 1


@dataclass
class Tally:
    codes_expected: int = 0
    codes_found: int = 0
    false_alarms: int = 0
    commitments_expected: int = 0
    commitments_found: int = 0
    errors_expected: int = 0
    errors_clean: int = 0
    notes: list[str] = field(default_factory=list)


def forbidden(pattern: str, codes: list[str]) -> list[str]:
    if pattern == "*":
        return codes
    if pattern.endswith(".*") or pattern.endswith("*"):
        prefix = pattern.rstrip("*")
        return [c for c in codes if c.startswith(prefix)]
    return [c for c in codes if c == pattern]


def run(scenario: dict[str, Any], db: str) -> subprocess.CompletedProcess[str]:
    argv = [
        COACH,
        scenario["cmd"],
        "-",
        "--json",
        "--now",
        scenario["now"],
        "--tz",
        scenario["tz"],
        "--db",
        db,
        "--user",
        f"eval-{scenario['id']}",
    ]
    if scenario.get("role"):
        argv += ["--role", scenario["role"]]
    env = {k: v for k, v in os.environ.items() if not k.startswith("OPENAI_")}
    return subprocess.run(
        argv,
        input=scenario["text"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )


def score(scenario: dict[str, Any], done: subprocess.CompletedProcess[str], tally: Tally) -> None:
    sid = scenario["id"]
    if scenario.get("expect_error"):
        tally.errors_expected += 1
        error = json.loads(done.stdout or "{}").get("error", {})
        if done.returncode == 2 and error.get("code") == scenario["expect_error"]:
            tally.errors_clean += 1
        else:
            tally.notes.append(f"{sid}: expected error {scenario['expect_error']}")
        return
    if done.returncode != 0:
        tally.notes.append(f"{sid}: exit {done.returncode}: {done.stderr.strip()}")
        return
    result = json.loads(done.stdout)
    codes = [f["code"] for f in result["findings"]]
    for code in scenario["must"]:
        tally.codes_expected += 1
        if code in codes:
            tally.codes_found += 1
        else:
            tally.notes.append(f"{sid}: missed {code}")
    for pattern in scenario["must_not"]:
        for code in forbidden(pattern, codes):
            tally.false_alarms += 1
            tally.notes.append(f"{sid}: false alarm {code}")
    got = {(c["kind"], c["due"]) for c in result["commitments"]}
    for want in scenario["commitments"]:
        tally.commitments_expected += 1
        if (want["kind"], want["due"]) in got:
            tally.commitments_found += 1
        else:
            tally.notes.append(f"{sid}: missing commitment {want['kind']} due {want['due']}")


def ratio(found: int, expected: int) -> float:
    return found / expected if expected else 1.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("scenarios", nargs="?", default=str(DEFAULT_SET))
    args = parser.parse_args()
    scenarios = [
        json.loads(line) for line in Path(args.scenarios).read_text().splitlines() if line.strip()
    ]
    tally = Tally()
    with tempfile.TemporaryDirectory() as tmp:
        db = f"sqlite:///{Path(tmp) / 'eval.db'}"
        for scenario in scenarios:
            score(scenario, run(scenario, db), tally)
    recall = ratio(tally.codes_found, tally.codes_expected)
    for note in tally.notes:
        print(f"  {note}")
    print(f"scenarios: {len(scenarios)}")
    print(f"finding-code recall: {tally.codes_found}/{tally.codes_expected} = {recall:.2f}")
    print(f"false alarms: {tally.false_alarms}")
    print(
        f"commitment recall: {tally.commitments_found}/{tally.commitments_expected} = "
        f"{ratio(tally.commitments_found, tally.commitments_expected):.2f}"
    )
    print(f"bad input rejected cleanly: {tally.errors_clean}/{tally.errors_expected}")
    passed = recall >= RECALL_BAR and tally.false_alarms <= FALSE_ALARM_BAR
    print("quality bar: " + ("met" if passed else "NOT met"))
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
