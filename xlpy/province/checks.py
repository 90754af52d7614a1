"""The province's checks, as pure functions over plain data, each with explained verdicts.

The blocks have checked their own proposals (standards, votes, the block's quotas).
The province decides what only it can see, across blocks:

* **T-01 Cờ thi đua cấp tỉnh**: per block, at most ``co_tinh_per_block`` (default 1),
  only for units placed within that many first places of the block's ranking; a lead
  the block's tie-break chain could not separate is *chờ quyết định* (the council
  decides), never settled by a row's position;
* **T-02…T-05 caps of the province** on Bằng khen (collectives, individuals), TTLĐXS
  and CSTĐ cấp tỉnh, as percentages of the province's bases (settings, UNVERIFIED
  defaults);
* **T-06 Cờ thi đua của Chính phủ**: only for a holder of this round's Cờ tỉnh (or one
  already in the block's history for the year), within the cap of the settings;
* **T-07 a unit in two blocks** (same code, or same name after normalising): its
  proposals await the Ban's decision of where it belongs;
* **T-08…T-13 the files**: blocks expected but missing, late (by the workbook's Ngày
  xét or the file's modification date, as the settings say), not in the list, twice
  (one line of the list, or one Tên khối: the block's proposals wait until one file is
  kept, and its units are not reported as in two blocks), with errors (not consolidated),
  or of another year.

Verdicts are those of the block check (``đạt``, ``không đạt``, ``vượt tỷ lệ``,
``chờ quyết định``); quotas are applied with the block check's own
:func:`xlpy.rules.allocation.allot`, so equals at a cut are never split by row order.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from itertools import groupby
from operator import attrgetter
from typing import Any, Callable, Iterable

from ..core.text import fold, norm_many
from ..rules.allocation import allot
from ..rules.model import CHO_QUYET_DINH, CN, DAT, KHONG_DAT, TT, VUOT
from ..rules.model import Proposal as RuleProposal
from ..rules.quotas import Cap, cap_of
from ..rules.titles import title_name
from ..schema.base import fmt_num, norm
from ..vn import number_in_words
from .model import NOT_HERE, UNCHECKED, BlockFile, Expected, Proposal, Province, ProvinceSettings, Row, Unit

# titles the province decides (or, for the Cờ of the Government, proposes): Luật TĐKT 2022 Điều 80
PROVINCE_TITLES = ("CO_TINH", "CO_CP", "BK_TINH", "CSTD_TINH", "TTLDXS")

CITE = {
    "T-01": "Luật Thi đua, khen thưởng 2022 Điều 26 khoản 1 (tập thể dẫn đầu cụm, khối); mỗi khối 1 Cờ là thực tiễn "
            "[xác minh qua nguồn thứ cấp]",
    "T-02": "Tỷ lệ do tỉnh quy định; mặc định 10% theo QĐ 10/2024/QĐ-UBND Cần Thơ Điều 9 khoản 2 điểm a [chưa xác minh cho tỉnh]",
    "T-03": "Tỷ lệ do tỉnh quy định; mặc định 5% theo QĐ 10/2024/QĐ-UBND Cần Thơ Điều 9 khoản 2 điểm a [chưa xác minh cho tỉnh]",
    "T-04": "Tỷ lệ do tỉnh quy định (không có mức chung) [chưa xác minh]",
    "T-05": "Tỷ lệ do tỉnh quy định (không có mức chung) [chưa xác minh]",
    "T-06": "Luật Thi đua, khen thưởng 2022 Điều 25 (chọn trong số tập thể dẫn đầu được Cờ cấp tỉnh); tỷ lệ 20% theo "
            "NĐ 91/2017/NĐ-CP Điều 11 (hết hiệu lực) [chưa xác minh]",
    "T-07": "Mỗi đơn vị thuộc một cụm, khối thi đua (quy chế cụm, khối của tỉnh)",
    "T-08": "Danh sách cụm, khối thi đua của tỉnh (trang Danh sách khối)",
    "T-09": "Hạn nộp do Ban Thi đua – Khen thưởng tỉnh quy định (ví dụ QĐ 86/2025/QĐ-UBND Bắc Ninh Điều 6)",
    "T-10": "Sổ tính của khối phải hợp lệ (xlpy validate)",
    "T-11": "Danh sách cụm, khối thi đua của tỉnh (trang Danh sách khối)",
    "T-12": "Mỗi khối một sổ tính",
    "T-13": "Năm tổng hợp (trang Cài đặt tỉnh)",
}
RULE_NAMES = {
    "T-01": "Cờ thi đua cấp tỉnh mỗi khối",
    "T-02": "Tỷ lệ Bằng khen tập thể toàn tỉnh",
    "T-03": "Tỷ lệ Bằng khen cá nhân toàn tỉnh",
    "T-04": "Tỷ lệ Tập thể lao động xuất sắc toàn tỉnh",
    "T-05": "Tỷ lệ Chiến sĩ thi đua cấp tỉnh toàn tỉnh",
    "T-06": "Cờ thi đua của Chính phủ",
    "T-07": "Đơn vị có ở hai khối",
    "T-08": "Khối chưa nộp sổ tính",
    "T-09": "Khối nộp sổ tính sau hạn",
    "T-10": "Sổ tính có lỗi, chưa tổng hợp",
    "T-11": "Khối không có trong danh sách",
    "T-12": "Hai sổ tính của một khối",
    "T-13": "Sổ tính của năm khác",
}
DECIDER = "Hội đồng Thi đua – Khen thưởng tỉnh quyết định (hoặc bỏ phiếu)"
ORDER_LABELS = {"XEP_HANG": "hạng trong khối cao hơn", "TY_LE_NU": "ưu tiên nữ / tập thể có tỷ lệ nữ từ ngưỡng"}


def _d(day: dt.date | dt.datetime | None) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


class _Ctx:
    """What the checks share: the province, each candidate's state, the decisions so far."""

    def __init__(self, prov: Province):
        self.prov = prov
        self.s = prov.settings
        self.decisions: dict[int, list[tuple[str, str, str]]] = defaultdict(list)  # id -> (rule, status, reason)
        self.status0: dict[int, str] = {}  # candidates: DAT or CHO_QUYET_DINH before the province's rules
        self.held: dict[int, list[tuple[str, str]]] = defaultdict(list)  # id -> (rule, why) holding it for the Ban (T-07, T-12)
        self.same_block: dict[int, int] = {}  # block index -> the first file's block index, for two files of one block (T-12)
        self.by_title: dict[str, list[Proposal]] = {}  # the candidates by title, in order (once status0 is set)

    def block_name(self, i: int) -> str:
        b = self.prov.blocks[i]
        return b.block_name or b.file

    def who(self, p: Proposal) -> str:
        unit = f", {p.unit_name}" if p.subject == CN and p.unit_name else ""
        return f"{p.name or p.code} ({p.code}{unit}, {self.block_name(p.block)})"

    def order_key(self) -> Callable[[Proposal], tuple]:
        tokens = self.s.order

        def key(p: Proposal) -> tuple:
            parts: list[Any] = []
            for t in tokens:
                if t == "XEP_HANG":
                    parts.append(p.rank if p.rank is not None else 10**9)
                elif t == "TY_LE_NU":
                    parts.append(0 if p.women else 1)
            return tuple(parts)

        return key

    def order_text(self) -> str:
        return "thứ tự xét: " + (", rồi ".join(ORDER_LABELS[t] for t in self.s.order) or "không khai báo")


