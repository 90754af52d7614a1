"""The data every report template sees, built from the engine's results.

:func:`build_context` turns :meth:`xlpy.core.engine.BlockResult.to_dict` (plus
the block's settings and, when :mod:`xlpy.rules` provides them, the award
proposals with their verdicts and reward money) into plain dictionaries of
**pre-formatted Vietnamese strings**: templates never format numbers or dates
themselves, so Word and HTML show exactly the same "1.234,5".

What an officer signs says only what the block decides: ``proposals`` (and
``proposals_tt``/``proposals_cn``) hold the proposals that passed the check;
those that did not (không đạt, vượt tỷ lệ, chờ quyết định) are in
``ineligible``, which only the internal list "Không đủ điều kiện" shows, each
with short sentences saying why.  Nothing from the checker reaches a document
raw: verification labels ("[đã xác minh]"…) are stripped, and the legal basis
("Căn cứ …") is the rule set's own laws and decrees plus the province's texts
typed in the settings, never a rule's sample citation of another province.

Each document has its own header (``docs.report`` BC, ``docs.proposal`` TTr,
``docs.notice`` TB); :func:`xlpy.reports.render.render_block` sets ``doc`` to
the one of the document being rendered.  A missing place, signer or number
shows a visible placeholder and is listed in ``warnings``.

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
PLACE_PLACEHOLDER = "(Chưa ghi địa danh)"
SIGNER_PLACEHOLDER = "(Họ và tên người ký)"
NUMBER_PLACEHOLDER = "……"  # "Số: ……/BC-KTĐ": visible, written by hand when registered
PLACE_LABELS = {"Nhất": "Hạng Nhất", "Nhì": "Hạng Nhì", "Ba": "Hạng Ba"}
CHART_MARKER = "[[xlpy:bieu-do]]"
SUBJECT_LABELS = {"TT": "Tập thể", "CN": "Cá nhân"}
STATUS_LABELS = {"đạt": "Đạt", "không đạt": "Không đạt", "vượt tỷ lệ": "Vượt tỷ lệ", "chờ quyết định": "Chờ quyết định"}

# Machine-readable schema: top-level name -> attributes (None = plain value, list of plain values or mapping).
UNIT_KEYS = (
    "stt rank code name role content bonus deduction total total_value place place_label class pct "
    "points points_by_code tie_note email proposal proposals notice_number"
).split()
PROPOSAL_KEYS = (
    "stt rank code subject subject_label person name person_name unit_code unit_name form status verdict ok pending "
    "reasons reasons_list facts total class money money_number money_value money_words citation"
).split()
DOC_KEYS = (
    "key kind kind_upper parent_body parent_body_upper issuing_body issuing_body_upper number symbol number_line "
    "place date date_short place_date ref addressee recipients"
).split()
SCHEMA: dict[str, tuple[str, ...] | None] = {
    "doc": tuple(DOC_KEYS),
    "docs": None,
    "block": tuple("name name_upper round_label year period period_lower round_date round_date_short max_total n_units n_criteria leader deputy".split()),
    "criteria": tuple("stt code name group kind kind_label max_points avg best worst n_full".split()),
    "units": tuple(UNIT_KEYS),
    "unit": tuple(UNIT_KEYS),
    "top": tuple(UNIT_KEYS),
    "classes": tuple("name count pct units".split()),
    "ties": None,
    "stats": tuple("n_units avg_total best_total worst_total spread".split()),
    "proposals": tuple(PROPOSAL_KEYS),
    "proposals_tt": tuple(PROPOSAL_KEYS),
    "proposals_cn": tuple(PROPOSAL_KEYS),
    "ineligible": tuple(PROPOSAL_KEYS),
    "units_by_code": None,
    "awards": tuple(
        "available source n_proposed n_ok n_ok_tt n_ok_cn n_tt n_cn n_not_ok n_over n_pending n_ineligible "
        "total_money total_money_number total_money_words money_tt money_cn by_form by_subject summary note".split()
    ),
    "basis": tuple("national province texts joined".split()),
    "registration": tuple(
        "available units n_units n_registered n_signed not_registered not_signed signed_date summary "
        "n_people people_titles people_summary".split()
    ),
    "text": tuple("strengths limits directions".split()),
    "signer": tuple("authority title name".split()),
    "recipients": None,
    "warnings": tuple("setting message placeholder".split()),
    "chart": None,
    "chart_svg": None,
    "generated": None,
}


# ---- helpers ------------------------------------------------------------------------
def _spec(attr: str):
    return next(s for s in REPORT_SETTINGS if s.attr == attr)


def setting(settings: Mapping[str, Any] | None, attr: str) -> Any:
    """A report setting by attribute name, whether ``settings`` is keyed by the
    Vietnamese label (as :func:`xlpy.book.read.read_settings` stores it in
    ``Settings.extra``) or by attribute; falls back to the declared default."""
    spec = _spec(attr)
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


def _sentence(text: str) -> str:
    """Capitalised, one final full stop."""
    t = text.strip().rstrip(" ;,.")
    return (t[:1].upper() + t[1:] + ".") if t else ""


# Verification labels the rule sets attach to citations: never in a document.
_LABELS = re.compile(r"\s*\[(?:đã xác minh|chưa xác minh|xác minh qua nguồn thứ cấp|V|V-2nd|UNVERIFIED)\]", re.I)
# The checker's per-condition marks in its raw "numbers" text.
_MARKS = re.compile(r"\s*\((?:chưa đạt|đạt)\)")


def strip_labels(text: Any) -> str:
    """Text without verification labels.

    >>> strip_labels("Điều 27 Luật Thi đua, khen thưởng số 06/2022/QH15 [đã xác minh]")
    'Điều 27 Luật Thi đua, khen thưởng số 06/2022/QH15'
    """
    return re.sub(r"\s{2,}", " ", _LABELS.sub("", vn.nfc(text))).strip()


KIND_LABELS = {
    "points": "Điểm",
    "ratio": "Tỷ lệ",
    "target": "Chỉ tiêu",
    "count": "Số lần",
    "band": "Bậc thưởng",
    "bonus": "Điểm thưởng",
    "deduction": "Điểm trừ",
}


# ---- legal basis ----------------------------------------------------------------------
_DOC_TYPES = ("Luật", "Bộ luật", "Nghị định", "Nghị quyết", "Thông tư", "Quyết định", "Chỉ thị", "Pháp lệnh")
_DOC_NUMBER = re.compile(r"\d+/\d{4}/[A-ZĐ0-9]+(?:-[A-ZĐ0-9]+)*")
_ABBREVIATIONS = (("Luật TĐKT", "Luật Thi đua, khen thưởng"), ("NĐ-CP", "NĐ-CP"))


def legal_text(text: Any) -> str:
    """A legal text's name as a document cites it: no verification label, no
    remark in parentheses, "số" before the number (Nghị định 30/2020/NĐ-CP).

    >>> legal_text("Nghị định 152/2025/NĐ-CP [đã xác minh]")
    'Nghị định số 152/2025/NĐ-CP'
    >>> legal_text("Luật TĐKT 06/2022/QH15")
    'Luật Thi đua, khen thưởng số 06/2022/QH15'
    """
    t = strip_labels(text)
    t = re.sub(r"\s*\([^()]*\)", "", t).strip().rstrip(" ;.")
    for short, full in _ABBREVIATIONS:
        if t.startswith(short + " "):
            t = full + t[len(short):]
    m = _DOC_NUMBER.search(t)
    if m and t.startswith(_DOC_TYPES) and not re.search(r"\bsố\s*$", t[: m.start()]):
        t = t[: m.start()].rstrip() + " số " + t[m.start():]
    return re.sub(r"\s{2,}", " ", t)


def rule_set_texts(name: Any, sources: Iterable[Any] = ()) -> list[str]:
    """The laws and decrees a rule set is named after ("Luật TĐKT 06/2022/QH15 và
    Nghị định 152/2025/NĐ-CP"), each with its full name when one of the set's
    rules cites it by that number.  A rule's other sources (another province's
    decision, a ministry's circular) are not the set's basis and are left out.
    """
    out: list[str] = []
    cleaned = [legal_text(s) for s in sources if _text(s)]
    for part in re.split(r"\s+và\s+|;", _text(name)):
        part = part.strip()
        if not part.startswith(_DOC_TYPES):
            continue
        m = _DOC_NUMBER.search(part)
        best = legal_text(part)
        if m:
            same = [s for s in cleaned if m.group(0) in s and s.startswith(_DOC_TYPES) and len(s) >= len(best)]
            if same:
                best = min(same, key=len)
        if best and best not in out:
            out.append(best)
    return out


def _basis(national: Iterable[str], province: Iterable[str]) -> dict[str, Any]:
    nat = [legal_text(t) for t in national if _text(t)]
    prov = [strip_labels(t).rstrip(" ;.") for t in province if _text(t)]
    texts = [t for t in nat + prov if t]
    return {"national": nat, "province": prov, "texts": texts, "joined": vn.join_vi(texts)}


# ---- the builder --------------------------------------------------------------------
def build_context(
    result: Mapping[str, Any] | Any,
    settings: Mapping[str, Any] | None = None,
    *,
    units_info: Mapping[str, Mapping[str, Any]] | None = None,
    proposals: Iterable[Mapping[str, Any]] | None = None,
    proposals_source: str = "",
    money_total: int | None = None,
    legal_texts: Iterable[str] | None = None,
    registration: Mapping[str, Any] | None = None,
    today: dt.date | None = None,
) -> dict[str, Any]:
    """Template context for one block.

    ``result`` is a :class:`~xlpy.core.engine.BlockResult` or its ``to_dict()``;
    ``settings`` the report settings (``Settings.extra``, keyed by the Vietnamese
    label or the attribute); ``units_info`` optional per-unit extras by code
    (``role``, ``email``); ``proposals`` the award proposals with verdicts (see
    :func:`normalise_proposals`), ``None`` when the rules were not checked;
    ``legal_texts`` the rule set's laws and decrees (see :func:`awards_from_check`);
    ``registration`` who registered and who signed the pledge at the start of the year
    (:func:`xlpy.year.registration.report_context`; ``None``: not shown).
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
    warnings: list[dict[str, str]] = []

    def warn(attr: str, placeholder: str, what: str, problem: str = "chưa có") -> None:
        key = _spec(attr).key
        warnings.append(
            {
                "setting": key,
                "placeholder": placeholder,
                "message": f"Cài đặt: {key} {problem}. {what} Nhập “{key}” ở trang Cài đặt rồi lập lại báo cáo.",
            }
        )

    # ---- document headers ----------------------------------------------------------
    block_name = _text(b.get("name")) or "Khối thi đua"
    period = _text(b.get("period")) or "Tổng kết năm"
    round_date = b.get("round_date")
    report_date = setting(settings, "report_date") or round_date
    if not report_date:
        warn("report_date", "ngày … tháng … năm …", "Ngày xét cũng trống: văn bản ghi “ngày … tháng … năm …”.")
    parent = _text(setting(settings, "parent_body"))
    issuing = _text(setting(settings, "issuing_body")) or block_name
    place = _text(setting(settings, "place"))
    if not place:
        warn("place", PLACE_PLACEHOLDER, f"Dòng ngày tháng ghi “{PLACE_PLACEHOLDER}, …”.")
    place_shown = place or PLACE_PLACEHOLDER

    def header(key: str, kind: str, number: str, symbol: str, recipients: list[str], addressee: str = "") -> dict[str, Any]:
        shown = number or NUMBER_PLACEHOLDER
        slash = f"/{symbol}" if symbol else ""
        return {
            "key": key,
            "kind": kind,
            "kind_upper": vn.upper_vi(kind),
            "parent_body": parent,
            "parent_body_upper": vn.upper_vi(parent),
            "issuing_body": issuing,
            "issuing_body_upper": vn.upper_vi(issuing),
            "number": number,
            "symbol": symbol,
            "number_line": f"Số: {shown}{slash}",
            "place": place_shown,
            "date": vn.fmt_date(report_date),
            "date_short": vn.fmt_date_short(report_date),
            "place_date": vn.fmt_place_date(place_shown, report_date),
            "ref": f"{kind} số {shown}{slash} {vn.fmt_date(report_date)}",
            "addressee": addressee,
            "recipients": recipients,
        }

    def recipients_of(attr: str, addressed: bool) -> list[str]:
        items = [r.rstrip(" ;.") for r in _list(setting(settings, attr))]
        items = [r for r in items if r and not r.lower().startswith("lưu") and r.lower() != "như trên"]
        return (["Như trên"] if addressed else []) + items + ["Lưu: VT"]

    def blank_number(symbol_attr: str) -> str:
        sym = _text(setting(settings, symbol_attr))
        return f"“Số: {NUMBER_PLACEHOLDER}{'/' + sym if sym else ''}” để ghi tay khi vào sổ."

    report_number = _text(setting(settings, "doc_number"))
    if not report_number:
        warn("doc_number", NUMBER_PLACEHOLDER, "Báo cáo ghi " + blank_number("doc_symbol"))
    proposal_number = _text(setting(settings, "proposal_number"))
    if not proposal_number:
        warn("proposal_number", NUMBER_PLACEHOLDER, "Tờ trình ghi " + blank_number("proposal_symbol"))
    notice_first = _notice_start(setting(settings, "notice_number"))
    if notice_first is None:
        bad = _text(setting(settings, "notice_number"))
        warn("notice_number", NUMBER_PLACEHOLDER, "Các thông báo ghi " + blank_number("notice_symbol"),
             f"“{bad}” không phải số nguyên" if bad else "chưa có")
    docs = {
        "report": header("report", "Báo cáo", report_number, _text(setting(settings, "doc_symbol")), recipients_of("recipients", False)),
        "proposal": header(
            "proposal", "Tờ trình", proposal_number, _text(setting(settings, "proposal_symbol")),
            recipients_of("proposal_recipients", True), _text(setting(settings, "proposal_addressee")),
        ),
        "notice": header("notice", "Thông báo", "", _text(setting(settings, "notice_symbol")), recipients_of("notice_recipients", True)),
    }

    signer_name = _text(setting(settings, "signer_name"))
    if not signer_name:
        warn("signer_name", SIGNER_PLACEHOLDER, f"Chỗ ký ghi “{SIGNER_PLACEHOLDER}”.")

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

    props = normalise_proposals(proposals, units_in, decimals) if proposals is not None else []
    passed = [p for p in props if p["ok"]]
    failed = [p for p in props if not p["ok"]]
    ties_in = list(result.get("ties") or [])
    crit_names = {c["code"]: c["name"] for c in criteria}
    notes = tie_notes(units_in, ties_in, num, crit_names)

    units = []
    for i, u in enumerate(units_in, start=1):
        code = _text(u.get("code"))
        info = units_info.get(code, {}) or {}
        pts = u.get("points") or {}
        total = _as_float(u.get("total"))
        mine = [p for p in passed if p["unit_code"] == code]
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
                "tie_note": notes.unit(code),
                "proposal": next((p for p in mine if not p["person"]), None),
                "proposals": mine,
                "notice_number": str(notice_first + i - 1) if notice_first is not None else "",
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

    tt = _numbered([p for p in passed if not p["person"]])
    cn = _numbered([p for p in passed if p["person"]])
    awards = _awards(proposals is not None, proposals_source, props, passed, failed, tt, cn, money_total)
    basis = _basis(legal_texts or (), _list(setting(settings, "province_basis")))

    return {
        "doc": docs["report"],
        "docs": docs,
        "block": block,
        "criteria": criteria,
        "units": units,
        "unit": units[0] if units else _empty_unit(),
        "units_by_code": {u["code"]: u for u in units},
        "top": [u for u in units if u["place"]],
        "classes": class_rows,
        "ties": [t for t in (notes.group(t) for t in ties_in) if t],
        "stats": stats,
        "proposals": _numbered(passed),
        "proposals_tt": tt,
        "proposals_cn": cn,
        "ineligible": _numbered(failed),
        "awards": awards,
        "basis": basis,
        "registration": dict(registration) if registration else _no_registration(n),
        "text": {
            "strengths": _paragraphs(setting(settings, "strengths")) or [PLACEHOLDER],
            "limits": _paragraphs(setting(settings, "limits")) or [PLACEHOLDER],
            "directions": _paragraphs(setting(settings, "directions")) or [PLACEHOLDER],
        },
        "signer": {
            "authority": vn.upper_vi(setting(settings, "signer_authority")),
            "title": vn.upper_vi(setting(settings, "signer_title")),
            "name": signer_name or SIGNER_PLACEHOLDER,
        },
        "recipients": docs["report"]["recipients"],
        "warnings": warnings,
        "chart": CHART_MARKER if units else "",
        "chart_svg": "",
        "generated": vn.fmt_date(today or dt.date.today()),
    }


def _no_registration(n_units: int) -> dict[str, Any]:
    return {"available": False, "units": [], "n_units": n_units, "n_registered": 0, "n_signed": 0, "not_registered": "",
            "not_signed": "", "signed_date": "", "summary": "", "n_people": 0, "people_titles": [], "people_summary": ""}


def _notice_start(v: Any) -> int | None:
    """The first notice's number: a whole number (15, "15", 15.0), else None."""
    if isinstance(v, bool) or v is None or v == "":
        return None
    f = _as_float(_text(v)) if not isinstance(v, (int, float)) else float(v)
    if f is None or f != int(f) or f < 1:
        return None
    return int(f)


def _numbered(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Copies with their own STT (a proposal may sit in several lists)."""
    return [dict(p, stt=i) for i, p in enumerate(items, start=1)]


def _awards(available: bool, source: str, props, passed, failed, tt, cn, money_total) -> dict[str, Any]:
    money_tt = sum(p["money_value"] for p in tt)
    money_cn = sum(p["money_value"] for p in cn)
    total = money_tt + money_cn
    if money_total and passed:  # the rules' own total (its rounding) wins
        total = int(money_total)
    by_form: list[dict[str, Any]] = []
    for group, label, noun in ((tt, "Tập thể", "tập thể"), (cn, "Cá nhân", "cá nhân")):
        forms: dict[str, list[dict[str, Any]]] = {}
        for p in group:
            forms.setdefault(p["form"] or "(chưa ghi hình thức)", []).append(p)
        for form, items in forms.items():
            m = sum(p["money_value"] for p in items)
            by_form.append(
                {
                    "subject_label": label,
                    "form": form,
                    "count": len(items),
                    "count_label": f"{len(items)} {noun}",
                    "money": vn.fmt_money(m, nbsp=True) if m else "",
                }
            )
    n_tt = len({p["code"] or p["name"] for p in tt})
    n_cn = len({p["code"] or p["name"] for p in cn})
    by_subject = []
    for group, label, noun, n_subj, m in ((tt, "Tập thể", "tập thể", n_tt, money_tt), (cn, "Cá nhân", "cá nhân", n_cn, money_cn)):
        if not group:
            continue
        forms = [f for f in by_form if f["subject_label"] == label]
        by_subject.append(
            {
                "subject_label": label,
                "count_label": f"{len(group)} đề nghị cho {n_subj} {noun}",
                "forms": ", ".join(f"{f['form']} ({f['count']})" for f in forms),
                "money": vn.fmt_money(m, nbsp=True) if m else "",
            }
        )
    parts = [f"{n_tt} tập thể"] if n_tt else []
    parts += [f"{n_cn} cá nhân"] if n_cn else []
    status = [p["status"] for p in failed]
    return {
        "available": available,
        "source": strip_labels(source),
        "n_proposed": len(props),
        "n_ok": len(passed),
        "n_ok_tt": len(tt),
        "n_ok_cn": len(cn),
        "n_tt": n_tt,
        "n_cn": n_cn,
        "n_not_ok": status.count("không đạt"),
        "n_over": status.count("vượt tỷ lệ"),
        "n_pending": sum(1 for p in failed if p["pending"]),
        "n_ineligible": len(failed),
        "total_money": vn.fmt_money(total, nbsp=True) if total else "",
        "total_money_number": vn.fmt_number(total, 0) if total else "",
        "total_money_words": vn.amount_in_words(total) if total else "",
        "money_tt": vn.fmt_number(money_tt, 0) if money_tt else "",
        "money_cn": vn.fmt_number(money_cn, 0) if money_cn else "",
        "by_form": by_form,
        "by_subject": by_subject,
        "summary": vn.join_vi(parts),
        "note": "" if available else (
            "Chưa có kết quả kiểm tra tiêu chuẩn, tỷ lệ khen thưởng (nhập trang đề nghị khen thưởng và chạy "
            "“Kiểm tra khen thưởng” trước khi lập báo cáo)."
        ),
    }


def unit_context(ctx: Mapping[str, Any], unit: Mapping[str, Any]) -> dict[str, Any]:
    """The context of one unit's result notice: the block's, with ``unit`` set and
    ``doc`` the notice's header with this unit's number."""
    out = dict(ctx)
    out["unit"] = unit
    notice = (ctx.get("docs") or {}).get("notice")
    if notice is not None:
        number = _text(unit.get("notice_number"))
        shown = number or NUMBER_PLACEHOLDER
        slash = f"/{notice['symbol']}" if notice["symbol"] else ""
        out["doc"] = dict(
            notice,
            number=number,
            number_line=f"Số: {shown}{slash}",
            ref=f"{notice['kind']} số {shown}{slash} {notice['date']}",
            addressee=_text(unit.get("name")),
        )
    return out


def _empty_unit() -> dict[str, Any]:
    return {k: "" for k in UNIT_KEYS} | {"points": [], "points_by_code": {}, "proposal": None, "proposals": [], "stt": 0, "rank": 0}


# ---- ties (the wording lives in xlpy.core.explain) ----------------------------------------
def _names(codes: Iterable[str], units_in: list[Mapping[str, Any]]) -> str:
    names = {u.get("code"): _text(u.get("name")) for u in units_in}
    return vn.join_vi(names.get(c, c) for c in codes)


def tie_notes(units_in: list[Mapping[str, Any]], ties: list[Mapping[str, Any]], num, crit_names: Mapping[str, str]):
    from ..core.explain import TieNotes

    names = {u.get("code"): _text(u.get("name")) for u in units_in}
    ranks = {u.get("code"): int(u.get("rank") or 0) for u in units_in}
    return TieNotes(ties, ranks, name_of=lambda c: names.get(c, c), number=num, crit_names=crit_names)


# ---- award proposals ----------------------------------------------------------------
def normalise_proposals(
    items: Iterable[Mapping[str, Any]] | None, units_in: list[Mapping[str, Any]], decimals: int = 2
) -> list[dict[str, Any]]:
    """Award proposals to the shape templates use.

    Each item may give: ``subject`` ("TT"/"CN"; or ``person`` true for an
    individual), ``code`` (the collective's or person's code), ``unit_code``
    (the collective; for a person, the unit), ``name``/``person_name``,
    ``unit_name``, ``form`` (hình thức), ``ok`` (bool) and/or ``verdict``
    ("đạt", "không đạt", "vượt tỷ lệ", "chờ quyết định"), ``reasons`` (list of
    sentences, or text), ``facts`` (the subject's own figures, for a person),
    ``money`` (đồng), ``citation``.  A collective in the block gets its rank,
    total and class from ``units_in``; a person never does.
    """
    if not items:
        return []
    by_code = {u.get("code"): u for u in units_in}
    out = []
    for i, p in enumerate(items, start=1):
        person = bool(p.get("person")) or _text(p.get("subject")).upper() == "CN"
        unit_code = _text(p.get("unit_code") or ("" if person else p.get("code")))
        code = _text(p.get("code") or ("" if person else unit_code))
        unit = by_code.get(unit_code) or {}
        verdict = _text(p.get("verdict")).lower()
        ok = p.get("ok")
        if ok is None:
            ok = verdict in ("đạt", "đủ điều kiện", "ok", "true")
        ok = bool(ok)
        status = verdict if verdict in STATUS_LABELS else ("đạt" if ok else (verdict or "không đạt"))
        if ok:
            status = "đạt"
        reasons = [] if ok else _clean_reasons(p.get("reasons"))
        money = _as_float(p.get("money"))
        money_i = int(round(money)) if money and ok else 0
        unit_name = _text(p.get("unit_name")) or _text(unit.get("name")) or unit_code
        person_name = _text(p.get("person_name") or (p.get("name") if person else "")) if person else ""
        name = person_name if person else (_text(p.get("name")) or unit_name)
        total = "" if person or not unit else vn.fmt_number(unit.get("total"), decimals)
        out.append(
            {
                "stt": i,
                "rank": "" if person else (p.get("rank") or unit.get("rank") or ""),
                "code": code,
                "subject": "CN" if person else "TT",
                "subject_label": SUBJECT_LABELS["CN" if person else "TT"],
                "person": person,
                "name": name,
                "person_name": person_name,
                "unit_code": unit_code,
                "unit_name": unit_name,
                "form": _text(p.get("form")),
                "status": status,
                "verdict": STATUS_LABELS.get(status, status[:1].upper() + status[1:]),
                "ok": ok,
                "pending": status.startswith("chờ"),
                "reasons": " ".join(reasons),
                "reasons_list": reasons,
                "facts": strip_labels(p.get("facts")) if person else (_text(p.get("facts")) or _text(unit.get("class"))),
                "total": total,
                "class": "" if person else _text(unit.get("class")),
                "money": vn.fmt_money(money_i, nbsp=True) if money_i else "",
                "money_number": vn.fmt_number(money_i, 0) if money_i else "",
                "money_value": money_i,
                "money_words": vn.amount_in_words(money_i) if money_i else "",
                "citation": legal_text(p.get("citation")) if _text(p.get("citation")) else "",
            }
        )
    return out


def _clean_reasons(v: Any) -> list[str]:
    if not v:
        return []
    items = v if isinstance(v, (list, tuple)) else [v]
    out = []
    for x in items:
        s = _sentence(_MARKS.sub("", strip_labels(x)))
        if s and s not in out:
            out.append(s)
    return out


# ---- from the rules check -------------------------------------------------------------
def _top_split(text: str, sep: str = ";") -> list[str]:
    """Split at ``sep`` outside brackets and parentheses."""
    out, depth, cur = [], 0, []
    for ch in text:
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth = max(depth - 1, 0)
        if ch == sep and depth == 0:
            out.append("".join(cur).strip())
            cur = []
        else:
            cur.append(ch)
    out.append("".join(cur).strip())
    return [x for x in out if x]


def fallback_reasons(c: Mapping[str, Any], rule_names: Mapping[str, str] | None = None) -> list[str]:
    """Short sentences for a failed candidate when the check gives no ``reasons``:
    the rule's name (else the title's standard) and what is missing, taken from
    the checker's ``fix`` (never its raw per-condition ``numbers`` text)."""
    rule_names = rule_names or {}
    status = _text(c.get("verdict")).lower()
    title = _text(c.get("title_name") or c.get("title"))
    names = [rule_names[r] for r in c.get("rules") or [] if r in rule_names]
    if names:
        name = vn.join_vi(names)
    elif status == "vượt tỷ lệ":
        name = f"Tỷ lệ khen thưởng {title}".strip()
    else:
        name = f"Tiêu chuẩn {title}".strip()
    fix = _MARKS.sub("", strip_labels(c.get("fix")))
    numbers = _MARKS.sub("", strip_labels(c.get("numbers")))
    raw_numbers = _text(c.get("numbers"))
    clean_numbers = numbers if raw_numbers and "(đạt)" not in raw_numbers and "(chưa đạt)" not in raw_numbers and "|" not in raw_numbers else ""
    if status in ("vượt tỷ lệ",) or status.startswith("chờ"):
        parts = _top_split(fix)
        detail = "; ".join(x for x in (clean_numbers, parts[0] if parts else "") if x)
    else:
        detail = "; ".join(x for x in (clean_numbers, fix) if x)
        if not detail and raw_numbers:
            failing = re.findall(r"([^;|\[\]]+?)\s*\(chưa đạt\)", raw_numbers)
            detail = "; ".join(f.strip(" :") for f in failing if f.strip(" :"))
    return [_sentence(f"{name}: {detail}" if detail else f"Chưa đạt {name[:1].lower() + name[1:]}")]


def _rule_names(check: Any) -> dict[str, str]:
    names: dict[str, str] = {}
    for rs in [getattr(check, "rule_set", None), *(getattr(check, "presets", None) or [])]:
        for r in getattr(rs, "rules", None) or ():
            names.setdefault(r.id, _text(r.name))
    return names


def _person_facts(check: Any, code: str) -> str:
    """A person's own figures from the check's input: grade, initiatives."""
    inp = getattr(check, "input", None)
    person = (getattr(inp, "people", None) or {}).get(code)
    if person is None:
        return ""
    try:
        from ..rules.titles import GRADES, INITIATIVE_LEVELS
    except ImportError:  # pragma: no cover
        return ""
    year = getattr(inp, "year", None)
    facts = []
    if person.grade in GRADES:
        facts.append(GRADES[person.grade] + (f" năm {year}" if year else ""))
    if person.initiative_level:
        facts.append(f"có sáng kiến cấp {INITIATIVE_LEVELS[person.initiative_level].lower()}")
    elif person.initiatives:
        facts.append(f"có {person.initiatives} sáng kiến")
    return _sentence("; ".join(facts)).rstrip(".") if facts else ""


def awards_from_check(check: Any) -> dict[str, Any]:
    """``build_context`` keyword arguments from an :mod:`xlpy.rules` check:
    ``proposals``, ``proposals_source``, ``money_total`` and ``legal_texts``.

    ``check`` is a ``CheckReport`` (or its ``to_dict()``), or ``None`` when the
    rules were not checked (then ``proposals`` is ``None`` and the report says so).
    Uses each candidate's ``reasons`` (one sentence per failed rule) when the
    check gives them, else :func:`fallback_reasons`.
    """
    if check is None:
        return {"proposals": None, "proposals_source": "", "money_total": None, "legal_texts": []}
    d = check.to_dict() if hasattr(check, "to_dict") else dict(check)
    names = _rule_names(check)
    out = []
    for c in d.get("candidates") or []:
        verdict = _text(c.get("verdict")).lower()
        ok = verdict == "đạt"
        person = c.get("subject") == "CN"
        name = _text(c.get("name")) or _text(c.get("code"))
        if ok:
            reasons: list[str] = []
        elif c.get("reasons"):
            reasons = list(c["reasons"]) if isinstance(c["reasons"], (list, tuple)) else [c["reasons"]]
        else:
            reasons = fallback_reasons(c, names)
        out.append(
            {
                "subject": "CN" if person else "TT",
                "code": _text(c.get("code")),
                "unit_code": _text(c.get("unit") if person else c.get("code")),
                "name": name,
                "person_name": name if person else "",
                "form": _text(c.get("title_name") or c.get("title")),
                "ok": ok,
                "verdict": verdict,
                "reasons": reasons,
                "facts": _person_facts(check, _text(c.get("code"))) if person else "",
                "money": c.get("amount") if ok else None,
                "citation": _text(c.get("legal_basis") or c.get("citation")),
            }
        )
    rs = d.get("rule_set") or {}
    rule_set = getattr(check, "rule_set", None)
    sources = [r.source for r in getattr(rule_set, "rules", None) or ()]
    money = (d.get("money") or {}).get("total")
    return {
        "proposals": out,
        "proposals_source": _text(rs.get("name")),
        "money_total": int(money) if money else None,
        "legal_texts": rule_set_texts(rs.get("name"), sources),
    }


def proposals_from_check(check: Any) -> tuple[list[dict[str, Any]] | None, str, int | None]:
    """Proposals, source text and money total from an :mod:`xlpy.rules` check
    (see :func:`awards_from_check`, which also gives the legal texts)."""
    a = awards_from_check(check)
    return a["proposals"], a["proposals_source"], a["money_total"]
