"""Exercise 7 of lesson 4 (training § 7's network with the learner's engine): the checker's feedback
at the edges.

These tests pin what a learner reads for each kind of wrong training loop: the headline's key, the
hint's key, the fields the hint is worded from (the step, the count, the shape, the parameter's name,
the hidden case) and how the texts read in both languages. They also pin how a difference between
two loss curves is worded (a percentage near PyTorch's loss, a ratio far from it, at the exact
bounds), how a first loss that is a sum is told from any other wrong first loss, how a curve is
matched to a typical slip (a few steps past the separation, within rounding), and how a right loop
on a learner's engine is told apart from the engine's own fault.

Many loops here return PyTorch's own curve with one loss changed: the check stops at the first
hidden case that differs, so a loop that never trains is enough to pin the wording of a curve.
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest
import torch

from autograd_lessons import exercises as machinery
from autograd_lessons.lessons.own_autograd import exercises as l4
from autograd_lessons.lessons.own_autograd import programs
from autograd_lessons.lessons.own_autograd.engine import Value
from autograd_lessons.lessons.own_autograd.exercises import training
from test_lesson4_exercises import WrongTanh, as_answer, forward_loss, judge

LANGUAGES = ("en", "pt")
CASE0 = {"points": 24, "features": 2, "hidden": 8, "learning_rate": 0.3}  # the first hidden case


@pytest.fixture(autouse=True)
def fresh_hints(monkeypatch):
    monkeypatch.setattr(machinery, "_hints_shown", {})


def pytorch_losses():
    """PyTorch's losses on the first hidden case, as Python numbers."""
    return training.pytorch_run(0)[0].tolist()


def returning(change):
    """A loop that trains nothing and returns `change(losses)`, PyTorch's losses of the first hidden
    case changed: the check judges that case first and stops there."""

    def train(params, inputs, targets, steps, learning_rate):
        return change(pytorch_losses())

    return train


def replaced(index, item):
    """PyTorch's losses with the one at `index` (from 0) replaced by `item`."""

    def change(losses):
        losses[index] = item(losses[index]) if callable(item) else item
        return losses

    return change


def right_loop(keep=lambda value: value.data.item(), after=None, last_update=True):
    """§ 7's loop, appending `keep(loss)` for each step, then `after(params)` once trained."""

    def train(params, inputs, targets, steps, learning_rate):
        losses = []
        for number in range(steps):
            loss = forward_loss(params, inputs, targets)
            for p in params:
                p.grad = torch.zeros_like(p.data)
            loss.backward()
            if last_update or number < steps - 1:
                for p in params:
                    p.data -= learning_rate * p.grad
            losses.append(keep(loss))
        if after is not None:
            after(params)
        return losses

    return train


def rendered(feedback):
    """The headline and the hint in each language."""
    return {lang: (feedback.headline.render(lang), feedback.hint.render(lang)) for lang in LANGUAGES}


def assert_feedback(feedback, headline, hint, fields=None, words=None):
    """`feedback` is wrong with these keys, its hint has `fields` (these values), and its hint reads
    `words[language]` in each language."""
    assert feedback.status == "wrong", str(feedback)
    assert (feedback.headline.key, feedback.hint.key) == (headline, hint), str(feedback)
    for name, value in (fields or {}).items():
        assert feedback.hint.fields.get(name) == value, (name, str(feedback))
    texts = rendered(feedback)
    for lang, (top, body) in texts.items():
        assert top and body and "{" not in top + body, texts
        assert "None" not in top, texts
        for word in (words or {}).get(lang, ()):
            assert word in body, (word, texts)
    return texts


RETURNED = "exercises.l4.7.headline.returned"

