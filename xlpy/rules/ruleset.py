"""Versioned rule sets, loaded from TOML data files (``xlpy/rules/sets``).

A rule set is a legal regime with an effective-date range; the round's date
selects it (:func:`select_rule_set`).  Preset sets (``preset = true``) are not
regimes: they add optional caps to whichever regime applies, when the setting
named by ``enabled_setting`` is on.  The format is documented in docs/rules.md.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass, field, replace
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any, Mapping

SETS_DIR = Path(__file__).with_name("sets")

KINDS = ("standard", "procedure", "vote", "quota")
VERIFICATION = ("V", "V-2nd", "UNVERIFIED")
VERIFICATION_LABELS = {"V": "đã xác minh", "V-2nd": "xác minh qua nguồn thứ cấp", "UNVERIFIED": "chưa xác minh"}


@dataclass(frozen=True)
class Rule:
    id: str
    kind: str  # standard | procedure | vote | quota
    subjects: tuple[str, ...]  # ("CN",), ("TT",) or both
    titles: tuple[str, ...]
    name: str
    source: str
    article: str
    verification: str
    valid_from: dt.date | None
    valid_to: dt.date | None  # inclusive
    set_id: str
    check: Any = None  # standard: {"all"|"any": [...]}; procedure: a check name
    params: Mapping[str, Any] = field(default_factory=dict)  # everything else in the record
    note: str = ""

    @cached_property
    def legal_basis(self) -> str:
        """The citation for signed documents, without the verification label:
        "Điều 27 Luật Thi đua, khen thưởng số 06/2022/QH15"."""
        art = self.article.strip()
        return f"{art} {self.source}" if art and not art.startswith("(") else f"{self.source} {art}".strip()

    @cached_property
    def citation(self) -> str:
        """The citation for the internal compliance sheet, with its verification
        label: "Điều 27 Luật Thi đua, khen thưởng số 06/2022/QH15 [đã xác minh]"."""
        return f"{self.legal_basis} [{VERIFICATION_LABELS.get(self.verification, self.verification)}]"

    def in_force(self, day: dt.date) -> bool:
        return (self.valid_from is None or day >= self.valid_from) and (self.valid_to is None or day <= self.valid_to)


@dataclass(frozen=True)
class RuleSet:
    id: str
    name: str
    valid_from: dt.date | None
    valid_to: dt.date | None
    rules: tuple[Rule, ...]
    money: Mapping[str, Any] = field(default_factory=dict)
    preset: bool = False
    enabled_setting: str = ""
    path: str = ""

    def in_force(self, day: dt.date) -> bool:
        return (self.valid_from is None or day >= self.valid_from) and (self.valid_to is None or day <= self.valid_to)

    def on(self, day: dt.date) -> "RuleSet":
        """The same set with only the rule versions in force on ``day`` — so when a
        rule has successive versions, the date picks one, never its place in the file.
        A day outside the set's own range (a regime chosen explicitly, e.g. NĐ 98/2023
        for a dossier received before 01/07/2025) counts as the nearest end of it."""
        if self.valid_from and day < self.valid_from:
            day = self.valid_from
        if self.valid_to and day > self.valid_to:
            day = self.valid_to
        rules = tuple(r for r in self.rules if r.in_force(day))
        return self if len(rules) == len(self.rules) else replace(self, rules=rules)

    def rule(self, rule_id: str) -> Rule:
        for r in self.rules:
            if r.id == rule_id:
                return r
        raise KeyError(rule_id)

    def of_kind(self, kind: str) -> list[Rule]:
        return [r for r in self.rules if r.kind == kind]

    def standard_for(self, title: str, subject: str) -> Rule | None:
        for r in self.rules:
            if r.kind == "standard" and title in r.titles and subject in r.subjects:
                return r
        return None

    def procedure(self, check: str) -> Rule | None:
        for r in self.rules:
            if r.kind == "procedure" and r.check == check:
                return r
        return None

    def describe(self) -> str:
        lo = self.valid_from.strftime("%d/%m/%Y") if self.valid_from else "…"
        hi = self.valid_to.strftime("%d/%m/%Y") if self.valid_to else "nay"
        return f"{self.name} (áp dụng {lo} – {hi})"


class RuleSetError(ValueError):
    """A rule-set file that does not follow the format.  The message is Vietnamese and
    names the file and the rule of every problem found (``problems``, one per line)."""

    def __init__(self, problems: list[str] | str):
        self.problems = [problems] if isinstance(problems, str) else list(problems)
        super().__init__("\n".join(self.problems))


def _date(v: Any, where: str, problems: list[str]) -> dt.date | None:
    if v is None:
        return None
    if isinstance(v, dt.datetime):
        return v.date()
    if isinstance(v, dt.date):
        return v
    problems.append(f"{where}: “{v}” không phải ngày TOML (viết dạng 2025-07-01, không có dấu nháy)")
    return None


_KNOWN = {"id", "kind", "subject", "titles", "name", "source", "article", "verification", "valid_from", "valid_to", "check", "note"}
# keys a rule of each kind may carry beyond _KNOWN (they land in Rule.params)
_PARAMS = {
    "standard": set(),
    "procedure": {"excluded_kinds"},
    "vote": {"pct", "pct_setting"},
    "quota": {"scope", "counted", "base", "pct", "pct_setting", "count", "count_setting", "kinds", "pct_outstanding",
              "pct_outstanding_setting"},
}
_KIND_NAMES = {"standard": "tiêu chuẩn", "procedure": "thủ tục", "vote": "tỷ lệ phiếu", "quota": "tỷ lệ khen thưởng"}
_AWARD_KINDS = ("cong_trang", "chuyen_de", "dot_xuat")


def _one_of(choices: Any) -> str:
    return ", ".join(f"“{c}”" for c in choices)


def _is_number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _rule(d: Mapping[str, Any], set_id: str, set_from, set_to, file: str, problems: list[str]) -> Rule | None:
    """One ``[[rules]]`` record; every problem found is appended to ``problems``."""
    rid = str(d.get("id", "?"))
    where = f"Bộ quy định {file}, quy định {rid}"
    before = len(problems)
    for k, label in (("id", "mã"), ("kind", "loại"), ("subject", "đối tượng"), ("name", "tên"), ("source", "văn bản nguồn"),
                     ("verification", "mức xác minh")):
        if k not in d:
            problems.append(f"{where}: thiếu khóa “{k}” ({label})")
    if len(problems) > before:
        return None
    kind = d["kind"]
    if kind not in KINDS:
        problems.append(f"{where}: loại “{kind}” không có; dùng một trong {_one_of(KINDS)}")
        return None
    if d["verification"] not in VERIFICATION:
        problems.append(f"{where}: mức xác minh “{d['verification']}” không có; dùng một trong {_one_of(VERIFICATION)}")
    subjects = tuple(x.strip() for x in str(d["subject"]).split(",") if x.strip())
    if not subjects or any(x not in ("CN", "TT") for x in subjects):
        problems.append(f"{where}: đối tượng “{d['subject']}” không hợp lệ; dùng “CN”, “TT” hoặc “CN,TT”")
    titles = d.get("titles", ())
    if not isinstance(titles, (list, tuple)):
        problems.append(f"{where}: “titles” phải là danh sách mã danh hiệu")
        titles = ()
    _check_titles(titles, where, problems)
    vf = _date(d.get("valid_from"), where, problems) or set_from
    vt = _date(d.get("valid_to"), where, problems) or set_to
    # a rule may narrow its set's range, never widen it
    if set_from and vf and vf < set_from:
        problems.append(f"{where}: bắt đầu hiệu lực ({vf:%d/%m/%Y}) trước bộ quy định của nó ({set_from:%d/%m/%Y})")
    if set_to and vt and vt > set_to:
        problems.append(f"{where}: hết hiệu lực ({vt:%d/%m/%Y}) sau bộ quy định của nó ({set_to:%d/%m/%Y})")
    if vf and vt and vt < vf:
        problems.append(f"{where}: ngày hết hiệu lực ({vt:%d/%m/%Y}) trước ngày bắt đầu ({vf:%d/%m/%Y})")
    params = {k: v for k, v in d.items() if k not in _KNOWN}
    for k in sorted(set(params) - _PARAMS[kind]):
        allowed = sorted(_PARAMS[kind])
        problems.append(f"{where}: khóa “{k}” không dùng cho quy định loại {_KIND_NAMES[kind]}"
                        + (f"; các khóa được dùng: {_one_of(allowed)}" if allowed else ""))
    if kind == "standard":
        chk = d.get("check")
        if not (isinstance(chk, dict) and len(chk) == 1 and set(chk) <= {"all", "any"}):
            problems.append(f"{where}: tiêu chuẩn cần đúng một trong “check.all” hoặc “check.any”")
        else:
            _check_tree(chk, subjects, where, problems)
    elif kind == "procedure":
        from .conditions import PROCEDURES

        if d.get("check") not in PROCEDURES:
            problems.append(f"{where}: thủ tục “{d.get('check')}” không có; dùng một trong {_one_of(PROCEDURES)}")
        for k in params.get("excluded_kinds", ()):
            if k not in _AWARD_KINDS:
                problems.append(f"{where}: loại khen thưởng “{k}” trong “excluded_kinds” không có; dùng một trong {_one_of(_AWARD_KINDS)}")
    elif kind == "vote":
        _check_amounts(params, ("pct",), where, problems, required=True)
    else:
        _check_quota(params, where, problems)
    if len(problems) > before:
        return None
    return Rule(
        id=rid,
        kind=kind,
        subjects=subjects,
        titles=tuple(titles),
        name=d["name"],
        source=d["source"],
        article=str(d.get("article", "")),
        verification=d["verification"],
        valid_from=vf,
        valid_to=vt,
        set_id=set_id,
        check=d.get("check"),
        params=params,
        note=d.get("note", ""),
    )


def _check_titles(titles: Any, where: str, problems: list[str], grades: bool = False) -> None:
    from .titles import GRADES, TITLES

    known = list(TITLES) + (list(GRADES) if grades else [])
    for t in titles:
        if t not in known:
            problems.append(f"{where}: mã danh hiệu “{t}” không có; dùng một trong {_one_of(known)}")


def _check_setting(name: Any, key: str, where: str, problems: list[str], boolean: bool = False) -> None:
    from .settings import RuleSettings, setting_fields

    fields_ = setting_fields()
    if name not in fields_:
        problems.append(f"{where}: thiết lập “{name}” (khóa “{key}”) không có; dùng một trong {_one_of(fields_)}")
    elif boolean and not isinstance(getattr(RuleSettings(), name), bool):
        problems.append(f"{where}: thiết lập “{name}” (khóa “{key}”) không phải thiết lập Có/Không")


def _check_amounts(params: Mapping[str, Any], names: tuple[str, ...], where: str, problems: list[str], required: bool = False) -> None:
    """``pct``/``count`` values and their ``*_setting`` names."""
    for n in names:
        v = params.get(n)
        if v is not None:
            if n.startswith("pct") and not (_is_number(v) and 0 <= v <= 100):
                problems.append(f"{where}: “{n}” = {v!r} phải là phần trăm từ 0 đến 100")
            if n == "count" and not (isinstance(v, int) and not isinstance(v, bool) and v >= 0):
                problems.append(f"{where}: “count” = {v!r} phải là số nguyên không âm")
        if f"{n}_setting" in params:
            _check_setting(params[f"{n}_setting"], f"{n}_setting", where, problems)
    if required and not any(params.get(n) is not None or params.get(f"{n}_setting") for n in names):
        problems.append(f"{where}: cần “{names[0]}” hoặc “{names[0]}_setting”")


def _check_quota(params: Mapping[str, Any], where: str, problems: list[str]) -> None:
    from .allocation import BASES, COUNTED, SCOPES

    scope = params.get("scope", "block")
    if scope not in SCOPES:
        problems.append(f"{where}: phạm vi “{scope}” không có; dùng một trong {_one_of(SCOPES)}")
    counted = params.get("counted", "proposals")
    if counted not in COUNTED:
        problems.append(f"{where}: cách đếm “{counted}” không có; dùng một trong {_one_of(COUNTED)}")
    base = params.get("base")
    if base is not None and base not in BASES:
        problems.append(f"{where}: số cơ sở “{base}” không có; dùng một trong {_one_of(BASES)}")
    has_pct = params.get("pct") is not None or "pct_setting" in params
    if has_pct and base is None:
        problems.append(f"{where}: tỷ lệ phần trăm cần số cơ sở (khóa “base”)")
    for k in params.get("kinds", ()):
        if k not in _AWARD_KINDS:
            problems.append(f"{where}: loại khen thưởng “{k}” trong “kinds” không có; dùng một trong {_one_of(_AWARD_KINDS)}")
    _check_amounts(params, ("pct", "count", "pct_outstanding"), where, problems)
    if not (has_pct or params.get("count") is not None or "count_setting" in params):
        problems.append(f"{where}: tỷ lệ khen thưởng cần “pct”, “count” hoặc thiết lập tương ứng")


def _check_tree(node: Any, subjects: tuple[str, ...], where: str, problems: list[str]) -> None:
    """A standard's condition tree: groups ``all``/``any`` and conditions on known metrics."""
    from .conditions import CONDITION_KEYS, METRICS, OPS
    from .titles import GRADES, INITIATIVE_CODES, SUBJECT_LABELS

    if not isinstance(node, dict):
        problems.append(f"{where}: điều kiện “{node}” phải là một bảng {{ metric = …, op = …, value = … }}")
        return
    groups = [k for k in ("all", "any") if k in node]
    if groups:
        if len(groups) > 1 or len(node) > 1:
            problems.append(f"{where}: một nhóm điều kiện chỉ có “all” hoặc “any”, không kèm khóa khác ({_one_of(sorted(node))})")
        items = node[groups[0]]
        if not isinstance(items, list) or not items:
            problems.append(f"{where}: nhóm “{groups[0]}” cần danh sách điều kiện không rỗng")
            return
        for c in items:
            _check_tree(c, subjects, where, problems)
        return
    metric = node.get("metric")
    for k in sorted(set(node) - CONDITION_KEYS):
        problems.append(f"{where}: khóa “{k}” trong điều kiện “{metric or '?'}” không có; dùng một trong {_one_of(sorted(CONDITION_KEYS))}")
    if metric not in METRICS:
        problems.append(f"{where}: chỉ tiêu “{metric}” không có; dùng một trong {_one_of(METRICS)}")
        return
    m = METRICS[metric]
    wrong = [x for x in subjects if x not in m.subjects]
    if wrong:
        problems.append(f"{where}: chỉ tiêu “{metric}” không áp dụng cho đối tượng {', '.join(SUBJECT_LABELS.get(x, x) for x in wrong)}")
    op = node.get("op", "==")
    if op not in OPS or (m.value == "yes" and op != "=="):
        problems.append(f"{where}: phép so sánh “{op}” của chỉ tiêu “{metric}” không hợp lệ; dùng "
                        + ("“==”" if m.value == "yes" else _one_of(OPS)))
    if m.title:
        if "title" not in node:
            problems.append(f"{where}: chỉ tiêu “{metric}” cần khóa “title” (mã danh hiệu)")
        else:
            _check_titles([node["title"]], where, problems, grades=m.grade_title)
    elif "title" in node:
        problems.append(f"{where}: chỉ tiêu “{metric}” không dùng khóa “title”")
    for k in ("setting", "when_setting"):
        if k in node:
            _check_setting(node[k], k, where, problems, boolean=k == "when_setting")
    if "value" not in node:
        if "setting" not in node:
            problems.append(f"{where}: chỉ tiêu “{metric}” cần “value” (hoặc “setting”)")
        return
    v = node["value"]
    bad = {
        "grade": lambda: v not in GRADES,
        "initiative": lambda: not (v in INITIATIVE_CODES or (isinstance(v, int) and not isinstance(v, bool) and 0 <= v <= 3)),
        "count": lambda: not (isinstance(v, int) and not isinstance(v, bool) and v >= 0),
        "percent": lambda: not (_is_number(v) and 0 <= v <= 100),
        "yes": lambda: not isinstance(v, bool),
    }[m.value]()
    if bad:
        want = {"grade": _one_of(GRADES), "initiative": _one_of(INITIATIVE_CODES), "count": "một số nguyên không âm",
                "percent": "phần trăm từ 0 đến 100", "yes": "true hoặc false"}[m.value]
        problems.append(f"{where}: giá trị {v!r} của chỉ tiêu “{metric}” không hợp lệ; cần {want}")


