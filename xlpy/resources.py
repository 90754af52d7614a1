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