def run(prov: Province) -> list[Row]:
    """Every province check: sets each proposal's province verdict; returns the verdict rows."""
    c = _Ctx(prov)
    rows: list[Row] = []
    rows += files_rows(prov, c)
    dups = duplicate_rows(prov, c)
    for p in prov.proposals:
        if p.title not in PROVINCE_TITLES:
            p.verdict, p.rule, p.reason = NOT_HERE, "", "Thẩm quyền cấp cơ sở (thủ trưởng cơ quan, đơn vị hoặc Chủ tịch UBND cấp xã)"
        elif p.block_verdict == UNCHECKED:
            p.verdict, p.rule, p.reason = UNCHECKED, "", "Khối chưa kiểm tra được tiêu chuẩn (xem trang Lỗi các khối)"
        elif p.block_verdict in (KHONG_DAT, VUOT):
            p.verdict, p.rule = p.block_verdict, "Khối"
            p.reason = f"Theo kết luận của khối: {p.block_reason}" if p.block_reason else "Theo kết luận của khối"
        else:
            held = c.held.get(p.id, ())
            c.status0[p.id] = CHO_QUYET_DINH if (p.block_verdict == CHO_QUYET_DINH or held) else DAT
            if p.block_verdict == CHO_QUYET_DINH:
                c.decisions[p.id].append(("Khối", CHO_QUYET_DINH, f"Khối chưa quyết định: {p.block_reason}".rstrip(": ")))
            for rule, why in held:
                c.decisions[p.id].append((rule, CHO_QUYET_DINH, why))
            c.by_title.setdefault(p.title, []).append(p)
    rows += co_tinh_rows(c)
    _settle(c, "CO_TINH")
    rows += co_cp_rows(c)
    rows += cap_rows(c)
    for p in prov.proposals:
        if p.id in c.status0:
            _conclude(c, p)
    rows += dups
    return rows


