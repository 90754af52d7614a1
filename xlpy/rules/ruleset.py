"""Versioned rule sets, loaded from TOML data files (``xlpy/rules/sets``).

A rule set is a legal regime with an effective-date range; the round's date
selects it (:func:`select_rule_set`).  Preset sets (``preset = true``) are not
regimes: they add optional caps to whichever regime applies, when the setting
named by ``enabled_setting`` is on.  The format is documented in docs/rules.md.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
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

    @property
    def citation(self) -> str:
        """"Điều 27 Luật Thi đua, khen thưởng số 06/2022/QH15 [đã xác minh]"."""
        art = self.article.strip()
        text = f"{art} {self.source}" if art and not art.startswith("(") else f"{self.source} {art}".strip()
        return f"{text} [{VERIFICATION_LABELS.get(self.verification, self.verification)}]"

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
    """A rule-set file that does not follow the format."""


def _date(v: Any, where: str) -> dt.date | None:
    if v is None:
        return None
    if isinstance(v, dt.datetime):
        return v.date()
    if isinstance(v, dt.date):
        return v
    raise RuleSetError(f"{where}: expected a TOML date, got {v!r}")


_KNOWN = {"id", "kind", "subject", "titles", "name", "source", "article", "verification", "valid_from", "valid_to", "check", "note"}


def _rule(d: Mapping[str, Any], set_id: str, set_from, set_to, where: str) -> Rule:
    for k in ("id", "kind", "subject", "name", "source", "verification"):
        if k not in d:
            raise RuleSetError(f"{where}: rule {d.get('id', '?')} lacks {k!r}")
    if d["kind"] not in KINDS:
        raise RuleSetError(f"{where}: rule {d['id']}: kind must be one of {KINDS}")
    if d["verification"] not in VERIFICATION:
        raise RuleSetError(f"{where}: rule {d['id']}: verification must be one of {VERIFICATION}")
    subjects = tuple(s.strip() for s in str(d["subject"]).split(",") if s.strip())
    if not subjects or any(s not in ("CN", "TT") for s in subjects):
        raise RuleSetError(f"{where}: rule {d['id']}: subject must be CN, TT or 'CN,TT'")
    vf = _date(d.get("valid_from"), where) or set_from
    vt = _date(d.get("valid_to"), where) or set_to
    # a rule may narrow its set's range, never widen it
    if set_from and vf and vf < set_from:
        raise RuleSetError(f"{where}: rule {d['id']} starts before its set")
    if set_to and vt and vt > set_to:
        raise RuleSetError(f"{where}: rule {d['id']} ends after its set")
    if vf and vt and vt < vf:
        raise RuleSetError(f"{where}: rule {d['id']} ends before it starts")
    if d["kind"] == "standard" and not (isinstance(d.get("check"), dict) and set(d["check"]) <= {"all", "any"}):
        raise RuleSetError(f"{where}: standard rule {d['id']} needs check.all or check.any")
    params = {k: v for k, v in d.items() if k not in _KNOWN}
    return Rule(
        id=str(d["id"]),
        kind=d["kind"],
        subjects=subjects,
        titles=tuple(d.get("titles", ())),
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


def load_rule_set(path: Path) -> RuleSet:
    """Load one rule-set file (with its includes)."""
    path = Path(path)
    with open(path, "rb") as fh:
        doc = tomllib.load(fh)
    head = doc.get("set")
    if not isinstance(head, dict) or "id" not in head:
        raise RuleSetError(f"{path.name}: missing [set] table with an id")
    vf = _date(head.get("valid_from"), path.name)
    vt = _date(head.get("valid_to"), path.name)
    records: list[tuple[dict, str]] = []
    for inc in head.get("include", ()):
        with open(path.with_name(inc), "rb") as fh:
            records += [(r, inc) for r in tomllib.load(fh).get("rules", [])]
    records += [(r, path.name) for r in doc.get("rules", [])]
    rules = tuple(_rule(r, head["id"], vf, vt, where) for r, where in records)
    seen: dict[str, Rule] = {}
    for r in rules:
        if r.id in seen:
            a, b = seen[r.id], r
            if _overlap(a.valid_from, a.valid_to, b.valid_from, b.valid_to):
                raise RuleSetError(f"{path.name}: rule {r.id} appears twice with overlapping dates")
        seen[r.id] = r
    return RuleSet(
        id=head["id"],
        name=head.get("name", head["id"]),
        valid_from=vf,
        valid_to=vt,
        rules=rules,
        money=doc.get("money", {}),
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
        with open(p, "rb") as fh:
            if "set" not in tomllib.load(fh):
                continue  # an include file
        out.append(load_rule_set(p))
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
