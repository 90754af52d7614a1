"""The data every report template sees, built from the engine's results.

:func:`build_context` turns :meth:`xlpy.core.engine.BlockResult.to_dict` (plus
the block's settings and, when :mod:`xlpy.rules` provides them, the award
proposals with their verdicts and reward money) into plain dictionaries of
**pre-formatted Vietnamese strings**: templates never format numbers or dates
themselves, so Word and HTML show exactly the same "1.234,5".

The variables are documented in ``docs/mau-bao-cao.md``; :data:`SCHEMA` is the
machine-readable list that ``xlpy templates check`` compares templates with.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, Iterable, Mapping

from .. import vn
from ..schema.reports import SETTINGS_SPECS as REPORT_SETTINGS

PLACEHOLDER = "(Nội dung do đơn vị soạn thảo bổ sung.)"
PLACE_LABELS = {"Nhất": "Hạng Nhất", "Nhì": "Hạng Nhì", "Ba": "Hạng Ba"}
CHART_MARKER = "[[xlpy:bieu-do]]"

# Machine-readable schema: top-level name -> attributes (None = plain value or list of plain values).
UNIT_KEYS = (
    "stt rank code name role content bonus deduction total total_value place place_label class pct "
    "points points_by_code tie_note email proposal"
).split()
SCHEMA: dict[str, tuple[str, ...] | None] = {
    "doc": tuple("parent_body parent_body_upper issuing_body issuing_body_upper number symbol number_line place date date_short place_date".split()),
    "block": tuple("name name_upper round_label year period period_lower round_date round_date_short max_total n_units n_criteria leader deputy".split()),
    "criteria": tuple("stt code name group kind kind_label max_points avg best worst n_full".split()),
    "units": tuple(UNIT_KEYS),
    "unit": tuple(UNIT_KEYS),
    "top": tuple(UNIT_KEYS),
    "classes": tuple("name count pct units".split()),
    "ties": None,
    "stats": tuple("n_units avg_total best_total worst_total spread".split()),
    "proposals": tuple("stt rank unit_code unit_name person form verdict ok reasons money money_value money_words citation".split()),
    "units_by_code": None,
    "awards": tuple("available source n_proposed n_ok n_not_ok total_money total_money_words note".split()),
    "text": tuple("strengths limits directions".split()),
    "signer": tuple("authority title name".split()),
    "recipients": None,
    "chart": None,
    "chart_svg": None,
    "generated": None,
}


# ---- helpers ------------------------------------------------------------------------
def setting(settings: Mapping[str, Any] | None, attr: str) -> Any:
    """A report setting by attribute name, whether ``settings`` is keyed by the
    Vietnamese label (as :func:`xlpy.book.read.read_settings` stores it in
    ``Settings.extra``) or by attribute; falls back to the declared default."""
    spec = next(s for s in REPORT_SETTINGS if s.attr == attr)
    settings = settings or {}
    for key in (spec.key, attr):
        v = settings.get(key)
        if v is not None and v != "":
            return v
    return spec.default


def _text(v: Any) -> str:
    return vn.nfc(v).strip()


def _paragraphs(v: Any) -> list[str]:
    if v is None:
        return []
    if isinstance(v, (list, tuple)):
        items: Iterable[Any] = v
    else:
        items = re.split(r"\r?\n", vn.nfc(v))
    return [p for p in (_text(x) for x in items) if p]


def _list(v: Any) -> list[str]:
    if v is None or v == "":
        return []
    if isinstance(v, (list, tuple)):
        return [t for t in (_text(x) for x in v) if t]
    return [t for t in (_text(x) for x in re.split(r"[;\n]", vn.nfc(v))) if t]


def _as_float(v: Any) -> float | None:
    try:
        f = float(v)
    except (TypeError, ValueError):
        return None
    return None if f != f else f


KIND_LABELS = {
    "points": "Điểm",
    "ratio": "Tỷ lệ",
    "target": "Chỉ tiêu",
    "count": "Số lần",
    "band": "Bậc thưởng",
    "bonus": "Điểm thưởng",
    "deduction": "Điểm trừ",
}


# ---- the builder --------------------------------------------------------------------
def build_context(
    result: Mapping[str, Any] | Any,
    settings: Mapping[str, Any] | None = None,
    *,
    units_info: Mapping[str, Mapping[str, Any]] | None = None,
    proposals: Iterable[Mapping[str, Any]] | None = None,
    proposals_source: str = "",
    money_total: int | None = None,
    today: dt.date | None = None,
) -> dict[str, Any]:
    """Template context for one block.

    ``result`` is a :class:`~xlpy.core.engine.BlockResult` or its ``to_dict()``;
    ``settings`` the report settings (``Settings.extra``, keyed by the Vietnamese
    label or the attribute); ``units_info`` optional per-unit extras by code
    (``role``, ``email``); ``proposals`` the award proposals with verdicts (see
    :func:`normalise_proposals`), ``None`` when the rules were not checked.
    """
    if not isinstance(result, Mapping):
        if units_info is None and hasattr(result, "block"):
            units_info = {u.code: {"role": u.role, "email": u.email} for u in result.block.units}
        if settings is None and hasattr(result, "block"):
            settings = dict(result.block.settings.extra)
        result = result.to_dict()
    units_info = units_info or {}
    b = result.get("block", {}) or {}
    decimals = int(b.get("decimals") or 2)
    num = lambda v: vn.fmt_number(v, decimals)  # noqa: E731
    max_total = _as_float(b.get("max_total"))

    # ---- document header ---------------------------------------------------------
    block_name = _text(b.get("name")) or "Khối thi đua"
    period = _text(b.get("period")) or "Tổng kết năm"
    round_date = b.get("round_date")
    report_date = setting(settings, "report_date") or round_date
    parent = _text(setting(settings, "parent_body"))
    issuing = _text(setting(settings, "issuing_body")) or block_name
    number = _text(setting(settings, "doc_number"))
    symbol = _text(setting(settings, "doc_symbol"))
    number_line = "Số: " + (number if number else "\u00a0" * 6) + (f"/{symbol}" if symbol else "")
    place = _text(setting(settings, "place"))
    doc = {
        "parent_body": parent,
        "parent_body_upper": vn.upper_vi(parent),
        "issuing_body": issuing,
        "issuing_body_upper": vn.upper_vi(issuing),
        "number": number,
        "symbol": symbol,
        "number_line": number_line,
        "place": place,
        "date": vn.fmt_date(report_date),
        "date_short": vn.fmt_date_short(report_date),
        "place_date": vn.fmt_place_date(place, report_date),
    }

    # ---- criteria and units --------------------------------------------------------
    criteria_in = list(result.get("criteria") or [])
    units_in = list(result.get("units") or [])
    criteria = []
    for i, c in enumerate(criteria_in, start=1):
        vals = [_as_float((u.get("points") or {}).get(c["code"])) for u in units_in]
        vals = [v for v in vals if v is not None]
        cmax = _as_float(c.get("max_points"))
        criteria.append(
            {
                "stt": i,
                "code": _text(c.get("code")),
                "name": _text(c.get("name")),
                "group": _text(c.get("group")),
                "kind": c.get("kind") or "",
                "kind_label": KIND_LABELS.get(c.get("kind") or "", ""),
                "max_points": num(cmax),
                "avg": num(sum(vals) / len(vals)) if vals else "",
                "best": num(max(vals)) if vals else "",
                "worst": num(min(vals)) if vals else "",
                "n_full": sum(1 for v in vals if cmax is not None and abs(v - cmax) < 1e-9),
            }
        )

    if proposals is not None:
        props = normalise_proposals(proposals, units_in)
    else:  # rules not checked: list the placed units, marked as not yet checked
        props = normalise_proposals(
            [{"unit_code": u.get("code"), "verdict": "Chưa kiểm tra tiêu chuẩn", "ok": False} for u in units_in if u.get("place")],
            units_in,
        )
    by_unit_prop = {}
    for p in props:
        if not p["person"]:
            by_unit_prop.setdefault(p["unit_code"], p)

    units = []
    for i, u in enumerate(units_in, start=1):
        code = _text(u.get("code"))
        info = units_info.get(code, {}) or {}
        pts = u.get("points") or {}
        total = _as_float(u.get("total"))
        tie = u.get("tie") or {}
        units.append(
            {
                "stt": i,
                "rank": int(u.get("rank") or i),
                "code": code,
                "name": _text(u.get("name")),
                "role": _text(info.get("role")),
                "email": _text(info.get("email")),
                "content": num(u.get("content")),
                "bonus": num(u.get("bonus")),
                "deduction": num(u.get("deduction")),
                "total": num(total),
                "total_value": total if total is not None else 0.0,
                "place": _text(u.get("place")),
                "place_label": PLACE_LABELS.get(_text(u.get("place")), ""),
                "class": _text(u.get("class")),
                "pct": vn.fmt_percent(total / max_total, 1) if total is not None and max_total else "",
                "points": [num(pts.get(c["code"])) for c in criteria_in],
                "points_by_code": {c["code"]: num(pts.get(c["code"])) for c in criteria_in},
                "tie_note": _tie_note(tie, units_in),
                "proposal": by_unit_prop.get(code),
            }
        )

    classes: dict[str, list[str]] = {}
    for u in units:
        classes.setdefault(u["class"] or "Chưa xếp loại", []).append(u["name"])
    n = len(units)
    class_rows = [
        {"name": k, "count": len(v), "pct": vn.fmt_percent(len(v) / n, 1) if n else "", "units": "; ".join(v)}
        for k, v in classes.items()
    ]
    totals = [u["total_value"] for u in units if u["total"]]
    stats = {
        "n_units": n,
        "avg_total": num(sum(totals) / len(totals)) if totals else "",
        "best_total": num(max(totals)) if totals else "",
        "worst_total": num(min(totals)) if totals else "",
        "spread": num(max(totals) - min(totals)) if totals else "",
    }

    leader = next((u["name"] for u in units if u["role"].lower() == "khối trưởng"), "")
    deputy = next((u["name"] for u in units if u["role"].lower() == "khối phó"), "")
    year = b.get("year")
    period_lower = period[:1].lower() + period[1:]
    if year and period_lower.endswith("năm"):
        round_label = f"{period_lower} {year}"  # tổng kết năm 2025
    elif year and "tháng" in period_lower and "năm" not in period_lower:
        round_label = f"{period_lower} đầu năm {year}"  # sơ kết 6 tháng đầu năm 2025
    else:
        round_label = f"{period_lower} năm {year}" if year else period_lower
    block = {
        "name": block_name,
        "round_label": round_label,
        "name_upper": vn.upper_vi(block_name),
        "year": str(year) if year else "…",
        "period": period,
        "period_lower": period_lower,
        "round_date": vn.fmt_date(round_date),
        "round_date_short": vn.fmt_date_short(round_date),
        "max_total": num(max_total),
        "n_units": n,
        "n_criteria": len(criteria),
        "leader": leader,
        "deputy": deputy,
    }

    money = [p["money_value"] for p in props if p["ok"] and p["money_value"]]
    total_money = sum(money)
    if money_total:  # the rules' own total (its rounding) wins
        money, total_money = [int(money_total)], int(money_total)
    awards = {
        "available": proposals is not None,
        "source": proposals_source,
        "n_proposed": len(props),
        "n_ok": sum(1 for p in props if p["ok"]),
        "n_not_ok": sum(1 for p in props if not p["ok"]) if proposals is not None else 0,
        "total_money": vn.fmt_money(total_money) if money else "",
        "total_money_words": vn.amount_in_words(total_money) if money else "",
        "note": "" if proposals is not None else "Chưa có kết quả kiểm tra tiêu chuẩn, tỷ lệ khen thưởng (nhập trang đề nghị khen thưởng và chạy “Kiểm tra khen thưởng” trước khi lập báo cáo).",
    }

    recipients = _list(setting(settings, "recipients"))
    recipients = [r.rstrip(" ;.") for r in recipients if not r.lower().startswith("lưu")]
    recipients.append("Lưu: VT")

    return {
        "doc": doc,
        "block": block,
        "criteria": criteria,
        "units": units,
        "unit": units[0] if units else _empty_unit(),
        "units_by_code": {u["code"]: u for u in units},
        "top": [u for u in units if u["place"]],
        "classes": class_rows,
        "ties": [t for t in (_tie_group_note(t, units_in, num) for t in result.get("ties") or []) if t],
        "stats": stats,
        "proposals": props,
        "awards": awards,
        "text": {
            "strengths": _paragraphs(setting(settings, "strengths")) or [PLACEHOLDER],
            "limits": _paragraphs(setting(settings, "limits")) or [PLACEHOLDER],
            "directions": _paragraphs(setting(settings, "directions")) or [PLACEHOLDER],
        },
        "signer": {
            "authority": vn.upper_vi(setting(settings, "signer_authority")),
            "title": vn.upper_vi(setting(settings, "signer_title")),
            "name": _text(setting(settings, "signer_name")),
        },
        "recipients": recipients,
        "chart": CHART_MARKER if units else "",
        "chart_svg": "",
        "generated": vn.fmt_date(today or dt.date.today()),
    }


def unit_context(ctx: Mapping[str, Any], unit: Mapping[str, Any]) -> dict[str, Any]:
    """The context of one unit's result notice: the block's, with ``unit`` set."""
    out = dict(ctx)
    out["unit"] = unit
    return out


def _empty_unit() -> dict[str, Any]:
    return {k: "" for k in UNIT_KEYS} | {"points": [], "points_by_code": {}, "proposal": None, "stt": 0, "rank": 0}


def _names(codes: Iterable[str], units_in: list[Mapping[str, Any]]) -> str:
    names = {u.get("code"): _text(u.get("name")) for u in units_in}
    return ", ".join(names.get(c, c) for c in codes)


def _tie_note(tie: Mapping[str, Any], units_in: list[Mapping[str, Any]]) -> str:
    with_ = list(tie.get("tied_with") or [])
    if not with_:
        return ""
    note = f"Bằng điểm với {_names(with_, units_in)}"
    if tie.get("unresolved"):
        return note + "; chưa phân định được thứ hạng"
    if tie.get("broken_by"):
        return note + f"; phân định theo {_tie_key(tie['broken_by'])}"
    return note


def _tie_key(key: str) -> str:
    return {"TY_LE_NU": "tỷ lệ nữ", "PHIEU_BAU": "số phiếu bầu"}.get(key, f"tiêu chí {key}")


def _tie_group_note(t: Mapping[str, Any], units_in: list[Mapping[str, Any]], num) -> str:
    units = list(t.get("units") or [])
    if len(units) < 2:
        return ""
    text = f"{_names(units, units_in)} cùng đạt {num(t.get('total'))} điểm"
    if t.get("broken_by"):
        text += "; đã phân định theo " + ", ".join(_tie_key(k) for k in t["broken_by"])
    for sub in t.get("unresolved") or []:
        if sorted(sub) == sorted(units):
            text += "; chưa phân định được thứ hạng, đề nghị Hội đồng bỏ phiếu"
        else:
            text += f"; {_names(sub, units_in)} vẫn bằng nhau, đề nghị Hội đồng bỏ phiếu"
    return text + "."


# ---- award proposals ----------------------------------------------------------------
def normalise_proposals(items: Iterable[Mapping[str, Any]] | None, units_in: list[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Award proposals to the shape templates use.

    Each item may give: ``unit_code`` (or ``code``), ``unit_name``, ``form``
    (hình thức, e.g. "Cờ thi đua của UBND tỉnh"), ``ok`` (bool; or ``verdict``
    text), ``reasons`` (list or text), ``money`` (đồng), ``citation``.
    """
    if not items:
        return []
    ranks = {u.get("code"): u.get("rank") for u in units_in}
    names = {u.get("code"): _text(u.get("name")) for u in units_in}
    out = []
    for i, p in enumerate(items, start=1):
        code = _text(p.get("unit_code") or p.get("code"))
        ok = p.get("ok")
        verdict = _text(p.get("verdict"))
        if ok is None:
            ok = verdict.lower() in ("đạt", "đủ điều kiện", "ok", "true")
        ok = bool(ok)
        reasons = p.get("reasons") or []
        reasons_txt = "; ".join(_list(reasons)) if isinstance(reasons, (list, tuple)) else _text(reasons)
        money = _as_float(p.get("money"))
        money_i = int(round(money)) if money else 0
        out.append(
            {
                "stt": i,
                "rank": p.get("rank") or ("" if p.get("person") else ranks.get(code)) or "",
                "person": bool(p.get("person")),
                "unit_code": code,
                "unit_name": _text(p.get("unit_name")) or names.get(code, code),
                "form": _text(p.get("form")),
                "verdict": verdict or ("Đủ điều kiện" if ok else "Chưa đủ điều kiện"),
                "ok": ok,
                "reasons": reasons_txt,
                "money": vn.fmt_money(money_i) if money_i else "",
                "money_value": money_i,
                "money_words": vn.amount_in_words(money_i) if money_i else "",
                "citation": _text(p.get("citation")),
            }
        )
    return out


