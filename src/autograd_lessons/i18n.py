"""Every learner-facing string of the package, and the one list of the languages it speaks.

LANGUAGES is the only place the editions' languages are written: the lesson build, the tests and
every helper read it. The texts live in message modules — the shared ones in
`autograd_lessons.messages` (one per area) and each lesson's own (see `autograd_lessons.course`)
— each keeping the languages side by side so that no message exists in only one of them. This
module merges them into MESSAGES, and `set_language` picks which language the helpers print.

A further language can be added at run time from a catalogue of its own (`add_language`): keys
it does not translate fall back to a language it names. Nothing in the package changes, so a
teacher can try a translation, or a test a made-up language, before it joins LANGUAGES.
"""

from __future__ import annotations

import importlib
import os
import re
import string

LANGUAGES = ("pt", "en")  # the editions the project ships, in the order they are built
DEFAULT_LANGUAGE = "en"
ENV_VARIABLE = "AUTOGRAD_LESSONS_LANG"
LANGUAGE_CODE = re.compile(r"^[a-z]{2}$")  # two-letter ISO 639-1 codes, as lesson sources tag them


def _merged() -> dict[str, dict[str, str]]:
    """The catalogues of every area in one dict; a key defined twice is a bug, reported here."""
    from autograd_lessons import course
    from autograd_lessons.messages import AREAS

    merged: dict[str, dict[str, str]] = {}
    for module in [f"autograd_lessons.messages.{area}" for area in AREAS] + course.catalogue_modules():
        for key, texts in importlib.import_module(module).MESSAGES.items():
            if key in merged:
                raise RuntimeError(f"message key {key!r} is defined twice (again in {module})")
            merged[key] = dict(texts)
    return merged


# key -> {"pt": text, "en": text}. Placeholders use str.format fields, the same in both.
MESSAGES: dict[str, dict[str, str]] = _merged()


class LessonError(TypeError, ValueError):
    """A helper was given input it cannot use; the message says what to do instead.

    It derives from both TypeError and ValueError so that code catching either still works.
    """


# Languages added at run time: code -> the language whose text a missing key falls back to.
_added: dict[str, str] = {}


def languages() -> tuple[str, ...]:
    """Every language messages can be shown in: LANGUAGES, then any added with `add_language`."""
    return LANGUAGES + tuple(_added)


def add_language(code: str, texts: dict[str, str], *, fallback: str = DEFAULT_LANGUAGE) -> None:
    """Make `code` a language of the messages, with `texts` (key -> text) as its catalogue.

    Keys `texts` leaves out are shown in `fallback`. Every key must exist in the package's
    catalogue and keep the same str.format fields as the original, so a translation cannot
    break a message; adding the same code again replaces its texts.
    """
    if not isinstance(code, str) or not LANGUAGE_CODE.match(code) or code in LANGUAGES:
        raise LessonError(message("language.bad_code", value=code, shipped=", ".join(LANGUAGES)))
    if fallback not in languages() or fallback == code:
        raise LessonError(message("language.bad_fallback", value=fallback, valid=", ".join(languages())))
    unknown = sorted(set(texts) - set(MESSAGES))
    if unknown:
        raise LessonError(message("language.unknown_keys", code=code, keys=", ".join(unknown[:5])))
    for key, text in texts.items():
        if placeholders(text) != placeholders(MESSAGES[key][LANGUAGES[0]]):
            fields = ", ".join(sorted(placeholders(MESSAGES[key][LANGUAGES[0]]))) or "—"
            raise LessonError(message("language.fields", code=code, name=key, fields=fields))
    for per_language in MESSAGES.values():
        per_language.pop(code, None)
    for key, text in texts.items():
        MESSAGES[key][code] = text
    _added[code] = fallback


def _normalise(language: object) -> str | None:
    if not isinstance(language, str):
        return None
    code = language.strip().lower().replace("_", "-").split("-")[0]
    return code if code in languages() else None


def _initial_language() -> str:
    return _normalise(os.environ.get(ENV_VARIABLE, "")) or DEFAULT_LANGUAGE


_current = _initial_language()


def set_language(language: str) -> None:
    """Choose the language of every message the helpers print (one of `languages()`).

    Regional forms such as "pt-BR" or "en_US" are accepted.
    """
    global _current
    code = _normalise(language)
    if code is None:
        both = " / ".join(MESSAGES["language.unknown"][lang].format(value=language) for lang in LANGUAGES)
        raise LessonError(both)
    _current = code


def get_language() -> str:
    """The language code currently used for messages."""
    return _current


def message(key: str, language: str | None = None, **fields: object) -> str:
    """The catalogue text for `key` in the current (or given) language, with fields filled in."""
    lang = (_normalise(language) if language is not None else _current) or _current
    texts = MESSAGES[key]
    while lang not in texts:  # an added language without this key: its fallback's text
        lang = _added[lang]
    return texts[lang].format(**fields)


def placeholders(text: str) -> set[str]:
    """The names of the str.format fields in `text` (used to keep translations in step)."""
    return {field for _, field, _, _ in string.Formatter().parse(text) if field}
