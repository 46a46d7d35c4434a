"""Build the course's static website from the notebooks as stored, with their outputs.

    python -m tools.site [--root ROOT] [--out DIR]

Each language of `i18n.LANGUAGES` gets its own Sphinx build (MyST-NB, with the book theme) in
DIR/<language>/: a home page (docs/<language>/index.md), one page per notebook of that edition
in file order, then the glossary and the other pages of docs/<language>/ (the teacher's guide).
DIR/index.html lets the reader choose a language. Nothing is executed and nothing in the project
is changed: the sources are copied to a temporary folder first, where the notebooks lose their
top cells (links and the Colab install, which the site replaces with launch buttons and a link
to the other language) and their relative links are pointed at the pages the site has.

Every page links to the same page in the other languages (`<a class="language-twin">` in the
page header, `<link rel="alternate" hreflang>` in its head). The site needs no network: maths
is typeset by the MathJax 2 copy shipped with jupyter_server_mathjax, copied once into
DIR/mathjax/, and no widget JavaScript is loaded (a widget shows the picture or text stored with it).

Every picture of a notebook's output gets its description as alt text: the first paragraph of
the output's text/plain when it describes the picture (draw() and `describe_figures()` make it
so; an explorer's text/plain starts with its picture's short description), else a short generic
text in the page's language, never the file's name. What the text/plain says after that first
paragraph (an explorer's own text, which no widget shows on the site) follows the picture in a
`<details>` the reader opens. The logos of the theme's launch buttons, which have their own words,
are decorative: alt="" (`decorative_icons`).

A Sphinx warning fails the build, and the site already in DIR stays as it was. The last line
printed is the absolute path of the site. The site's own words come from the tooling's catalogue
(`tools.catalogue`); the command's help and progress are in the language AUTOGRAD_LESSONS_LANG chooses.
"""

from __future__ import annotations

import argparse
import binascii
import gettext
import hashlib
import html
import io
import json
import os
import posixpath
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from autograd_lessons import i18n
from autograd_lessons.i18n import DEFAULT_LANGUAGE, LANGUAGES, LOCALES, get_language
from tools import links
from tools.catalogue import MESSAGES, message
from tools.editions import COLAB_SETUP_TAG, FOOTER_TAG, HEADER_TAG

SITE_FOLDER = "_site"  # the default output folder, inside the project; the Pages workflow uploads it
NOTEBOOKS = "notebooks"
DOCS = "docs"
GLOSSARY = f"{NOTEBOOKS}/glossary.md"
HOME = "index"  # each edition's home page: docs/<language>/index.md
# Each language as Sphinx names it: the locale its catalogue's header names ("pt" is "pt_BR").
SPHINX_LANGUAGE = LOCALES

# Cells the editions builder adds to every notebook; the site shows none of them (its pages have
# the theme's own previous/next links and the lessons in the sidebar).
DROPPED_CELL_TAGS = frozenset({HEADER_TAG, COLAB_SETUP_TAG, FOOTER_TAG})
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"

# Images of the notebooks' outputs. MyST-NB writes each to _images/<sha256 of its bytes>.<ext>;
# staging maps that hash to the output's description (its text/plain, which draw()'s pictures and,
# after describe_figures(), every matplotlib Figure fill with a description; a widget's is its
# text), so that the page's <img alt> describes the picture, in the page's language.
BASE64_IMAGES = ("image/png", "image/jpeg", "image/gif")  # stored as base64, written as their bytes
TEXT_IMAGES = ("image/svg+xml",)  # stored as text, written with the platform's line separator
PLAIN_FIGURE = re.compile(r"^<Figure size [^>]*>$")  # matplotlib's own text/plain: no description
PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")  # a blank line: the description ends, the details begin
PICTURE_TEXT = "site.picture_text"  # the label of a picture's details, opened on demand
PICTURE_TEXT_CLASS = "autograd-lessons-picture-text"
HASHED_IMAGE = re.compile(r"^([0-9a-f]{64})\.[A-Za-z0-9+]+$")  # an output's image, as MyST-NB names it
IMAGE_FALLBACK = "describe.figure.fallback"  # the package's message for a picture with no description