def _candidates(c: _Ctx, title: str, subject: str | None = None, kinds: Iterable[str] | None = None) -> list[Proposal]:
    ks = set(kinds) if kinds is not None else None
    return [p for p in c.by_title.get(title, ()) if (subject is None or p.subject == subject) and (ks is None or p.kind in ks)]


def _rp(p: Proposal) -> RuleProposal:
    return RuleProposal(p.subject, str(p.id), p.title, p.kind, row=p.id)


def _allot(c: _Ctx, props: list[Proposal], awaiting: set[int], cap: int, key: Callable[[Proposal], tuple]):
    by = {p.id: p for p in props}
    rps = [_rp(p) for p in props]
    wait = {rp.key for rp in rps if rp.row in awaiting}
    a = allot(rps, wait, cap, lambda rp: key(by[rp.row]))
    decided = {rp.row: a.decided[rp.key] for rp in rps}
    groups: dict[int, tuple[int, list[Proposal]]] = {}  # one list per group of equals, shared by its members
    tie_of = {}
    for rp in rps:
        if rp.key in a.tie_of:
            places, grp = a.tie_of[rp.key]
            if id(grp) not in groups:
                groups[id(grp)] = (places, [by[g.row] for g in grp])
            tie_of[rp.row] = groups[id(grp)]
    place = {rp.row: a.place[rp.key] for rp in rps}
    return decided, tie_of, place


def _settle(c: _Ctx, title: str) -> None:
    """Conclude the proposals of ``title`` now (a later title depends on them)."""
    for p in c.by_title.get(title, ()):
        _conclude(c, p)


def _conclude(c: _Ctx, p: Proposal) -> None:
    dec = c.decisions.get(p.id, [])
    for status in (KHONG_DAT, VUOT, CHO_QUYET_DINH):
        hits = [d for d in dec if d[1] == status]
        if hits or (status == CHO_QUYET_DINH and c.status0[p.id] == CHO_QUYET_DINH):
            p.verdict = status
            p.rule = ", ".join(dict.fromkeys(d[0] for d in hits)) or "Khối"
            p.reason = "; ".join(dict.fromkeys(d[2] for d in hits))
            return
    p.verdict, p.rule = DAT, ", ".join(dict.fromkeys(d[0] for d in dec)) or "—"
    p.reason = "; ".join(dict.fromkeys(d[2] for d in dec if d[1] == DAT))


# ---------------------------------------------------------------------------------------
# T-01 Cờ thi đua cấp tỉnh, per block


