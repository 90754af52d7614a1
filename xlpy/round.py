"""A round of one block, read once: ``load_round(book) -> (Round, Problems)``.

Every door (CLI, ribbon, Python API, worksheet functions) and every feature
(scoring, award checks, reports, mail) works from a :class:`Round`: the
settings sheet is parsed once against every declared key, each input table is
read once against its declared columns (:mod:`xlpy.schema`), and the block's
result and its award check are computed once, on first use.  Nothing reads
cell grids or previously written output sheets again.

Sheet names match as the schema says (case, Unicode form and spaces do not
matter); a sheet that only *looks like* a known one (“Khối chấm (2)”, “Khoi
cham”) is an error rather than silently ignored, and every fallback from one
review stage to another is a warning naming the cells, marked on the results.
"""

from __future__ import annotations

from functools import cached_property
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np

from .book import block as BB
from .book.entries import Entries, describe_cells, read_entries
from .book.io import Book, open_book
from .core.model import Block, Kind, Part, Stage
from .core.problems import Problems
from .schema import core as S
from .schema import rules as RS
from .schema.base import SettingValues, TableData, fmt_num, match_name, norm, read_settings, read_table

STAGE_ORDER = ((Stage.SELF, S.SELF), (Stage.BLOCK, S.BLOCK), (Stage.OFFICE, S.OFFICE))


def known_sheets() -> list[str]:
    from .features import all_sheet_names

    return all_sheet_names()


class SheetMap(NamedTuple):
    """Which sheet of the book holds each known sheet (None: absent)."""

    actual: dict[str, str]  # canonical -> name in the book

    def get(self, canonical: str) -> str | None:
        return self.actual.get(canonical)


def resolve_sheets(book: Book, problems: Problems) -> SheetMap:
    names = book.sheet_names()
    known = known_sheets()
    out = SheetMap({})
    lookalikes: list[tuple[str, str]] = []
    for name in names:
        m = match_name(name, known)
        if m.canonical is not None:
            if m.canonical in out.actual:
                problems.add("duplicate_sheet", name, "", name, f"một trang “{m.canonical}”",
                             f"Sổ tính có hai trang cùng tên “{m.canonical}” (“{out.actual[m.canonical]}” và “{name}”). Xóa hoặc đổi tên một trang.")
                continue
            out.actual[m.canonical] = name
        elif m.lookalike is not None:
            lookalikes.append((name, m.lookalike))
    for name, canonical in lookalikes:
        if canonical in out.actual:
            problems.warn("sheet_lookalike", name, "", name, f"trang “{canonical}”",
                          f"Trang “{name}” giống trang “{canonical}” nên xlpy bỏ qua; xlpy chỉ đọc trang “{canonical}”.")
        else:
            problems.add("sheet_lookalike", name, "", name, f"trang tên đúng “{canonical}”",
                         f"Trang “{name}” giống trang “{canonical}” nhưng tên không đúng; xlpy không đoán. Đổi tên trang thành “{canonical}”.")
    return out