MATHJAX_FOLDER = "mathjax"  # DIR/mathjax/: one copy serves every language
# TeX-AMS-MML_HTMLorMML, as one file: the only build of that configuration the shipped copy holds.
MATHJAX_CONFIG = "TeX-AMS-MML_HTMLorMML-full"
NATIVE_MML_WEB_FONTS = 6  # how many @font-face rules MathJax 2.7's MathML output declares
MATHJAX2_CONFIG = {
    # Sphinx writes inline maths as \( \) and displayed maths as \[ \] inside elements of class
    # "math"; MyST marks each document "tex2jax_ignore", so only those elements are typeset.
    "tex2jax": {
        "inlineMath": [["\\(", "\\)"]],
        "displayMath": [["\\[", "\\]"]],
        "processEscapes": True,
        "processEnvironments": True,
        "processClass": "math",
        "ignoreClass": "tex2jax_ignore|mathjax_ignore",
    },
    "HTML-CSS": {
        # The shipped copy holds only the STIX web fonts: use them, never look for others.
        "availableFonts": [],
        "preferredFont": None,
        "webFont": "STIX-Web",
        "imageFont": None,
        # MathJax's stand-in font for missing glyphs points at about:blank, which browsers refuse
        # with a console error; a local() name that no system has fails the same way, silently.
        "styles": {"@font-face": {"font-family": "MathJax_Blank", "src": "local('MathJax_Blank')"}},
    },
    # The MathML output (also behind the hidden copy screen readers get) declares TeX web fonts
    # (@font-face /*1*/ … /*6*/ in MathJax 2.7) that the shipped copy lacks: a browser would ask
    # for them and get 404. Pointed at local() names, they are never fetched; system fonts serve.
    "NativeMML": {
        "styles": {
            f"@font-face /*{number}*/": {"src": "local('MathJax_Unavailable')"}
            for number in range(1, NATIVE_MML_WEB_FONTS + 1)
        },
    },
}

# Headings down to ### get GitHub-style anchors, so links that work on the repository's pages
# (the glossary's, the teacher's guide's) work on the site too.
HEADING_ANCHOR_DEPTH = 3

TWIN_TEMPLATE = "language-twin.html"  # the theme shows it at the end of every page's header
TWIN_TEMPLATE_TEXT = """\
{%- if language_twins %}
<div class="language-twins">
{%- for twin in language_twins %}
<a class="language-twin btn btn-sm" href="{{ twin.href|e }}" hreflang="{{ twin.hreflang|e }}" \
lang="{{ twin.hreflang|e }}" title="{{ twin.tooltip|e }}"><i class="fa-solid fa-language"></i> {{ twin.text|e }}</a>
{%- endfor %}
</div>
{%- endif %}
"""
EXTENSION = "tools.site"  # this module: the command, and the Sphinx extension of every build
# The folder that holds the `tools` package: the edition builds' processes import this module from it.
TOOLS_PARENT = Path(__file__).resolve().parent.parent
SITE_CSS = "autograd-lessons.css"  # staged into each edition's _static/
SITE_CSS_TEXT = """\
/* The page header's end holds two items side by side: the language twins, then the theme's buttons. */
.bd-header-article .header-article-items__end { display: flex; align-items: center; gap: .25rem; }
.bd-header-article .language-twins { display: flex; }
.bd-header-article .btn.language-twin { font-size: .9rem; gap: .4rem; white-space: nowrap; }
/* A menu's chosen item (the colour-mode menu's current mode) is written in the theme's primary
   colour on its surface grey: 4.3:1 in the light mode, 4.0:1 in the dark one, under the 4.5:1
   that text needs. The theme's higher-contrast link colour reads at 6.8:1 and 5.2:1, and the
   weight marks the choice without relying on colour alone. */
html .dropdown-menu { --bs-dropdown-link-active-color: var(--pst-color-link-higher-contrast); }
html .dropdown-menu .dropdown-item.active { font-weight: 600; }
/* An explorer's own text below its picture: its lines wrap, so that no part of it needs scrolling. */
.autograd-lessons-picture-text pre { white-space: pre-wrap; overflow-wrap: anywhere; }
"""
# Marks DIR/index.html as written by this command: only such a folder is replaced by a new build.
# The value is the one every build has written since the first (when the builder was the package's
# module of that name), so that a site built before the builder moved here is still replaced.
GENERATOR = "autograd_lessons.site"
# html-page-context handlers run by priority (Sphinx's default is 500): the twin links must be in
# the context before the theme drops header templates that render empty (500), and the launch
# buttons can only be re-pointed after the book theme has added them (501).
TWINS_PRIORITY = 400
LAUNCH_PRIORITY = 600