def co_tinh_rows(c: _Ctx) -> list[Row]:
    prov, n = c.prov, c.s.co_tinh_per_block
    by_block: dict[int, list[Proposal]] = defaultdict(list)
    all_co: dict[int, list[Proposal]] = defaultdict(list)
    for p in prov.proposals:
        if p.title == "CO_TINH" and p.subject == TT:
            all_co[p.block].append(p)
            if p.id in c.status0:
                by_block[p.block].append(p)
    units_by_block: dict[int, list[Unit]] = defaultdict(list)
    for u in prov.units:
        units_by_block[u.block].append(u)
    rows = []
    for i, b in enumerate(prov.blocks):
        name = c.block_name(i)
        units = units_by_block[i]
        lead = _lead_status(units, n)  # unit code -> (DAT | VUOT | CHO_QUYET_DINH, its group of equals, places left for it)
        lead_text = _leaders_text([u for u in units if lead.get(u.code, (VUOT,))[0] != VUOT], units, n)
        props = by_block.get(i, [])
        out_by_block = {p.code for p in all_co[i] if p.block_verdict in (KHONG_DAT, VUOT)}
        outside, open_ties, inside = [], {}, []
        for p in props:
            st, group, places = lead.get(p.code, (VUOT, [], 0))
            if st == VUOT:
                outside.append(p)
                c.decisions[p.id].append(("T-01", KHONG_DAT, f"Không phải tập thể dẫn đầu khối (hạng {p.rank or '?'}; Cờ chỉ dành cho "
                                                             f"{'đơn vị hạng 1' if n == 1 else f'{n} đơn vị dẫn đầu'})"))
                continue
            others = [u for u in group if u.code != p.code]
            if st == CHO_QUYET_DINH and not all(u.code in out_by_block for u in others):
                # a lead the ranking could not separate, and the block did not decide between them either
                open_ties[p.id] = others
                names = ", ".join(f"{u.name} ({u.code})" for u in others)
                c.decisions[p.id].append(("T-01", CHO_QUYET_DINH,
                                          f"Đồng hạng {p.rank} với {names} (thứ tự phá hòa của khối chưa phân định): "
                                          f"{_places(places, group)} — {DECIDER}"))
                continue
            inside.append(p)
        awaiting = {p.id for p in inside if c.status0[p.id] == CHO_QUYET_DINH}
        decided, tie_of, _place = _allot(c, inside, awaiting, n, lambda p: (p.rank,))
        tied_groups: dict[int, tuple[int, list[Proposal]]] = {}
        for p in inside:
            st = decided[p.id]
            if st == DAT:
                c.decisions[p.id].append(("T-01", DAT, ""))
            elif st == VUOT:
                c.decisions[p.id].append(("T-01", VUOT, f"Khối chỉ có {n} Cờ thi đua cấp tỉnh"))
            elif p.id in tie_of:
                places, grp = tie_of[p.id]
                tied_groups.setdefault(id(grp), (places, grp))
                names = ", ".join(sorted(x.name or x.code for x in grp))
                c.decisions[p.id].append(("T-01", CHO_QUYET_DINH,
                                          f"{places} Cờ cho {len(grp)} đơn vị cùng dẫn đầu khối ({names}): {DECIDER}"))
            else:
                c.decisions[p.id].append(("T-01", CHO_QUYET_DINH, "Tùy quyết định về đề nghị Cờ khác của khối"))
        waiting = [p for p in inside if decided[p.id] == CHO_QUYET_DINH] + [p for p in props if p.id in open_ties]
        over = [p for p in inside if decided[p.id] == VUOT]
        kept = [p for p in inside if decided[p.id] == DAT]
        notes = [f"{len(awaiting)} đề nghị đang chờ quyết định"] if awaiting else []
        dropped = len(all_co[i]) - len(props)
        if dropped:
            notes.append(f"{dropped} khối kết luận không đạt hoặc vượt tỷ lệ")
        numbers = f"{lead_text}; {len(all_co[i])} đề nghị Cờ" + (f" ({'; '.join(notes)})" if notes else "") + \
            f"; tối đa {n} Cờ mỗi khối"
        fix_parts = []
        if outside:
            fix_parts.append("không dẫn đầu khối: " + ", ".join(c.who(p) for p in outside))
        if over:
            fix_parts.append("ngoài số Cờ của khối: " + ", ".join(c.who(p) for p in over))
        for pid, others in open_ties.items():
            p = next(x for x in props if x.id == pid)
            fix_parts.append(f"{c.who(p)} đồng hạng với " + ", ".join(f"{u.name} ({u.code})" for u in others)
                             + f" chưa phân định — {DECIDER}, hoặc khối bổ sung tiêu chí phá hòa")
        for places, grp in tied_groups.values():
            fix_parts.append(f"{places} Cờ cho {len(grp)} đơn vị bằng nhau: " + ", ".join(c.who(p) for p in sorted(grp, key=lambda x: x.code))
                             + f" — {DECIDER}")
        if not all_co[i]:
            numbers += "; khối không đề nghị Cờ"
        if waiting:
            verdict = CHO_QUYET_DINH
        elif over:
            verdict = VUOT
        elif outside:
            verdict = KHONG_DAT
        else:
            verdict = DAT
        if verdict == DAT and kept:
            numbers += f"; đề nghị cho {', '.join(p.name or p.code for p in kept)}"
        rows.append(Row("Cờ thi đua cấp tỉnh", "T-01", verdict, numbers, CITE["T-01"], ". ".join(fix_parts), block=name, file=b.file,
                        subject=TT, title="CO_TINH", scope=name))
    return rows


def _lead_status(units: list[Unit], n: int) -> dict[str, tuple[str, list[Unit], int]]:
    """Each unit's place among the ``n`` leaders of its block by the block's ranking alone:
    DAT (certainly among them), VUOT (not), CHO_QUYET_DINH (equal to others across the cut)."""
    out: dict[str, tuple[str, list[Unit], int]] = {}
    better = 0
    for _rank, same in groupby(sorted(units, key=attrgetter("rank")), key=attrgetter("rank")):
        grp = list(same)
        if better + len(grp) <= n:
            st = DAT
        elif better >= n:
            st = VUOT
        else:
            st = CHO_QUYET_DINH
        for u in grp:
            out[u.code] = (st, grp, n - better if st == CHO_QUYET_DINH else 0)
        better += len(grp)
    return out


def _places(places: int, group: list[Unit]) -> str:
    return f"{places} Cờ cho {len(group)} đơn vị bằng điểm"


