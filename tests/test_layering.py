"""Storage depends on the domain's ports and values, never on its services or rules.

`storage/` implements the ports each feature package declares in its `ports.py` (and the
core `coaching.ports`), reading and writing the domain's value types; if it imported a
service, a change to how the coach coaches could break how it stores.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# Value modules storage may read: the shared types, the errors a port may raise (the
# database being away), two feature models that are plain values (a digest as it is stored
# in the outbox, a deal as the deals table holds it), and the helper that rebuilds stored
# values without validating them again.
VALUES = {
    "coaching.types",
    "coaching.errors",
    "coaching.digests.model",
    "coaching.digests.deals",
    "coaching.trusted",
}


def allowed(module: str) -> bool:
    return module in VALUES or module == "coaching.ports" or module.endswith(".ports")


def coaching_imports(path: Path) -> set[str]:
    """Every `coaching` module a file imports, at load time or inside a function."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("coaching"):
            found.add(str(node.module))
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("coaching"))
    return found


def test_storage_imports_only_ports_and_values_from_the_domain() -> None:
    offending = {
        str(path.relative_to(ROOT)): sorted(m for m in coaching_imports(path) if not allowed(m))
        for path in sorted((ROOT / "storage").rglob("*.py"))
    }
    assert {path: modules for path, modules in offending.items() if modules} == {}


def test_the_check_sees_a_service_import(tmp_path: Path) -> None:
    sample = tmp_path / "repo.py"
    sample.write_text("from coaching.digests.service import DigestService\n", "utf-8")
    assert not all(allowed(m) for m in coaching_imports(sample))
