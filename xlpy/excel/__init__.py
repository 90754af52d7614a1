"""The Excel door: worksheet functions (:mod:`.udfs`), the ribbon dispatcher
(:mod:`.ribbon`), a :class:`~xlpy.book.io.Book` over a live xlwings workbook
(:mod:`.xwbook`) and the add-in builder (:mod:`.build`).

Nothing here is imported by the core; importing this package does not import
xlwings (the ribbon and UDF modules import it themselves).
"""
