"""Lesson 3's claims: each holds at the lesson's inputs, each is caught when its premise is broken,
every quoted sentence stands word for word in the markdown of both editions, and the claims leave
the learner's random state alone."""

from __future__ import annotations

import contextlib

import pytest
import torch

import autograd_lessons
from autograd_lessons import course, i18n
from autograd_lessons.claims import verify, verify_cell
from autograd_lessons.lessons.going_wrong.claims import memory, numerics
from autograd_lessons.lessons.going_wrong.maths import graph_nodes
from helpers import NOTEBOOKS, normalised, read_notebook

HOLDS = ("exact", "rounding")
NOTEBOOK = f"{course.lesson(3).notebook}.ipynb"


def lesson3():
    """Lesson 3's claims, by id, as the course registered them."""
    return course.lesson(3, "claims").claims


LESSON_VERDICTS = {
    "l3.where_nan_gradient": "exact",
    "l3.double_where": "exact",
    "l3.norm_at_zero": "exact",
    "l3.log_softmax_finite": "exact",
    "l3.anomaly_names_operation": "exact",
    "l3.kink_values": "exact",
    "l3.kink_subgradients": "exact",
    "l3.piecewise_jump": "exact",
    "l3.relu_has_derivative_at_0": "false",  # the lesson's question: the answer is no
    "l3.rewrap_has_no_history": "exact",
    "l3.silent_cut": "exact",
    "l3.numpy_refused": "exact",
    "l3.argmax_integer": "exact",
    "l3.stack_keeps_graph": "exact",
    "l3.data_hides_change": HOLDS,  # the changed gradient against 2·exp(x) in float64
    "l3.scaled_not_leaf": "exact",
    "l3.to_copies": "exact",
    "l3.leaf_update_needs_no_grad": "exact",
    "l3.inplace_relu_after_sigmoid": HOLDS,  # autograd's float32 gradient against the formula in float64
    "l3.total_loss_keeps_graphs": "exact",
    "l3.eval_loop_keeps_saved": "exact",
    "l3.rnn_second_backward": "exact",
    "l3.truncated_bptt_bounded": "exact",
    "l3.checkpoint_saves_inputs": "exact",
    "l3.checkpoint_same_gradients": "exact",
    "l3.checkpoint_recomputes": "exact",
    "l3.sigmoid_bound": "exact",
    "l3.vanishing_and_stable": "exact",
    "l3.clip_norm_keeps_direction": "exact",
}


def test_lesson_3_has_at_least_fifteen_claims_in_seven_sections():
    claims = lesson3()
    assert len(claims) >= 15 and set(LESSON_VERDICTS) <= set(claims)
    assert {claim.cell for claim in claims.values()} == set(range(2, 9)), "§ 2 to § 8 each make claims"
    for claim_id, claim in claims.items():
        assert claim_id.startswith("l3.") and (claim.lesson, claim.cells) == (3, "section")
        assert str(claim.source) == f"Lesson 3, § {claim.cell}"


def test_section_1_makes_no_claim():
    """§ 1 sets up the training step the lesson breaks; its first claims are § 2's."""
    assert 1 not in {claim.cell for claim in lesson3().values()}


@pytest.mark.parametrize("claim_id, status", LESSON_VERDICTS.items())
def test_verdicts_at_the_lesson_inputs(claim_id, status):
    verdict = verify(claim_id)
    assert verdict.status in (status if isinstance(status, tuple) else (status,)), str(verdict)
    assert verdict.claim is lesson3()[claim_id] and verdict.detail, claim_id


def test_every_claim_says_what_it_checks_in_both_languages_and_questions_are_questions():
    for claim_id, claim in lesson3().items():
        texts = i18n.MESSAGES[f"claim.{claim_id}"]
        assert texts["pt"] != texts["en"], claim_id
        for language in i18n.LANGUAGES:
            assert texts[language].rstrip().endswith("?") == (claim.quote is None), (claim_id, language)


@pytest.mark.parametrize("language", i18n.LANGUAGES)
def test_every_section_shows_its_verdicts_in_the_learners_language(language):
    autograd_lessons.set_language(language)
    where = "Lição 3, § 5" if language == "pt" else "Lesson 3, § 5"
    text = str(verify_cell(5, lesson=3))
    assert where in text and ("conferido:" if language == "pt" else "checked:") in text


def test_the_claims_leave_the_global_random_state_alone():
    state = torch.random.get_rng_state()
    for cell in range(2, 9):
        verify_cell(cell, lesson=3)
    assert torch.equal(torch.random.get_rng_state(), state)


@pytest.mark.parametrize("language", i18n.LANGUAGES)
def test_every_quote_stands_verbatim_in_its_sections_markdown(language):
    notebook = read_notebook(NOTEBOOKS / language / NOTEBOOK)
    markdown = normalised(
        " ".join("".join(cell["source"]) for cell in notebook["cells"] if cell["cell_type"] == "markdown")
    )
    for claim in lesson3().values():
        if claim.quote is not None:
            assert normalised(claim.quote.words[language]) in markdown, claim.id


