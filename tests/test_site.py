"""The static site: both editions built from the stored notebooks, readable offline, every page sound.

`python -m tools.site` is run once for the module into a temporary folder. The unit
tests read what it wrote: a page per notebook, no external script, style sheet, image or font,
the launch buttons, the links between the two languages, the outputs that must show. The browser
tests (marked `browser`) serve the folder on 127.0.0.1 and open every page in headless Chromium,
which may reach nothing else: no error, every image loaded, every local link resolving, the
language links leading to the same page in the other language and back, the maths typeset, and
no serious or critical violation in an accessibility audit (axe-core, which axe_playwright_python
bundles and runs inside the page). Each browser check is also shown to bite on a small page made
to fail it.

Needs the site's tools (pip install -e .[site]); without them the tests are skipped, unless
AUTOGRAD_LESSONS_REQUIRE_BROWSER=1 (set in CI), which turns the skip into a failure. The browser
tests also need Chromium and Playwright, as tests/test_browser.py does, and the audit
axe_playwright_python (the test extra).
"""

from __future__ import annotations

import base64
import functools
import hashlib
import html
import http.server
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import threading
import urllib.parse
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

from autograd_lessons import i18n
from browser_lab import CHROMIUM, CHROMIUM_ARGS, browser_unavailable, local_only, require
from helpers import LANGUAGES, NOTEBOOKS, ROOT, free_port, read_notebook
from tools import editions, links, site
from tools.catalogue import message as tools_message

# The whole module is about the site, which needs the "site" extra and does not depend on torch:
# `python3 tasks.py compat` (the newest torch, without that extra) leaves it to the main run.
pytestmark = pytest.mark.site

WORKFLOW = ROOT / ".github" / "workflows" / "site.yml"
SITE_TOOLS = ("sphinx", "myst_nb", "sphinx_book_theme", "jupyter_server_mathjax")
BUILD_TIMEOUT = 600  # seconds; a build takes a few, far more only if something hangs
PAGE_TIMEOUT_MS = 30_000  # one page, its scripts and its maths, even on a slow CI machine
EXTERNAL = re.compile(r"^(?:https?:)?//", re.I)  # absolute or protocol-relative addresses
CSS_EXTERNAL = re.compile(r"""(?:url\(\s*['"]?|@import\s+['"])\s*(?:https?:)?//""", re.I)
IMAGE_MIMES = ("image/png", "image/svg+xml")
# A formula as Sphinx writes it (MathJax's own output also uses the class "math", inside it).
FORMULA = ".math.notranslate"
TYPESET = ".MathJax, .MathJax_Display, .MathJax_SVG"
VERDICT = 'class="autograd-lessons-verdict"'
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
# The accessibility audit: axe-core's violations of these impacts fail a page (its other impacts,
# "minor" and "moderate", are advice). Every rule axe-core runs by default is on; none is excluded.
FAILING_IMPACTS = ("serious", "critical")
AXE_OPTIONS = {"resultTypes": ["violations"]}
TARGETS_SHOWN = 3  # a violation names its first elements by their selectors, each cut to TARGET_CHARACTERS
TARGET_CHARACTERS = 80
# The page header's menus (launch, download, colour mode), hidden until their button is pressed;
# the theme marks the one open with "show". The colour-mode menu's items carry the mode they choose.
HEADER_MENU_BUTTONS = ".bd-header-article .dropdown-toggle"
OPEN_HEADER_MENU = ".bd-header-article .dropdown-menu.show"
COLOUR_MODE_BUTTON = ".bd-header-article .theme-switch-button"
COLOUR_MODE_ITEM = ".theme-change-button[data-mode='{mode}']"
# (tag, attribute) pairs that make a browser fetch something as it shows the page.
FETCHING_ATTRIBUTES = {
    ("script", "src"),
    ("link", "href"),
    ("img", "src"),
    ("img", "srcset"),
    ("source", "src"),
    ("source", "srcset"),
    ("iframe", "src"),
    ("video", "src"),
    ("video", "poster"),
    ("audio", "src"),
    ("embed", "src"),
    ("object", "data"),
    ("input", "src"),
    ("track", "src"),
}


def site_tools_missing() -> str | None:
    """Why the site cannot be built here, or None when its tools are installed."""
    missing = [name for name in SITE_TOOLS if importlib.util.find_spec(name) is None]
    if missing:
        return f"the site's tools are not installed ({', '.join(missing)}): pip install -e .[site]"
    return None


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, str]:
    """(site folder, what the command printed), from one run of the build into a temporary folder."""
    require(site_tools_missing())
    out = tmp_path_factory.mktemp("served") / "site"
    done = subprocess.run(
        [sys.executable, "-m", site.EXTENSION, "--root", str(ROOT), "--out", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=BUILD_TIMEOUT,
    )
    assert done.returncode == 0, f"the site build failed:\n{done.stdout}\n{done.stderr}"
    return out, done.stdout


@pytest.fixture(scope="module")
def site_folder(built) -> Path:
    return built[0]


def lessons() -> list[tuple[str, str]]:
    """(language, stem) of every notebook of every edition."""
    return [(language, path.stem) for language in LANGUAGES for path in sorted((NOTEBOOKS / language).glob("*.ipynb"))]


def pages(folder: Path) -> list[Path]:
    """Every HTML page of the site. The themes' _static/ folders and MathJax hold HTML fragments
    and files that are assets, not pages: nothing links to them. A page under a former name only
    sends the reader on to the page it names (checked on its own, below)."""
    return sorted(
        path
        for path in folder.rglob("*.html")
        if "_static" not in path.relative_to(folder).parts
        and site.MATHJAX_FOLDER not in path.relative_to(folder).parts
        and path.stem not in site.FORMER_NAMES
    )


class Tags(HTMLParser):
    """Every start tag of a page: (tag, attributes), and the text of its <style> elements."""

    def __init__(self, text: str):
        super().__init__()
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.styles: list[str] = []
        self._in_style = False
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, {name: value or "" for name, value in attrs}))
        self._in_style = tag == "style"

    def handle_endtag(self, tag):
        self._in_style = False

    def handle_data(self, data):
        if self._in_style:
            self.styles.append(data)

    def find(self, tag: str, **wanted: str) -> list[dict[str, str]]:
        """Attributes of the `tag` elements whose attributes include `wanted` (class: one of the classes)."""
        found = []
        for name, attrs in self.tags:
            if name != tag:
                continue
            if all(
                value in attrs.get("class", "").split() if key == "class_" else attrs.get(key) == value
                for key, value in wanted.items()
            ):
                found.append(attrs)
        return found


