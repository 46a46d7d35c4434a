"""backward_steps(): real engine order, gradients equal autograd's, fan-in sums, .grad untouched."""

from __future__ import annotations

import gc
import re
import weakref

import pytest
import torch
import torch.utils.hooks

from autograd_lessons import LessonError, backward_steps, set_language
from autograd_lessons.i18n import message


def as_tensor(value) -> torch.Tensor:
    return torch.tensor(value.data, dtype=torch.float64).reshape(value.shape)


def matches(value, tensor: torch.Tensor) -> bool:
    """A recorded Value equals a tensor: all values when small, else shape and norm."""
    if value.shape != tuple(tensor.shape):
        return False
    if value.data is None:
        return value.norm == pytest.approx(float(tensor.double().norm()), rel=1e-5)
    return torch.allclose(as_tensor(value), tensor.double(), atol=1e-5)


def landed(steps, name: str):
    (step,) = [s for s in steps if s.op == "AccumulateGrad" and s.leaf == name]
    return step.landed


def test_dot_fan_in_two_arrivals_of_2x_sum_to_4x():
    x = torch.arange(4.0, requires_grad=True)
    y = 2 * torch.dot(x, x)
    steps = backward_steps(y)
    assert [s.op for s in steps] == ["MulBackward0", "DotBackward0", "AccumulateGrad"]
    acc = steps[2]
    assert len(acc.arrivals) == 2
    for arrival in acc.arrivals:
        assert arrival.value.data == tuple((2 * x).tolist())
        assert steps.graph.nodes[arrival.source].op == "DotBackward0"
    assert acc.received.data == tuple((4 * x).tolist())
    assert acc.landed.data == tuple((4 * x).tolist())
    assert steps[0].arrivals == () and steps[0].received.data == (1.0,)
    # MulBackward0 sends 2 to dot and nothing to the constant
    assert [(s.value.data if s.value else None) for s in steps[0].sent] == [(2.0,), None]


def test_text_rendering_of_the_lesson_steps():
    x = torch.arange(4.0, requires_grad=True)
    y = 2 * torch.dot(x, x)
    text = backward_steps(y).to_text()
    assert text.splitlines()[0] == "Backward pass of y: 3 steps, in the autograd engine's real order"
    assert "  [0, 2, 4, 6] arrives from DotBackward0" in text
    assert "  the arriving gradients sum up (fan-in): [0, 4, 8, 12]" in text
    assert "  [0, 4, 8, 12] lands in x.grad" in text
    assert "  sends nothing to ✂ 2 (untracked input)" in text
    assert text == str(backward_steps(y))
    set_language("pt")
    pt = backward_steps(y).to_text()
    assert "  x.grad recebe [0, 4, 8, 12]" in pt
    assert pt.splitlines()[0].startswith("Retropropagação de y")


def models():
    torch.manual_seed(0)
    x = torch.randn(4, requires_grad=True)
    yield "2*dot", (lambda: 2 * torch.dot(x, x)), {"x": x}
    mlp = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.Tanh(), torch.nn.Linear(4, 1))
    inputs = torch.randn(5, 3)
    params = dict(mlp.named_parameters())
    yield "mlp", (lambda: mlp(inputs).pow(2).mean()), params
    w = torch.randn(3, 3, requires_grad=True)
    v = torch.randn(3)
    yield "shared weight", (lambda: (w @ torch.tanh(w @ v)).sum()), {"w": w}
    a = torch.randn(2, 2, requires_grad=True)
    yield "views", (lambda: a.view(4)[1:].exp().sum()), {"a": a}


@pytest.mark.parametrize("case", list(models()), ids=lambda c: c[0])
def test_landed_gradients_equal_torch_autograd_grad(case):
    _, forward, leaves = case
    y = forward()
    steps = backward_steps(y, names=leaves)
    expected = torch.autograd.grad(forward(), list(leaves.values()))
    for (name, _), grad in zip(leaves.items(), expected, strict=True):
        assert matches(landed(steps, name), grad), name
    assert steps[0].received.data == (1.0,)


