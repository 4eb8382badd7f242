"""Load rule packs, rule tests and the election calendar from YAML, with every problem located.

A rules folder holds rule packs (``*.yaml``), tests next to them
(``*.test.yaml``) and optionally ``calendar.yaml``. Each file is read with
source positions; each rule is validated on its own (so a mistake names its rule
id); then :mod:`.checking` checks facts, types and logic. A pack that does not
validate never reaches an engine.
"""

from __future__ import annotations

import errno
import hashlib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import Field

from ..errors import InputError, Location, Problem, display_path, os_reason
from ..i18n import _, ngettext
from ..models.base import Model
from ..sources.validation import validate_row
from ..sources.yaml_source import MarkedYaml, load_yaml
from .language import Calendar, Rule, RulePack, RuleTest

CALENDAR = "calendar.yaml"
TEST_SUFFIX = ".test.yaml"


class PackHeader(RulePack):
    """A pack whose rules are not validated yet: each is validated apart so its errors name its rule id."""

    rules: list[Any] = Field(min_length=1)


class TestsHeader(Model):
    defaults: dict[str, Any] = Field(default_factory=dict)
    tests: list[Any] = Field(min_length=1)


@dataclass
class LoadedPack:
    """A validated pack with where it came from and the hash of its file (recorded in every decision)."""

    pack: RulePack
    path: str
    sha256: str
    marked: MarkedYaml
    #: Index in the file of each rule of ``pack.rules`` (some file entries may have been invalid).
    positions: list[int] = field(default_factory=list)

    def rule_location(self, rule: Rule | str, *path: str | int, key: bool = False) -> Location:
        """Where ``rule`` (a rule of this pack, or the first rule with that id) is in the file."""
        order = next((i for i, r in enumerate(self.pack.rules) if r is rule), None)
        if order is None:
            rule_id = rule if isinstance(rule, str) else rule.id
            order = next(i for i, r in enumerate(self.pack.rules) if r.id == rule_id)
        return self.marked.location(("rules", self.positions[order], *path), key=key)

    @property
    def label(self) -> str:
        return f"{self.pack.pack} {self.pack.version}"


@dataclass
class LoadedTests:
    tests: list[RuleTest]
    path: str
    marked: MarkedYaml
    defaults: dict[str, Any] = field(default_factory=dict)

    def location(self, index: int, *path: str | int, key: bool = False) -> Location:
        return self.marked.location(("tests", index, *path), key=key)


@dataclass(frozen=True)
class LoadedCalendar:
    """An election calendar with where it came from and the hash of its file."""

    calendar: Calendar
    path: str
    sha256: str
    marked: MarkedYaml

    @property
    def local_government(self) -> str | None:
        return self.calendar.local_government


@dataclass
class RuleSet:
    """Everything read from rule folders: packs, tests and the election calendars."""

    packs: list[LoadedPack] = field(default_factory=list)
    tests: list[LoadedTests] = field(default_factory=list)
    #: Every calendar read: at most one without a local government, and one per local government named.
    calendars: list[LoadedCalendar] = field(default_factory=list)
    #: Folder -> its pack files that have errors (some or all of their rules did not load).
    broken: dict[Path, list[str]] = field(default_factory=dict)
    #: Folder -> ids of rules in its broken packs that did not load.
    lost_rules: dict[Path, set[str]] = field(default_factory=dict)
    #: Folders with a broken pack whose rule ids are not all known (a YAML syntax error, an empty file).
    opaque: set[Path] = field(default_factory=set)
    #: Test file -> how many of its tests name rules that may be in a broken pack (not checked this run).
    unchecked: dict[str, int] = field(default_factory=dict)

    def consequences(self) -> list[str]:
        """One line per test file whose tests could not be checked because a pack of its folder is broken."""
        lines = []
        for path, count in sorted(self.unchecked.items()):
            packs = ", ".join(self.broken[Path(path).parent])
            lines.append(
                ngettext(
                    "{n} test case in {tests} could not be checked because rule pack {packs} has errors.",
                    "{n} test cases in {tests} could not be checked because rule pack {packs} has errors.",
                    count,
                ).format(n=count, tests=path, packs=packs)
            )
        return lines

    @property
    def shared_calendar(self) -> LoadedCalendar | None:
        """The calendar that names no local government (of the whole dataset, or of every pemda without one)."""
        return next((c for c in self.calendars if c.local_government is None), None)

    @property
    def calendar(self) -> Calendar | None:
        shared = self.shared_calendar
        return shared.calendar if shared is not None else None

    @property
    def calendar_path(self) -> str | None:
        shared = self.shared_calendar
        return shared.path if shared is not None else None

    @property
    def calendar_sha256(self) -> str | None:
        shared = self.shared_calendar
        return shared.sha256 if shared is not None else None

    def calendar_of(self, local_government: str | None) -> LoadedCalendar | None:
        """The calendar of ``local_government``: its own, else the shared one (None: the dataset has none)."""
        own = next((c for c in self.calendars if local_government and c.local_government == local_government), None)
        return own or self.shared_calendar

    def in_force(self, as_of: date) -> list[RulePack]:
        """The packs (and within them the rules) in force on ``as_of``."""
        chosen = []
        for loaded in self.packs:
            pack = loaded.pack
            if pack.effective_from <= as_of and (pack.effective_until is None or as_of <= pack.effective_until):
                rules = [r for r in pack.rules if _rule_in_force(r, as_of)]
                chosen.append(pack.model_copy(update={"rules": rules}) if len(rules) != len(pack.rules) else pack)
        return [p for p in chosen if p.rules]

    def loaded(self, pack: RulePack) -> LoadedPack:
        return next(lp for lp in self.packs if lp.pack.pack == pack.pack and lp.pack.version == pack.version)