def external_references(text: str) -> list[str]:
    """What an HTML page would fetch from outside: script, style sheet, image, font, frame…"""
    tags = Tags(text)
    found = []
    for tag, attrs in tags.tags:
        for attribute, value in attrs.items():
            if (tag, attribute) not in FETCHING_ATTRIBUTES:
                continue
            candidates = [part.strip().split(" ")[0] for part in value.split(",")] if attribute == "srcset" else [value]
            found += [f"<{tag} {attribute}={value!r}>" for candidate in candidates if EXTERNAL.match(candidate.strip())]
        if CSS_EXTERNAL.search(attrs.get("style", "")):
            found.append(f"<{tag} style={attrs['style']!r}>")
    found += [f"<style>: {match.group(0)}" for style in tags.styles for match in CSS_EXTERNAL.finditer(style)]
    return found


# --- what the command prints and writes ----------------------------------------------------


def test_the_last_line_printed_is_the_site_folder(built):
    folder, printed = built
    last = printed.strip().splitlines()[-1]
    assert Path(last).is_absolute() and Path(last) == folder.resolve(), printed


@pytest.mark.parametrize("language, stem", lessons())
def test_every_notebook_has_its_page(site_folder, language, stem):
    assert (site_folder / language / f"{stem}.html").is_file()


def test_each_edition_has_its_home_glossary_and_guide_and_the_chooser_links_them(site_folder):
    chooser = Tags((site_folder / "index.html").read_text(encoding="utf-8"))
    for language in LANGUAGES:
        folder = site_folder / language
        assert (folder / "index.html").is_file() and (folder / "glossary.html").is_file()
        guide = ROOT / "docs" / language / "teachers_guide.md"
        if guide.exists():
            assert (folder / "teachers_guide.html").is_file()
            home = (folder / "index.html").read_text(encoding="utf-8")
            assert 'href="teachers_guide.html"' in home, "the teacher's guide must be in the navigation"
        assert chooser.find("a", href=f"{language}/index.html"), f"the chooser does not link {language}/"


@pytest.mark.parametrize("language", LANGUAGES)
def test_pages_declare_their_language(site_folder, language):
    expected = site.html_language(language)
    for page in pages(site_folder / language):
        html_tags = Tags(page.read_text(encoding="utf-8")).find("html")
        assert html_tags and html_tags[0].get("lang") == expected, page


def test_no_page_fetches_anything_from_outside(site_folder):
    found = {}
    for page in sorted(site_folder.rglob("*.html")):
        if references := external_references(page.read_text(encoding="utf-8", errors="replace")):
            found[str(page.relative_to(site_folder))] = references
    for sheet in sorted(site_folder.rglob("*.css")):
        if matches := [m.group(0) for m in CSS_EXTERNAL.finditer(sheet.read_text(encoding="utf-8", errors="replace"))]:
            found[str(sheet.relative_to(site_folder))] = matches
    assert not found, found


def test_the_external_reference_check_bites():
    page = """<html><head><script src="https://cdn.example/x.js"></script>
      <link rel="stylesheet" href="//fonts.example/css"><style>@import "https://a.example/b.css";</style>
      </head><body><img src="http://example.org/a.png"><img srcset="a.png 1x, https://x.example/b.png 2x">
      <div style="background: url('https://example.org/bg.png')"></div>
      <a href="https://example.org">an ordinary link</a><script src="_static/local.js"></script></body></html>"""
    found = external_references(page)
    assert len(found) == 6, found
    assert not any("ordinary" in item or "local.js" in item for item in found)


@pytest.mark.parametrize("language, stem", lessons())
def test_lesson_pages_link_their_twin_in_the_other_languages(site_folder, language, stem):
    tags = Tags((site_folder / language / f"{stem}.html").read_text(encoding="utf-8"))
    for other in LANGUAGES:
        if other == language:
            continue
        twin = f"../{other}/{stem}.html"
        anchors = tags.find("a", class_="language-twin", hreflang=site.html_language(other))
        assert [anchor["href"] for anchor in anchors] == [twin]
        assert tags.find("link", rel="alternate", hreflang=site.html_language(other), href=twin)


@pytest.mark.parametrize("language, stem", lessons())
def test_launch_buttons_open_the_notebook_in_colab_and_binder(site_folder, language, stem):
    path = f"notebooks/{language}/{stem}.ipynb"
    hrefs = {attrs.get("href") for _, attrs in Tags((site_folder / language / f"{stem}.html").read_text("utf-8")).tags}
    assert links.colab_url(path) in hrefs and links.binder_url(path) in hrefs


@pytest.mark.parametrize("language, stem", lessons())
def test_outputs_show_and_top_cells_do_not(site_folder, language, stem):
    """Figures (also widgets' stored pictures), verdicts and text-only widget fallbacks are on the
    page; the notebook's top cells are not (the copy the site keeps in _sources/ has none)."""
    notebook = read_notebook(NOTEBOOKS / language / f"{stem}.ipynb")
    kept = [
        cell for cell in notebook["cells"] if not site.DROPPED_CELL_TAGS & set(cell.get("metadata", {}).get("tags", []))
    ]
    outputs = [output.get("data", {}) for cell in kept for output in cell.get("outputs", [])]
    text = (site_folder / language / f"{stem}.html").read_text(encoding="utf-8")
    images = [attrs for attrs in Tags(text).find("img") if attrs.get("src", "").startswith("_images/")]
    assert len(images) == sum(1 for data in outputs if any(mime in data for mime in IMAGE_MIMES))
    verdicts = sum("".join(data.get("text/html", "")).count(VERDICT) for data in outputs)
    assert text.count(VERDICT) == verdicts
    for data in outputs:
        if WIDGET_MIME in data and not any(mime in data for mime in IMAGE_MIMES):
            first_line = "".join(data.get("text/plain", "")).strip().splitlines()[0]
            assert html.escape(first_line, quote=False) in text, f"widget fallback missing: {first_line!r}"
    staged = json.loads((site_folder / language / "_sources" / f"{stem}.ipynb").read_text(encoding="utf-8"))
    assert len(staged["cells"]) == len(kept)
    assert not any(site.DROPPED_CELL_TAGS & set(c.get("metadata", {}).get("tags", [])) for c in staged["cells"])


