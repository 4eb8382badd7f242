"""The YAML rule language: rule packs, rules, conditions and rule tests, as validated models (the AST).

A rule pack is what a policy officer edits::

    pack: nasional
    version: "2026.1"
    title: Aturan nasional mutasi ASN
    effective_from: 2024-01-01
    legal_basis: [PP 11/2017]
    owner: BKPSDM
    rules:
      - id: masa_jabatan_minimal
        kind: filter
        legal_basis: PP 11/2017 Pasal 190(3)
        require: {fact: employee.years_in_position, op: gte, value: 2}
        reasons:
          fail:
            id: "Baru {employee.years_in_position} di jabatan ini; minimal {value} tahun"
            en: "Only {employee.years_in_position} in this post; at least {value} years required"

Semantics (docs/rules-reference.md): a ``filter`` excludes the candidate when it
applies (``when``) and its ``require`` condition is false; a ``score`` adds its
points when its ``when`` holds; a ``quota`` is a filter over facts about the whole
set of proposed moves. Conditions use three-valued logic: a fact the data lacks
makes a comparison *unknown*, never silently true or false.
"""

from __future__ import annotations

import re
from datetime import date
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Discriminator, Field, Tag, model_validator

from ..i18n import _
from ..models.base import Date, FieldError, Identifier, Model

#: A fact name such as ``employee.years_in_position`` (see :mod:`.facts`).
FactName = Annotated[str, Field(pattern=r"^[a-z_]+\.[a-z0-9_]+$")]
RuleId = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=64)]
Scalar = float | bool | date | str


class Op(StrEnum):
    """Comparison operators a condition can use."""

    EQ = "eq"
    NE = "ne"
    LT = "lt"
    LTE = "lte"
    GT = "gt"
    GTE = "gte"
    BETWEEN = "between"
    IN = "in"
    NOT_IN = "not_in"
    CONTAINS = "contains"
    EXISTS = "exists"
    MISSING = "missing"


ORDERED_OPS = {Op.LT, Op.LTE, Op.GT, Op.GTE, Op.BETWEEN}
#: Operators that compare a fact with a value or another fact (``ref``).
BINARY_OPS = {Op.EQ, Op.NE, Op.LT, Op.LTE, Op.GT, Op.GTE}


def _operator(value: Any) -> Any:
    """A built-in operator name as :class:`Op`; any other lowercase name stays text: an operator a plugin
    provides (the rule checker accepts it only when a loaded plugin does, see :mod:`.operators`)."""
    if isinstance(value, str) and value in Op._value2member_map_:
        return Op(value)
    if isinstance(value, Op) or (isinstance(value, str) and re.fullmatch(r"[a-z][a-z0-9_]*", value)):
        return value
    raise ValueError(
        _("'{op}' is not an operator; expected one of: {choices}, or an operator a plugin provides").format(
            op=value, choices=", ".join(op.value for op in Op)
        )
    )


#: A built-in operator (:class:`Op`) or the name of one a plugin provides.
OpName = Annotated[Annotated[Op | str, Field(union_mode="left_to_right")], BeforeValidator(_operator)]


class Compare(Model):
    """``fact op value`` or ``fact op ref`` (another fact); ``op`` is an :class:`Op` or a plugin's operator."""

    fact: FactName
    op: OpName
    value: Scalar | list[Scalar] | None = None
    ref: FactName | None = None

    @model_validator(mode="after")
    def _operands(self) -> Compare:
        if self.op in (Op.EXISTS, Op.MISSING):
            if self.value is not None or self.ref is not None:
                raise FieldError("value", _("'{op}' takes no value").format(op=self.op))
            return self
        if (self.value is None) == (self.ref is None):
            raise FieldError("value", _("give exactly one of 'value' or 'ref' for '{op}'").format(op=self.op))
        if self.ref is not None and self.op not in BINARY_OPS:
            raise FieldError("ref", _("'ref' works only with eq, ne, lt, lte, gt and gte"))
        if self.op is Op.BETWEEN and not (isinstance(self.value, list) and len(self.value) == 2):
            raise FieldError("value", _("'between' needs a list of two values: [low, high]"))
        if self.op in (Op.IN, Op.NOT_IN) and not (isinstance(self.value, list) and self.value):
            raise FieldError("value", _("'{op}' needs a list of values").format(op=self.op))
        if self.op not in (Op.IN, Op.NOT_IN, Op.BETWEEN) and isinstance(self.value, list):  # plugin ops too
            raise FieldError("value", _("'{op}' needs a single value, not a list").format(op=self.op))
        return self


