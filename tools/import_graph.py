"""The import-time import graph of a package, and its circles.

Usage::

    python tools/import_graph.py [PACKAGE_DIR]      # default: xlpy/ next to tools/

prints every import circle (a strongly connected component of more than one
module, or a module importing itself) with one concrete path around it, and
exits 1 when there is any; 0 and "no import circles" otherwise.

The graph is built from the source by AST, without importing anything.  An
edge ``a -> b`` means: executing module ``a``'s body imports module ``b`` of the
same package.  Only imports that run when the module is imported count:

* statements at module level, also inside top-level ``if``/``else``, ``try``/
  ``except``/``else``/``finally``, ``with``, ``for``/``while`` and class bodies
  (a class body runs at import time);
* not inside functions, methods or lambdas (they run later, on call);
* not inside ``if TYPE_CHECKING:`` (or ``if typing.TYPE_CHECKING:``) — its
  ``else`` branch does run and counts.

Targets: ``import a.b.c`` -> ``a.b.c``; ``from a.b import c`` -> ``a.b.c`` when
``c`` is a module (a file or a package folder), else ``a.b``; relative imports
are resolved against the importing module (``__init__`` is its own package).
A parent package that Python imports implicitly first (``xlpy`` before
``xlpy.core``) is not an edge: it is already in ``sys.modules`` by then, so it
cannot close a circle.  Imports of other packages are ignored.
"""

from __future__ import annotations

import ast
import itertools
import sys
from pathlib import Path

__all__ = ["cycle_path", "cycles", "graph", "imports_of", "main", "module_files"]


def module_files(root: str | Path) -> dict[str, Path]:
    """Module name -> source file for every ``.py`` under the package folder ``root``."""
    root = Path(root).resolve()
    base = root.name
    out: dict[str, Path] = {}
    for f in sorted(root.rglob("*.py")):
        rel = f.relative_to(root).with_suffix("")
        parts = list(rel.parts)
        if any(p == "__pycache__" or not p.isidentifier() for p in parts):
            continue
        # a folder without __init__.py is not a regular package; still resolve it as a namespace
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join([base, *parts])] = f
    return out


def _is_type_checking(test: ast.expr) -> bool:
    if isinstance(test, ast.Name):
        return test.id == "TYPE_CHECKING"
    if isinstance(test, ast.Attribute):
        return test.attr == "TYPE_CHECKING"
    return False


def _import_time_nodes(body: list[ast.stmt]):
    """Import statements executed when the module body runs."""
    for node in body:
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            yield node
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            continue
        elif isinstance(node, ast.If):
            if not _is_type_checking(node.test):
                yield from _import_time_nodes(node.body)
            yield from _import_time_nodes(node.orelse)
        elif isinstance(node, (ast.Try, getattr(ast, "TryStar", ast.Try))):
            yield from _import_time_nodes(node.body)
            for h in node.handlers:
                yield from _import_time_nodes(h.body)
            yield from _import_time_nodes(node.orelse)
            yield from _import_time_nodes(node.finalbody)
        elif isinstance(node, (ast.With, ast.AsyncWith, ast.For, ast.AsyncFor, ast.While)):
            yield from _import_time_nodes(node.body)
            yield from _import_time_nodes(getattr(node, "orelse", []))
        elif isinstance(node, ast.ClassDef):
            yield from _import_time_nodes(node.body)
        elif isinstance(node, ast.Match):
            for case in node.cases:
                yield from _import_time_nodes(case.body)


def _package_of(module: str, is_package: bool) -> str:
    return module if is_package else module.rpartition(".")[0]