def _leaders_text(leaders: list[Unit], units: list[Unit], n: int) -> str:
    if not units:
        return "khối chưa có kết quả"
    top = [u for u in units if u.rank == 1]
    lead = ", ".join(f"{u.name} ({fmt_num(u.total)} điểm)" for u in top)
    shared = len(top) > 1 and any(u.unresolved for u in top)
    text = f"dẫn đầu: {lead}" + (" — đồng hạng 1 chưa phân định" if shared else "")
    if n > 1:
        more = [u for u in leaders if u.rank > 1]
        if more:
            text += "; tiếp theo: " + ", ".join(f"{u.name} (hạng {u.rank})" for u in more)
    return text[:1].upper() + text[1:]


# ---------------------------------------------------------------------------------------
# T-06 Cờ thi đua của Chính phủ


def co_cp_rows(c: _Ctx) -> list[Row]:
    prov, s = c.prov, c.s
    cands = _candidates(c, "CO_CP", TT)
    co_tinh = {(p.block, p.code): p.verdict for p in prov.proposals if p.title == "CO_TINH"}
    history = _history_holders(prov)
    holders = sum(1 for v in co_tinh.values() if v == DAT) + len({k for k in history if co_tinh.get(k) != DAT})
    pending_holders = sum(1 for v in co_tinh.values() if v == CHO_QUYET_DINH)
    competing, awaiting = [], set()
    for p in cands:
        k = (p.block, p.code)
        state = DAT if k in history else co_tinh.get(k, "")
        if state == DAT:
            competing.append(p)
        elif state == CHO_QUYET_DINH:
            competing.append(p)
            awaiting.add(p.id)
            c.decisions[p.id].append(("T-06", CHO_QUYET_DINH, "Cờ thi đua cấp tỉnh của đơn vị đang chờ quyết định"))
        else:
            why = f"Cờ thi đua cấp tỉnh của đơn vị: {state}" if state else "Đơn vị không được đề nghị Cờ thi đua cấp tỉnh"
            c.decisions[p.id].append(("T-06", KHONG_DAT, f"Chỉ chọn trong số tập thể được Cờ thi đua cấp tỉnh năm nay ({why})"))
        if c.status0[p.id] == CHO_QUYET_DINH:
            awaiting.add(p.id)
    if s.co_cp_pct is None and s.co_cp_count is None:
        for p in competing:
            if p.id not in awaiting:
                c.decisions[p.id].append(("T-06", DAT, ""))
        numbers = f"{len(cands)} đề nghị, {len(competing)} đã được (hoặc chờ) Cờ cấp tỉnh; không giới hạn số lượng (Cài đặt tỉnh để trống)"
        return [Row("Cờ thi đua của Chính phủ", "T-06", DAT if not awaiting else CHO_QUYET_DINH, numbers, CITE["T-06"],
                    subject=TT, title="CO_CP", scope="Toàn tỉnh")]
    cap = cap_of(holders, pct=s.co_cp_pct, count=s.co_cp_count, rounding=s.cap_rounding)
    row = _quota(c, "T-06", competing, awaiting, cap, f"{len(cands)} đề nghị Cờ thi đua của Chính phủ",
                 f"cơ sở: {holders} tập thể được Cờ thi đua cấp tỉnh"
                 + (f" (chưa tính {pending_holders} Cờ tỉnh đang chờ quyết định)" if pending_holders else ""))
    row.section, row.subject, row.title = "Cờ thi đua của Chính phủ", TT, "CO_CP"
    return [row]


def _history_holders(prov: Province) -> set[tuple[int, str]]:
    return {(i, code) for i, b in enumerate(prov.blocks) for code in b.co_tinh_held}


# ---------------------------------------------------------------------------------------
# T-02…T-05 caps of the province


