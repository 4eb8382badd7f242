"""Compact screening results: a need's candidates as rows into one roster shared by every need.

Screening a province is tens of millions of pairs but only thousands of distinct decisions. A need's
candidate lists therefore hold no per-pair objects: they keep the need's decision column (one ``int32``
per standing employee, shared by every target that presents the rules with the same facts) and the
:class:`Roster` of the screener (the employees, their employee-only exclusions, and the decisions handed
out so far). A :class:`Candidate` is built only when an entry is read; ``len()`` is known without
building anything. Pickling a shard of screenings writes the roster and each distinct column once.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, overload

import numpy as np

from ..models import Employee
from .outcomes import Decision, RuleResult, Verdict

#: Verdicts in the order of the verdict codes (:meth:`Roster.verdicts`, ``Screener.decision_table``).
VERDICTS = (Verdict.ELIGIBLE, Verdict.UNKNOWN, Verdict.EXCLUDED)
ELIGIBLE, UNKNOWN, EXCLUDED = range(3)
#: The code of a row that is no move for the need (the employee already holds the position).
NOT_A_MOVE = -1


@dataclass(frozen=True)
class Candidate:
    """A screened employee for one need."""

    nip: str
    name: str
    origin: str
    verdict: Verdict
    score: float
    #: Rules that excluded the candidate (empty when eligible).
    excluded_by: list[str]
    results: list[RuleResult] = field(default_factory=list)


class Roster:
    """The employees of one screener (dataset order) and the decisions it handed out, shared by all needs.

    ``decisions`` is the screener's own list: it only grows, so a need's codes stay valid. ``early`` holds,
    per employee, the decision of the employee-only rules that exclude them whatever the target (or -1 for
    an employee still standing); ``standing`` the rows of the others, in the order of the decision columns.
    """

    def __init__(self, employees: Sequence[Employee], years: Sequence[float], decisions: list[Decision]) -> None:
        self.nips = [e.nip for e in employees]
        self.names = [e.name for e in employees]
        self.origins = [e.position for e in employees]
        self._origin_ids: dict[str, int] = {}
        self.origin_ids = np.array([self._origin_ids.setdefault(p, len(self._origin_ids)) for p in self.origins])
        #: Tie-breaks of the ranking: years in the current post, and the NIP's place in NIP order.
        self.years = np.asarray(years, dtype=float)
        self.nip_order = np.empty(len(self.nips), dtype=np.int64)
        self.nip_order[sorted(range(len(self.nips)), key=self.nips.__getitem__)] = np.arange(len(self.nips))
        self.decisions = decisions
        self.early = np.full(len(self.nips), -1, dtype=np.int32)
        self.standing = np.zeros(0, dtype=np.int64)
        self._tables: tuple[np.ndarray, np.ndarray] | None = None

    def set_early(self, early: dict[int, int]) -> None:
        """Rows excluded by employee-only rules (row -> decision id); every other row stands."""
        for row, decision in early.items():
            self.early[row] = decision
        self.standing = np.flatnonzero(self.early < 0)

    def tables(self) -> tuple[np.ndarray, np.ndarray]:
        """Verdict code and score of every decision id (rebuilt when decisions were added)."""
        if self._tables is None or len(self._tables[0]) != len(self.decisions):
            verdicts = np.array([VERDICTS.index(d.verdict) for d in self.decisions], dtype=np.int8)
            self._tables = verdicts, np.array([d.score for d in self.decisions], dtype=float)
        return self._tables

    def movers(self, position: str) -> np.ndarray:
        """Whether each row is a move to ``position`` (its holders are not)."""
        found = self._origin_ids.get(position)
        if found is None:
            return np.ones(len(self.nips), dtype=bool)
        return self.origin_ids != found

    def candidate(self, row: int, decision: int) -> Candidate:
        d = self.decisions[decision]
        return Candidate(self.nips[row], self.names[row], self.origins[row], d.verdict, d.score, d.failed, d.results)

    def __getstate__(self) -> dict[str, Any]:
        return {**self.__dict__, "_tables": None}


class SharedColumn:
    """A decision column (decision id per standing employee), shared by the needs whose targets present the
    rules with the same facts. Pickled once per pickle however many needs share it, and compressed: a column
    holds few distinct decisions, mostly the same exclusion."""

    def __init__(self, values: np.ndarray) -> None:
        self.values = values

    def __reduce__(self) -> tuple[Any, ...]:
        small = self.values.astype(np.uint16) if self.values.max(initial=0) < 2**16 else self.values
        return _unpack_column, (small.dtype.str, zlib.compress(small.tobytes(), 1))


def _unpack_column(dtype: str, packed: bytes) -> SharedColumn:
    return SharedColumn(np.frombuffer(zlib.decompress(packed), dtype=dtype).astype(np.int32))


class NeedCodes:
    """The decision of every move for one need, from the shared roster and the need's decision column.

    Built on request and not kept: a need's lists keep only the rows of the entries read so far.
    """

    def __init__(self, roster: Roster, position: str, column: SharedColumn | None, target_decision: int) -> None:
        self.roster = roster
        self.position = position
        #: Decision id per standing employee, or None when a target-only rule excludes every move.
        self.column = column
        self.target_decision = target_decision

    def codes(self) -> np.ndarray:
        """Decision id per roster row; ``NOT_A_MOVE`` for the holders of the position."""
        codes = self.roster.early.copy()
        codes[self.roster.standing] = self.target_decision if self.column is None else self.column.values
        codes[~self.roster.movers(self.position)] = NOT_A_MOVE
        return codes

    def verdicts(self, codes: np.ndarray) -> np.ndarray:
        """Verdict code per roster row (-1 for the holders)."""
        table = self.roster.tables()[0]
        return np.where(codes >= 0, table[np.maximum(codes, 0)], -1)

    def counts(self) -> tuple[int, int, int]:
        found = np.bincount(self.verdicts(self.codes()) + 1, minlength=4)
        return int(found[1]), int(found[2]), int(found[3])

    def rows(self, verdict: int) -> tuple[np.ndarray, np.ndarray]:
        """Rows and decision ids of the candidates with ``verdict``: eligible ranked (score, then longer tenure
        in the current post, then NIP), the others in dataset order."""
        codes = self.codes()
        rows = np.flatnonzero(self.verdicts(codes) == verdict)
        if verdict == ELIGIBLE and len(rows):
            roster, scores = self.roster, self.roster.tables()[1]
            rows = rows[np.lexsort((roster.nip_order[rows], -roster.years[rows], -scores[codes[rows]]))]
        return rows, codes[rows]


class CandidateList(Sequence[Candidate]):
    """The candidates of one need with one verdict, built entry by entry when read.

    ``explained`` replaces the first entries (the candidates screening explained in full). Slices are lists;
    ``==`` and ``+`` work with lists, as with the lists screening used to return.
    """

    def __init__(
        self, source: NeedCodes | None, verdict: int, length: int, explained: Sequence[Candidate] = ()
    ) -> None:
        self.source = source
        self.verdict = verdict
        self._length = length
        self._explained = tuple(explained)
        self._rows: tuple[np.ndarray, np.ndarray] | None = None

    @classmethod
    def of(cls, candidates: Sequence[Candidate]) -> CandidateList:
        """Candidates already built (explained in full, or from elsewhere)."""
        return cls(None, EXCLUDED, len(candidates), candidates)

    def __len__(self) -> int:
        return self._length

    def rows(self) -> tuple[np.ndarray, np.ndarray]:
        """Roster rows and decision ids of the entries, in order (empty for a list of built candidates)."""
        if self._rows is None:
            if self.source is None:
                self._rows = np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int32)
            else:
                self._rows = self.source.rows(self.verdict)
        return self._rows

    def _entry(self, i: int) -> Candidate:
        if i < len(self._explained):
            return self._explained[i]
        assert self.source is not None
        rows, codes = self.rows()
        return self.source.roster.candidate(int(rows[i]), int(codes[i]))

    @overload
    def __getitem__(self, index: int) -> Candidate: ...

    @overload
    def __getitem__(self, index: slice) -> list[Candidate]: ...

    def __getitem__(self, index: int | slice) -> Candidate | list[Candidate]:
        if isinstance(index, slice):
            return [self._entry(i) for i in range(*index.indices(self._length))]
        if index < 0:
            index += self._length
        if not 0 <= index < self._length:
            raise IndexError("candidate index out of range")
        return self._entry(index)

    def __iter__(self) -> Iterator[Candidate]:
        return (self._entry(i) for i in range(self._length))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, CandidateList | list | tuple):
            return len(self) == len(other) and list(self) == list(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]  # equal to lists, which are not hashable

    def __add__(self, other: Sequence[Candidate]) -> list[Candidate]:
        return [*self, *other]

    def __radd__(self, other: Sequence[Candidate]) -> list[Candidate]:
        return [*other, *self]

    def __repr__(self) -> str:
        shown = ", ".join(repr(c) for c in self[:3])
        return f"CandidateList([{shown}{', ...' if self._length > 3 else ''}], {self._length} entries)"

    def __getstate__(self) -> dict[str, Any]:
        return {**self.__dict__, "_rows": None}
