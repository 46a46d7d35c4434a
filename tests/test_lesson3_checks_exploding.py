"""Lesson 3, exercise 6 (a step whose gradients explode): these tests pin the checker's feedback at
the edges. A step off from the clipped one by just under the relative tolerance passes and one just
over it is wrong; each hidden stack is exercised by an answer wrong on it alone; a loss that is not a
number gets the form hint naming what came back; the hidden stacks are built like the public one,
from the checker's own generator, leaving the learner's random stream alone. They also pin the public
example: model6 and broken6 are what the statement says they are."""

from __future__ import annotations

import copy
import math

import pytest
import torch

from autograd_lessons import exercises as machinery
from autograd_lessons import set_language
from autograd_lessons.exercises import kind_text
from autograd_lessons.i18n import LANGUAGES
from autograd_lessons.lessons.going_wrong import exercises as l3
from autograd_lessons.lessons.going_wrong.exercises.exploding import GAIN, STEP_KEPT
from autograd_lessons.numbers import shortest
from test_lesson3_exercises import as_answer, assert_feedback, assert_form, judge, step_clipped, step_variant


@pytest.fixture(autouse=True)
def fresh_hints(monkeypatch):
    monkeypatch.setattr(machinery, "_hints_shown", {})


@pytest.fixture
def own_random_stream():
    """Tests that seed torch's global generator give it back as they found it."""
    with torch.random.fork_rng(devices=[]):
        yield


@pytest.fixture(params=LANGUAGES)
def language(request):
    set_language(request.param)
    return request.param


def clip_each(parameters, max_norm):
    for p in parameters:
        torch.nn.utils.clip_grad_norm_([p], max_norm)


def nudged(step, fraction):
    """`step`, then every parameter moved back towards where it started by `fraction` of the
    checker's tolerance there (STEP_KEPT relative, at the scale of the parameter's largest entry)."""

    def answer(model, x, y, lr, max_norm):
        before = [p.detach().clone() for p in model.parameters()]
        loss = step(model, x, y, lr, max_norm)
        with torch.no_grad():
            for p, start in zip(model.parameters(), before, strict=True):
                tolerance = STEP_KEPT * (p.abs().max() + p.abs())
                p.add_(fraction * tolerance * torch.sign(start - p))
        return loss

    return answer


def on_case(which, wrong, right=step_clipped):
    """An answer right on every hidden stack but the `which`-th (counted from 0), where it runs `wrong`."""
    calls = []

    def answer(model, x, y, lr, max_norm):
        calls.append(None)
        return (wrong if len(calls) - 1 == which else right)(model, x, y, lr, max_norm)

    return answer


def twice_the_step(model, x, y, lr, max_norm):
    return step_clipped(model, x, y, 2 * lr, max_norm)


def returning(value):
    """The right step, returning `value` instead of the loss."""

    def answer(model, x, y, lr, max_norm):
        step_clipped(model, x, y, lr, max_norm)
        return value

    return answer


# --- the tolerance on the parameters after the step -------------------------------------------


JUST_INSIDE, JUST_OUTSIDE = 1 - 1e-5, 1.01


def test_a_step_off_by_just_under_the_tolerance_passes(language):
    assert judge(6, as_answer(6, nudged(step_clipped, JUST_INSIDE))).correct


def test_a_step_off_by_just_over_the_tolerance_is_a_wrong_step(language):
    assert_feedback(judge(6, as_answer(6, nudged(step_clipped, JUST_OUTSIDE))), "exercises.l3.6.step")


def test_a_step_off_by_a_part_in_ten_million_is_a_wrong_step():
    def longer(model, x, y, lr, max_norm):
        before = [p.detach().clone() for p in model.parameters()]
        loss = step_clipped(model, x, y, lr, max_norm)
        with torch.no_grad():
            for p, start in zip(model.parameters(), before, strict=True):
                p.sub_((start - p) * 1e-7)
        return loss

    assert_feedback(judge(6, as_answer(6, longer)), "exercises.l3.6.step")