# --------------------------------------------------------------------------- a broken premise is caught

BROKEN_PREMISES = {
    "l3.where_nan_gradient": {"forward": numerics.root_double_where},
    "l3.double_where": {"forward": numerics.root_where},
    "l3.norm_at_zero": {"b": torch.tensor([2.0, 2.0, 2.0])},
    "l3.log_softmax_finite": {"z": torch.tensor([0.0, 1.0])},
    "l3.anomaly_names_operation": {"forward": numerics.root_double_where},
    "l3.kink_values": {"kinks": [("relu", lambda t: torch.nn.functional.leaky_relu(t, 0.1), [0.0])]},
    "l3.kink_subgradients": {"slopes": {"relu": [2.0]}},
    "l3.piecewise_jump": {"a": 0.2},
    "l3.rewrap_has_no_history": {"rebuild": lambda pred: pred * 1},
    "l3.silent_cut": {"rebuild": lambda pred: pred},
    "l3.numpy_refused": {"requires_grad": False},
    "l3.argmax_integer": {"choose": lambda t: t.max()},
    "l3.stack_keeps_graph": {"copy": torch.stack},
    "l3.data_hides_change": {"factor": 1.0},
    "l3.scaled_not_leaf": {"make": lambda: (torch.randn(3) * 0.01).requires_grad_()},
    "l3.to_copies": {"dtype": torch.float32},
    "l3.leaf_update_needs_no_grad": {"context": contextlib.nullcontext},
    "l3.inplace_relu_after_sigmoid": {"inplace": False},
    "l3.total_loss_keeps_graphs": {"keep": lambda loss: loss.detach()},
    "l3.eval_loop_keeps_saved": {"context": torch.no_grad},
    "l3.rnn_second_backward": {"detach": True},
    "l3.truncated_bptt_bounded": {"chunk": None},
    "l3.sigmoid_bound": {"activation": torch.relu, "gain": 2**0.5},
    "l3.vanishing_and_stable": {"relu_gain": 3.0},
    "l3.clip_norm_keeps_direction": {
        "clip": lambda weights, max_norm: torch.nn.utils.clip_grad_value_(weights, max_norm) or 0.0
    },
}


@pytest.mark.parametrize("claim_id, inputs", BROKEN_PREMISES.items(), ids=list(BROKEN_PREMISES))
def test_a_broken_premise_gives_false(claim_id, inputs):
    verdict = verify(claim_id, **inputs)
    assert verdict.status == "false", str(verdict)


def test_the_lessons_question_answers_yes_where_relu_is_smooth():
    assert verify("l3.relu_has_derivative_at_0", x=1.0).status == "exact"


def test_a_wrong_count_of_saved_bytes_or_flops_is_caught(monkeypatch):
    monkeypatch.setattr(memory, "saved_bytes", lambda run, parameters: (run(), 1))
    assert verify("l3.checkpoint_saves_inputs").status == "false"
    monkeypatch.undo()
    monkeypatch.setattr(memory, "linear_flops", lambda blocks, batch: [1] * 12)
    assert verify("l3.checkpoint_recomputes").status == "false"


def test_a_checkpoint_that_changes_the_block_is_caught(monkeypatch):
    monkeypatch.setattr(memory, "checkpoint", lambda block, x, use_reentrant: block(x) * 1.001)
    assert verify("l3.checkpoint_same_gradients").status == "false"


def test_the_lessons_graph_size_agrees_with_a_second_count():
    """The shared graph_size (the notebook's own) against the claims' walk, on a graph with saved values."""
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    y = (x.exp() * x).sum()
    nodes, size = memory.graph_size(y)
    assert nodes == len(graph_nodes(y.grad_fn)) == 4  # Sum, Mul, Exp and the one AccumulateGrad of x
    assert size == memory.alive_bytes(y.grad_fn, [])
    y.backward()
    assert memory.graph_size(y)[1] == 0, "after the backward pass the saved values are freed"


def test_lesson_3_texts_avoid_the_glossarys_rejected_terms():
    """Every text of lesson 3 (claims, evidence, exercises), checked with the lesson's catalogue
    loaded: one term per concept, as notebooks/glossary.md records."""
    from helpers import words_only
    from test_glossary import glossary, uses

    keys = [key for key in i18n.MESSAGES if key.startswith(("claim.l3.", "lesson3.", "exercises.l3."))]
    assert len(keys) > 100
    for key in keys:
        for language, column in (("pt", 2), ("en", 3)):
            for row in glossary():
                for term in row[column]:
                    said = uses(
                        words_only(i18n.MESSAGES[key][language]), term, plural=language == "pt", language=language
                    )
                    assert not said, f"{key} [{language}] says {term!r}"
