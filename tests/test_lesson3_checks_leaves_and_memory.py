"""Lesson 3, exercises 3 to 5 (parameters that are not leaves, a softmax changed in place, an epoch
whose memory grows): these tests pin the checkers' feedback at the edges. Each wrong answer of a
given kind gets exactly its headline, its hint and the fields the learner reads (names, dtypes,
shapes, numbers), worded in both languages; the tolerance on the mean loss holds just inside and
fails just outside; checking leaves torch's global random state alone; and the public examples
the statements show do what the lesson says they do."""

from __future__ import annotations

import sys
import warnings

import pytest
import torch

from autograd_lessons import exercises as machinery
from autograd_lessons.exercises import kind_text
from autograd_lessons.i18n import LANGUAGES
from autograd_lessons.lessons.going_wrong import exercises as l3
from autograd_lessons.lessons.going_wrong.exercises import leaves_and_memory
from autograd_lessons.numbers import shortest
from test_lesson3_exercises import as_answer, assert_feedback, assert_form, judge, solved


@pytest.fixture(autouse=True)
def fresh_hints(monkeypatch):
    monkeypatch.setattr(machinery, "_hints_shown", {})


# --- exercise 3: parameters that are not leaves -----------------------------------------------


def weight3(generator):
    """The weight broken3 draws, as a float64 leaf that requires grad."""
    return (torch.randn(4, 3, generator=generator).to(torch.float64) * 0.1).requires_grad_()


def bias3():
    return torch.zeros(3, dtype=torch.float64, requires_grad=True)


def raising_hook(gradient):
    raise ValueError("no gradient for you")


def with_hook(generator):
    weight = weight3(generator)
    weight.register_hook(raising_hook)
    return weight, bias3()


@pytest.mark.parametrize(
    "init, hint, headline, fields",
    [
        (l3.broken3, "exercises.l3.3.not_leaf", "exercises.incorrect", {"name": "weight", "node": "MulBackward0"}),
        (
            lambda g: (weight3(g), l3.broken3(g)[1]),
            "exercises.l3.3.not_leaf",
            "exercises.incorrect",
            {"name": "bias", "node": "ToCopyBackward0"},
        ),
        (lambda g: (weight3(g).detach(), bias3()), "exercises.l3.3.no_grad", "exercises.incorrect", {"name": "weight"}),
        (lambda g: (weight3(g), bias3().detach()), "exercises.l3.3.no_grad", "exercises.incorrect", {"name": "bias"}),
        (
            lambda g: (weight3(g).detach().float().requires_grad_(), bias3()),
            "exercises.l3.3.dtype",
            "exercises.incorrect",
            {"name": "weight", "dtype": "torch.float32"},
        ),
        (
            lambda g: (weight3(g), torch.zeros(3, requires_grad=True)),
            "exercises.l3.3.dtype",
            "exercises.incorrect",
            {"name": "bias", "dtype": "torch.float32"},
        ),
        (
            lambda g: (weight3(g).detach().T.clone().requires_grad_(), bias3()),
            "exercises.l3.3.shape",
            "exercises.incorrect",
            {"name": "weight", "actual": "(3, 4)", "expected": "(4, 3)"},
        ),
        (
            lambda g: (weight3(g), torch.zeros(1, 3, dtype=torch.float64, requires_grad=True)),
            "exercises.l3.3.shape",
            "exercises.incorrect",
            {"name": "bias", "actual": "(1, 3)", "expected": "(3,)"},
        ),
        (
            lambda g: ((weight3(g) * 2).detach().requires_grad_(), bias3()),
            "exercises.l3.3.values",
            "exercises.incorrect",
            {"name": "weight"},
        ),
        (
            lambda g: (weight3(g), torch.ones(3, dtype=torch.float64, requires_grad=True)),
            "exercises.l3.3.values",
            "exercises.incorrect",
            {"name": "bias"},
        ),
        (with_hook, "exercises.l3.3.unused", "exercises.l3.right_values", {}),
    ],
    ids=[
        "weight-not-leaf",
        "bias-not-leaf",
        "weight-no-grad",
        "bias-no-grad",
        "weight-float32",
        "bias-float32",
        "weight-transposed",
        "bias-as-row",
        "weight-other-values",
        "bias-ones",
        "gradient-refused",
    ],
)
def test_3_each_wrong_parameter_is_named_with_what_is_off(init, hint, headline, fields):
    """The hint names which of the two tensors is off and how (node, dtype, shapes), in both
    languages; parameters right in value whose gradient cannot be taken get the right-values headline."""
    assert_feedback(judge(3, as_answer(3, init)), hint, headline, **fields)