# --- alt text: every picture described, in its page's language ----------------------------

# What an alt text must never be: a file's name, a path to one, or the hash MyST-NB names it by.
FILE_NAME = re.compile(r"(?:^|[\s/])[\w.-]+\.(?:png|svg|jpe?g|gif)\b|\b[0-9a-f]{64}\b|_images/", re.I)


# A picture's alt text is read out in one go, with no heading or list a reader could skip by: at
# most ALT_SENTENCES sentences (what the picture is; what it shows; at a step, which step) of at
# most ALT_CHARACTERS characters in all. The longest the package writes, a graph at a step of the
# backward pass, stays under it; an explorer's details follow its picture, not in its alt.
ALT_CHARACTERS = 300
ALT_SENTENCES = 3
SENTENCE_BREAK = re.compile(r"(?<=[.!?…])\s+")  # after a sentence's last mark; "1.5" and "x.grad" do not break
PICTURE_TEXT = re.compile(
    r'<details class="autograd-lessons-picture-text"><summary>([^<]*)</summary><pre>(.*?)</pre>', re.S
)
BUTTON_ICON = re.compile(
    r'<span class="btn__icon-container">\s*<img ([^>]*)>\s*</span>\s*<span class="btn__text-container">'
)


def picture_outputs(language: str, stem: str) -> list[dict]:
    """The data of each output picture of a lesson page, in page order, as that language's notebook stores it."""
    notebook = read_notebook(NOTEBOOKS / language / f"{stem}.ipynb")
    return [
        output.get("data", {})
        for cell in notebook["cells"]
        if not site.DROPPED_CELL_TAGS & set(cell.get("metadata", {}).get("tags", []))
        for output in cell.get("outputs", [])
        if any(mime in output.get("data", {}) for mime in IMAGE_MIMES)
    ]


def paragraphs(data: dict) -> list[str]:
    """An output's text/plain, paragraph by paragraph (split at blank lines)."""
    return [part for part in re.split(r"\n\s*\n", "".join(data.get("text/plain", "")).strip()) if part.strip()]


def expected_alts(language: str, stem: str) -> list[str]:
    """The alt text of each output picture of a lesson page, in page order: the first paragraph of
    the output's text/plain as stored in that language's notebook when it describes the picture
    (on one line), else the package's generic text in that language."""
    found = []
    for data in picture_outputs(language, stem):
        plain = " ".join((paragraphs(data) or [""])[0].split())
        described = plain and not plain.startswith("<Figure size")
        found.append(plain if described else i18n.message("describe.figure.fallback", language))
    return found


def alt_length_problems(alt: str) -> list[str]:
    """What keeps an alt text from being short sentences: too long, no full stop at its end, a
    sentence that starts in lower case, more than ALT_SENTENCES sentences."""
    problems = []
    if len(alt) > ALT_CHARACTERS:
        problems.append(f"{len(alt)} characters, more than {ALT_CHARACTERS}")
    if not alt.endswith((".", "!", "?", "…")):
        problems.append("no full stop at the end")
    found = SENTENCE_BREAK.split(alt)
    problems += [f"a sentence in lower case: {part[:40]!r}" for part in found if part[:1].islower()]
    if len(found) > ALT_SENTENCES:
        problems.append(f"{len(found)} sentences, more than {ALT_SENTENCES}")
    return problems


def output_images(text: str) -> list[dict[str, str]]:
    return [attrs for attrs in Tags(text).find("img") if attrs.get("src", "").startswith("_images/")]


def alt_problems(text: str, expected: list[str], twin: list[str]) -> list[str]:
    """What is wrong with the alt texts of a lesson page: an image without one or with a file's
    name for one; an output picture whose alt is not its description (`expected`), or is the same
    as that of the same picture on the page of another language (`twin`): not in this language."""
    problems = []
    for attrs in Tags(text).find("img"):
        alt, src = attrs.get("alt", "").strip(), attrs.get("src", "")
        if "alt" not in attrs or (not alt and src.startswith("_images/")):  # alt="": decorative, never an output
            problems.append(f"{src}: no alt text")
        elif FILE_NAME.search(alt):
            problems.append(f"{src}: the alt text is a file name: {alt!r}")
    outputs = output_images(text)
    if len(outputs) != len(expected):
        problems.append(f"{len(outputs)} output pictures, the notebook has {len(expected)}")
    for number, (attrs, wanted) in enumerate(zip(outputs, expected, strict=False), start=1):
        alt = attrs.get("alt", "")
        if alt != wanted:
            problems.append(f"picture {number}: alt {alt[:80]!r}, expected {wanted[:80]!r}")
        if number <= len(twin) and alt == twin[number - 1]:
            problems.append(f"picture {number}: the same alt as the other language's page: {alt[:80]!r}")
    return problems


@pytest.mark.parametrize("language, stem", lessons())
def test_every_picture_has_an_alt_that_describes_it_in_the_pages_language(site_folder, language, stem):
    text = (site_folder / language / f"{stem}.html").read_text(encoding="utf-8")
    problems = []
    for other in LANGUAGES:
        if other != language:
            twin = (site_folder / other / f"{stem}.html").read_text(encoding="utf-8")
            problems += alt_problems(text, expected_alts(language, stem), [a["alt"] for a in output_images(twin)])
    assert not problems, "\n".join(problems)
    for attrs in output_images(text):  # the file is named by its bytes' hash, as staging assumed
        path = site_folder / language / attrs["src"]
        assert hashlib.sha256(path.read_bytes()).hexdigest() == path.stem, path