def imports_of(module: str, path: Path, modules: set[str]) -> list[tuple[str, int]]:
    """(imported module of the package, line) for each import-time import of ``module``."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    is_package = path.name == "__init__.py"
    base = module.split(".")[0]
    out: list[tuple[str, int]] = []

    def known(name: str) -> str | None:
        # the module itself, or its nearest enclosing module that exists (import a.b.X where X is not a file)
        while name:
            if name in modules:
                return name
            name = name.rpartition(".")[0]
        return None

    for node in _import_time_nodes(tree.body):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name == base or alias.name.startswith(base + "."):
                    t = known(alias.name)
                    if t:
                        out.append((t, node.lineno))
            continue
        # ImportFrom
        if node.level:
            pkg = _package_of(module, is_package)
            for _ in range(node.level - 1):
                pkg = pkg.rpartition(".")[0]
            frm = f"{pkg}.{node.module}" if node.module else pkg
        else:
            frm = node.module or ""
        if not (frm == base or frm.startswith(base + ".")):
            continue
        for alias in node.names:
            sub = f"{frm}.{alias.name}"
            if alias.name != "*" and sub in modules:
                out.append((sub, node.lineno))
            else:
                t = known(frm)
                if t:
                    out.append((t, node.lineno))
    return out


def graph(root: str | Path) -> dict[str, dict[str, int]]:
    """module -> {imported module -> first line of the import} (import-time edges only)."""
    files = module_files(root)
    names = set(files)
    g: dict[str, dict[str, int]] = {m: {} for m in files}
    for m, f in files.items():
        for t, line in imports_of(m, f, names):
            g[m].setdefault(t, line)
    return g


def _sccs(g: dict[str, dict[str, int]]) -> list[list[str]]:
    """Tarjan's strongly connected components (iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on: set[str] = set()
    stack: list[str] = []
    out: list[list[str]] = []
    counter = 0
    for start in sorted(g):
        if start in index:
            continue
        work = [(start, iter(sorted(g[start])))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on.add(start)
        while work:
            v, it = work[-1]
            advanced = False
            for w in it:
                if w not in g:
                    continue
                if w not in index:
                    index[w] = low[w] = counter
                    counter += 1
                    stack.append(w)
                    on.add(w)
                    work.append((w, iter(sorted(g[w]))))
                    advanced = True
                    break
                if w in on:
                    low[v] = min(low[v], index[w])
            if advanced:
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[v])
            if low[v] == index[v]:
                comp = []
                while True:
                    w = stack.pop()
                    on.discard(w)
                    comp.append(w)
                    if w == v:
                        break
                out.append(sorted(comp))
    return out


def cycles(root: str | Path) -> list[list[str]]:
    """Every import circle of the package at ``root``: each a sorted list of module names
    (a strongly connected component of more than one module, or ``[m]`` for a module
    importing itself), sorted."""
    g = graph(root)
    found = [c for c in _sccs(g) if len(c) > 1 or c[0] in g[c[0]]]
    return sorted(found)


def cycle_path(g: dict[str, dict[str, int]], comp: list[str]) -> list[str]:
    """One concrete circle through the component: [m0, m1, …, m0]."""
    members = set(comp)
    start = comp[0]
    if start in g[start]:
        return [start, start]
    # breadth-first search back to start, inside the component
    prev: dict[str, str] = {}
    frontier = [start]
    seen = {start}
    while frontier:
        nxt = []
        for v in frontier:
            for w in sorted(g[v]):
                if w == start:
                    path = [v]
                    while path[-1] != start:
                        path.append(prev[path[-1]])
                    return [*reversed(path), start]
                if w in members and w not in seen:
                    seen.add(w)
                    prev[w] = v
                    nxt.append(w)
        frontier = nxt
    return [start]  # pragma: no cover - a component always has a circle


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    root = Path(argv[0]) if argv else Path(__file__).resolve().parent.parent / "xlpy"
    g = graph(root)
    found = cycles(root)
    if not found:
        print(f"no import circles in {root.name} ({len(g)} modules, {sum(len(v) for v in g.values())} import-time edges)")
        return 0
    print(f"{len(found)} import circle(s) in {root.name}:")
    files = module_files(root)
    for comp in found:
        print(f"- {', '.join(comp)}")
        path = cycle_path(g, comp)
        for a, b in itertools.pairwise(path):
            rel = files[a].relative_to(Path(root).resolve().parent)
            print(f"    {a} -> {b}   ({rel}:{g[a][b]})")
    return 1


if __name__ == "__main__":
    sys.exit(main())