def test_clipping_each_parameter_is_recognised_up_to_the_tolerance(language):
    feedback = judge(6, as_answer(6, nudged(step_variant(clip_each), JUST_INSIDE)))
    assert_feedback(feedback, "exercises.l3.6.per_parameter")


@pytest.mark.parametrize("change, after", [("adds a layer", 11), ("drops a layer", 9), ("widens a layer", 10)])
def test_a_step_that_changes_the_model_itself_is_told_so(change, after, language):
    """A step that adds, drops or replaces a layer is told it changed the model (counted on the
    first hidden stack, of 10 layers), not that its answer could not be read."""

    def answer(model, x, y, lr, max_norm):
        loss = step_clipped(model, x, y, lr, max_norm)
        width = x.shape[1]
        if change == "adds a layer":
            model.append(torch.nn.Linear(width, width, bias=False).double())
        elif change == "drops a layer":
            del model[-1]
        else:
            model[-1] = torch.nn.Linear(width, width + 1, bias=False).double()
        return loss

    assert_feedback(judge(6, as_answer(6, answer)), "exercises.l3.6.model_changed", before=10, after=after)


# --- each hidden stack is checked ---------------------------------------------------------------


@pytest.mark.parametrize(
    "which, wrong, key",
    [
        (0, twice_the_step, "exercises.l3.6.step"),
        (1, twice_the_step, "exercises.l3.6.step"),
        (2, twice_the_step, "exercises.l3.6.step"),
        (1, step_variant(), "exercises.l3.6.no_clip"),
        (1, step_variant(torch.nn.utils.clip_grad_value_), "exercises.l3.6.by_value"),
        (1, step_variant(clip_each), "exercises.l3.6.per_parameter"),
        (2, step_variant(torch.nn.utils.clip_grad_norm_, zero=False), "exercises.l3.6.stale"),
        (2, step_variant(torch.nn.utils.clip_grad_norm_, update=False), "exercises.l3.6.no_step"),
    ],
)
def test_an_answer_wrong_on_one_hidden_stack_only_is_named_for_it(which, wrong, key, language):
    assert_feedback(judge(6, as_answer(6, on_case(which, wrong))), key)


def test_an_unclipped_step_is_right_when_max_norm_is_never_reached():
    """The third stack's max_norm is far above its gradient's norm: there the plain step is the right one."""
    assert judge(6, as_answer(6, on_case(2, step_variant()))).correct


@pytest.mark.parametrize("which", [0, 1, 2])
def test_a_wrong_loss_shows_what_came_back_and_the_loss_of_that_stack(which, language):
    losses = []

    def answer(model, x, y, lr, max_norm):
        losses.append(step_clipped(model, x, y, lr, max_norm))
        return losses[-1] * 2 if len(losses) - 1 == which else losses[-1]

    feedback = judge(6, as_answer(6, answer))
    expected = losses[which]
    fields = {"actual": shortest(2 * expected), "expected": shortest(expected)}
    assert_feedback(feedback, "exercises.l3.6.loss", **fields)


# --- the loss must come back as a number ----------------------------------------------------


@pytest.mark.parametrize(
    "value, kind",
    [
        (None, "exercises.kind.none"),
        (True, "exercises.kind.bool"),
        ("1804.4", "exercises.kind.string"),
        (torch.ones(2, dtype=torch.float64), "exercises.kind.tensor"),
        ([1.0, 2.0], "exercises.kind.list"),
    ],
)
def test_a_loss_that_is_not_a_number_gets_the_form_hint_naming_what_came_back(value, kind, language):
    feedback = judge(6, as_answer(6, returning(value)))
    assert_form(feedback, "exercises.l3.6.not_number", kind=kind_text(value))
    assert feedback.hint.fields["before"].fields["kind"].key == kind


@pytest.mark.parametrize("value", [0, -0.0, torch.tensor([0.0]), torch.tensor(0, dtype=torch.int64)])
def test_a_loss_that_is_a_number_of_any_form_is_read_as_one(value):
    feedback = judge(6, as_answer(6, returning(value)))
    assert feedback.hint.key == "exercises.l3.6.loss" and feedback.hint.fields["actual"] == "0", str(feedback)


