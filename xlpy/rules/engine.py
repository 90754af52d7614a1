"""Check award proposals against a rule set: the entry points.

:func:`check` is the pure entry point: plain data in (:class:`RulesInput`,
:class:`RuleSettings`), a :class:`CheckReport` out, in which every candidate
and every quota has a verdict row naming its rule, the numbers behind it, the
legal citation and what would fix it.  :func:`eligible` is the one-candidate
form used by the worksheet function ``TDKT_ELIGIBLE``; :func:`eligible_many`
checks many unrelated candidates for one title in one pass.

Where each concern lives:

- :mod:`.conditions` — standards, metrics, procedure rules, votes (one proposal);
- :mod:`.allocation` — quotas applied to the candidates, ties at a cut;
- :mod:`.outcomes` — :class:`CandidateOutcome`, :class:`QuotaOutcome`, :class:`CheckReport`;
- :mod:`.verdicts` — the Vietnamese text of quota rows and conclusions.

Titles are decided in :data:`~xlpy.rules.titles.EVALUATION_ORDER`, each with its
quotas, so a title that needs a lower one of the same round (CSTĐCS needs LĐTT,
CSTĐ cấp tỉnh needs this year's CSTĐCS, Cờ Chính phủ needs Cờ tỉnh) sees whether
that one was finally awarded, refused, or is awaiting a decision.  The cost is
linear in people + proposals + history rows (plus one sort per quota scope).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Iterable, Mapping, Sequence

from . import verdicts as V
from .allocation import apply_quota, order_key, quota_rules
from .conditions import Candidate, Cond, Evaluator, count_from, need, setting_or, short  # noqa: F401  (re-exported)
from .model import CHO_QUYET_DINH, CN, DAT, KHONG_DAT, TT, VUOT, Collective, HistoryRecord, Person, Proposal, RulesInput, Verdict
from .money import money_table, multiple_for, reward_amount
from .outcomes import CandidateOutcome, CheckReport, QuotaOutcome
from .ruleset import Rule, RuleSet, get_rule_set, presets, select_rule_set
from .settings import AUTO, RuleSettings
from .titles import EVALUATION_ORDER, TITLES

_Evaluator = Evaluator  # its name before the split

__all__ = [
    "CandidateOutcome",
    "CheckReport",
    "NoRuleSet",
    "QuotaOutcome",
    "active_presets",
    "active_rule_set",
    "check",
    "eligible",
    "eligible_many",
]


# ---------------------------------------------------------------------------------------
# rule-set selection


class NoRuleSet(LookupError):
    pass


def active_rule_set(round_date: dt.date, settings: RuleSettings) -> RuleSet:
    """The regime chosen in the settings, else the one in force on the round's date."""
    if settings.rule_set != AUTO:
        return get_rule_set(settings.rule_set)
    rs = select_rule_set(round_date)
    if rs is None:
        raise NoRuleSet(f"Không có bộ quy định khen thưởng áp dụng cho ngày {round_date:%d/%m/%Y} (xlpy có từ 01/01/2024).")
    return rs


def active_presets(settings: RuleSettings) -> list[RuleSet]:
    return [p for p in presets() if p.enabled_setting and bool(getattr(settings, p.enabled_setting, False))]


# ---------------------------------------------------------------------------------------
# the check


def check(inp: RulesInput, settings: RuleSettings | None = None, rule_set: RuleSet | None = None) -> CheckReport:
    """Check every proposal and every quota.  Pure: no files, no Excel."""
    s = settings or RuleSettings()
    rs = rule_set or active_rule_set(inp.round_date, s)
    return _check(inp, s, rs, active_presets(s))


def _status(rows: list[Verdict]) -> str:
    if any(v.verdict == KHONG_DAT for v in rows):
        return KHONG_DAT
    return CHO_QUYET_DINH if any(v.verdict == CHO_QUYET_DINH for v in rows) else DAT