class All(Model):
    """Every condition holds."""

    all: list[Condition] = Field(min_length=1)


class Any_(Model):
    """At least one condition holds."""

    any: list[Condition] = Field(min_length=1)


class Not(Model):
    """The condition does not hold."""

    not_: Condition = Field(alias="not")


#: Prefix of the union tags pydantic puts in error paths; the loader strips them to find the YAML node.
TAG = "condition:"


def _condition_kind(value: Any) -> str:
    """Which condition form a mapping is, so a mistake is reported against that form only."""
    if isinstance(value, dict):
        for key in ("all", "any", "not"):
            if key in value:
                return f"{TAG}{key}"
        return f"{TAG}compare"
    kinds: dict[type, str] = {Compare: "compare", All: "all", Any_: "any", Not: "not"}
    return f"{TAG}{kinds.get(type(value), 'compare')}"


Condition = Annotated[
    Annotated[Compare, Tag(f"{TAG}compare")]
    | Annotated[All, Tag(f"{TAG}all")]
    | Annotated[Any_, Tag(f"{TAG}any")]
    | Annotated[Not, Tag(f"{TAG}not")],
    Discriminator(_condition_kind),
]
All.model_rebuild()
Any_.model_rebuild()
Not.model_rebuild()


class Reason(Model):
    """A reason text in both languages; ``{fact.name}``, ``{value}``, ``{ref}`` show what was read."""

    id: str = Field(min_length=1)
    en: str = Field(min_length=1)


class Reasons(Model):
    """Reason texts shown when the rule passes and when it fails."""

    pass_: Reason | None = Field(default=None, alias="pass")
    fail: Reason | None = None


class RuleKind(StrEnum):
    """How a rule's outcome is used."""

    FILTER = "filter"
    SCORE = "score"
    QUOTA = "quota"


class Rule(Model):
    """One rule with a stable id (never reused for a different meaning)."""

    id: RuleId
    kind: RuleKind
    title: str = Field(min_length=1)
    legal_basis: str = Field(min_length=1)
    #: Optional applicability: when it is false the rule does not apply (a filter then passes).
    when: Condition | None = None
    #: The condition a filter or quota requires; not used by scores.
    require: Condition | None = None
    #: Points a score rule adds when ``when`` holds.
    points: float | None = None
    reasons: Reasons = Field(default_factory=Reasons)
    effective_from: Date | None = None
    effective_until: Date | None = None
    #: True for a value the domain notes mark unconfirmed; shown in explanations.
    unconfirmed: bool = False

    @model_validator(mode="after")
    def _shape(self) -> Rule:
        if self.effective_from and self.effective_until and self.effective_until < self.effective_from:
            raise FieldError("effective_until", _("effective_until is before effective_from"))
        if self.kind is RuleKind.SCORE:
            if self.points is None:
                raise FieldError("points", _("a score rule needs 'points'"))
            if self.require is not None:
                raise FieldError("require", _("a score rule uses 'when', not 'require'"))
        else:
            if self.require is None:
                raise FieldError("require", _("a {kind} rule needs 'require'").format(kind=self.kind.value))
            if self.points is not None:
                raise FieldError("points", _("only score rules have 'points'"))
        return self