# Links to another edition's page are written edition:<language>/<page>.html in the staged copies;
# MyST turns them into relative links to the sibling build (a plain relative .html link would be
# looked up, and not found, among the edition's own documents).
EDITION_SCHEME = "edition"
# A markdown link's target: inline `[text](target "title")`, or a reference `[name]: target`.
INLINE_LINK = re.compile(r"(\]\()(<[^>]*>|[^)\s]+)")
REFERENCE_LINK = re.compile(r"(?m)^(\s{0,3}\[[^\]]+\]:\s*)(\S+)")
URL_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


def html_language(language: str) -> str:
    """The language's tag as HTML writes it (lang, hreflang): pt-BR, en."""
    return SPHINX_LANGUAGE.get(language, language).replace("_", "-")


# --- staging: the sources of one edition, copied and adjusted -----------------------------


class Edition:
    """What one language's build is made of: repository path -> staged file name, in order."""

    def __init__(self, root: Path, language: str):
        self.language = language
        home = root / DOCS / language / f"{HOME}.md"
        if not home.is_file():
            raise SystemExit(message("site.error.no_home", get_language(), path=home))
        notebooks = sorted((root / NOTEBOOKS / language).glob("*.ipynb"))
        if not notebooks:
            raise SystemExit(message("site.error.no_notebooks", get_language(), folder=root / NOTEBOOKS / language))
        self.lessons = [f"{NOTEBOOKS}/{language}/{path.name}" for path in notebooks]
        docs = root / DOCS / language
        self.extras = [f"{DOCS}/{language}/{path.name}" for path in sorted(docs.glob("*.md")) if path.stem != HOME]
        if (root / GLOSSARY).is_file():
            self.extras.insert(0, GLOSSARY)
        self.home = f"{DOCS}/{language}/{HOME}.md"
        self.staged = {self.home: f"{HOME}.md"}
        self.staged.update({path: posixpath.basename(path) for path in self.lessons + self.extras})

    def docnames(self) -> list[str]:
        return [posixpath.splitext(name)[0] for name in self.staged.values()]

    def target(self, repository_path: str, editions: dict[str, Edition]) -> str | None:
        """Where a link to `repository_path` points from a page of this edition, or None.

        Files of this edition become its pages; a notebook or page of another edition becomes
        the matching page of that edition's build (a sibling folder of this one).
        """
        if repository_path in self.staged:
            return self.staged[repository_path]
        for language, other in editions.items():
            if language != self.language and repository_path in other.staged:
                page = posixpath.splitext(other.staged[repository_path])[0] + ".html"
                return f"{EDITION_SCHEME}:{language}/{page}"
        return None


def relinked(text: str, source: str, edition: Edition, editions: dict[str, Edition]) -> str:
    """Markdown `text` of the file at repository path `source`, its relative links pointing to the
    staged files (which all sit in the edition's top folder) or to other editions' pages."""

    def replace(match: re.Match) -> str:
        target = match.group(2)
        bracketed = target.startswith("<")
        path, hash_mark, fragment = target.strip("<>").partition("#")
        if not path or URL_SCHEME.match(path) or path.startswith("/"):
            return match.group(0)
        resolved = posixpath.normpath(posixpath.join(posixpath.dirname(source), path))
        staged = edition.target(resolved, editions)
        if staged is None:
            return match.group(0)
        # Headings are worded differently in each language, so are their anchors: a link into
        # another edition leads to the top of the page.
        new = staged if staged.startswith(EDITION_SCHEME + ":") else staged + hash_mark + fragment
        return match.group(1) + (f"<{new}>" if bracketed else new)

    return REFERENCE_LINK.sub(replace, INLINE_LINK.sub(replace, text))


def toctree(caption: str, docnames: list[str]) -> str:
    entries = "\n".join(docnames)
    return f"\n\n```{{toctree}}\n:caption: {caption}\n:maxdepth: 1\n\n{entries}\n```\n"


def image_bytes(mime: str, content) -> bytes:
    """The bytes MyST-NB writes for an output's image (myst_nb.core.render, render_image)."""
    text = content if isinstance(content, str) else "".join(content)
    if mime in BASE64_IMAGES:
        return binascii.a2b_base64(text)
    return os.linesep.join(text.splitlines()).encode("utf-8")


def _paragraphs(data: dict) -> tuple[str, str]:
    """An output's text/plain split at its first blank line: (first paragraph, the rest)."""
    parts = PARAGRAPH_BREAK.split("".join(data.get("text/plain", "")).strip(), maxsplit=1)
    return parts[0], parts[1].strip("\n") if len(parts) > 1 else ""