def cap_rows(c: _Ctx) -> list[Row]:
    s, prov = c.s, c.prov
    n_collectives = len(prov.units)
    members = [u.members for u in prov.units]
    known = [m for m in members if m is not None]
    if s.individuals is not None:
        individuals, base_note = s.individuals, f"{s.individuals} cá nhân (Cài đặt tỉnh)"
    elif known:
        individuals = sum(known)
        miss = len(members) - len(known)
        base_note = f"{individuals} cá nhân (cộng Số thành viên ở trang Tập thể của các khối" + \
            (f"; {miss} đơn vị chưa ghi số thành viên, chưa tính" if miss else "") + ")"
    else:
        individuals, base_note = None, "chưa có số cá nhân: nhập “Số cá nhân làm cơ sở tính tỷ lệ” ở trang Cài đặt tỉnh"
    specs = [
        ("T-02", "BK_TINH", TT, ("cong_trang",), s.bk_tt_pct, n_collectives, f"{n_collectives} tập thể trong các khối"),
        ("T-03", "BK_TINH", CN, ("cong_trang",), s.bk_cn_pct, individuals, base_note),
        ("T-04", "TTLDXS", TT, None, s.ttldxs_pct, n_collectives, f"{n_collectives} tập thể trong các khối"),
        ("T-05", "CSTD_TINH", CN, None, s.cstd_tinh_pct, individuals, base_note),
    ]
    rows = []
    for rid, title, subject, kinds, pct, base, note in specs:
        props = _candidates(c, title, subject, kinds)
        what = f"{len(props)} đề nghị {title_name(title)} ({'tập thể' if subject == TT else 'cá nhân'}" + \
            (", công trạng)" if kinds else ")")
        if pct is None:
            for p in props:
                c.decisions[p.id].append((rid, DAT, ""))
            rows.append(Row("Tỷ lệ toàn tỉnh", rid, DAT, f"{what}; không giới hạn (ô “{RULE_NAMES[rid]} (%)” ở Cài đặt tỉnh để trống)",
                            CITE[rid], subject=subject, title=title, scope="Toàn tỉnh"))
            continue
        if base is None:
            for p in props:
                c.decisions[p.id].append((rid, DAT, ""))
            rows.append(Row("Tỷ lệ toàn tỉnh", rid, CHO_QUYET_DINH, f"{what}; {note}", CITE[rid],
                            "Nhập “Số cá nhân làm cơ sở tính tỷ lệ” ở trang Cài đặt tỉnh rồi tổng hợp lại", subject=subject,
                            title=title, scope="Toàn tỉnh"))
            continue
        cap = cap_of(base, pct=pct, rounding=s.cap_rounding)
        awaiting = {p.id for p in props if c.status0[p.id] == CHO_QUYET_DINH}
        row = _quota(c, rid, props, awaiting, cap, what, "cơ sở: " + note)
        row.subject, row.title = subject, title
        rows.append(row)
    return rows


def _quota(c: _Ctx, rid: str, props: list[Proposal], awaiting: set[int], cap: Cap, what: str, base_note: str) -> Row:
    """One province-wide quota applied with :func:`allot` (declared order; equals at the cut await a decision)."""
    decided, tie_of, place = _allot(c, props, awaiting, cap.value, c.order_key())
    competing = len(props)
    order = c.order_text()
    groups: dict[int, tuple[int, list[Proposal]]] = {}
    over = []
    for p in props:
        st = decided[p.id]
        if st == DAT:
            c.decisions[p.id].append((rid, DAT, ""))
        elif st == VUOT:
            over.append(p)
            c.decisions[p.id].append((rid, VUOT, f"{RULE_NAMES[rid]}: xếp thứ {place[p.id]}/{competing} theo {order}, "
                                                  f"chỉ có {cap.value} suất"))
        elif p.id in tie_of:
            places, grp = tie_of[p.id]
            groups.setdefault(id(grp), (places, grp))
            c.decisions[p.id].append((rid, CHO_QUYET_DINH, f"{RULE_NAMES[rid]}: {places} suất cho {len(grp)} đề nghị bằng nhau "
                                                            f"theo {order} — {DECIDER}"))
        elif p.id not in awaiting:
            c.decisions[p.id].append((rid, CHO_QUYET_DINH, f"{RULE_NAMES[rid]}: trong tỷ lệ hay không tùy các đề nghị đang chờ quyết định"))
    numbers = f"{what}, {cap.explain()}; {base_note}"
    if competing <= cap.value:
        verdict = DAT
        numbers += f"; còn được đề nghị thêm {cap.value - competing}"
    else:
        verdict = VUOT if over else CHO_QUYET_DINH
    parts = []
    if over:
        parts.append(f"ngoài tỷ lệ ({c.order_text()}): " + _listed(c, over))
    for places, grp in groups.values():
        parts.append(f"{places} suất cho {len(grp)} đề nghị bằng nhau: " + _listed(c, grp) + f" — {DECIDER}")
    return Row("Tỷ lệ toàn tỉnh", rid, verdict, numbers, CITE[rid], ". ".join(parts), scope="Toàn tỉnh")


def _listed(c: _Ctx, props: list[Proposal], limit: int = 40) -> str:
    ordered = sorted(props, key=lambda p: (c.block_name(p.block), p.code))
    text = ", ".join(c.who(p) for p in ordered[:limit])
    return text + (f" và {len(ordered) - limit} đề nghị khác (xem trang Đề nghị các khối)" if len(ordered) > limit else "")


# ---------------------------------------------------------------------------------------
# T-07 a unit in two blocks