def _rule_in_force(rule: Rule, as_of: date) -> bool:
    return (rule.effective_from is None or rule.effective_from <= as_of) and (
        rule.effective_until is None or as_of <= rule.effective_until
    )


def rule_files(paths: list[Path]) -> tuple[list[Path], list[Problem]]:
    """The YAML files under ``paths`` (files or folders, searched recursively), in a stable order."""
    files: list[Path] = []
    problems = []
    for path in map(Path, paths):
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.suffix in (".yaml", ".yml") and not p.is_dir())
            files += [p for p in found if p.is_file()]
            problems += [_unreadable(p) for p in found if not p.is_file()]
        elif path.is_file():
            files.append(path)
        else:
            problems.append(_unreadable(path))
    return files, problems


def _unreadable(path: Path) -> Problem:
    """A path that is neither a folder nor a readable file: missing, a broken link or a link loop."""
    try:
        path.stat()
        message = _("this is not a regular file")
    except OSError as exc:
        message = _("no such file or folder") if exc.errno == errno.ENOENT else os_reason(exc)
    return Problem(Location(display_path(path)), message)


def load_rules(paths: list[Path] | list[str]) -> RuleSet:
    """Read every rule file under ``paths`` and check it; raise :class:`InputError` with all problems."""
    from .checking import check_ruleset  # checking needs the loaded packs; the import keeps files apart

    paths = [Path(p) for p in paths]
    files, problems = rule_files(paths)
    ruleset = RuleSet()
    for path in files:
        problems += _load_file(path, ruleset)
    if not problems and not ruleset.packs:
        shown = ", ".join(display_path(p) for p in paths)
        problems.append(Problem(Location(shown), _("no rule pack found")))
    problems += check_ruleset(ruleset)
    if problems:
        raise InputError(problems, ruleset.consequences())
    return ruleset


def _mark_broken(path: Path, shown: str, ruleset: RuleSet, lost: set[str] | None = None) -> None:
    """Remember a pack file with errors: tests naming its rules are consequences, not news.

    ``lost`` are the ids of its rules that did not load; None when they cannot be known (the file did not
    parse, or a rule has no readable id), and then any rule a test names may be among them.
    """
    if path.name == CALENDAR or path.name.endswith(TEST_SUFFIX):
        return
    ruleset.broken.setdefault(path.parent, []).append(shown)
    if lost is None:
        ruleset.opaque.add(path.parent)
    else:
        ruleset.lost_rules.setdefault(path.parent, set()).update(lost)


def _lost_rules(raw_rules: Any, loaded: set[str]) -> set[str] | None:
    """Ids of the rules in a pack file that did not load, or None when some rule's id is unreadable."""
    if not isinstance(raw_rules, list):
        return None
    ids = [raw.get("id") if isinstance(raw, dict) else None for raw in raw_rules]
    named = [i for i in ids if isinstance(i, str)]
    if len(named) != len(ids):
        return None
    return {i for i in named if i not in loaded}