class RulePack(Model):
    """A versioned set of rules with its legal basis and validity window."""

    pack: RuleId
    version: str = Field(min_length=1)
    title: str = Field(min_length=1)
    effective_from: Date
    effective_until: Date | None = None
    legal_basis: list[str] = Field(min_length=1)
    owner: str = Field(min_length=1)
    description: str | None = None
    #: The local governments (ids of the dataset's ``local_governments``) the pack applies to; absent: all
    #: (national and shared packs). A pack of a pemda's own policy names its pemda.
    local_governments: list[Identifier] | None = Field(default=None, min_length=1)
    rules: list[Rule] = Field(min_length=1)

    @model_validator(mode="after")
    def _window(self) -> RulePack:
        if self.effective_until is not None and self.effective_until < self.effective_from:
            raise FieldError("effective_until", _("effective_until is before effective_from"))
        return self


class Expectation(Model):
    """What a rule test expects: the verdict, the score, and which rules pass or fail."""

    eligible: bool | Literal["unknown"] | None = None
    score: float | None = None
    passed: list[RuleId] = Field(default_factory=list)
    failed: list[RuleId] = Field(default_factory=list)
    unknown: list[RuleId] = Field(default_factory=list)
    not_applicable: list[RuleId] = Field(default_factory=list)


class RuleTest(Model):
    """A test case next to the rules: given facts, expect an outcome."""

    name: str = Field(min_length=1)
    as_of: Date | None = None
    given: dict[FactName, Any]
    expect: Expectation


class RuleTestFile(Model):
    """A ``*.test.yaml`` file: tests for the packs in the same folder."""

    #: Facts every test starts from (a typical eligible candidate); each test's ``given`` overrides them.
    defaults: dict[FactName, Any] = Field(default_factory=dict)
    tests: list[RuleTest] = Field(min_length=1)


class Election(Model):
    """A regional election: the replacement of officials is frozen from 6 months before candidate determination
    to the end of the incumbent's term (UU 10/2016 Pasal 71(2))."""

    candidate_determination: Date
    term_end: Date


class Approval(Model):
    """A written approval of the Minister of Home Affairs (Mendagri) that lifts the freeze for a period."""

    number: str = Field(min_length=1)
    start: Date
    end: Date


class CalendarPeriod(Model):
    """The days a calendar vouches for: every election and inauguration that matters in them is listed."""

    start: Date
    end: Date

    @model_validator(mode="after")
    def _ordered(self) -> CalendarPeriod:
        if self.end < self.start:
            raise FieldError(
                "end",
                _("the period ends ({end}) before it starts ({start})").format(
                    end=self.end.isoformat(), start=self.start.isoformat()
                ),
            )
        return self


class Calendar(Model):
    """``calendar.yaml`` next to the rule packs: the dates the election rules need, as data.

    ``period`` is required: outside it the election facts are unknown (a later election is not
    listed), so officials' moves are not eligible without review.
    """

    region: str = Field(min_length=1)
    #: The local government (id in the dataset's ``local_governments``) whose elections these are; absent: the
    #: calendar of every local government that has none of its own.
    local_government: Identifier | None = None
    period: CalendarPeriod
    elections: list[Election] = Field(default_factory=list)
    #: Inaugurations of a new regional head: 6 months without replacements follow (UU 10/2016 Pasal 162(3)).
    inaugurations: list[Date] = Field(default_factory=list)
    mendagri_approvals: list[Approval] = Field(default_factory=list)
    source: str | None = None


def rule_pack_schema() -> dict[str, Any]:
    """JSON Schema of a rule pack file, for completion and checking in editors (VS Code's YAML extension...).

    Fact names are listed as an enum so an editor can complete them; ``seimbang rules check`` remains the
    authority (types, logic, effective dates).
    """
    from .facts import FACTS  # facts imports this module

    schema = RulePack.model_json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "seimbang rule pack"
    names = sorted(FACTS)
    properties = schema["$defs"]["Compare"]["properties"]
    properties["fact"]["enum"] = names
    properties["ref"]["anyOf"][0]["enum"] = names
    return schema