# what train returns: (the change to PyTorch's losses, the hint's key, its fields, words in English, in Portuguese)
ODD_RETURNS = {
    "nothing": (lambda losses: None, "exercises.l4.7.returned_none", {}, ["returned None"], ["None"]),
    "the last loss only": (
        lambda losses: losses[-1],
        "exercises.l4.7.not_list",
        {},
        ["train returned a number"],
        ["um número"],
    ),
    "an empty list": (lambda losses: [], "exercises.l4.7.empty", {"steps": 20}, ["20 steps"], ["20 passos"]),
    "one loss too few": (
        lambda losses: losses[:-1],
        "exercises.l4.7.length",
        {"count": 19, "steps": 20},
        ["19 losses for 20 steps"],
        ["19 perdas para 20 passos"],
    ),
    "text at step 3": (
        replaced(2, "low"),
        "exercises.l4.7.item",
        {"step": 3},
        ["step 3", "a string"],
        ["passo 3", "um texto"],
    ),
    "a bool tensor at step 2": (
        replaced(1, torch.tensor(True)),
        "exercises.l4.7.item",
        {"step": 2},
        ["step 2"],
        ["passo 2"],
    ),
    "a complex loss at step 6": (
        replaced(5, lambda loss: torch.tensor(complex(loss, 0.0))),
        "exercises.l4.7.item",
        {"step": 6},
        ["step 6"],
        ["passo 6"],
    ),
    "a batch of errors at step 4": (
        replaced(3, torch.zeros(2, 3, dtype=torch.float64)),
        "exercises.l4.7.not_scalar",
        {"step": 4, "count": 6, "shape": "(2, 3)"},
        ["step 4", "6 elements", "(2, 3)"],
        ["passo 4", "(2, 3)"],
    ),
    "a float32 loss at step 5": (
        replaced(4, lambda loss: torch.tensor(loss, dtype=torch.float32)),
        "exercises.l4.7.dtype",
        {"step": 5, "dtype": "float32"},
        ["step 5", "float32"],
        ["passo 5", "float32"],
    ),
}


@pytest.mark.parametrize("odd", ODD_RETURNS)
def test_what_train_returns_is_named_with_the_step_and_its_form(odd):
    """Anything but one float64 loss per step is told under the headline "not one loss per step",
    with the step (from 1) of the first loss that is not a number and what it is."""
    change, key, fields, english, portuguese = ODD_RETURNS[odd]
    feedback = judge(7, as_answer(7, Value, train=returning(change)))
    assert_feedback(feedback, RETURNED, key, fields, {"en": english, "pt": portuguese})
    assert feedback.headline.render("en") == "train does not return one loss per step."


def test_a_loss_of_a_tensor_subclass_is_read_as_the_tensor_itself():
    """A loss that is a tensor is read as it is, not through an attribute it calls .data."""

    class Loss(torch.Tensor):
        @property
        def data(self):
            return "not a number"

    def train(params, inputs, targets, steps, learning_rate):
        return [
            torch.tensor(loss, dtype=torch.float64).as_subclass(Loss)
            for loss in right_loop()(params, inputs, targets, steps, learning_rate)
        ]

    feedback = judge(7, as_answer(7, Value, train=train))
    assert feedback.correct, str(feedback)


KEPT = {
    "the engine's values themselves": lambda loss: loss,
    "objects whose .data is a number": lambda loss: SimpleNamespace(data=loss.data.item()),
    "one-element float64 tensors": lambda loss: loss.data.reshape(1, 1),
}


@pytest.mark.parametrize("kept", KEPT)
def test_a_loss_may_be_a_value_of_the_engine_or_anything_whose_data_is_the_number(kept):
    """Each step's loss may be kept as the engine's value, as an object whose .data is a number or
    as a float64 tensor of one element: each is read as its number."""
    feedback = judge(7, as_answer(7, Value, train=right_loop(keep=KEPT[kept])))
    assert feedback.correct, str(feedback)


CURVE = "exercises.l4.7.headline.curve"

# loss of step 2 as a multiple of PyTorch's: (the change's key, its field, its value, English, Portuguese)
CHANGES = {
    1.2: ("exercises.l4.7.higher", "percent", 20.0, "20 % higher", "20 % maior"),
    0.8: ("exercises.l4.7.lower", "percent", 20.0, "20 % lower", "20 % menor"),
    2.0: ("exercises.l4.7.higher", "percent", 100.0, "100 % higher", "100 % maior"),
    0.5: ("exercises.l4.7.lower", "percent", 50.0, "50 % lower", "50 % menor"),
    2.5: ("exercises.l4.7.times", "ratio", "2.5", "2.5 times as much", "2,5 vezes a do PyTorch"),
    0.25: ("exercises.l4.7.times", "ratio", "0.25", "0.25 times as much", "0,25 vezes a do PyTorch"),
}


