"""Who leads the block next year: the block's declared rotation rule, as a pure function.

Three rules (setting “Luân phiên Khối trưởng”, :data:`xlpy.schema.year.ROTATION_CHOICES`;
the provincial quy chế decides which, reference §3.3 item 5, unverified per province):

* **elected** (Bầu tại hội nghị tổng kết): the officer types next year's leader and
  deputy (settings “Khối trưởng năm sau”, “Khối phó năm sau”);
* **deputy** (Khối phó lên Khối trưởng): this year's deputy leads; the unit after it
  in the declared order (“Thứ tự luân phiên”) becomes deputy;
* **order** (Theo thứ tự luân phiên): the unit after this year's leader in the order
  leads, and the one after that is deputy.

The order is cyclic.  Nothing is taken from the order of rows in a sheet: a rule that
needs an order without one declared is an error that says what to type.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from ..core.problems import Problems
from ..features import setting
from ..schema import core as S
from ..schema import year as Y
from ..schema.base import norm

LEADER, DEPUTY_ROLE, MEMBER = "Khối trưởng", "Khối phó", "Thành viên"


@dataclass(frozen=True)
class Member:
    code: str
    name: str
    role: str = ""
    cell: str = ""  # the role cell ("C3") for messages


@dataclass(frozen=True)
class Rotation:
    rule: str  # schema.year.ELECTED / DEPUTY / ORDER
    leader: str | None  # this year's (unit code)
    deputy: str | None
    next_leader: str
    next_deputy: str | None
    how: str  # one Vietnamese sentence saying why

    def role(self, code: str, current: str = "") -> str:
        """A unit's role next year (a unit that was neither keeps what was typed)."""
        if code == self.next_leader:
            return LEADER
        if code == self.next_deputy:
            return DEPUTY_ROLE
        if norm(current) in (norm(LEADER), norm(DEPUTY_ROLE)):
            return MEMBER
        return current


@dataclass(frozen=True)
class Cells:
    """Where the settings are (for messages): ``Cài đặt!B40`` …"""

    rule: str = ""
    order: str = ""
    leader: str = ""
    deputy: str = ""


def rule_label(rule: str) -> str:
    return next(k for k, v in Y.ROTATION_CHOICES.items() if v == rule)


def rotate(rule: str, members: Sequence[Member], order: Sequence[str] = (), elected: tuple[str | None, str | None] = (None, None),
           problems: Problems | None = None, cells: Cells = Cells()) -> Rotation | None:
    """Next year's leader and deputy under ``rule``; None (with problems) when it cannot be decided."""
    p = problems if problems is not None else Problems()
    before = p.error_count
    by_code = {norm(m.code): m for m in members}
    names = {m.code: m.name for m in members}
    leaders = [m for m in members if norm(m.role) == norm(LEADER)]
    deputies = [m for m in members if norm(m.role) == norm(DEPUTY_ROLE)]
    leader = leaders[0].code if len(leaders) == 1 else None
    deputy = deputies[0].code if len(deputies) == 1 else None
    label = rule_label(rule)

    def who(code: str | None) -> str:
        return f"{names.get(code, code)} ({code})" if code else "(không có)"

    if rule == Y.ELECTED:
        nl = _elected(elected[0], setting("next_leader").key, cells.leader, members, p, required=True)
        nd = _elected(elected[1], setting("next_deputy").key, cells.deputy, members, p, required=False)
        if nl and nd and nl == nd:
            p.add("rotation_elected", S.SETTINGS, cells.deputy, nd, "một đơn vị khác Khối trưởng năm sau",
                  f"Ô {cells.deputy}: Khối phó năm sau trùng Khối trưởng năm sau ({nd}).")
        if p.error_count > before or nl is None:
            return None
        return Rotation(rule, leader, deputy, nl, nd, f"Bầu tại hội nghị tổng kết: {who(nl)} làm Khối trưởng"
                        + (f", {who(nd)} làm Khối phó." if nd else "; chưa có Khối phó."))

    for attr, cell, value in (("next_leader", cells.leader, elected[0]), ("next_deputy", cells.deputy, elected[1])):
        attr = setting(attr).key
        if value:
            p.warn("setting_ignored", S.SETTINGS, cell, value, f"để trống (cách luân phiên: {label})",
                   f"Ô {cell}: “{attr}” chỉ dùng khi Luân phiên Khối trưởng là “{rule_label(Y.ELECTED)}”; đang chọn “{label}” "
                   "nên được bỏ qua.")
    seq = _order(order, by_code, cells.order, label, p)
    if seq is None:
        return None

    def place(code: str | None, found: list[Member], role: str) -> int | None:
        """Where this year's ``role`` stands in the declared order (None: said why)."""
        if code is None:
            _role_problem(found, role, label, members, p)
            return None
        if code not in seq:
            p.add("rotation_order", S.SETTINGS, cells.order, code, f"mã {role} {code} trong Thứ tự luân phiên",
                  f"Ô {cells.order}: {role} năm nay ({who(code)}) không có trong Thứ tự luân phiên; không biết ai kế tiếp.")
            return None
        return seq.index(code)

    if rule == Y.DEPUTY:
        i = place(deputy, deputies, DEPUTY_ROLE)
        if i is None:
            return None
        nd = seq[(i + 1) % len(seq)] if len(seq) > 1 else None
        how = (f"Khối phó lên Khối trưởng: {who(deputy)} làm Khối trưởng; "
               + (f"đơn vị kế tiếp trong Thứ tự luân phiên, {who(nd)}, làm Khối phó." if nd else "không còn đơn vị nào làm Khối phó."))
        _unlisted(members, seq, cells.order, p)
        return Rotation(rule, leader, deputy, deputy, nd, how)
    # Y.ORDER
    i = place(leader, leaders, LEADER)
    if i is None:
        return None
    nl = seq[(i + 1) % len(seq)]
    nd = seq[(i + 2) % len(seq)]
    nd = None if nd == nl else nd
    _unlisted(members, seq, cells.order, p)
    return Rotation(rule, leader, deputy, nl, nd, f"Theo thứ tự luân phiên: sau {who(leader)} là {who(nl)} làm Khối trưởng"
                    + (f", {who(nd)} làm Khối phó." if nd else "."))


