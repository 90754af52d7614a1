"""Text that goes into a mail header: no line breaks, no invisible controls.

A unit name typed with Alt+Enter holds a line break, which would end the
header (and makes :class:`email.headerregistry.Address` refuse it); a
right-to-left override (U+202E) makes ``Báo cáo‮xcod.exe`` look like
``Báo cáoexe.docx``.  :func:`clean_header_text` turns line breaks and tabs
into spaces and drops every other control or format character (Unicode
categories Cc, Cf, Cs: U+200B–U+200F, U+202A–U+202E, U+2066–U+2069, U+FEFF,
soft hyphen…), then collapses white space.  Vietnamese letters, combining
marks and ordinary punctuation are kept (NFC).
"""

from __future__ import annotations

import unicodedata

_BREAKS = {"\n", "\r", "\t", "\v", "\f", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029"}
_DROP = {"Cc", "Cf", "Cs"}


def clean_header_text(text: str) -> str:
    """``text`` fit for a header.

    >>> clean_header_text("Sở Nội vụ\\ntỉnh  Quảng Nam")
    'Sở Nội vụ tỉnh Quảng Nam'
    >>> clean_header_text("Sở \\u202eTài chính\\u200f")
    'Sở Tài chính'
    """
    out = []
    for ch in unicodedata.normalize("NFC", text):
        if ch in _BREAKS or unicodedata.category(ch) in ("Zl", "Zp"):
            out.append(" ")
        elif unicodedata.category(ch) in _DROP:
            continue
        else:
            out.append(ch)
    return " ".join("".join(out).split())


def needs_cleaning(text: str) -> bool:
    r"""True when ``text`` holds a line break, a tab or an invisible control that
    :func:`clean_header_text` removes (plain repeated spaces do not count).

    >>> needs_cleaning("Sở  Nội vụ"), needs_cleaning("Sở\nNội vụ"), needs_cleaning("\u202eSở")
    (False, True, True)
    """
    return any(ch in _BREAKS or unicodedata.category(ch) in _DROP or unicodedata.category(ch) in ("Zl", "Zp")
               for ch in text)


def visible(text: str) -> str:
    """``text`` with its line breaks and invisible characters shown (for a problem's "found").

    >>> visible("Sở\\nNội vụ\\u202e")
    'Sở↵Nội vụ⟨U+202E⟩'
    """
    out = []
    for ch in text:
        if ch in ("\n", "\r\n", "\r"):
            out.append("↵")
        elif ch in _BREAKS or unicodedata.category(ch) in _DROP or unicodedata.category(ch) in ("Zl", "Zp"):
            out.append(f"⟨U+{ord(ch):04X}⟩")
        else:
            out.append(ch)
    return "".join(out)


def describe(text: str) -> str:
    """What :func:`clean_header_text` removes from ``text``, in Vietnamese.

    >>> describe("Sở\\nNội vụ\\u202e")
    'xuống dòng (Alt+Enter), ký tự điều khiển hướng chữ (U+202E)'
    """
    found: list[str] = []
    codes: list[str] = []
    bidi: list[str] = []
    for ch in text:
        if ch in ("\n", "\r", "\u2028", "\u2029", "\x85"):
            if "xuống dòng (Alt+Enter)" not in found:
                found.append("xuống dòng (Alt+Enter)")
        elif ch in _BREAKS:
            if "ký tự tab" not in found:
                found.append("ký tự tab")
        elif unicodedata.category(ch) in _DROP:
            code = f"U+{ord(ch):04X}"
            target = bidi if unicodedata.bidirectional(ch) in BIDI_CONTROLS or ch in "\u200e\u200f\u061c" else codes
            if code not in target:
                target.append(code)
    if bidi:
        found.append(f"ký tự điều khiển hướng chữ ({', '.join(bidi)})")
    if codes:
        found.append(f"ký tự ẩn ({', '.join(codes)})")
    return ", ".join(found)


BIDI_CONTROLS = {"LRE", "RLE", "LRO", "RLO", "PDF", "LRI", "RLI", "FSI", "PDI"}
