"""The policy-rule commands: ``seimbang rules check|test|diff``, ``seimbang explain`` and ``seimbang screen``."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import click

from . import api
from .cli_plugins import load_input, source_options
from .cli_progress import progress
from .cli_support import I18nCommand, I18nGroup, option, write_output
from .i18n import N_, _

DATASET = click.Path(file_okay=False, dir_okay=True, path_type=Path)
RULE_PATHS = click.Path(path_type=Path)
#: What click's option helpers return: a function that adds the option to a command function.
Decorator = Callable[[Callable[..., Any]], Callable[..., Any]]


def _as_of(ctx: click.Context, param: click.Parameter, value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return api.parse_date(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


def as_of_option() -> Decorator:
    return option(
        "--as-of",
        callback=_as_of,
        metavar="YYYY-MM-DD",
        help=N_("Use the rules in force on this date (default: the dataset's as_of date)."),
    )


def engine_option() -> Decorator:
    return option(
        "--engine",
        type=click.Choice(api.ENGINES),
        default="durable",
        show_default=True,
        help=N_("Rule engine: durable (durable_rules, the default) or reference (pure Python, for diagnosis)."),
    )


def across_option() -> Decorator:
    return option(
        "--across-local-governments",
        "across",
        is_flag=True,
        help=N_(
            "In a dataset that lists local governments, also consider moves between them (decided by the Gubernur, "
            "PP 11/2017 Pasal 192), with the receiving local government's rules; by default a move stays inside "
            "the employee's local government."
        ),
    )


def rules_option() -> Decorator:
    return option(
        "--rules",
        "rule_paths",
        type=RULE_PATHS,
        multiple=True,
        help=N_(
            "Rule pack file or folder (repeatable; default: $SEIMBANG_RULES, else the rule packs shipped with seimbang)."
        ),
    )


def format_option(choices: tuple[str, ...] = ("table", "json", "csv")) -> Decorator:
    text = (
        N_("Output: a table for people, JSON or CSV for other tools.")
        if "csv" in choices
        else N_("Output: a table for people or JSON for other tools.")
    )
    return option("--format", "fmt", type=click.Choice(choices), default="table", show_default=True, help=text)


def output_option() -> Decorator:
    return option(
        "--output",
        "-o",
        type=click.Path(dir_okay=False, path_type=Path),
        default=None,
        help=N_("Write to this file instead of the terminal."),
    )


def resolve_rule_paths(paths: tuple[Path, ...]) -> list[Path]:
    """The given rule paths, else ``$SEIMBANG_RULES``, else the rule packs shipped with seimbang."""
    return list(paths) if paths else api.default_rule_paths()


def apply_options(*decorators: Decorator) -> Decorator:
    def wrap(func: Callable[..., Any]) -> Callable[..., Any]:
        for decorator in reversed(decorators):
            func = decorator(func)
        return func

    return wrap


@click.group(
    "rules",
    cls=I18nGroup,
    help=N_("Check and test policy rule packs, and compare two versions of them."),
    short_help=N_("Check, test and compare rule packs."),
)
def rules_group() -> None:
    """The ``seimbang rules`` group."""


@rules_group.command(
    "check",
    help=N_(
        "Validate rule files (default: $SEIMBANG_RULES, else the shipped rule packs): every problem with file, line, column, rule id and a "
        "caret; unknown facts and operators, type mismatches, duplicate ids, filters that can never or always "
        "pass, contradictory filters."
    ),
    short_help=N_("Validate rule files."),
)
@click.argument("paths", nargs=-1, type=RULE_PATHS)
@option(
    "--on",
    "dataset",
    type=DATASET,
    default=None,
    help=N_("Also check the local governments the packs and calendars name against this dataset's."),
)
def check_command(paths: tuple[Path, ...], dataset: Path | None) -> None:
    ruleset = api.check_rules(resolve_rule_paths(paths))
    if dataset is not None:
        api.check_rules_on(ruleset, api.load_dataset(dataset))
    click.echo(api.render_rule_check(ruleset), nl=False)


@rules_group.command(
    "test",
    help=N_(
        "Run the tests written next to the rules (*.test.yaml) and report coverage per rule. Exit code 1 when "
        "a test fails, when there are no tests, or when coverage is below --fail-under."
    ),
    short_help=N_("Run rule tests with coverage."),
)
@click.argument("paths", nargs=-1, type=RULE_PATHS)
@apply_options(engine_option(), format_option(("table", "json")))
@option(
    "--fail-under",
    type=click.FloatRange(0, 100),
    default=100.0,
    show_default=True,
    help=N_("Minimum rule coverage in percent."),
)
def test_command(paths: tuple[Path, ...], engine: str, fmt: str, fail_under: float) -> None:
    report = api.test_rules(resolve_rule_paths(paths), engine)
    click.echo(api.render_rule_tests(report, fmt), nl=False)
    ctx = click.get_current_context()
    if not report.results:
        click.echo(_("No rule tests found: a run with zero tests fails."), err=True)
        ctx.exit(int(api.ExitCode.NEGATIVE_VERDICT))
    if report.failed:
        ctx.exit(int(api.ExitCode.NEGATIVE_VERDICT))
    if report.coverage * 100 < fail_under - 1e-9:
        click.echo(
            _("Rule coverage {coverage}% is below --fail-under {limit}%; not covered: {rules}").format(
                coverage=api.format_number(report.coverage * 100),
                limit=api.format_number(fail_under),
                rules=", ".join(report.uncovered()),
            ),
            err=True,
        )
        ctx.exit(int(api.ExitCode.NEGATIVE_VERDICT))


@rules_group.command(
    "diff",
    help=N_(
        "Screen every under-staffed position of DATASET with the OLD and the NEW rule packs and list the "
        "candidates whose verdict changes."
    ),
    short_help=N_("Compare two versions of rule packs."),
)
@click.argument("old", type=RULE_PATHS)
@click.argument("new", type=RULE_PATHS)
@option("--on", "dataset", type=DATASET, default=None, help=N_("The dataset to screen."))
@source_options
@option(
    "--need",
    "needs",
    multiple=True,
    help=N_("Compare only for this position (repeatable; default: every under-staffed position)."),
)
@apply_options(as_of_option(), engine_option(), format_option(), output_option())
def diff_command(
    old: Path,
    new: Path,
    dataset: Path | None,
    source: str | None,
    mapping: Path | None,
    needs: tuple[str, ...],
    as_of: date | None,
    engine: str,
    fmt: str,
    output: Path | None,
) -> None:
    with progress(_("Loading the dataset and the rules")) as shown:
        data = load_input(dataset, source, mapping)
        report = api.analyse_workload(data)
        old_rules, new_rules = api.check_rules([old]), api.check_rules([new])
        shown.phase(_("Screening with the old and the new rules"))
        positions = list(needs) or None
        diff = api.diff_rules(data, report, old_rules, new_rules, as_of=as_of, engine=engine, positions=positions)
    write_output(api.render_rule_diff(diff, fmt), output)


@rules_group.command(
    "schema",
    help=N_(
        "Print the JSON Schema of rule pack files, for completion and checking in editors (the committed "
        "copy is rules/rule-pack.schema.json)."
    ),
    short_help=N_("JSON Schema of rule pack files."),
)
@apply_options(output_option())
def schema_command(output: Path | None) -> None:
    write_output(json.dumps(api.rule_pack_schema(), indent=2, ensure_ascii=False) + "\n", output)


def _parse_moves(_ctx: click.Context, _param: click.Parameter, values: tuple[str, ...]) -> list[tuple[str, str]]:
    """``NIP:POSITION`` texts as (NIP, position) pairs; a usage error (exit 2) for any other form."""
    moves = []
    for value in values:
        nip, sep, position = value.partition(":")
        if not sep or not nip.strip() or not position.strip():
            raise click.BadParameter(_("expected NIP:POSITION, got '{value}'").format(value=value))
        moves.append((nip.strip(), position.strip()))
    return moves


@click.command(
    "explain",
    cls=I18nCommand,
    help=N_(
        "Explain every rule for moving employee NIP to position --to: pass or fail, the values read, the "
        "threshold and the reason, with the legal basis."
    ),
    short_help=N_("Explain the rules for one move."),
)
@click.argument("dataset", type=DATASET, required=False)
@click.argument("nip", required=False)
@option("--to", "position", required=True, help=N_("Id of the target position."))
@option(
    "--with",
    "others",
    multiple=True,
    callback=_parse_moves,
    metavar="NIP:POSITION",
    help=N_(
        "Another move of the same proposal (repeatable): quotas (formasi, minimum staffing) are judged after "
        "all the moves together, e.g. the other half of a rotation."
    ),
)
@source_options
@across_option()
@apply_options(rules_option(), as_of_option(), engine_option(), format_option(), output_option())
def explain_command(
    dataset: Path | None,
    nip: str | None,
    source: str | None,
    mapping: Path | None,
    position: str,
    others: list[tuple[str, str]],
    across: bool,
    rule_paths: tuple[Path, ...],
    as_of: date | None,
    engine: str,
    fmt: str,
    output: Path | None,
) -> None:
    if source is not None and nip is None and dataset is not None:
        dataset, nip = None, str(dataset)  # with --source, the one argument is the NIP
    if nip is None:
        raise click.UsageError(_("give the NIP of the employee"))
    data = load_input(dataset, source, mapping)
    ruleset = api.check_rules(resolve_rule_paths(rule_paths))
    report = api.analyse_workload(data)
    explanation = api.explain_move(
        data, report, ruleset, nip, position, as_of=as_of, engine=engine, others=others,
        across_local_governments=across,
    )  # fmt: skip
    write_output(api.render_explanation(explanation, fmt), output)


@click.command(
    "screen",
    cls=I18nCommand,
    help=N_(
        "Screen candidates for an under-staffed position (--need) or for every under-staffed position "
        "(--all-needs): eligible candidates ranked by score with their reasons, and on request the excluded "
        "ones with the rule that excluded them."
    ),
    short_help=N_("Screen transfer candidates."),
)
@click.argument("dataset", type=DATASET, required=False)
@source_options
@option("--need", "needs", multiple=True, help=N_("Id of a position to screen for (repeatable)."))
@option("--all-needs", is_flag=True, help=N_("Screen every under-staffed position of the workload analysis."))
@option(
    "--top", type=click.IntRange(1), default=10, show_default=True, help=N_("Eligible candidates to show per need.")
)
@option("--show-excluded", is_flag=True, help=N_("Also list the excluded candidates and the rule that excluded each."))
@across_option()
@apply_options(rules_option(), as_of_option(), engine_option(), format_option(), output_option())
def screen_command(
    dataset: Path | None,
    source: str | None,
    mapping: Path | None,
    needs: tuple[str, ...],
    all_needs: bool,
    top: int,
    show_excluded: bool,
    across: bool,
    rule_paths: tuple[Path, ...],
    as_of: date | None,
    engine: str,
    fmt: str,
    output: Path | None,
) -> None:
    if bool(needs) == all_needs:
        raise click.UsageError(_("give --need POSITION or --all-needs (one of the two)"))
    with progress(_("Loading the dataset and the rules")) as shown:
        data = load_input(dataset, source, mapping)
        ruleset = api.check_rules(resolve_rule_paths(rule_paths))
        shown.phase(_("Screening candidates"))
        report = api.screen_needs(
            data,
            api.analyse_workload(data),
            ruleset,
            positions=list(needs) or None,
            as_of=as_of,
            engine=engine,
            explain_top=top,
            explain_excluded=show_excluded,
            across_local_governments=across,
        )
    write_output(api.render_screening(report, fmt, top, show_excluded), output)