def test_received_gradient_of_each_node_is_the_sum_of_its_arrivals():
    torch.manual_seed(1)
    w = torch.randn(3, requires_grad=True)
    y = (w * w).sum() + (w.sin() * 3).sum()
    steps = backward_steps(y)
    for step in steps[1:]:
        total = sum(as_tensor(a.value) for a in step.arrivals)
        assert torch.allclose(total.reshape(-1), as_tensor(step.received).reshape(-1), atol=1e-6)


def test_order_is_the_engines_real_order():
    x = torch.ones(2, requires_grad=True)
    y = torch.tanh(x * 3).sum()
    order = []
    fn = y.grad_fn
    chain = []
    while fn is not None:
        chain.append(fn)
        fn = fn.next_functions[0][0] if fn.next_functions else None
    handles = [f.register_prehook(lambda g, f=f: order.append(type(f).__name__)) for f in chain]
    y.backward(retain_graph=True)
    for h in handles:
        h.remove()
    x.grad = None
    assert [s.op for s in backward_steps(y)] == order


def test_grad_is_untouched_when_none():
    x = torch.arange(4.0, requires_grad=True)
    y = 2 * torch.dot(x, x)
    backward_steps(y)
    assert x.grad is None


def test_grad_is_untouched_when_it_already_has_values():
    x = torch.arange(4.0, requires_grad=True)
    y = 2 * torch.dot(x, x)
    y.backward(retain_graph=True)
    before = x.grad
    values = before.clone()
    backward_steps(y)
    assert x.grad is before
    assert torch.equal(x.grad, values)


def test_accumulate_true_adds_to_grad_like_backward():
    x = torch.arange(4.0, requires_grad=True)
    y = 2 * torch.dot(x, x)
    x.grad = torch.ones(4)
    steps = backward_steps(y, accumulate=True)
    assert torch.equal(x.grad, torch.ones(4) + 4 * x.detach())
    assert "put .grad back" not in steps.to_text()


def test_all_hooks_are_removed(monkeypatch):
    created, removed = [], []
    init, remove = torch.utils.hooks.RemovableHandle.__init__, torch.utils.hooks.RemovableHandle.remove

    def counting_init(self, *args, **kwargs):
        created.append(self)
        init(self, *args, **kwargs)

    def counting_remove(self):
        removed.append(self)
        remove(self)

    monkeypatch.setattr(torch.utils.hooks.RemovableHandle, "__init__", counting_init)
    monkeypatch.setattr(torch.utils.hooks.RemovableHandle, "remove", counting_remove)
    x = torch.arange(4.0, requires_grad=True)
    steps = backward_steps(2 * torch.dot(x, x))
    assert len(created) == 2 * 3  # a pre-hook and a hook on each of the 3 nodes
    assert {id(h) for h in created} == {id(h) for h in removed}
    assert len(steps) == 3


def test_graph_stays_usable_after_backward_steps():
    x = torch.arange(4.0, requires_grad=True)
    y = 2 * torch.dot(x, x)
    backward_steps(y)
    y.backward()  # retain_graph=True was used, so the saved tensors are still there
    assert torch.equal(x.grad, 4 * x.detach())


def test_non_scalar_output_needs_a_gradient():
    x = torch.arange(4.0, requires_grad=True)
    y = x * x
    with pytest.raises(LessonError) as info:
        backward_steps(y)
    assert "gradient=torch.ones_like(y)" in str(info.value)
    steps = backward_steps(y, gradient=torch.ones(4))
    assert steps[-1].landed.data == tuple((2 * x).tolist())


@pytest.mark.parametrize("language", ["pt", "en"])
def test_freed_graph_gives_a_clear_error(language):
    set_language(language)
    x = torch.arange(4.0, requires_grad=True)
    y = 2 * torch.dot(x, x)
    y.backward()
    with pytest.raises(LessonError) as info:
        backward_steps(y)
    assert str(info.value) == message("steps.error.freed", language=language)
    assert "retain_graph=True" in str(info.value)
    assert info.value.__cause__ is None and info.value.__suppress_context__


