"""The build tooling's own words, in every language the editions are built in.

These texts reach learners (the links row and the Colab setup comment at the top of every
notebook, the site's titles and its theme's interface words) or the maintainer running a build
(the site command's help and progress), so they are kept per language like the package's, in
gettext catalogues of their own (``tools/locale/<code>.po``): the installed package never shows
them. `message` always takes the language explicitly.
"""

from __future__ import annotations

from pathlib import Path

from autograd_lessons.i18n import DEFAULT_LANGUAGE, read_po

LOCALE = Path(__file__).parent / "locale"  # one catalogue per language: <code>.po

# language -> key -> text, read once.
MESSAGES: dict[str, dict[str, str]] = {path.stem: read_po(path) for path in sorted(LOCALE.glob("*.po"))}


def message(key: str, language: str, **fields: object) -> str:
    """The text of `key` in `language`, with `fields` filled in.

    A language this catalogue does not have (a translation being tried out, see
    `tools.editions.lesson_editions`) gets the DEFAULT_LANGUAGE text.
    """
    texts = MESSAGES.get(language, {})
    return texts.get(key, MESSAGES[DEFAULT_LANGUAGE][key]).format(**fields)


__all__ = ["LOCALE", "MESSAGES", "message"]