def _check(inp: RulesInput, s: RuleSettings, rs: RuleSet, pre: list[RuleSet], *, quotas: bool = True, independent: bool = False) -> CheckReport:
    report_set, rs = rs, rs.on(inp.round_date)  # the versions in force on the round's date (presets apply whatever the date)
    ev = Evaluator(inp, s, rs, independent=independent)
    by_title: dict[str, list[Proposal]] = {}
    for p in inp.proposals:
        by_title.setdefault(p.title, []).append(p)
    stages = [t for t in EVALUATION_ORDER if t in by_title] + sorted(t for t in by_title if t not in EVALUATION_ORDER)
    proposed = set(stages)
    rules = quota_rules(rs, pre) if quotas else []
    waiting_rules = list(range(len(rules)))
    applied: dict[int, list[QuotaOutcome]] = {}
    detail: dict[tuple, list[Verdict]] = {}
    standard: dict[tuple, Rule | None] = {}
    status0: dict[tuple, str] = {}
    decisions: dict[tuple, list[tuple[QuotaOutcome, str]]] = {}
    key = order_key(inp, s)
    done: set[str] = set()

    def settle() -> None:
        """Apply every quota whose proposed titles have all been evaluated."""
        for i in list(waiting_rules):
            if set(rules[i].titles) & proposed <= done:
                waiting_rules.remove(i)
                applied[i] = apply_quota(rules[i], inp, s, ev, status0, key)
                for q in applied[i]:
                    for k, st in q.decided.items():
                        decisions.setdefault(k, []).append((q, st))

    for t in stages:
        for p in by_title[t]:
            standard[p.key], detail[p.key] = ev.evaluate(p)
            status0[p.key] = _status(detail[p.key])
        done.add(t)
        settle()
        # what later titles see of this one: awarded, or awaiting a decision (best of the candidate's rows)
        for p in by_title[t]:
            st = _final(status0[p.key], decisions.get(p.key, ()))
            k = (p.subject, p.code, p.title)
            if st == DAT or (st == CHO_QUYET_DINH and ev.final.get(k) != DAT):
                ev.final[k] = st
    settle()  # quotas over titles nobody proposed (their what-if still shows)

    basis = {r.citation: r.legal_basis for r in rs.rules}
    for p_ in pre:
        basis.update({r.citation: r.legal_basis for r in p_.rules})
    outcomes: list[CandidateOutcome] = []
    awarded: list[tuple[str, str]] = []
    multiples = rs.money.get("multiples", {})
    verdicts: list[Verdict] = []
    for p in inp.proposals:
        rows = detail[p.key]
        dec = decisions.get(p.key, [])
        o = _outcome(p, rows, standard[p.key], dec, inp, s, rs)
        o.legal_basis = basis.get(o.citation, o.citation)
        if o.verdict == DAT:
            awarded.append((p.title, p.subject))
            m = multiple_for(p.title, p.subject, multiples, s)
            o.amount = None if m is None else reward_amount(m, s.base_salary, s.money_rounding)
        outcomes.append(o)
        verdicts.append(Verdict("Kết luận", ", ".join(o.rules) or "—", o.verdict, o.numbers, o.citation, o.fix, p.subject, p.code,
                                o.name, o.unit, p.title, row=p.row, reasons=tuple(o.reasons)))
        if len(rows) > 1 or any(st != DAT for _q, st in dec):  # a single rule is already the conclusion
            verdicts.extend(rows)
    quota_outcomes = [q for i in sorted(applied) for q in applied[i]]
    verdicts.extend(V.quota_row(q, s, inp, rs) for q in quota_outcomes)
    pos = {t: i for i, t in enumerate(EVALUATION_ORDER)}
    money, total = money_table(sorted(awarded, key=lambda a: (pos.get(a[0], 99), a[1])), multiples, s.base_salary, s.money_rounding, s)
    return CheckReport(report_set, pre, s, inp, verdicts, outcomes, quota_outcomes, money, total)


def _final(status: str, dec: Iterable[tuple[QuotaOutcome, str]]) -> str:
    """A proposal's verdict from its own rules and the quotas it competed in."""
    if status == KHONG_DAT:
        return KHONG_DAT
    sts = {st for _q, st in dec}
    if VUOT in sts:
        return VUOT
    if CHO_QUYET_DINH in sts or status == CHO_QUYET_DINH:
        return CHO_QUYET_DINH
    return DAT


def _outcome(p: Proposal, rows: list[Verdict], rule: Rule | None, dec: list[tuple[QuotaOutcome, str]], inp: RulesInput,
             s: RuleSettings, rs: RuleSet) -> CandidateOutcome:
    name, unit = inp.name_of(p.subject, p.code), inp.unit_of(p.subject, p.code)
    verdict = _final(_status(rows), dec)
    if verdict == KHONG_DAT:
        bad = [v for v in rows if v.verdict == KHONG_DAT]
        return CandidateOutcome(p, name, unit, KHONG_DAT, [v.rule_id for v in bad], bad[0].citation, " | ".join(v.numbers for v in bad),
                                " | ".join(v.fix for v in bad if v.fix), reasons=[r for v in bad for r in v.reasons])
    if verdict == VUOT:
        q = next(q for q, st in dec if st == VUOT)
        numbers, fix, reason = V.over_texts(p, q, s)
        return CandidateOutcome(p, name, unit, VUOT, [q.rule.id], q.rule.citation, numbers, fix, reasons=[reason])
    if verdict == CHO_QUYET_DINH:
        waiting_rows = [v for v in rows if v.verdict == CHO_QUYET_DINH]
        waiting_q = [(q, t) for q, st in dec if st == CHO_QUYET_DINH for t in [V.waiting_texts(p, q, s, inp, rs)] if t is not None]
        citation = waiting_rows[0].citation if waiting_rows else waiting_q[0][0].rule.citation
        return CandidateOutcome(
            p, name, unit, CHO_QUYET_DINH,
            [v.rule_id for v in waiting_rows] + [q.rule.id for q, _t in waiting_q], citation,
            " | ".join([v.numbers for v in waiting_rows] + [t[0] for _q, t in waiting_q]),
            " | ".join([v.fix for v in waiting_rows if v.fix] + [t[1] for _q, t in waiting_q]),
            reasons=[r for v in waiting_rows for r in v.reasons] + [t[2] for _q, t in waiting_q],
        )
    return CandidateOutcome(p, name, unit, DAT, [rule.id] if rule else [], rule.citation if rule else "", rows[0].numbers, "")