def _elected(value: str | None, what: str, cell: str, members: Sequence[Member], p: Problems, *, required: bool) -> str | None:
    if not value:
        if required:
            p.add("rotation_elected", S.SETTINGS, cell, None, "mã đơn vị được bầu",
                  f"Ô {cell}: chưa ghi {what}. Ghi mã đơn vị được bầu tại hội nghị tổng kết (ví dụ {members[0].code if members else 'SNV'}), "
                  "hoặc chọn cách khác ở “Luân phiên Khối trưởng”.")
        else:
            p.warn("rotation_elected", S.SETTINGS, cell, None, "mã đơn vị được bầu",
                   f"Ô {cell}: chưa ghi {what}: sổ năm sau không có {what.replace(' năm sau', '')}.")
        return None
    for m in members:
        if norm(m.code) == norm(value) or norm(m.name) == norm(value):
            return m.code
    p.add("rotation_elected", S.SETTINGS, cell, value, "mã một đơn vị ở trang Đơn vị",
          f"Ô {cell}: “{value}” không phải mã (hay tên) đơn vị nào của khối. Ghi mã đơn vị ở trang Đơn vị.")
    return None


def _order(order: Sequence[str], by_code: dict, cell: str, label: str, p: Problems) -> list[str] | None:
    if not order:
        example = "; ".join(m.code for m in list(by_code.values())[:4])
        p.add("rotation_order", S.SETTINGS, cell, "(trống)", "mã các đơn vị theo thứ tự luân phiên",
              f"Ô {cell}: cách luân phiên “{label}” cần Thứ tự luân phiên. Ghi mã các đơn vị theo thứ tự làm Khối trưởng, "
              f"cách nhau bằng dấu ; (ví dụ {example}); xlpy không lấy thứ tự các dòng ở trang Đơn vị thay vào.")
        return None
    seq: list[str] = []
    bad = False
    for code in order:
        m = by_code.get(norm(code))
        if m is None:
            p.add("rotation_order", S.SETTINGS, cell, code, "mã một đơn vị ở trang Đơn vị",
                  f"Ô {cell}: “{code}” trong Thứ tự luân phiên không phải mã đơn vị nào của khối.")
            bad = True
        elif m.code in seq:
            p.add("rotation_order", S.SETTINGS, cell, code, "mỗi đơn vị một lần",
                  f"Ô {cell}: “{m.code}” xuất hiện hai lần trong Thứ tự luân phiên.")
            bad = True
        else:
            seq.append(m.code)
    return None if bad else seq


def _unlisted(members: Sequence[Member], seq: list[str], cell: str, p: Problems) -> None:
    missing = [m.code for m in members if m.code not in seq]
    if missing:
        p.warn("rotation_order", S.SETTINGS, cell, ", ".join(missing), "mọi đơn vị trong Thứ tự luân phiên",
               f"Ô {cell}: {', '.join(missing)} không có trong Thứ tự luân phiên nên không bao giờ đến lượt làm Khối trưởng, "
               "Khối phó. Thêm vào nếu quy chế của khối không loại trừ.")


def _role_problem(found: list[Member], role: str, label: str, members: Sequence[Member], p: Problems) -> None:
    if not found:
        p.add("rotation_role", S.UNITS, "C2", "(không có)", f"một đơn vị có Vai trò “{role}”",
              f"Trang Đơn vị chưa có đơn vị nào là {role} năm nay: cách luân phiên “{label}” cần biết {role} hiện tại. "
              f"Ghi “{role}” ở cột Vai trò.")
    else:
        cells = ", ".join(m.cell for m in found)
        p.add("rotation_role", S.UNITS, found[1].cell, ", ".join(m.code for m in found), f"một {role}",
              f"Trang Đơn vị có {len(found)} {role} ({cells}); chỉ một đơn vị giữ vai trò này.")


__all__ = ["Cells", "Member", "Rotation", "rotate", "rule_label", "LEADER", "DEPUTY_ROLE", "MEMBER"]