@pytest.mark.parametrize("factor", CHANGES)
def test_how_far_a_loss_is_from_pytorchs_reads_as_a_percentage_within_half_and_double(factor):
    """Between half and twice PyTorch's loss (both included) the finding says by what percentage
    the loss is higher or lower; beyond, how many times PyTorch's it is."""
    key, field, value, english, portuguese = CHANGES[factor]
    feedback = judge(7, as_answer(7, Value, train=returning(replaced(1, lambda loss: loss * factor))))
    expected = training.pytorch_run(0)[0][1].item()
    texts = assert_feedback(
        feedback,
        CURVE,
        "exercises.l4.7.curve",
        {**CASE0, "step": 2, "before": 1},
        {"en": [english], "pt": [portuguese]},
    )
    assert feedback.headline.fields["step"] == 2
    finding = feedback.hint.fields["finding"]
    assert finding.key == "exercises.l4.7.finding", texts
    assert {name: finding.fields[name] for name in CASE0} == CASE0
    assert (finding.fields["step"], finding.fields["before"]) == (2, 1)
    assert float(finding.fields["expected"]) == pytest.approx(expected, rel=1e-3)
    assert float(finding.fields["actual"]) == pytest.approx(expected * factor, rel=1e-3)
    change = finding.fields["change"]
    assert change.key == key, texts
    assert change.fields[field] == (pytest.approx(value) if field == "percent" else value), texts


def test_two_losses_that_agree_to_many_digits_are_written_with_the_digits_that_tell_them_apart():
    """Losses that differ only far down are written with as many digits as it takes to differ."""
    feedback = judge(7, as_answer(7, Value, train=returning(replaced(1, lambda loss: loss * (1 + 1e-9)))))
    finding = feedback.hint.fields["finding"]
    actual, expected = finding.fields["actual"], finding.fields["expected"]
    assert actual != expected and len(actual) > 8, str(feedback)
    assert float(expected) == pytest.approx(training.pytorch_run(0)[0][1].item(), rel=1e-7)
    assert finding.fields["change"].key == "exercises.l4.7.higher"


# the first loss as a multiple of PyTorch's: the hint's key
FIRST_LOSSES = {
    24.0: "exercises.l4.7.mistake.not_mean",  # the sum over the 24 points
    24.0 * (1 + 1e-10): "exercises.l4.7.mistake.not_mean",  # within a part in 10⁹ of it
    24.0 * (1 + 3e-9): "exercises.l4.7.loss_first",  # beyond
    0.5: "exercises.l4.7.loss_first",
}


@pytest.mark.parametrize("factor", FIRST_LOSSES)
def test_a_first_loss_the_number_of_points_times_pytorchs_is_named_a_sum(factor):
    """A first loss that is the number of points times PyTorch's (to a part in 10⁹) is a sum, not a
    mean; any other first loss is the forward pass's or the loss's. Both read "the first loss
    already differs", under the headline of a curve separating at step 1."""
    key = FIRST_LOSSES[factor]
    feedback = judge(7, as_answer(7, Value, train=returning(replaced(0, lambda loss: loss * factor))))
    words = {"en": ["the first loss already differs"], "pt": ["a primeira perda já difere"]}
    if key.endswith("not_mean"):
        words = {"en": [*words["en"], "24 is the number of points"], "pt": [*words["pt"], "24 é o número de pontos"]}
    assert_feedback(feedback, CURVE, key, {**CASE0, "step": 1, "before": 0}, words)
    assert feedback.headline.fields["step"] == 1
    assert feedback.hint.fields["finding"].key == "exercises.l4.7.finding_first"


def sign_slip_then(rest, ulps=0.0):
    """PyTorch's first loss, then the curve of the loop going up the gradient for steps 2 to 4
    (scaled by 1 + ulps ulps), then `rest` (PyTorch's, or the slip's own)."""

    def change(losses):
        slipped = training.slipped(0, "sign").tolist()
        head = [loss * (1 + ulps * 2.0**-52) for loss in slipped[1:4]]
        return losses[:1] + head + (slipped if rest == "slip" else losses)[4:]

    return change


# a curve: (the change, the hint's key)
SLIP_WINDOWS = {
    "the slip's curve for three steps past the separation, then another": (
        sign_slip_then("pytorch"),
        "exercises.l4.7.mistake.sign",
    ),
    "the slip's curve to within a hundred ulps": (sign_slip_then("slip", ulps=100), "exercises.l4.7.mistake.sign"),
    "the slip's curve to within a hundred ulps for three steps past the separation": (
        sign_slip_then("pytorch", ulps=100),
        "exercises.l4.7.mistake.sign",
    ),
    "the slip's curve off by ten thousand ulps": (sign_slip_then("slip", ulps=1e4), "exercises.l4.7.curve"),
}


@pytest.mark.parametrize("window", SLIP_WINDOWS)
def test_a_curve_is_matched_to_a_slip_over_three_steps_past_the_separation_within_rounding(window):
    """A slip is named when the curve is the slip's, to within rounding (1024 ulps), from the start
    to three steps past where it leaves PyTorch's; what it does afterwards does not matter."""
    change, key = SLIP_WINDOWS[window]
    feedback = judge(7, as_answer(7, Value, train=returning(change)))
    assert_feedback(feedback, CURVE, key, {**CASE0, "step": 2, "before": 1})
    assert set(feedback.hint.fields) == {*CASE0, "finding", "before", "step"}, str(feedback)


