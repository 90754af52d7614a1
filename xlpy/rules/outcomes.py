"""Outcomes of a check: one :class:`CandidateOutcome` per proposal, one
:class:`QuotaOutcome` per quota and scope, gathered in a :class:`CheckReport`.

A candidate's verdict is one of :data:`~xlpy.rules.model.STATUSES`:
``đạt``, ``không đạt``, ``vượt tỷ lệ`` or ``chờ quyết định`` (equal to others at a
cut that the declared order cannot separate: the Chair decides or the council
votes).  Only ``đạt`` counts as awarded (money, counts of awards, prerequisites).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .model import CHO_QUYET_DINH, DAT, KHONG_DAT, STATUSES, VUOT, Proposal, RulesInput, Verdict
from .money import MoneyLine
from .quotas import Cap
from .ruleset import Rule, RuleSet
from .settings import RuleSettings
from .titles import title_name


@dataclass
class CandidateOutcome:
    proposal: Proposal
    name: str
    unit: str
    verdict: str  # đạt / không đạt / vượt tỷ lệ / chờ quyết định
    rules: list[str]  # rule ids that decided it (failing ones, or the standard when đạt)
    citation: str  # with its verification label, for the compliance sheet
    numbers: str
    fix: str
    amount: int | None = None  # reward money, only when đạt
    reasons: list[str] = field(default_factory=list)  # plain sentences, one per unmet condition (empty when đạt)
    legal_basis: str = ""  # the citation without the verification label, for signed documents

    def to_dict(self) -> dict:
        p = self.proposal
        return {
            "row": p.row,
            "subject": p.subject,
            "code": p.code,
            "name": self.name,
            "unit": self.unit,
            "title": p.title,
            "title_name": title_name(p.title),
            "kind": p.kind,
            "movement": p.movement,
            "votes": p.votes,
            "verdict": self.verdict,
            "rules": self.rules,
            "citation": self.citation,
            "legal_basis": self.legal_basis,
            "numbers": self.numbers,
            "fix": self.fix,
            "reasons": list(self.reasons),
            "amount": self.amount,
        }


@dataclass
class QuotaOutcome:
    """A quota in one scope, applied to the proposals that meet their standards.

    ``kept`` are strictly better under the declared order than every proposal left
    out; ``over`` are strictly worse than ``cap`` others; ``tied`` are equal to one
    another across the cut (``places`` places remain for them): the Chair decides.
    ``awaiting`` compete although their own standard awaits a decision; ``decided``
    gives each competing proposal's verdict under this quota."""

    rule: Rule
    scope: str
    cap: Cap
    proposed: int  # proposals in scope (all)
    used: int  # proposals in scope that meet the standards (or the counted number)
    kept: list[Proposal] = field(default_factory=list)
    over: list[Proposal] = field(default_factory=list)
    tied: list[Proposal] = field(default_factory=list)
    places: int = 0  # places left for the tied group
    awaiting: list[Proposal] = field(default_factory=list)
    decided: dict[tuple, str] = field(default_factory=dict)  # proposal key -> DAT / VUOT / CHO_QUYET_DINH
    place: dict[tuple, int] = field(default_factory=dict)  # proposal key -> 1 + number strictly better (shared by equals)
    tie_of: dict[tuple, tuple[int, list[Proposal]]] = field(default_factory=dict)  # tied key -> (places, its group of equals)
    texts: dict[Any, Any] = field(default_factory=dict, repr=False, compare=False)  # text shared by a group (built once, not per member)

    def position(self, p: Proposal) -> int:
        """1-based place of ``p`` in the declared order among those competing; equals share a place."""
        return self.place[p.key]

    @property
    def competing(self) -> int:
        return self.used + len(self.awaiting)

    @property
    def remaining(self) -> int:
        return max(self.cap.value - self.competing, 0)

    @property
    def verdict(self) -> str:
        if self.competing <= self.cap.value:
            return DAT
        return VUOT if self.used > self.cap.value else CHO_QUYET_DINH

    @property
    def undecided(self) -> list[Proposal]:
        """Competing proposals this quota leaves awaiting a decision."""
        return [p for p in self.kept + self.tied + self.over + self.awaiting if self.decided.get(p.key) == CHO_QUYET_DINH]

    def to_dict(self) -> dict:
        return {
            "rule": self.rule.id,
            "name": self.rule.name,
            "scope": self.scope,
            "cap": self.cap.value,
            "cap_explained": self.cap.explain(),
            "base": self.cap.base,
            "pct": None if self.cap.pct is None else float(self.cap.pct),
            "count": self.cap.count,
            "rounding": self.cap.rounding,
            "proposed": self.proposed,
            "used": self.used,
            "remaining": self.remaining,
            "verdict": self.verdict,
            "over": [p.code for p in self.over],
            "tied_at_cut": [p.code for p in self.tied],
            "places_for_tied": self.places if self.tied else 0,
            "awaiting_decision": [p.code for p in self.undecided],
            "citation": self.rule.citation,
            "legal_basis": self.rule.legal_basis,
        }


@dataclass
class CheckReport:
    rule_set: RuleSet
    presets: list[RuleSet]
    settings: RuleSettings
    input: RulesInput
    verdicts: list[Verdict]
    outcomes: list[CandidateOutcome]
    quotas: list[QuotaOutcome]
    money: list[MoneyLine]
    money_total: int

    def counts(self) -> dict[str, int]:
        out = {k: 0 for k in STATUSES}
        for o in self.outcomes:
            out[o.verdict] += 1
        return out

    def summary(self) -> str:
        c = self.counts()
        over_q = sum(1 for q in self.quotas if q.verdict == VUOT)
        waiting = f", {c[CHO_QUYET_DINH]} chờ quyết định" if c[CHO_QUYET_DINH] else ""
        return (
            f"Theo {self.rule_set.name}: {len(self.outcomes)} đề nghị — {c[DAT]} đạt, {c[KHONG_DAT]} không đạt, "
            f"{c[VUOT]} vượt tỷ lệ{waiting}; {len(self.quotas)} tỷ lệ được kiểm tra, {over_q} bị vượt."
        )

    def to_dict(self) -> dict:
        from .money import in_words

        return {
            "rule_set": {"id": self.rule_set.id, "name": self.rule_set.name,
                         "valid_from": self.rule_set.valid_from.isoformat() if self.rule_set.valid_from else None,
                         "valid_to": self.rule_set.valid_to.isoformat() if self.rule_set.valid_to else None},
            "presets": [p.id for p in self.presets],
            "year": self.input.year,
            "round_date": self.input.round_date.isoformat(),
            "counts": self.counts(),
            "candidates": [o.to_dict() for o in self.outcomes],
            "quotas": [q.to_dict() for q in self.quotas],
            "verdicts": [v.to_dict() for v in self.verdicts],
            "money": {"base_salary": self.settings.base_salary, "lines": [m.to_dict() for m in self.money],
                      "total": self.money_total, "total_words": in_words(self.money_total)},
        }