class Round:
    """One block's round, loaded once; results computed on first use."""

    def __init__(self, book: Book, problems: Problems):
        self.book = book
        self.problems = problems
        self.name = book.name
        self.path: Path | None = getattr(book, "path", None)
        self.sheets = resolve_sheets(book, problems)
        self._grids: dict[str, Any] = {}
        self._merged: dict[str, Any] = {}
        self._tables: dict[str, TableData | None] = {}
        self.settings = self._settings()
        self.block: Block | None = None
        self.entries: dict[Stage, Entries] = {}
        self.targets_entries: Entries | None = None
        self.units_table: TableData | None = None
        self.criteria_rows: dict[str, Any] = {}
        self.units_list: list = []
        self.criteria_list: list = []
        self.base_problems = Problems()
        self._load_block()

    # ---- reading: each sheet once, each table once (its problems recorded once) ------------
    def grid(self, canonical: str):
        """The cells of a declared sheet (None when absent), read from the book once."""
        if canonical not in self._grids:
            name = self.sheets.get(canonical)
            self._grids[canonical] = None if name is None else self.book.grid(name)
        return self._grids[canonical]

    def merged(self, canonical: str):
        if canonical not in self._merged:
            name = self.sheets.get(canonical)
            self._merged[canonical] = [] if name is None else self.book.merged(name)
        return self._merged[canonical]

    def table(self, spec) -> TableData | None:
        """An input table, read against its declared columns once (None when the sheet is absent)."""
        if spec.sheet in self._tables:  # one declared table per sheet
            return self._tables[spec.sheet]
        if self.sheets.get(spec.sheet) is None:
            if spec.required:
                self.problems.add("missing_sheet", spec.sheet, "", "(không có)", f"trang “{spec.sheet}”", BB.missing_sheet_message(spec.sheet))
            data = None
        else:
            data = read_table(self.grid(spec.sheet), spec, self.problems, self.merged(spec.sheet))
        self._tables[spec.sheet] = data
        return data

    def _settings(self) -> SettingValues:
        if self.sheets.get(S.SETTINGS) is None:
            self.problems.add("missing_sheet", S.SETTINGS, "", "(không có)", f"trang “{S.SETTINGS}”", BB.missing_sheet_message(S.SETTINGS))
        from .features import settings as declared

        return read_settings(self.grid(S.SETTINGS), declared(), S.SETTINGS, self.problems, self.merged(S.SETTINGS))

    def _load_block(self) -> None:
        p = self.problems
        settings = BB.core_settings(self.settings)
        self.units_table = self.table(S.UNIT_TABLE)
        units = BB.units(self.units_table, p)
        crit, groups, where = BB.criteria(self.table(S.CRITERIA_TABLE), p)
        self.criteria_rows = where
        crit = BB.bands(self.table(S.BAND_TABLE) if self.sheets.get(S.BANDS) else None, crit, p, self.sheets.get(S.BANDS) is not None)
        classes = BB.classes(self.table(S.CLASS_TABLE) if self.sheets.get(S.CLASSES) else None, p)
        BB.check_tie_break(settings, crit, p, self.settings)
        # what the score sheets are built from ("Tạo bảng chấm" needs only this part to be right)
        self.units_list, self.criteria_list = units, crit
        self.base_problems = Problems(list(p))
        broken = set(where) - {c.code for c in crit}
        measured = {c.code for c in crit if c.kind in (Kind.RATIO, Kind.TARGET)}
        if self.sheets.get(S.TARGETS) is not None:
            self.targets_entries = read_entries(self.grid(S.TARGETS), self.sheets.get(S.TARGETS) or S.TARGETS, units, crit, p,
                                                merged=self.merged(S.TARGETS), targets=True, allowed=measured, broken=broken)
        for stage, sheet in STAGE_ORDER:
            name = self.sheets.get(sheet)
            if name is None:
                if stage is Stage.SELF:
                    p.add("missing_sheet", sheet, "", "(không có)", f"trang “{sheet}”", BB.missing_sheet_message(sheet))
                continue
            e = read_entries(self.grid(sheet), name, units, crit, p, merged=self.merged(sheet), broken=broken)
            if e is not None:
                self.entries[stage] = e
        if self.settings.get("registration_deduction") and not p.has_errors:
            from .year.registration import fill_deduction  # a declared deduction filled from the registration sheet

            fill_deduction(self, units, crit, self.entries, p)
        self.block = assemble_block(settings, units, crit, groups, classes, self.entries, self.targets_entries, where,
                                    p, settings_values=self.settings)

    # ---- what the features use ------------------------------------------------
    @property
    def ok(self) -> bool:
        return self.block is not None

    @cached_property
    def result(self):
        """The block's scores, ranks and classes (None when the scoring sheets have errors)."""
        if self.block is None:
            return None
        from .core.engine import compute

        return compute(self.block)

    @cached_property
    def rules(self):
        """(RulesInput or None, RuleSettings) from the award sheets; problems go to :attr:`problems`."""
        return self.rules_for(self.result)

    def rules_for(self, result):
        """:attr:`rules` with each collective's place taken from ``result`` (None: no places), for
        callers that score many rounds together (:func:`xlpy.core.engine.score_many`) and add
        the places afterwards with :func:`with_ranks`."""
        from .rules import inputs
        from .rules.settings import from_values

        rs = from_values(self.settings, self.problems)
        units = list(self.block.units) if self.block is not None else self.units_list  # read once, in _load_block
        tables = {spec.sheet: self.table(spec) for spec in RS.TABLES}
        inp = inputs.rules_input(
            year=self.settings.get("year"), round_date=self.settings.get("round_date"), block_name=self.settings.get("block_name") or "",
            unit_list=units, tables=tables, council_members=rs.council_members, problems=self.problems,
            settings_sheet=S.SETTINGS, settings_cell=self.settings.cell("year") or self.settings.cell("round_date") or "B",
        )
        if inp is not None and result is not None:
            inp = with_ranks(inp, result)
        return inp, rs

    @cached_property
    def registrations(self):
        """The registration sheet (“Đăng ký thi đua”), read and checked once (:mod:`xlpy.year.registration`)."""
        from .year.registration import read

        return read(self, self.problems)

    @cached_property
    def check(self):
        """The award check (a ``CheckReport``), or None when it cannot run; problems say why."""
        inp, rs = self.rules
        if inp is None or self.problems.has_errors:
            return None
        from .rules.engine import NoRuleSet, check

        try:
            report = check(inp, rs)
        except NoRuleSet as e:
            self.problems.add("no_rule_set", S.SETTINGS, self.settings.cell("round_date") or "B", inp.round_date.strftime("%d/%m/%Y"),
                              "Ngày xét từ 01/01/2024", str(e))
            return None
        self._warn_money(report)
        return report

    def _warn_money(self, report) -> None:
        """Awards that pass but whose money cannot be computed (no multiple in the settings):
        the documents would show a total without them, so the officer is told where to fill it."""
        from .features import setting
        from .rules.money import MULTIPLE_SETTINGS
        from .rules.titles import SUBJECT_LABELS

        for m in report.money:
            attr = MULTIPLE_SETTINGS.get((m.title, m.subject))
            if m.total is None and attr is not None:
                key = setting(attr).key
                self.problems.warn(
                    "no_money_multiple", S.SETTINGS, self.settings.cell(attr), "(trống)", f"“{key}”",
                    f"{m.count} đề nghị {m.title_name} ({SUBJECT_LABELS[m.subject].lower()}) đạt nhưng chưa tính được tiền thưởng: "
                    f"nhập “{key}” ở trang {S.SETTINGS} (hệ số × lương cơ sở). Đến khi đó, tổng tiền thưởng trong báo cáo "
                    "chưa gồm khoản này.")