def description_of(data: dict) -> str | None:
    """An output's description: the first paragraph of its text/plain on one line, unless it is
    matplotlib's own "<Figure size …>", which describes nothing."""
    first, _ = _paragraphs(data)
    text = " ".join(line.strip() for line in first.splitlines() if line.strip())
    return text if text and not PLAIN_FIGURE.match(text) else None


def details_of(data: dict) -> str | None:
    """What an output's text/plain says after its description (an explorer's own text), or None."""
    if description_of(data) is None:
        return None
    _, rest = _paragraphs(data)
    return rest or None


def image_descriptions(notebook: dict, read=description_of) -> dict[str, str]:
    """sha256 of each output image's bytes (the name MyST-NB gives its file) -> its description
    (or, with read=details_of, the details that follow it)."""
    found = {}
    for cell in notebook.get("cells", []):
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            description = read(data)
            if description is None:
                continue
            for mime in BASE64_IMAGES + TEXT_IMAGES:
                if mime in data:
                    found[hashlib.sha256(image_bytes(mime, data[mime])).hexdigest()] = description
    return found


def image_hash(uri: str) -> str | None:
    """The sha256 a notebook output's image is named by (`HASHED_IMAGE`), or None for another image."""
    hashed = HASHED_IMAGE.match(posixpath.basename(uri.replace("\\", "/")))
    return hashed.group(1) if hashed else None


def image_alt(uri: str, descriptions: dict[str, str], language: str) -> str | None:
    """The alt text of the image at `uri`: an output's description, an honest generic text in
    `language` for an output without one, None for an image that is not a notebook output's."""
    hashed = image_hash(uri)
    if hashed is None:
        return None
    return descriptions.get(hashed) or i18n.message(IMAGE_FALLBACK, language)


def stage(
    root: Path, edition: Edition, editions: dict[str, Edition], folder: Path
) -> tuple[dict[str, str], dict[str, str]]:
    """Copy the edition's sources into `folder`, ready for Sphinx; the descriptions of the
    notebooks' images (`image_descriptions`), for their alt text, and the details that follow
    some of them (`details_of`), for the reader to open below the picture."""
    descriptions: dict[str, str] = {}
    details: dict[str, str] = {}
    folder.mkdir(parents=True)
    language = edition.language
    docs = root / DOCS / language
    # Pictures or other files beside the pages (docs/<language>/…) keep their relative places.
    shutil.copytree(docs, folder, dirs_exist_ok=True, ignore=shutil.ignore_patterns("*.md", ".*"))
    for source, name in edition.staged.items():
        text = (root / source).read_text(encoding="utf-8")
        if source.endswith(".ipynb"):
            notebook = json.loads(text)
            notebook["cells"] = [
                cell
                for cell in notebook["cells"]
                if not DROPPED_CELL_TAGS & set(cell.get("metadata", {}).get("tags", []))
            ]
            for cell in notebook["cells"]:
                if cell["cell_type"] == "markdown":
                    lines = cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])
                    cell["source"] = relinked(lines, source, edition, editions)
            descriptions.update(image_descriptions(notebook))
            details.update(image_descriptions(notebook, read=details_of))
            text = json.dumps(notebook, ensure_ascii=False, indent=1)
        else:
            text = relinked(text, source, edition, editions)
        if source == edition.home:
            lessons = [posixpath.splitext(edition.staged[path])[0] for path in edition.lessons]
            extras = [posixpath.splitext(edition.staged[path])[0] for path in edition.extras]
            text = text.rstrip() + toctree(message("site.toc.lessons", language=language), lessons)
            if extras:
                text += toctree(message("site.toc.reference", language=language), extras)
        (folder / name).write_text(text, encoding="utf-8")
    templates = folder / "_templates"
    templates.mkdir(exist_ok=True)
    (templates / TWIN_TEMPLATE).write_text(TWIN_TEMPLATE_TEXT, encoding="utf-8")
    static = folder / "_static"
    static.mkdir(exist_ok=True)
    (static / SITE_CSS).write_text(SITE_CSS_TEXT, encoding="utf-8")
    return descriptions, details


# --- one Sphinx build per language ---------------------------------------------------------


