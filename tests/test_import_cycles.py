"""No first-party module is part of an import cycle, so each one imports on its own.

The graph is read from the source with `ast`: the imports a module runs when it is loaded
(at module level, in `try` and `if` blocks and class bodies, outside `if TYPE_CHECKING:`),
not those inside functions, which run later and are how commands load their adapters.
`from pkg import name` points at `pkg.name` when that is a module, else at `pkg`.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("bot", "coaching", "config", "prompts", "storage")


def module_files(root: Path) -> dict[str, Path]:
    """Every first-party module under `root`, by dotted name."""
    found: dict[str, Path] = {}
    for package in PACKAGES:
        for path in sorted((root / package).rglob("*.py")):
            parts = path.relative_to(root).with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            found[name] = path
    return found


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _load_time_imports(body: list[ast.stmt]) -> Iterator[ast.Import | ast.ImportFrom]:
    for node in body:
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node
        elif isinstance(node, ast.If):
            if not _is_type_checking(node):
                yield from _load_time_imports(node.body)
            yield from _load_time_imports(node.orelse)
        elif isinstance(node, ast.Try):
            for block in (node.body, node.orelse, node.finalbody):
                yield from _load_time_imports(block)
            for handler in node.handlers:
                yield from _load_time_imports(handler.body)
        elif isinstance(node, ast.ClassDef):
            yield from _load_time_imports(node.body)


def import_graph(root: Path) -> dict[str, set[str]]:
    """Which first-party modules each first-party module imports when it is loaded."""
    files = module_files(root)
    graph: dict[str, set[str]] = {}
    for name, path in files.items():
        targets: set[str] = set()
        for node in _load_time_imports(ast.parse(path.read_text("utf-8")).body):
            if isinstance(node, ast.Import):
                targets.update(alias.name for alias in node.names)
                continue
            base = node.module or ""  # relative imports are banned (ruff TID252)
            for alias in node.names:
                submodule = f"{base}.{alias.name}"
                targets.add(submodule if submodule in files else base)
        graph[name] = {target for target in targets if target in files and target != name}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_graph_sees_a_cycle_it_is_given(tmp_path: Path) -> None:
    for name, imports in {"one": "from bot import two", "two": "import bot.one"}.items():
        (tmp_path / "bot").mkdir(exist_ok=True)
        (tmp_path / "bot" / f"{name}.py").write_text(f"{imports}\n", "utf-8")
    assert cycles(import_graph(tmp_path)) == [["bot.one", "bot.two"]]


def test_no_module_is_part_of_an_import_cycle() -> None:
    assert cycles(import_graph(ROOT)) == []
