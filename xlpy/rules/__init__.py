"""Award standards and quota compliance.

Pure core: :mod:`.quotas` (caps, rounding, trimming), :mod:`.engine` (rule
evaluation), :mod:`.money` (reward money), :mod:`.history` (consecutive years),
:mod:`.ruleset` (versioned TOML rule sets).  Thin adapters: :mod:`.inputs`
(the checks' input from the workbook's rows), :mod:`.sheets` (output sheets),
:mod:`.actions` (``xlpy check``, ``xlpy history import``).

Names are imported on first use, so ``import xlpy.rules.titles`` stays light.
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "CheckReport": "engine", "active_rule_set": "engine", "check": "engine", "eligible": "engine",
    "DAT": "model", "KHONG_DAT": "model", "VUOT": "model", "Collective": "model", "Discipline": "model",
    "HistoryRecord": "model", "Movement": "model", "Person": "model", "Proposal": "model", "RulesInput": "model",
    "Verdict": "model",
    "in_words": "money", "money_table": "money", "reward_amount": "money",
    "cap_of": "quotas", "meets_ratio": "quotas", "min_required": "quotas", "quota_cap": "quotas", "trim": "quotas",
    "votes_needed": "quotas", "what_if": "quotas",
    "get_rule_set": "ruleset", "load_rule_sets": "ruleset", "select_rule_set": "ruleset",
    "RuleSettings": "settings",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    mod = _EXPORTS.get(name)
    if mod is None:
        raise AttributeError(f"module 'xlpy.rules' has no attribute {name!r}")
    return getattr(importlib.import_module(f".{mod}", __name__), name)
