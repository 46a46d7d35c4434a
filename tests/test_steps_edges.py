"""backward_steps() at its edges: every line of a step as a learner reads it, in both languages.

The tests of tests/test_steps.py check that the recorded gradients are autograd's. These check
what the text makes of them, line by line: who receives and who sends, the leaf named in
"AccumulateGrad (x)" or left unnamed, an untracked input shown by its value, a gradient that is
None, the total of several gradients, the outputs' names in the header, and the errors for input
the helper cannot use, each naming the numbers it is about. Expected texts are the catalogue's
(`message`) with the values a learner would work out by hand.
"""

from __future__ import annotations

import warnings

import pytest
import torch

from autograd_lessons import LessonError, backward_steps, set_language
from autograd_lessons.i18n import message

LANGUAGES = ["en", "pt"]


def line(key: str, **fields) -> str:
    """A step's line as step_lines writes it: indented under the step's heading."""
    return "  " + message(key, **fields)


def body(steps, number: int) -> list[str]:
    """The lines of step `number` under its heading."""
    return steps.step_lines(number)[1:]


class FirstOnly(torch.autograd.Function):
    """a * b whose backward gives a gradient to its first input only (None for the second)."""

    @staticmethod
    def forward(ctx, a, b):
        return a * b

    @staticmethod
    def backward(ctx, grad):
        return grad, None


class NoGradient(torch.autograd.Function):
    """2 * a whose backward gives no gradient at all (None)."""

    @staticmethod
    def forward(ctx, a):
        return a * 2

    @staticmethod
    def backward(ctx, grad):
        return None


# ---------------------------------------------------------------- who receives, sends and writes .grad


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_line_of_a_small_chain_with_a_named_leaf(language):
    set_language(language)
    x = torch.arange(4.0, requires_grad=True)
    y = (x * 3).sum()
    steps = backward_steps(y)
    assert [s.op for s in steps] == ["SumBackward0", "MulBackward0", "AccumulateGrad"]
    assert body(steps, 1) == [
        line("steps.initial", value="1"),
        line("steps.sends", value="[1, 1, 1, 1]", target="MulBackward0"),
    ]
    assert body(steps, 2) == [
        line("steps.receives", value="[1, 1, 1, 1]"),
        line("steps.sends", value="[3, 3, 3, 3]", target="AccumulateGrad (x)"),
        line("steps.sends_nothing", target="✂ 3"),
    ]
    # AccumulateGrad sends nothing on: its gradient lands in the leaf's .grad
    assert body(steps, 3) == [
        line("steps.receives", value="[3, 3, 3, 3]"),
        line("steps.lands", name="x", value="[3, 3, 3, 3]"),
    ]
    written = {
        "en": [
            "  starts with the initial gradient 1",
            "  receives [1, 1, 1, 1]",
            "  sends [3, 3, 3, 3] to AccumulateGrad (x)",
        ],
        "pt": [
            "  começa com o gradiente inicial 1",
            "  recebe [1, 1, 1, 1]",
            "  envia [3, 3, 3, 3] para AccumulateGrad (x)",
        ],
    }[language]
    text = steps.to_text().splitlines()
    for start in written:
        assert any(shown.startswith(start) for shown in text), start


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_leaf_without_a_name_is_plain_accumulate_grad(language):
    set_language(language)
    steps = backward_steps((torch.ones(2, requires_grad=True) * 3).sum())
    assert body(steps, 2)[1] == line("steps.sends", value="[3, 3]", target="AccumulateGrad")
    assert body(steps, 3) == [line("steps.receives", value="[3, 3]"), line("steps.lands", name="?", value="[3, 3]")]
    text = steps.to_text()
    assert "AccumulateGrad (" not in text and "None" not in text


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_untracked_input_is_shown_by_its_name_or_value_or_a_question_mark(language):
    set_language(language)
    x = torch.arange(4.0, requires_grad=True)
    c = torch.tensor([1.0, 2.0, 3.0, 4.0])
    by_value = backward_steps((x * 3).sum())
    assert body(by_value, 2)[-1] == line("steps.sends_nothing", target="✂ 3")
    by_name = backward_steps((x * c).sum())  # mul saves c: its value is known, and its name
    assert body(by_name, 2)[-1] == line("steps.sends_nothing", target="✂ c")
    unknown = backward_steps((x + c).sum())  # add saves neither input: nothing tells what c was
    assert body(unknown, 2)[-1] == line("steps.sends_nothing", target="✂ ?")