def assemble_block(settings, units, crit, groups, classes, entries: dict, targets: Entries | None, criteria_rows: dict,
                   problems: Problems, *, settings_values: SettingValues | None = None) -> Block | None:
    """The block from its checked parts, or None when something is in error.  What the
    officer must know is said: a ratio criterion without a target, empty score sheets,
    items scored in no stage, a later stage left blank (its earlier stage is used), a
    classification maximum that includes bonus points.  The workbook path and the
    worksheet functions both come through here."""
    p = problems
    _check_targets(crit, units, entries, targets, criteria_rows, p)
    if p.has_errors or not units or not crit:
        return None
    _check_scores(units, crit, entries, settings.final_policy.value, p)
    if p.has_errors:
        return None
    stages = {st: e.values for st, e in entries.items() if not e.empty}
    block = Block(settings=settings, units=tuple(units), criteria=tuple(crit), groups=tuple(groups), classes=classes,
                  stages=stages, targets=targets.values if targets is not None else None)
    if settings_values is not None:  # the workbook classifies its units: the maximum must mean something
        _check_maximum(block, settings_values, p)
        if p.has_errors:
            return None
    return block


def _check_targets(crit, units, entries: dict, targets: Entries | None, criteria_rows: dict, problems: Problems) -> None:
    """Every unit with an entry for a ratio/target criterion needs a target."""
    tv = targets.values if targets is not None else None
    for k, c in enumerate(crit):
        if c.kind not in (Kind.RATIO, Kind.TARGET) or c.target is not None:
            continue
        entered = np.zeros(len(units), dtype=bool)
        for e in entries.values():
            entered |= ~np.isnan(e.values[:, k])
        have = ~np.isnan(tv[:, k]) if tv is not None else np.zeros(len(units), dtype=bool)
        missing = [units[i].code for i in np.flatnonzero(entered & ~have)]
        if missing:
            r = criteria_rows.get(c.code)
            cell = (r.addr("target") if "target" in r.cols else r.addr("code")) if r is not None else ""
            problems.add(
                "missing_target", S.CRITERIA, cell, ", ".join(missing), "chỉ tiêu chung ở cột Chỉ tiêu hoặc chỉ tiêu từng đơn vị",
                f"Tiêu chí “{c.code}” tính theo chỉ tiêu nhưng chưa có chỉ tiêu cho: {', '.join(missing)}. "
                f"Nhập chỉ tiêu chung ở trang Tiêu chí hoặc từng đơn vị ở trang “{S.TARGETS}”.")


