"""The province level: every block's workbook consolidated into one province workbook.

``xlpy province DIR|FILES --out TINH.xlsx`` reads each block's workbook with
:func:`xlpy.round.load_round` (validated as for ``xlpy validate``; a broken file is
listed with its problems and never stops the others), scores every block in one
vectorised pass (:func:`xlpy.core.engine.score_many`), runs each block's own award
check, then the province's checks (:mod:`.checks`), and writes the province
workbook's output sheets (:mod:`.sheets`), the statistical form 0603.N and, on
request, the province report (:mod:`.report`).

* :mod:`.read` — finding the block files and reading them, in parallel where it pays;
* :mod:`.model` — the plain data the checks and sheets work on;
* :mod:`.checks` — the province's checks: pure functions, explained verdicts;
* :mod:`.workbook` — the province workbook's own input sheets;
* :mod:`.actions` — the doors (CLI ``province``, ribbon ``consolidate``).
"""