def test_a_slip_of_the_step_size_names_the_factor():
    """The learning rate applied twice names the step's factor (0.3 × 0.3) next to the learning rate."""
    feedback = judge(7, as_answer(7, Value, train=returning(lambda losses: training.slipped(0, "lr_squared").tolist())))
    assert_feedback(
        feedback,
        CURVE,
        "exercises.l4.7.mistake.lr_twice",
        {**CASE0, "step": 2, "factor": pytest.approx(0.09)},
        {"en": ["0.09 times the gradient"], "pt": ["0,09 vezes o gradiente"]},
    )


def replace_one(index, value):
    def after(params):
        params[index] = value(params[index]) if callable(value) else value

    return after


def set_data(index, value):
    def after(params):
        params[index].data = value(params[index].data)

    return after


def back_to_start(params):
    """The parameters' tensors set back to where training started."""
    for p, start in zip(params, training.case_data(0)[2], strict=True):
        p.data.copy_(start)


def nudge_w1(params):
    params[0].data[1, 3] += 0.5


class BrokenOperands:
    """A trained parameter whose operands cannot be read: its `_prev` is no collection."""

    def __init__(self, value):
        self.data = value.data
        self._prev = 5


FINAL = "exercises.l4.7.headline.final"
IN_PLACE = "exercises.l4.7.headline.in_place"

# a loop that leaves the parameters otherwise: (the loop, the headline, the hint's key, its fields, English, Portuguese)
LEFT_PARAMETERS = {
    "params emptied": (
        right_loop(after=list.clear),
        FINAL,
        "exercises.l4.7.params_length",
        {"count": 0},
        ["params holds 0 values"],
        ["params tem 0 valores"],
    ),
    "new values put back": (
        right_loop(after=replace_one(0, lambda p: p * 1.0)),
        IN_PLACE,
        "exercises.l4.7.mistake.graph_grows",
        {},
        ["the graph keeps every step"],
        ["o grafo guarda todos os passos"],
    ),
    "the given parameters untouched": (
        right_loop(after=back_to_start),
        IN_PLACE,
        "exercises.l4.7.mistake.new_values",
        {},
        ["unchanged at the end"],
        ["estão iguais no fim"],
    ),
    "b2 replaced by None": (
        right_loop(after=replace_one(3, None)),
        FINAL,
        "exercises.l4.7.final_form",
        {**CASE0, "name": "b2"},
        ["b2.data is not a tensor"],
        ["b2"],
    ),
    "b1's data a number": (
        right_loop(after=set_data(1, lambda data: 0.5)),
        FINAL,
        "exercises.l4.7.final_form",
        {**CASE0, "name": "b1"},
        ["b1.data is not a tensor"],
        ["b1"],
    ),
    "W2's data of another shape": (
        right_loop(after=set_data(2, lambda data: data.reshape(-1))),
        FINAL,
        "exercises.l4.7.final_form",
        {**CASE0, "name": "W2"},
        ["W2.data is not a tensor of its shape"],
        ["W2"],
    ),
    "W1 in float32": (
        right_loop(after=set_data(0, lambda data: data.float())),
        FINAL,
        "exercises.l4.7.final",
        {**CASE0, "name": "W1"},
        ["after train returns, W1 differs"],
        ["W1"],
    ),
    "one element of W1 moved": (
        right_loop(after=nudge_w1),
        FINAL,
        "exercises.l4.7.final",
        {**CASE0, "name": "W1", "index": "(1, 3)"},
        ["after train returns, W1 differs", "at index (1, 3)"],
        ["W1", "(1, 3)"],
    ),
}


@pytest.mark.parametrize("left", LEFT_PARAMETERS)
def test_a_right_curve_with_wrong_parameters_left_names_the_parameter(left):
    """When every loss is PyTorch's, what the loop leaves in params is judged: the list's length,
    values computed from others, parameters never trained in place, and then each parameter by name
    (its form, then its values, at the first index that differs)."""
    train, headline, key, fields, english, portuguese = LEFT_PARAMETERS[left]
    feedback = judge(7, as_answer(7, Value, train=train))
    assert_feedback(feedback, headline, key, fields, {"en": english, "pt": portuguese})