def proposals_from_check(check: Any) -> tuple[list[dict[str, Any]] | None, str, int | None]:
    """Proposals, source text and money total from an :mod:`xlpy.rules` check.

    ``check`` is a ``CheckReport`` (or its ``to_dict()``), or ``None`` when the
    rules were not checked: then ``(None, "", None)`` and the report says so.
    """
    if check is None:
        return None, "", None
    d = check.to_dict() if hasattr(check, "to_dict") else dict(check)
    out = []
    for c in d.get("candidates") or []:
        verdict = _text(c.get("verdict"))
        ok = verdict.lower() == "đạt"
        person = c.get("subject") == "CN"
        name = _text(c.get("name")) or _text(c.get("code"))
        reasons = [] if ok else [x for x in (_text(c.get("numbers")), _text(c.get("fix"))) if x]
        out.append(
            {
                "unit_code": _text(c.get("unit") if person else c.get("code")),
                "unit_name": f"{name} ({_text(c.get('unit'))})" if person and c.get("unit") else name,
                "form": _text(c.get("title_name") or c.get("title")),
                "ok": ok,
                "person": person,
                "verdict": verdict[:1].upper() + verdict[1:],
                "reasons": reasons,
                "money": c.get("amount") if ok else None,
                "citation": _text(c.get("citation")),
            }
        )
    rs = d.get("rule_set") or {}
    money = (d.get("money") or {}).get("total")
    return out, _text(rs.get("name")), int(money) if money else None
