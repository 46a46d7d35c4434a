"""Several outputs in one graph, submodules as groups, and gradients kept by retain_grad."""

from __future__ import annotations

import subprocess
import sys
import warnings

import pytest
import torch

from autograd_lessons import LessonError, backward_steps, draw, record_modules, set_language, trace
from autograd_lessons.drawing.layout import layers
from autograd_lessons.graph import Edge, Graph, Group, Node, walk
from autograd_lessons.i18n import LANGUAGES, message
from autograd_lessons.modules import module_groups


def _fn_ids(tensors) -> set[int]:
    graph, fns = walk(tensors)
    ids = {id(fn) for fn in fns if fn is not None}
    del fns
    return ids


def _lstm(steps: int = 3):
    torch.manual_seed(0)
    cell = torch.nn.LSTMCell(2, 3)
    h = c = torch.zeros(1, 3)
    for _ in range(steps):
        h, c = cell(torch.randn(1, 2), (h, c))
    return cell, h, c


def test_several_outputs_are_the_union_of_their_graphs():
    cell, h, c = _lstm()
    both, fns = walk((h, c))
    ids = {id(fn) for fn in fns if fn is not None}
    del fns
    assert ids == _fn_ids(h) | _fn_ids(c)
    assert len(both.outputs) == 2 and both.outputs[0] == 0
    # Two heads on one trunk: each output brings nodes the other lacks.
    x = torch.randn(4, requires_grad=True)
    trunk = torch.tanh(x * 2)
    left, right = trunk.sum(), (trunk**2).mean()
    union = _fn_ids((left, right))
    assert union == _fn_ids(left) | _fn_ids(right)
    assert _fn_ids(left) < union and _fn_ids(right) < union


def test_each_output_is_marked_with_its_name():
    set_language("en")
    cell, h, c = _lstm()
    graph = trace((h, c))
    assert [graph.nodes[i].name for i in graph.outputs] == ["h", "c"]
    text = graph.to_text(limit=None)
    assert text.index("output h") < text.index("output c")
    assert trace([h, c]).outputs == graph.outputs  # a list works like a tuple


def test_the_same_output_twice_is_one_output():
    x = torch.arange(3.0, requires_grad=True)
    y = (x * x).sum()
    assert trace((y, y)).outputs == (0,)


def test_a_leaf_can_be_one_of_the_outputs():
    x = torch.arange(3.0, requires_grad=True)
    y = (x * 2).sum()
    graph = trace((y, x))
    assert len(graph.outputs) == 2 and graph.nodes[graph.outputs[1]].kind == "leaf"


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(
    "bad, key",
    [
        ((), "graph.error.empty"),
        ({"h": 1}, "graph.error.container"),
        ([torch.ones(2, requires_grad=True) * 2, "c"], "graph.error.container"),
    ],
    ids=["empty", "dict", "mixed"],
)
def test_other_containers_keep_their_clear_error(language, bad, key):
    set_language(language)
    for helper in (trace, backward_steps):
        with pytest.raises(LessonError) as caught:
            helper(bad)
        assert str(caught.value) == message(key, func=helper.__name__, kind=type(bad).__name__)


def test_backward_steps_of_several_outputs_land_what_autograd_backward_does():
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    a = (x * x).sum()
    b = (3 * x).sum()
    steps = backward_steps((a, b))
    landed = [s.landed for s in steps if s.landed is not None]
    assert x.grad is None  # recording changes nothing
    torch.autograd.backward((a, b))
    assert len(landed) == 1 and landed[0].data == tuple(x.grad.tolist()) == (5.0, 7.0)
    assert sum(1 for s in steps if not s.arrivals) == 2  # two initial gradients


@pytest.mark.parametrize("language", LANGUAGES)
def test_several_non_scalar_outputs_need_one_gradient_each(language):
    set_language(language)
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(LessonError) as caught:
        backward_steps((x * 2, x * 3), gradient=torch.ones(2))
    assert str(caught.value) == message("steps.error.gradients", count=2)
    steps = backward_steps((x * 2, x * 3), gradient=(torch.ones(2), torch.ones(2)))
    assert [s.landed.data for s in steps if s.landed is not None] == [(5.0, 5.0)]