def test_the_alt_check_bites():
    pt, en = "Grafo computacional de y: 3 nós.", "Computational graph of y: 3 nodes."
    page = f"""<img src="_static/logo.svg"><img alt="_images/{"a" * 64}.png" src="_images/{"a" * 64}.png">
      <img alt="{en}" src="_images/{"b" * 64}.png"><img alt="{pt}" src="_images/{"c" * 64}.png">
      <img alt="" src="_static/images/logo_binder.svg">"""
    found = alt_problems(page, [pt, pt, pt], [en, en, pt])
    assert found == [
        "_static/logo.svg: no alt text",
        f"_images/{'a' * 64}.png: the alt text is a file name: '_images/{'a' * 64}.png'",
        f"picture 1: alt '_images/{'a' * 64}.png', expected {pt!r}",
        f"picture 2: alt {en!r}, expected {pt!r}",
        f"picture 2: the same alt as the other language's page: {en!r}",
        f"picture 3: the same alt as the other language's page: {pt!r}",
    ], found
    assert alt_problems(f'<img alt="{pt}" src="_images/{"c" * 64}.png">', [pt], [en]) == []
    assert alt_problems(f'<img alt="" src="_images/{"c" * 64}.png">', [""], [en])[0].endswith("no alt text")
    assert FILE_NAME.search("figure.png") and FILE_NAME.search("see /tmp/x/abc.svg") and not FILE_NAME.search(pt)


@pytest.mark.parametrize("language, stem", lessons())
def test_every_pictures_alt_is_a_few_short_sentences(site_folder, language, stem):
    text = (site_folder / language / f"{stem}.html").read_text(encoding="utf-8")
    problems = [
        f"picture {number}: {problem}: {attrs.get('alt', '')[:80]!r}"
        for number, attrs in enumerate(output_images(text), start=1)
        for problem in alt_length_problems(html.unescape(attrs.get("alt", "")))
    ]
    assert not problems, "\n".join(problems)


def test_the_alt_length_check_bites():
    glued = "Retropropagação passo a passo: 3 passos passo 1 de 3: MulBackward0 · derivada da multiplicação (×)"
    assert alt_length_problems(glued) == ["no full stop at the end"]
    assert alt_length_problems("Grafo. " * 4 + "x" * ALT_CHARACTERS + ".") == [
        f"{len('Grafo. ' * 4) + ALT_CHARACTERS + 1} characters, more than {ALT_CHARACTERS}",
        "a sentence in lower case: " + repr("x" * 40),
        f"5 sentences, more than {ALT_SENTENCES}",
    ]
    assert alt_length_problems("Grafo de d em a = 1,5409961: 10 nós. O x.grad vale [0.5, 1].") == []


@pytest.mark.parametrize("language, stem", lessons())
def test_an_explorers_own_text_follows_its_picture(site_folder, language, stem):
    """An output that says more than its picture's description (an explorer: its text, which no
    widget shows on the site) has the rest right after the picture, in a <details> to open."""
    text = (site_folder / language / f"{stem}.html").read_text(encoding="utf-8")
    wanted = ["\n\n".join(paragraphs(data)[1:]) for data in picture_outputs(language, stem) if paragraphs(data)[1:]]
    shown = [(html.unescape(label), html.unescape(body)) for label, body in PICTURE_TEXT.findall(text)]
    label = tools_message("site.picture_text", language)
    assert shown == [(label, body) for body in wanted]


def test_the_explorers_of_lesson_1_have_their_text_on_the_site(site_folder):
    """Lesson 1 shows three explorers (the stepper, the vector–Jacobian product, the control flow):
    each has its short description for the alt and its own text below the picture."""
    for language in LANGUAGES:
        text = (site_folder / language / "01_autograd.html").read_text(encoding="utf-8")
        assert len(PICTURE_TEXT.findall(text)) >= 3, language


@pytest.mark.parametrize("language, stem", lessons())
def test_the_launch_buttons_logos_are_decorative_beside_their_words(site_folder, language, stem):
    """The Colab and Binder buttons say their names; their logos' alt is empty (the theme writes
    "Binder logo", in English on every page), so that a screen reader reads each name once."""
    text = (site_folder / language / f"{stem}.html").read_text(encoding="utf-8")
    icons = BUTTON_ICON.findall(text)
    assert len(icons) >= 2, "the launch buttons (Colab, Binder) are missing"
    assert all(re.search(r'\balt=""', icon) for icon in icons), icons
    assert not [attrs for attrs in Tags(text).find("img") if "logo" in attrs.get("alt", "").lower()]


def test_only_a_logo_beside_its_buttons_words_loses_its_alt():
    named = (
        '<span class="btn__icon-container">\n    <img alt="Binder logo" src="b.svg">\n  </span>\n'
        '<span class="btn__text-container">Binder</span>'
    )
    alone = '<span class="btn__icon-container"><img alt="Binder logo" src="b.svg"></span>'
    assert site.decorative_icons(named) == named.replace('alt="Binder logo"', 'alt=""')
    assert site.decorative_icons(alone) == alone
    assert site.decorative_icons('<img alt="Binder logo" src="b.svg">') == '<img alt="Binder logo" src="b.svg">'


# --- staging, without Sphinx ---------------------------------------------------------------