def sphinx_settings(edition: Edition, editions: dict[str, Edition]) -> dict:
    """The Sphinx configuration of one edition (there is no conf.py: these are the overrides)."""
    language = edition.language
    docnames = edition.docnames()
    twins = {
        docname: [other for other in editions if other != language and docname in editions[other].docnames()]
        for docname in docnames
    }
    title = message("site.title", language=language)
    return {
        "project": title,
        "html_title": title,
        "language": SPHINX_LANGUAGE.get(language, language),
        "extensions": ["myst_nb", EXTENSION],
        "root_doc": HOME,
        "templates_path": ["_templates"],
        "exclude_patterns": ["_templates", "_static", "**/.ipynb_checkpoints"],
        "html_theme": "sphinx_book_theme",
        "html_theme_options": {
            "repository_url": links.REPOSITORY_URL,
            "repository_branch": links.BRANCH,
            "path_to_docs": f"{NOTEBOOKS}/{language}",
            "use_repository_button": True,
            "home_page_in_toc": True,
            "launch_buttons": {
                "colab_url": links.COLAB,
                "binderhub_url": links.BINDER,
                "notebook_interface": "jupyterlab",
            },
            "article_header_end": [TWIN_TEMPLATE, "article-header-buttons.html"],
            # The book theme leaves the top bar empty (search sits in the sidebar and the page
            # header); said explicitly, since this Sphinx lets empty theme options inherit.
            "navbar_start": [],
            "navbar_center": [],
            "navbar_end": [],
            "navbar_persistent": [],
            "search_bar_text": message("site.search_placeholder", language=language),
            "footer_content_items": [],  # no author line: the pages have no single author
        },
        "html_static_path": ["_static"],
        "html_css_files": [SITE_CSS],
        # The figures and the verdicts' colours are drawn for a light page (readers can still switch).
        "html_context": {"default_mode": "light"},
        "html_last_updated_fmt": None,
        "nb_execution_mode": "off",
        "nb_ipywidgets_js": {},
        # Stored notebooks keep a widget's picture and text; never pick a view no script renders.
        "nb_mime_priority_overrides": [["html", WIDGET_MIME, None]],
        "nb_merge_streams": True,
        "myst_enable_extensions": ["dollarmath", "amsmath"],
        "myst_update_mathjax": False,
        "myst_heading_anchors": HEADING_ANCHOR_DEPTH,
        "myst_url_schemes": {
            **dict.fromkeys(("http", "https", "mailto", "ftp")),
            EDITION_SCHEME: {"url": "../{{path}}"},
        },
        # Sphinx puts the path under each edition's _static/; two levels up is the site's top folder.
        "mathjax_path": f"../../{MATHJAX_FOLDER}/MathJax.js?config={MATHJAX_CONFIG}",
        "mathjax2_config": MATHJAX2_CONFIG,
        "autograd_lessons_language": language,
        "autograd_lessons_languages": list(editions),
        "autograd_lessons_twins": twins,
        "autograd_lessons_sources": {posixpath.splitext(name)[0]: source for source, name in edition.staged.items()},
    }


def build_edition(job: Path) -> None:
    """Run Sphinx on one staged edition, as `job` (JSON, written by `build_site`) describes it.

    Each edition is built by a process of its own (`python -m tools.site --edition JOB`): Sphinx
    keeps the translations of its interface per process, and the editions build side by side. The
    warnings go to the job's "warnings" file, naming the project's files.
    """
    # jsonschema, which nbformat imports, compiles IRI grammars at import time when the optional
    # rfc3987_syntax is installed (seconds); nothing here validates IRIs, so this process skips it.
    sys.modules.setdefault("rfc3987_syntax", None)
    from sphinx.application import Sphinx
    from sphinx.util.console import nocolor
    from sphinx.util.docutils import docutils_namespace, patch_docutils

    nocolor()  # the warnings are read as text

    spec = json.loads(job.read_text(encoding="utf-8"))
    source, work = Path(spec["source"]), Path(spec["work"])
    warnings = io.StringIO()
    with patch_docutils(source), docutils_namespace():
        app = Sphinx(
            source,
            None,
            work / "html",
            work / "doctrees",
            "html",
            confoverrides=spec["settings"],
            status=None,
            warning=warnings,
            freshenv=True,
        )
        app.build(force_all=True)
    text = warnings.getvalue().strip()
    for staged, original in spec["origins"].items():  # name the project's files, not the copies
        text = text.replace(str(source / staged), original)
    (work / "warnings").write_text(text, encoding="utf-8")


# --- the Sphinx extension: language twins and launch buttons --------------------------------