# --- the hidden stacks: like the public one, from the checker's own generator -------------------


def recording(seen):
    """The right step, noting what the checker handed it."""

    def answer(model, x, y, lr, max_norm):
        seen.append(
            {
                "layers": list(model),
                "weights": [p.detach().clone() for p in model.parameters()],
                "grads": [p.grad.clone() for p in model.parameters()],
                "x": x.clone(),
            }
        )
        return step_clipped(model, x, y, lr, max_norm)

    return answer


def test_the_hidden_stacks_are_bias_free_and_scaled_like_model6_with_a_stale_gradient():
    seen = []
    assert judge(6, as_answer(6, recording(seen))).correct
    assert len(seen) == 3
    for stack in seen:
        width = stack["x"].shape[1]
        assert all(isinstance(layer, torch.nn.Linear) and layer.bias is None for layer in stack["layers"])
        assert len(stack["weights"]) == len(stack["layers"])
        assert all(w.shape == (width, width) and w.dtype == torch.float64 for w in stack["weights"])
        assert all(torch.equal(g, torch.ones_like(g)) for g in stack["grads"])
        spread = float(torch.cat([w.flatten() for w in stack["weights"]]).std())
        assert 0.75 < spread / (GAIN / math.sqrt(width)) < 1.33, spread


def test_the_hidden_stacks_and_the_feedback_ignore_the_global_random_state(own_random_stream):
    runs = []
    for seed in (0, 1):
        torch.manual_seed(seed)
        seen = []
        feedback = judge(6, as_answer(6, on_case(1, twice_the_step, recording(seen))))
        runs.append((str(feedback), seen))
    assert runs[0][0] == runs[1][0]
    for first, second in zip(runs[0][1], runs[1][1], strict=True):
        assert all(torch.equal(a, b) for a, b in zip(first["weights"], second["weights"], strict=True))
        assert torch.equal(first["x"], second["x"])


def test_checking_leaves_the_learners_random_stream_where_it_was(own_random_stream):
    torch.manual_seed(123)
    state = torch.get_rng_state()
    assert judge(6, as_answer(6, step_clipped)).correct
    assert torch.equal(torch.get_rng_state(), state)


# --- the public example -----------------------------------------------------------------------


def weights_of(model):
    return [p.detach().clone() for p in model.parameters()]


def test_model6_is_twelve_bias_free_layers_of_sixteen_scaled_by_the_gain():
    """The statement's stack (hint 2: "through 12 layers of weights 1.5 times the default")."""
    model = l3.model6()
    assert len(model) == 12
    assert all(isinstance(layer, torch.nn.Linear) and layer.bias is None for layer in model)
    weights = weights_of(model)
    assert len(weights) == 12 and all(w.shape == (16, 16) for w in weights)
    spread = float(torch.cat([w.flatten() for w in weights]).std())
    assert 0.85 < spread / (GAIN / math.sqrt(16)) < 1.15, spread


def test_model6_depends_on_its_seed_alone_and_its_default_seed_is_0(own_random_stream):
    torch.manual_seed(5)
    state = torch.get_rng_state()
    first = weights_of(l3.model6())
    assert torch.equal(torch.get_rng_state(), state), "building it leaves the global random stream alone"
    torch.manual_seed(6)
    again = weights_of(l3.model6(12, 16, 0))
    assert all(torch.equal(a, b) for a, b in zip(first, again, strict=True))
    other = weights_of(l3.model6(seed=1))
    assert not any(torch.equal(a, b) for a, b in zip(first, other, strict=True))


def test_broken6_returns_the_mean_squared_error_and_steps_down_the_unclipped_gradient():
    model = l3.model6()
    reference = copy.deepcopy(model)
    loss = ((reference(l3.X6) - l3.Y6) ** 2).mean()
    loss.backward()
    returned = l3.broken6(model, l3.X6, l3.Y6, 0.01)
    assert isinstance(returned, float) and returned == pytest.approx(float(loss.detach()), rel=1e-6)
    for p, q in zip(model.parameters(), reference.parameters(), strict=True):
        torch.testing.assert_close(p.detach(), q.detach() - 0.01 * q.grad)