def make_project(root: Path, with_top_cells: bool) -> None:
    """A two-notebook project per language: the first notebook links the glossary, its twin and
    the second one; with `with_top_cells`, each starts with the editions builder's top cells."""
    (root / "notebooks").mkdir(parents=True)
    (root / "notebooks" / "glossary.md").write_text("# Glossary\n", encoding="utf-8")
    for language in LANGUAGES:
        other = next(code for code in LANGUAGES if code != language)
        (root / "docs" / language).mkdir(parents=True)
        (root / "docs" / language / "index.md").write_text("# Home\n", encoding="utf-8")
        folder = root / "notebooks" / language
        folder.mkdir()
        body = [
            {
                "cell_type": "markdown",
                "metadata": {},
                "source": (
                    f"# One\n\n[glossary](../glossary.md#glossary) · [twin](../{other}/01_one.ipynb#one) · "
                    "[next](02_two.ipynb) · [web](https://example.org/x.md) · [here](#one)"
                ),
            },
            {"cell_type": "code", "metadata": {}, "source": "1 + 1", "outputs": [], "execution_count": 1},
        ]
        top = [
            {
                "cell_type": "markdown",
                "metadata": {"tags": ["course-header"]},
                "source": f"[twin](../{other}/01_one.ipynb)",
            },
            {
                "cell_type": "code",
                "metadata": {"tags": ["colab-setup"]},
                "source": "pass",
                "outputs": [],
                "execution_count": None,
            },
        ]
        for stem, cells in (("01_one", (top if with_top_cells else []) + body), ("02_two", body[1:])):
            notebook = {"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
            (folder / f"{stem}.ipynb").write_text(json.dumps(notebook), encoding="utf-8")


@pytest.mark.parametrize("with_top_cells", [True, False])
def test_staging_drops_the_top_cells_and_points_links_at_the_sites_pages(tmp_path, with_top_cells):
    root = tmp_path / "project"
    make_project(root, with_top_cells)
    editions = {language: site.Edition(root, language) for language in LANGUAGES}
    language = LANGUAGES[0]
    other = LANGUAGES[1]
    folder = tmp_path / "staged"
    before = {path: path.read_bytes() for path in root.rglob("*") if path.is_file()}
    site.stage(root, editions[language], editions, folder)
    assert {path: path.read_bytes() for path in root.rglob("*") if path.is_file()} == before
    cells = json.loads((folder / "01_one.ipynb").read_text(encoding="utf-8"))["cells"]
    assert [cell["cell_type"] for cell in cells] == ["markdown", "code"]
    assert cells[0]["source"] == (
        f"# One\n\n[glossary](glossary.md#glossary) · [twin]({site.EDITION_SCHEME}:{other}/01_one.html) · "
        "[next](02_two.ipynb) · [web](https://example.org/x.md) · [here](#one)"
    )
    home = (folder / "index.md").read_text(encoding="utf-8")
    assert home.index("01_one") < home.index("02_two") < home.index("glossary")
    assert sorted(path.name for path in folder.glob("*.md")) == ["glossary.md", "index.md"]


def test_a_new_notebook_gets_a_page_and_a_place_in_the_lessons(tmp_path):
    root = tmp_path / "project"
    make_project(root, with_top_cells=True)
    for language in LANGUAGES:
        shutil.copy(root / "notebooks" / language / "02_two.ipynb", root / "notebooks" / language / "03_three.ipynb")
    editions = {language: site.Edition(root, language) for language in LANGUAGES}
    folder = tmp_path / "staged"
    site.stage(root, editions[LANGUAGES[0]], editions, folder)
    assert (folder / "03_three.ipynb").is_file()
    home = (folder / "index.md").read_text(encoding="utf-8")
    assert home.index("02_two") < home.index("03_three") < home.index("glossary")


PNG_1PX = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYGBgAAAABQABXvMqGgAAAABJRU5ErkJggg=="
)


