"""Issue 11's structural guarantees — one round, one pipeline, explicit wiring — checked
on the source itself:

* no import circles (``tools/import_graph.py``);
* the declarations of :mod:`xlpy.features` (actions, settings, sheets) do not depend on
  what was imported before, and importing modules does not change them;
* every problem code written in the code is in the catalogue (:class:`xlpy.core.codes.Code`);
* column headers, settings keys and sheet names are written only in :mod:`xlpy.schema`;
* the settings sheet is parsed by one function, called from one place, once per action.

A test that finds an existing violation is marked ``xfail(strict=True)`` with the
violations listed in its reason: fixing them makes the test pass and the marker must go.
"""

from __future__ import annotations

import ast
import importlib.util
import json
import os
import random
import re
import shutil
import subprocess
import sys
import unicodedata
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PKG = ROOT / "xlpy"


def _load_import_graph():
    spec = importlib.util.spec_from_file_location("import_graph", ROOT / "tools" / "import_graph.py")
    mod = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(mod)
    return mod


import_graph = _load_import_graph()


def nfc(s: str) -> str:
    return unicodedata.normalize("NFC", s)


def sources(root: Path | None = None) -> list[Path]:
    return sorted(p for p in (root or PKG).rglob("*.py") if "__pycache__" not in p.parts)


def rel(p: Path) -> str:
    try:
        return p.relative_to(ROOT).as_posix()
    except ValueError:
        return p.as_posix()


def parse(p: Path) -> ast.Module:
    return ast.parse(p.read_text(encoding="utf-8"), filename=str(p))


