"""Evaluate award proposals against a rule set: standards, procedure, votes, quotas.

:func:`check` is the pure entry point: plain data in (:class:`RulesInput`,
:class:`RuleSettings`), a :class:`CheckReport` out, in which every candidate
and every quota has a verdict row naming its rule, the numbers behind it, the
legal citation and what would fix it.  :func:`eligible` is the one-candidate
form used by the worksheet function ``TDKT_ELIGIBLE``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from fractions import Fraction
from typing import Any, Iterable

from . import history as H
from .model import (
    CN,
    DAT,
    KHONG_DAT,
    TT,
    VUOT,
    Collective,
    Discipline,
    HistoryRecord,
    Person,
    Proposal,
    RulesInput,
    Verdict,
)
from .money import MoneyLine, money_table
from .quotas import ROUNDING_LABELS, Cap, cap_of, compare, fmt_pct, fmt_share, min_required, trim, votes_needed
from .ruleset import Rule, RuleSet, get_rule_set, presets, select_rule_set
from .settings import AUTO, ORDER_LABELS, RuleSettings
from .titles import fold as T_fold
from .titles import (
    DISCIPLINE,
    EVALUATION_ORDER,
    GRADE_RANK,
    GRADES,
    INITIATIVE_CODES,
    INITIATIVE_LEVELS,
    KINDS,
    SUBJECT_LABELS,
    TITLES,
    title_name,
)

OPS = {">=": "≥", ">": ">", "<=": "≤", "<": "<", "==": "=", "!=": "≠"}
SHORT = {"LDTT": "LĐTT", "CSTDCS": "CSTĐCS", "CSTD_TINH": "CSTĐ cấp tỉnh", "TTLDTT": "TTLĐTT", "TTLDXS": "TTLĐXS",
         "BK_TINH": "Bằng khen tỉnh", "CO_TINH": "Cờ thi đua cấp tỉnh", "CO_CP": "Cờ thi đua Chính phủ", "GIAY_KHEN": "Giấy khen"}


def need(op: str, value: Any) -> str:
    """"cần ≥ 70%" / "cần 100%"."""
    return f"cần {value}" if op == "==" else f"cần {OPS[op]} {value}"


def short(code: str) -> str:
    return SHORT.get(code, code)


def _d(day: dt.date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


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
        raise NoRuleSet(f"Không có bộ quy định khen thưởng áp dụng cho ngày {_d(round_date)} (xlpy có từ 01/01/2024).")
    return rs


def active_presets(settings: RuleSettings) -> list[RuleSet]:
    return [p for p in presets() if p.enabled_setting and bool(getattr(settings, p.enabled_setting, False))]


def setting_or(rule_value: Any, attr: str | None, settings: RuleSettings) -> Any:
    """A workbook setting overrides the rule set's value; the rule set's value
    overrides the built-in default."""
    if attr and settings.is_set(attr):
        return settings.get(attr)
    if rule_value is not None:
        return rule_value
    return settings.get(attr) if attr else None


# ---------------------------------------------------------------------------------------
# conditions


@dataclass(frozen=True)
class Cond:
    ok: bool
    text: str
    fix: str = ""
    nested: bool = False  # a group's combined text (shown in brackets inside another group)


@dataclass
class Candidate:
    """One proposal with everything its rules look at."""

    proposal: Proposal
    person: Person | None
    collective: Collective | None
    count_from: dt.date | None  # achievements count from this day

    @property
    def subject(self) -> str:
        return self.proposal.subject

    @property
    def code(self) -> str:
        return self.proposal.code


class _Evaluator:
    def __init__(self, inp: RulesInput, settings: RuleSettings, rs: RuleSet):
        self.inp = inp
        self.s = settings
        self.rs = rs
        self.year = inp.year
        self.passed: dict[tuple[str, str, str], bool] = {}  # (subject, code, title) -> standard + procedure ok this round
        r18 = rs.procedure("special_awards")
        self.excluded_kinds: tuple[str, ...] = tuple(r18.params.get("excluded_kinds", ())) if r18 else ()

    # ---- facts ---------------------------------------------------------------------
    def holds_this_year(self, subject: str, code: str, title: str) -> tuple[bool, str]:
        if title in GRADES:
            grade = self._grade(subject, code)
            return grade == title, f"xếp loại năm {self.year}: {grade or 'chưa có'}"
        for r in self.inp.history:
            if r.subject == subject and r.code == code and r.title == title and r.year == self.year and r.kind not in self.excluded_kinds:
                return True, f"đã có trong lịch sử ({r.decision or 'năm ' + str(r.year)})"
        if self.passed.get((subject, code, title)):
            return True, "đề nghị cùng đợt, đạt tiêu chuẩn"
        return False, ""

    def _grade(self, subject: str, code: str) -> str | None:
        if subject == CN:
            p = self.inp.people.get(code)
            return p.grade if p else None
        c = self.inp.collectives.get(code)
        return c.grade if c else None

    def years_held(self, cand: Candidate, title: str) -> set[int]:
        ys = H.held_years(self.inp.history, cand.subject, cand.code, title, count_from=cand.count_from, excluded_kinds=self.excluded_kinds)
        ys.discard(self.year)
        this, _ = self.holds_this_year(cand.subject, cand.code, title)
        if this and (cand.count_from is None or dt.date(self.year, 1, 1) >= cand.count_from):
            ys.add(self.year)
        return ys

    # ---- one condition ------------------------------------------------------------------
    def cond(self, c: dict, cand: Candidate) -> Cond | None:
        if "all" in c or "any" in c:
            return self.group(c, cand)
        if c.get("when_setting") and not bool(self.s.get(c["when_setting"])):
            return None
        metric = c["metric"]
        op = c.get("op", "==")
        value = setting_or(c.get("value"), c.get("setting"), self.s)
        fn = getattr(self, f"m_{metric}", None)
        if fn is None:
            raise ValueError(f"unknown metric {metric!r} in a rule set")
        return fn(c, op, value, cand)

    def group(self, g: dict, cand: Candidate) -> Cond:
        mode = "all" if "all" in g else "any"
        parts = [x for x in (self.cond(c, cand) for c in g[mode]) if x is not None]
        ok = all(p.ok for p in parts) if mode == "all" else any(p.ok for p in parts)
        # words, not ✓/✗: the text goes into signed documents set in Times New Roman, which has no check marks
        mark = lambda p: (f"[{p.text}]" if p.nested else p.text) + (" (đạt)" if p.ok else " (chưa đạt)")  # noqa: E731
        sep = "; " if mode == "all" else " | "
        text = sep.join(mark(p) for p in parts)
        if mode == "any" and len(parts) > 1:
            text = "một trong: " + text
        if ok:
            fix = ""
        elif mode == "all":
            fix = "; ".join(p.fix for p in parts if not p.ok and p.fix)
        else:
            fix = "đáp ứng một trong: " + " hoặc ".join(f"({p.fix})" for p in parts if p.fix)
        if len(parts) == 1:
            return parts[0]
        return Cond(ok, text, fix, nested=True)

    # ---- metrics ----------------------------------------------------------------------------
    def _compare_grade(self, grade: str | None, op: str, value: str, who: str) -> Cond:
        if grade is None:
            return Cond(False, f"{who}chưa có xếp loại", f"nhập xếp loại năm {self.year}")
        ok = compare(GRADE_RANK[grade], op, GRADE_RANK[value])
        text = f"{who}xếp loại {grade} ({need(op, value)})"
        want = GRADES[value] if op == "==" else f"từ {GRADES[value]} trở lên" if op == ">=" else f"{OPS[op]} {GRADES[value]}"
        return Cond(ok, text, "" if ok else f"cần xếp loại {want}")

    def m_grade(self, c, op, value, cand: Candidate) -> Cond:
        p = cand.person
        return self._compare_grade(p.grade if p else None, op, value, "")

    def m_unit_grade(self, c, op, value, cand: Candidate) -> Cond:
        col = cand.collective
        return self._compare_grade(col.grade if col else None, op, value, "tập thể ")

    def m_initiative_level(self, c, op, value, cand: Candidate) -> Cond:
        level = cand.person.initiative_level if cand.person else 0
        lv = INITIATIVE_CODES[value] if isinstance(value, str) else int(value)
        need_ = need
        ok = compare(level, op, lv)
        have = "không có sáng kiến" if level == 0 else f"sáng kiến cấp {INITIATIVE_LEVELS[level]}"
        return Cond(ok, f"{have} ({need_(op, 'cấp ' + INITIATIVE_LEVELS[lv])})", "" if ok else f"cần sáng kiến/đề tài được công nhận phạm vi {INITIATIVE_LEVELS[lv]}")

    def m_initiatives(self, c, op, value, cand: Candidate) -> Cond:
        n = cand.person.initiatives if cand.person else 0
        ok = compare(n, op, int(value))
        return Cond(ok, f"{n} sáng kiến trong thời gian xét ({need(op, value)})", "" if ok else f"cần {value} sáng kiến được công nhận")

    def m_outstanding(self, c, op, value, cand: Candidate) -> Cond:
        ok = bool(cand.proposal.outstanding) == bool(value)
        return Cond(ok, "có thành tích tiêu biểu" if cand.proposal.outstanding else "không khai thành tích tiêu biểu",
                    "" if ok else "khai thành tích xuất sắc/tiêu biểu (cột Thành tích tiêu biểu) kèm báo cáo thành tích")

    def m_has_title(self, c, op, value, cand: Candidate) -> Cond:
        title = c["title"]
        have, how = self.holds_this_year(cand.subject, cand.code, title)
        ok = have == bool(value)
        text = f"{short(title)} năm {self.year}: " + (how if have else "chưa có")
        return Cond(ok, text, "" if ok else f"cần đạt {title_name(title)} năm {self.year} (đề nghị cùng đợt hoặc ghi vào Lịch sử khen thưởng)")

    def m_streak(self, c, op, value, cand: Candidate) -> Cond:
        title = c["title"]
        n_need = int(value)
        need_text = need(op, n_need)
        years = self.years_held(cand, title)
        n, end = H.best_streak(years, self.year, self.s.streak_end)
        ok = compare(n, op, n_need)
        if n:
            text = f"{short(title)} liên tục {n} năm ({H.years_text(range(end - n + 1, end + 1))}), {need_text}"
        else:
            text = f"{short(title)} liên tục: không có năm nào đến {end}, {need_text}"
        notes = []
        if cand.count_from is not None:
            notes.append(f"chỉ tính từ {_d(cand.count_from)} do kỷ luật")
        if self.excluded_kinds and title not in GRADES:
            ex = H.excluded_records(self.inp.history, cand.subject, cand.code, title, self.excluded_kinds)
            if ex:
                notes.append("không tính " + ", ".join(f"{KINDS[r.kind].lower()} {r.year}" for r in ex) + " (R-18)")
        if notes:
            text += " — " + "; ".join(notes)
        fix = ""
        if not ok:
            miss = H.missing_years(years, self.year, n_need)
            fix = f"cần {title_name(title)} {n_need} năm liên tục đến {self.year}" + (f"; thiếu năm {', '.join(map(str, miss))}" if miss else "")
        return Cond(ok, text, fix)

    def _counts(self, cand: Candidate, attr: str, label: str) -> tuple[int | None, int | None, Cond | None]:
        col = cand.collective
        if col is None or col.members is None or getattr(col, attr) is None:
            return None, None, Cond(False, f"chưa có số {label}", f"nhập số thành viên và số {label} ở trang Tập thể")
        return getattr(col, attr), col.members, None

    def m_share_completed(self, c, op, value, cand: Candidate) -> Cond:
        part, whole, bad = self._counts(cand, "completed", "hoàn thành nhiệm vụ")
        if bad:
            return bad
        ok = whole > 0 and compare(Fraction(part, whole), op, Fraction(value) / 100)
        return Cond(ok, f"hoàn thành nhiệm vụ {fmt_share(part, whole)} ({need(op, fmt_pct(Fraction(value)))})",
                    "" if ok else f"còn {whole - part} thành viên chưa hoàn thành nhiệm vụ")

    def m_share_ldtt(self, c, op, value, cand: Candidate) -> Cond:
        part, whole, bad = self._counts(cand, "ldtt", "LĐTT")
        if bad:
            return bad
        pct = Fraction(value)
        ok = whole > 0 and compare(Fraction(part, whole), op, pct / 100)
        least = min_required(whole, pct, self.s.min_rounding)
        text = f"LĐTT {fmt_share(part, whole)} ({need(op, fmt_pct(pct))}, tức ít nhất {least})"
        return Cond(ok, text, "" if ok else f"cần ít nhất {least} LĐTT trên {whole} thành viên (thiếu {max(least - part, 1)})")

    def m_count_cstdcs(self, c, op, value, cand: Candidate) -> Cond:
        col = cand.collective
        n = col.cstdcs if col else None
        if n is None:
            return Cond(False, "chưa có số CSTĐCS", "nhập số CSTĐCS ở trang Tập thể")
        ok = compare(n, op, int(value))
        return Cond(ok, f"{n} CSTĐCS ({need(op, value)})", "" if ok else f"cần ít nhất {value} cá nhân đạt CSTĐCS")

    def m_count_disciplined(self, c, op, value, cand: Candidate) -> Cond:
        col = cand.collective
        n = col.disciplined if col else None
        if n is None:
            n = 0
        ok = compare(n, op, int(value))
        return Cond(ok, f"{n} thành viên bị kỷ luật từ cảnh cáo ({need(op, value)})",
                    "" if ok else "tập thể có cá nhân bị kỷ luật từ cảnh cáo trở lên trong năm: không đủ điều kiện")

    def m_block_leader(self, c, op, value, cand: Candidate) -> Cond:
        col = cand.collective
        if col is None or col.rank is None:
            return Cond(False, "chưa có xếp hạng thi đua của khối", "tính điểm khối (xlpy compute) trước khi kiểm tra")
        lead = col.rank == 1 and not col.rank_tied
        ok = lead == bool(value)
        text = f"hạng {col.rank} trong khối" + (" (đồng hạng chưa phân định)" if col.rank == 1 and col.rank_tied else "")
        return Cond(ok, text, "" if ok else "chỉ đơn vị dẫn đầu khối (hạng 1) được đề nghị")

    # ---- procedure ------------------------------------------------------------------------------
    def discipline(self, cand: Candidate, rule: Rule) -> Verdict | None:
        p = cand.person
        col = cand.collective
        under = (p.under_review if p else False) or (col.under_review if col and cand.subject == TT else False)
        disc = p.discipline if p else None
        if not under and disc is None:
            return None
        day = self.inp.round_date
        title = TITLES.get(cand.proposal.title)
        problems = []
        fixes = []
        facts = []
        if under:
            problems.append("đang bị điều tra, thanh tra, kiểm tra có dấu hiệu vi phạm hoặc đang xem xét khiếu nại, tố cáo")
            fixes.append("chưa đề nghị cho đến khi có kết luận")
        if disc is not None:
            form = DISCIPLINE[disc.form]
            span = f"{_d(disc.start) or '?'} – {_d(disc.end) or 'chưa rõ'}"
            facts.append(f"kỷ luật {form.lower()} {span}")
            if disc.end is None or (disc.start is not None and disc.start <= day <= disc.end) or (disc.start is None and day <= disc.end):
                problems.append("đang trong thời hạn kỷ luật vào ngày xét " + _d(day))
                fixes.append("chờ hết thời hạn kỷ luật" if disc.end else "nhập ngày hết thời hạn kỷ luật")
            else:
                facts.append(f"thành tích chỉ tính từ {_d(cand.count_from)}")
                if title is not None and title.annual and cand.count_from and cand.count_from > dt.date(self.year, 1, 1):
                    problems.append(f"danh hiệu năm {self.year} cần thành tích cả năm")
                    fixes.append(f"đề nghị danh hiệu năm từ năm {cand.count_from.year + 1}")
        ok = not problems
        return self.row(cand, rule, DAT if ok else KHONG_DAT, "; ".join(facts + problems), "; ".join(fixes))

    def vote(self, cand: Candidate, rule: Rule) -> Verdict | None:
        members = self.s.council_members
        if members is None:
            return None
        pct = Fraction(setting_or(rule.params.get("pct"), rule.params.get("pct_setting"), self.s))
        need = votes_needed(members, pct, self.s.min_rounding)
        v = cand.proposal.votes
        how = f"cần ≥ {need} = {ROUNDING_LABELS[self.s.min_rounding]} {fmt_pct(pct)} × {members} thành viên Hội đồng"
        if v is None:
            return self.row(cand, rule, KHONG_DAT, f"chưa nhập số phiếu; {how}", "nhập số phiếu đồng ý (cột Số phiếu đồng ý)")
        ok = v >= need
        return self.row(cand, rule, DAT if ok else KHONG_DAT, f"{v}/{members} phiếu đồng ý; {how}",
                        "" if ok else f"thiếu {need - v} phiếu: không đủ tỷ lệ phiếu để đề nghị")

    def row(self, cand: Candidate, rule: Rule, verdict: str, numbers: str, fix: str = "") -> Verdict:
        p = cand.proposal
        return Verdict(
            section="Đề nghị",
            rule_id=rule.id,
            verdict=verdict,
            numbers=numbers,
            citation=rule.citation,
            fix=fix,
            subject=p.subject,
            code=p.code,
            name=self.inp.name_of(p.subject, p.code),
            unit=self.inp.unit_of(p.subject, p.code),
            title=p.title,
            row=p.row,
        )


# ---------------------------------------------------------------------------------------
# results


@dataclass
class CandidateOutcome:
    proposal: Proposal
    name: str
    unit: str
    verdict: str  # đạt / không đạt / vượt tỷ lệ
    rules: list[str]  # rule ids that decided it (failing ones, or the standard when đạt)
    citation: str
    numbers: str
    fix: str
    amount: int | None = None

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
            "numbers": self.numbers,
            "fix": self.fix,
            "amount": self.amount,
        }


@dataclass
class QuotaOutcome:
    rule: Rule
    scope: str
    cap: Cap
    proposed: int  # proposals in scope (all)
    used: int  # proposals in scope that meet the standards (or the counted number)
    kept: list[Proposal] = field(default_factory=list)
    over: list[Proposal] = field(default_factory=list)
    tied: list[Proposal] = field(default_factory=list)

    def position(self, p: Proposal) -> int:
        """1-based place of ``p`` in the declared order among those meeting the standards."""
        return (self.kept + self.over).index(p) + 1

    @property
    def remaining(self) -> int:
        return max(self.cap.value - self.used, 0)

    @property
    def verdict(self) -> str:
        return DAT if self.used <= self.cap.value else VUOT

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
            "citation": self.rule.citation,
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
        out = {DAT: 0, KHONG_DAT: 0, VUOT: 0}
        for o in self.outcomes:
            out[o.verdict] += 1
        return out

    def summary(self) -> str:
        c = self.counts()
        over_q = sum(1 for q in self.quotas if q.verdict == VUOT)
        return (
            f"Theo {self.rule_set.name}: {len(self.outcomes)} đề nghị — {c[DAT]} đạt, {c[KHONG_DAT]} không đạt, "
            f"{c[VUOT]} vượt tỷ lệ; {len(self.quotas)} tỷ lệ được kiểm tra, {over_q} bị vượt."
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


# ---------------------------------------------------------------------------------------
# the check


def count_from(disc: Discipline | None) -> dt.date | None:
    """First day achievements count after a discipline period (R-16)."""
    if disc is None or disc.end is None:
        return None
    return disc.end + dt.timedelta(days=1)


def _candidate(inp: RulesInput, p: Proposal) -> Candidate:
    person = inp.people.get(p.code) if p.subject == CN else None
    col = inp.collectives.get(p.code) if p.subject == TT else (inp.collectives.get(person.unit) if person else None)
    return Candidate(p, person, col, count_from(person.discipline) if person else None)


def _order(props: list[Proposal]) -> list[Proposal]:
    pos = {t: i for i, t in enumerate(EVALUATION_ORDER)}
    return sorted(props, key=lambda p: (pos.get(p.title, 99), p.row or 0))


def check(inp: RulesInput, settings: RuleSettings | None = None, rule_set: RuleSet | None = None) -> CheckReport:
    """Check every proposal and every quota.  Pure: no files, no Excel."""
    s = settings or RuleSettings()
    rs = rule_set or active_rule_set(inp.round_date, s)
    pre = active_presets(s)
    ev = _Evaluator(inp, s, rs)
    rows: dict[tuple, list[Verdict]] = {}
    failed: dict[tuple, list[Verdict]] = {}
    standard_rule: dict[tuple, Rule | None] = {}
    r15 = rs.procedure("one_achievement") or _find_any("R-15", rs)
    r16 = rs.procedure("discipline")
    seen_achievements: dict[tuple[str, str, str], Proposal] = {}

    for p in _order(list(inp.proposals)):
        cand = _candidate(inp, p)
        out: list[Verdict] = []
        rule = rs.standard_for(p.title, p.subject)
        standard_rule[p.key] = rule
        if rule is None:
            out.append(Verdict("Đề nghị", "—", KHONG_DAT, f"{SUBJECT_LABELS[p.subject]} không thuộc đối tượng của {title_name(p.title)}",
                               rs.name, "kiểm tra cột Đối tượng hoặc Danh hiệu", p.subject, p.code, inp.name_of(p.subject, p.code),
                               inp.unit_of(p.subject, p.code), p.title, row=p.row))
        else:
            res = ev.group(rule.check, cand)
            out.append(ev.row(cand, rule, DAT if res.ok else KHONG_DAT, res.text, res.fix))
        if r16 is not None:
            v = ev.discipline(cand, r16)
            if v is not None:
                out.append(v)
        if r15 is not None and p.achievement:
            k = (p.subject, p.code, p.achievement)
            prior = [r for r in inp.history if (r.subject, r.code, r.achievement) == k]
            if k in seen_achievements:
                first = seen_achievements[k]
                out.append(ev.row(cand, r15, KHONG_DAT, f"thành tích “{p.achievement}” đã được đề nghị {title_name(first.title)} ở dòng {first.row}",
                                  f"bỏ một trong hai đề nghị (dòng {first.row} hoặc {p.row})"))
            elif prior:
                r = prior[0]
                out.append(ev.row(cand, r15, KHONG_DAT, f"thành tích “{p.achievement}” đã được khen {title_name(r.title)} năm {r.year}" + (f" ({r.decision})" if r.decision else ""),
                                  "không khen lại cùng một thành tích"))
            else:
                seen_achievements[k] = p
        for vr in rs.of_kind("vote"):
            if p.title in vr.titles and p.subject in vr.subjects:
                v = ev.vote(cand, vr)
                if v is not None:
                    out.append(v)
        rows[p.key] = out
        failed[p.key] = [v for v in out if v.verdict != DAT]
        ev.passed[(p.subject, p.code, p.title)] = ev.passed.get((p.subject, p.code, p.title), False) or not failed[p.key]

    eligible = [p for p in inp.proposals if not failed[p.key]]
    quotas, over_by = _quotas(inp, s, rs, pre, eligible, ev)

    outcomes = []
    awarded = []
    multiples = rs.money.get("multiples", {})
    from .money import multiple_for, reward_amount

    for p in inp.proposals:
        bad = failed[p.key]
        rule = standard_rule[p.key]
        if bad:
            verdict = KHONG_DAT
            rules = [v.rule_id for v in bad]
            numbers = " | ".join(v.numbers for v in bad)
            fix = " | ".join(v.fix for v in bad if v.fix)
            citation = bad[0].citation
        elif p.key in over_by:
            q = over_by[p.key]
            verdict = VUOT
            rules = [q.rule.id]
            numbers = f"{q.scope}: {q.used} đề nghị đạt tiêu chuẩn, {q.cap.explain()}"
            votes = f", {p.votes} phiếu" if p.votes is not None else ""
            fix = (f"xếp thứ {q.position(p)}/{q.used} theo thứ tự xét{votes}, chỉ có {q.cap.value} suất: bỏ đề nghị hoặc chuyển hình thức khác; "
                   + _order_text(s) + (" — bằng nhau ở ranh giới, Chủ tịch Hội đồng quyết định (R-22)" if p in q.tied else ""))
            citation = q.rule.citation
        else:
            verdict = DAT
            rules = [rule.id] if rule else []
            numbers = rows[p.key][0].numbers
            fix = ""
            citation = rule.citation if rule else ""
        amount = None
        if verdict == DAT:
            awarded.append((p.title, p.subject))
            m = multiple_for(p.title, p.subject, multiples, s)
            amount = None if m is None else reward_amount(m, s.base_salary, s.money_rounding)
        outcomes.append(CandidateOutcome(p, inp.name_of(p.subject, p.code), inp.unit_of(p.subject, p.code), verdict, rules, citation, numbers, fix, amount))

    pos = {t: i for i, t in enumerate(EVALUATION_ORDER)}
    money, total = money_table(sorted(awarded, key=lambda a: (pos.get(a[0], 99), a[1])), multiples, s.base_salary, s.money_rounding, s)

    verdicts: list[Verdict] = []
    for o in outcomes:
        p = o.proposal
        verdicts.append(Verdict("Kết luận", ", ".join(o.rules) or "—", o.verdict, o.numbers, o.citation, o.fix, p.subject, p.code, o.name, o.unit, p.title, row=p.row))
        detail = rows[p.key]
        if len(detail) > 1 or o.verdict == VUOT:  # a single rule is already the conclusion
            verdicts.extend(detail)
    for q in quotas:
        verdicts.append(_quota_verdict(q, s, inp))
    return CheckReport(rs, pre, s, inp, verdicts, outcomes, quotas, money, total)


def _find_any(rule_id: str, rs: RuleSet) -> Rule | None:
    try:
        return rs.rule(rule_id)
    except KeyError:
        return None


def _order_text(s: RuleSettings) -> str:
    return "thứ tự xét: " + ", rồi ".join(ORDER_LABELS[t] for t in s.order)


def _order_key(inp: RulesInput, s: RuleSettings):
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
                    pref = bool(col and col.women_share is not None and Fraction(repr(col.women_share)) * 100 >= s.women_threshold)
                parts.append(0 if pref else 1)
            elif t == "CHU_TICH":
                parts.append(p.chair_order if p.chair_order is not None else 10**9)
        return tuple(parts)

    return key


def _quota_rules(rs: RuleSet, pre: list[RuleSet]) -> list[Rule]:
    out = list(rs.of_kind("quota"))
    for p in pre:
        out += p.of_kind("quota")
    return out


def _quotas(inp: RulesInput, s: RuleSettings, rs: RuleSet, pre: list[RuleSet], eligible: list[Proposal], ev: _Evaluator):
    outcomes: list[QuotaOutcome] = []
    over_by: dict[tuple, QuotaOutcome] = {}
    key = _order_key(inp, s)
    for rule in _quota_rules(rs, pre):
        prm = rule.params
        pct = setting_or(prm.get("pct"), prm.get("pct_setting"), s)
        count = setting_or(prm.get("count"), prm.get("count_setting"), s)
        if pct is None and count is None:
            continue  # not configured (e.g. per-block Bằng khen caps)
        counted = prm.get("counted", "proposals")
        if counted == "unit_htxs":
            pct_out = setting_or(prm.get("pct_outstanding"), prm.get("pct_outstanding_setting"), s)
            for code in inp.units or tuple(inp.collectives):
                col = inp.collectives.get(code)
                if col is None or col.htxs is None or col.htt is None:
                    continue
                p_used = pct_out if col.outstanding_unit and pct_out is not None else pct
                cap = cap_of(col.htt, pct=p_used, rounding=s.cap_rounding)
                outcomes.append(QuotaOutcome(rule, f"Đơn vị {col.name or code}", cap, col.htxs, col.htxs))
            continue
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
        for g, props in groups.items():
            base = _base(inp, base_name, g, ev)
            if pct is not None and base is None:
                continue  # the base population is unknown: reported as an input problem by the reader
            cap = cap_of(base, pct=pct, count=count, rounding=s.cap_rounding)
            ok_props = [p for p in props if p in eligible]
            t = trim(ok_props, cap.value, key)
            label = _scope_label(inp, scope, g)
            q = QuotaOutcome(rule, label, cap, len(props), len(ok_props), t.kept, t.over, t.tied_at_cut if t.over else [])
            outcomes.append(q)
            for p in t.over:
                over_by.setdefault(p.key, q)
    return outcomes, over_by


def _base(inp: RulesInput, name: str | None, group: str, ev: _Evaluator) -> int | None:
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
    if name == "co_tinh_qualified":
        return sum(1 for code in inp.units if ev.holds_this_year(TT, code, "CO_TINH")[0])
    raise ValueError(f"unknown base population {name!r} in a rule set")


def _scope_label(inp: RulesInput, scope: str, g: str) -> str:
    if scope == "block":
        name = inp.block_name.strip()
        return name if T_fold(name).startswith(("khoi", "cum")) else f"Khối {name}".strip()
    if scope == "movement":
        return f"Phong trào {g}"
    col = inp.collectives.get(g)
    return f"Đơn vị {col.name if col and col.name else g}"


def _quota_verdict(q: QuotaOutcome, s: RuleSettings, inp: RulesInput) -> Verdict:
    r = q.rule
    titles = ", ".join(short(t) for t in r.titles) or "xếp loại HTXS"
    if r.params.get("counted") == "unit_htxs":
        numbers = f"{q.used} người xếp loại HTXS, {q.cap.explain()} người xếp loại HTT"
        fix = "" if q.verdict == DAT else f"giảm {q.used - q.cap.value} người xếp loại HTXS (tối đa {q.cap.value})"
        what_if = f"; còn được xếp thêm {q.remaining} HTXS" if q.verdict == DAT else ""
        return Verdict("Tỷ lệ", r.id, q.verdict, numbers + what_if, r.citation, fix, r.subjects[0], title="", scope=q.scope)
    numbers = f"{titles}: {q.proposed} đề nghị ({q.used} đạt tiêu chuẩn), {q.cap.explain()}"
    if q.verdict == DAT:
        numbers += f"; còn được đề nghị thêm {q.remaining}"
        fix = ""
    else:
        names = ", ".join(_who(p, inp) for p in q.over)
        fix = f"ngoài tỷ lệ ({_order_text(s)}): {names}"
        if q.tied:
            fix += f". Bằng nhau ở ranh giới: {', '.join(_who(p, inp) for p in q.tied)} — Chủ tịch Hội đồng quyết định (R-22)"
    return Verdict("Tỷ lệ", r.id, q.verdict, numbers, r.citation, fix, ",".join(r.subjects), title=r.titles[0] if r.titles else "", scope=q.scope)


def _who(p: Proposal, inp: RulesInput | None = None) -> str:
    name = inp.name_of(p.subject, p.code) if inp is not None else ""
    bits = [name or p.code]
    if name:
        bits.append(p.code)
    if p.votes is not None:
        bits.append(f"{p.votes} phiếu")
    if p.row:
        bits.append(f"dòng {p.row}")
    return f"{bits[0]} ({', '.join(bits[1:])})" if len(bits) > 1 else bits[0]


# ---------------------------------------------------------------------------------------
# one candidate (worksheet function TDKT_ELIGIBLE)


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

    >>> eligible("TTLDXS", year=2025, grade="HTXS", members=9, completed=9, ldtt=7, cstdcs=1).verdict
    'đạt'
    >>> eligible("TTLDXS", year=2025, grade="HTXS", members=9, completed=9, ldtt=6, cstdcs=1).fix
    'cần ít nhất 7 LĐTT trên 9 thành viên (thiếu 1)'
    """
    from .titles import parse_title

    code_t = title if title in TITLES else parse_title(title)
    if code_t is None:
        raise ValueError(f"unknown title {title!r}")
    t = TITLES[code_t]
    subj = subject or t.subjects[0]
    day = round_date or dt.date(year, 12, 31)
    code = "X"
    if subj == CN:
        person = Person(code, **{k: v for k, v in facts.items() if k in Person.__dataclass_fields__})
        people, cols = {code: person}, {}
    else:
        col = Collective(code, **{k: v for k, v in facts.items() if k in Collective.__dataclass_fields__})
        people, cols = {}, {code: col}
    props = [Proposal(subj, code, other, row=i + 1) for i, other in enumerate(also_proposed)]
    props.append(Proposal(subj, code, code_t, outstanding=outstanding, votes=votes, row=len(props) + 1))
    inp = RulesInput(year=year, round_date=day, units=(code,) if subj == TT else (), people=people, collectives=cols,
                     proposals=tuple(props), history=tuple(replace(h, code=code) if h.code in ("", code) else h for h in history))
    rep = check(inp, settings or RuleSettings())
    target = next(o for o in rep.outcomes if o.proposal.title == code_t)
    return next(v for v in rep.verdicts if v.section == "Kết luận" and v.row == target.proposal.row)