def _language_twins(app, pagename: str, templatename: str, context: dict, doctree) -> None:
    """The same page in the other editions: header links (the template) and <link rel=alternate>."""
    config = app.config
    language = config.autograd_lessons_language
    if pagename in app.env.found_docs:
        others = config.autograd_lessons_twins.get(pagename, [])
    else:  # a page Sphinx generates (search, index), which every edition has
        others = [other for other in config.autograd_lessons_languages if other != language]
    up = "../" * (pagename.count("/") + 1)
    page = app.builder.get_target_uri(pagename)
    context["language_twins"] = [
        {
            "href": f"{up}{other}/{page}",
            "hreflang": html_language(other),
            "text": message("editions.this_edition", language=other),
            "tooltip": message("site.read_in.tooltip", language=other),
        }
        for other in others
    ]
    alternates = [(language, f"{up}{language}/{page}")] + [(other, f"{up}{other}/{page}") for other in others]
    context["metatags"] = context.get("metatags", "") + "".join(
        f'\n<link rel="alternate" hreflang="{html_language(code)}" href="{html.escape(href)}" />'
        for code, href in alternates
    )


def _launch_buttons(app, pagename: str, templatename: str, context: dict, doctree) -> None:
    """Point the theme's Colab and Binder buttons at the addresses `links` gives for the notebook."""
    source = app.config.autograd_lessons_sources.get(pagename, "")
    if not source.endswith(".ipynb"):
        return
    launchers = {"Colab": links.colab_url, "Binder": links.binder_url}
    for group in context.get("header_buttons", []):
        if group.get("label") == "launch-buttons":
            for button in group["buttons"]:
                if button.get("text") in launchers:
                    button["url"] = launchers[button["text"]](source)


THEME_MESSAGES = "site.theme."  # catalogue keys of the theme's words, looked up by their English text
THEME_CATALOGUES = ("sphinx", "booktheme")  # the gettext catalogues the theme's templates and buttons read


class _ThemeWords(gettext.NullTranslations):
    """The theme's interface words its own catalogues leave untranslated, from the site's messages."""

    def __init__(self, language: str):
        super().__init__()
        self.words = {
            english: message(key, language=language)
            for key, english in MESSAGES[DEFAULT_LANGUAGE].items()
            if key.startswith(THEME_MESSAGES)
        }

    def gettext(self, text: str) -> str:
        return self.words.get(text, text)


def _theme_words(app) -> None:
    """Consulted after the theme's and Sphinx's own catalogues, for the words they lack."""
    from sphinx import locale

    for catalogue in THEME_CATALOGUES:
        locale.get_translator(catalogue).add_fallback(_ThemeWords(app.config.autograd_lessons_language))


def picture_details(text: str, language: str) -> str:
    """The HTML that follows a picture whose output says more than its description: that text,
    as the notebook stores it, in a `<details>` the reader opens."""
    label = html.escape(message(PICTURE_TEXT, language=language))
    return (
        f'<details class="{PICTURE_TEXT_CLASS}"><summary>{label}</summary>'
        f"<pre>{html.escape(text, quote=False)}</pre></details>"
    )


def _image_alts(app, doctree) -> None:
    """Give every image of a notebook's outputs its description as alt text (Sphinx would write
    the file's name), in the edition's language; images that have an alt keep it. An output that
    says more than its description gets the rest right after its picture (`picture_details`)."""
    from docutils import nodes

    config = app.config
    language = config.autograd_lessons_language
    for image in list(doctree.findall(nodes.image)):
        if image.get("alt"):
            continue
        uri = image.get("uri", "")
        alt = image_alt(uri, config.autograd_lessons_image_alts, language)
        if alt is None:
            continue
        image["alt"] = alt
        details = config.autograd_lessons_image_details.get(image_hash(uri))
        if details:
            raw = nodes.raw("", picture_details(details, language), format="html")
            image.parent.insert(image.parent.index(image) + 1, raw)


# The theme's launch buttons (Colab, Binder) show a logo beside their own words; the logo's alt,
# "Binder logo", is English on every page and says again what the words say. A logo beside words
# is decorative, and alt="" is how a page says so (screen readers then skip it).
LABELLED_ICON = re.compile(
    r'(<span class="btn__icon-container">\s*<img )alt="[^"]*"([^>]*>\s*</span>\s*'
    r'<span class="btn__text-container">[^<]*\S[^<]*</span>)'
)


def decorative_icons(page: str) -> str:
    """A page's HTML with alt="" on every header button's logo that has the button's words beside it."""
    return LABELLED_ICON.sub(r'\1alt=""\2', page)