def test_each_gradient_says_which_input_slot_it_went_along():
    x = torch.arange(3.0, requires_grad=True)
    w = torch.ones(3, requires_grad=True)
    steps = backward_steps((x * w).sum())
    mul = steps[1]
    assert mul.op == "MulBackward0"
    names = {s.node: s.leaf for s in steps if s.op == "AccumulateGrad"}
    assert [(names[sent.target], sent.slot) for sent in mul.sent] == [("x", 0), ("w", 1)]
    squared = backward_steps((x * x).sum())
    (accumulate,) = [s for s in squared if s.op == "AccumulateGrad"]
    assert sorted(arrival.slot for arrival in accumulate.arrivals) == [0, 1]


# ---------------------------------------------------------------- totals: fan-in, several outputs, None


@pytest.mark.parametrize("language", LANGUAGES)
def test_gradients_arriving_at_a_leaf_along_three_edges_are_summed(language):
    set_language(language)
    m = torch.arange(6.0).reshape(2, 3).requires_grad_()
    f = (m * m + m * 3).sum()
    steps = backward_steps(f)
    last = steps[-1]
    assert last.op == "AccumulateGrad" and len(last.arrivals) == 3
    assert last.received.shape == (2, 3)
    assert last.received.data == tuple((2 * m + 3).flatten().tolist())
    lines = body(steps, len(steps))
    assert sorted(lines[:3]) == sorted(
        [
            line("steps.arrival", value="[[0, 1, 2], [3, 4, 5]]", source="MulBackward0"),
            line("steps.arrival", value="[[0, 1, 2], [3, 4, 5]]", source="MulBackward0"),
            line("steps.arrival", value="[[3, 3, 3], [3, 3, 3]]", source="MulBackward0"),
        ]
    )
    assert lines[3:] == [
        line("steps.sum", value="[[3, 5, 7], [9, 11, 13]]"),
        line("steps.lands", name="m", value="[[3, 5, 7], [9, 11, 13]]"),
    ]


def test_a_node_with_several_outputs_works_with_each_outputs_gradient_in_order():
    x = torch.arange(4.0, requires_grad=True)
    a, b = x.split(2)
    steps = backward_steps((a * 2).sum() + (b * 3).sum())
    (split,) = [s for s in steps if s.op == "SplitBackward0"]
    assert sorted(arrival.value.data for arrival in split.arrivals) == [(2.0, 2.0), (3.0, 3.0)]
    assert split.received.data == (2.0, 2.0, 3.0, 3.0)  # d/da then d/db, as split returned a, b
    assert body(steps, split.number)[-1] == line("steps.sends", value="[2, 2, 3, 3]", target="AccumulateGrad (x)")


def test_a_node_with_an_unused_output_works_with_the_gradient_of_the_used_one():
    x = torch.arange(4.0, requires_grad=True)
    a, b = x.split(2)  # b is not used: its gradient is None, which counts as zeros
    steps = backward_steps((a * 2).sum())
    (split,) = [s for s in steps if s.op == "SplitBackward0"]
    assert split.received.data == (2.0, 2.0)
    assert body(steps, split.number) == [
        line("steps.receives", value="[2, 2]"),
        line("steps.sends", value="[2, 2, 0, 0]", target="AccumulateGrad (x)"),
    ]


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_none_gradient_for_one_input(language):
    set_language(language)
    x = torch.arange(1.0, 3.0, requires_grad=True)
    w = torch.ones(2, requires_grad=True)
    steps = backward_steps(FirstOnly.apply(x, w).sum())
    by_leaf = {s.leaf: s for s in steps if s.op == "AccumulateGrad"}
    first = steps[1]
    assert [(s.slot, s.value.data if s.value else None) for s in first.sent] == [(0, (1.0, 1.0)), (1, None)]
    assert body(steps, first.number)[1] == line("steps.sends", value="[1, 1]", target="AccumulateGrad (x)")
    assert body(steps, by_leaf["x"].number) == [
        line("steps.receives", value="[1, 1]"),
        line("steps.lands", name="x", value="[1, 1]"),
    ]
    # w's AccumulateGrad runs with None: nothing lands in w.grad
    assert by_leaf["w"].received is None and by_leaf["w"].landed is None
    assert body(steps, by_leaf["w"].number) == [line("steps.receives", value="None")]
    assert x.grad is None and w.grad is None


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_none_gradient_arriving_next_to_a_real_one(language):
    set_language(language)
    x = torch.arange(1.0, 3.0, requires_grad=True)
    steps = backward_steps(FirstOnly.apply(x, x).sum())
    last = steps[-1]
    assert [a.value.data if a.value else None for a in last.arrivals] == [(1.0, 1.0), None]
    assert body(steps, last.number) == [
        line("steps.arrival", value="[1, 1]", source="FirstOnlyBackward"),
        line("steps.arrival", value="None", source="FirstOnlyBackward"),
        line("steps.sum", value="[1, 1]"),
        line("steps.lands", name="x", value="[1, 1]"),
    ]