def test_3_right_parameters_pass():
    """Leaves made from broken3's own draw, float64 and requiring grad, pass."""
    assert judge(3, as_answer(3, lambda g: (weight3(g), bias3()))).correct


@pytest.mark.parametrize(
    "result, key, kind",
    [
        (lambda g: weight3(g), "exercises.l3.3.pair", kind_text(torch.zeros(1))),
        (lambda g: (weight3(g), bias3(), bias3()), "exercises.l3.3.pair", kind_text((1, 2, 3))),
        (lambda g: [weight3(g)], "exercises.l3.3.pair", kind_text([1])),
        (lambda g: None, "exercises.l3.3.pair", kind_text(None)),
        (lambda g: (weight3(g), 0.0), "exercises.l3.3.not_tensors", kind_text(0.0)),
        (lambda g: ["weight", bias3()], "exercises.l3.3.not_tensors", kind_text("weight")),
    ],
    ids=["one-tensor", "three-tensors", "list-of-one", "none", "a-number", "a-string"],
)
def test_3_a_result_that_is_not_two_tensors_is_the_wrong_form(result, key, kind):
    """Anything but a pair of tensors is the wrong form, and the sentence says what it was."""
    assert_form(judge(3, as_answer(3, result)), key, kind=kind)


# --- exercise 4: a softmax changed in place ---------------------------------------------------


class _SoftmaxWithBackward(torch.autograd.Function):
    """A softmax whose backward pass runs the learner's own `backward_body`."""

    @staticmethod
    def forward(ctx, logits):
        return torch.softmax(logits, dim=1)

    @staticmethod
    def backward(ctx, upstream):
        return _SoftmaxWithBackward.backward_body(upstream)


def softmax_whose_backward(body):
    def softmax(logits):
        _SoftmaxWithBackward.backward_body = staticmethod(body)
        return _SoftmaxWithBackward.apply(logits)

    return softmax


def backward_raises(upstream):
    raise ValueError("my backward")


def backward_exits(upstream):
    sys.exit(3)


def backward_recurses(upstream):
    return backward_recurses(upstream)


def softmax_with_backward_inside(logits):
    e = torch.exp(logits - logits.max(dim=1, keepdim=True).values)
    result = e / e.sum(dim=1, keepdim=True)
    result.sum().backward()
    return result


@pytest.mark.parametrize(
    "softmax, hint, headline, fields",
    [
        (l3.broken4, "exercises.l3.4.still_in_place", "exercises.l3.checker_backward", {}),
        (softmax_with_backward_inside, "exercises.l3.backward_inside", "exercises.l3.checker_backward", {}),
        (
            softmax_whose_backward(backward_raises),
            "exercises.l3.backward_failed",
            "exercises.l3.checker_backward",
            {"error": "ValueError: my backward"},
        ),
        (softmax_whose_backward(backward_exits), "exercises.exited", "exercises.raised_headline", {}),
        (
            softmax_whose_backward(backward_recurses),
            "exercises.recursion",
            "exercises.raised_headline",
            {"error": "RecursionError: maximum recursion depth exceeded"},
        ),
        (
            lambda z: torch.softmax(z.detach(), dim=1) + 0 * z,
            "exercises.l3.4.detached",
            "exercises.l3.right_values",
            {},
        ),
        (
            lambda z: torch.softmax(z, dim=1).detach() + (z - z.detach()),
            "exercises.l3.4.gradient",
            "exercises.l3.right_values",
            {},
        ),
    ],
    ids=["in-place", "backward-inside", "backward-raises", "backward-exits", "backward-recurses", "zero", "identity"],
)
def test_4_a_backward_pass_that_fails_or_is_wrong_is_named(softmax, hint, headline, fields):
    """Right values whose backward pass fails get the checker's-backward headline and the cause
    (in place, freed, or the error itself), an exit or an endless recursion in the learner's own
    backward is worded as such, and a wrong gradient gets the right-values headline."""
    assert_feedback(judge(4, as_answer(4, softmax)), hint, headline, **fields)


def test_4_the_error_of_a_failed_backward_pass_is_in_the_headline_too():
    """The headline names the error the checker's backward pass ran into, in both languages."""
    feedback = judge(4, as_answer(4, softmax_whose_backward(backward_raises)))
    assert dict(feedback.headline.fields) == {"error": "ValueError: my backward"}
    for language in LANGUAGES:
        assert "ValueError: my backward" in feedback.hint.render(language)