# ---------------------------------------------------------------------------------------
# unrelated candidates (worksheet function TDKT_ELIGIBLE)

_ROW_KEYS = ("subject", "votes", "outstanding", "also_proposed", "history")


def _title_code(title: str) -> str:
    from .titles import parse_title

    code = title if title in TITLES else parse_title(title)
    if code is None:
        raise ValueError(f"unknown title {title!r}")
    return code


def eligible(
    title: str,
    *,
    subject: str | None = None,
    year: int,
    round_date: dt.date | None = None,
    history: Iterable[HistoryRecord] = (),
    settings: RuleSettings | None = None,
    votes: int | None = None,
    outstanding: bool = False,
    also_proposed: Iterable[str] = (),
    **facts: Any,
) -> Verdict:
    """Check one candidate for one title and return its verdict row.

    ``facts`` are :class:`Person` fields for an individual (``grade``,
    ``initiative_level``, ``initiatives``, ``discipline``, ``under_review``) or
    :class:`Collective` fields for a collective (``grade``, ``members``,
    ``completed``, ``ldtt``, ``cstdcs``, ``disciplined``, ``rank``).
    ``also_proposed`` lists other titles proposed for the same candidate in the
    same round (e.g. ``["LDTT"]`` with ``"CSTDCS"``).  Quotas are not applied.
    The verdict's ``reasons`` are the plain sentences for documents.

    >>> eligible("TTLDXS", year=2025, grade="HTXS", members=9, completed=9, ldtt=7, cstdcs=1).verdict
    'đạt'
    >>> eligible("TTLDXS", year=2025, grade="HTXS", members=9, completed=9, ldtt=6, cstdcs=1).fix
    'cần ít nhất 7 LĐTT trên 9 thành viên (thiếu 1)'
    """
    row = dict(facts, subject=subject, votes=votes, outstanding=outstanding, also_proposed=tuple(also_proposed), history=tuple(history))
    return eligible_many(title, [row], year=year, round_date=round_date, settings=settings)[0]  # type: ignore[return-value]


def eligible_many(
    title: str,
    rows: Sequence[Mapping[str, Any] | None],
    *,
    year: int,
    round_date: dt.date | None = None,
    settings: RuleSettings | None = None,
    subject: str | None = None,
) -> list[Verdict | None]:
    """Check many unrelated candidates for one title in ONE pass (one input, one
    check): one verdict per row, in order, each equal to :func:`eligible` called
    with that row's keywords (``None`` for a ``None`` row).

    Each row maps :func:`eligible`'s keywords — ``subject``, ``votes``,
    ``outstanding``, ``also_proposed``, ``history`` — and the candidate's facts.
    No row sees another: no quotas, no shared first place, no common history.

    >>> [v.verdict for v in eligible_many("LDTT", [dict(grade="HTT"), dict(grade="HT")], year=2025)]
    ['đạt', 'không đạt']
    """
    code_t = _title_code(title)
    t = TITLES[code_t]
    s = settings or RuleSettings()
    day = round_date or dt.date(year, 12, 31)
    rs = active_rule_set(day, s)
    people: dict[str, Person] = {}
    cols: dict[str, Collective] = {}
    props: list[Proposal] = []
    hist: list[HistoryRecord] = []
    units: list[str] = []
    targets: list[tuple[str, str, int] | None] = []
    person_fields, col_fields = Person._fields, Collective._fields
    for i, row in enumerate(rows):
        if row is None:
            targets.append(None)
            continue
        subj = row.get("subject") or subject or t.subjects[0]
        code = f"\x00{i}"  # private: no real code collides with it
        facts = {k: v for k, v in row.items() if k not in _ROW_KEYS}
        if subj == CN:
            people[code] = Person(code, **{k: v for k, v in facts.items() if k in person_fields and k != "code"})
        else:
            cols[code] = Collective(code, **{k: v for k, v in facts.items() if k in col_fields and k != "code"})
            units.append(code)
        also = tuple(row.get("also_proposed") or ())
        props.extend(Proposal(subj, code, other, row=j + 1) for j, other in enumerate(also))
        props.append(Proposal(subj, code, code_t, outstanding=bool(row.get("outstanding", False)), votes=row.get("votes"), row=len(also) + 1))
        hist.extend(h._replace(code=code) if h.code in ("", "X") else h for h in row.get("history") or ())
        targets.append((subj, code, len(also) + 1))
    inp = RulesInput(year=year, round_date=day, units=tuple(units), people=people, collectives=cols, proposals=tuple(props), history=tuple(hist))
    rep = _check(inp, s, rs, [], quotas=False, independent=True)
    found = {(v.code, v.row): v for v in rep.verdicts if v.section == "Kết luận" and v.title == code_t}
    out: list[Verdict | None] = []
    for tg in targets:
        if tg is None:
            out.append(None)
            continue
        subj, code, row_no = tg
        v = found[(code, row_no)]
        out.append(v._replace(code="X", unit="X" if subj == TT else v.unit))  # as eligible() names its single candidate
    return out
