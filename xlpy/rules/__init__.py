"""Award standards and quota compliance (issue 3).

Pure core: :mod:`.quotas` (caps, rounding, trimming), :mod:`.engine` (rule
evaluation), :mod:`.money` (reward money), :mod:`.history` (consecutive years),
:mod:`.ruleset` (versioned TOML rule sets).  Thin adapters: :mod:`.sheets`
(workbook sheets), :mod:`.actions` (``xlpy check``, ``xlpy history import``).

Worksheet functions and reports call:

- :func:`quota_cap` (``TDKT_QUOTA``), :func:`min_required`, :func:`votes_needed`
- :func:`eligible` (``TDKT_ELIGIBLE``)
- :func:`check` (a whole round), :func:`select_rule_set`
- :func:`reward_amount`, :func:`money_table`, :func:`in_words`
"""

from .engine import CheckReport, active_rule_set, check, eligible
from .model import DAT, KHONG_DAT, VUOT, Collective, Discipline, HistoryRecord, Movement, Person, Proposal, RulesInput, Verdict
from .money import in_words, money_table, reward_amount
from .quotas import cap_of, meets_ratio, min_required, quota_cap, trim, votes_needed, what_if
from .ruleset import get_rule_set, load_rule_sets, select_rule_set
from .settings import RuleSettings
from .settings import register as _register_settings

_register_settings()

__all__ = [
    "DAT",
    "KHONG_DAT",
    "VUOT",
    "CheckReport",
    "Collective",
    "Discipline",
    "HistoryRecord",
    "Movement",
    "Person",
    "Proposal",
    "RuleSettings",
    "RulesInput",
    "Verdict",
    "active_rule_set",
    "cap_of",
    "check",
    "eligible",
    "get_rule_set",
    "in_words",
    "load_rule_sets",
    "meets_ratio",
    "min_required",
    "money_table",
    "quota_cap",
    "reward_amount",
    "select_rule_set",
    "trim",
    "votes_needed",
    "what_if",
]
