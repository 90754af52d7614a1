"""Conditions and metrics: one proposal checked against its title's standard, the
procedure rules (discipline R-16, one achievement R-15) and the council vote.

:class:`Evaluator` turns a rule-set condition tree (``check.all`` / ``check.any``,
see docs/rules.md) into a :class:`Cond`: met, not met, or awaiting a decision
(a prerequisite that is itself tied at a cut).  Every condition gives three texts:
the numbers behind it for the compliance sheet, what would fix it, and — when not
met — one plain sentence for signed documents (:attr:`Cond.reasons`), e.g.
"Tỷ lệ lao động tiên tiến: 6/9 (66,7%), cần ít nhất 7".

:data:`METRICS` declares every metric a rule set may name; the rule-set loader
(:mod:`.ruleset`) refuses any other, so a misspelling fails when the file loads.
To add a metric: declare it in :data:`METRICS` and write ``m_<name>`` here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from fractions import Fraction
from typing import Any, NamedTuple

from ..schema.rules import COLLECTIVE_TABLE
from .history import HistoryIndex, best_streak, missing_years, years_text
from .model import CHO_QUYET_DINH, CN, DAT, KHONG_DAT, TT, Collective, Discipline, Person, Proposal, RulesInput, Verdict
from .quotas import ROUNDING_LABELS, as_fraction, compare, fmt_pct, fmt_share, min_required, votes_needed
from .ruleset import Rule, RuleSet

_UNIT_GRADE = COLLECTIVE_TABLE.column("grade")  # a collective's grade: the column its reason names
from .settings import RuleSettings
from .titles import DISCIPLINE, EVALUATION_ORDER, GRADE_RANK, GRADES, INITIATIVE_CODES, INITIATIVE_LEVELS, KINDS, SUBJECT_LABELS, TITLES, title_name

OPS = {">=": "≥", ">": ">", "<=": "≤", "<": "<", "==": "=", "!=": "≠"}
SHORT = {"LDTT": "LĐTT", "CSTDCS": "CSTĐCS", "CSTD_TINH": "CSTĐ cấp tỉnh", "TTLDTT": "TTLĐTT", "TTLDXS": "TTLĐXS",
         "BK_TINH": "Bằng khen tỉnh", "CO_TINH": "Cờ thi đua cấp tỉnh", "CO_CP": "Cờ thi đua Chính phủ", "GIAY_KHEN": "Giấy khen"}

# states of a fact that may await a decision
YES, NO, PENDING = "yes", "no", "pending"


@dataclass(frozen=True)
class Metric:
    """What a rule set may write about one metric (checked when the file loads)."""

    subjects: tuple[str, ...]  # rule subjects it applies to
    value: str  # "grade" | "initiative" | "count" | "percent" | "yes"
    title: bool = False  # needs ``title = "..."``
    grade_title: bool = False  # ``title`` may also be a grade (HTXS…)


METRICS: dict[str, Metric] = {
    "grade": Metric((CN,), "grade"),
    "unit_grade": Metric((CN, TT), "grade"),
    "initiative_level": Metric((CN,), "initiative"),
    "initiatives": Metric((CN,), "count"),
    "outstanding": Metric((CN, TT), "yes"),
    "has_title": Metric((CN, TT), "yes", title=True, grade_title=True),
    "streak": Metric((CN, TT), "count", title=True, grade_title=True),
    "share_completed": Metric((CN, TT), "percent"),
    "share_ldtt": Metric((CN, TT), "percent"),
    "count_cstdcs": Metric((CN, TT), "count"),
    "count_disciplined": Metric((CN, TT), "count"),
    "block_leader": Metric((CN, TT), "yes"),
}
CONDITION_KEYS = {"metric", "op", "value", "setting", "when_setting", "title"}
PROCEDURES = ("discipline", "one_achievement", "special_awards", "women_preference", "over_quota_order")


def bound(op: str, value: Any) -> str:
    """"≥ 70%" / "100%"."""
    return f"{value}" if op == "==" else f"{OPS[op]} {value}"


def need(op: str, value: Any) -> str:
    """"cần ≥ 70%" / "cần 100%"."""
    return f"cần {bound(op, value)}"


def short(code: str) -> str:
    return SHORT.get(code, code)


def day_text(day: dt.date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


def setting_or(rule_value: Any, attr: str | None, settings: RuleSettings) -> Any:
    """A workbook setting overrides the rule set's value; the rule set's value
    overrides the built-in default."""
    if attr and settings.is_set(attr):
        return settings.get(attr)
    if rule_value is not None:
        return rule_value
    return settings.get(attr) if attr else None


def count_from(disc: Discipline | None) -> dt.date | None:
    """First day achievements count after a discipline period (R-16)."""
    if disc is None or disc.end is None:
        return None
    return disc.end + dt.timedelta(days=1)


@lru_cache(maxsize=8192)
def pct_of(part: int, whole: int) -> str:
    """"66,7%" of part/whole (display only)."""
    return fmt_pct(Fraction(part * 100, whole)) if whole > 0 else "—"


# small caches: a round repeats the same few thresholds and member counts thousands of times
@lru_cache(maxsize=256)
def _pct(value: Any) -> tuple[int, int, str]:
    """(numerator, denominator, "70%") of a percentage as typed (10, 12.5, Fraction)."""
    f = as_fraction(value)
    return f.numerator, f.denominator, fmt_pct(f)


@lru_cache(maxsize=8192)
def _least(whole: int, value: Any, rounding: str) -> int:
    return min_required(whole, as_fraction(value), rounding)


@lru_cache(maxsize=8192)
def _share_text(part: int, whole: int) -> str:
    return fmt_share(part, whole)


class Cond(NamedTuple):
    """One condition (or a group of them) evaluated for one candidate."""

    ok: bool
    text: str  # the numbers, for the compliance sheet
    fix: str = ""
    nested: bool = False  # a group's combined text (shown in brackets inside another group)
    pending: bool = False  # not decided: depends on a decision still awaited (never ok at the same time)
    reasons: tuple[str, ...] = ()  # plain sentences when not ok, for signed documents

    @property
    def status(self) -> str:
        return DAT if self.ok else CHO_QUYET_DINH if self.pending else KHONG_DAT


def _fail(text: str, fix: str, reason: str) -> Cond:
    return Cond(False, text, fix, reasons=(reason,))


def _res(ok: bool, text: str, fix: str, reason: str) -> Cond:
    return Cond(ok, text, "" if ok else fix, reasons=() if ok else (reason,))


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


class Evaluator:
    """Evaluates proposals of one round.  ``final`` holds the outcome of titles
    already decided (their quotas applied), so that a title needing a lower one
    in the same round (CSTĐCS needs LĐTT, Cờ Chính phủ needs Cờ tỉnh) sees whether
    it was awarded, refused or is still awaiting a decision.

    ``independent``: the candidates are unrelated rows (``eligible_many``), not one
    block — no candidate looks at another (e.g. for a shared first place)."""

    def __init__(self, inp: RulesInput, settings: RuleSettings, rs: RuleSet, *, independent: bool = False):
        self.inp = inp
        self.s = settings
        self.rs = rs
        self.year = inp.year
        self.independent = independent
        self.history = HistoryIndex(inp.history)
        self.final: dict[tuple[str, str, str], str] = {}  # (subject, code, title) -> DAT / CHO_QUYET_DINH (best outcome this round)
        r18 = rs.procedure("special_awards")
        self.excluded_kinds: tuple[str, ...] = tuple(r18.params.get("excluded_kinds", ())) if r18 else ()
        self.r15 = rs.procedure("one_achievement") or _find(rs, "R-15")
        self.r16 = rs.procedure("discipline")
        self.votes = rs.of_kind("vote")
        self._same_achievement: dict[tuple[str, str, str], list[Proposal]] | None = None
        self._co_leaders: list[str] | None = None
        self._leaves: dict[int, tuple] = {}  # id(condition) -> (metric method, op, value) or () when switched off

    # ---- candidates ------------------------------------------------------------------
    def candidate(self, p: Proposal) -> Candidate:
        inp = self.inp
        person = inp.people.get(p.code) if p.subject == CN else None
        col = inp.collectives.get(p.code) if p.subject == TT else (inp.collectives.get(person.unit) if person else None)
        return Candidate(p, person, col, count_from(person.discipline) if person else None)

    def row(self, cand: Candidate, rule: Rule, verdict: str, numbers: str, fix: str = "", reasons: tuple[str, ...] = ()) -> Verdict:
        p = cand.proposal
        return Verdict(
            section="Đề nghị", rule_id=rule.id, verdict=verdict, numbers=numbers, citation=rule.citation, fix=fix,
            subject=p.subject, code=p.code, name=self.inp.name_of(p.subject, p.code), unit=self.inp.unit_of(p.subject, p.code),
            title=p.title, row=p.row, reasons=() if verdict == DAT else tuple(reasons),
        )

    def evaluate(self, p: Proposal) -> tuple[Rule | None, list[Verdict]]:
        """The standard, procedure and vote rows of one proposal (quotas come later)."""
        cand = self.candidate(p)
        out: list[Verdict] = []
        rule = self.rs.standard_for(p.title, p.subject)
        if rule is None:
            text = f"{SUBJECT_LABELS[p.subject]} không thuộc đối tượng của {title_name(p.title)}"
            out.append(Verdict("Đề nghị", "—", KHONG_DAT, text, self.rs.name, "kiểm tra cột Đối tượng hoặc Danh hiệu", p.subject, p.code,
                               self.inp.name_of(p.subject, p.code), self.inp.unit_of(p.subject, p.code), p.title, row=p.row, reasons=(text,)))
        else:
            res = self.group(rule.check, cand)
            out.append(self.row(cand, rule, res.status, res.text, res.fix, res.reasons))
        if self.r16 is not None:
            v = self.discipline(cand, self.r16)
            if v is not None:
                out.append(v)
        if self.r15 is not None and p.achievement:
            v = self.one_achievement(cand, self.r15)
            if v is not None:
                out.append(v)
        for vr in self.votes:
            if p.title in vr.titles and p.subject in vr.subjects:
                v = self.vote(cand, vr)
                if v is not None:
                    out.append(v)
        return rule, out

    # ---- facts ---------------------------------------------------------------------
    def holds_this_year(self, subject: str, code: str, title: str) -> tuple[str, str]:
        """(YES / NO / PENDING, how) for ``title`` held in the round's year."""
        if title in GRADES:
            grade = self._grade(subject, code)
            return (YES if grade == title else NO), f"xếp loại năm {self.year}: {grade or 'chưa có'}"
        for r in self.history.records(subject, code):
            if r.title == title and r.year == self.year and r.kind not in self.excluded_kinds:
                return YES, f"đã có trong lịch sử ({r.decision or 'năm ' + str(r.year)})"
        state = self.final.get((subject, code, title))
        if state == DAT:
            return YES, "đề nghị cùng đợt, đạt tiêu chuẩn"
        if state == CHO_QUYET_DINH:
            return PENDING, "đề nghị cùng đợt, đang chờ quyết định"
        return NO, ""

    def _grade(self, subject: str, code: str) -> str | None:
        if subject == CN:
            p = self.inp.people.get(code)
            return p.grade if p else None
        c = self.inp.collectives.get(code)
        return c.grade if c else None

    def years_held(self, cand: Candidate, title: str) -> tuple[set[int], str]:
        """Years before the round's year in which ``title`` was held (counting rules
        applied), and whether the round's year itself counts (YES / NO / PENDING)."""
        ys = self.history.held_years(cand.subject, cand.code, title, count_from=cand.count_from, excluded_kinds=self.excluded_kinds)
        ys.discard(self.year)
        this, _ = self.holds_this_year(cand.subject, cand.code, title)
        if this != NO and not (cand.count_from is None or dt.date(self.year, 1, 1) >= cand.count_from):
            this = NO
        return ys, this

    def co_leaders(self, code: str) -> list[str]:
        """Other units of the block sharing an unresolved first place with ``code``."""
        if self.independent:
            return []
        if self._co_leaders is None:
            self._co_leaders = sorted(c.code for c in self.inp.collectives.values() if c.rank == 1 and c.rank_tied)
        return [c for c in self._co_leaders if c != code]

    # ---- condition trees ------------------------------------------------------------------
    def cond(self, c: dict, cand: Candidate) -> Cond | None:
        if "all" in c or "any" in c:
            return self.group(c, cand)
        leaf = self._leaves.get(id(c))
        if leaf is None:  # resolved once per check: settings are fixed for the round
            if c.get("when_setting") and not bool(self.s.get(c["when_setting"])):
                leaf = self._leaves[id(c)] = ()
            else:
                value = setting_or(c.get("value"), c.get("setting"), self.s)
                # metric names are checked when the rule set loads
                # the class's function, not a bound method: the evaluator must not hold itself in a cycle
                leaf = self._leaves[id(c)] = (getattr(type(self), f"m_{c['metric']}"), c.get("op", "=="), value)
        if not leaf:
            return None
        fn, op, value = leaf
        return fn(self, c, op, value, cand)

    def group(self, g: dict, cand: Candidate) -> Cond:
        mode = "all" if "all" in g else "any"
        parts = [x for x in (self.cond(c, cand) for c in g[mode]) if x is not None]
        hard = [p for p in parts if not p.ok and not p.pending]
        waiting = [p for p in parts if p.pending]
        if mode == "all":
            ok = not hard and not waiting
            pending = not hard and bool(waiting)
        else:
            ok = any(p.ok for p in parts)
            pending = not ok and bool(waiting)
        if len(parts) == 1:
            return parts[0]
        # words, not ✓/✗: the text goes into signed documents set in Times New Roman, which has no check marks
        word = lambda p: " (đạt)" if p.ok else " (chờ quyết định)" if p.pending else " (chưa đạt)"  # noqa: E731
        mark = lambda p: (f"[{p.text}]" if p.nested else p.text) + word(p)  # noqa: E731
        sep = "; " if mode == "all" else " | "
        text = sep.join(mark(p) for p in parts)
        if mode == "any" and len(parts) > 1:
            text = "một trong: " + text
        reasons: tuple[str, ...] = ()
        if ok:
            fix = ""
        elif mode == "all":
            deciding = hard or waiting
            fix = "; ".join(p.fix for p in deciding if p.fix)
            reasons = tuple(r for p in deciding for r in p.reasons)
        elif pending:
            fix = "; ".join(p.fix for p in waiting if p.fix)
            reasons = tuple(r for p in waiting for r in p.reasons)
        else:
            fix = "đáp ứng một trong: " + " hoặc ".join(f"({p.fix})" for p in parts if p.fix)
            options = ["; ".join(p.reasons) for p in parts if p.reasons]
            reasons = ("Cần một trong các điều kiện sau: " + "; ".join(f"({i}) {o}" for i, o in enumerate(options, 1)),)
        return Cond(ok, text, fix, nested=True, pending=pending, reasons=reasons)

    # ---- metrics ----------------------------------------------------------------------------
    def _compare_grade(self, grade: str | None, op: str, value: str, who: str, label: str) -> Cond:
        if grade is None:
            return _fail(f"{who}chưa có xếp loại", f"nhập xếp loại năm {self.year}", f"Chưa có {label.lower()} năm {self.year}")
        ok = compare(GRADE_RANK[grade], op, GRADE_RANK[value])
        text = f"{who}xếp loại {grade} ({need(op, value)})"
        want = GRADES[value] if op == "==" else f"từ {GRADES[value]} trở lên" if op == ">=" else f"{OPS[op]} {GRADES[value]}"
        return _res(ok, text, f"cần xếp loại {want}", f"{label} năm {self.year}: {GRADES[grade]}, cần {want}")

    def m_grade(self, c, op, value, cand: Candidate) -> Cond:
        p = cand.person
        return self._compare_grade(p.grade if p else None, op, value, "", "Xếp loại")

    def m_unit_grade(self, c, op, value, cand: Candidate) -> Cond:
        col = cand.collective
        return self._compare_grade(col.grade if col else None, op, value, "tập thể ", _UNIT_GRADE.header)

    def m_initiative_level(self, c, op, value, cand: Candidate) -> Cond:
        level = cand.person.initiative_level if cand.person else 0
        lv = INITIATIVE_CODES[value] if isinstance(value, str) else int(value)
        ok = compare(level, op, lv)
        have = "không có sáng kiến" if level == 0 else f"sáng kiến cấp {INITIATIVE_LEVELS[level]}"
        want = f"cấp {INITIATIVE_LEVELS[lv]}" + (" trở lên" if op == ">=" else "")
        reason = f"Sáng kiến được công nhận: {'chưa có' if level == 0 else 'cấp ' + INITIATIVE_LEVELS[level]}, cần {want}"
        return _res(ok, f"{have} ({need(op, 'cấp ' + INITIATIVE_LEVELS[lv])})",
                    f"cần sáng kiến/đề tài được công nhận phạm vi {INITIATIVE_LEVELS[lv]}", reason)

    def m_initiatives(self, c, op, value, cand: Candidate) -> Cond:
        n = cand.person.initiatives if cand.person else 0
        ok = compare(n, op, int(value))
        want = f"ít nhất {value}" if op == ">=" else bound(op, value)
        return _res(ok, f"{n} sáng kiến trong thời gian xét ({need(op, value)})", f"cần {value} sáng kiến được công nhận",
                    f"Số sáng kiến được công nhận: {n}, cần {want}")

    def m_outstanding(self, c, op, value, cand: Candidate) -> Cond:
        ok = bool(cand.proposal.outstanding) == bool(value)
        return _res(ok, "có thành tích tiêu biểu" if cand.proposal.outstanding else "không khai thành tích tiêu biểu",
                    "khai thành tích xuất sắc/tiêu biểu (cột Thành tích tiêu biểu) kèm báo cáo thành tích",
                    "Chưa có thành tích xuất sắc, tiêu biểu được xác nhận" if value else "Có thành tích tiêu biểu (điều kiện yêu cầu không có)")

    def m_has_title(self, c, op, value, cand: Candidate) -> Cond:
        title = c["title"]
        state, how = self.holds_this_year(cand.subject, cand.code, title)
        text = f"{short(title)} năm {self.year}: " + (how if state != NO else "chưa có")
        if state == PENDING:
            return Cond(False, text, f"chờ quyết định về {title_name(title)} năm {self.year} (đề nghị cùng đợt)", pending=True,
                        reasons=(f"{title_name(title)} năm {self.year} đang chờ quyết định (đề nghị cùng đợt)",))
        ok = (state == YES) == bool(value)
        reason = f"Chưa đạt {title_name(title)} năm {self.year}" if value else f"Đã có {title_name(title)} năm {self.year}"
        return _res(ok, text, f"cần đạt {title_name(title)} năm {self.year} (đề nghị cùng đợt hoặc ghi vào Lịch sử khen thưởng)", reason)

    def m_streak(self, c, op, value, cand: Candidate) -> Cond:
        title = c["title"]
        n_need = int(value)
        before, this = self.years_held(cand, title)
        if this == PENDING:
            best = self._streak(cand, title, op, n_need, before | {self.year})
            worst = self._streak(cand, title, op, n_need, before)
            if best.ok == worst.ok:
                return worst
            return Cond(False, best.text + f" — năm {self.year} đang chờ quyết định",
                        f"chờ quyết định về {title_name(title)} năm {self.year} (đề nghị cùng đợt)", pending=True,
                        reasons=(f"{title_name(title)} năm {self.year} đang chờ quyết định (cần để đủ {n_need} năm liên tục)",))
        return self._streak(cand, title, op, n_need, before | {self.year} if this == YES else before)

    def _streak(self, cand: Candidate, title: str, op: str, n_need: int, years: set[int]) -> Cond:
        need_text = need(op, n_need)
        n, end = best_streak(years, self.year, self.s.streak_end)
        ok = compare(n, op, n_need)
        run = range(end - n + 1, end + 1)
        if n:
            text = f"{short(title)} liên tục {n} năm ({years_text(run)}), {need_text}"
        else:
            text = f"{short(title)} liên tục: không có năm nào đến {end}, {need_text}"
        notes = []
        if cand.count_from is not None:
            notes.append(f"chỉ tính từ {day_text(cand.count_from)} do kỷ luật")
        if self.excluded_kinds and title not in GRADES:
            ex = self.history.excluded_records(cand.subject, cand.code, title, self.excluded_kinds)
            if ex:
                notes.append("không tính " + ", ".join(f"{KINDS[r.kind].lower()} {r.year}" for r in sorted(ex, key=lambda r: r.year)) + " (R-18)")
        if notes:
            text += " — " + "; ".join(notes)
        if ok:
            return Cond(True, text)
        miss = missing_years(years, self.year, n_need)
        fix = f"cần {title_name(title)} {n_need} năm liên tục đến {self.year}" + (f"; thiếu năm {', '.join(map(str, miss))}" if miss else "")
        have = f"{n} năm ({years_text(run)})" if n else "không có năm nào"
        want = f"{n_need} năm" if op == ">=" else f"{bound(op, n_need)} năm"
        reason = f"{title_name(title)} liên tục đến năm {end}: {have}, cần {want}" + (f" (thiếu năm {', '.join(map(str, miss))})" if miss else "")
        if cand.count_from is not None:
            reason += f"; thành tích chỉ tính từ {day_text(cand.count_from)} do kỷ luật"
        return Cond(False, text, fix, reasons=(reason,))

    def _counts(self, cand: Candidate, attr: str, label: str, long: str) -> tuple[int, int, None] | tuple[None, None, Cond]:
        col = cand.collective
        if col is None or col.members is None or getattr(col, attr) is None:
            return None, None, _fail(f"chưa có số {label}", f"nhập số thành viên và số {label} ở trang Tập thể",
                                     f"Chưa có số thành viên và số {long} của tập thể")
        return getattr(col, attr), col.members, None

    def _share(self, part: int, whole: int, op: str, value: Any) -> tuple[bool, str, int, str]:
        num, den, shown = _pct(value)
        # part/whole against pct/100, exactly, in integers (no Fraction per candidate)
        ok = whole > 0 and compare(part * 100 * den, op, num * whole)
        least = _least(whole, value, self.s.min_rounding)
        if op == "==" and num == 100 * den:
            want = f"{whole}/{whole} (100%)"
        elif op == ">=":
            want = f"ít nhất {least}"
        else:
            want = bound(op, shown)
        return ok, shown, least, want

    def m_share_completed(self, c, op, value, cand: Candidate) -> Cond:
        part, whole, bad = self._counts(cand, "completed", "hoàn thành nhiệm vụ", "thành viên hoàn thành nhiệm vụ")
        if bad:
            return bad
        ok, shown, _least, want = self._share(part, whole, op, value)
        return _res(ok, f"hoàn thành nhiệm vụ {_share_text(part, whole)} ({need(op, shown)})",
                    f"còn {whole - part} thành viên chưa hoàn thành nhiệm vụ",
                    f"Tỷ lệ hoàn thành nhiệm vụ: {part}/{whole} ({pct_of(part, whole)}), cần {want}")

    def m_share_ldtt(self, c, op, value, cand: Candidate) -> Cond:
        part, whole, bad = self._counts(cand, "ldtt", "LĐTT", "lao động tiên tiến")
        if bad:
            return bad
        ok, shown, least, want = self._share(part, whole, op, value)
        text = f"LĐTT {_share_text(part, whole)} ({need(op, shown)}, tức ít nhất {least})"
        return _res(ok, text, f"cần ít nhất {least} LĐTT trên {whole} thành viên (thiếu {max(least - part, 1)})",
                    f"Tỷ lệ lao động tiên tiến: {part}/{whole} ({pct_of(part, whole)}), cần {want}")

    def m_count_cstdcs(self, c, op, value, cand: Candidate) -> Cond:
        col = cand.collective
        n = col.cstdcs if col else None
        if n is None:
            return _fail("chưa có số CSTĐCS", "nhập số CSTĐCS ở trang Tập thể", "Chưa có số chiến sĩ thi đua cơ sở của tập thể")
        ok = compare(n, op, int(value))
        want = f"ít nhất {value}" if op == ">=" else bound(op, value)
        return _res(ok, f"{n} CSTĐCS ({need(op, value)})", f"cần ít nhất {value} cá nhân đạt CSTĐCS",
                    f"Số chiến sĩ thi đua cơ sở: {n}, cần {want}")

    def m_count_disciplined(self, c, op, value, cand: Candidate) -> Cond:
        col = cand.collective
        n = col.disciplined if col else None
        if n is None:
            n = 0
        ok = compare(n, op, int(value))
        want = "không có" if op == "==" and int(value) == 0 else f"không quá {value}" if op == "<=" else bound(op, value)
        return _res(ok, f"{n} thành viên bị kỷ luật từ cảnh cáo ({need(op, value)})",
                    "tập thể có cá nhân bị kỷ luật từ cảnh cáo trở lên trong năm: không đủ điều kiện",
                    f"Số thành viên bị kỷ luật từ cảnh cáo trở lên trong năm: {n}, cần {want}")

    def m_block_leader(self, c, op, value, cand: Candidate) -> Cond:
        col = cand.collective
        if col is None or col.rank is None:
            return _fail("chưa có xếp hạng thi đua của khối", "tính điểm khối (xlpy compute) trước khi kiểm tra",
                         "Chưa có xếp hạng thi đua trong khối")
        if col.rank == 1 and col.rank_tied:
            others = self.co_leaders(col.code)
            if not others:
                # tied with units this check cannot see: nobody here can decide who leads
                return Cond(False, "hạng 1 trong khối (đồng hạng chưa phân định)",
                            "Chủ tịch Hội đồng quyết định đơn vị dẫn đầu khối (R-22) hoặc bỏ phiếu", pending=bool(value),
                            reasons=("Đồng hạng 1 trong khối chưa phân định: chờ Hội đồng quyết định đơn vị dẫn đầu",))
            # every unit sharing first place meets "dẫn đầu"; the count per block then
            # separates them by the declared order, or reports them all for the Chair
            names = ", ".join(self.inp.name_of(TT, o) or o for o in others)
            lead = True
            text = f"hạng 1 trong khối, đồng hạng với {names} (chưa phân định)"
        else:
            lead = col.rank == 1
            text = f"hạng {col.rank} trong khối"
        ok = lead == bool(value)
        return _res(ok, text, "chỉ đơn vị dẫn đầu khối (hạng 1) được đề nghị",
                    f"Xếp hạng thi đua trong khối: hạng {col.rank}, cần dẫn đầu khối (hạng 1)" if value else f"Xếp hạng thi đua trong khối: hạng {col.rank}")

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
        problems, fixes, facts, reasons = [], [], [], []
        if under:
            problems.append("đang bị điều tra, thanh tra, kiểm tra có dấu hiệu vi phạm hoặc đang xem xét khiếu nại, tố cáo")
            fixes.append("chưa đề nghị cho đến khi có kết luận")
            reasons.append("Đang bị điều tra, thanh tra, kiểm tra có dấu hiệu vi phạm hoặc đang xem xét khiếu nại, tố cáo")
        if disc is not None:
            form = DISCIPLINE[disc.form]
            span = f"{day_text(disc.start) or '?'} – {day_text(disc.end) or 'chưa rõ'}"
            facts.append(f"kỷ luật {form.lower()} {span}")
            if disc.end is None or (disc.start is not None and disc.start <= day <= disc.end) or (disc.start is None and day <= disc.end):
                problems.append("đang trong thời hạn kỷ luật vào ngày xét " + day_text(day))
                fixes.append("chờ hết thời hạn kỷ luật" if disc.end else "nhập ngày hết thời hạn kỷ luật")
                reasons.append(f"Đang trong thời hạn kỷ luật {form.lower()} ({span}) vào ngày xét {day_text(day)}")
            else:
                facts.append(f"thành tích chỉ tính từ {day_text(cand.count_from)}")
                if title is not None and title.annual and cand.count_from and cand.count_from > dt.date(self.year, 1, 1):
                    problems.append(f"danh hiệu năm {self.year} cần thành tích cả năm")
                    fixes.append(f"đề nghị danh hiệu năm từ năm {cand.count_from.year + 1}")
                    reasons.append(f"Thành tích chỉ tính từ {day_text(cand.count_from)} (sau thời hạn kỷ luật {form.lower()}): "
                                   f"danh hiệu năm {self.year} cần thành tích cả năm")
        ok = not problems
        return self.row(cand, rule, DAT if ok else KHONG_DAT, "; ".join(facts + problems), "; ".join(fixes), tuple(reasons))

    def one_achievement(self, cand: Candidate, rule: Rule) -> Verdict | None:
        """R-15: the same achievement proposed twice in the round fails on EVERY row
        that proposes it (which one to keep is the officer's choice, not the sheet's
        order), and one already awarded in history fails."""
        p = cand.proposal
        if self._same_achievement is None:
            groups: dict[tuple[str, str, str], list[Proposal]] = {}
            for q in self.inp.proposals:
                if q.achievement:
                    groups.setdefault((q.subject, q.code, q.achievement), []).append(q)
            pos = {t: i for i, t in enumerate(EVALUATION_ORDER)}
            self._same_achievement = {k: sorted(v, key=lambda q: (pos.get(q.title, 99), q.title, q.row or 0))
                                      for k, v in groups.items() if len(v) > 1}
        same = self._same_achievement.get((p.subject, p.code, p.achievement))
        if same:
            listing = "; ".join(f"dòng {q.row}: {title_name(q.title)}" if q.row else title_name(q.title) for q in same)
            rows = ", ".join(str(q.row) for q in same if q.row)
            return self.row(cand, rule, KHONG_DAT, f"thành tích “{p.achievement}” được đề nghị {len(same)} lần trong đợt ({listing})",
                            "giữ một đề nghị, bỏ các đề nghị còn lại" + (f" (dòng {rows})" if rows else ""),
                            (f"{rule.name}: thành tích “{p.achievement}” được đề nghị {len(same)} lần trong đợt ({listing})",))
        prior = self.history.with_achievement(p.subject, p.code, p.achievement)
        if prior:
            r = min(prior, key=lambda r: (r.year, r.title))
            got = f"đã được khen {title_name(r.title)} năm {r.year}" + (f" ({r.decision})" if r.decision else "")
            return self.row(cand, rule, KHONG_DAT, f"thành tích “{p.achievement}” {got}", "không khen lại cùng một thành tích",
                            (f"{rule.name}: thành tích “{p.achievement}” {got}",))
        return None

    def vote(self, cand: Candidate, rule: Rule) -> Verdict | None:
        members = self.s.council_members
        if members is None:
            return None
        pct = Fraction(setting_or(rule.params.get("pct"), rule.params.get("pct_setting"), self.s))
        need_ = votes_needed(members, pct, self.s.min_rounding)
        v = cand.proposal.votes
        how = f"cần ≥ {need_} = {ROUNDING_LABELS[self.s.min_rounding]} {fmt_pct(pct)} × {members} thành viên Hội đồng"
        if v is None:
            return self.row(cand, rule, KHONG_DAT, f"chưa nhập số phiếu; {how}", "nhập số phiếu đồng ý (cột Số phiếu đồng ý)",
                            (f"Chưa có số phiếu đồng ý của Hội đồng, cần {need_}/{members}",))
        ok = v >= need_
        return self.row(cand, rule, DAT if ok else KHONG_DAT, f"{v}/{members} phiếu đồng ý; {how}",
                        "" if ok else f"thiếu {need_ - v} phiếu: không đủ tỷ lệ phiếu để đề nghị",
                        (f"Chưa đủ số phiếu đồng ý: {v}/{members}, cần {need_}",))


def _find(rs: RuleSet, rule_id: str) -> Rule | None:
    try:
        return rs.rule(rule_id)
    except KeyError:
        return None