# --------------------------------------------------------------------------- retained gradients


def test_an_intermediate_gradient_kept_by_retain_grad_is_shown_on_its_node():
    set_language("en")
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    h = x.exp()
    h.retain_grad()
    u = x.sin()  # not retained
    z = (h * 2 + u).sum()
    z.backward()
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # reading .grad of a non-retained tensor would warn
        graph = trace(z)
    exp = next(n for n in graph.nodes if n.op == "ExpBackward0")
    sin = next(n for n in graph.nodes if n.op == "SinBackward0")
    assert exp.grad is not None and exp.grad.data == (2.0, 2.0)
    assert sin.grad is None
    assert "output h · grad [2, 2]" in graph.to_text()


# --------------------------------------------------------------------------- modules


def _created_inside(model: torch.nn.Module, x: torch.Tensor):
    """Independently of the package: run the model with our own hooks, and call 'inside' a
    submodule every node reachable from its outputs without passing through its inputs' nodes,
    plus its own parameters' AccumulateGrad nodes."""
    calls = {}

    def hook(module, inputs, output):
        stops = {id(t.grad_fn) for t in inputs if isinstance(t, torch.Tensor) and t.grad_fn is not None}
        stops |= {id(t) for t in inputs if isinstance(t, torch.Tensor)}
        outs = output if isinstance(output, tuple) else (output,)
        found, stack = set(), [o.grad_fn for o in outs if isinstance(o, torch.Tensor) and o.grad_fn is not None]
        while stack:
            fn = stack.pop()
            if fn is None or id(fn) in found or id(fn) in stops:
                continue
            if type(fn).__name__ == "AccumulateGrad":
                if any(fn.variable is p for p in module.parameters()):
                    found.add(id(fn))
                continue
            found.add(id(fn))
            stack.extend(nxt for nxt, _ in fn.next_functions)
        calls.setdefault(module, set()).update(found)

    handles = [m.register_forward_hook(hook) for _, m in model.named_modules() if _]
    try:
        with record_modules(model):
            y = model(x).sum()
    finally:
        for handle in handles:
            handle.remove()
    return y, calls


def _mlp():
    torch.manual_seed(0)
    return torch.nn.Sequential(
        torch.nn.Linear(3, 4),
        torch.nn.Tanh(),
        torch.nn.Sequential(torch.nn.Linear(4, 4), torch.nn.ReLU()),
        torch.nn.Linear(4, 1),
    )


def test_module_groups_hold_exactly_the_nodes_created_inside_each_module():
    model = _mlp()
    y, expected = _created_inside(model, torch.randn(5, 3))
    graph, fns = walk(y)
    groups = {g.label: g for g in module_groups(graph, fns, model, "trace")}
    for name, module in model.named_modules():
        if not name:
            continue
        label = f"{name} ({type(module).__name__})"
        got = {id(fns[i]) for i in groups[label].members if fns[i] is not None}
        assert got == expected[module], label
    del fns


def _recorded(model: torch.nn.Module, rows: int = 5) -> torch.Tensor:
    with record_modules(model):
        return model(torch.randn(rows, 3)).sum()


def test_module_groups_nest_as_the_modules_do_and_are_labelled_by_name_and_class():
    model = _mlp()
    y = _recorded(model)
    graph = trace(y, modules=model)
    labels = [g.label for g in graph.groups]
    assert labels == ["0 (Linear)", "1 (Tanh)", "2 (Sequential)", "2.0 (Linear)", "2.1 (ReLU)", "3 (Linear)"]
    by_label = {g.label: g for g in graph.groups}
    assert by_label["2.0 (Linear)"].parent == labels.index("2 (Sequential)")
    assert set(by_label["2.0 (Linear)"].members) <= set(by_label["2 (Sequential)"].members)
    assert by_label["0 (Linear)"].parent is None
    kinds = {graph.nodes[i].kind for i in by_label["0 (Linear)"].members}
    assert kinds == {"op", "leaf", "cut"}  # parameters come with their leaves; the untracked input x with its user
    assert not set(by_label["0 (Linear)"].members) & set(by_label["3 (Linear)"].members)


