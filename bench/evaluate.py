"""`make eval`: how well the offline coach understands what reps write, on data it never saw.

Three sources, each scored the same way (finding-code recall per code, false alarms, commitment
date and kind, generic answers to coachable messages):

- the held-out test split of the project's own corpus (`coaching/corpus/`), run in process
  through the offline engine; the training command never reads this split;
- `bench/scenarios/independent.jsonl`, whole scenarios written by someone who had seen
  neither the corpus nor the rules, run through the real CLI;
- `../shared/eval/public.jsonl` and `public2.jsonl`, when a `shared/` folder sits beside the
  checkout, run through the real CLI as a user would (`coach <cmd> - --json --now --tz`).

`--cases FILE` replays only the answers reps rated (`coach feedback export FILE`): a liked
answer's codes must still be found, and every disliked answer is listed with the codes
the coach found then and finds now, for a person to judge.

A false alarm is a code the case forbids (`must_not`, with `*` and `p3.*` patterns) or, for a
harmless case, any finding at all. Exits non-zero when a source misses the quality bar.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from collections import Counter
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from coaching.engine import CAPABILITIES, OfflineEngine
from coaching.playbooks.base import Context
from coaching.situations.corpus import Record, load, split
from coaching.types import CoachingResult, MessageKind, Role

SHARED_EVAL = Path(__file__).resolve().parents[1].parent / "shared" / "eval"
INDEPENDENT = Path(__file__).with_name("scenarios") / "independent.jsonl"
COACH = str(Path(sys.executable).with_name("coach"))
CORPUS_NOW = datetime(2026, 11, 18, 9, 0, tzinfo=ZoneInfo("America/Chicago"))
RECALL_BAR = 0.85
HARMLESS_PER_FALSE_ALARM = 15
COMMITMENT_BAR = 0.9


@dataclass
class Tally:
    """Counts for one source, per code where it matters."""

    name: str
    cases: int = 0
    expected: Counter[str] = field(default_factory=Counter)
    found: Counter[str] = field(default_factory=Counter)
    false_alarms: Counter[str] = field(default_factory=Counter)
    harmless: int = 0
    harmless_alarmed: int = 0
    commitments_expected: int = 0
    commitments_found: int = 0
    coachable: int = 0
    generic: int = 0
    errors_expected: int = 0
    errors_clean: int = 0
    notes: list[str] = field(default_factory=list)
    disliked: list[str] = field(default_factory=list)

    def recall(self) -> float:
        total = sum(self.expected.values())
        return sum(self.found.values()) / total if total else 1.0

    def commitment_rate(self) -> float:
        if not self.commitments_expected:
            return 1.0
        return self.commitments_found / self.commitments_expected

    def alarm_budget(self) -> float:
        return max(1.0, self.harmless / HARMLESS_PER_FALSE_ALARM)

    def passed(self) -> bool:
        return (
            self.recall() >= RECALL_BAR
            and sum(self.false_alarms.values()) <= self.alarm_budget()
            and self.commitment_rate() >= COMMITMENT_BAR
            and self.generic == 0
            and self.errors_clean == self.errors_expected
        )


def forbidden(pattern: str, codes: Iterable[str]) -> list[str]:
    if pattern == "*":
        return list(codes)
    if pattern.endswith("*"):
        prefix = pattern.rstrip("*")
        return [c for c in codes if c.startswith(prefix)]
    return [c for c in codes if c == pattern]


def _commitment_found(want: dict[str, Any], got: list[dict[str, Any]]) -> bool:
    for have in got:
        if have["kind"] != want["kind"]:
            continue
        if want.get("party") and have.get("party", "rep") != want["party"]:
            continue
        due = have.get("due")
        if "due_between" in want:
            low, high = (date.fromisoformat(d) for d in want["due_between"])
            if due and low <= date.fromisoformat(due) <= high:
                return True
        elif due == want.get("due"):
            return True
    return False


def score_case(case: dict[str, Any], result: dict[str, Any], tally: Tally) -> None:
    """Tally one case's result against what it must and must not contain."""
    cid = case["id"]
    tally.cases += 1
    codes = [f["code"] for f in result["findings"]]
    must = case.get("must", [])
    for code in must:
        tally.expected[code] += 1
        if code in codes:
            tally.found[code] += 1
        else:
            tally.notes.append(f"{cid}: missed {code}")
    alarms = {c for pattern in case.get("must_not", []) for c in forbidden(pattern, codes)}
    if not must:
        tally.harmless += 1
        alarms.update(codes)
        tally.harmless_alarmed += bool(alarms)
    for code in sorted(alarms):
        tally.false_alarms[code] += 1
        tally.notes.append(f"{cid}: false alarm {code}")
    wanted = case.get("commitments", [])
    for want in wanted:
        tally.commitments_expected += 1
        if _commitment_found(want, result["commitments"]):
            tally.commitments_found += 1
        else:
            due = want.get("due") or want.get("due_between")
            tally.notes.append(f"{cid}: missing commitment {want['kind']} due {due}")
    if must or wanted:
        tally.coachable += 1
        if result["reply"].startswith(CAPABILITIES[:40]):
            tally.generic += 1
            tally.notes.append(f"{cid}: generic answer to a coachable message")


def run_cli(case: dict[str, Any], db: str) -> subprocess.CompletedProcess[str]:
    argv = [COACH, case["cmd"], "-", "--json", "--now", case["now"], "--tz", case["tz"]]
    argv += ["--db", db, "--user", f"eval-{case['id']}"]
    if case.get("role"):
        argv += ["--role", case["role"]]
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "COACH_"))}
    return subprocess.run(
        argv, input=case["text"], capture_output=True, text=True, env=env, timeout=120, check=False
    )


