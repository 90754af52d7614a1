"""The block's year: registration at the start (đăng ký thi đua, giao ước), decisions at
the end, and the handover to the next year's workbook (``xlpy new-year``).

* :mod:`.registration` — the sheet “Đăng ký thi đua”, read once by the round; the
  check of proposals without registration; the declared deduction it fills; the
  report's first section.
* :mod:`.decisions` — what a year leaves to the award history (decided awards, grades).
* :mod:`.rotation` — next year's Khối trưởng and Khối phó by the block's declared rule.
* :mod:`.newyear` — the plan, asked before writing, and the new workbook.
"""
