"""How results look: verdicts, exercise feedback, hints and solutions, as text and as HTML.

Every sentence a result shows is put into words here, in the language current when it is shown
(`autograd_lessons.results` holds only facts and message keys). A verdict reads: its badge (✔ holds,
≈ holds up to rounding, ✘ does not hold; for the lesson's own questions, in a neutral colour,
"answer: yes" or "answer: no"), whose words it judges, then what was checked and what was found. In a notebook
(HTML) a verdict is quiet: one line — the badge and the start of the words it judges — and the
rest opens on demand (`<details>`); as text (a terminal, `print`) it is written out in full.
Feedback reads: its badge (✔, ✘ or ○ not answered yet), the exercise, the headline, and maybe a hint.

The functions take the records of `results` (they only read their attributes, so this module
sits below that one and imports nothing of it).
"""

from __future__ import annotations

import html
from collections.abc import Iterable

from autograd_lessons.i18n import Text, message
from autograd_lessons.numbers import ulps_text
from autograd_lessons.palette import badge_html

INDENT = "    "  # under a verdict's first line, what was checked and what was found
# The badge kind (palette.BADGES) of each status: for quoted words (a statement that holds or not)
# and for the lesson's own questions, whose answer, yes or no, is a finding, neither a success nor a fault.
BADGE_KINDS = {"exact": "holds", "rounding": "rounding", "false": "fails"}
ANSWER_KIND = "answer"
# A verdict's one line shows this many words of a long quote, then "…": enough to recognise a
# passage the reader has just read; the whole quote opens with the rest. A quote at most
# QUOTE_SLACK words longer is shown whole (cutting one or two words saves nothing).
SUMMARY_QUOTE_WORDS = 8
QUOTE_SLACK = 2
ELLIPSIS = "…"
FEEDBACK_SYMBOLS = {"correct": "✔", "wrong": "✘", "unanswered": "○"}


def words(item: str | Text | None) -> str:
    """A Text in the current language (a plain string as it is)."""
    if item is None:
        return ""
    return item.render() if isinstance(item, Text) else str(item)


# --------------------------------------------------------------------------- verdicts


def evidence_text(evidence: Iterable[Text]) -> str | None:
    """What a verdict found, in the current language (None when nothing was recorded)."""
    found = [item.render() for item in evidence]
    return " ".join(found) if found else None


def badge(verdict) -> str:
    """The verdict word with its symbol."""
    family = "claims.answer" if verdict.is_question else "claims.status"
    return message(f"{family}.{verdict.status}", ulps=ulps_text(verdict.ulps or 0.0))


def badge_kind(verdict) -> str:
    return ANSWER_KIND if verdict.is_question else BADGE_KINDS[verdict.status]


def short_quote(quote: str) -> str:
    """The start of a long quote (SUMMARY_QUOTE_WORDS words, then an ellipsis); a short one whole."""
    words_ = quote.split()
    if len(words_) <= SUMMARY_QUOTE_WORDS + QUOTE_SLACK:
        return quote
    return " ".join(words_[:SUMMARY_QUOTE_WORDS]) + " " + ELLIPSIS


def heading(verdict, short: bool = False) -> str:
    """Whose words are judged: the source and its quote, or the lesson's question. `short`: only
    the start of a long quote, and no note on its translation (a verdict's one line)."""
    claim = verdict.claim
    statement = verdict.statement.render()
    if claim is None:
        return statement
    source = claim.source.render()
    if claim.quote is None:
        return message(f"claims.heading.question.{claim.cells}", source=source, question=statement)
    shown, translated_from = claim.shown_quote()
    if short:  # the one line: where the words stand and their start (the lesson's prose is just above)
        return message(f"claims.summary.{claim.quote.kind}", source=source, quote=short_quote(shown))
    line = message(f"claims.heading.{claim.quote.kind}", source=source, quote=shown)
    if translated_from is not None:
        original = message(f"claims.language.{translated_from}")
        line += " " + message("claims.heading.translated", original=original)
    return line