def score_cli(case: dict[str, Any], done: subprocess.CompletedProcess[str], tally: Tally) -> None:
    if case.get("expect_error"):
        tally.errors_expected += 1
        error = json.loads(done.stdout or "{}").get("error", {})
        if done.returncode == 2 and error.get("code") == case["expect_error"]:
            tally.errors_clean += 1
        else:
            tally.notes.append(f"{case['id']}: expected error {case['expect_error']}")
        return
    if done.returncode != 0:
        tally.notes.append(f"{case['id']}: exit {done.returncode}")
        tally.cases += 1
        return
    score_case(case, json.loads(done.stdout), tally)


def _read_cases(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def _run_all(cases: list[dict[str, Any]]) -> list[subprocess.CompletedProcess[str]]:
    if not cases:
        return []
    with tempfile.TemporaryDirectory() as tmp:
        db = f"sqlite:///{Path(tmp) / 'eval.db'}"
        run_cli({**cases[0], "text": "hello", "cmd": "ask", "id": "warm-up"}, db)
        with ThreadPoolExecutor(max_workers=2) as pool:
            return list(pool.map(lambda case: run_cli(case, db), cases))


def evaluate_file(path: Path) -> Tally:
    cases = _read_cases(path)
    tally = Tally(path.name)
    for case, completed in zip(cases, _run_all(cases), strict=True):
        score_cli(case, completed, tally)
    return tally


def evaluate_feedback(path: Path) -> Tally:
    """Rated answers: liked ones scored as cases, disliked ones listed then against now."""
    cases = _read_cases(path)
    tally = Tally(f"{path.name} (rated answers)")
    for case, completed in zip(cases, _run_all(cases), strict=True):
        if case.get("verdict") != "down":
            score_cli(case, completed, tally)
            continue
        now = json.loads(completed.stdout) if completed.returncode == 0 else {}
        codes_now = sorted({f["code"] for f in now.get("findings", [])})
        comment = f' ("{case["comment"]}")' if case.get("comment") else ""
        tally.disliked.append(
            f"{case['id']}{comment}: then {sorted(case.get('codes', [])) or '-'}, "
            f"now {codes_now or '-'}"
        )
    return tally


def _corpus_case(record: Record) -> dict[str, Any]:
    return {
        "id": record.id,
        "must": list(record.codes),
        "must_not": [] if record.codes else ["*"],
        "commitments": [],
    }


def _coach(engine: OfflineEngine, record: Record) -> CoachingResult:
    kind = MessageKind.REVIEW if record.kind == "review" else MessageKind.CHAT
    role = Role.MANAGER if record.role == "manager" else Role.REP
    return engine.coach(Context(text=record.text, now=CORPUS_NOW, role=role, kind=kind))


def evaluate_corpus(unit: str) -> Tally:
    """The test split's records of one unit (clause or message) through the offline engine."""
    _, test = split(load())
    engine = OfflineEngine()
    tally = Tally(f"corpus test split ({unit}s)")
    for record in test:
        if record.unit != unit or record.id.startswith("manager."):
            continue
        result = _coach(engine, record).model_dump(mode="json")
        codes = [c for c in record.codes if not c.startswith(("manager.", "category."))]
        score_case({**_corpus_case(record), "must": codes}, result, tally)
    return tally


def report(tally: Tally, *, verbose: bool) -> None:
    print(f"\n## {tally.name}: {tally.cases} cases")
    if verbose:
        for note in tally.notes:
            print(f"  {note}")
    print(f"{'code':34} {'recall':>12} {'false alarms':>13}")
    for code in sorted(set(tally.expected) | set(tally.false_alarms)):
        expected, found = tally.expected[code], tally.found[code]
        recall = f"{found}/{expected}" if expected else "-"
        print(f"{code:34} {recall:>12} {tally.false_alarms[code]:>13}")
    total = sum(tally.expected.values())
    print(f"finding-code recall: {sum(tally.found.values())}/{total} = {tally.recall():.2f}")
    print(
        f"false alarms: {sum(tally.false_alarms.values())} "
        f"(harmless cases {tally.harmless}, of them alarmed {tally.harmless_alarmed}; "
        f"budget {tally.alarm_budget():.1f})"
    )
    print(
        f"commitments (kind and date): {tally.commitments_found}/{tally.commitments_expected}"
        f" = {tally.commitment_rate():.2f}"
    )
    print(f"generic answers to coachable messages: {tally.generic}/{tally.coachable}")
    if tally.errors_expected:
        print(f"bad input rejected cleanly: {tally.errors_clean}/{tally.errors_expected}")
    for line in tally.disliked:
        print(f"disliked {line}")
    print("quality bar: " + ("met" if tally.passed() else "NOT met"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("files", nargs="*", type=Path, help="scenario files (default: shared)")
    parser.add_argument("-v", "--verbose", action="store_true", help="list every miss")
    parser.add_argument(
        "--cases",
        type=Path,
        action="append",
        help="replay only these rated answers (`coach feedback export FILE`)",
    )
    args = parser.parse_args()
    if args.cases:
        rated = [evaluate_feedback(path) for path in args.cases]
        for tally in rated:
            report(tally, verbose=args.verbose)
        return 0 if all(t.passed() for t in rated) else 1
    tallies = [evaluate_corpus("message"), evaluate_corpus("clause")]
    shared = sorted(SHARED_EVAL.glob("public*.jsonl"))
    if not args.files and not shared:
        print(f"(no {SHARED_EVAL}: scoring the project's own sets only)")
    files = args.files or [INDEPENDENT, *shared]
    tallies += [evaluate_file(path) for path in files]
    for tally in tallies:
        report(tally, verbose=args.verbose)
    return 0 if all(t.passed() for t in tallies) else 1


if __name__ == "__main__":
    sys.exit(main())