@pytest.mark.parametrize("function", [l3.broken4, leaves_and_memory.softmax_value])
def test_4_the_public_softmax_is_shifted_by_the_maximum_and_never_overflows(function):
    """broken4's values are right (only its backward pass breaks), and so are the checker's own,
    even for logits whose exponential overflows float64."""
    logits = torch.tensor([[800.0, 0.0, 799.0], [-5.0, 0.0, 5.0]], dtype=torch.float64)
    with torch.no_grad():
        values = function(logits.clone())
    assert torch.isfinite(values).all()
    assert torch.allclose(values, torch.softmax(logits, dim=1), rtol=1e-12, atol=0)


# --- exercise 5: an epoch whose memory grows --------------------------------------------------


def epoch_then(returned, record=None):
    """A right epoch (zero_grad, backward, step, loss.item()) that returns returned(mean, batches)."""

    def epoch(model, optimizer, batches):
        losses = []
        for x, y in batches:
            optimizer.zero_grad()
            loss = ((model(x) - y) ** 2).mean()
            loss.backward()
            optimizer.step()
            losses.append(loss.item())
        mean = sum(losses) / len(losses)
        if record is not None:
            record.append(mean)
        return returned(mean, len(batches))

    return epoch


@pytest.mark.parametrize(
    "returned, hint, fields",
    [
        (lambda mean, n: torch.tensor([mean, mean]), "exercises.l3.not_scalar", {"shape": "(2,)"}),
        (lambda mean, n: torch.tensor([]), "exercises.l3.not_scalar", {"shape": "(0,)"}),
        (lambda mean, n: torch.tensor([[mean]], requires_grad=True) * 1, "exercises.l3.5.leak", {}),
        (lambda mean, n: torch.tensor(mean, requires_grad=True), "exercises.l3.5.leak", {}),
    ],
    ids=["two-values", "empty", "with-graph", "leaf-requiring-grad"],
)
def test_5_a_tensor_that_is_not_a_plain_number_is_named(returned, hint, fields):
    """A mean of several values shows its shape; one that requires grad (a graph, or a leaf made
    with requires_grad=True) is the leak."""
    assert_feedback(judge(5, as_answer(5, epoch_then(returned))), hint, **fields)


@pytest.mark.parametrize(
    "returned",
    [
        lambda mean, n: torch.tensor(mean, dtype=torch.float64),
        lambda mean, n: torch.tensor([[mean]], dtype=torch.float64),
        lambda mean, n: mean,
    ],
    ids=["zero-dim-tensor", "one-element-tensor", "float"],
)
def test_5_the_mean_as_a_float_or_a_one_element_tensor_passes(returned):
    assert judge(5, as_answer(5, epoch_then(returned))).correct


@pytest.mark.parametrize(
    "value", [True, None, "0.5", [0.5], {"mean": 0.5}], ids=["bool", "none", "string", "list", "dict"]
)
def test_5_a_result_that_is_not_a_number_is_the_wrong_form(value):
    """A bool, None, text or a container is not a mean loss; the sentence says what it was."""
    assert_form(
        judge(5, as_answer(5, epoch_then(lambda mean, n: value))), "exercises.l3.5.not_number", kind=kind_text(value)
    )


@pytest.mark.parametrize(
    "offset, passes",
    [(1.2e-10, True), (-1.2e-10, True), (1.3e-10, False), (-1.3e-10, False), (1e-9, False)],
)
def test_5_the_mean_is_kept_to_a_part_in_ten_billion(offset, passes):
    """The returned mean may be off by 1e-10 times the true mean (whose two hidden epochs are
    about 2.09 and 1.25); outside that, the hint shows both numbers, in both languages."""
    record = []
    feedback = judge(5, as_answer(5, epoch_then(lambda mean, n: mean + offset, record)))
    if passes:
        assert feedback.correct, str(feedback)
        return
    mean = record[-1]
    assert_feedback(feedback, "exercises.l3.5.mean", actual=shortest(mean + offset), expected=shortest(mean))


def float32_total(model, optimizer, batches):
    """A right epoch whose running total starts as torch.tensor(0.0): the sum is kept in float32."""
    total = torch.tensor(0.0)
    for x, y in batches:
        optimizer.zero_grad()
        loss = ((model(x) - y) ** 2).mean()
        loss.backward()
        optimizer.step()
        total += loss.detach()
    return total / len(batches)


@pytest.mark.parametrize(
    "epoch",
    [float32_total, epoch_then(lambda mean, n: torch.tensor(mean, dtype=torch.float32))],
    ids=["float32-total", "float32-mean"],
)
def test_5_a_mean_right_only_to_float32_precision_gets_the_precision_hint(epoch):
    """Training right and averaging right, but in float32: the hint names the precision, not the
    averaging."""
    assert_feedback(judge(5, as_answer(5, epoch)), "exercises.l3.float32", "exercises.precision_headline")


