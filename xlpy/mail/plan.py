"""Plan a batch of mail: who gets what, composed and checked, nothing sent.

:func:`build_plan` turns the round (settings, units, results) and a set of attachment
files into composed messages, one :class:`Item` per recipient — pure data.  Sending
is :mod:`xlpy.mail.delivery`'s.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from email.headerregistry import Address
from pathlib import Path
from typing import Any, Sequence

from ..book.io import nfc
from ..core.problems import Problems
from ..core.text import unaccent
from ..features import setting
from ..schema import core as layout
from .compose import ComposeError, Composed, SubjectError, compose, make_env
from .headers import clean_header_text, describe, needs_cleaning, visible
from .recipients import OFFICE_KEY, AddressError, Recipient, parse_address
from .settings import MailSettings

# Variables a subject or body template may use (docs/gui-thu.md, section 4).
TEMPLATE_VARIABLES = ("khoi", "nam", "ky", "ky_nam", "ngay_xet", "don_vi", "ket_qua", "bang_ket_qua", "so_don_vi",
                      "ban_tdkt", "nguoi_gui", "tep_dinh_kem")



# ---- plan ----------------------------------------------------------------------
@dataclass
class Item:
    index: int
    recipient: Recipient
    attachments: list[Any] = field(default_factory=list)  # Path or (Path, shown name)
    composed: Composed | None = None
    error: str = ""  # Vietnamese; recipient or compose error

    @property
    def ok(self) -> bool:
        return self.composed is not None and not self.error


@dataclass
class Plan:
    items: list[Item]
    sender: Address | None
    problems: Problems

    @property
    def ready(self) -> list[Item]:
        return [i for i in self.items if i.ok]


def _fold(text: str) -> str:
    return unaccent(text).casefold()


# File names (folded: no diacritics, lower case) meant for the provincial office only:
# the summary, the award proposals list (danh-sach-de-nghi), the statistical annex (phu-luc).
OFFICE_WORDS = ("tong hop", "tong-hop", "tonghop", "tong_hop", "de nghi", "de-nghi", "de_nghi", "phu luc",
                "phu-luc", "phu_luc", "ban tdkt", "ban-tdkt", "summary")


def assign_attachments(files: Sequence[Path], recipients: Sequence[Recipient]) -> dict[str, list[Path]]:
    """Which files go to whom, from the file names (the reports feature's names,
    or an officer's own folder).

    * a name that says "tổng hợp", "đề nghị" or "phụ lục" (``danh-sach-de-nghi.docx``)
      goes to the office only;
    * a name that contains a unit code as a separate word (``thong-bao/03-snv.docx``,
      ``Thông báo - SNV.pdf``) goes to that unit only;
    * every other file (the block report ``bao-cao-khoi``) goes to every unit and
      to the office.
    """
    units = [r for r in recipients if r.kind == "unit"]
    per_unit: dict[str, list[Path]] = {r.key: [] for r in units}
    office: list[Path] = []
    common: list[Path] = []
    for f in files:
        stem = _fold(Path(f).stem)
        if any(w in stem for w in OFFICE_WORDS):
            office.append(Path(f))
            continue
        owners = [r.key for r in units
                  if re.search(rf"(^|[^a-z0-9]){re.escape(_fold(r.code))}($|[^a-z0-9])", stem)]
        if owners:
            for k in owners:
                per_unit[k].append(Path(f))
        else:
            common.append(Path(f))
    out = {k: v + common for k, v in per_unit.items()}
    out[OFFICE_KEY] = common + office
    return out


def report_titles() -> dict[str, tuple[str, bool]]:
    """Output stem of each document of the reports feature -> (Vietnamese title, per unit)."""
    try:
        from ..reports.render import DOCUMENTS
    except Exception:  # noqa: BLE001 - the reports feature is optional here
        return {}
    return {d.stem: (getattr(d, "label", d.stem), d.per_unit) for d in DOCUMENTS if getattr(d, "stem", None)}


def display_names(assigned: dict[str, list[Path]], recipients: Sequence[Recipient],
                  settings: MailSettings) -> dict[str, list[Any]]:
    """Give the reports feature's files (``bao-cao-khoi.docx``, ``thong-bao/03-snv.docx``)
    Vietnamese names in the mail; an officer's own files keep theirs."""
    titles = report_titles()
    year = f" năm {settings.year}" if settings.year else ""
    by_key = {r.key: r for r in recipients}
    out: dict[str, list[Any]] = {}
    for key, files in assigned.items():
        r = by_key.get(key)
        items: list[Any] = []
        for f in files:
            f = Path(f)
            if f.stem in titles and not titles[f.stem][1]:
                items.append((f, f"{titles[f.stem][0]}{year}{f.suffix}"))
            elif f.parent.name == "thong-bao" and "thong-bao" in titles and r is not None and r.kind == "unit":
                items.append((f, f"Thông báo kết quả thi đua{year} – {r.name}{f.suffix}"))
            else:
                items.append(f)
        out[key] = items
    return out


def _fmt_num(v: Any) -> str:
    if v is None or v == "":
        return ""
    if isinstance(v, bool):
        return "Có" if v else "Không"
    if isinstance(v, (int, float)):
        try:
            from ..vn import fmt_number

            return fmt_number(v, 2)
        except Exception:  # noqa: BLE001 - formatting must never stop a batch
            return str(v)
    return nfc(str(v)).strip()


def results_of(result: Any) -> dict[str, dict[str, Any]]:
    """Per unit code, what the mail templates show: ``hang``, ``tong_diem``, ``xep_loai``,
    ``xep_thu`` (formatted) and every column of the results sheet (``cot``), from the
    round's result (never from a previously written sheet)."""
    if result is None:
        return {}
    from ..book.sheets import results_sheet

    sheet = results_sheet(result)
    out: dict[str, dict[str, Any]] = {}
    for row in sheet.rows:
        cells = {h: _fmt_num(v) for h, v in zip(sheet.header, row)}
        code = str(row[2])
        out[code] = {"ma": code, "ten": str(row[3]), "hang": _fmt_num(row[0]), "tong_diem": cells["Tổng điểm"],
                     "xep_loai": cells["Xếp loại"], "xep_thu": cells["Xếp thứ"], "cot": cells}
    return out


def base_context(settings: MailSettings, results: dict[str, dict[str, Any]], recipients: Sequence[Recipient]) -> dict:
    try:
        from ..vn import fmt_date

        ngay = fmt_date(settings.round_date, empty="") if settings.round_date else ""
    except Exception:  # noqa: BLE001
        ngay = str(settings.round_date or "")
    units = [r for r in recipients if r.kind == "unit"]
    table = []
    for r in units:
        res = results.get(r.code, {})
        table.append({"ma": r.code, "ten": r.name, "hang": res.get("hang", ""),
                      "tong_diem": res.get("tong_diem", ""), "xep_loai": res.get("xep_loai", "")})

    def rank_key(row: dict) -> tuple:
        try:
            return (0, float(str(row["hang"]).replace(".", "").replace(",", ".")))
        except ValueError:
            return (1, 0.0)

    table.sort(key=rank_key)
    khoi = settings.block_name or "khối thi đua"
    ky = (settings.period or "").strip()
    ky = ky[:1].lower() + ky[1:]
    nam = settings.year
    if nam:
        ky_nam = f"{ky} {nam}" if ky.endswith("năm") else f"{ky} năm {nam}".strip()
    else:
        ky_nam = ky
    return {
        "khoi": khoi,
        "nam": settings.year,
        "ky": ky,
        "ky_nam": ky_nam,
        "ngay_xet": ngay,
        "ban_tdkt": settings.office_name,
        "nguoi_gui": settings.sender_name or f"Khối trưởng {khoi}",
        "so_don_vi": len(units),
        "bang_ket_qua": table if results else [],
    }


def recipient_context(base: dict, r: Recipient, results: dict[str, dict[str, Any]]) -> dict:
    ctx = dict(base)
    ctx["don_vi"] = {"ma": r.code if r.kind == "unit" else "", "ten": r.name, "vai_tro": r.role}
    ctx["ket_qua"] = results.get(r.code) if r.kind == "unit" else None
    return ctx


def sender_address(settings: MailSettings, problems: Problems) -> Address | None:
    raw = settings.sender_email or (settings.smtp_user if "@" in settings.smtp_user else "")
    key = setting("mail_sender_email").key
    if not raw:
        problems.add("mail_no_sender", layout.SETTINGS, "", "", key, f"Chưa có '{key}' trong sheet '{layout.SETTINGS}'.")
        return None
    try:
        return parse_address(raw, settings.sender_name)
    except AddressError as e:
        problems.add("mail_bad_sender", layout.SETTINGS, "", raw, "ten@coquan.gov.vn",
                     f"'{key}' sai: {e}.")
        return None


# settings whose text ends up in a header: (attribute of MailSettings, the declared setting)
HEADER_SETTINGS = (
    ("sender_name", "mail_sender_name"),
    ("office_name", "mail_office_name"),
    ("block_name", "block_name"),
    ("period", "period"),
    ("subject_unit", "mail_subject_unit"),
    ("subject_office", "mail_subject_office"),
    ("sender_email", "mail_sender_email"),
)
SUBJECT_SETTINGS = {"unit": "mail_subject_unit", "office": "mail_subject_office"}


def clean_settings(settings: MailSettings, cells: dict[str, str], problems: Problems) -> MailSettings:
    """The settings with line breaks and invisible controls removed from every text that
    reaches a header (names, subjects), each change a warning naming its cell."""
    import dataclasses

    changes: dict[str, str] = {}
    for attr, declared in HEADER_SETTINGS:
        key = setting(declared).key
        value = getattr(settings, attr) or ""
        if not needs_cleaning(value):
            continue
        cell = cells.get(key, "")
        clean = clean_header_text(value)
        where = f"{layout.SETTINGS}!{cell}" if cell else layout.SETTINGS
        problems.warn("mail_header_text", layout.SETTINGS, cell, visible(value), "một dòng, không ký tự ẩn",
                      f"'{key}' ({where}) có {describe(value)}: trong thư dùng '{clean}'. "
                      "Sửa ô này (bỏ xuống dòng, ký tự ẩn) để sổ tính và thư khớp nhau.")
        changes[attr] = clean
    return dataclasses.replace(settings, **changes) if changes else settings


def build_plan(
    settings: MailSettings,
    recipients: Sequence[Recipient],
    attachments: dict[str, list[Any]],
    results: dict[str, dict[str, Any]],
    problems: Problems,
    *,
    template_dirs: Sequence[Path] | None = None,
    date: dt.datetime | None = None,
    block_units: Sequence[Recipient] | None = None,
    setting_cells: dict[str, str] | None = None,
) -> Plan:
    """``block_units``: every unit of the block (for the counts and the ranking
    table), when ``recipients`` is only part of it (``--only``).  ``setting_cells``
    (key -> "B12", :func:`setting_cells`) lets a broken subject template be reported
    once, at its cell."""
    sender = sender_address(settings, problems)
    env = make_env(template_dirs)
    base = base_context(settings, results, block_units if block_units is not None else recipients)
    date = date or dt.datetime.now().astimezone().replace(microsecond=0)
    items = []
    for i, r in enumerate(recipients, start=1):
        item = Item(i, r, list(attachments.get(r.key, [])))
        if not r.ok:
            item.error = r.error or "không có địa chỉ"
        elif sender is None:
            item.error = "chưa có địa chỉ người gửi"
        else:
            subject = settings.subject_unit if r.kind == "unit" else settings.subject_office
            try:
                item.composed = compose(r, recipient_context(base, r, results), item.attachments, sender=sender,
                                        subject_template=subject, env=env, date=date)
            except SubjectError as e:
                key = setting(SUBJECT_SETTINGS["unit" if r.kind == "unit" else "office"]).key
                cell = (setting_cells or {}).get(key, "")
                where = f"{layout.SETTINGS}!{cell}" if cell else f"{layout.SETTINGS} ('{key}')"
                item.error = f"tiêu đề thư ({where}) {e.reason}"
                allowed = ", ".join(TEMPLATE_VARIABLES)
                problems.add("mail_subject_refused" if e.refused else "mail_subject_template", layout.SETTINGS, cell,
                             subject, f"chỉ các biến: {allowed}",
                             f"Tiêu đề thư ở {where} {e.reason}. Mẫu tiêu đề chỉ được dùng các biến trong "
                             f"hướng dẫn ({allowed}), ví dụ {{{{ don_vi.ten }}}}; sửa ô này hoặc để trống để "
                             "dùng tiêu đề mặc định. Chưa thư nào được soạn với tiêu đề này.")
            except ComposeError as e:
                item.error = str(e)
                problems.add("mail_compose", layout.UNITS if r.kind == "unit" else layout.SETTINGS,
                             f"A{r.row}" if r.row else "", r.name, "thư soạn được",
                             f"{r.name} ({r.code}): {e}.")
        items.append(item)
    return Plan(items, sender, problems)
