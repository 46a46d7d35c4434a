"""Module frames at their edges: which nodes each submodule's frame holds, and under which parent
frame it sits, when modules nest three deep, create no node, are never called, share a layer, run
in another thread, turn gradients on or off, or are called more times than the calls kept."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
import torch

from autograd_lessons import LessonError, record_modules, trace
from autograd_lessons.i18n import message
from autograd_lessons.modules import CALLS_KEPT


class Times(torch.nn.Module):
    """x * factor: one MulBackward0 node per call, no parameter."""

    def __init__(self, factor: float = 3.0):
        super().__init__()
        self.factor = factor

    def forward(self, x):
        return x * self.factor


def _by_name(graph):
    return {group.name: group for group in graph.groups if group.kind == "module"}


def _ops(graph, group) -> list[str]:
    return sorted(graph.nodes[i].op for i in group.members if graph.nodes[i].kind == "op")


def _leaves(graph, group) -> set[str]:
    return {graph.nodes[i].name for i in group.members if graph.nodes[i].kind == "leaf"}


def _in_fresh_thread(work):
    """Run `work` in a thread started for it (its own autograd numbering and call stack)."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(work).result()


# --------------------------------------------------------------------------- nesting


def test_three_levels_deep_each_frame_sits_in_its_own_parent():
    torch.manual_seed(0)
    model = torch.nn.Sequential(
        torch.nn.Linear(3, 4),
        torch.nn.Sequential(torch.nn.Sequential(torch.nn.Linear(4, 4), torch.nn.Tanh())),
    )
    with record_modules(model):
        y = model(torch.randn(2, 3)).sum()
    graph = trace(y, modules=model)
    groups = _by_name(graph)
    assert list(groups) == ["0", "1", "1.0", "1.0.0", "1.0.1"]
    index = {group.name: position for position, group in enumerate(graph.groups)}
    parents = {name: group.parent for name, group in groups.items()}
    assert parents == {"0": None, "1": None, "1.0": index["1"], "1.0.0": index["1.0"], "1.0.1": index["1.0"]}
    # "1" and "1.0" create nothing of their own: their frames hold exactly what their layers made.
    inner = set(groups["1.0.0"].members) | set(groups["1.0.1"].members)
    assert set(groups["1"].members) == set(groups["1.0"].members) == inner
    assert _ops(graph, groups["1.0.1"]) == ["TanhBackward0"]
    assert _leaves(graph, groups["1"]) == {"1.0.0.weight", "1.0.0.bias"}


def test_a_layer_that_creates_no_node_gets_no_frame_and_the_layers_after_it_keep_theirs():
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.Identity(), torch.nn.Linear(4, 2), torch.nn.Tanh())
    with record_modules(model):
        y = model(torch.randn(2, 3)).sum()
    graph = trace(y, modules=model)
    assert [group.label for group in graph.groups] == ["0 (Linear)", "2 (Linear)", "3 (Tanh)"]
    assert _leaves(graph, graph.groups[1]) == {"2.weight", "2.bias"}
    assert _ops(graph, graph.groups[2]) == ["TanhBackward0"]


