"""Award standards and quota compliance (issue 3).

Pure core: :mod:`.engine` (the entry points: ``check``, ``eligible``,
``eligible_many``), :mod:`.conditions` (standards, metrics, procedure rules,
votes), :mod:`.allocation` (quotas applied to candidates, ties at a cut),
:mod:`.outcomes` (the report's data), :mod:`.verdicts` (its Vietnamese text),
:mod:`.quotas` (caps, rounding, trimming), :mod:`.money` (reward money),
:mod:`.history` (consecutive years), :mod:`.ruleset` (versioned TOML rule sets).
Thin adapters: :mod:`.sheets` (workbook sheets), :mod:`.actions` (``xlpy check``,
``xlpy history import``).

Worksheet functions and reports call:

- :func:`quota_cap` (``TDKT_QUOTA``), :func:`min_required`, :func:`votes_needed`
- :func:`eligible`, :func:`eligible_many` (``TDKT_ELIGIBLE``: many rows, one pass)
- :func:`check` (a whole round), :func:`select_rule_set`
- :func:`reward_amount`, :func:`money_table`, :func:`in_words`
"""

from .engine import active_rule_set, check, eligible, eligible_many
from .model import CHO_QUYET_DINH, DAT, KHONG_DAT, STATUSES, VUOT, Collective, Discipline, HistoryRecord, Movement, Person, Proposal, RulesInput, Verdict
from .outcomes import CandidateOutcome, CheckReport, QuotaOutcome
from .money import in_words, money_table, reward_amount
from .quotas import cap_of, meets_ratio, min_required, quota_cap, trim, votes_needed, what_if
from .ruleset import get_rule_set, load_rule_sets, select_rule_set
from .settings import RuleSettings
from .settings import register as _register_settings

_register_settings()

__all__ = [
    "CHO_QUYET_DINH",
    "DAT",
    "KHONG_DAT",
    "STATUSES",
    "VUOT",
    "CandidateOutcome",
    "CheckReport",
    "Collective",
    "Discipline",
    "HistoryRecord",
    "Movement",
    "Person",
    "Proposal",
    "QuotaOutcome",
    "RuleSettings",
    "RulesInput",
    "Verdict",
    "active_rule_set",
    "cap_of",
    "check",
    "eligible",
    "eligible_many",
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