def test_5_each_hidden_epoch_has_its_own_model_and_batches():
    """The checker trains two fixed models of its own (5 batches, then 3); a mean wrong only on the
    second is caught there, and the hint quotes that epoch's true mean, the same at every run."""
    wrong_on_second = epoch_then(lambda mean, n: mean * n if n == 3 else mean)
    feedback = judge(5, as_answer(5, wrong_on_second))
    assert feedback.hint.key == "exercises.l3.5.mean"
    expected = float(feedback.hint.fields["expected"])
    assert expected == pytest.approx(1.246221237624215, rel=1e-9)
    assert float(feedback.hint.fields["actual"]) == pytest.approx(3 * expected, rel=1e-12)
    first = judge(5, as_answer(5, epoch_then(lambda mean, n: mean * n)))
    assert float(first.hint.fields["expected"]) == pytest.approx(2.0907156812554755, rel=1e-9)


def test_5_a_mean_that_is_not_a_number_is_never_close():
    """NaN is shown as the learner's mean, not accepted."""
    record = []
    feedback = judge(5, as_answer(5, epoch_then(lambda mean, n: float("nan"), record)))
    assert_feedback(feedback, "exercises.l3.5.mean", actual=shortest(float("nan")), expected=shortest(record[-1]))


# --- checking leaves the learner's random state alone ------------------------------------------


@pytest.mark.parametrize("number", [3, 4, 5])
def test_checking_does_not_draw_from_the_global_random_generator(number):
    """The checkers draw from private generators only: torch's global state is as it was."""
    answer = solved(number)
    torch.manual_seed(1234)
    before = torch.random.get_rng_state()
    assert judge(number, answer).correct
    assert torch.equal(torch.random.get_rng_state(), before)


def test_exercise_5_models_never_touch_a_gpu(monkeypatch):
    """Exercise 5's models (the public one and the checker's own) fork only the CPU's random
    state: on a machine with several GPUs, none is initialised and no warning is shown."""
    touched = []
    monkeypatch.setattr(torch.cuda, "device_count", lambda: 2)
    monkeypatch.setattr(torch.cuda, "get_rng_state", lambda device="cuda": touched.append(device))
    monkeypatch.setattr(torch.cuda, "set_rng_state", lambda state, device="cuda": touched.append(device))
    monkeypatch.setattr(torch.random, "_fork_rng_warned_already", False)
    answer = solved(5)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        l3.model5()
        assert judge(5, answer).correct
    assert touched == []


# --- the public examples -----------------------------------------------------------------------


def test_broken3_gives_float64_tensors_that_require_grad_but_are_not_leaves():
    weight, bias = l3.broken3(torch.Generator().manual_seed(0))
    for tensor, node in ((weight, "MulBackward0"), (bias, "ToCopyBackward0")):
        assert tensor.dtype == torch.float64 and tensor.requires_grad and not tensor.is_leaf
        assert type(tensor.grad_fn).__name__ == node


def test_model5_is_a_fixed_tanh_network_from_seed_0_that_leaves_the_global_state_alone():
    torch.manual_seed(99)
    before = torch.random.get_rng_state()
    model = l3.model5()
    assert torch.equal(torch.random.get_rng_state(), before)
    torch.manual_seed(0)
    reference = torch.nn.Sequential(torch.nn.Linear(2, 8), torch.nn.Tanh(), torch.nn.Linear(8, 1))
    assert [type(layer) for layer in model] == [type(layer) for layer in reference]
    for (name, got), (_, wanted) in zip(model.state_dict().items(), reference.state_dict().items(), strict=True):
        assert torch.equal(got, wanted), name
    x = l3.BATCHES5[0][0]
    assert model(x).shape == (8, 1)


def test_broken5_returns_the_mean_loss_of_the_epoch_with_its_graph():
    """broken5 trains like a right epoch and returns the same mean, but as a tensor that still
    holds the graph of every step (the leak the exercise is about)."""
    leaking, right = l3.model5(), l3.model5()
    mean = l3.broken5(leaking, torch.optim.SGD(leaking.parameters(), lr=0.1), l3.BATCHES5)
    record = []
    epoch_then(lambda value, n: value, record)(right, torch.optim.SGD(right.parameters(), lr=0.1), l3.BATCHES5)
    assert mean.grad_fn is not None and mean.shape == ()
    assert float(mean.detach()) == pytest.approx(record[-1], rel=1e-6)
    for p, q in zip(leaking.parameters(), right.parameters(), strict=True):
        assert torch.equal(p, q)