def test_the_values_of_a_parameter_that_differs_are_both_given():
    """The final finding gives the learner's element and PyTorch's, at the index named."""
    feedback = judge(7, as_answer(7, Value, train=right_loop(after=nudge_w1)))
    theirs = training.pytorch_run(0)[1][0][1, 3].item()
    assert float(feedback.hint.fields["expected"]) == pytest.approx(theirs, rel=1e-12)
    assert float(feedback.hint.fields["actual"]) == pytest.approx(theirs + 0.5, rel=1e-12)


def test_a_parameter_whose_operands_cannot_be_read_counts_as_a_leaf():
    """A trained parameter whose `_prev` cannot be counted is not taken for a value computed from
    others: with PyTorch's curve and values, the loop passes."""
    feedback = judge(7, as_answer(7, Value, train=right_loop(after=replace_one(2, BrokenOperands))))
    assert feedback.correct, str(feedback)


def raising(params, inputs, targets, steps, learning_rate):
    raise ValueError("my own mistake")


def test_a_loop_that_raises_names_the_error_and_the_hidden_case():
    """An error of the loop reads under its own headline, with the error and the hidden case."""
    feedback = judge(7, as_answer(7, Value, train=raising))
    error = "ValueError: my own mistake"
    assert_feedback(
        feedback,
        "exercises.l4.7.headline.raised",
        "exercises.l4.7.raised",
        {**CASE0, "error": error},
        {"en": [error, "24 points"], "pt": [error, "24 pontos"]},
    )


ENGINE = "exercises.l4.7.headline.engine"


def test_an_engine_with_a_piece_still_to_write_names_the_engine_and_the_error():
    """A right loop that raises on the learner's engine names the engine and what it raised."""
    unfinished = type("MyValue", (l4.Value2,), {})
    feedback = judge(7, as_answer(7, unfinished, train=right_loop()))
    assert_feedback(
        feedback, ENGINE, "exercises.l4.7.engine_raised", {"name": "MyValue"}, {"en": ["MyValue"], "pt": ["MyValue"]}
    )
    assert "tanh" in feedback.hint.fields["error"]


def test_a_wrong_engine_gets_the_diagnosis_of_its_rules_after_the_finding():
    """A right loop on a wrong engine: the curves' finding, then the diagnosis of exercises 1 to 5
    (its headline and its hint) on the engine."""
    feedback = judge(7, as_answer(7, WrongTanh, train=right_loop()))
    found = programs.diagnose(WrongTanh)
    assert found.hint is not None and not found.right
    assert_feedback(feedback, ENGINE, "exercises.l4.7.engine", {"name": "WrongTanh"})
    fields = feedback.hint.fields
    assert fields["finding"].key == "exercises.l4.7.finding"
    assert fields["diagnosis"] == found.headline and fields["detail"] == found.hint
    for lang in LANGUAGES:
        body = feedback.hint.render(lang)
        assert found.headline.render(lang) in body and found.hint.render(lang) in body, body
        assert body.endswith(found.hint.render(lang)), body


def own_engine_only(train):
    """A loop that runs `train` on any engine but the lesson's Value, and the right loop on it."""

    def choose(params, inputs, targets, steps, learning_rate):
        chosen = right_loop() if type(params[0]) is Value else train
        return chosen(params, inputs, targets, steps, learning_rate)

    return choose


def slower(params, inputs, targets, steps, learning_rate):
    return right_loop()(params, inputs, targets, steps, learning_rate / 3)


# what goes wrong on an engine the diagnosis finds right: (the loop, the finding's key, English, Portuguese)
UNEXPLAINED = {
    "the curve separates": (slower, "exercises.l4.7.finding", ["at step 2"], ["no passo 2"]),
    "a parameter differs": (right_loop(last_update=False), "exercises.l4.7.final", ["after train returns, W1"], ["W1"]),
}


@pytest.mark.parametrize("what", UNEXPLAINED)
def test_a_difference_on_an_engine_whose_rules_are_right_is_unexplained_with_its_finding(what):
    """When the loop is right on the lesson's Value, wrong on the learner's engine, and the
    diagnosis finds no wrong gradient, the hint names the engine and says where the runs differ:
    where the curves separate, or the parameter that differs."""
    train, key, english, portuguese = UNEXPLAINED[what]
    mine = type("MyValue", (Value,), {})
    feedback = judge(7, as_answer(7, mine, train=own_engine_only(train)))
    assert_feedback(
        feedback, ENGINE, "exercises.l4.7.engine_unexplained", {"name": "MyValue"}, {"en": english, "pt": portuguese}
    )
    finding = feedback.hint.fields["finding"]
    assert finding.key == key, str(feedback)
    assert finding.fields["points"] == 24