def test_steps_keep_no_reference_to_tensors():
    x = torch.arange(4.0, requires_grad=True)
    y = 2 * torch.dot(x, x)
    refs = [weakref.ref(x), weakref.ref(y)]
    steps = backward_steps(y)
    del x, y
    gc.collect()
    assert all(r() is None for r in refs)
    assert len(steps) == 3


def test_received_gradients_equal_autograd_grad_of_intermediates():
    torch.manual_seed(2)
    w = torch.randn(3, requires_grad=True)
    a = w * 3
    b = torch.tanh(a)
    y = (b * b).sum()
    steps = backward_steps(y)
    ga, gb = torch.autograd.grad(y, [a, b], retain_graph=True)
    by_name = {steps.graph.nodes[s.node].name: s for s in steps}
    assert matches(by_name["a"].received, ga)
    assert matches(by_name["b"].received, gb)
    assert len(by_name["b"].arrivals) == 2  # b * b: b is used twice


def test_an_unnamed_output_is_not_given_a_name():
    x = torch.arange(4.0, requires_grad=True)
    assert backward_steps(x.sum()).to_text().splitlines()[0] == (
        "Backward pass of the output: 2 steps, in the autograd engine's real order"
    )
    set_language("pt")
    assert backward_steps(x.sum()).to_text().startswith("Retropropagação da saída: 2 passos")


# ---------------------------------------------------------------- numbering and text


def test_steps_are_numbered_from_one_while_indexing_stays_zero_based():
    x = torch.arange(4.0, requires_grad=True)
    steps = backward_steps(2 * torch.dot(x, x))
    assert [s.number for s in steps] == list(range(1, len(steps) + 1))
    assert steps[0].number == 1 and steps[-1].number == len(steps)
    assert steps.step(1) is steps[0] and steps.step(len(steps)) is steps[-1]
    assert steps.step_lines(1)[0] == "step 1: MulBackward0 · backward of ×"


@pytest.mark.parametrize("language, words", [("en", "numbered from 1 to 3"), ("pt", "numerados de 1 a 3")])
@pytest.mark.parametrize("bad", [0, 4, -1, True, "1", 1.0])
def test_a_step_number_out_of_range_is_explained(language, words, bad):
    x = torch.arange(4.0, requires_grad=True)
    steps = backward_steps(2 * torch.dot(x, x))
    set_language(language)
    with pytest.raises(LessonError, match=words):
        steps.step_lines(bad)


def test_to_text_is_the_header_then_the_lines_of_every_step_and_no_footer():
    x = torch.arange(4.0, requires_grad=True)
    steps = backward_steps(2 * torch.dot(x, x))
    for language in ("en", "pt"):
        set_language(language)
        lines = steps.to_text().splitlines()
        expected = [lines[0]] + [line for number in range(1, len(steps) + 1) for line in steps.step_lines(number)]
        assert lines == expected
        assert not any("accumulate=True" in line for line in lines)


@pytest.mark.parametrize("language", ["en", "pt"])
def test_the_initial_gradient_is_named_as_such(language):
    set_language(language)
    x = torch.arange(4.0, requires_grad=True)
    scalar = backward_steps((x * x).sum()).step_lines(1)[1]
    vector = backward_steps(x * x, gradient=torch.ones(4)).step_lines(1)[1]
    initial = {"en": "initial gradient", "pt": "gradiente inicial"}[language]
    assert initial in scalar and initial in vector
    d_out = {"en": "d output / d output", "pt": "d saída / d saída"}[language]
    assert d_out in scalar and d_out not in vector  # a vector output is not d y / d y
    assert "backward(gradient=v)" in vector and "[1, 1, 1, 1]" in vector
    assert not re.search(r"seed|semente", scalar + vector)
