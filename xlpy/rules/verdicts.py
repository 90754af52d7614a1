"""Verdict text: the Vietnamese rows of the compliance sheet for quotas and for a
candidate's conclusion, and the plain sentences (``reasons``) for documents.

Nothing here decides anything; :mod:`.conditions` and :mod:`.allocation` do.
"""

from __future__ import annotations

from .model import DAT, Proposal, RulesInput, Verdict
from .outcomes import QuotaOutcome
from .ruleset import RuleSet
from .conditions import short
from .settings import ORDER_LABELS, RuleSettings



def who(p: Proposal, inp: RulesInput | None = None) -> str:
    """"Đơn vị 4 (U4, 16 phiếu, dòng 5)"."""
    name = inp.name_of(p.subject, p.code) if inp is not None else ""
    bits = [name or p.code]
    if name:
        bits.append(p.code)
    if p.votes is not None:
        bits.append(f"{p.votes} phiếu")
    if p.row:
        bits.append(f"dòng {p.row}")
    return f"{bits[0]} ({', '.join(bits[1:])})" if len(bits) > 1 else bits[0]


def plain_name(p: Proposal, inp: RulesInput) -> str:
    return inp.name_of(p.subject, p.code) or p.code


def order_text(s: RuleSettings) -> str:
    return "thứ tự xét: " + ", rồi ".join(ORDER_LABELS[t] for t in s.order)


def decider(rs: RuleSet | None) -> str:
    """Who separates equals: the Chair (R-22 where the rule set has it) or a council vote."""
    r22 = rs.procedure("over_quota_order") if rs is not None else None
    return "Chủ tịch Hội đồng quyết định" + (f" ({r22.id})" if r22 else "") + " hoặc bỏ phiếu"


def _listed(group: list[Proposal]) -> list[Proposal]:
    """Names listed by who they are (code), so neither the rows' order nor their numbers shape the text."""
    return sorted(group, key=lambda p: (p.subject, p.code, p.title, p.row or 0))


def tie_text(places: int, group: list[Proposal], inp: RulesInput, rs: RuleSet | None) -> str:
    """"2 suất cho 3 đề nghị bằng nhau: A (…), B (…), C (…) — Chủ tịch Hội đồng quyết định (R-22) hoặc bỏ phiếu"."""
    names = ", ".join(who(p, inp) for p in _listed(group))
    return f"{places} suất cho {len(group)} đề nghị bằng nhau: {names} — {decider(rs)}"


def tie_reason(q: QuotaOutcome, places: int, group: list[Proposal], inp: RulesInput) -> str:
    names = ", ".join(plain_name(p, inp) for p in _listed(group))
    return f"{q.rule.name} ({q.scope}): {places} suất cho {len(group)} đề nghị bằng nhau ({names}), chờ Chủ tịch Hội đồng quyết định hoặc bỏ phiếu"


def quota_row(q: QuotaOutcome, s: RuleSettings, inp: RulesInput, rs: RuleSet | None = None) -> Verdict:
    """The compliance-sheet row of one quota in one scope."""
    r = q.rule
    titles = ", ".join(short(t) for t in r.titles) or "xếp loại HTXS"
    if r.params.get("counted") == "unit_htxs":
        numbers = f"{q.used} người xếp loại HTXS, {q.cap.explain()} người xếp loại HTT"
        fix = "" if q.verdict == DAT else f"giảm {q.used - q.cap.value} người xếp loại HTXS (tối đa {q.cap.value})"
        what_if = f"; còn được xếp thêm {q.remaining} HTXS" if q.verdict == DAT else ""
        return Verdict("Tỷ lệ", r.id, q.verdict, numbers + what_if, r.citation, fix, r.subjects[0], title="", scope=q.scope)
    waiting = f", {len(q.awaiting)} chờ quyết định" if q.awaiting else ""
    numbers = f"{titles}: {q.proposed} đề nghị ({q.used} đạt tiêu chuẩn{waiting}), {q.cap.explain()}"
    if q.verdict == DAT:
        numbers += f"; còn được đề nghị thêm {q.remaining}"
        fix = ""
    else:
        parts = []
        if q.over:
            parts.append(f"ngoài tỷ lệ ({order_text(s)}): " + ", ".join(who(p, inp) for p in _listed(q.over)))
        groups: dict[frozenset, tuple[int, list[Proposal]]] = {}
        for p in q.tied:
            places, group = q.tie_of[p.key]
            groups.setdefault(frozenset(x.key for x in group), (places, group))
        parts += [tie_text(places, group, inp, rs) for places, group in groups.values()]
        others = [p for p in q.undecided if p.key not in q.tie_of]
        if others:
            parts.append("chờ quyết định về các đề nghị cùng đợt: " + ", ".join(who(p, inp) for p in _listed(others)))
        fix = ". ".join(parts)
    return Verdict("Tỷ lệ", r.id, q.verdict, numbers, r.citation, fix, ",".join(r.subjects), title=r.titles[0] if r.titles else "", scope=q.scope)


def over_texts(p: Proposal, q: QuotaOutcome, s: RuleSettings) -> tuple[str, str, str]:
    """(numbers, fix, reason) of a proposal left outside a quota."""
    place = q.position(p)
    numbers = f"{q.scope}: {q.used} đề nghị đạt tiêu chuẩn, {q.cap.explain()}"
    votes = f", {p.votes} phiếu" if p.votes is not None else ""
    fix = (f"xếp thứ {place}/{q.competing} theo thứ tự xét{votes}, chỉ có {q.cap.value} suất: bỏ đề nghị hoặc chuyển hình thức khác; "
           + order_text(s))
    reason = f"{q.rule.name} ({q.scope}): xếp thứ {place}/{q.competing} theo thứ tự xét, chỉ có {q.cap.value} suất"
    return numbers, fix, reason


def waiting_texts(p: Proposal, q: QuotaOutcome, s: RuleSettings, inp: RulesInput, rs: RuleSet | None) -> tuple[str, str, str] | None:
    """(numbers, fix, reason) of a proposal a quota leaves awaiting a decision;
    None when it waits only on its own prerequisite (said by its standard row)."""
    numbers = f"{q.scope}: {q.used} đề nghị đạt tiêu chuẩn, {q.cap.explain()}"
    if p.key in q.tie_of:
        places, group = q.tie_of[p.key]
        k = ("tie", places, id(group))  # every member quotes the whole group: build its text once
        if k not in q.texts:
            q.texts[k] = (tie_text(places, group, inp, rs) + "; " + order_text(s), tie_reason(q, places, group, inp))
        return (numbers, *q.texts[k])
    if "awaiting" not in q.texts:
        q.texts["awaiting"] = {a.key for a in q.awaiting}
    if p.key in q.texts["awaiting"]:
        return None
    ahead = [a for a in q.awaiting if q.place[a.key] <= q.place[p.key]]
    names = ", ".join(who(a, inp) for a in _listed(ahead))
    plain = ", ".join(plain_name(a, inp) for a in _listed(ahead))
    return (numbers, f"trong tỷ lệ hay không tùy quyết định về: {names}",
            f"{q.rule.name} ({q.scope}): trong tỷ lệ hay không còn tùy quyết định về {plain}")
