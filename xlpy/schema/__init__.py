"""The declared schema of a block workbook: every sheet, column and settings key, once.

``xlpy.schema.base`` holds the matching rules and the parsers; ``core``, ``rules``,
``reports`` and ``mail`` declare their sheets and settings as data, and
:mod:`xlpy.features` says which feature owns which.  Nothing here reads a
file: :mod:`xlpy.round` does, through these declarations.
"""

from __future__ import annotations

from .base import Column, Setting, SettingValues, Table

__all__ = ["Column", "Setting", "SettingValues", "Table"]
