"""Every learner-facing string, and the languages the package speaks.

Texts live in gettext catalogues, one ``<code>.po`` file per language for each component: the
package's own in ``autograd_lessons/locale/``, each lesson's in its folder's ``locale/``, added
when the lesson loads (`add_catalogue`). An entry's ``msgid`` is the message's key
(``graph.leaf``), its ``msgstr`` the text, with ``str.format`` fields such as ``{count}`` (flagged
``python-brace-format``, which translation tools check). LANGUAGES, the languages the package
ships, are the catalogues in the package's own folder: adding ``es.po`` there (and to every
lesson) adds a language, and the lesson build then writes its editions.

A teacher can also try a translation at run time, before it ships (`add_language`): keys it does
not translate fall back to a language it names.
"""

from __future__ import annotations

import os
import re
import string
from collections.abc import Callable, Mapping
from pathlib import Path
from types import MappingProxyType
from typing import NamedTuple

from autograd_lessons.numbers import Decimal

LOCALE = Path(__file__).parent / "locale"  # the package's own catalogues: <code>.po
DEFAULT_LANGUAGE = "en"  # messages fall back to it; every catalogue is complete in it
ENV_VARIABLE = "AUTOGRAD_LESSONS_LANG"
LANGUAGE_CODE = re.compile(r"^[a-z]{2}$")  # two-letter ISO 639-1 codes, as lesson sources tag them
PO_ESCAPES = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}


class LessonError(TypeError, ValueError):
    """A helper was given input it cannot use; the message says what to do instead.

    It derives from both TypeError and ValueError so that code catching either still works.
    `text` keeps the message unworded (key and fields) when the error was made with `of`.
    """

    text: Text | None = None

    @classmethod
    def of(cls, key: str, **fields: object) -> LessonError:
        """The error whose message is `key` with `fields`, worded now and kept as a Text too."""
        error = cls(message(key, **fields))
        error.text = text(key, **fields)
        return error


# --------------------------------------------------------------------------- catalogues


class CatalogueError(ValueError):
    """A catalogue file cannot be read; the message says where."""


def _po_string(literal: str, where: str) -> str:
    if len(literal) < 2 or not literal.startswith('"') or not literal.endswith('"'):
        raise CatalogueError(f"{where}: expected a quoted string, got {literal!r}")
    body, out, i = literal[1:-1], [], 0
    while i < len(body):
        char = body[i]
        if char == "\\":
            if i + 1 >= len(body) or body[i + 1] not in PO_ESCAPES:
                raise CatalogueError(f"{where}: unknown escape in {literal!r}")
            out.append(PO_ESCAPES[body[i + 1]])
            i += 2
            continue
        if char == '"':
            raise CatalogueError(f"{where}: unescaped quote in {literal!r}")
        out.append(char)
        i += 1
    return "".join(out)


def read_po(path: Path) -> dict[str, str]:
    """The entries of a gettext catalogue: msgid -> msgstr (the header and untranslated entries
    left out). Only what the project writes is understood: no contexts, no plural forms."""
    entries: dict[str, str] = {}
    msgid: list[str] | None = None
    msgstr: list[str] | None = None
    current: list[str] | None = None

    def finish(where: str) -> None:
        if msgid is None:
            return
        if msgstr is None:
            raise CatalogueError(f"{where}: msgid without msgstr")
        key, value = "".join(msgid), "".join(msgstr)
        if key in entries:
            raise CatalogueError(f"{where}: msgid {key!r} appears twice")
        if key and value:
            entries[key] = value

    lines = Path(path).read_text(encoding="utf-8").splitlines()
    for number, raw in enumerate(lines, start=1):
        line, where = raw.strip(), f"{Path(path).name}, line {number}"
        if not line or line.startswith("#"):
            continue
        keyword, _, rest = line.partition(" ")
        if keyword == "msgid":
            finish(where)
            msgid, msgstr = [_po_string(rest.strip(), where)], None
            current = msgid
        elif keyword == "msgstr" and msgid is not None and msgstr is None:
            msgstr = [_po_string(rest.strip(), where)]
            current = msgstr
        elif line.startswith('"') and current is not None:
            current.append(_po_string(line, where))
        else:
            raise CatalogueError(f"{where}: cannot read {line[:40]!r} (contexts and plurals are not used here)")
    finish(f"{Path(path).name}, end")
    return entries


