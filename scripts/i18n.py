"""Maintain the Indonesian message catalogue with Babel.

    python scripts/i18n.py extract   # refresh seimbang.pot and merge new messages into id/seimbang.po
    python scripts/i18n.py compile   # build seimbang.mo from seimbang.po (done before every commit)
    python scripts/i18n.py check     # fail if a message has no translation or the .mo is stale

The .mo is committed so that a plain ``pip install`` needs no build step;
``tests/test_i18n.py`` checks that it matches the .po.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "decision_support" / "locale"
PO = LOCALE / "id" / "LC_MESSAGES" / "seimbang.po"
MO = PO.with_suffix(".mo")
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2), "N_plural": (1, 2)}


def extract() -> Catalog:
    template = Catalog(project="seimbang", msgid_bugs_address="", charset="utf-8")
    for folder in ("decision_support", "plugins"):
        base = ROOT / folder
        if not base.exists():
            continue
        for filename, lineno, message, comments, context in extract_from_dir(
            str(base), method_map=[("**.py", "python")], keywords=KEYWORDS
        ):
            template.add(message, None, [(f"{folder}/{filename}", lineno)], auto_comments=comments, context=context)
    return template


def load_po() -> Catalog:
    if PO.exists():
        with PO.open("rb") as fh:
            return read_po(fh, locale="id")
    return Catalog(locale="id", project="seimbang", charset="utf-8")


def save_po(catalog: Catalog) -> None:
    PO.parent.mkdir(parents=True, exist_ok=True)
    with PO.open("wb") as fh:
        write_po(fh, catalog, width=0, omit_header=False, sort_output=True, include_previous=False)


def compiled(catalog: Catalog) -> bytes:
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    return buffer.getvalue()


def main(argv: list[str]) -> int:
    command = argv[0] if argv else "check"
    if command == "extract":
        catalog = load_po()
        catalog.update(extract(), no_fuzzy_matching=True)
        save_po(catalog)
        missing = [m.id for m in catalog if m.id and not m.string]
        print(f"{len(catalog)} messages, {len(missing)} untranslated")
        return 0
    if command == "compile":
        MO.write_bytes(compiled(load_po()))
        return 0
    if command == "check":
        catalog = load_po()
        template = extract()
        problems = [f"not in seimbang.po: {m.id!r}" for m in template if m.id and m.id not in catalog]
        problems += [f"untranslated: {m.id!r}" for m in catalog if m.id and (not m.string or m.fuzzy)]
        if not MO.exists() or MO.read_bytes() != compiled(catalog):
            problems.append("seimbang.mo is stale: run python scripts/i18n.py compile")
        print("\n".join(problems) or "catalogue complete")
        return 1 if problems else 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
