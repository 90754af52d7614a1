"""Files xlpy needs at run time, found inside the installed package.

The repository keeps them in top-level folders that officers and developers
edit (``templates/``, ``workbook/``, ``docs/``); the build maps those folders
into the package as ``xlpy.templates``, ``xlpy.workbook`` and ``xlpy.docs``
(see ``[tool.setuptools.package-dir]`` in pyproject.toml), so a wheel carries
them and code finds them through the import system (:mod:`importlib`), never
through the source tree.  ``$XLPY_TEMPLATES`` names an office's own template folder, which
is searched before the packaged one.
"""

from __future__ import annotations

import os
from importlib.util import find_spec
from pathlib import Path

ENV_TEMPLATES = "XLPY_TEMPLATES"

ADDIN = "xlpy.xlam"
BLANK_WORKBOOK = "xlpy-mau-trong.xlsx"
GUIDE = "huong-dan-su-dung.md"
GUIDE_HTML = "huong-dan-su-dung.html"  # generated from GUIDE (tools/guide_html.py)


def _dir(package: str) -> Path:
    """The folder of a resource package as a real path (wheels are installed unzipped).

    The resource folders hold no ``__init__.py`` (they are namespace packages), so
    their location is the spec's single search location."""
    spec = find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError(f"xlpy is installed without its {package} files; reinstall xlpy")
    return Path(next(iter(spec.submodule_search_locations)))


def packaged_templates() -> Path:
    """The report and mail templates shipped with xlpy."""
    return _dir("xlpy.templates")


def template_dirs(extra: Path | str | None = None) -> list[Path]:
    """Where templates are looked up, first match wins: ``extra`` (an explicitly
    configured folder), ``$XLPY_TEMPLATES``, then the packaged templates."""
    dirs = [Path(p) for p in (extra, os.environ.get(ENV_TEMPLATES)) if p]
    dirs.append(packaged_templates())
    return dirs


def workbook_file(name: str) -> Path:
    """A file of the shipped ``workbook/`` folder: the add-in or the blank workbook."""
    return _dir("xlpy.workbook") / name


def doc_file(name: str) -> Path:
    """A file of the shipped ``docs/`` folder (the Vietnamese user guide)."""
    return _dir("xlpy.docs") / name


def guide_file() -> Path:
    """The user guide to show an officer: the HTML page, else its Markdown source."""
    page = doc_file(GUIDE_HTML)
    return page if page.exists() else doc_file(GUIDE)


def required_files() -> dict[str, Path]:
    """Every packaged file xlpy needs at run time, by what it is for (``xlpy doctor`` and
    the packaging tests check that each one exists)."""
    files = {
        "add-in": workbook_file(ADDIN),
        "blank workbook": workbook_file(BLANK_WORKBOOK),
        "guide": doc_file(GUIDE),
        "guide page": doc_file(GUIDE_HTML),
    }
    tdir = packaged_templates()
    for name in TEMPLATES:
        files[f"template {name}"] = tdir / name
    return files


# The shipped report and mail templates (Word templates and jinja2 HTML/text templates).
TEMPLATES = (
    "bao-cao-khoi.docx",
    "bao-cao-tinh.docx",
    "danh-sach-de-nghi.docx",
    "khong-du-dieu-kien.docx",
    "phu-luc-thong-ke.docx",
    "thong-bao-don-vi.docx",
    "_base.html.j2",
    "bao-cao-khoi.html.j2",
    "danh-sach-de-nghi.html.j2",
    "khong-du-dieu-kien.html.j2",
    "phu-luc-thong-ke.html.j2",
    "thong-bao-don-vi.html.j2",
    "email_office.html.j2",
    "email_office.txt.j2",
    "email_unit.html.j2",
    "email_unit.txt.j2",
)
