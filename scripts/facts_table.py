"""Print the table of the facts rules can read, as Markdown, from ``decision_support.rules.facts``.

docs/rules-reference.md holds this output between ``<!-- facts:start -->`` and ``<!-- facts:end -->``;
tests/test_docs.py fails when the two differ. After changing FACTS, run::

    python scripts/facts_table.py

and paste the output between the markers.
"""

from __future__ import annotations

from decision_support.rules.facts import ALWAYS_PRESENT, DERIVED, FACTS, FactSpec, FactType

#: What a fact without a list of allowed values can hold, per type.
ANY_VALUE = {
    FactType.NUMBER: "any number",
    FactType.STRING: "any text",
    FactType.BOOLEAN: "`true`, `false`",
    FactType.DATE: "a date",
    FactType.STRINGS: "a list of texts",
}


def cell(text: str) -> str:
    """``text`` safe inside a Markdown table cell."""
    return text.replace("|", "\\|")


def values(spec: FactSpec) -> str:
    """The values a fact can take, as the rules write them."""
    if spec.values:
        return ", ".join(f"`{v}`" for v in spec.values)
    return ANY_VALUE[spec.type]


def meaning(name: str, description: str) -> str:
    """The fact's description, with the facts a derived pair fact is computed from."""
    if name in DERIVED:
        inputs = ", ".join(f"`{i}`" for i in DERIVED[name][0])
        return f"{description} (from {inputs})"
    return description


def table() -> str:
    """Every fact of FACTS, in schema order: name, type, values, whether the data always has it, meaning."""
    lines = [
        "| Fact | Type | Values | Always in the data | Meaning |",
        "|---|---|---|---|---|",
    ]
    for name, spec in FACTS.items():
        present = "yes" if name in ALWAYS_PRESENT else "no"
        lines.append(
            f"| `{name}` | {spec.type.value} | {cell(values(spec))} | {present} "
            f"| {cell(meaning(name, spec.description))} |"
        )
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(table(), end="")