def test_staging_maps_each_pictures_hash_to_its_description(tmp_path):
    """The hash is of the bytes MyST-NB writes (a PNG's decoded bytes, an SVG's text); a figure's
    "<Figure size …>" describes nothing and gets the generic text, in the page's language."""
    root = tmp_path / "project"
    make_project(root, with_top_cells=False)
    png = base64.b64encode(PNG_1PX).decode("ascii")
    svg = ["<svg xmlns='http://www.w3.org/2000/svg'>\n", "<rect width='1' height='1'/>\n", "</svg>\n"]
    plain_png = base64.b64encode(PNG_1PX + b"plain").decode("ascii")
    widget_png = base64.b64encode(PNG_1PX + b"widget").decode("ascii")
    outputs = [
        {
            "output_type": "display_data",
            "metadata": {},
            "data": {"image/png": png, "text/plain": ["Line plot:\n", "x"]},
        },
        {
            "output_type": "display_data",
            "metadata": {},
            "data": {"image/png": widget_png, "text/plain": ["Step 1 of 3.\n", "\n", "Steps: 3\n", "  step 1"]},
        },
        {"output_type": "display_data", "metadata": {}, "data": {"image/svg+xml": svg, "text/plain": "A graph."}},
        {
            "output_type": "display_data",
            "metadata": {},
            "data": {"image/png": plain_png, "text/plain": "<Figure size 640x480 with 1 Axes>"},
        },
    ]
    for language in LANGUAGES:
        cell = {"cell_type": "code", "metadata": {}, "source": "plot()", "outputs": outputs, "execution_count": 1}
        notebook = {"cells": [cell], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
        (root / "notebooks" / language / "03_pictures.ipynb").write_text(json.dumps(notebook), encoding="utf-8")
    editions = {language: site.Edition(root, language) for language in LANGUAGES}
    language = LANGUAGES[-1]
    found, details = site.stage(root, editions[language], editions, tmp_path / "staged")
    svg_bytes = os.linesep.join("".join(svg).splitlines()).encode("utf-8")
    widget = hashlib.sha256(PNG_1PX + b"widget").hexdigest()
    assert found == {
        hashlib.sha256(PNG_1PX).hexdigest(): "Line plot: x",
        widget: "Step 1 of 3.",  # the first paragraph: the picture's description
        hashlib.sha256(svg_bytes).hexdigest(): "A graph.",
    }
    assert details == {widget: "Steps: 3\n  step 1"}  # the rest, as written
    plain_name = f"/build/jupyter_execute/{hashlib.sha256(PNG_1PX + b'plain').hexdigest()}.png"
    assert site.image_alt(plain_name, found, language) == i18n.message("describe.figure.fallback", language)
    assert site.image_alt(f"_images/{hashlib.sha256(PNG_1PX).hexdigest()}.png", found, language) == "Line plot: x"
    assert site.image_alt("docs/pictures/diagram.png", found, language) is None  # not an output: left alone


def test_a_folder_that_is_not_a_built_site_is_never_replaced(tmp_path):
    require(site_tools_missing())
    keep = tmp_path / "keep"
    keep.mkdir()
    (keep / "notes.txt").write_text("mine", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", site.EXTENSION, "--root", str(ROOT), "--out", str(keep)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=BUILD_TIMEOUT,
    )
    assert done.returncode != 0 and str(keep) in done.stderr
    assert [path.name for path in keep.iterdir()] == ["notes.txt"]


# --- the Pages workflow --------------------------------------------------------------------


def test_the_pages_workflow_builds_with_the_site_command_and_deploys_the_folder():
    workflow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as true
    assert triggers["push"]["branches"] == ["main"] and "workflow_dispatch" in triggers
    assert workflow["concurrency"]["group"] == "pages"
    build, deploy = workflow["jobs"]["build"], workflow["jobs"]["deploy"]
    steps = build["steps"]
    uses = [step.get("uses", "").split("@")[0] for step in steps]
    assert uses[:2] == ["actions/checkout", "actions/setup-python"]
    assert str(steps[1]["with"]["python-version"]) == "3.11"
    assert [step["run"] for step in steps if "run" in step] == ["python3 tasks.py site"]
    upload = next(step for step in steps if step.get("uses", "").startswith("actions/upload-pages-artifact@"))
    assert upload["with"]["path"] == site.SITE_FOLDER
    assert uses.index("actions/upload-pages-artifact") > next(i for i, step in enumerate(steps) if "run" in step)
    assert deploy["needs"] in ("build", ["build"])
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["environment"]["name"] == "github-pages"
    assert any(step.get("uses", "").startswith("actions/deploy-pages@") for step in deploy["steps"])


# --- in a browser ----------------------------------------------------------------------------


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


@pytest.fixture(scope="module")
def server(site_folder):
    """The folder holding the site (and, for the bite tests, pages made to fail), on 127.0.0.1."""
    require(browser_unavailable())
    httpd = http.server.ThreadingHTTPServer(
        ("127.0.0.1", free_port()),
        functools.partial(QuietHandler, directory=str(site_folder.parent)),
    )
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


class Visitor:
    """One Chromium page, reused for every visit; it records what went wrong while it looked."""

    def __init__(self, page):
        self.page = page
        self.outside: list[str] = []
        self.errors: list[str] = []
        page.on("pageerror", lambda error: self.errors.append(f"page error: {error}"))
        page.on("console", lambda note: note.type == "error" and self.errors.append(f"console: {note.text}"))

    def route(self, route) -> None:
        """Record each request that local_only aborts (it leaves only 127.0.0.1, data: and blob:)."""
        url = route.request.url
        if urllib.parse.urlsplit(url).hostname != "127.0.0.1" and not url.startswith(("data:", "blob:")):
            self.outside.append(url)
        local_only(route)

    def visit(self, url: str) -> None:
        """Open `url` and wait until it has loaded and MathJax (where the page has it) is done."""
        self.errors.clear()
        self.page.goto(url, wait_until="load")
        self.page.wait_for_function(
            "() => !window.MathJax || (MathJax.isReady && MathJax.Hub.queue.pending === 0"
            " && MathJax.Hub.queue.running === 0)",
            timeout=PAGE_TIMEOUT_MS,
        )
        self.page.evaluate("() => Promise.all([...document.images].map(image => image.decode().catch(() => null)))")


@pytest.fixture(scope="module")
def visitor(server):
    """One headless Chromium, one context, one page for the whole module; it may only reach 127.0.0.1."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            context = chromium.new_context(viewport={"width": 1280, "height": 900})
            context.set_default_timeout(PAGE_TIMEOUT_MS)
            page = context.new_page()
            guest = Visitor(page)
            context.route("**/*", guest.route)
            yield guest
        finally:
            chromium.close()


def page_problems(visitor: Visitor, url: str, served: Path) -> list[str]:
    """Open `url` (a page under `served`, the folder the server serves) and list what is wrong:
    errors, images that did not load, local links to missing files, maths left untypeset."""
    visitor.visit(url)
    problems = list(visitor.errors)
    broken = visitor.page.eval_on_selector_all(
        "img", "images => images.filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.getAttribute('src'))"
    )
    problems += [f"image not loaded: {src}" for src in broken]
    for href in dict.fromkeys(visitor.page.eval_on_selector_all("a[href]", "anchors => anchors.map(a => a.href)")):
        parts = urllib.parse.urlsplit(href)
        if parts.scheme not in ("http", "https") or parts.hostname != "127.0.0.1":
            continue  # mailto:, javascript:, and ordinary links to other sites
        target = served / urllib.parse.unquote(parts.path).lstrip("/")
        if parts.path.endswith("/"):
            target = target / "index.html"
        if not target.is_file():
            problems.append(f"link to a missing file: {href}")
    untypeset = visitor.page.eval_on_selector_all(
        FORMULA,
        "(nodes, typeset) => nodes.filter(n => !n.querySelector(typeset)"
        " || n.querySelector('.MathJax_Error, merror')).length",
        TYPESET,
    )
    if untypeset:
        problems.append(f"{untypeset} formulas not typeset")
    return problems


def axe_unavailable() -> str | None:
    """Why the accessibility audit cannot run here, or None when axe_playwright_python is installed."""
    if importlib.util.find_spec("axe_playwright_python") is None:
        return "axe_playwright_python is not installed: pip install -e .[test]"
    return None


def short_target(target: list) -> str:
    """An element as axe-core names it (a selector per frame or shadow root), cut short: the last
    selector, and of a long one its end, which names the element itself."""
    selector = str(target[-1])
    return selector if len(selector) <= TARGET_CHARACTERS else "…" + selector[1 - TARGET_CHARACTERS :]


def audit(page, context: str | None = None) -> list[str]:
    """axe-core's serious and critical violations on the open page (or inside the element that the
    selector `context` picks), one line each: rule, impact, how many elements, the first few of them."""
    from axe_playwright_python.sync_playwright import Axe

    found = []
    for violation in Axe().run(page, context=context, options=AXE_OPTIONS).response["violations"]:
        if violation["impact"] not in FAILING_IMPACTS:
            continue
        nodes = violation["nodes"]
        targets = " | ".join(short_target(node["target"]) for node in nodes[:TARGETS_SHOWN])
        more = " | …" if len(nodes) > TARGETS_SHOWN else ""
        found.append(f"{violation['id']} ({violation['impact']}), {len(nodes)} element(s): {targets}{more}")
    return found


def menu_violations(page) -> list[str]:
    """Open the page header's menus one at a time and audit each while it shows; close it again."""
    found = []
    buttons = page.locator(HEADER_MENU_BUTTONS)
    for index in range(buttons.count()):
        button = buttons.nth(index)
        name = button.get_attribute("aria-label") or button.inner_text().strip()
        button.click()
        page.locator(OPEN_HEADER_MENU).wait_for(state="visible")
        found += [f"the {name!r} menu: {violation}" for violation in audit(page, OPEN_HEADER_MENU)]
        button.click()
        page.locator(OPEN_HEADER_MENU).wait_for(state="detached")
    return found


def choose_colour_mode(page, mode: str) -> None:
    """Choose `mode` in the colour-mode menu, as a reader does, and wait until the page has turned."""
    page.locator(COLOUR_MODE_BUTTON).click()
    page.locator(COLOUR_MODE_ITEM.format(mode=mode)).click()
    page.locator(OPEN_HEADER_MENU).wait_for(state="detached")
    page.wait_for_function("mode => document.documentElement.dataset.theme === mode", arg=mode)
    # The theme fades its colours: audit the page once no transition is running any more.
    page.wait_for_function("() => document.getAnimations().every(animation => animation.playState !== 'running')")