def _pages_written(app, exception) -> None:
    """After the build: every page's launch logos made decorative (`decorative_icons`)."""
    if exception is not None:
        return
    out = Path(app.outdir)
    for page in out.rglob("*.html"):
        if "_static" in page.relative_to(out).parts:
            continue
        text = page.read_text(encoding="utf-8")
        changed = decorative_icons(text)
        if changed != text:
            page.write_text(changed, encoding="utf-8")


def setup(app) -> dict:
    """Sphinx extension entry point (the site's builds list this module among their extensions)."""
    app.add_config_value("autograd_lessons_language", DEFAULT_LANGUAGE, "html", types=frozenset({str}))
    app.add_config_value("autograd_lessons_languages", [], "html", types=frozenset({list, tuple}))
    app.add_config_value("autograd_lessons_twins", {}, "html", types=frozenset({dict}))
    app.add_config_value("autograd_lessons_sources", {}, "html", types=frozenset({dict}))
    app.add_config_value("autograd_lessons_image_alts", {}, "env", types=frozenset({dict}))
    app.add_config_value("autograd_lessons_image_details", {}, "env", types=frozenset({dict}))
    app.connect("builder-inited", _theme_words)
    app.connect("doctree-read", _image_alts)
    app.connect("build-finished", _pages_written)
    app.connect("html-page-context", _language_twins, priority=TWINS_PRIORITY)
    app.connect("html-page-context", _launch_buttons, priority=LAUNCH_PRIORITY)
    return {"parallel_read_safe": True, "parallel_write_safe": True}


# --- the whole site -------------------------------------------------------------------------


def chooser_page() -> str:
    """DIR/index.html: one link per edition, each named in its own language."""
    editions = "\n".join(
        f'<li><a href="{language}/index.html" hreflang="{html_language(language)}" lang="{html_language(language)}">'
        f"<strong>{html.escape(message('site.language_name', language=language))}</strong><br>"
        f"{html.escape(message('site.title', language=language))}</a></li>"
        for language in LANGUAGES
    )
    alternates = "\n".join(
        f'<link rel="alternate" hreflang="{html_language(language)}" href="{language}/index.html">'
        for language in LANGUAGES
    )
    heading = " / ".join(
        f'<span lang="{html_language(language)}">'
        f"{html.escape(message('site.chooser.heading', language=language))}</span>"
        for language in LANGUAGES
    )
    title = " · ".join(html.escape(message("site.title", language=language)) for language in LANGUAGES)
    return f"""<!DOCTYPE html>
<html lang="{html_language(DEFAULT_LANGUAGE)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="{GENERATOR}">
<title>{title}</title>
{alternates}
<style>
body {{ font-family: system-ui, sans-serif; max-width: 40rem; margin: 4rem auto; padding: 0 1rem; line-height: 1.5; }}
ul {{ list-style: none; padding: 0; }}
li a {{ display: block; margin: 1rem 0; padding: 1rem 1.25rem; border: 1px solid #ccc; border-radius: 8px;
        text-decoration: none; color: inherit; }}
li a:hover, li a:focus {{ border-color: #0072B2; }}
strong {{ font-size: 1.25rem; color: #0072B2; }}
</style>
</head>
<body>
<main>
<h1>{heading}</h1>
<ul>
{editions}
</ul>
</main>
</body>
</html>
"""


# Pages the site had under other names: a link kept from then (a slide, a bookmark) leads to a
# page that says where the notebook is now and goes there. (The notebooks were numbered 01 to 06
# until the numbers became their lessons'.)
FORMER_NAMES = {
    "02_exercises": "01_exercises",
    "03_solutions": "01_solutions",
    "04_autograd_in_depth": "02_autograd_in_depth",
    "05_exercises_in_depth": "02_exercises_in_depth",
    "06_solutions_in_depth": "02_solutions_in_depth",
}


def former_page(language: str, new: str) -> str:
    """A page at a former name: a pointer to the page's name now, followed at once."""
    target = f"{new}.html"
    note = html.escape(message("site.moved", language=language, page=new))
    return f"""<!DOCTYPE html>
<html lang="{html_language(language)}">
<head>
<meta charset="utf-8">
<meta name="generator" content="{GENERATOR}">
<meta http-equiv="refresh" content="0; url={target}">
<link rel="canonical" href="{target}">
<title>{note}</title>
</head>
<body>
<main>
<p><a href="{target}">{note}</a></p>
</main>
</body>
</html>
"""