def test_a_module_called_many_times_groups_every_call():
    torch.manual_seed(0)
    model = torch.nn.ModuleDict({"cell": torch.nn.LSTMCell(2, 3)})
    with record_modules(model):
        h = c = torch.zeros(1, 3)
        for _ in range(4):
            h, c = model["cell"](torch.randn(1, 2), (h, c))
    graph = trace((h, c), modules=model)
    (group,) = graph.groups
    inside = [graph.nodes[i] for i in group.members]
    assert sum(node.op == "AddmmBackward0" for node in inside) == 2 * 4  # two matmuls per step


@pytest.mark.parametrize("language", LANGUAGES)
def test_modules_that_cannot_group_say_why(language):
    set_language(language)
    model = _mlp()
    unused = torch.nn.Sequential(torch.nn.Linear(3, 1))
    y = _recorded(model, rows=2)
    cases = [
        ("not a module", "graph.error.modules_not_module", {"kind": "str"}),
        (torch.nn.Linear(3, 1), "graph.error.modules_none", {"kind": "Linear"}),
        (unused, "graph.error.modules_not_recorded", {"kind": "Sequential"}),
    ]
    for helper in (trace, draw):
        for modules, key, fields in cases:
            with pytest.raises(LessonError) as caught:
                helper(y, modules=modules)
            assert str(caught.value) == message(key, func=helper.__name__, **fields)


def test_with_modules_parameters_are_named_as_the_model_names_them():
    model = _mlp()
    y = _recorded(model, rows=2)
    graph = trace(y, modules=model)
    leaves = {n.name for n in graph.nodes if n.kind == "leaf"}
    assert leaves == {name for name, _ in model.named_parameters()}
    assert {n.name for n in trace(y).nodes if n.kind == "leaf"} == {None}


def test_draw_frames_each_submodule_in_a_band_of_its_own():
    model = _mlp()
    y = _recorded(model)
    drawing = draw(y, modules=model).lesson_drawing
    names = [name for name, _ in drawing.clusters]
    assert names == [g.name for g in trace(y, modules=model).groups] == ["0", "1", "2", "2.0", "2.1", "3"]
    boxes = dict(drawing.clusters)
    # Sibling modules stack: 3 (Linear) is used first, so its frame is above 2 (Sequential)'s,
    # which is above 1 (Tanh)'s and 0 (Linear)'s; none overlaps another vertically.
    order = ["3", "2", "1", "0"]
    tops = [boxes[label][3] for label in order]
    bottoms = [boxes[label][1] for label in order]
    assert all(bottoms[k] > tops[k + 1] for k in range(len(order) - 1)), (tops, bottoms)
    leaves = {n.name for n in drawing.graph.nodes if n.kind == "leaf"}
    assert leaves == {name for name, _ in model.named_parameters()}


def test_a_module_inside_a_repeat_frame_keeps_its_band():
    """A "× 3" frame around module M (nodes 1 to 4), M.lin inside M (3, 4), and module O
    (5, 6), which M's Add (1) and M.lin's Addmm (3) both use. M takes rows of its own even
    though its parent is a repeat frame, not a module: O starts below M's last row, instead
    of beside M.lin."""
    nodes = tuple(Node(i, "op", op=op) for i, op in enumerate(["Sum", "Add", "Tanh", "Addmm", "Acc", "Add", "Tanh"]))
    edges = tuple(
        Edge(s, t, slot) for s, t, slot in [(0, 1, 0), (1, 2, 1), (2, 3, 0), (3, 4, 0), (1, 5, 0), (3, 5, 1), (5, 6, 0)]
    )
    groups = (
        Group("repeat", "× 3", (1, 2, 3, 4), repeat=3),
        Group("module", "M (Block)", (1, 2, 3, 4), parent=0),
        Group("module", "M.lin (Linear)", (3, 4), parent=1),
        Group("module", "O (Block)", (5, 6)),
    )
    rows = layers(Graph(nodes, edges, groups=groups))
    assert rows == [0, 1, 2, 3, 4, 5, 6]


