"""Render the Vietnamese user guide (docs/huong-dan-su-dung.md) as one self-contained HTML page.

The ribbon's “Hướng dẫn sử dụng” button opens the page (xlpy.excel.actions.guide), and
the release turns it into the PDF of the Windows bundle (LibreOffice).  The page has
its CSS inline, no scripts, no remote fonts or images: it opens the same offline, in any
browser, from inside the installed package.  Raw HTML in the Markdown is escaped.

    python tools/guide_html.py           # rewrite docs/huong-dan-su-dung.html
    python tools/guide_html.py --check   # exit 1 when the page is out of date

Generated in a build step, with markdown-it-py (in the build and test extras, so present wherever
xlpy is installed); tests/test_guide_html.py keeps the committed page in sync.
"""

from __future__ import annotations

import html
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "docs" / "huong-dan-su-dung.md"
TARGET = SOURCE.with_suffix(".html")

CSS = """
@page { size: A4; margin: 2cm 2cm 2cm 3cm; }
html { font-size: 13pt; }
body {
  font-family: "Times New Roman", Times, "Liberation Serif", "DejaVu Serif", serif;
  line-height: 1.45; color: #111; max-width: 46em; margin: 2em auto; padding: 0 1.2em;
}
h1 { font-size: 1.7em; text-align: center; text-transform: uppercase; margin: 0.4em 0 0.8em; }
h2 { font-size: 1.3em; margin-top: 1.6em; border-bottom: 1px solid #999; padding-bottom: 0.15em; }
h3 { font-size: 1.1em; margin-top: 1.2em; }
p, li { text-align: justify; }
table { border-collapse: collapse; width: 100%; margin: 0.8em 0; font-size: 0.92em; }
th, td { border: 1px solid #777; padding: 0.25em 0.45em; vertical-align: top; text-align: left; }
th { background: #eee; }
code, pre { font-family: "Courier New", "Liberation Mono", "DejaVu Sans Mono", monospace; font-size: 0.9em; }
code { background: #f3f3f3; padding: 0 0.2em; }
pre { background: #f3f3f3; border: 1px solid #ccc; padding: 0.6em; overflow-x: auto; white-space: pre-wrap; }
pre code { background: none; padding: 0; }
blockquote { border-left: 3px solid #999; margin: 0.8em 0; padding: 0.1em 0.9em; color: #333; }
a { color: #0b3d91; }
.footer { margin-top: 3em; font-size: 0.85em; color: #555; text-align: center; }
@media print { body { max-width: none; margin: 0; padding: 0; } a { color: inherit; text-decoration: none; } }
""".strip()


def _title(md_text: str) -> str:
    m = re.search(r"^#\s+(.+)$", md_text, re.M)
    return m.group(1).strip() if m else "Hướng dẫn sử dụng xlpy"


def render(md_text: str) -> str:
    """The page for ``md_text`` (deterministic: same text, same bytes)."""
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"html": False, "typographer": False}).enable("table").enable("strikethrough")
    # border attributes as well as CSS: LibreOffice (the PDF of the bundle) draws only these
    body = md.render(md_text).replace("<table>", '<table border="1" cellspacing="0" cellpadding="4">')
    title = _title(md_text)
    return (
        "<!DOCTYPE html>\n"
        '<html lang="vi">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{html.escape(title)}</title>\n"
        f"<style>\n{CSS}\n</style>\n</head>\n<body>\n"
        f"{body}"
        '<p class="footer">Tạo từ docs/huong-dan-su-dung.md — không sửa trực tiếp tệp này.</p>\n'
        "</body>\n</html>\n"
    )


def main(argv: list[str]) -> int:
    text = SOURCE.read_text(encoding="utf-8")
    page = render(text)
    if "--check" in argv:
        ok = TARGET.exists() and TARGET.read_text(encoding="utf-8") == page
        if not ok:
            print(f"{TARGET.relative_to(ROOT)} is out of date: run python tools/guide_html.py")
        return 0 if ok else 1
    TARGET.write_text(page, encoding="utf-8", newline="\n")
    print(f"wrote {TARGET.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