def duplicates(prov: Province, same_block: dict[int, int] | None = None) -> list[tuple[str, list[tuple[int, str]]]]:
    """Groups of (block, unit code) sharing a code or a normalised name across blocks (two
    files of one block, ``same_block``, count as one block: T-12 says so)."""
    one = (same_block or {}).get
    by_code: dict[str, list[Unit]] = defaultdict(list)
    by_name: dict[str, list[Unit]] = defaultdict(list)
    units = prov.units
    for u, code, name in zip(units, norm_many(u.code for u in units), norm_many(u.name for u in units)):
        by_code[code].append(u)
        if u.name:
            by_name[name].append(u)
    out: list[tuple[str, list[tuple[int, str]]]] = []
    seen: set[frozenset] = set()
    for kind, groups in (("mã", by_code), ("tên", by_name)):
        many = [k for k, us in groups.items()
                if len(us) > 1 and len({one(u.block, u.block) for u in us}) > 1]
        for key in sorted(many):
            us = groups[key]
            members = frozenset((u.block, u.code) for u in us)
            if members in seen:
                continue
            seen.add(members)
            label = us[0].code if kind == "mã" else us[0].name
            out.append((f"cùng {kind} “{label}”", sorted(members)))
    return out


def duplicate_rows(prov: Province, c: _Ctx) -> list[Row]:
    prov.duplicates = duplicates(prov, c.same_block)
    rows = []
    names = {(u.block, u.code): u.name for u in prov.units}
    for what, members in prov.duplicates:
        where = []
        for bi, code in members:
            b = prov.blocks[bi]
            cell = b.unit_cells.get(code, "")
            where.append(f"{names.get((bi, code), code)} ({code}) ở {c.block_name(bi)} — tệp {b.file}" + (f", ô {cell}" if cell else ""))
        text = f"Đơn vị {what} có ở {len({m[0] for m in members})} khối: " + "; ".join(where)
        reason = f"Đơn vị {what} có ở nhiều khối: Ban TĐKT xác định đơn vị thuộc khối nào trước khi xét"
        keys = set(members)
        for p in prov.proposals:
            unit = (p.block, p.unit_code if p.subject == CN else p.code)
            if unit in keys and p.title in PROVINCE_TITLES:
                c.held[p.id].append(("T-07", reason))
        b0 = prov.blocks[members[0][0]]
        rows.append(Row("Đơn vị trùng", "T-07", CHO_QUYET_DINH, text, CITE["T-07"],
                        "Xác định đơn vị thuộc khối nào, bỏ đơn vị ở khối kia (hoặc đổi mã nếu là hai đơn vị khác nhau) rồi tổng hợp lại",
                        block=c.block_name(members[0][0]), file=b0.file, code=members[0][1], name=names.get(members[0], ""),
                        scope="Toàn tỉnh"))
    return rows


# ---------------------------------------------------------------------------------------
# T-08…T-12 the blocks' files


def match_expected(files: list[BlockFile], expected: list[Expected]) -> tuple[dict[int, int], list[Expected], list[tuple[int, int]]]:
    """(file index -> expected index, expected without a file, (first file, other file) pairs of
    one block: files matched to one line of the list, or, where the list does not name them (or
    there is no list), files whose Tên khối is the same)."""
    by_file = {norm(_stem(e.file)): k for k, e in enumerate(expected) if e.file}
    by_name = {norm(e.name): k for k, e in enumerate(expected)}
    matched: dict[int, int] = {}
    first: dict[tuple[str, Any], int] = {}
    twice: list[tuple[int, int]] = []
    for i, f in enumerate(files):
        if f.province_book:
            continue
        k = by_file.get(norm(_stem(f.file)))
        if k is None and f.block_name:
            k = by_name.get(norm(f.block_name))
        if k is not None:
            matched[i] = k
            key: tuple[str, Any] = ("list", k)
        elif f.block_name:
            key = ("name", norm(f.block_name))
        else:
            continue
        if key in first:
            twice.append((first[key], i))
        else:
            first[key] = i
    missing = [e for k, e in enumerate(expected) if ("list", k) not in first]
    return matched, missing, twice


def block_label(name: str) -> str:
    """“Khối Kinh tế” for a block named “Kinh tế”; a name that already says Khối or Cụm as is."""
    return name if fold(name).split(" ", 1)[0] in ("khoi", "cum") else f"Khối {name}"


def _stem(name: str) -> str:
    n = name.strip()
    for ext in (".xlsx", ".xlsm", ".xls", ".ods"):
        if n.lower().endswith(ext):
            return n[: -len(ext)]
    return n


def late_files(files: list[BlockFile], s: ProvinceSettings) -> dict[int, str]:
    """file index -> why it is late, by the settings' rule (the workbook's Ngày xét, or the file's date)."""
    if s.deadline is None:
        return {}
    out = {}
    for i, f in enumerate(files):
        if f.province_book:
            continue
        if s.late_by == "mtime":
            if f.mtime is not None and f.mtime.date() > s.deadline:
                out[i] = f"tệp sửa lần cuối ngày {_d(f.mtime)}, sau hạn {_d(s.deadline)}"
        elif f.round_date is not None and f.round_date > s.deadline:
            out[i] = f"Ngày xét ghi trong sổ tính là {_d(f.round_date)}, sau hạn {_d(s.deadline)}"
    return out