def docstring_nodes(tree: ast.AST) -> set[int]:
    out = set()
    for n in ast.walk(tree):
        if isinstance(n, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and n.body:
            first = n.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and isinstance(first.value.value, str):
                out.add(id(first.value))
    return out


# =========================================================================================
# 1. import circles


def test_no_import_circles():
    found = import_graph.cycles(PKG)
    g = import_graph.graph(PKG)
    assert len(g) > 50 and "xlpy.round" in g and "xlpy.schema.core" in g["xlpy.features"]  # the graph is real
    described = [" -> ".join(import_graph.cycle_path(g, c)) for c in found]
    assert found == [], "import circles:\n" + "\n".join(described)


def _fake_package(tmp_path: Path, files: dict[str, str]) -> Path:
    root = tmp_path / "fakepkg"
    for name, text in files.items():
        f = root / name
        f.parent.mkdir(parents=True, exist_ok=True)
        f.write_text(text, encoding="utf-8")
    return root


def test_import_graph_reports_a_circle(tmp_path):
    root = _fake_package(tmp_path, {
        "__init__.py": "",
        "a.py": "from . import b\n",
        "b.py": "from .a import thing\n",
        # import-time imports that close no circle, and imports that do not run at import time
        "c.py": "import fakepkg.a\nfrom .sub import d\n",
        "sub/__init__.py": "",
        "sub/d.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from .. import c\n"
                    "def f():\n    from .. import c\n",
        "e.py": "try:\n    from . import e\nexcept ImportError:\n    pass\n",
    })
    assert import_graph.cycles(root) == [["fakepkg.a", "fakepkg.b"], ["fakepkg.e"]]
    g = import_graph.graph(root)
    assert g["fakepkg.c"] == {"fakepkg.a": 1, "fakepkg.sub.d": 2}
    assert g["fakepkg.sub.d"] == {}  # TYPE_CHECKING and function-level imports are not edges
    assert import_graph.cycle_path(g, ["fakepkg.a", "fakepkg.b"]) == ["fakepkg.a", "fakepkg.b", "fakepkg.a"]
    # the command line: exit status 1 and the circle printed
    p = subprocess.run([sys.executable, "-P", str(ROOT / "tools" / "import_graph.py"), str(root)], capture_output=True, text=True, check=False)
    assert p.returncode == 1 and "fakepkg.a -> fakepkg.b" in p.stdout
    p = subprocess.run([sys.executable, "-P", str(ROOT / "tools" / "import_graph.py"), str(PKG)], capture_output=True, text=True, check=False)
    assert p.returncode == 0, p.stdout


# =========================================================================================
# 2. the declarations do not depend on import order


SNAPSHOT = r"""
import importlib, json, sys

def snapshot():
    from xlpy import features as F
    def show(v):
        if v is F.REQUIRED:
            return "<REQUIRED>"
        return v if isinstance(v, (str, int, float, bool, type(None))) else repr(v)
    return {
        "actions": [[a.name, a.func, a.label, a.group, a.order, a.ribbon, a.writes,
                     [[p.name, p.kind, show(p.default), list(p.choices)] for p in a.params]] for a in F.actions()],
        "settings": [[s.key, s.attr, s.kind, s.feature, show(s.default), sorted(map(str, s.choices))] for s in F.settings()],
        "inputs": list(F.input_sheets()),
        "outputs": list(F.output_sheets()),
        "tables": [[t.sheet, [c.header for c in t.columns]] for f in F.FEATURES for t in f.tables],
    }

def load(names):
    skipped = []
    for m in names:
        try:
            importlib.import_module(m)
        except ImportError:
            if not m.startswith("xlpy.excel."):  # only the Excel door may need Windows
                raise
            skipped.append(m)
    return skipped

mode, names = sys.argv[1], json.loads(sys.argv[2])
if mode == "order":
    skipped = load(names)
    print(json.dumps({"snapshot": snapshot(), "skipped": skipped, "loaded": sorted(sys.modules)}, ensure_ascii=False))
else:  # "plain": `import xlpy.features` alone, then everything imported after it
    before = snapshot()
    loaded = sorted(sys.modules)
    load(names)
    after = snapshot()
    print(json.dumps({"snapshot": before, "loaded": loaded, "after": after}, ensure_ascii=False))
"""


def all_modules() -> list[str]:
    import pkgutil

    import xlpy

    names = ["xlpy"] + [m.name for m in pkgutil.walk_packages(xlpy.__path__, "xlpy.", onerror=lambda name: None)]
    return sorted(set(names))


def _run_snapshots(jobs: list[tuple[str, list[str]]]) -> list[dict]:
    env = dict(os.environ, PYTHONIOENCODING="utf-8", PYTHONHASHSEED="0")
    procs = [subprocess.Popen([sys.executable, "-P", "-c", SNAPSHOT, mode, json.dumps(names)], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True, encoding="utf-8", env=env, cwd=str(ROOT / "tests"))
             for mode, names in jobs]
    out = []
    for p, (mode, names) in zip(procs, jobs):
        stdout, stderr = p.communicate(timeout=120)
        assert p.returncode == 0, f"{mode} {names[:5]}…: {stderr[-3000:]}"
        out.append(json.loads(stdout))
    return out


def test_import_order_does_not_change_the_features():
    mods = all_modules()
    assert len(mods) > 50 and "xlpy.round" in mods and "xlpy.excel.udfs" in mods
    rng = random.Random(11)
    orders = []
    for _ in range(6):
        order = list(mods)
        rng.shuffle(order)
        orders.append(order)
    plain, *permuted = _run_snapshots([("plain", orders[0])] + [("order", o) for o in orders])
    base = plain["snapshot"]
    assert base["actions"] and base["settings"] and base["inputs"] and base["outputs"]
    for order, run in zip(orders, permuted):
        # everything was imported (the Excel door's modules may be skipped where they need Windows: none today)
        assert set(mods) - set(run["skipped"]) <= set(run["loaded"])
        assert run["skipped"] == permuted[0]["skipped"]
        assert run["snapshot"] == base, f"declarations differ after importing in the order {order[:8]}…"
    assert plain["after"] == base, "importing every module after xlpy.features changed its declarations"
    # importing the declarations alone loads no implementation: they are data
    loaded = [m for m in plain["loaded"] if m.startswith("xlpy")]
    assert all(m in ("xlpy", "xlpy.features", "xlpy.rules", "xlpy.rules.titles", "xlpy.core", "xlpy.core.text",
                     "xlpy.core.problems", "xlpy.core.codes", "xlpy.core.record") or m.startswith("xlpy.schema") for m in loaded), loaded


# =========================================================================================
# 3. problem codes


def _classes(files: list[Path]) -> dict[str, ast.ClassDef]:
    defs: dict[str, ast.ClassDef] = {}
    for p in files:
        for n in ast.walk(parse(p)):
            if isinstance(n, ast.ClassDef):
                defs.setdefault(n.name, n)
    return defs


def _bases(c: ast.ClassDef) -> list[str]:
    return [b.id if isinstance(b, ast.Name) else b.attr for b in c.bases if isinstance(b, (ast.Name, ast.Attribute))]


def _init(c: ast.ClassDef) -> ast.FunctionDef | None:
    return next((n for n in c.body if isinstance(n, ast.FunctionDef) and n.name == "__init__"), None)


def _code_param(f: ast.FunctionDef, skip_self: bool) -> tuple[bool, int | None]:
    """(has a parameter named code, its positional index or None when keyword-only)."""
    pos = [a.arg for a in f.args.posonlyargs + f.args.args][1 if skip_self else 0:]
    if "code" in pos:
        return True, pos.index("code")
    return any(a.arg == "code" for a in f.args.kwonlyargs), None


def _code_classes(defs: dict[str, ast.ClassDef]) -> dict[str, int | None]:
    """Exception classes whose constructor takes a problem code -> the code's position
    (own or inherited ``__init__(self, code, …)``); a subclass whose ``__init__`` drops the
    parameter maps to None (its code is the literal it passes to ``super().__init__``)."""
    import builtins

    exc = {n for n in dir(builtins) if isinstance(getattr(builtins, n), type) and issubclass(getattr(builtins, n), BaseException)}
    out: dict[str, int | None] = {}
    changed = True
    while changed:
        changed = False
        for name, c in defs.items():
            if name in out:
                continue
            parents = [b for b in _bases(c) if b in out or b in exc]
            if not parents:
                continue
            init = _init(c)
            inherited = next((out[b] for b in parents if b in out and out[b] != "-"), "-")
            if init is not None:
                has, pos = _code_param(init, True)
                out[name] = pos if has else (None if inherited != "-" else "-")
            else:
                out[name] = inherited
            changed = True
    return {k: v for k, v in out.items() if v != "-"}  # "-": an exception class without a code


def _refers_to_code(e: ast.expr) -> bool:
    return isinstance(e, ast.Name) and e.id == "code" or (
        isinstance(e, ast.JoinedStr) and any(isinstance(v, ast.FormattedValue) and isinstance(v.value, ast.Name)
                                             and v.value.id == "code" for v in e.values))


# codes that reach the catalogue with a prefix their consumer adds: problems.add(f"mail_{e.code}", …) in xlpy/mail
PREFIXED = {"SmtpFatal": "mail_"}
SINK_METHODS = ("add", "warn", "err")  # Problems.add/.warn, rules.inputs._Rows.add, CellReader.err: (code, …), ≥ 5 arguments


def code_uses(files: list[Path]) -> list[tuple[str, int, str, ast.expr, list]]:
    """(file, line, what, code expression, transforms) for every place a problem code is
    written: the code argument of Problems.add/.warn (and of the readers' own add/err helpers),
    of an exception taking a code (UserError and its subclasses, SmtpFatal), of a function
    that hands its ``code`` parameter to one of those (``own_folder``), ``Code.of(…)``, and
    ``Code.NAME``.  ``transforms`` turn a literal into the codes it becomes (f"{code}_new")."""
    every = sorted(set(sources()) | set(files))
    defs = _classes(every)
    classes = _code_classes(defs)

    def sink_code(n: ast.Call) -> tuple[ast.expr | None, str]:
        f = n.func
        name = f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else ""
        kw = {k.arg: k.value for k in n.keywords if k.arg}
        if isinstance(f, ast.Attribute) and name in SINK_METHODS and len(n.args) + len(kw) >= 5:
            return (n.args[0] if n.args else kw.get("code")), f".{name}()"
        if name in classes and classes[name] is not None:
            i = classes[name]
            return (n.args[i] if len(n.args) > i else kw.get("code")), f"{name}()"
        if name in ("of", "Code") and (name == "Code" or getattr(f.value, "id", "") == "Code") and n.args:
            return n.args[0], "Code.of()"
        return None, ""

    # functions handing their `code` parameter to a sink: name -> (position, [transforms])
    forwarders: dict[str, tuple[int | None, list]] = {}
    for p in every:
        for fn in ast.walk(parse(p)):
            if not isinstance(fn, ast.FunctionDef) or fn.name in SINK_METHODS + ("__init__",):
                continue
            has, pos = _code_param(fn, False)
            if not has:
                continue
            if pos is not None and fn.args.args and fn.args.args[0].arg in ("self", "cls"):
                pos -= 1
            shapes = []
            for c in ast.walk(fn):
                if isinstance(c, ast.Call):
                    e, _w = sink_code(c)
                    if e is not None and _refers_to_code(e):
                        shapes.append(e)
            if shapes:
                forwarders[fn.name] = (pos, shapes)

    out = []
    for p in files:
        tree = parse(p)
        for n in ast.walk(tree):
            if isinstance(n, ast.ClassDef) and classes.get(n.name, 0) is None:
                # a subclass that fixes its code: super().__init__("code", …) at the parent's position
                parent = next(classes[b] for b in _bases(n) if classes.get(b) is not None)
                for c in ast.walk(n):
                    if (isinstance(c, ast.Call) and isinstance(c.func, ast.Attribute) and c.func.attr == "__init__"
                            and isinstance(c.func.value, ast.Call) and getattr(c.func.value.func, "id", "") == "super"
                            and len(c.args) > parent):
                        out.append((rel(p), c.lineno, f"{n.name} super().__init__", c.args[parent], []))
            if isinstance(n, ast.Attribute) and isinstance(n.value, ast.Name) and n.value.id == "Code" and n.attr.isupper():
                out.append((rel(p), n.lineno, "Code.NAME", n, []))
            if not isinstance(n, ast.Call):
                continue
            expr, what = sink_code(n)
            if expr is not None:
                out.append((rel(p), n.lineno, what, expr, []))
                continue
            name = n.func.id if isinstance(n.func, ast.Name) else getattr(n.func, "attr", "")
            if name in forwarders:
                pos, shapes = forwarders[name]
                kw = {k.arg: k.value for k in n.keywords if k.arg}
                e = n.args[pos] if pos is not None and len(n.args) > pos else kw.get("code")
                if e is not None:
                    out.append((rel(p), n.lineno, f"{name}(code)", e, shapes))
    return out


def code_violations(files: list[Path]) -> tuple[list[str], int, int]:
    """(violations, codes checked, dynamic codes that cannot be checked statically)."""
    from xlpy.core.codes import Code

    known = {c.value for c in Code}
    bad: list[str] = []
    checked = dynamic = 0

    def alternatives(e: ast.expr) -> list[ast.expr]:
        if isinstance(e, ast.IfExp):
            return alternatives(e.body) + alternatives(e.orelse)
        if isinstance(e, ast.BoolOp):
            return [x for v in e.values for x in alternatives(v)]
        return [e]

    def pattern(e: ast.JoinedStr, literal: str | None = None) -> str:
        out = ""
        for v in e.values:
            if isinstance(v, ast.Constant):
                out += re.escape(v.value)
            elif literal is not None and isinstance(v.value, ast.Name) and v.value.id == "code":
                out += re.escape(literal)
            else:
                out += "[a-z0-9_]+"
        return out

    for path, line, what, expr, shapes in code_uses(files):
        if what == "Code.NAME":
            checked += 1
            if expr.attr not in Code.__members__ and not callable(getattr(Code, expr.attr, None)):
                bad.append(f"{path}:{line}: Code.{expr.attr} is not in the catalogue")
            continue
        prefix = PREFIXED.get(what.split("(")[0], "")
        for e in alternatives(expr):
            if isinstance(e, ast.Constant) and isinstance(e.value, str):
                checked += 1
                # the literal itself, and what each forwarding shape makes of it (f"{code}_new")
                wanted = [re.escape(prefix + e.value)] if not shapes else [
                    re.escape(e.value) if isinstance(s, ast.Name) else pattern(s, e.value) for s in shapes]
                for w in wanted:
                    if not any(re.fullmatch(w, k) for k in known):
                        bad.append(f"{path}:{line}: {what} code {w.replace(chr(92), '')!r} is not in the catalogue")
            elif isinstance(e, ast.JoinedStr):
                checked += 1
                if not any(re.fullmatch(re.escape(prefix) + pattern(e), k) for k in known):
                    bad.append(f"{path}:{line}: {what} code {ast.unparse(e)} matches no catalogue code")
            elif isinstance(e, ast.Constant):
                bad.append(f"{path}:{line}: {what} code {e.value!r} is not a string")
            else:
                dynamic += 1
    return bad, checked, dynamic


VIETNAMESE = re.compile(r"[àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ]")


def test_every_problem_code_is_catalogued():
    from xlpy.core import codes as C
    from xlpy.core.problems import Problems

    # the catalogue: unique code strings (an Enum would silently alias a repeated value), Vietnamese templates
    tree = parse(PKG / "core" / "codes.py")
    written = [n.value.elts[0].value for n in ast.walk(tree) if isinstance(n, ast.Assign) and isinstance(n.value, ast.Tuple)
               and len(n.value.elts) == 2 and isinstance(n.value.elts[0], ast.Constant)]
    dup = [k for k, n in Counter(written).items() if n > 1]
    assert not dup, f"codes repeated in the catalogue: {dup}"
    assert len(C.Code.__members__) == len(list(C.Code)) == len(written)
    for c in C.Code:
        assert re.fullmatch(r"[a-z][a-z0-9_]*", c.value), c
        t = c.template
        assert isinstance(t, str) and t.strip() == t and len(t) >= 8, c
        first_letter = next(ch for ch in t if ch.isalpha())
        assert VIETNAMESE.search(t.lower()) and t == nfc(t) and first_letter.isupper(), f"{c.value}: {t!r} is not Vietnamese text"
    assert C.catalogue() == [(c.value, c.template) for c in C.Code]

    # the sinks: Problems' methods that take a code are the ones scanned
    import inspect

    takes_code = {n for n, f in inspect.getmembers(Problems, inspect.isfunction)
                  if list(inspect.signature(f).parameters)[1:2] == ["code"]}
    assert takes_code <= set(SINK_METHODS), f"Problems methods taking a code that this test does not scan: {takes_code}"
    with pytest.raises(ValueError):
        Problems().add("not_a_catalogue_code", "x", "", "", "")

    # every code written in the code
    files = sources()
    assert any("f\"mail_{e.code}\"" in p.read_text(encoding="utf-8") for p in files), "PREFIXED is out of date"
    bad, checked, _dynamic = code_violations(files)
    assert checked > 200, checked  # the scan finds the codes (about 220 today)
    assert not bad, "codes not in xlpy.core.codes.Code:\n" + "\n".join(bad)


def test_code_scanner_finds_an_uncatalogued_code(tmp_path):
    root = _fake_package(tmp_path, {"m.py": (
        "from xlpy.core.problems import UserError\n"
        "class Broken(UserError):\n    pass\n"
        "class Fixed(UserError):\n    def __init__(self, message):\n        super().__init__('fixed_code_typo', message)\n"
        "def f(problems, rd, x):\n"
        "    problems.add('missing_sheet', 'S', '', '', '')\n"
        "    problems.add('missing_shet', 'S', '', '', '')\n"
        "    problems.warn('bad' if x else 'unicode_nfd', 'S', '', '', '')\n"
        "    rd.err('excel_eror', 'A1', 1, 'x', 'y')\n"
        "    raise Broken('no_such_code', 'message')\n"
        "def g(problems, key):\n"
        "    problems.add(f'unknown_{key}', 'S', '', '', '')\n"
        "    problems.add(f'zzz_{key}', 'S', '', '', '')\n"
        "    seen = set(); seen.add('not a code')\n"
        "    own_folder('', None, problems, key='k', cell='', code='report_template_dir', what='', advice='')\n"
        "    own_folder('', None, problems, key='k', cell='', code='unicode_nfd', what='', advice='')\n"
        "    raise SmtpFatal('tls', 'x')\n"  # becomes mail_tls
        "def h():\n"
        "    raise SmtpFatal('tsl', 'x')\n"
        "def i():\n"
        "    return Code.NO_SUCH_CODE\n"
    )})
    bad, _checked, _dynamic = code_violations(sources(root))
    text = "\n".join(bad)
    for wrong in ("'missing_shet'", "'bad'", "'excel_eror'", "'no_such_code'", "'fixed_code_typo'", "zzz_", "'unicode_nfd_new'",
                  "'mail_tsl'", "Code.NO_SUCH_CODE"):
        assert wrong in text, (wrong, text)
    for right in ("'missing_sheet'", "unknown_", "'report_template_dir", "'not a code'", "tls'"):
        assert right not in text, (right, text)
    assert len(bad) == 9


def test_catalogue_is_in_the_reference():
    from xlpy.core.codes import Code

    text = (ROOT / "docs" / "reference.md").read_text(encoding="utf-8")
    missing = [c.value for c in Code if not re.search(rf"(?<![a-z0-9_]){re.escape(c.value)}(?![a-z0-9_])", text)]
    assert not missing, f"{len(missing)} codes not in docs/reference.md: {missing[:10]}…"


# =========================================================================================
# 4. headers, settings keys and sheet names are written only in xlpy/schema


def _declared():
    from xlpy import features as F
    from xlpy.schema import core as SC

    tables = [t for f in F.FEATURES for t in f.tables]
    headers = {nfc(c.header) for t in tables for c in t.columns} | {nfc(c.header) for c in SC.STAGE_KEYS}
    keys = {nfc(s.key) for s in F.settings()}
    sheets = {nfc(s) for s in F.input_sheets() + F.output_sheets()} | {nfc(t.sheet) for t in tables}
    # the schema's other vocabulary (choice labels and values): a literal equal to one of these cannot be
    # told from a header, key or sheet of the same spelling (“Điểm” is a criterion kind and a header)
    vocab = set()
    for spec in [c for t in tables for c in t.columns] + list(F.settings()):
        vocab |= {nfc(k) for k in spec.choices} | {nfc(v) for v in spec.choices.values() if isinstance(v, str)}
    return headers, keys, sheets, vocab


SHORT = 4  # headers shorter than this (“Mã”, “Năm”, “Từ”, “Đến”, “CC”) are too generic to look for

# Literals that equal a declared name by coincidence: (file, text, why).  Anything else equal to a
# declared header, settings key or sheet name outside xlpy/schema is a copy of the schema.
COINCIDENCES = {
    ("xlpy/core/problems.py", "Lỗi", "Severity.ERROR's label, not the “Lỗi” sheet"),
    ("xlpy/doctor.py", "Lỗi", "a check's status"),
    ("xlpy/doctor.py", "Kết quả", "a column of the doctor's terminal table"),
    ("xlpy/book/actions.py", "Kết quả", "the terminal table's title"),
    ("xlpy/features.py", "Gửi thư", "the mail feature's and the send button's label"),
    ("xlpy/features.py", "Xếp hạng", "the rank button's label"),
    ("xlpy/reports/context.py", "Quyết định", "a kind of legal document (Luật, Nghị định, Quyết định…)"),
}
OUTPUT_TABLES = ("OutputSheet", "Table")  # xlpy.book.sheet.OutputSheet, xlpy.actions.Table: output column titles


def _output_header_nodes(tree: ast.AST) -> set[int]:
    """String constants that are column titles of an output table: the header list of an
    ``OutputSheet(…)`` (not ``input=True``) or terminal ``Table(…)``, or a list assigned to a
    name containing HEADER/header.  These are output vocabulary, not the input schema."""
    out: set[int] = set()

    def mark(e: ast.AST | None) -> None:
        if isinstance(e, (ast.List, ast.Tuple)):
            out.update(id(x) for x in e.elts if isinstance(x, ast.Constant))

    for n in ast.walk(tree):
        if isinstance(n, ast.Call):
            name = n.func.id if isinstance(n.func, ast.Name) else getattr(n.func, "attr", "")
            kw = {k.arg: k.value for k in n.keywords}
            is_input = isinstance(kw.get("input"), ast.Constant) and kw["input"].value is True
            if name in OUTPUT_TABLES and not is_input:
                mark(n.args[1] if len(n.args) > 1 else kw.get("header"))
        elif isinstance(n, (ast.Assign, ast.AnnAssign)):
            targets = n.targets if isinstance(n, ast.Assign) else [n.target]
            if any(isinstance(t, ast.Name) and "header" in t.id.lower() for t in targets):
                mark(n.value)
    return out


def schema_copies(root: Path, *, skip: str = "schema") -> dict[str, list[str]]:
    """{"header"|"setting"|"sheet": ["file:line: 'text'", …]} for literals outside ``root/skip``."""
    headers, keys, sheets, vocab = _declared()
    headers = {h for h in headers if len(h) >= SHORT}
    allowed = {(f, t) for f, t, _why in COINCIDENCES}
    found: dict[str, list[str]] = {"header": [], "setting": [], "sheet": []}
    for p in sources(root):
        if p.relative_to(root).parts[0] == skip:
            continue
        tree = parse(p)
        docs, outputs = docstring_nodes(tree), _output_header_nodes(tree)
        for n in ast.walk(tree):
            if not (isinstance(n, ast.Constant) and isinstance(n.value, str)) or id(n) in docs:
                continue
            s = nfc(n.value)
            if s in vocab or (rel(p), s) in allowed:
                continue
            where = f"{rel(p)}:{n.lineno}: {s!r}"
            if id(n) in outputs:
                continue
            for kind, names in (("header", headers), ("setting", keys), ("sheet", sheets)):
                if s in names:
                    found[kind].append(where)
    return found


def test_schema_literal_scanner(tmp_path):
    """The scanner finds a copied header, key and sheet name, and leaves references, output
    column titles and ambiguous words alone."""
    root = _fake_package(tmp_path, {
        "schema/x.py": "A = 'Mã đơn vị'\nB = 'Cài đặt'\n",
        "m.py": (
            "from xlpy.schema import core as S\n"
            "H = ['Mã đơn vị', 'Tên đơn vị']\n"  # an input header copied (not an output header list)
            "K = {'Cách xếp hạng': 'x'}\n"  # a settings key copied
            "def f(book):\n"
            "    return book.grid('Cài đặt')\n"  # a sheet name copied
            "R = S.UNIT_TABLE.columns[0].header, S.SETTINGS\n"  # references: fine
            "OUT_HEADER = ['Hạng', 'Mã đơn vị', 'Tổng điểm']\n"  # output column titles
            "def g(OutputSheet, Table, units):\n"
            "    OutputSheet(S.RESULTS, ['Mã đơn vị', 'Tên đơn vị'], [])\n"
            "    OutputSheet(S.SELF, ['Tên đơn vị', *units], [], input=True)\n"  # an input sheet: still a copy
            "    return Table('t', ['Đơn vị', 'Xếp loại'], [])\n"
            "KIND = 'Điểm'\n"  # a criterion kind (also a header): ambiguous, not looked for
            "SHORT = 'Mã'\n"
        ),
    })
    found = schema_copies(root)
    lines = {k: sorted(int(v.split(":")[1]) for v in vs) for k, vs in found.items()}
    assert lines == {"header": [2, 2, 10], "setting": [3], "sheet": [5]}, found


def test_headers_and_setting_keys_live_only_in_the_schema():
    found = schema_copies(PKG)
    problems = [f"header  {w}" for w in found["header"]] + [f"setting {w}" for w in found["setting"]]
    assert not problems, f"{len(problems)} copies of the schema outside xlpy/schema:\n" + "\n".join(problems)


def test_sheet_names_live_only_in_the_schema():
    found = schema_copies(PKG)
    assert not found["sheet"], f"{len(found['sheet'])} sheet names outside xlpy/schema:\n" + "\n".join(found["sheet"])


def test_coincidences_are_still_needed():
    """Every allowed coincidence still occurs (a stale entry could hide a future copy)."""
    headers, keys, sheets, _vocab = _declared()
    for f, text, why in COINCIDENCES:
        tree = parse(ROOT / f)
        assert any(isinstance(n, ast.Constant) and n.value == text for n in ast.walk(tree)), (f, text, why)
        assert text in headers | keys | sheets, (f, text)


# =========================================================================================
# 5. the settings sheet: one parser, one caller, read once per action


def _module_name(p: Path, base: Path) -> tuple[str, str]:
    """(module, package) of a source file under ``base`` (the folder holding the package)."""
    parts = list(p.relative_to(base).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
        return ".".join(parts), ".".join(parts)
    return ".".join(parts), ".".join(parts[:-1])


def _schema_core_aliases(tree: ast.Module, package: str) -> tuple[set[str], set[str]]:
    """(names bound to the module xlpy.schema.core, names bound to its SETTINGS) in a module."""
    mods, consts = set(), set()
    for n in ast.walk(tree):
        if isinstance(n, ast.ImportFrom):
            base = package
            for _ in range(max(n.level - 1, 0)):
                base = base.rpartition(".")[0]
            frm = (f"{base}.{n.module}" if n.module else base) if n.level else (n.module or "")
            for a in n.names:
                if frm == "xlpy.schema" and a.name == "core":
                    mods.add(a.asname or a.name)
                if frm == "xlpy.schema.core" and a.name == "SETTINGS":
                    consts.add(a.asname or a.name)
        elif isinstance(n, ast.Import):
            for a in n.names:
                if a.name == "xlpy.schema.core" and a.asname:
                    mods.add(a.asname)
    return mods, consts


# functions and methods that read a sheet's cells (the Book protocol, the schema's readers, openpyxl, calamine)
READERS = {"grid", "merged", "_sheet", "read_table", "read_entries", "iter_rows", "get_sheet_by_name",
           "load_sheet", "load_sheet_by_name", "sheet_by_name"}


def settings_reads(root: Path | None = None) -> tuple[dict[str, list[int]], list[str]]:
    """({file: [lines calling read_settings]}, ["file:line: call", …] for every other read of
    the settings sheet) outside ``root``/schema.  A read is a call of a sheet reader, or a
    subscript (``wb[…]``), naming the settings sheet: the schema constant, however imported,
    or its text.  The reads inside the arguments of a ``read_settings(…)`` call are its own."""
    from xlpy.schema import core as SC

    root = root or PKG
    base = root.parent
    calls: dict[str, list[int]] = {}
    others: list[str] = []
    for p in sources(root):
        if p.relative_to(root).parts[0] == "schema":
            continue
        where = p.relative_to(base).as_posix()
        tree = parse(p)
        mods, consts = _schema_core_aliases(tree, _module_name(p, base)[1])

        def names_settings(e: ast.AST, mods: set[str] = mods, consts: set[str] = consts) -> bool:
            for x in ast.walk(e):
                if isinstance(x, ast.Attribute) and x.attr == "SETTINGS" and isinstance(x.value, ast.Name) and x.value.id in mods:
                    return True
                if isinstance(x, ast.Name) and x.id in consts:
                    return True
                if isinstance(x, ast.Constant) and isinstance(x.value, str) and nfc(x.value) == nfc(SC.SETTINGS):
                    return True
            return False

        own: set[int] = set()
        for n in ast.walk(tree):
            if isinstance(n, ast.Call):
                fname = n.func.id if isinstance(n.func, ast.Name) else getattr(n.func, "attr", "")
                if fname == "read_settings":
                    calls.setdefault(where, []).append(n.lineno)
                    own.update(id(x) for a in n.args + [k.value for k in n.keywords] for x in ast.walk(a))
            elif isinstance(n, ast.ImportFrom) and any(a.name == "read_settings" for a in n.names):
                calls.setdefault(where, [])
        for n in ast.walk(tree):
            if id(n) in own:
                continue
            if isinstance(n, ast.Call):
                fname = n.func.id if isinstance(n.func, ast.Name) else getattr(n.func, "attr", "")
                if fname in READERS and any(names_settings(a) for a in n.args + [k.value for k in n.keywords]):
                    others.append(f"{where}:{n.lineno}: {ast.unparse(n)[:90]}")
            elif isinstance(n, ast.Subscript) and isinstance(n.ctx, ast.Load) and names_settings(n.slice):
                others.append(f"{where}:{n.lineno}: {ast.unparse(n)[:90]}")
    return calls, others


def test_settings_sheet_is_read_by_one_parser():
    from xlpy.schema import base

    assert callable(base.read_settings)
    calls, others = settings_reads()
    # one parser, called once per kind of workbook: the block's round and the province workbook
    assert set(calls) <= {"xlpy/round.py", "xlpy/province/workbook.py"} and "xlpy/round.py" in calls \
        and all(len(v) == 1 for v in calls.values()), \
        f"read_settings is imported or called outside the round and the province workbook (or more than once): {calls}"
    assert not others, "the settings sheet read outside read_settings:\n" + "\n".join(others)


def test_settings_reads_scanner(tmp_path):
    root = _fake_package(tmp_path, {
        "__init__.py": "",
        "round.py": "from .schema import core as S\nfrom .schema.base import read_settings\n"
                    "def r(self):\n    return read_settings(self.grid(S.SETTINGS), (), S.SETTINGS, None)\n",
        "other.py": "from .schema import core as layout\nfrom .schema.core import SETTINGS as SET\n"
                    "def a(book):\n    return book.grid(layout.SETTINGS)\n"  # line 4
                    "def b(wb):\n    return wb[SET]\n"  # line 6
                    "def c(book):\n    return book.grid('Cài đặt')\n"  # line 8
                    "def d(wb):\n    wb.create_sheet(layout.SETTINGS)\n"  # writing: not a read
                    "def e(book, x):\n    return book.grid(x), book.grid(layout.UNITS)\n"
                    "from .schema.base import read_settings\n"  # line 13: a second parser caller
                    "def f(g):\n    return read_settings(g, (), 'x', None)\n",
        "schema/__init__.py": "", "schema/core.py": "SETTINGS = 'Cài đặt'\n",
    }).rename(tmp_path / "xlpy")
    calls, others = settings_reads(root)
    assert calls == {"xlpy/round.py": [4], "xlpy/other.py": [15]}
    assert [o.split(": ")[0] for o in others] == ["xlpy/other.py:4", "xlpy/other.py:6", "xlpy/other.py:8"], others


def book_actions() -> list[str]:
    from xlpy.features import actions

    from xlpy.features import FEATURES

    block = {a.name for f in FEATURES if f.workbook == "block" for a in f.actions}
    return [a.name for a in actions() if a.uses_book and a.name in block]  # the province's own workbook is another kind


def action_options(name: str, folder: Path) -> dict:
    """Options for running a book action on a copy of the sample (its outputs in ``folder``)."""
    previous = folder / "nam-truoc.xlsx"
    if name == "history import" and not previous.exists():
        shutil.copy(ROOT / "samples" / "so-nganh-100.xlsx", previous)
    return {
        "new-year": {"out": folder / "nam-sau.xlsx", "yes": True},
        "history import": {"sources": [previous], "dry_run": True},
        "report": {"format": "html", "out": folder / "bao-cao"},
        "send": {"dry_run": True, "outbox": folder / "hop-thu"},
    }.get(name, {})


@pytest.fixture(scope="module")
def reads_per_action(tmp_path_factory):
    """Run every action that takes the block's workbook on a copy of the sample and record, for
    that workbook: how many times read_settings ran, and which sheets' cells were read, in order."""
    import xlpy.round  # noqa: F401 - binds read_settings by name
    from xlpy import actions
    from xlpy.book import io as IO
    from xlpy.schema import base

    folder = tmp_path_factory.mktemp("reads")
    original = base.read_settings
    log: dict[str, list] = {"parser": [], "grid": []}
    book_path: list[Path] = []

    from xlpy.schema import core as SC

    last: list[Path | None] = [None]  # the workbook whose settings sheet was read last: the one being parsed

    def counting_parser(*a, **k):
        if last[0] == book_path[0]:
            log["parser"].append(1)
        return original(*a, **k)

    original_grid = IO.FileBook.grid

    def counting_grid(self, sheet):
        here = Path(self.path).resolve()
        if nfc(sheet) == nfc(SC.SETTINGS):
            last[0] = here
        if here == book_path[0]:  # the action's own workbook (history import and new-year read others too)
            log["grid"].append(nfc(sheet))
        return original_grid(self, sheet)

    bound = [m for m in list(sys.modules.values()) if m is not None and getattr(m, "read_settings", None) is original]
    assert any(m.__name__ == "xlpy.round" for m in bound)
    for m in bound:
        m.read_settings = counting_parser
    IO.FileBook.grid = counting_grid
    out = {}
    try:
        for name in book_actions():
            path = Path(shutil.copy(ROOT / "samples" / "so-nganh-100.xlsx", folder / f"{name.replace(' ', '-')}.xlsx")).resolve()
            book_path[:] = [path]
            opts = action_options(name, folder)
            log["parser"].clear()
            log["grid"].clear()
            r = actions.run(name, path, **opts)
            out[name] = (r.ok, r.message, len(log["parser"]), list(log["grid"]))
    finally:
        for m in bound:
            m.read_settings = original
        IO.FileBook.grid = original_grid
    return out


def _per_action(violations: dict[str, str]):
    """Every book action as a parameter; those with a known violation xfail (strict)."""
    return [pytest.param(n, marks=pytest.mark.xfail(strict=True, reason=f"VIOLATION: {violations[n]}")) if n in violations
            else n for n in book_actions()]


SETTINGS_READ_AGAIN: dict[str, str] = {}  # action -> known violation (none left)


@pytest.mark.parametrize("action", _per_action(SETTINGS_READ_AGAIN))
def test_settings_sheet_is_parsed_once_per_action(reads_per_action, action):
    from xlpy.schema import core as SC

    ok, message, parsed, grids = reads_per_action[action]
    assert ok, (action, message)  # the sample is a valid workbook: every action runs through
    assert parsed == 1, f"{action}: read_settings ran {parsed} times"
    n = grids.count(nfc(SC.SETTINGS))
    assert n == 1, f"{action}: the settings sheet's cells were read {n} times"


SHEETS_READ_AGAIN: dict[str, str] = {}  # action -> known violation (none left)


@pytest.mark.parametrize("action", _per_action(SHEETS_READ_AGAIN))
def test_each_sheet_is_read_once_per_action(reads_per_action, action):
    """One round: each sheet's cells are read once per action (the round keeps what it read)."""
    ok, message, _parsed, grids = reads_per_action[action]
    assert ok, (action, message)
    twice = sorted(s for s, n in Counter(grids).items() if n > 1)
    assert not twice, f"{action}: sheets read more than once: {twice} (reads in order: {grids})"
