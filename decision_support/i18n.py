"""User-facing language: Bahasa Indonesia by default, English on request.

Message ids in the code are English; the Indonesian catalogue lives in
``locale/id/LC_MESSAGES/seimbang.po`` and is compiled to ``.mo`` with Babel
(``python scripts/i18n.py compile``). English is the identity translation.

The active language is process-wide state because click renders help texts long
after the commands were declared; :func:`set_language` switches it, and
:func:`_` looks it up at call time, never at import time.
"""

from __future__ import annotations

import gettext
import os
from pathlib import Path

DOMAIN = "seimbang"
LOCALE_DIR = Path(__file__).parent / "locale"
LANGUAGES = ("id", "en")
DEFAULT_LANGUAGE = "id"
ENV_VAR = "SEIMBANG_LANG"

_translations: dict[str, gettext.NullTranslations] = {}
_active: gettext.NullTranslations | None = None
_active_language = DEFAULT_LANGUAGE


def _load(language: str) -> gettext.NullTranslations:
    if language not in _translations:
        if language == "en":
            _translations[language] = gettext.NullTranslations()
        else:
            # fallback=False: a missing compiled catalogue is a packaging bug that
            # must surface, not silently turn the whole interface English.
            _translations[language] = gettext.translation(DOMAIN, localedir=LOCALE_DIR, languages=[language])
    return _translations[language]


def resolve_language(requested: str | None = None) -> str:
    """Pick the language: an explicit request, then ``$SEIMBANG_LANG``, then Indonesian."""
    for candidate in (requested, os.environ.get(ENV_VAR)):
        if candidate:
            code = candidate.strip().lower().split("_")[0].split("-")[0]
            if code in LANGUAGES:
                return code
    return DEFAULT_LANGUAGE


def set_language(language: str | None) -> str:
    """Activate ``language`` (``id`` or ``en``) for every later message; return it."""
    global _active, _active_language
    _active_language = resolve_language(language)
    _active = _load(_active_language)
    return _active_language


def current_language() -> str:
    """The language messages are rendered in right now."""
    return _active_language


def _(message: str) -> str:
    """Translate ``message`` into the active language."""
    if _active is None:
        set_language(None)
    assert _active is not None
    return _active.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """Translate a message whose form depends on ``n``."""
    if _active is None:
        set_language(None)
    assert _active is not None
    return _active.ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Mark ``message`` for extraction without translating it yet."""
    return message


def N_plural(singular: str, plural: str) -> tuple[str, str]:
    """Mark a singular/plural pair for extraction without translating it yet."""
    return singular, plural


def format_number(value: float | int | None, digits: int = 0) -> str:
    """A number in the active language's style (1.250,5 in Indonesian); ``-`` for a missing value."""
    from babel.numbers import format_decimal  # Babel loads locale data: only pay for it when formatting

    if value is None:
        return "-"
    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    return format_decimal(value, format=pattern, locale="id" if current_language() == "id" else "en")