def test_nodes_below_a_none_gradient_receive_none():
    x = torch.arange(1.0, 3.0, requires_grad=True)
    steps = backward_steps(NoGradient.apply(x * 3).sum())
    assert [s.op for s in steps] == ["SumBackward0", "NoGradientBackward", "MulBackward0", "AccumulateGrad"]
    assert [s.received for s in steps[2:]] == [None, None]
    assert body(steps, 3)[0] == line("steps.receives", value="None")
    assert body(steps, 4) == [line("steps.receives", value="None")]
    assert x.grad is None


# ---------------------------------------------------------------- several outputs and their names


@pytest.mark.parametrize("language", LANGUAGES)
def test_several_outputs_are_named_together_in_the_header(language):
    set_language(language)
    x = torch.arange(4.0, requires_grad=True)
    h = x * 2
    c = x.sin()
    steps = backward_steps((h, c), gradient=(torch.ones(4), torch.ones(4)))
    header = message("steps.header", name="h, c") + message("steps.count", count=3)
    assert steps.to_text().splitlines()[0] == header
    assert body(steps, 1)[0] == line("steps.initial_given", value="[1, 1, 1, 1]")
    assert body(steps, 2)[0] == line("steps.initial_given", value="[1, 1, 1, 1]")
    assert steps[-1].landed.data == tuple((2 + torch.cos(x.detach())).tolist())
    # one named output among unnamed ones: its name alone; none named: "the output"
    named = backward_steps((h, x.cos()), gradient=(torch.ones(4), torch.ones(4)))
    assert named.to_text().splitlines()[0] == message("steps.header", name="h") + message("steps.count", count=3)
    unnamed = backward_steps((h.sum(), x.cos().sum()))
    assert unnamed.name is None
    assert unnamed.to_text().splitlines()[0] == message("steps.header_unnamed") + message("steps.count", count=5)


def test_the_same_output_given_twice_is_one_output_started_twice():
    x = torch.arange(4.0, requires_grad=True)
    y = (x * x).sum()
    steps = backward_steps((y, y))
    assert steps.name == "y"
    assert steps.to_text().splitlines()[0] == message("steps.header", name="y") + message("steps.count", count=3)
    assert steps[0].received.data == (2.0,)  # both initial gradients of 1 reach the one node
    assert steps[-1].landed.data == tuple((4 * x).tolist())


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_tuple_of_gradients_is_needed_with_several_outputs(language):
    set_language(language)
    x = torch.arange(4.0, requires_grad=True)
    h, c = x * 2, x * 3
    expected = message("steps.error.gradients", count=2)
    assert {"en": "With 2 outputs", "pt": "Com 2 saídas"}[language] in expected
    for gradient in (torch.ones(4), (torch.ones(4),), (torch.ones(4),) * 3, [torch.ones(4)] * 3):
        with pytest.raises(LessonError) as info:
            backward_steps((h, c), gradient=gradient)
        assert str(info.value) == expected
    steps = backward_steps([h, c], gradient=[torch.ones(4), torch.ones(4)])
    assert steps[-1].landed.data == tuple([5.0] * 4)


# ---------------------------------------------------------------- errors a learner can meet


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_leaf_output_has_no_steps_and_its_grad_is_left_alone(language):
    set_language(language)
    w = torch.tensor(2.0, requires_grad=True)
    steps = backward_steps(w)
    assert len(steps) == 0 and list(steps) == []
    assert w.grad is None  # recording wrote nothing into the leaf's .grad
    for ask in (steps.step, steps.step_lines):
        with pytest.raises(LessonError) as info:
            ask(1)
        assert str(info.value) == message("steps.error.no_steps")
    assert {"en": "has no steps", "pt": "não tem passos"}[language] in message("steps.error.no_steps")
    w.grad = torch.tensor(5.0)
    before = w.grad
    backward_steps(w)
    assert w.grad is before and w.grad.item() == 5.0


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("number", [0, 4, -2])
def test_a_step_number_out_of_range_is_named_in_the_error(language, number):
    set_language(language)
    x = torch.arange(4.0, requires_grad=True)
    steps = backward_steps(2 * torch.dot(x, x))
    with pytest.raises(LessonError) as info:
        steps.step_lines(number)
    assert str(info.value) == message("steps.error.number", number=number, count=3)
    assert {"en": f"There is no step {number}:", "pt": f"Não existe o passo {number}:"}[language] in str(info.value)


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_non_scalar_output_without_gradient_names_its_shape(language):
    set_language(language)
    m = torch.ones(2, 3, requires_grad=True)
    with pytest.raises(LessonError) as info:
        backward_steps(m * 2)
    assert str(info.value) == message("steps.error.nonscalar", shape="(2, 3)")
    assert "(2, 3)" in str(info.value)
    with pytest.raises(LessonError) as info:
        backward_steps((m.sum(), m * 2))  # one of several outputs is not a scalar
    assert str(info.value) == message("steps.error.nonscalar", shape="(2, 3)")