@pytest.mark.parametrize("language", LANGUAGES)
def test_draw_refuses_modules_for_a_graph_already_traced(language):
    set_language(language)
    model = _mlp()
    y = _recorded(model, rows=2)
    with pytest.raises(LessonError) as caught:
        draw(trace(y), modules=model)
    assert str(caught.value) == message("draw.error.modules_need_tensor")
    assert draw(trace(y, modules=model)).lesson_drawing.clusters  # grouped when traced


def test_an_unrolled_lstm_folds_into_a_labelled_picture_not_markers():
    torch.manual_seed(0)
    cell = torch.nn.LSTMCell(4, 8)
    h = c = torch.zeros(1, 8)
    loss = 0
    for _ in range(50):
        h, c = cell(torch.randn(1, 4), (h, c))
        loss = loss + h.sum()
    drawing = draw(loss).lesson_drawing
    assert drawing.box_count <= 60 and drawing.smallest_label_pt >= 8.0
    assert drawing.graph.counts() == trace(loss).counts()  # folded, nothing lost
    assert [label for label, _ in drawing.repeats] == ["× 49"]


def test_module_frames_and_a_repeated_block_nest_inside_each_other():
    class Block(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.lin = torch.nn.Linear(8, 8)

        def forward(self, x):
            return x + torch.tanh(self.lin(x))

    torch.manual_seed(0)
    net = torch.nn.Sequential(*[Block() for _ in range(30)])
    with record_modules(net):
        y = net(torch.randn(2, 8)).sum()
    drawing = draw(y, modules=net).lesson_drawing
    groups = drawing.graph.groups
    (repeat,) = [g for g in groups if g.kind == "repeat"]
    by_label = {g.label: g for g in groups if g.kind == "module"}
    inner = by_label["29.lin (Linear)"]
    # the layer's frame sits in its block's, and the block that repeats in the "× 29" frame
    # (the frame stands for 29 blocks, so no one block's frame may hold it)
    assert groups[inner.parent].label == "29 (Block)"
    assert groups[by_label["29 (Block)"].parent] is repeat and repeat.parent is None
    (x0, y0, x1, y1) = dict(drawing.repeats)["× 29"]
    (a0, b0, a1, b1) = dict(drawing.clusters)["29.lin"]
    assert x0 < a0 and a1 < x1 and y0 < b0 and b1 < y1


# --------------------------------------------------------------------------- record_modules


def _hooks(model: torch.nn.Module) -> int:
    """How many forward hooks the model's modules carry (its own and its submodules')."""
    return sum(len(m._forward_pre_hooks) + len(m._forward_hooks) for m in model.modules())


NO_GLOBAL_HOOK = """
import torch
import torch.nn.modules.module as torch_module
import autograd_lessons
from autograd_lessons import draw, record_modules, trace

def global_hooks():
    return len(torch_module._global_forward_pre_hooks) + len(torch_module._global_forward_hooks)

assert global_hooks() == 0, "a global hook once the package is imported"
x = torch.arange(4.0, requires_grad=True)
y = (x * x).sin().sum()
trace(y)
draw(y)._repr_png_()
net = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.Tanh(), torch.nn.Linear(4, 1))
with record_modules(net):
    assert global_hooks() == 0, "record_modules installed a global hook"
    out = net(torch.randn(2, 3)).sum()
trace(out, modules=net)
draw(out, modules=net)._repr_png_()
own = sum(len(m._forward_pre_hooks) + len(m._forward_hooks) for m in net.modules())
print(global_hooks(), own)
"""


def test_no_module_hook_is_left_by_importing_tracing_or_drawing():
    """A fresh interpreter imports the package, traces and draws (with and without modules=):
    no global module hook at any time, and none left on the model after record_modules."""
    done = subprocess.run([sys.executable, "-c", NO_GLOBAL_HOOK], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["0", "0"]


def test_record_modules_hooks_only_the_models_submodules_during_the_block():
    model, other = _mlp(), _mlp()
    with record_modules(model) as recorded:
        assert recorded is model
        assert _hooks(model) == 2 * 6  # a pre-hook and a hook on each of the 6 submodules, none on the model
        assert not model._forward_pre_hooks and not model._forward_hooks
        assert _hooks(other) == 0
        y = model(torch.randn(2, 3)).sum()
    assert _hooks(model) == 0
    assert len(trace(y, modules=model).groups) == 6  # drawn after the block: the ranges stay


def test_record_modules_removes_its_hooks_when_the_forward_raises():
    class Fails(torch.nn.Module):
        def forward(self, x):
            raise RuntimeError("broken layer")

    model = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.Sequential(torch.nn.Tanh(), Fails()))
    with pytest.raises(RuntimeError, match="broken layer"), record_modules(model):
        model(torch.randn(2, 3))
    assert _hooks(model) == 0
    model[1][1] = torch.nn.Identity()  # repaired: recording works again, with every frame
    with record_modules(model):
        y = model(torch.randn(2, 3)).sum()
    assert [g.label for g in trace(y, modules=model).groups] == ["0 (Linear)", "1 (Sequential)", "1.0 (Tanh)"]


def test_nested_record_modules_share_one_set_of_hooks_and_record_each_call_once():
    model = _mlp()
    x = torch.randn(5, 3)
    with record_modules(model):
        reference = model(x).sum()
    with record_modules(model):
        with record_modules(model), record_modules(model[2]):  # the same model again, and a part of it
            assert _hooks(model) == 2 * 6
            y = model(x).sum()
        assert _hooks(model) == 2 * 6  # the outer block still records
    assert _hooks(model) == 0
    nested, plain = trace(y, modules=model), trace(reference, modules=model)
    assert [g.label for g in nested.groups] == [g.label for g in plain.groups]
    assert [g.members for g in nested.groups] == [g.members for g in plain.groups]


@pytest.mark.parametrize("language", LANGUAGES)
def test_recording_under_no_grad_records_nothing_and_an_unrecorded_forward_is_named(language):
    set_language(language)
    model = _mlp()
    with record_modules(model), torch.no_grad():
        untracked = model(torch.randn(2, 3)).sum()
    assert untracked.grad_fn is None
    y = model(torch.randn(2, 3)).sum()  # outside any block
    with pytest.raises(LessonError) as caught:
        trace(y, modules=model)
    assert str(caught.value) == message("graph.error.modules_not_recorded", kind="Sequential", func="trace")
    with record_modules(model):
        with torch.no_grad():
            model(torch.randn(2, 3))
        recorded = model(torch.randn(2, 3)).sum()
    assert len(trace(recorded, modules=model).groups) == 6
    with pytest.raises(LessonError) as caught:
        draw(y, modules=model)  # the model was recorded since, but not the forward that made y
    assert str(caught.value) == message("graph.error.modules_other_forward", kind="Sequential", func="draw")


def test_every_recorded_forward_can_be_drawn_with_its_frames():
    model = _mlp()
    outputs = []
    for rows in (2, 5):
        with record_modules(model):
            outputs.append(model(torch.randn(rows, 3)).sum())
    first, second = (trace(out, modules=model) for out in outputs)
    assert [g.label for g in first.groups] == [g.label for g in second.groups]
    assert [g.members for g in first.groups] == [g.members for g in second.groups]
    batch = [{b.value.shape for n in graph.nodes for b in n.saved if b.name == "mat1"} for graph in (first, second)]
    assert batch == [{(2, 3), (2, 4)}, {(5, 3), (5, 4)}]  # each graph its own forward's inputs


@pytest.mark.parametrize("language", LANGUAGES)
def test_record_modules_refuses_what_modules_refuses(language):
    set_language(language)
    for bad, key, kind in (
        ("net", "graph.error.modules_not_module", "str"),
        (torch.nn.Linear(2, 1), "graph.error.modules_none", "Linear"),
    ):
        with pytest.raises(LessonError) as caught, record_modules(bad):
            pass
        assert str(caught.value) == message(key, kind=kind)


def test_draw_with_modules_draws_what_trace_with_modules_returns():
    model = _mlp()
    y = _recorded(model)
    assert draw(y, modules=model, fold=False).lesson_drawing.graph == trace(y, modules=model)
