"""Allocation: quotas applied to the candidates that meet their standards.

A quota caps the proposals of some titles in a scope (the block, each unit, each
movement).  When more proposals compete than places exist, the declared order
(setting "Thứ tự xét khi vượt tỷ lệ": votes, block rank, women first, the Chair's
order) decides.  Where the cut falls inside a group the order cannot separate,
nobody in that group is decided by the sheet's row order: all of them are
``chờ quyết định`` and the report says how many places remain for them (R-22:
the Chair decides, or the council votes).

Candidates whose own standard awaits a decision (a prerequisite tied at another
cut) still compete: each other candidate is decided only when the outcome is the
same whichever way those decisions go, and is ``chờ quyết định`` otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import groupby
from typing import Any, Callable

from .conditions import YES, Evaluator, setting_or
from .model import CHO_QUYET_DINH, CN, DAT, TT, VUOT, Proposal, RulesInput
from .outcomes import QuotaOutcome
from .quotas import as_fraction, cap_of
from .ruleset import Rule, RuleSet
from .settings import RuleSettings
from .titles import fold

BASES = ("block_units", "movement_collectives", "movement_individuals", "unit_ldtt", "unit_htt", "co_tinh_qualified")
SCOPES = ("block", "unit", "movement")
COUNTED = ("proposals", "unit_htxs")


@dataclass
class Allotment:
    decided: dict[tuple, str] = field(default_factory=dict)
    place: dict[tuple, int] = field(default_factory=dict)
    kept: list[Proposal] = field(default_factory=list)
    over: list[Proposal] = field(default_factory=list)
    tied: list[Proposal] = field(default_factory=list)
    places: int = 0
    tie_of: dict[tuple, tuple[int, list[Proposal]]] = field(default_factory=dict)


def allot(competing: list[Proposal], awaiting: set[tuple], cap: int, key: Callable[[Proposal], Any]) -> Allotment:
    """Decide ``competing`` proposals against ``cap`` places by ``key`` (smaller is better).

    For each proposal, with ``b`` proposals strictly better and ``e`` equal to it:
    đạt when the whole group of equals fits (``b + 1 + e <= cap``) even counting
    every awaiting competitor; vượt tỷ lệ when ``b >= cap`` even counting none of
    them; otherwise chờ quyết định — a group straddling the cut (``tie_of`` gives
    the places left and the group) or a fate hanging on awaiting competitors.
    Linear after one sort; the result does not depend on the order of ``competing``.
    """
    a = Allotment()
    ordered = sorted(competing, key=lambda p: (key(p), p.row or 0, p.subject, p.code, p.title))
    sure_before = waiting_before = 0
    for _k, grp_iter in groupby(ordered, key=key):
        grp = list(grp_iter)
        gw = sum(1 for p in grp if p.key in awaiting)
        gs = len(grp) - gw
        for p in grp:
            mine = p.key in awaiting
            es, ew = gs - (0 if mine else 1), gw - (1 if mine else 0)
            worst_better, worst_size = sure_before + waiting_before, 1 + es + ew  # every awaiting competitor comes through
            best_better, best_size = sure_before, 1 + es  # none of the others does
            a.place[p.key] = worst_better + 1
            if best_better >= cap:
                a.decided[p.key] = VUOT
                a.over.append(p)
                continue
            if worst_better + worst_size <= cap and not mine:
                a.decided[p.key] = DAT
                a.kept.append(p)
                continue
            a.decided[p.key] = CHO_QUYET_DINH
            if worst_better < cap < worst_better + worst_size:
                group, places = grp, cap - worst_better
            elif best_better < cap < best_better + best_size:
                group, places = [q for q in grp if q.key not in awaiting or q is p], cap - best_better
            else:
                continue  # fits or not depending on an awaiting competitor's decision
            if not a.tied:
                a.places = places
            a.tied.append(p)
            a.tie_of[p.key] = (places, group)
        sure_before += gs
        waiting_before += gw
    return a


def order_key(inp: RulesInput, s: RuleSettings) -> Callable[[Proposal], tuple]:
    """The declared over-quota order as a sort key (smaller is better)."""

    def key(p: Proposal) -> tuple:
        parts: list[Any] = []
        for t in s.order:
            if t == "PHIEU_BAU":
                parts.append((1, 0) if p.votes is None else (0, -p.votes))
            elif t == "XEP_HANG":
                col = inp.collectives.get(p.code) if p.subject == TT else None
                parts.append(col.rank if col and col.rank is not None else 10**9)
            elif t == "TY_LE_NU":
                if p.subject == CN:
                    person = inp.people.get(p.code)
                    pref = bool(person and person.female)
                else:
                    col = inp.collectives.get(p.code)
                    pref = bool(col and col.women_share is not None and as_fraction(col.women_share) * 100 >= s.women_threshold)
                parts.append(0 if pref else 1)
            elif t == "CHU_TICH":
                parts.append(p.chair_order if p.chair_order is not None else 10**9)
        return tuple(parts)

    return key


def quota_rules(rs: RuleSet, presets: list[RuleSet]) -> list[Rule]:
    out = list(rs.of_kind("quota"))
    for p in presets:
        out += p.of_kind("quota")
    return out


def apply_quota(rule: Rule, inp: RulesInput, s: RuleSettings, ev: Evaluator, status: dict[tuple, str],
                key: Callable[[Proposal], tuple]) -> list[QuotaOutcome]:
    """One quota rule over every scope it covers.  ``status`` is each proposal's
    verdict from its standards and procedure (DAT, CHO_QUYET_DINH compete)."""
    prm = rule.params
    pct = setting_or(prm.get("pct"), prm.get("pct_setting"), s)
    count = setting_or(prm.get("count"), prm.get("count_setting"), s)
    if pct is None and count is None:
        return []  # not configured (e.g. per-block Bằng khen caps)
    counted = prm.get("counted", "proposals")
    outcomes: list[QuotaOutcome] = []
    if counted == "unit_htxs":
        pct_out = setting_or(prm.get("pct_outstanding"), prm.get("pct_outstanding_setting"), s)
        for code in inp.units or tuple(inp.collectives):
            col = inp.collectives.get(code)
            if col is None or col.htxs is None or col.htt is None:
                continue
            p_used = pct_out if col.outstanding_unit and pct_out is not None else pct
            cap = cap_of(col.htt, pct=p_used, rounding=s.cap_rounding)
            outcomes.append(QuotaOutcome(rule, f"Đơn vị {col.name or code}", cap, col.htxs, col.htxs))
        return outcomes
    kinds = set(prm.get("kinds", ())) or None
    scope = prm.get("scope", "block")
    base_name = prm.get("base")
    in_scope = [p for p in inp.proposals if p.title in rule.titles and p.subject in rule.subjects and (kinds is None or p.kind in kinds)]
    if scope == "movement":
        in_scope = [p for p in in_scope if p.movement]
    groups: dict[str, list[Proposal]] = {}
    for p in in_scope:
        g = "" if scope == "block" else (p.movement if scope == "movement" else inp.unit_of(p.subject, p.code))
        groups.setdefault(g, []).append(p)
    if scope == "block" and not groups:
        groups[""] = []
    for g in sorted(groups):
        props = groups[g]
        base = base_population(inp, base_name, g, ev)
        if pct is not None and base is None:
            continue  # the base population is unknown: reported as an input problem by the reader
        cap = cap_of(base, pct=pct, count=count, rounding=s.cap_rounding)
        competing = [p for p in props if status[p.key] in (DAT, CHO_QUYET_DINH)]
        awaiting = {p.key for p in competing if status[p.key] == CHO_QUYET_DINH}
        a = allot(competing, awaiting, cap.value, key)
        outcomes.append(QuotaOutcome(
            rule, scope_label(inp, scope, g), cap, len(props), len(competing) - len(awaiting), a.kept, a.over, a.tied, a.places,
            [p for p in competing if p.key in awaiting], a.decided, a.place, a.tie_of,
        ))
    return outcomes


def base_population(inp: RulesInput, name: str | None, group: str, ev: Evaluator) -> int | None:
    if name is None:
        return None
    if name == "block_units":
        return len(inp.units)
    if name in ("movement_collectives", "movement_individuals"):
        m = inp.movements.get(group)
        if m is None:
            return None
        return m.collectives if name == "movement_collectives" else m.individuals
    if name == "unit_ldtt":
        col = inp.collectives.get(group)
        return None if col is None else col.ldtt
    if name == "unit_htt":
        col = inp.collectives.get(group)
        return None if col is None else col.htt
    if name == "co_tinh_qualified":  # awarded (đạt), not awaiting a decision
        return sum(1 for code in inp.units if ev.holds_this_year(TT, code, "CO_TINH")[0] == YES)
    raise ValueError(f"unknown base population {name!r}")  # the rule-set loader refuses these


def scope_label(inp: RulesInput, scope: str, g: str) -> str:
    if scope == "block":
        name = inp.block_name.strip()
        return name if fold(name).startswith(("khoi", "cum")) else f"Khối {name}".strip()
    if scope == "movement":
        return f"Phong trào {g}"
    col = inp.collectives.get(g)
    return f"Đơn vị {col.name if col and col.name else g}"