def _read_toml(path: Path, shown: str, problems: list[str]) -> dict | None:
    try:
        with open(path, "rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        problems.append(f"Bộ quy định {shown}: không tìm thấy tệp {path.name}")
    except tomllib.TOMLDecodeError as e:
        problems.append(f"Bộ quy định {shown}: tệp {path.name} không đúng cú pháp TOML ({e})")
    return None


def load_rule_set(path: Path) -> RuleSet:
    """Load one rule-set file (with its includes), checking every rule: a misspelt
    metric, operator, title, setting, scope or base population fails here, with all
    problems of the file listed (:class:`RuleSetError`)."""
    path = Path(path)
    problems: list[str] = []
    doc = _read_toml(path, path.name, problems)
    if doc is None:
        raise RuleSetError(problems)
    head = doc.get("set")
    if not isinstance(head, dict) or "id" not in head:
        raise RuleSetError(f"Bộ quy định {path.name}: thiếu bảng [set] có khóa “id”")
    where = f"Bộ quy định {path.name}"
    vf = _date(head.get("valid_from"), where, problems)
    vt = _date(head.get("valid_to"), where, problems)
    if head.get("enabled_setting"):
        _check_setting(head["enabled_setting"], "enabled_setting", where, problems, boolean=True)
    records: list[tuple[dict, str]] = []
    for inc in head.get("include", ()):
        inc_doc = _read_toml(path.with_name(inc), path.name, problems)
        if inc_doc is not None:
            records += [(r, inc) for r in inc_doc.get("rules", [])]
    records += [(r, path.name) for r in doc.get("rules", [])]
    built = [_rule(r, head["id"], vf, vt, file, problems) for r, file in records]
    rules = tuple(r for r in built if r is not None)
    for i, a in enumerate(rules):
        for b in rules[i + 1:]:
            if not _overlap(a.valid_from, a.valid_to, b.valid_from, b.valid_to):
                continue
            if a.id == b.id:
                problems.append(f"{where}, quy định {b.id}: xuất hiện hai lần với thời gian hiệu lực chồng nhau")
            elif a.kind == b.kind == "standard" and set(a.titles) & set(b.titles) and set(a.subjects) & set(b.subjects):
                both = ", ".join(sorted(set(a.titles) & set(b.titles)))
                problems.append(f"{where}, quy định {b.id}: cùng là tiêu chuẩn của {both} với quy định {a.id} trong cùng thời gian hiệu lực")
            elif a.kind == b.kind == "procedure" and a.check == b.check:
                problems.append(f"{where}, quy định {b.id}: cùng thủ tục “{b.check}” với quy định {a.id} trong cùng thời gian hiệu lực")
    money = doc.get("money", {})
    for t, m in (money.get("multiples") or {}).items():
        _check_titles([t], f"{where}, [money.multiples]", problems)
        if not (_is_number(m) and m >= 0):
            problems.append(f"{where}, [money.multiples]: hệ số “{t}” = {m!r} phải là số không âm")
    if problems:
        raise RuleSetError(problems)
    return RuleSet(
        id=head["id"],
        name=head.get("name", head["id"]),
        valid_from=vf,
        valid_to=vt,
        rules=rules,
        money=money,
        preset=bool(head.get("preset", False)),
        enabled_setting=head.get("enabled_setting", ""),
        path=str(path),
    )


def _overlap(a0, a1, b0, b1) -> bool:
    lo_a = a0 or dt.date.min
    hi_a = a1 or dt.date.max
    lo_b = b0 or dt.date.min
    hi_b = b1 or dt.date.max
    return lo_a <= hi_b and lo_b <= hi_a


@lru_cache(maxsize=None)
def _load_dir(directory: str) -> tuple[RuleSet, ...]:
    out = []
    for p in sorted(Path(directory).glob("*.toml")):
        problems: list[str] = []
        doc = _read_toml(p, p.name, problems)
        if doc is None:
            raise RuleSetError(problems)
        if "set" not in doc:
            continue  # an include file
        rs = load_rule_set(p)
        for other in out:
            if other.id.casefold() == rs.id.casefold():
                raise RuleSetError(f"Bộ quy định {p.name}: mã bộ “{rs.id}” trùng với {Path(other.path).name}")
            if not rs.preset and not other.preset and _overlap(other.valid_from, other.valid_to, rs.valid_from, rs.valid_to):
                raise RuleSetError(f"Bộ quy định {p.name}: thời gian áp dụng chồng với {Path(other.path).name}; "
                                   "mỗi ngày chỉ có một bộ quy định")
        out.append(rs)
    return tuple(out)


def load_rule_sets(directory: Path | None = None) -> tuple[RuleSet, ...]:
    """Every rule set shipped (regimes and presets)."""
    return _load_dir(str(directory or SETS_DIR))


def regimes() -> list[RuleSet]:
    return [s for s in load_rule_sets() if not s.preset]


def presets() -> list[RuleSet]:
    return [s for s in load_rule_sets() if s.preset]


def get_rule_set(set_id: str) -> RuleSet:
    for s in load_rule_sets():
        if s.id.casefold() == str(set_id).strip().casefold():
            return s
    raise KeyError(set_id)


def select_rule_set(day: dt.date) -> RuleSet | None:
    """The regime in force on ``day`` (None when no shipped set covers it).

    >>> select_rule_set(dt.date(2025, 6, 30)).id, select_rule_set(dt.date(2025, 7, 1)).id
    ('ND98-2023', 'ND152-2025')
    """
    hits = [s for s in regimes() if s.in_force(day)]
    return hits[0] if hits else None
