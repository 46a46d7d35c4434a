"""How much of a lesson the proofs take: each verdict is one line, the rest opens on demand.

A verdict in a notebook (HTML) shows its badge, where the words stand and the start of a long
quote; the whole quote, what was checked and what was found sit in a `<details>` a reader opens.
As text (a terminal, nbval's text/plain) everything is written out. The budget: the verdict words
a reader sees without opening anything stay at most VISIBLE_SHARE of the lesson's own prose, in
every edition of every lesson's notebook, as stored.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
import torch

from autograd_lessons import course, i18n, palette, render
from autograd_lessons.claims import verify, verify_cell
from autograd_lessons.verdicts import compare
from helpers import NOTEBOOKS, read_notebook

VISIBLE_SHARE = 0.15  # verdict words seen at a glance, at most this share of the lesson's prose
WORD = re.compile(r"\w+")


class VerdictWords(HTMLParser):
    """The words of verdict outputs a reader sees (outside `<details>`, or in its `<summary>`) and
    the words that open on demand."""

    def __init__(self) -> None:
        super().__init__()
        self.details = self.summary = 0
        self.visible: list[str] = []
        self.hidden: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.details += tag == "details"
        self.summary += tag == "summary"

    def handle_endtag(self, tag):
        self.details -= tag == "details"
        self.summary -= tag == "summary"

    def handle_data(self, data):
        (self.visible if not self.details or self.summary else self.hidden).append(data)


def words(text: str) -> int:
    return len(WORD.findall(text))


def reading(notebook) -> tuple[int, int, int]:
    """(prose words, verdict words seen at a glance, verdict words on demand) of a stored notebook."""
    prose = sum(words("".join(cell["source"])) for cell in notebook["cells"] if cell["cell_type"] == "markdown")
    parser = VerdictWords()
    for cell in notebook["cells"]:
        for output in cell.get("outputs", []):
            page = "".join(output.get("data", {}).get("text/html", []))
            if "autograd-lessons-verdict" in page:
                parser.feed(page)
    return prose, words(" ".join(parser.visible)), words(" ".join(parser.hidden))


def lesson_notebooks():
    return [(language, course.lesson(number).notebook) for number in course.numbers() for language in i18n.LANGUAGES]


@pytest.mark.parametrize("language, stem", lesson_notebooks())
def test_verdicts_seen_at_a_glance_stay_within_the_budget(language, stem):
    prose, visible, hidden = reading(read_notebook(NOTEBOOKS / language / f"{stem}.ipynb"))
    assert visible > 0 and hidden > visible, "every verdict shows one line and keeps its evidence one click away"
    assert visible <= VISIBLE_SHARE * prose, (
        f"{language}/{stem}: {visible} verdict words at a glance for {prose} words of prose "
        f"({visible / prose:.0%}, budget {VISIBLE_SHARE:.0%})"
    )


def test_the_budget_check_bites_on_verdicts_written_out_in_full():
    """Before verdicts were quiet, lesson 1 showed 47 % of its prose in verdict words: caught."""
    page = "".join(verdict_text_as_html(v) for v in verify_cell(4))
    notebook = {
        "cells": [
            {"cell_type": "markdown", "source": ["word " * 100]},
            {"cell_type": "code", "source": [], "outputs": [{"data": {"text/html": [page]}}]},
        ]
    }
    prose, visible, hidden = reading(notebook)
    assert hidden == 0 and visible > VISIBLE_SHARE * prose


def verdict_text_as_html(verdict) -> str:
    return f'<div class="autograd-lessons-verdict">{verdict}</div>'


# --------------------------------------------------------------------------- one line, evidence on demand


def summary_and_body(page: str) -> tuple[str, str]:
    parser = VerdictWords()
    parser.feed(page)
    return " ".join(parser.visible), " ".join(parser.hidden)


def test_a_verdict_is_one_line_with_its_evidence_on_demand():
    verdict = verify("in4.grad_fn_is_the_multiplication")
    page = verdict._repr_html_()
    assert page.startswith('<details class="autograd-lessons-verdict" data-status="exact">')
    summary, body = summary_and_body(page)
    assert summary.startswith("✔ holds") and "In [4], comment:" in summary and summary.rstrip().endswith("…”")
    assert "checked:" not in summary and "found:" not in summary
    assert "checked: y.grad_fn is the node" in body and "found: y.grad_fn = MulBackward0" in body
    whole, _ = verdict.claim.shown_quote()
    assert whole in body and "(translated from Portuguese)" in body, "the whole quote and its origin open"
    text = str(verdict)
    assert whole in text and "checked:" in text and "found:" in text, "as text, everything is written out"


def test_a_short_quote_shows_whole_and_only_its_origin_opens():
    verdict = verify("in16.grad_is_u")  # written in English by the run
    summary, body = summary_and_body(verdict._repr_html_())
    assert "“Therefore, x.grad == u”" in summary and "…" not in summary
    assert body.startswith("checked:"), "as written: nothing of the quote is left to open"
    i18n.set_language("pt")
    summary, body = summary_and_body(verdict._repr_html_())
    assert "“Portanto, x.grad == u”" in summary and "traduzido" not in summary
    assert body.split("conferido:")[0].strip() == "(traduzido do inglês)"


def test_a_question_shows_whole_on_a_neutral_badge_in_every_language():
    for language, yes, no in (("en", "answer: yes", "answer: no"), ("pt", "resposta: sim", "resposta: não")):
        i18n.set_language(language)
        for claim_id, answer in (("in6.grad_accumulates", yes), ("in16.keeps_values_after_change", no)):
            verdict = verify(claim_id)
            page = verdict._repr_html_()
            summary, _ = summary_and_body(page)
            assert summary.startswith(answer) and verdict.statement.render() in summary
            assert "#E0E0E0" in page and "✘" not in summary and "✔" not in summary


def test_a_plain_comparison_keeps_its_statement_on_the_line():
    summary, body = summary_and_body(compare(torch.ones(2), torch.zeros(2))._repr_html_())
    assert summary.startswith("✘ does not hold") and "the two tensors" in summary and body


@pytest.mark.parametrize(
    "count, shown_whole",
    [
        (0, True),
        (1, True),
        (render.SUMMARY_QUOTE_WORDS, True),
        (render.SUMMARY_QUOTE_WORDS + render.QUOTE_SLACK, True),  # just inside: cutting saves too little
        (render.SUMMARY_QUOTE_WORDS + render.QUOTE_SLACK + 1, False),  # just outside
        (80, False),
    ],
)
def test_short_quote_at_its_edges(count, shown_whole):
    quote = " ".join(f"w{i}" for i in range(count))
    short = render.short_quote(quote)
    if shown_whole:
        assert short == quote
    else:
        assert short == " ".join(quote.split()[: render.SUMMARY_QUOTE_WORDS]) + " " + render.ELLIPSIS


def test_the_one_line_follows_the_language_at_display_time():
    verdict = verify("in4.grad_fn_is_the_multiplication")
    i18n.set_language("pt")
    summary, body = summary_and_body(verdict._repr_html_())
    assert summary.startswith("✔ vale") and "comentário:" in summary and "conferido:" in body
    i18n.set_language("en")
    summary, _ = summary_and_body(verdict._repr_html_())
    assert summary.startswith("✔ holds")


# --------------------------------------------------------------------------- badges a reader can read

TEXT_CONTRAST = 4.5  # WCAG 2 AA for text of ordinary size (a badge is bold but small)


def relative_luminance(colour: str) -> float:
    channels = [int(colour.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(one: str, other: str) -> float:
    light, dark = sorted((relative_luminance(one), relative_luminance(other)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_contrast_formula_on_known_pairs():
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("#D55E00", "#ffffff") == pytest.approx(3.86, abs=0.01)  # the badge text that failed


@pytest.mark.parametrize("kind", sorted(palette.BADGES))
def test_every_badge_text_reaches_the_text_contrast(kind):
    background, colour = palette.BADGES[kind]
    assert contrast(background, colour) >= TEXT_CONTRAST, f"{kind}: {contrast(background, colour):.2f}:1"
