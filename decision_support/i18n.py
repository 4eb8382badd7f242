"""User-facing language: Bahasa Indonesia by default, English on request.

Message ids in the code are English; the Indonesian catalogue lives in
``locale/id/LC_MESSAGES/seimbang.po`` and is compiled to ``.mo`` with Babel
(``python scripts/i18n.py compile``). English is the identity translation.

The active language is per call, not per process: it lives in a :class:`contextvars.ContextVar`,
so a server answering an Indonesian and an English request at once (threads or asyncio tasks) never
mixes them. ``with language("en"): ...`` scopes it; :func:`set_language` sets it for the current
context (the CLI does so once per command). :func:`_` looks it up at call time, never at import time,
because click renders help texts long after the commands were declared.
"""

from __future__ import annotations

import gettext
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path

DOMAIN = "seimbang"
LOCALE_DIR = Path(__file__).parent / "locale"
LANGUAGES = ("id", "en")
DEFAULT_LANGUAGE = "id"
ENV_VAR = "SEIMBANG_LANG"

_translations: dict[str, gettext.NullTranslations] = {}
_translations_lock = threading.Lock()
#: The language of the current call; None until a caller chooses (then $SEIMBANG_LANG or Indonesian).
_language: ContextVar[str | None] = ContextVar("seimbang_language", default=None)


def _load(language: str) -> gettext.NullTranslations:
    with _translations_lock:
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
    """Activate ``language`` (``id`` or ``en``) for every later message of the current context; return it.

    Threads start with a fresh context; use :func:`language` to scope a language to one call.
    """
    code = resolve_language(language)
    _language.set(code)
    return code


@contextmanager
def language(code: str | None) -> Iterator[str]:
    """Render messages in ``code`` inside the ``with`` block only, in this thread or task only."""
    token = _language.set(resolve_language(code))
    try:
        yield _language.get() or DEFAULT_LANGUAGE
    finally:
        _language.reset(token)


def current_language() -> str:
    """The language messages are rendered in right now."""
    return _language.get() or resolve_language(None)


def _(message: str) -> str:
    """Translate ``message`` into the active language."""
    return _load(current_language()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """Translate a message whose form depends on ``n``."""
    return _load(current_language()).ngettext(singular, plural, n)


def chosen_gettext(message: str) -> str:
    """Like :func:`_`, but only where a seimbang call chose a language; else click's own English.

    For click's modules: a host application's own click commands keep their texts.
    """
    code = _language.get()
    return message if code is None else _load(code).gettext(message)


def chosen_ngettext(singular: str, plural: str, n: int) -> str:
    """Like :func:`ngettext`, but only where a seimbang call chose a language (see :func:`chosen_gettext`)."""
    code = _language.get()
    translations = gettext.NullTranslations() if code is None else _load(code)
    return translations.ngettext(singular, plural, n)


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