def quote_note(verdict) -> str:
    """What a verdict's one line leaves out of its quote: the whole quote when the line shows its
    start, the language it was translated from, or nothing (an empty line is not shown)."""
    shown, translated_from = verdict.claim.shown_quote()
    note = []
    if short_quote(shown) != shown:
        note.append(message("claims.whole_quote", quote=shown))
    if translated_from is not None:
        note.append(message("claims.heading.translated", original=message(f"claims.language.{translated_from}")))
    return " ".join(note)


def explanation(verdict) -> list[str]:
    """The lines under the heading: what was checked (for quoted words), what was found."""
    lines = []
    if verdict.claim is not None and verdict.claim.quote is not None:
        lines.append(message("claims.checked", statement=verdict.statement.render()))
    found = evidence_text(verdict.evidence)
    if found is not None:
        lines.append(message("claims.found", evidence=found))
    return lines


def verdict_text(verdict) -> str:
    lines = [f"{badge(verdict)} — {heading(verdict)}"] + [INDENT + line for line in explanation(verdict)]
    return "\n".join(lines)


def verdict_html(verdict) -> str:
    """One line (the badge, whose words, their start) that opens on the whole quote, what was
    checked and what was found."""
    summary = f"{badge_html(badge(verdict), badge_kind(verdict))} {html.escape(heading(verdict, short=True))}"
    opened = [] if verdict.claim is None or verdict.claim.quote is None else [quote_note(verdict)]
    body = "".join(
        f'<div style="margin-left:2em">{html.escape(line)}</div>' for line in opened + explanation(verdict) if line
    )
    return (
        f'<details class="autograd-lessons-verdict" data-status="{verdict.status}">'
        f'<summary style="cursor:pointer">{summary}</summary>{body}</details>'
    )


def verdicts_text(verdicts) -> str:
    return "\n".join(verdict_text(v) for v in verdicts)


def verdicts_html(verdicts) -> str:
    return "".join(verdict_html(v) for v in verdicts)


# --------------------------------------------------------------------------- exercises


def feedback_header(feedback) -> str:
    return message(f"exercises.status.{feedback.status}", number=words(feedback.label))


def feedback_text(feedback) -> str:
    shown = f"{FEEDBACK_SYMBOLS[feedback.status]} {feedback_header(feedback)} — {feedback.headline.render()}"
    if feedback.hint is not None:
        shown += "\n  " + message("exercises.hint", hint=feedback.hint.render())
    return shown


def feedback_html(feedback) -> str:
    label = badge_html(f"{FEEDBACK_SYMBOLS[feedback.status]} {feedback_header(feedback)}", feedback.status)
    shown = f"{label} {html.escape(feedback.headline.render())}"
    if feedback.hint is not None:
        shown += f"<br><i>{html.escape(message('exercises.hint', hint=feedback.hint.render()))}</i>"
    return f'<div class="autograd-lessons-feedback" data-status="{feedback.status}">{shown}</div>'


def help_text(help_) -> str:
    parts = [help_.title.render(), help_.body.render()]
    code = help_.code_in()
    if code:
        parts.append("\n".join(INDENT + line if line else "" for line in code.splitlines()))
    if help_.note is not None:
        parts.append(help_.note.render())
    return "\n\n".join(parts)


def help_html(help_) -> str:
    parts = [f"<b>{html.escape(help_.title.render())}</b>", f"<p>{html.escape(help_.body.render())}</p>"]
    code = help_.code_in()
    if code:
        parts.append(f"<pre><code>{html.escape(code)}</code></pre>")
    if help_.note is not None:
        parts.append(f"<p><i>{html.escape(help_.note.render())}</i></p>")
    return (
        f'<div class="autograd-lessons-{help_.kind}" data-lesson="{help_.lesson}" '
        f'data-exercise="{help_.exercise}">{"".join(parts)}</div>'
    )


__all__ = [
    "ANSWER_KIND",
    "BADGE_KINDS",
    "FEEDBACK_SYMBOLS",
    "badge",
    "badge_kind",
    "evidence_text",
    "explanation",
    "feedback_html",
    "feedback_text",
    "heading",
    "help_html",
    "quote_note",
    "short_quote",
    "help_text",
    "verdict_html",
    "verdict_text",
    "verdicts_html",
    "verdicts_text",
    "words",
]