def _load_file(path: Path, ruleset: RuleSet) -> list[Problem]:
    shown = display_path(path)
    marked, problems = load_yaml(path, shown)
    if marked is None or problems:
        _mark_broken(path, shown, ruleset)
        return problems
    if marked.data is None:
        _mark_broken(path, shown, ruleset)
        return [Problem(Location(marked.path, 1), _empty_file_message(path))]
    if not isinstance(marked.data, dict):
        _mark_broken(path, shown, ruleset)
        return [Problem(marked.location(()), _("expected named fields (key: value)"))]
    if path.name == CALENDAR:
        return _load_calendar(marked, ruleset)
    if path.name.endswith(TEST_SUFFIX):
        return _load_tests(marked, ruleset)
    before = len(ruleset.packs)
    problems = _load_pack(path, marked, ruleset)
    if problems:
        loaded = {r.id for r in ruleset.packs[-1].pack.rules} if len(ruleset.packs) > before else set()
        _mark_broken(path, shown, ruleset, _lost_rules(marked.data.get("rules"), loaded))
    return problems


def _empty_file_message(path: Path) -> str:
    if path.name == CALENDAR:
        return _("the file is empty (or holds only comments); expected an election calendar")
    if path.name.endswith(TEST_SUFFIX):
        return _("the file is empty (or holds only comments); expected rule tests (defaults, tests)")
    return _("the file is empty (or holds only comments); expected a rule pack (pack, version, rules...)")


def _locator(marked: MarkedYaml, prefix: tuple[Any, ...] = ()) -> Any:
    return lambda loc, key: marked.location((*prefix, *loc), key=key)


def _load_calendar(marked: MarkedYaml, ruleset: RuleSet) -> list[Problem]:
    data = marked.data.get("calendar", marked.data) if "calendar" in marked.data else marked.data
    prefix = ("calendar",) if "calendar" in marked.data else ()
    calendar, problems = validate_row(
        Calendar, data, _locator(marked, prefix), fmt="yaml", entity=None, marked=marked, prefix=prefix
    )
    if calendar is not None:
        lg = calendar.local_government
        first = next((c for c in ruleset.calendars if c.local_government == lg), None)
        if first is not None:
            if lg is None:
                message = _("a second calendar; keep one calendar.yaml")
            else:
                message = _("a second calendar for local government {id} (the first is {path})").format(
                    id=lg, path=first.path
                )
            return [Problem(marked.location((*prefix, "local_government") if lg else ()), message)]
        digest = hashlib.sha256(Path(marked.path).read_bytes()).hexdigest()
        ruleset.calendars.append(LoadedCalendar(calendar, marked.path, digest, marked))
    return problems


def _load_pack(path: Path, marked: MarkedYaml, ruleset: RuleSet) -> list[Problem]:
    header, problems = validate_row(PackHeader, marked.data, _locator(marked), fmt="yaml", entity=None, marked=marked)
    raw_rules = marked.data.get("rules")
    if header is None and not isinstance(raw_rules, list):
        return problems
    pack_entity = _("pack {id}").format(id=marked.data.get("pack"))
    rules: list[Rule] = []
    positions: list[int] = []
    # The rules are validated even when the header is not, so one run shows every mistake.
    for i, raw in enumerate(header.rules if header is not None else raw_rules):
        rule_id = raw.get("id") if isinstance(raw, dict) else None
        entity = _("rule {id}").format(id=rule_id) if isinstance(rule_id, str) else pack_entity
        if not isinstance(raw, dict):
            problems.append(
                Problem(marked.location(("rules", i)), _("expected a rule with named fields"), entity=entity)
            )
            continue
        rule, rule_problems = validate_row(
            Rule, raw, _locator(marked, ("rules", i)), fmt="yaml", entity=entity, marked=marked, prefix=("rules", i)
        )
        problems += rule_problems
        if rule is not None:
            rules.append(rule)
            positions.append(i)
    if not rules or header is None:
        return problems
    # With some rules invalid the pack is still kept, so the valid rules get their semantic checks
    # in the same run; load_rules raises for the problems anyway.
    pack = RulePack.model_validate({**header.model_dump(exclude={"rules"}), "rules": rules})
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    ruleset.packs.append(LoadedPack(pack, marked.path, digest, marked, positions))
    return problems


def _load_tests(marked: MarkedYaml, ruleset: RuleSet) -> list[Problem]:
    header, problems = validate_row(TestsHeader, marked.data, _locator(marked), fmt="yaml", entity=None, marked=marked)
    if header is None:
        return problems
    tests = []
    for i, raw in enumerate(header.tests):
        name = raw.get("name") if isinstance(raw, dict) else None
        entity = _("test '{name}'").format(name=name) if isinstance(name, str) else None
        test, test_problems = validate_row(
            RuleTest, raw, _locator(marked, ("tests", i)), fmt="yaml", entity=entity, marked=marked, prefix=("tests", i)
        )
        problems += test_problems
        if test is not None:
            tests.append(test)
    if not problems:
        ruleset.tests.append(LoadedTests(tests, marked.path, marked, header.defaults))
    return problems