def _check_scores(units, crit, entries: dict, policy: str, p: Problems) -> None:
    """Empty sheets, blank items and stage fallbacks are said, never silent."""
    reviews = [(st, entries[st]) for st in (Stage.SELF, Stage.BLOCK) if st in entries]
    for st, e in entries.items():
        if e.empty and st is not Stage.OFFICE:
            p.warn("empty_score_sheet", e.sheet, "", "(trống)", "điểm của các đơn vị",
                   f"Trang “{e.sheet}” chưa có điểm nào; xlpy không dùng trang này.")
    used = [(st, e) for st, e in reviews if not e.empty]
    if not used:
        p.add("no_scores", S.SELF, "C2", "(trống)", "điểm của các đơn vị",
              "Các trang chấm điểm chưa có điểm nào: chưa thể tính điểm, xếp hạng. Nhập điểm ở trang “Tự chấm” (và “Khối chấm”).")
        return
    ucodes = [u.code for u in units]
    ccodes = [c.code for c in crit]
    entered = np.zeros((len(units), len(crit)), dtype=bool)
    for e in entries.values():
        entered |= ~np.isnan(e.values)
    blank = [(ucodes[i], ccodes[j]) for i, j in zip(*np.nonzero(~entered))]
    if blank:
        e0 = used[-1][1]
        first = e0.addr(*blank[0]) if blank[0][0] in e0.rows and blank[0][1] in e0.columns else "C2"
        p.warn("unscored_items", e0.sheet, first, f"{len(blank)} ô", "điểm ở ít nhất một lần chấm",
               f"Còn {len(blank)} mục chưa có điểm ở lần chấm nào, được tính 0 điểm: {describe_cells(blank)}.")
    if policy == "last" and len(used) == 2:
        later, earlier = used[-1][1], used[0][1]
        office = entries.get(Stage.OFFICE)
        fb = np.isnan(later.values) & ~np.isnan(earlier.values)
        if office is not None:
            fb &= np.isnan(office.values)
        cells = [(ucodes[i], ccodes[j]) for i, j in zip(*np.nonzero(fb))]
        if cells:
            first = later.addr(*cells[0]) if cells[0][0] in later.rows and cells[0][1] in later.columns else ""
            p.warn("stage_fallback", later.sheet, first, f"{len(cells)} ô trống", f"điểm ở trang “{later.sheet}”",
                   f"Trang “{later.sheet}” còn trống {len(cells)} ô; xlpy dùng điểm ở trang “{earlier.sheet}” cho các mục này "
                   f"(đánh dấu ở cột Ghi chú của trang Kết quả): {describe_cells(cells)}.")


def _check_maximum(block: Block, values: SettingValues, problems: Problems) -> None:
    """The maximum classes are measured against, when the settings leave it to the criteria:
    never 0 (nothing to measure against), and said when it includes bonus points."""
    from .features import setting

    if block.settings.max_total is not None:
        return
    key, cell = setting("max_total").key, values.cell("max_total") or "B"
    content, bonus = block.part_max(Part.CONTENT), block.part_max(Part.BONUS)
    if content + bonus <= 0:
        problems.add("no_maximum", S.SETTINGS, cell, "(trống)", "thang điểm xếp loại lớn hơn 0",
                     f"“{key}” để trống và các tiêu chí không có điểm cộng nào (chỉ có điểm trừ), nên không có thang "
                     f"điểm để xếp loại. Nhập thang điểm xếp loại vào ô này, hoặc thêm tiêu chí cộng điểm.")
    elif bonus > 0:
        problems.warn(
            "max_includes_bonus", S.SETTINGS, cell, "(trống)", "thang điểm xếp loại",
            f"“{key}” để trống nên xếp loại tính trên {fmt_num(content + bonus)} điểm "
            f"(gồm {fmt_num(bonus)} điểm thưởng). Nếu thang điểm xếp loại là {fmt_num(content)}, nhập {fmt_num(content)} vào ô này.")


def with_ranks(inp, result):
    """Each collective's place in the block ranking; a shared first place is marked."""
    from dataclasses import replace

    cols = dict(inp.collectives)
    if result.tie_groups:
        for u in result.units:
            if u.code in cols:
                cols[u.code] = cols[u.code]._replace(rank=u.rank, rank_tied=u.rank == 1 and u.unresolved)
    else:  # no equal totals: the ranks straight from the result's array
        for code, rank in zip(result.block.unit_codes, result.rank.tolist()):
            if code in cols:
                cols[code] = cols[code]._replace(rank=rank, rank_tied=False)
    return replace(inp, collectives=cols)


def load_round(book: Any) -> tuple[Round, Problems]:
    """Read a workbook (a path or an open Book) once; returns the round and its problems so far."""
    b = open_book(book)
    problems = Problems()
    r = Round(b, problems)
    return r, problems


_with_ranks = with_ranks  # its former name

__all__ = ["Round", "load_round", "resolve_sheets", "norm", "with_ranks"]
