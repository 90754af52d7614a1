"""The province report “Báo cáo tổng hợp kết quả thi đua các cụm, khối” (Nghị định
30/2020/NĐ-CP layout): its context, built from a :class:`~xlpy.province.model.Province`
as pre-formatted Vietnamese strings, and its rendering (Word through the packaged
template ``bao-cao-tinh.docx``, in the sandboxed Jinja environment; PDF through
LibreOffice like the block's documents)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path
from typing import Any

from .. import vn
from ..rules.model import CHO_QUYET_DINH, DAT, KHONG_DAT, VUOT
from ..rules.titles import SUBJECT_LABELS, TITLES, title_name
from .checks import PROVINCE_TITLES
from .model import Province, Row

TEMPLATE = "bao-cao-tinh.docx"
STEM = "bao-cao-tong-hop-cum-khoi"
NUMBER_PLACEHOLDER = "……"
SIGNER_PLACEHOLDER = "(Họ và tên người ký)"
PLACE_PLACEHOLDER = "(Chưa ghi địa danh)"
STATUS = {DAT: "Đạt", KHONG_DAT: "Không đạt", VUOT: "Vượt tỷ lệ", CHO_QUYET_DINH: "Chờ quyết định"}

# what the template may use (``tests`` check the template against it)
SCHEMA: dict[str, tuple[str, ...] | None] = {
    "doc": ("parent_body", "parent_body_upper", "issuing_body", "issuing_body_upper", "number_line", "place_date", "recipients"),
    "province": ("name", "name_upper", "year", "round_label", "deadline", "n_expected", "n_files", "n_blocks", "n_units",
                 "n_proposals", "n_missing", "n_late", "n_bad", "n_dups", "late_rule"),
    "blocks": ("stt", "name", "n_units", "leader", "total", "co", "status"),
    "awards": ("title", "n", "ok", "not_ok", "over", "pending"),
    "caps": ("name", "verdict", "numbers"),
    "co_cp": ("stt", "name", "block", "verdict", "reason"),
    "missing": None,
    "late": None,
    "bad": ("file", "n", "first"),
    "twice": None,
    "pending": None,
    "signer": ("authority", "title", "name"),
    "warnings": None,
}


def _text(v: Any) -> str:
    return vn.nfc(v).strip() if v is not None else ""


def _row_label(r: Row) -> str:
    """What a check row is about, as the report names it: its block, or for a province-wide quota
    its title and subject (“Tỷ lệ toàn tỉnh – Bằng khen của Chủ tịch UBND tỉnh (tập thể)”)."""
    if r.block:
        return r.block
    if r.title and r.section == "Tỷ lệ toàn tỉnh":
        title = TITLES.get(r.title)
        both = title is not None and len(title.subjects) > 1 and r.subject in SUBJECT_LABELS  # a Bằng khen: whose cap?
        return f"{r.section} – {title_name(r.title)}" + (f" ({SUBJECT_LABELS[r.subject].lower()})" if both else "")
    return r.section or r.scope


def context(prov: Province, today: dt.date | None = None) -> dict[str, Any]:
    s = prov.settings
    ex = s.extra
    warnings: list[str] = []
    name = _text(s.province_name)
    report_date = ex.get("report_date") or s.round_date
    place = _text(ex.get("place")) or name
    if not place:
        warnings.append("Chưa ghi Địa danh (hoặc Tên tỉnh) ở trang Cài đặt tỉnh.")
    number = _text(ex.get("doc_number"))
    symbol = _text(ex.get("doc_symbol"))
    signer = _text(ex.get("signer_name"))
    if not signer:
        warnings.append("Chưa ghi Người ký ở trang Cài đặt tỉnh.")
    recipients = [r for r in (_text(x).rstrip(" ;.") for x in (ex.get("recipients") or ())) if r and not r.lower().startswith("lưu")]
    parent = _text(ex.get("parent_body"))
    issuing = _text(ex.get("issuing_body")) or "Ban Thi đua – Khen thưởng"
    doc = {
        "parent_body": parent,
        "parent_body_upper": vn.upper_vi(parent),
        "issuing_body": issuing,
        "issuing_body_upper": vn.upper_vi(issuing),
        "number_line": f"Số: {number or NUMBER_PLACEHOLDER}" + (f"/{symbol}" if symbol else ""),
        "place_date": vn.fmt_place_date(place or PLACE_PLACEHOLDER, report_date),
        "recipients": recipients + ["Lưu: VT"],
    }
    names = [b.block_name or b.file for b in prov.blocks]
    leaders: dict[int, list[Any]] = {}
    for u in prov.units:
        if u.rank == 1:
            leaders.setdefault(u.block, []).append(u)
    co: dict[int, list[str]] = {}
    for p in prov.proposals:
        if p.title == "CO_TINH":
            co.setdefault(p.block, []).append(f"{p.name or p.code}: {STATUS.get(p.verdict, p.verdict).lower()}")
    file_index = {id(f): i for i, f in enumerate(prov.files)}
    blocks = []
    for i, b in enumerate(prov.blocks):
        top = leaders.get(i, [])
        fi = file_index.get(id(b))
        status = "nộp muộn" if fi in prov.late else "đúng hạn" if prov.settings.deadline else ""
        blocks.append({
            "stt": i + 1, "name": names[i], "n_units": len(b.units),
            "leader": "; ".join(u.name for u in top) + (" (đồng hạng)" if len(top) > 1 else ""),
            "total": vn.fmt_number(top[0].total, 2) if top else "",
            "co": "; ".join(co.get(i, [])) or "không đề nghị", "status": status,
        })
    by_title = {t: Counter() for t in PROVINCE_TITLES}
    for p in prov.proposals:
        if p.title in by_title and p.verdict in STATUS:
            by_title[p.title][p.verdict] += 1
    awards = [{"title": title_name(t), "n": sum(c.values()), "ok": c[DAT], "not_ok": c[KHONG_DAT], "over": c[VUOT],
               "pending": c[CHO_QUYET_DINH]} for t, c in by_title.items() if sum(c.values())]
    proposed = Counter((p.title, p.subject) for p in prov.proposals)
    caps = [{"name": _row_label(r), "verdict": STATUS.get(r.verdict, r.verdict), "numbers": _plain(r.numbers)}
            for r in prov.rows if r.rule_id in ("T-02", "T-03", "T-04", "T-05", "T-06") and proposed[(r.title, r.subject)]]
    co_cp = [{"stt": k + 1, "name": p.name or p.code, "block": names[p.block], "verdict": STATUS.get(p.verdict, p.verdict),
              "reason": _plain(p.reason)} for k, p in enumerate(x for x in prov.proposals if x.title == "CO_CP")]
    bad = [{"file": f.file, "n": len(f.errors), "first": (f.errors[0].message if f.errors else "")}
           for f in prov.files if not f.ok and not f.province_book]
    pending = [_plain(f"{_row_label(r)}: {r.fix or r.numbers}") for r in prov.rows
               if r.verdict == CHO_QUYET_DINH and r.rule_id in ("T-01", "T-02", "T-03", "T-04", "T-05", "T-06", "T-07")]
    year = prov.year
    province = {
        "name": name or "…", "name_upper": vn.upper_vi(name or "…"), "year": str(year) if year else "…",
        "round_label": f"năm {year}" if year else "",
        "deadline": vn.fmt_date_short(s.deadline) if s.deadline else "",
        "n_expected": len(prov.expected), "n_files": sum(1 for f in prov.files if not f.province_book),
        "n_blocks": len(prov.blocks), "n_units": len(prov.units),
        "n_proposals": sum(1 for p in prov.proposals if p.title in PROVINCE_TITLES),
        "n_missing": len(prov.missing), "n_late": len(prov.late), "n_bad": len(bad), "n_dups": len(prov.duplicates),
        "late_rule": "ngày sửa tệp" if s.late_by == "mtime" else "Ngày xét ghi trong sổ tính của khối",
    }
    return {
        "doc": doc,
        "province": province,
        "blocks": blocks,
        "awards": awards,
        "caps": caps,
        "co_cp": co_cp,
        "missing": [f"{e.name} ({e.code})" for e in prov.missing],
        "late": [f"{prov.files[i].block_name or prov.files[i].file}: {why}" for i, why in sorted(prov.late.items())],
        "bad": bad,
        "twice": [_plain(r.numbers) for r in prov.rows if r.rule_id == "T-12"],
        "pending": pending,
        "signer": {"authority": vn.upper_vi(_text(ex.get("signer_authority"))),
                   "title": vn.upper_vi(_text(ex.get("signer_title")) or "TRƯỞNG BAN"), "name": signer or SIGNER_PLACEHOLDER},
        "warnings": warnings,
    }


def _plain(text: str) -> str:
    """Checker text for a signed document: without verification labels."""
    from ..reports.context import strip_labels

    return strip_labels(text)


def render(prov: Province, folder: Path, formats: tuple[str, ...] = ("docx", "pdf"), templates: Path | None = None) -> tuple[list[Path], list[str]]:
    """The report as Word (and PDF): (files written, notes on what could not be made)."""
    from docxtpl import DocxTemplate

    from ..reports import pdf as pdfmod
    from ..reports.render import TemplateError, _explain, save_docx, template_dir
    from ..templating import sandboxed_env

    tdir = Path(templates) if templates else template_dir()
    template = tdir / TEMPLATE
    if not template.exists():
        raise TemplateError(f"Không tìm thấy mẫu “{template}”.")
    ctx = context(prov)
    env = sandboxed_env()
    env.filters.update(number=vn.fmt_number, date_vn=vn.fmt_date, upper_vi=vn.upper_vi)
    try:
        tpl = DocxTemplate(str(template))
        tpl.render(ctx, jinja_env=env, autoescape=True)
    except Exception as e:  # jinja2 and docx errors, explained in Vietnamese
        raise _explain(e, template) from e
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    out = folder / f"{STEM}.docx"
    save_docx(tpl, out)
    files, notes = [out], list(ctx["warnings"])
    if "pdf" in formats:
        try:
            files += pdfmod.convert_to_pdf([out])
        except (pdfmod.PdfUnavailable, pdfmod.PdfError) as e:
            notes.append(str(e))
    return files, notes


__all__ = ["SCHEMA", "TEMPLATE", "context", "render"]
