"""Award standards and quota compliance.

Pure core: :mod:`.engine` (the entry points: ``check``, ``eligible``,
``eligible_many``), :mod:`.conditions` (standards, metrics, procedure rules,
votes), :mod:`.allocation` (quotas applied to candidates, ties at a cut),
:mod:`.outcomes` (the report's data), :mod:`.verdicts` (its Vietnamese text),
:mod:`.quotas` (caps, rounding, trimming), :mod:`.money` (reward money),
:mod:`.history` (consecutive years), :mod:`.ruleset` (versioned TOML rule sets).
Thin adapters: :mod:`.inputs` (the checks' input from the workbook's rows),
:mod:`.sheets` (output sheets), :mod:`.actions` (``xlpy check``,
``xlpy history import``).

Worksheet functions and reports call:

- :func:`quota_cap` (``TDKT_QUOTA``), :func:`min_required`, :func:`votes_needed`
- :func:`eligible`, :func:`eligible_many` (``TDKT_ELIGIBLE``: many rows, one pass)
- :func:`check` (a whole round), :func:`select_rule_set`
- :func:`reward_amount`, :func:`money_table`, :func:`in_words`

Names are imported on first use, so ``import xlpy.rules.titles`` stays light.
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "active_rule_set": "engine", "check": "engine", "eligible": "engine", "eligible_many": "engine",
    "CHO_QUYET_DINH": "model", "DAT": "model", "KHONG_DAT": "model", "STATUSES": "model", "VUOT": "model",
    "Collective": "model", "Discipline": "model", "HistoryRecord": "model", "Movement": "model", "Person": "model",
    "Proposal": "model", "RulesInput": "model", "Verdict": "model",
    "CandidateOutcome": "outcomes", "CheckReport": "outcomes", "QuotaOutcome": "outcomes",
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