def files_rows(prov: Province, c: _Ctx) -> list[Row]:
    s = prov.settings
    files = prov.files
    matched, missing, twice = match_expected(files, prov.expected)
    prov.matched, prov.missing = matched, missing
    prov.late = late_files(files, s)
    rows = []
    for e in missing:
        rows.append(Row("Nộp sổ tính", "T-08", KHONG_DAT, f"{block_label(e.name)} ({e.code}) có trong Danh sách khối"
                        + (f" (tệp {e.file})" if e.file else "") + " nhưng không có sổ tính trong các tệp được tổng hợp",
                        CITE["T-08"], "Nhắc khối nộp sổ tính (hoặc ghi đúng tên tệp ở cột Tệp sổ tính) rồi tổng hợp lại",
                        block=e.name, scope=e.code))
    for i, why in sorted(prov.late.items()):
        f = files[i]
        rows.append(Row("Nộp sổ tính", "T-09", KHONG_DAT, f"{f.block_name or f.file}: {why} (xác định theo "
                        + ("ngày sửa tệp" if s.late_by == "mtime" else "Ngày xét trong sổ tính") + ")",
                        CITE["T-09"], "Ban TĐKT quyết định có nhận kết quả nộp muộn; kết quả của khối vẫn được tổng hợp",
                        block=f.block_name, file=f.file))
    for i, f in enumerate(files):
        if f.province_book:
            continue
        if not f.ok:
            errs = f.errors
            rows.append(Row("Nộp sổ tính", "T-10", KHONG_DAT, f"Tệp {f.file}: {len(errs)} lỗi"
                            + (f", đầu tiên: {errs[0].where()} — {errs[0].message}" if errs else ""),
                            CITE["T-10"], "Khối sửa các lỗi ở trang Lỗi các khối (hoặc chạy xlpy validate) rồi gửi lại",
                            block=f.block_name, file=f.file))
        if prov.expected and i not in matched and (f.ok or f.block_name):  # an unreadable file has no block to match
            rows.append(Row("Nộp sổ tính", "T-11", CHO_QUYET_DINH, f"Tệp {f.file} (khối “{f.block_name or '?'}”) không khớp khối nào "
                            "trong Danh sách khối (theo tên tệp hoặc Tên khối)", CITE["T-11"],
                            "Thêm khối vào Danh sách khối, hoặc sửa Tên khối/tên tệp cho khớp", block=f.block_name, file=f.file))
    if s.year:
        for i, f in enumerate(files):
            if not f.province_book and f.year and f.year != s.year:
                rows.append(Row("Nộp sổ tính", "T-13", KHONG_DAT, f"Tệp {f.file} (khối “{f.block_name or '?'}”) là sổ tính năm {f.year}, "
                                f"không phải năm {s.year} đang tổng hợp", CITE["T-13"],
                                "Kiểm tra lại tệp (có thể là sổ tính năm trước); kết quả của tệp vẫn được tổng hợp",
                                block=f.block_name, file=f.file))
    block_of = {id(f): k for k, f in enumerate(prov.blocks)}
    groups: dict[int, list[int]] = defaultdict(list)  # a block's first file -> its other files
    for a, b in twice:
        groups[a].append(b)
    for a, others in groups.items():
        name = prov.expected[matched[a]].name if a in matched else files[a].block_name
        read = [k for i in (a, *others) if (k := block_of.get(id(files[i]))) is not None]
        held = len(read) > 1  # consolidated more than once: the block's proposals wait until one file is kept
        for b in others:
            rows.append(Row("Nộp sổ tính", "T-12", KHONG_DAT, f"{block_label(name)}: hai tệp {files[a].file} và {files[b].file}"
                            + ("; các đề nghị cấp tỉnh của khối chờ đến khi còn một tệp, và số đơn vị của khối đang được tính "
                               f"{number_in_words(len(read)).lower()} lần" if held else ""),
                            CITE["T-12"], "Giữ một tệp (bản mới nhất) trong thư mục rồi tổng hợp lại", block=name, file=files[b].file))
        if held:
            why = (f"Khối có {len(read)} tệp ({', '.join(sorted(prov.blocks[k].file for k in read))}): "
                   "Ban TĐKT giữ một tệp rồi tổng hợp lại")
            c.same_block.update((k, read[0]) for k in read)
            for p in prov.proposals:
                if p.block in read and p.title in PROVINCE_TITLES:
                    c.held[p.id].append(("T-12", why))
    return rows