def locale_of(path: Path) -> str:
    """The locale a catalogue's header names ("Language: pt_BR"), or the file's language code."""
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if line.startswith('"Language:'):
            return line[len('"Language:') :].strip().removesuffix('"').removesuffix("\\n").strip()
        if line.startswith("msgid") and line != 'msgid ""':
            break
    return Path(path).stem


def _catalogue_files(folder: Path) -> dict[str, Path]:
    return {path.stem: path for path in sorted(Path(folder).glob("*.po")) if LANGUAGE_CODE.match(path.stem)}


# key -> {language: text}. Placeholders use str.format fields, the same in every language.
MESSAGES: dict[str, dict[str, str]] = {}
_owners: dict[str, str] = {}  # key -> the component that defines it
_folders: set[Path] = set()  # catalogue folders already added


def _merge(per_language: Mapping[str, Mapping[str, str]], owner: str) -> None:
    new = {key for texts in per_language.values() for key in texts}
    taken = sorted(key for key in new if key in _owners)
    if taken:
        raise RuntimeError(f"{owner}: message key {taken[0]!r} is already defined by {_owners[taken[0]]}")
    for language, texts in per_language.items():
        for key, value in texts.items():
            MESSAGES.setdefault(key, {})[language] = value
    _owners.update(dict.fromkeys(new, owner))


def add_catalogue(folder: Path, owner: str) -> None:
    """Add the catalogues in `folder` (one ``<code>.po`` per language) under the name `owner`,
    which errors use. A key another component defines is refused; adding a folder twice does nothing."""
    folder = Path(folder).resolve()
    if folder in _folders:
        return
    per_language = {code: read_po(path) for code, path in _catalogue_files(folder).items()}
    unknown = sorted(set(per_language) - set(LANGUAGES))
    if unknown:
        raise RuntimeError(f"{owner}: catalogues for {unknown}, which the package does not speak ({LANGUAGES})")
    _merge(per_language, owner)
    _folders.add(folder)


# The languages the package ships: its own catalogues, in alphabetical order of their codes.
LANGUAGES: tuple[str, ...] = tuple(_catalogue_files(LOCALE))
# Each language's locale, as its catalogue's header names it ("pt" is Brazilian: "pt_BR").
LOCALES: dict[str, str] = {code: locale_of(path) for code, path in _catalogue_files(LOCALE).items()}
add_catalogue(LOCALE, owner="autograd_lessons")


# --------------------------------------------------------------------------- the current language

# Languages added at run time: code -> the language whose text a missing key falls back to.
_added: dict[str, str] = {}
# What adds further catalogues before a language is tried out, so that its keys can be checked
# against every text there is (the course registers the loading of its lessons' texts here).
_providers: list[Callable[[], object]] = []


def provide_catalogues(provider: Callable[[], object]) -> None:
    """Call `provider` (once per call of `add_language`) to add catalogues before a new language's
    keys are checked: a component above this one registers how its texts are loaded."""
    if provider not in _providers:
        _providers.append(provider)


def languages() -> tuple[str, ...]:
    """Every language messages can be shown in: LANGUAGES, then any added with `add_language`."""
    return LANGUAGES + tuple(_added)