def write_former_pages(site: Path) -> None:
    """A pointer at every former name whose notebook the site still has, in each edition."""
    for language in LANGUAGES:
        for old, new in FORMER_NAMES.items():
            folder = site / language
            if (folder / f"{new}.html").is_file() and not (folder / f"{old}.html").exists():
                (folder / f"{old}.html").write_text(former_page(language, new), encoding="utf-8")


def tooling_environment() -> dict[str, str]:
    """This process's environment with TOOLS_PARENT first on PYTHONPATH, so that a child process
    running `python -m tools.site` finds this package whatever folder the command was started in."""
    paths = [str(TOOLS_PARENT), *filter(None, os.environ.get("PYTHONPATH", "").split(os.pathsep))]
    return {**os.environ, "PYTHONPATH": os.pathsep.join(paths)}


def _replaceable(out: Path) -> bool:
    """Whether `out` may be replaced: missing, empty, or a site this command built."""
    if not out.exists():
        return True
    if not out.is_dir():
        return False
    if not any(out.iterdir()):
        return True
    chooser = out / "index.html"
    return chooser.is_file() and f'content="{GENERATOR}"' in chooser.read_text(encoding="utf-8", errors="replace")


def build_site(root: Path, out: Path) -> Path:
    """Build the site of the project at `root` into `out`; its absolute path."""
    import jupyter_server_mathjax

    root, out = root.resolve(), out.resolve()
    if not _replaceable(out):
        raise SystemExit(message("site.error.not_a_site", get_language(), path=out))
    editions = {language: Edition(root, language) for language in LANGUAGES}
    pages = sum(len(edition.staged) for edition in editions.values())
    print(message("site.progress.building", get_language(), pages=pages, languages=len(editions)), flush=True)
    with tempfile.TemporaryDirectory(prefix="autograd-lessons-site-") as temporary:
        work = Path(temporary)
        builds = {}
        for language, edition in editions.items():
            source, build = work / "source" / language, work / "build" / language
            descriptions, details = stage(root, edition, editions, source)
            build.mkdir(parents=True)
            pictures = {"autograd_lessons_image_alts": descriptions, "autograd_lessons_image_details": details}
            job = {
                "source": str(source),
                "work": str(build),
                "settings": {**sphinx_settings(edition, editions), **pictures},
                "origins": {name: path for path, name in edition.staged.items()},
            }
            (build / "job.json").write_text(json.dumps(job), encoding="utf-8")
            with open(build / "log", "w", encoding="utf-8") as log:
                builds[language] = subprocess.Popen(
                    [sys.executable, "-m", EXTENSION, "--edition", str(build / "job.json")],
                    env=tooling_environment(),
                    stdout=log,
                    stderr=subprocess.STDOUT,
                )
        codes = {language: process.wait() for language, process in builds.items()}  # all, then judge
        site = work / "site"
        site.mkdir()
        for language, code in codes.items():
            build = work / "build" / language
            if code != 0:
                raise SystemExit((build / "log").read_text(encoding="utf-8"))
            warnings = (build / "warnings").read_text(encoding="utf-8")
            if warnings:
                count = len(re.findall(r"WARNING|ERROR", warnings)) or 1
                raise SystemExit(
                    message("site.error.warnings", get_language(), count=count, edition=language, warnings=warnings)
                )
            shutil.move(build / "html", site / language)
        shutil.copytree(Path(jupyter_server_mathjax.__file__).parent / "static", site / MATHJAX_FOLDER)
        (site / "index.html").write_text(chooser_page(), encoding="utf-8")
        write_former_pages(site)
        if out.exists():
            shutil.rmtree(out)
        out.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(str(site), out)
    return out


def main(argv: list[str] | None = None) -> None:
    language = get_language()  # the maintainer's (AUTOGRAD_LESSONS_LANG), as the package's messages
    parser = argparse.ArgumentParser(
        prog=f"python -m {EXTENSION}", description=message("site.cli.description", language)
    )
    parser.add_argument("--root", type=Path, default=Path.cwd(), help=message("site.cli.root", language))
    parser.add_argument("--out", type=Path, default=None, help=message("site.cli.out", language, folder=SITE_FOLDER))
    # Internal: build one staged edition (build_site starts one such process per language).
    parser.add_argument("--edition", type=Path, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.edition is not None:
        build_edition(args.edition)
        return
    started = time.perf_counter()
    out = build_site(args.root, args.out if args.out is not None else args.root / SITE_FOLDER)
    print(message("site.progress.done", language, seconds=time.perf_counter() - started))
    print(out)


if __name__ == "__main__":
    main(sys.argv[1:])