def twin_links(visitor: Visitor) -> dict[str, list[str]]:
    """The open page's language links: hreflang -> the absolute addresses they lead to."""
    found: dict[str, list[str]] = {}
    for hreflang, href in visitor.page.eval_on_selector_all(
        "a.language-twin", "anchors => anchors.map(a => [a.hreflang, a.href])"
    ):
        found.setdefault(hreflang, []).append(href)
    return found


def twin_problems(twins: dict[str, dict[str, list[str]]], base: str, language: str, stem: str) -> list[str]:
    """`twins`: page ("<language>/<stem>.html") -> its language links. The page's link to each other
    language must lead to <other>/<stem>.html, and that page's link must lead back."""
    problems = []
    here = f"{language}/{stem}.html"
    for other in LANGUAGES:
        if other == language:
            continue
        there = f"{other}/{stem}.html"
        if twins.get(here, {}).get(site.html_language(other)) != [f"{base}/{there}"]:
            problems.append(f"{here}: the {other} link leads to {twins.get(here, {}).get(site.html_language(other))}")
        if twins.get(there, {}).get(site.html_language(language)) != [f"{base}/{here}"]:
            problems.append(f"{there}: the link back leads to {twins.get(there, {}).get(site.html_language(language))}")
    return problems


@pytest.fixture(scope="module")
def visits(site_folder, server, visitor) -> dict[str, dict]:
    """Every page of the site, opened once: its path in the site -> what was wrong with it, its
    language links, how many formulas it has, and what the accessibility audit found (None when
    the audit cannot run here)."""
    base = f"{server}/{site_folder.name}"
    auditing = axe_unavailable() is None
    seen = {}
    for page in pages(site_folder):
        relative = page.relative_to(site_folder).as_posix()
        seen[relative] = {
            "problems": page_problems(visitor, f"{base}/{relative}", site_folder.parent),
            "twins": twin_links(visitor),
            "formulas": visitor.page.locator(FORMULA).count(),
            "violations": audit(visitor.page) if auditing else None,
        }
    return seen


@pytest.mark.browser
def test_every_page_loads_without_errors_and_asks_only_127_0_0_1(site_folder, visits, visitor):
    assert len(visits) == len(pages(site_folder))
    problems = [f"{page}: {problem}" for page, seen in visits.items() for problem in seen["problems"]]
    assert not problems, "\n".join(problems)
    assert visitor.outside == [], "requests to addresses other than 127.0.0.1"


@pytest.mark.browser
def test_maths_is_typeset_by_the_sites_own_mathjax(site_folder, server, visits, visitor):
    """Every page's formulas were typeset (see page_problems); the lessons have some, and
    MathJax comes from the site's own copy."""
    with_maths = {page for page, seen in visits.items() if seen["formulas"]}
    assert {f"{language}/01_autograd.html" for language in LANGUAGES} <= with_maths, with_maths
    visitor.visit(f"{server}/{site_folder.name}/{LANGUAGES[0]}/01_autograd.html")
    formulas = visitor.page.locator(FORMULA)
    typeset = formulas.evaluate_all("(nodes, typeset) => nodes.filter(n => n.querySelector(typeset)).length", TYPESET)
    assert formulas.count() > 0 and typeset == formulas.count()
    source = visitor.page.evaluate("() => document.querySelector('script[src*=\"MathJax.js\"]').src")
    assert source.startswith(f"{server}/{site_folder.name}/{site.MATHJAX_FOLDER}/MathJax.js?")


@pytest.mark.browser
def test_each_lessons_language_link_leads_to_its_twin_and_back(site_folder, server, visits):
    base = f"{server}/{site_folder.name}"
    twins = {page: seen["twins"] for page, seen in visits.items()}
    problems = [problem for language, stem in lessons() for problem in twin_problems(twins, base, language, stem)]
    assert not problems, "\n".join(problems)


@pytest.mark.browser
@pytest.mark.parametrize("language", LANGUAGES)
def test_a_reader_can_click_to_the_other_language(site_folder, server, visitor, language):
    stem = lessons()[0][1]
    other = next(code for code in LANGUAGES if code != language)
    visitor.page.goto(f"{server}/{site_folder.name}/{language}/{stem}.html", wait_until="domcontentloaded")
    visitor.page.locator(f"a.language-twin[hreflang='{site.html_language(other)}']").click()
    visitor.page.wait_for_url(f"**/{other}/{stem}.html", wait_until="domcontentloaded")


@pytest.mark.browser
def test_every_page_passes_the_accessibility_audit(site_folder, visits, visitor):
    """No page of either edition, nor the language chooser, has a serious or critical violation, as
    it opens (in the light colour mode the site starts in); the audit asks nothing of the network."""
    require(axe_unavailable())
    assert len(visits) == len(pages(site_folder))
    found = [f"{page}: {violation}" for page, seen in visits.items() for violation in seen["violations"]]
    assert not found, "serious or critical accessibility violations:\n" + "\n".join(found)
    assert visitor.outside == [], "requests to addresses other than 127.0.0.1"


@pytest.mark.browser
def test_the_header_menus_and_the_dark_mode_pass_the_accessibility_audit(site_folder, server, visitor):
    """What the page audit cannot see, on a lesson page (whose header has every menu): each menu of
    the page header while it is open, in the light mode; then, the dark mode chosen in the colour-mode
    menu, the whole page and each menu again. The header, its menus and the colours are the same on
    every page of both editions (only their words differ): one page stands for all of them."""
    require(axe_unavailable())
    page = visitor.page
    language, stem = lessons()[0]
    visitor.visit(f"{server}/{site_folder.name}/{language}/{stem}.html")
    try:
        assert page.locator(HEADER_MENU_BUTTONS).count() == 3, "launch, download and colour-mode menus"
        found = [f"light mode, {violation}" for violation in menu_violations(page)]
        choose_colour_mode(page, "dark")
        found += [f"dark mode, {violation}" for violation in audit(page) + menu_violations(page)]
    finally:  # the mode is kept in the browser's storage: the next pages open in the light mode again
        page.evaluate("() => { localStorage.removeItem('mode'); localStorage.removeItem('theme'); }")
    assert not found, "serious or critical accessibility violations:\n" + "\n".join(found)
    assert visitor.outside == [], "requests to addresses other than 127.0.0.1"