def add_language(code: str, texts: Mapping[str, str] | Path, *, fallback: str = DEFAULT_LANGUAGE) -> None:
    """Make `code` a language of the messages, with `texts` (key -> text, or a ``.po`` file) as
    its catalogue.

    Keys `texts` leaves out are shown in `fallback`. Every key must exist in the catalogues
    loaded so far and keep the same str.format fields as the original, so a translation cannot
    break a message; adding the same code again replaces its texts.
    """
    if isinstance(texts, (str, Path)):
        texts = read_po(Path(texts))
    for provide in _providers:
        provide()
    if not isinstance(code, str) or not LANGUAGE_CODE.match(code) or code in LANGUAGES:
        raise LessonError(message("language.bad_code", value=code, shipped=", ".join(LANGUAGES)))
    if fallback not in languages() or fallback == code:
        raise LessonError(message("language.bad_fallback", value=fallback, valid=", ".join(languages())))
    unknown = sorted(set(texts) - set(MESSAGES))
    if unknown:
        raise LessonError(message("language.unknown_keys", code=code, keys=", ".join(unknown[:5])))
    for key, value in texts.items():
        original = MESSAGES[key][DEFAULT_LANGUAGE]
        if placeholders(value) != placeholders(original):
            fields = ", ".join(sorted(placeholders(original))) or "—"
            raise LessonError(message("language.fields", code=code, name=key, fields=fields))
    for per_language in MESSAGES.values():
        per_language.pop(code, None)
    for key, value in texts.items():
        MESSAGES[key][code] = value
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
        every = " / ".join(MESSAGES["language.unknown"][lang].format(value=language) for lang in LANGUAGES)
        raise LessonError(every)
    _current = code


def get_language() -> str:
    """The language code currently used for messages."""
    return _current


DECIMAL_POINT = "numbers.decimal_point"  # each catalogue's decimal separator: "." in English, "," in Portuguese


class _LocalFloat:
    """A float field of a message, written with the language's decimal separator ("{lr}" → 0,1
    in Portuguese; a format spec such as "{share:.1f}" applies first)."""

    __slots__ = ("point", "value")

    def __init__(self, value: float, point: str):
        self.value, self.point = value, point

    def __format__(self, spec: str) -> str:
        written = format(self.value, spec) if spec else repr(self.value)
        return written if self.point == "." else written.replace(".", self.point)

    def __str__(self) -> str:
        return format(self)

    def __repr__(self) -> str:  # "{value!r}": the value as Python writes it, as code would
        return repr(self.value)


def message(key: str, language: str | None = None, **fields: object) -> str:
    """The catalogue text for `key` in the current (or given) language, with fields filled in;
    a float field is written with that language's decimal separator (numbers written into a
    string beforehand, such as tensor values, are left as they are)."""
    lang = (_normalise(language) if language is not None else _current) or _current
    texts = MESSAGES[key]
    while lang not in texts:  # an added language without this key: its fallback's text
        lang = _added.get(lang, DEFAULT_LANGUAGE)
    if any(type(value) is float or isinstance(value, Decimal) for value in fields.values()):
        point = message(DECIMAL_POINT, lang)
        fields = {name: _localised(v, point) for name, v in fields.items()}
    return texts[lang].format(**fields)


def _localised(value: object, point: str) -> object:
    """A float or a Decimal field as the language writes numbers; any other field as it is."""
    if type(value) is float:
        return _LocalFloat(value, point)
    if isinstance(value, Decimal) and point != ".":
        return value.replace(".", point)
    return value


class Text(NamedTuple):
    """A message not yet put into words: its catalogue key and fields, worded each time it is shown.

    Results keep Texts rather than strings, so that a verdict or a piece of feedback made before
    `set_language` is shown in the language chosen since. A field may itself be a Text.
    """

    key: str
    fields: Mapping[str, object] = MappingProxyType({})

    def render(self, language: str | None = None) -> str:
        """The words in `language` (default: the current language)."""
        fields = {name: v.render(language) if isinstance(v, Text) else v for name, v in self.fields.items()}
        return message(self.key, language, **fields)

    def __str__(self) -> str:
        return self.render()

    def __format__(self, spec: str) -> str:
        return format(self.render(), spec)


def text(key: str, **fields: object) -> Text:
    """The Text of `key` with `fields` (a message worded when shown)."""
    return Text(key, MappingProxyType(fields))


def placeholders(template: str) -> set[str]:
    """The names of the str.format fields in `template` (used to keep translations in step)."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


__all__ = [
    "DEFAULT_LANGUAGE",
    "ENV_VARIABLE",
    "LANGUAGES",
    "LOCALE",
    "LOCALES",
    "MESSAGES",
    "CatalogueError",
    "LessonError",
    "Text",
    "add_catalogue",
    "add_language",
    "get_language",
    "languages",
    "locale_of",
    "message",
    "placeholders",
    "provide_catalogues",
    "read_po",
    "set_language",
    "text",
]
