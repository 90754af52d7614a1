"""Problems found in input: collected as data, never raised one at a time.

Every check in xlpy appends :class:`Problem` records to a :class:`Problems`
collection and carries on, so an officer sees the whole list at once.  A
problem names the sheet and cell, what was found, what was expected and a
Vietnamese sentence saying how to fix it.
"""

from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING, Iterable, Iterator, NamedTuple

if TYPE_CHECKING:
    from .codes import Code


def _entry(code: "str | Code") -> "Code":
    """The catalogue entry of ``code``.  The catalogue (an Enum of ~190 codes, ~1.6 ms to build)
    is imported when the first problem is recorded: a clean run never needs it."""
    from .codes import Code

    return Code.of(code)


class Severity(str, Enum):
    ERROR = "Lỗi"
    WARNING = "Cảnh báo"


class Problem(NamedTuple):
    code: str  # stable machine code, e.g. "score_above_max"
    sheet: str
    cell: str  # "C5", "C" (a column), "" (the whole sheet)
    found: str
    expected: str
    message: str  # Vietnamese, says what to fix
    severity: Severity = Severity.ERROR
    file: str = ""  # the workbook's file name, when problems of several files are listed together (province)

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def where(self) -> str:
        here = f"{self.sheet}!{self.cell}" if self.cell else self.sheet
        if not self.file:
            return here
        return f"{self.file} › {here}" if here else self.file

    def in_file(self, file: str) -> "Problem":
        """The same problem, naming the workbook file it was found in."""
        return self._replace(file=file)

    def to_dict(self) -> dict:
        d = self._asdict()
        d["severity"] = self.severity.value
        return d

    def __str__(self) -> str:
        return f"[{self.severity.value}] {self.where()}: {self.message} (gặp: {self.found}; cần: {self.expected})"


class Problems:
    """An ordered collection of problems, de-duplicated."""

    def __init__(self, items: Iterable[Problem] = ()):
        self._items: list[Problem] = []
        self._seen: set[Problem] = set()
        self.error_count = 0
        self.reported = 0  # problems reported, repeats included: whether a step said anything
        self.extend(items)

    def add(
        self,
        code: "str | Code",
        sheet: str,
        cell: str,
        found: object,
        expected: str,
        message: str = "",
        severity: Severity = Severity.ERROR,
    ) -> Problem:
        """Record a problem.  ``code`` must be in the catalogue (:class:`xlpy.core.codes.Code`);
        ``message`` is what to fix at this cell (default: the code's general meaning)."""
        c = _entry(code)
        p = Problem(c.value, sheet, cell, _show(found), expected, message or c.template, severity)
        self.reported += 1
        self._append(p)
        return p

    def _append(self, p: Problem) -> None:
        if p not in self._seen:
            self._seen.add(p)
            self._items.append(p)
            if p.is_error:
                self.error_count += 1

    def warn(self, code: "str | Code", sheet: str, cell: str, found: object, expected: str, message: str = "") -> Problem:
        return self.add(code, sheet, cell, found, expected, message, Severity.WARNING)

    def extend(self, items: Iterable[Problem]) -> None:
        for p in items:
            self._append(p)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self._items if p.is_error]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self._items if not p.is_error]

    @property
    def has_errors(self) -> bool:
        return self.error_count > 0

    def __iter__(self) -> Iterator[Problem]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __bool__(self) -> bool:
        return bool(self._items)

    def to_list(self) -> list[dict]:
        return [p.to_dict() for p in self._items]


def _show(value: object) -> str:
    if value is None or value == "":
        return "(ô trống)"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


class InputError(Exception):
    """Raised by the doors (CLI, ribbon, API) when a workbook has errors.

    Carries the whole problem list; the core itself never raises for bad input.
    """

    def __init__(self, problems: Problems | list[Problem], summary: str = ""):
        self.problems = problems if isinstance(problems, Problems) else Problems(problems)
        n = len(self.problems.errors)
        super().__init__(summary or f"Sổ tính có {n} lỗi cần sửa trước khi tính.")


class UserError(Exception):
    """Something an officer must fix or wait for (a file, a setting, another program),
    reported by every door as a Vietnamese message, never as a traceback.

    ``code`` is a catalogue code (:class:`xlpy.core.codes.Code`); ``message`` says what
    happened and what to do."""

    def __init__(self, code: str, message: str):
        self.code = _entry(code).value
        self.message = message
        super().__init__(message)
