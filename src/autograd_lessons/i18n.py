"""Every learner-facing string of the package, in Brazilian Portuguese and English.

The catalogue lives in `autograd_lessons.messages`, one module per area, each keeping the
languages side by side so that no message exists in only one of them. This module merges
them into MESSAGES, and `set_language` picks which language the helpers print.
"""

from __future__ import annotations

import importlib
import os
import string

LANGUAGES = ("pt", "en")
DEFAULT_LANGUAGE = "en"
ENV_VARIABLE = "AUTOGRAD_LESSONS_LANG"



def _merged() -> dict[str, dict[str, str]]:
    """The catalogues of every area in one dict; a key defined twice is a bug, reported here."""
    from autograd_lessons.messages import AREAS

    merged: dict[str, dict[str, str]] = {}
    for area in AREAS:
        for key, texts in importlib.import_module(f"autograd_lessons.messages.{area}").MESSAGES.items():
            if key in merged:
                raise RuntimeError(f"message key {key!r} is defined twice (again in messages/{area}.py)")
            merged[key] = texts
    return merged


# key -> {"pt": text, "en": text}. Placeholders use str.format fields, the same in both.
MESSAGES: dict[str, dict[str, str]] = _merged()


class LessonError(TypeError, ValueError):
    """A helper was given input it cannot use; the message says what to do instead.

    It derives from both TypeError and ValueError so that code catching either still works.
    """


def _normalise(language: object) -> str | None:
    if not isinstance(language, str):
        return None
    code = language.strip().lower().replace("_", "-").split("-")[0]
    return code if code in LANGUAGES else None


def _initial_language() -> str:
    return _normalise(os.environ.get(ENV_VARIABLE, "")) or DEFAULT_LANGUAGE


_current = _initial_language()


def set_language(language: str) -> None:
    """Choose the language of every message the helpers print ("pt" or "en").

    Regional forms such as "pt-BR" or "en_US" are accepted.
    """
    global _current
    code = _normalise(language)
    if code is None:
        both = " / ".join(
            MESSAGES["language.unknown"][lang].format(value=language) for lang in LANGUAGES
        )
        raise LessonError(both)
    _current = code


def get_language() -> str:
    """The language code currently used for messages."""
    return _current


def message(key: str, language: str | None = None, **fields: object) -> str:
    """The catalogue text for `key` in the current (or given) language, with fields filled in."""
    lang = _normalise(language) if language is not None else _current
    return MESSAGES[key][lang or _current].format(**fields)


def placeholders(text: str) -> set[str]:
    """The names of the str.format fields in `text` (used to keep translations in step)."""
    return {field for _, field, _, _ in string.Formatter().parse(text) if field}