BROKEN_PAGE = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<script src="https://cdn.example/mathjax.js"></script></head><body>
<img src="missing.png"><a href="nowhere.html">a link to nothing</a><a href="ok.html">fine</a>
<span class="math notranslate nohighlight">\\(x^2\\)</span>
<script>console.error("made to fail"); undefined_function();</script>
</body></html>"""


@pytest.mark.browser
def test_the_browser_checks_bite_on_a_page_made_to_fail_them(site_folder, server, visitor):
    broken = site_folder.parent / "broken"
    broken.mkdir(exist_ok=True)
    (broken / "ok.html").write_text("<!DOCTYPE html><title>ok</title>", encoding="utf-8")
    (broken / "lesson.html").write_text(BROKEN_PAGE, encoding="utf-8")
    outside_before = len(visitor.outside)
    problems = page_problems(visitor, f"{server}/broken/lesson.html", site_folder.parent)
    text = "\n".join(problems)
    assert "page error" in text and "made to fail" in text, problems
    assert "image not loaded: missing.png" in text, problems
    assert "nowhere.html" in text and "ok.html" not in text, problems
    assert "1 formulas not typeset" in text, problems
    assert any("cdn.example" in url for url in visitor.outside[outside_before:]), visitor.outside
    del visitor.outside[outside_before:]  # blocked and recorded: that check bites too


INACCESSIBLE_PAGE = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Made to fail</title>
<style>.dropdown-menu { display: none; } .dropdown-menu.show { display: block; }</style></head><body>
<header class="bd-header-article"><button class="dropdown-toggle" aria-label="Hidden menu"
  onclick="this.nextElementSibling.classList.toggle('show')">&#9660;</button>
  <ul class="dropdown-menu"><li style="color: #c8c8c8">pale item, seen only when the menu is open</li></ul>
</header>
<main><h1>Made to fail</h1>
<img src="data:image/gif;base64,R0lGODlhAQABAIAAAP///wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==">
<button><svg width="16" height="16"><circle cx="8" cy="8" r="6"></circle></svg></button>
<p style="color: #aaaaaa">grey on white</p><p style="color: #b0b0b0">paler grey on white</p>
</main>
<div>text outside every landmark: moderate, below the threshold</div>
</body></html>"""


@pytest.mark.browser
def test_the_accessibility_audit_bites_on_a_page_made_to_fail_it(site_folder, server, visitor):
    require(axe_unavailable())
    broken = site_folder.parent / "broken"
    broken.mkdir(exist_ok=True)
    (broken / "inaccessible.html").write_text(INACCESSIBLE_PAGE, encoding="utf-8")
    visitor.visit(f"{server}/broken/inaccessible.html")
    found = {line.split(",")[0]: line for line in audit(visitor.page)}
    # The text outside the landmarks is reported too, as moderate: below the threshold, left out.
    assert set(found) == {"image-alt (critical)", "button-name (critical)", "color-contrast (serious)"}, found
    assert found["image-alt (critical)"].endswith("1 element(s): img"), found
    assert found["button-name (critical)"].endswith("1 element(s): main > button"), found
    # The two grey paragraphs, not the pale item of the closed menu, which no reader sees.
    contrast = found["color-contrast (serious)"]
    assert re.search(r"2 element\(s\): p:nth-child\(\d\) \| p:nth-child\(\d\)$", contrast), found
    assert menu_violations(visitor.page) == ["the 'Hidden menu' menu: color-contrast (serious), 1 element(s): li"]
    assert visitor.outside == [], "the audit must not ask anything of the network"


def test_the_twin_check_bites():
    base = "http://127.0.0.1:1/site"
    language, other = LANGUAGES[0], LANGUAGES[1]
    here, there = f"{language}/01.html", f"{other}/01.html"
    good = {  # every page links to its twins in every other language
        f"{page}/01.html": {site.html_language(twin): [f"{base}/{twin}/01.html"] for twin in LANGUAGES if twin != page}
        for page in LANGUAGES
    }
    assert twin_problems(good, base, language, "01") == []
    wrong_stem = {**good, here: {**good[here], site.html_language(other): [f"{base}/{other}/02.html"]}}
    no_way_back = {**good, there: {k: v for k, v in good[there].items() if k != site.html_language(language)}}
    missing = {**good, here: {k: v for k, v in good[here].items() if k != site.html_language(other)}}
    for twins in (wrong_stem, no_way_back, missing):
        assert len(twin_problems(twins, base, language, "01")) == 1


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_page_under_a_former_name_points_to_the_page_now(site_folder, language):
    for old, new in site.FORMER_NAMES.items():
        assert (site_folder / language / f"{new}.html").is_file(), f"{new}: the page it points to exists"
        page = (site_folder / language / f"{old}.html").read_text(encoding="utf-8")
        assert f'content="0; url={new}.html"' in page and f'<a href="{new}.html">' in page
        assert f'<html lang="{site.html_language(language)}">' in page
        assert site.message("site.moved", language=language, page=new) in html.unescape(page)


def test_a_former_name_never_hides_a_page_of_today(tmp_path):
    (tmp_path / "en").mkdir()
    for name in ("01_exercises", "02_exercises"):  # 02_exercises is a page again: it keeps its own
        (tmp_path / "en" / f"{name}.html").write_text("today's page", encoding="utf-8")
    site.write_former_pages(tmp_path)
    assert (tmp_path / "en" / "02_exercises.html").read_text(encoding="utf-8") == "today's page"
    assert not (tmp_path / "en" / "03_solutions.html").exists(), "no pointer to a page the site does not have"


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_lesson_page_links_the_previous_and_next_notebook_in_course_order(site_folder, language):
    """The theme's previous/next links at the foot of a page follow the course: the notebooks'
    own links (their last cell) are left out of the site, so these must not skip or reorder."""
    order = [path.stem for path in editions.lesson_sources()]
    for index, stem in enumerate(order):
        page = (site_folder / language / f"{stem}.html").read_text(encoding="utf-8")
        links_found = dict(re.findall(r'<a class="(left-prev|right-next)"\s+href="([^"]+)"', page))
        if index > 0:
            assert links_found.get("left-prev") == f"{order[index - 1]}.html", (stem, links_found)
        if index + 1 < len(order):
            assert links_found.get("right-next") == f"{order[index + 1]}.html", (stem, links_found)