def test_an_error_of_the_backward_pass_itself_is_not_mistaken_for_a_freed_graph():
    x = torch.arange(4.0, requires_grad=True)
    e = x.exp()
    z = e.sum() * e.sum()
    e.add_(1)  # exp saved its result: changing it in place breaks the backward pass
    with pytest.raises(RuntimeError, match="inplace") as info:
        backward_steps(z)
    assert not isinstance(info.value, LessonError)
    assert message("steps.error.freed") not in str(info.value)
    assert x.grad is None


def test_recording_reads_no_grad_of_a_non_leaf_and_warns_nothing():
    x = torch.arange(4.0, requires_grad=True)
    y = x * x  # a non-leaf output: autograd warns when its .grad is read
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        backward_steps(y, gradient=torch.ones(4))
        backward_steps((y, y.sum()), gradient=(torch.ones(4), None))
        backward_steps(x.sum())
    assert x.grad is None


def test_accumulated_says_whether_the_gradients_were_left_in_grad():
    x = torch.arange(4.0, requires_grad=True)
    y = 2 * torch.dot(x, x)
    assert backward_steps(y).accumulated is False
    assert x.grad is None
    assert backward_steps(y, accumulate=True).accumulated is True
    assert torch.equal(x.grad, 4 * x.detach())


def test_one_output_of_a_split_is_named_after_itself():
    x = torch.arange(4.0, requires_grad=True)
    a, b = x.split(2)
    steps = backward_steps(b, gradient=torch.ones(2))
    assert steps.name == "b"


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_outputs_of_a_split_and_those_after_them_keep_their_own_names(language):
    """The two outputs of a split share one node: each output given is still named after
    itself, and so is every output after them, in the header too."""
    set_language(language)
    x = torch.arange(4.0, requires_grad=True)
    a, b = x.split(2)
    c = 2 * x.sum()
    ones, one = torch.ones(2), torch.tensor(1.0)
    steps = backward_steps((a, b, c), gradient=(ones, ones, one))
    assert steps.name == "a, b, c"
    assert steps.to_text().splitlines()[0] == message("steps.header", name="a, b, c") + message(
        "steps.count", count=len(steps)
    )
    assert backward_steps((c, b, a), gradient=(one, ones, ones)).name == "c, b, a"
    # outputs of a split that no variable holds add no name
    assert backward_steps((*x.split(2), c), gradient=(ones, ones, one)).name == "c"


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_output_of_a_split_is_not_named_after_another_output(language):
    """parts[1] shares its node with parts[0], which a variable names: the header still speaks of
    "the output", never of the other tensor."""
    set_language(language)
    x = torch.arange(4.0, requires_grad=True)
    parts = x.split(2)
    first = parts[0]
    steps = backward_steps(parts[1], gradient=torch.ones(2))
    assert first is parts[0] and steps.name is None
    assert steps.to_text().splitlines()[0] == message("steps.header_unnamed") + message("steps.count", count=len(steps))


def test_an_output_given_twice_is_named_once_wherever_the_repeat_is():
    x = torch.arange(4.0, requires_grad=True)
    y = (x * x).sum()
    assert backward_steps((y, y)).name == "y"
    assert backward_steps((y, x.cos().sum(), y)).name == "y"
    assert backward_steps((y, y, x.cos().sum())).name == "y"


def test_the_gradients_of_a_split_are_shown_side_by_side_not_as_a_sum():
    """split's outputs each get their own gradient: the step shows them one after the other, and
    never says they add up (a single output's arrivals do)."""
    x = torch.arange(4.0, requires_grad=True)
    a, b = x.split(2)
    steps = backward_steps((a * 2).sum() + (b * 3).sum())
    split = next(step for step in steps.steps if step.op == "SplitBackward0")
    assert split.outputs == 2
    for language in ("en", "pt"):
        set_language(language)
        text = str(steps)
        assert message("steps.per_output", count=2, value="[2, 2, 3, 3]") in text
        assert message("steps.sum", value="[2, 2, 3, 3]") not in text