def test_a_submodule_never_called_gets_no_frame_and_the_others_keep_theirs():
    class WithSpare(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.spare = torch.nn.Linear(3, 3)  # registered first, never used in forward
            self.body = torch.nn.Sequential(torch.nn.Linear(3, 2), torch.nn.Tanh())

        def forward(self, x):
            return self.body(x)

    torch.manual_seed(0)
    model = WithSpare()
    with record_modules(model):
        y = model(torch.randn(2, 3)).sum()
    graph = trace(y, modules=model)
    assert [group.label for group in graph.groups] == ["body (Sequential)", "body.0 (Linear)", "body.1 (Tanh)"]
    assert graph.groups[1].parent == 0 and graph.groups[2].parent == 0
    assert {n.name for n in graph.nodes if n.kind == "leaf"} == {"body.0.weight", "body.0.bias"}


# --------------------------------------------------------------------------- parameters


def test_parameters_are_framed_with_the_module_that_holds_them_not_with_its_children():
    class Scaled(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.scale = torch.nn.Parameter(torch.tensor(2.0))
            self.lin = torch.nn.Linear(3, 2)

        def forward(self, x):
            return self.lin(x) * self.scale

    torch.manual_seed(0)
    model = torch.nn.Sequential(Scaled())
    with record_modules(model):
        y = model(torch.randn(2, 3)).sum()
    graph = trace(y, modules=model)
    groups = _by_name(graph)
    assert _leaves(graph, groups["0"]) == {"0.scale", "0.lin.weight", "0.lin.bias"}
    assert _leaves(graph, groups["0.lin"]) == {"0.lin.weight", "0.lin.bias"}  # not its parent's scale


def test_a_layer_shared_by_a_later_block_keeps_its_parameters_in_its_own_frame():
    class Shared(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.embed = torch.nn.Linear(3, 3)
            self.block = torch.nn.Sequential(self.embed, torch.nn.Tanh())  # the same layer, reused

        def forward(self, x):
            return self.block(self.embed(x))

    torch.manual_seed(0)
    model = Shared()
    with record_modules(model):
        y = model(torch.randn(2, 3)).sum()
    graph = trace(y, modules=model)
    groups = _by_name(graph)
    assert list(groups) == ["embed", "block", "block.1"]  # the model names the layer once: "embed"
    assert _leaves(graph, groups["embed"]) == {"embed.weight", "embed.bias"}
    assert _ops(graph, groups["embed"]).count("AddmmBackward0") == 2  # both calls of the layer
    assert _ops(graph, groups["block"]).count("AddmmBackward0") == 1  # the call inside the block


# --------------------------------------------------------------------------- calls and their ranges


def test_a_model_recorded_in_another_thread_is_framed_as_in_this_one():
    def recorded_forward():
        torch.manual_seed(0)
        model = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.Tanh())
        with record_modules(model):
            y = model(torch.randn(2, 3)).sum()
        return model, y

    model, y = _in_fresh_thread(recorded_forward)
    graph = trace(y, modules=model)
    assert [group.label for group in graph.groups] == ["0 (Linear)", "1 (Tanh)"]
    assert _leaves(graph, graph.groups[0]) == {"0.weight", "0.bias"}
    assert _ops(graph, graph.groups[1]) == ["TanhBackward0"]


def _inputs_made_in_another_thread():
    """exp, sin and cos of one leaf, made first thing in a thread of their own: autograd numbers
    them 0, 1 and 2 there (each thread numbers its nodes from 0)."""
    w = torch.ones(2, requires_grad=True)
    return w.exp(), w.sin(), w.cos()


def _recorded_in_another_thread(model, first, second):
    """model(first) + second, recorded first thing in a thread of its own: the call of model[0]
    starts at number 0, makes its MulBackward0 as number 1 and ends at number 2 there."""

    def run():
        with record_modules(model):
            return model(first) + second

    return _in_fresh_thread(run)


def test_a_frame_holds_only_the_nodes_numbered_strictly_inside_its_call():
    model = torch.nn.Sequential(Times())
    made_at_start, _, made_at_end = _in_fresh_thread(_inputs_made_in_another_thread)
    y = _recorded_in_another_thread(model, made_at_start, made_at_end)
    graph = trace(y, modules=model)
    (group,) = graph.groups
    assert group.label == "0 (Times)"
    assert _ops(graph, group) == ["MulBackward0"]
    assert sorted(n.op for n in graph.nodes if n.kind == "op") == [
        "AccumulateGrad",
        "AddBackward0",
        "CosBackward0",
        "ExpBackward0",
        "MulBackward0",
    ]


def test_a_forward_that_turns_gradients_on_or_off_for_good_records_no_call():
    class Switch(torch.nn.Module):
        def __init__(self, on: bool):
            super().__init__()
            self.on = on

        def forward(self, x):
            if self.on:
                torch.set_grad_enabled(True)  # a call, not a with block: it lasts after forward
                return x * 2
            y = x * 2
            torch.set_grad_enabled(False)
            return y

    x = torch.ones(2, requires_grad=True)
    try:
        turned_on = torch.nn.Sequential(Switch(on=True))
        with record_modules(turned_on), torch.no_grad():  # the call began without gradients
            y_on = turned_on(x).sum()
        turned_off = torch.nn.Sequential(Switch(on=False))
        with record_modules(turned_off):
            y_off = turned_off(x)  # ended without gradients: the forward still runs
        torch.set_grad_enabled(True)
        y_off = y_off.sum()
    finally:
        torch.set_grad_enabled(True)
    assert y_on.grad_fn is not None and y_off.grad_fn is not None
    for model, y in ((turned_on, y_on), (turned_off, y_off)):
        with pytest.raises(LessonError) as caught:
            trace(y, modules=model)
        assert str(caught.value) == message("graph.error.modules_not_recorded", kind="Sequential", func="trace")


def test_only_the_last_calls_kept_of_a_module_are_framed():
    model = torch.nn.Sequential(Times())
    x = torch.ones(1, requires_grad=True)
    with record_modules(model):
        first = model(x)
        for _ in range(CALLS_KEPT):
            last = model(x)
    graph = trace(last, modules=model)
    assert [group.label for group in graph.groups] == ["0 (Times)"]
    assert _ops(graph, graph.groups[0]) == ["MulBackward0"]
    with pytest.raises(LessonError) as caught:
        trace(first, modules=model)  # its call is older than the CALLS_KEPT kept
    assert str(caught.value) == message("graph.error.modules_other_forward", kind="Sequential", func="trace")
