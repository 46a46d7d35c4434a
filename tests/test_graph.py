"""trace(): the graph model matches torch's own grad_fn graph, names, cuts, text, errors."""

from __future__ import annotations

import gc
import re
import weakref
from collections import Counter

import pytest
import torch

from autograd_lessons import LessonError, graph_data, i18n, set_language
from autograd_lessons.graph import Graph, trace
from autograd_lessons.i18n import MESSAGES, message
from autograd_lessons.lessons.autograd.maths import control_flow as f
from autograd_lessons.palette import node_colours


def walk_counts(tensor: torch.Tensor) -> Counter:
    """An independent breadth-first walk of next_functions, counting distinct grad_fn nodes."""
    counts: Counter = Counter()
    seen: set[int] = set()
    alive = []  # keep wrappers alive so ids are not reused
    queue = [tensor.grad_fn]
    while queue:
        fn = queue.pop(0)
        if fn is None or id(fn) in seen:
            continue
        seen.add(id(fn))
        alive.append(fn)
        counts[type(fn).__name__] += 1
        queue.extend(nxt for nxt, _ in fn.next_functions)
    return counts


def lesson_graphs():
    torch.manual_seed(0)
    x = torch.arange(4.0, requires_grad=True)
    yield "2*dot", 2 * torch.dot(x, x)
    yield "sum", x.sum()
    yield "x*x", x * x
    u = (2 * torch.dot(x, x)).detach() * torch.ones(4)
    yield "u*x", u * x
    yield "f(a)", f(torch.randn(3, requires_grad=True)).sum()
    mlp = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.Tanh(), torch.nn.Linear(4, 1))
    yield "mlp", mlp(torch.randn(5, 3)).pow(2).mean()
    w = torch.randn(3, 3, requires_grad=True)
    v = torch.randn(3)
    yield "shared weight", (w @ torch.tanh(w @ v)).sum()
    yield "views", x.view(2, 2).t().reshape(-1)[1:].unsqueeze(0).expand(3, 3).sum()
    h = x * 2
    h.add_(1)
    h.relu_()
    yield "in-place", h.sum()
    cube = (x**3).sum()
    (g,) = torch.autograd.grad(cube, x, create_graph=True)
    yield "double backward", g.pow(2).sum()
    a, b = x * 2, x.sin()
    yield "two outputs", (a + b).sum()


@pytest.mark.parametrize("case", list(lesson_graphs()), ids=lambda c: c[0])
def test_counts_match_an_independent_walk(case):
    _, y = case
    assert trace(y).counts() == walk_counts(y)


def test_counts_include_accumulate_grad_once_per_leaf():
    x = torch.arange(4.0, requires_grad=True)
    counts = trace(2 * torch.dot(x, x)).counts()
    assert counts == Counter({"MulBackward0": 1, "DotBackward0": 1, "AccumulateGrad": 1})


def test_edges_follow_next_functions_in_order():
    x = torch.arange(4.0, requires_grad=True)
    g = trace(2 * torch.dot(x, x))
    dot = next(n.index for n in g.nodes if n.op == "DotBackward0")
    acc = next(n.index for n in g.nodes if n.op == "AccumulateGrad")
    # dot(x, x): two edges (slots 0 and 1) to the same AccumulateGrad node.
    assert [(e.target, e.slot) for e in g.children[dot]] == [(acc, 0), (acc, 1)]
    assert len(g.parents[acc]) == 2


def test_cut_reveals_a_detached_tensor_and_its_name():
    x = torch.arange(4.0, requires_grad=True)
    y = 2 * torch.dot(x, x)
    u = y.detach() * torch.arange(4.0)
    z = u * x
    g = trace(z)
    cuts = [n for n in g.nodes if n.kind == "cut"]
    assert len(cuts) == 1
    assert cuts[0].name == "u"
    assert cuts[0].value.data == tuple(u.tolist())
    # the saved badge is kept apart from the cut, even though it is the same tensor
    mul = g.nodes[0]
    assert [b.name for b in mul.saved] == ["self"]
    assert mul.saved[0].value.data == tuple(u.tolist())


def test_cut_reveals_a_python_constant():
    x = torch.arange(4.0, requires_grad=True)
    g = trace(2 * torch.dot(x, x))
    cuts = [n for n in g.nodes if n.kind == "cut"]
    assert len(cuts) == 1
    assert cuts[0].value.shape == () and cuts[0].value.data == (2.0,)


def test_cut_for_an_add_constant_has_no_value_but_is_there():
    x = torch.arange(4.0, requires_grad=True)
    g = trace((x + 1).sum())
    cuts = [n for n in g.nodes if n.kind == "cut"]
    assert len(cuts) == 1 and cuts[0].value is None


def test_cut_for_tensor_without_requires_grad():
    x = torch.arange(4.0, requires_grad=True)
    ones = torch.ones(4)
    g = trace((x * ones).sum())
    cuts = [n for n in g.nodes if n.kind == "cut"]
    assert len(cuts) == 1 and cuts[0].name == "ones" and cuts[0].value.data == (1.0,) * 4


def test_leaves_carry_name_shape_values_and_grad():
    x = torch.arange(4.0, requires_grad=True)
    big = torch.ones(3, 3, requires_grad=True)
    y = 2 * torch.dot(x, x) + big.sum()
    leaves = {n.name: n for n in trace(y).nodes if n.kind == "leaf"}
    assert leaves["x"].value.data == (0.0, 1.0, 2.0, 3.0) and leaves["x"].grad is None
    assert leaves["big"].value.data is None and leaves["big"].value.norm == pytest.approx(3.0)
    assert leaves["big"].value.shape == (3, 3)
    y.backward()
    leaves = {n.name: n for n in trace(y).nodes if n.kind == "leaf"}
    assert leaves["x"].grad.data == (0.0, 4.0, 8.0, 12.0)


def test_names_argument_wins_over_caller_variables():
    x = torch.arange(4.0, requires_grad=True)
    g = trace(x * x, names={"weight": x})
    assert [n.name for n in g.nodes if n.kind == "leaf"] == ["weight"]


def test_names_are_found_in_the_frame_of_the_caller_of_trace():
    def helper(t):
        return trace(t)  # the caller of trace is helper: its local `t` names the output

    inner = torch.ones(2, requires_grad=True)
    g = helper(inner.sum())
    assert g.nodes[0].name == "t"
    assert [n.name for n in g.nodes if n.kind == "leaf"] == [None]


EXPECTED_EN = """\
MulBackward0 · backward of × · output y · saved: other = 2
├─ DotBackward0 · backward of dot · output dot(x, x) · saved: self = [0, 1, 2, 3], tensor = [0, 1, 2, 3]
│  ├─ [1] AccumulateGrad · writes .grad
│  │  └─ leaf x · shape (4,) · data [0, 1, 2, 3] · grad None
│  └─ [1] AccumulateGrad (see above)
└─ ✂ untracked input · 2"""

EXPECTED_EN_AFTER_BACKWARD = """\
MulBackward0 · backward of × · output y · saved: other (freed)
├─ DotBackward0 · backward of dot · output dot(x, x) · saved: self (freed), tensor (freed)
│  ├─ [1] AccumulateGrad · writes .grad
│  │  └─ leaf x · shape (4,) · data [0, 1, 2, 3] · grad [0, 4, 8, 12]
│  └─ [1] AccumulateGrad (see above)
└─ ✂ untracked input
Note: the backward pass freed this graph's saved values, as it always does after using them."""

EXPECTED_PT = """\
MulBackward0 · derivada da multiplicação (×) · saída y · salvos: other = 2
├─ DotBackward0 · derivada do produto interno · saída dot(x, x) · salvos: self = [0, 1, 2, 3], tensor = [0, 1, 2, 3]
│  ├─ [1] AccumulateGrad · grava em .grad
│  │  └─ folha x · formato (4,) · dados [0, 1, 2, 3] · grad None
│  └─ [1] AccumulateGrad (ver acima)
└─ ✂ entrada não rastreada · 2"""


def test_to_text_of_the_lesson_graph_exactly():
    x = torch.arange(4.0, requires_grad=True)
    y = 2 * torch.dot(x, x)
    assert trace(y).to_text() == EXPECTED_EN
    assert str(trace(y)) == EXPECTED_EN
    assert trace(y).to_text() == trace(y).to_text()  # deterministic
    set_language("pt")
    assert trace(y).to_text() == EXPECTED_PT
    set_language("en")
    y.backward()
    freed = trace(y)
    assert freed.freed
    assert freed.to_text() == EXPECTED_EN_AFTER_BACKWARD


def test_to_text_has_no_addresses_and_fixed_float_format():
    torch.manual_seed(1)
    w = torch.randn(3, requires_grad=True)
    text = trace((w * 3.14159).sum()).to_text()
    assert "0x" not in text
    for v in w.tolist():
        assert f"{v:.4g}" in text


def test_to_text_limit_truncates_long_graphs():
    x = torch.ones(1, requires_grad=True)
    h = x
    for _ in range(50):
        h = torch.tanh(h)
    text = trace(h).to_text(limit=10)
    assert len(text.splitlines()) == 11
    assert "more lines" in text.splitlines()[-1]


def test_to_dot_lists_every_node_and_edge():
    x = torch.arange(4.0, requires_grad=True)
    g = trace(2 * torch.dot(x, x))
    dot = g.to_dot()
    assert dot.startswith("digraph")
    assert dot.count("->") == len(g.edges)
    assert all(f"n{n.index} [label=" in dot for n in g.nodes)
    assert "0x" not in dot


def test_graph_keeps_no_reference_to_tensors():
    x = torch.arange(4.0, requires_grad=True)
    y = 2 * torch.dot(x, x)
    u = y.detach()
    z = u * x
    refs = [weakref.ref(t) for t in (x, y, u, z)]
    g = trace(z)
    del x, y, u, z
    gc.collect()
    assert all(r() is None for r in refs)
    assert isinstance(g, Graph) and g.counts()["AccumulateGrad"] == 1
    assert "leaf x" in g.to_text()


def test_deep_chain_is_traced_without_recursion():
    x = torch.ones(2, requires_grad=True)
    h = x
    for _ in range(20_000):
        h = h * 1.0
    g = trace(h)
    assert g.counts()["MulBackward0"] == 20_000
    folded = g.fold()
    assert folded.counts() == g.counts()
    assert [n.repeat for n in folded.nodes if n.kind == "fold"] == [20_000]
    assert len(g.to_text().splitlines()) == 401


def test_leaf_tensor_alone_is_a_one_node_graph():
    x = torch.ones(3, requires_grad=True)
    g = trace(x)
    assert [n.kind for n in g.nodes] == ["leaf"] and g.nodes[0].name == "x"


# ---------------------------------------------------------------- bad input


def bad_inputs():
    x = torch.arange(4.0, requires_grad=True)
    y = x * 2
    with torch.no_grad():
        frozen = x * 2
    return [
        ("list with a number", [y, 3.0], "graph.error.container", ".values())"),
        ("nested tuple", ((y, y),), "graph.error.container", ".values())"),
        ("empty tuple", (), "graph.error.empty", "((h, c))"),
        ("dict", {"y": y}, "graph.error.container", ".values())"),
        ("module", torch.nn.Linear(2, 2), "graph.error.module", "(x)"),
        ("bound method", y.mean, "graph.error.method", "y.mean()"),
        ("no graph", frozen, "graph.error.untracked", "requires_grad_()"),
        ("detached", y.detach(), "graph.error.untracked", "torch.no_grad()"),
        ("number", 3.0, "graph.error.not_tensor", "requires_grad=True"),
        ("string", "y", "graph.error.not_tensor", "requires_grad=True"),
    ]


@pytest.mark.parametrize("language", ["pt", "en"])
@pytest.mark.parametrize("case", bad_inputs(), ids=lambda c: c[0])
def test_bad_input_raises_a_lesson_error_in_the_current_language(case, language):
    from autograd_lessons import backward_steps, draw

    _, obj, key, fix = case
    set_language(language)
    for func in (trace, draw, backward_steps):
        with pytest.raises(LessonError) as info:
            func(obj)
        text = str(info.value)
        name = func.__name__
        kind = type(obj).__name__
        expected = message(key, language=language, func=name, kind=kind, name=getattr(obj, "__name__", kind))
        assert text == expected
        assert fix in text
        assert info.value.__cause__ is None and info.value.__suppress_context__
        other = "en" if language == "pt" else "pt"
        assert text != message(key, language=other, func=name, kind=kind, name=getattr(obj, "__name__", kind))


def test_error_messages_differ_by_language():
    with torch.no_grad():
        frozen = torch.ones(2) * 2
    set_language("pt")
    with pytest.raises(LessonError) as pt:
        trace(frozen)
    set_language("en")
    with pytest.raises(LessonError) as en:
        trace(frozen)
    assert "grafo computacional" in str(pt.value) and "computational graph" in str(en.value)
    assert "requires_grad_()" in str(pt.value) and "requires_grad_()" in str(en.value)


def test_folding_keeps_the_negative_branch_apart_from_the_loop():
    """f(a) for a < 0: the loop's b * 2 links fold; the 100 * b of the branch stays visible."""
    a = torch.tensor(-0.01, requires_grad=True)
    folded = trace(f(a)).fold()
    folds = [n for n in folded.nodes if n.kind == "fold"]
    assert [(n.op, n.repeat) for n in folds] == [("MulBackward0", 17)]
    assert [b.text() for b in folds[0].saved] == ["other = 2"]
    top = folded.nodes[0]
    assert top.kind == "op" and [b.text() for b in top.saved] == ["other = 100"]
    cuts = [n.value.text() for n in folded.nodes if n.kind == "cut"]
    assert cuts == ["100"]
    assert folded.counts() == trace(f(a)).counts()


def test_fold_nodes_say_chain_of_n_not_times_n():
    a = torch.tensor(-0.01, requires_grad=True)
    folded = trace(f(a)).fold()
    (fold,) = [n for n in folded.nodes if n.kind == "fold"]
    line = next(line for line in folded.to_text().splitlines() if "MulBackward0, a chain of" in line)
    assert f"MulBackward0, a chain of {fold.repeat} · backward of ×" in line
    assert folded.describe(fold.index).startswith(f"MulBackward0, a chain of {fold.repeat} · ")
    assert "×" + str(fold.repeat) not in folded.to_text()
    set_language("pt")
    assert folded.describe(fold.index).startswith(f"MulBackward0, cadeia de {fold.repeat} · ")


def test_dot_uses_the_colours_of_the_pictures():
    x = torch.arange(4.0, requires_grad=True)
    g = trace((x.detach() * x).sum() + 2 * torch.dot(x, x))
    dot = g.to_dot()
    for node in g.nodes:
        line = next(line for line in dot.splitlines() if line.startswith(f"  n{node.index} ["))
        fill, outline, style = node_colours(g.kind(node.index))
        assert f'fillcolor="{fill}"' in line and f'color="{outline}"' in line
        assert ("dashed" in line) == (style == "--")
    assert {g.kind(n.index) for n in g.nodes} == {"op", "accumulate", "leaf", "cut"}


ENGLISH_WORDS = {"of", "backward", "sum", "mean", "sin", "cos", "reciprocal", "dot", "pow", "tanh", "exp", "add", "mul"}


def test_portuguese_node_labels_of_the_lessons_read_as_portuguese():
    x = torch.tensor(2.0, requires_grad=True)
    w = torch.arange(4.0, requires_grad=True)
    mlp = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.Tanh(), torch.nn.Linear(4, 1))
    outputs = [
        torch.log(x**2) * torch.sin(x) + 1 / x,
        torch.cos(x).exp() - x.sqrt() / x.abs(),
        2 * torch.dot(w, w) + w.sum() + w.mean(),
        mlp(torch.randn(5, 3)).pow(2).mean(),
    ]
    set_language("pt")
    labels = {n.op: n.label for y in outputs for n in trace(y).nodes if n.kind == "op"}
    assert len(labels) >= 14
    for op, label in labels.items():
        words = set(re.findall(r"[a-zà-ú]+", label.lower()))
        assert not words & ENGLISH_WORDS, f"{op}: {label!r} is half English"
    assert "seno" in labels["SinBackward0"] and "inverso" in labels["ReciprocalBackward0"]


OWN_AREAS = ("graph.", "draw.", "steps.", "widgets.", "op.")


def test_english_says_computational_graph_and_nothing_says_seed():
    for key, texts in MESSAGES.items():
        if not key.startswith(OWN_AREAS):
            continue
        assert "computation graph" not in texts["en"].lower(), key
        assert "seed" not in texts["en"].lower() and "semente" not in texts["pt"].lower(), key


def test_the_note_about_freed_values_is_one_short_sentence():
    for language in i18n.LANGUAGES:
        note = message("graph.note_freed", language=language)
        assert note.endswith(".") and ". " not in note and len(note) <= 120
        # Freed values are normal: the note does not teach keeping graphs alive to look at them.
        assert "retain_graph" not in note


def test_a_saved_tensor_changed_in_place_is_not_called_freed():
    """Reading a saved tensor fails after a backward pass freed it *or* after an in-place change;
    only the first is "freed" (and gets the note that the backward pass freed them)."""
    set_language("en")
    a = torch.tensor([1.0, 2.0], requires_grad=True)
    y = a.exp()
    z = y * 3
    y.mul_(2)  # ExpBackward0 saved its result, y; now at version 1
    graph = trace(z)
    badges = [badge for node in graph.nodes for badge in node.saved if badge.stale]
    assert [badge.text() for badge in badges] == ["result (changed in place)"]
    assert not graph.freed and not any(badge.freed for node in graph.nodes for badge in node.saved)
    w = a.exp().sum()
    w.backward()
    freed = trace(w)
    assert freed.freed and any(badge.freed and not badge.stale for node in freed.nodes for badge in node.saved)


def test_a_custom_functions_saved_tensors_are_badges():
    class Double(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return 2 * x

        @staticmethod
        def backward(ctx, grad):
            (x,) = ctx.saved_tensors
            return 2 * grad

    set_language("en")
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    y = Double.apply(x)
    (node,) = [n for n in trace(y).nodes if n.op == "DoubleBackward"]
    assert [badge.text() for badge in node.saved] == ["saved_tensors[0] = [1, 2]"]
    y.sum().backward()
    (node,) = [n for n in trace(y).nodes if n.op == "DoubleBackward"]
    assert [badge.text() for badge in node.saved] == ["saved_tensors (freed)"]


def test_the_garbage_collector_is_paused_only_while_a_graph_is_built():
    import gc

    from autograd_lessons.graph import paused_gc

    assert gc.isenabled()
    with paused_gc():
        assert not gc.isenabled()
        with paused_gc():  # nested: the outer pause is kept
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()
    with pytest.raises(ZeroDivisionError), paused_gc():
        _ = 1 / 0
    assert gc.isenabled()  # restored after an error too
    x = torch.ones(2, requires_grad=True)
    trace(x * 2)
    assert gc.isenabled()


# --------------------------------------------------------------------------- untracked inputs, named


def cuts_of(graph: Graph) -> list:
    return [n for n in graph.nodes if n.kind == "cut"]


def test_an_untracked_input_carries_the_learners_name():
    """net(batch): addmm's input at slot 1 is `mat1`, the batch; the caller calls it `batch`."""
    torch.manual_seed(0)
    net = torch.nn.Sequential(torch.nn.Linear(4, 3), torch.nn.Tanh(), torch.nn.Linear(3, 1))
    batch = torch.randn(5, 4)
    graph = trace(net(batch).sum())
    (cut,) = cuts_of(graph)
    assert cut.name == "batch" and cut.value.shape == (5, 4)
    assert cut.value.norm == pytest.approx(float(batch.norm()), rel=1e-6)
    assert "✂ batch (untracked input) · shape (5, 4), norm " in graph.to_text()
    set_language("pt")
    assert "✂ batch (entrada não rastreada) · formato (5, 4), norma " in graph.to_text()


def test_an_unnamed_constant_stays_an_untracked_input_with_its_value():
    x = torch.arange(3.0, requires_grad=True)
    graph = trace(2 * x)
    (cut,) = cuts_of(graph)
    assert cut.name is None and cut.value.data == (2.0,)
    assert graph.to_text().splitlines()[-1] == "└─ ✂ untracked input · 2"


def test_two_names_for_one_untracked_tensor_give_the_first_bound_or_the_given_one():
    x = torch.arange(3.0, requires_grad=True)
    scale = torch.tensor([1.0, 2.0, 3.0])
    alias = scale  # the same tensor under a second name
    assert alias is scale
    (cut,) = cuts_of(trace(x * alias))
    assert cut.name == "scale"  # the caller's variables in the order they were bound
    (cut,) = cuts_of(trace(x * scale, names={"alias": alias}))
    assert cut.name == "alias"  # names= comes first
    assert "✂ alias (untracked input)" in trace(x * scale, names={"alias": alias}).to_text()


def test_an_input_is_named_only_from_the_slot_it_takes():
    """The saved attribute that holds an input is the one PyTorch's derivative formulas name for
    its slot: where() saves its condition, not the untracked `other`; lerp's `end` is not its
    `weight` (a list of likely names per slot used to give lerp's weight to end)."""
    x = torch.arange(3.0, requires_grad=True)
    keep = torch.tensor([True, False, True])
    fill = torch.tensor([5.0, 6.0, 7.0])
    (cut,) = cuts_of(trace(torch.where(keep, x, fill)))
    assert cut.name is None and cut.value is None  # where() saved only the condition
    end = torch.tensor([10.0, 10.0, 10.0])
    weight = torch.tensor([0.5, 0.25, 0.0])
    cuts = cuts_of(trace(torch.lerp(x, end, weight)))
    assert [(c.name, c.value.data if c.value else None) for c in cuts] == [(None, None), ("weight", (0.5, 0.25, 0.0))]


def test_input_names_follow_pytorchs_derivative_formulas():
    from autograd_lessons.graph import input_names

    x = torch.ones(2, 2, requires_grad=True)
    c = torch.ones(2, 2)
    cases = {
        torch.addmm(x, c, x): ("self", "mat1", "mat2"),
        x * c: ("self", "other"),
        torch.where(c > 0, x, c): ("self", "other"),
        torch.lerp(x, c, c): ("self", "end", "weight"),
        torch.cat([x, c]): None,  # a list of tensors takes one slot per tensor
    }
    for y, expected in cases.items():
        assert input_names(y.grad_fn) == expected, type(y.grad_fn).__name__
    (g,) = torch.autograd.grad(torch.tanh(x).sum(), x, create_graph=True)
    assert type(g.grad_fn).__name__ == "TanhBackwardBackward0"
    assert input_names(g.grad_fn) == ("grad_output", "output")


def test_the_derivative_formulas_name_exactly_the_classes_torch_has():
    """Read as torchgen reads it, derivatives.yaml gives every numbered grad_fn class of the
    installed torch (the variants of views made as copies, "_copy", aside) and no other."""
    from autograd_lessons.graph import _derivative_inputs

    classes = set(dir(torch._C._functions))
    numbered = {name for name in classes if re.search(r"Backward\w*\d$", name)}
    read = set(_derivative_inputs())
    assert read - classes == set()
    assert numbered - read == set()


def test_without_pytorchs_formulas_the_usual_argument_names_are_tried(monkeypatch):
    from autograd_lessons import graph as graph_module

    monkeypatch.setattr(graph_module, "_derivative_inputs", dict)
    x = torch.arange(3.0, requires_grad=True)
    ones = torch.ones(3)
    (cut,) = cuts_of(trace(x * ones))
    assert cut.name == "ones"


# --------------------------------------------------------------------------- saved values a learner sees


def test_symbolic_size_bookkeeping_is_hidden_and_input_shapes_are_plain():
    x = torch.arange(4.0, requires_grad=True)
    text = trace(x.sum()).to_text()
    assert "SumBackward0 · backward of sum · output sum(x) · saved: shape of self (4,)" in text
    column = x.view(4, 1)
    mm = trace(column @ torch.ones(1, 2))
    text = mm.to_text()
    assert "_sym_" not in text and "strides" not in text
    assert "saved: mat2 = [[1, 1]], shape of self (4, 1)" in text
    set_language("pt")
    assert "salvos: formato de self (4,)" in trace(x.sum()).to_text()


def test_an_inputs_shape_is_left_out_when_its_value_is_saved():
    torch.manual_seed(0)
    net = torch.nn.Sequential(torch.nn.Linear(4, 3), torch.nn.Tanh(), torch.nn.Linear(3, 1))
    graph = trace(net(torch.randn(5, 4)).sum())
    addmm = [n for n in graph.nodes if n.op == "AddmmBackward0"]
    shown = [sorted(b.name for b in node.saved) for node in addmm]
    # The second layer saved mat1 and mat2 (their badges show their shapes); the first saved
    # mat1 and only the shape of its weight, mat2.
    assert shown == [["alpha", "beta", "mat1", "mat2"], ["alpha", "beta", "mat1", "mat2_sym_sizes"]]
    assert [b.text() for b in addmm[1].saved if b.shape_of] == ["shape of mat2 (4, 3)"]


def test_the_rule_for_saved_values_at_its_edges():
    from autograd_lessons.graph import _badges

    saved = {
        "self": torch.ones(2, 3),
        "self_sym_sizes": (2, 3),  # the tensor is saved: its badge shows the shape
        "self_sym_strides": (3, 1),
        "other_sym_sizes": (3,),
        "scalar_sym_sizes": (),
        "bias_sym_sizes_opt": None,  # no bias
        "grad_output_sym_argsize_minus_1": 7,
        "self_sym_numel": 6,
        "self_self_sym_blocksize_opt": None,
        "dim": 0,
        "split_sizes": [1, 2],  # an argument of the operation, not bookkeeping
    }
    texts = [badge.text() for badge in _badges(saved)]
    assert texts == [
        "dim = 0",
        "shape of other (3,)",
        "shape of scalar ()",
        "self = [[1, 1, 1], [1, 1, 1]]",
        "split_sizes = [1, 2]",
    ]


def test_no_saved_name_of_the_lessons_graphs_is_symbolic_bookkeeping():
    for name, y in lesson_graphs():
        text = trace(y).to_text(limit=None)
        assert not re.search(r"_sym_|_strides|_numel|_argsize", text), name


# --------------------------------------------------------------------------- what each node computed


def test_the_graph_of_a_gradient_says_which_node_computes_which_term():
    """(x³)' = 3x²: the backward pass squared x (PowBackward0) and tripled it (MulBackward1)."""
    x = torch.tensor([-1.0, 0.5, 2.0], requires_grad=True)
    graph = trace(torch.autograd.grad((x**3).sum(), x, create_graph=True)[0])
    computed = {n.op: graph.formulas[n.index] for n in graph.nodes if n.kind == "op"}
    assert computed["PowBackward0"] == "x**2" and computed["MulBackward1"] == "3 * x**2"
    assert computed["MulBackward0"] is None  # times the initial gradient, a tensor of ones with no name
    assert "MulBackward1 · backward of × · output 3 * x**2 · saved: other = 3" in graph.to_text()
    assert not graph_data.recorded_by_backward(graph)  # torch marks nothing on grad()'s results


def test_every_formula_computes_the_tensor_it_names():
    """Each node that has both a learner's name and a formula: evaluating the formula with the
    learner's tensors gives that tensor."""
    x = torch.tensor([-1.0, 0.5, 2.0], requires_grad=True)
    z = torch.tensor([0.5, 2.0, 1.5], requires_grad=True)
    w = torch.tensor([[1.0, -2.0, 0.5], [0.0, 1.0, 3.0]], requires_grad=True)
    c = torch.tensor([2.0, -1.0, 0.25])
    a = 2 * x
    b = c * x
    s = a - b
    t = torch.tanh(x)
    u = (-t) ** 2
    v = u / 3
    m = w @ v
    n = w.t()
    e = torch.exp(1.5 * torch.sin(x))
    d = torch.dot(x, x) + torch.cos(x).mean()
    k = x - (z - x)
    p = x**z
    q = -(x**2)
    h = torch.sigmoid(torch.relu(x)).sqrt() * torch.log(z.abs())
    namespace = {"x": x, "z": z, "w": w, "c": c, "dot": torch.dot, "sum": torch.sum, "mean": torch.mean}
    namespace |= {f: getattr(torch, f) for f in ("exp", "log", "sin", "cos", "tanh", "sigmoid", "relu", "sqrt", "abs")}
    named = {"a": a, "b": b, "s": s, "t": t, "u": u, "v": v, "m": m, "n": n, "e": e, "d": d, "k": k, "p": p, "q": q}
    checked = set()
    for output in (s, m, n, e, d, k, p, q):
        graph = trace(output, names={"x": x, "z": z, "w": w, "c": c, **named})
        for node in graph.nodes:
            formula = graph.formulas[node.index]
            if node.kind == "op" and node.name in named and formula is not None:
                computed = eval(formula, dict(namespace))
                assert torch.allclose(computed, named[node.name], equal_nan=True), (node.name, formula)
                checked.add(node.name)
    assert checked == set(named), set(named) - checked
    assert trace(h.sum()).formulas[0] is None  # sqrt(sigmoid(relu(x))) * log(abs(z)): too long
    graph = trace(h, names={"x": x, "z": z})
    parts = {graph.formulas[e.target] for e in graph.children[0]}
    assert parts == {"sqrt(sigmoid(relu(x)))", "log(abs(z))"}
    expected = {"sqrt(sigmoid(relu(x)))": torch.sqrt(torch.sigmoid(torch.relu(x))), "log(abs(z))": torch.log(z.abs())}
    for part in parts:
        assert torch.allclose(eval(part, dict(namespace)), expected[part])


def test_formulas_at_their_edges():
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    z = torch.tensor([3.0, 4.0], requires_grad=True)

    def formula(y, **names):
        return trace(y, names={**names, "x": x, "z": z}).formulas[0]  # the first name given wins

    assert formula((x - z) ** 2) == "(x - z)**2"
    assert formula(x - (z - x)) == "x - (z - x)"
    assert formula((x - z) - x) == "x - z - x"
    assert formula((-x) ** 2) == "(-x)**2"
    assert formula(-(x**2)) == "-x**2"
    assert formula(x * -2) == "-2 * x"
    assert formula(x ** (z * 2)) == "x**(2 * z)"
    assert formula(x + 1) is None  # add() saves neither input: the 1 is unknown
    assert formula(x - torch.ones(2)) is None  # nor does sub(): an untracked input it did not save
    assert formula(x.add(z, alpha=2)) is None  # alpha != 1 is left unwritten
    assert formula(x * torch.ones(2)) is None  # an untracked input with no name and several values
    assert graph_data.FORMULA_CHARS == 24
    assert formula(x * x * x, abcdef=x) == "abcdef * abcdef * abcdef"  # 24 characters
    assert formula(x * x * z, abcdef=x, abcdefg=z) is None  # 25
    assert formula(torch.sin(x * x * z), abcdef=x, abcdefg=z) is None  # and what is built on it


@pytest.mark.filterwarnings("ignore:Using backward\\(\\) with create_graph=True")
def test_a_leafs_grad_recorded_by_backward_says_so():
    x = torch.tensor([-1.0, 0.5, 2.0], requires_grad=True)
    (x**3).sum().backward(create_graph=True)
    graph = trace(x.grad)
    assert graph.nodes[0].gradient_of == "x" and graph.output_text(0) == "x.grad"
    assert graph_data.recorded_by_backward(graph)
    assert graph.to_text().splitlines()[-1] == message("graph.note_recorded_backward")
    x.grad = None


def test_a_backward_functions_backward_is_labelled_and_marks_the_graph():
    x = torch.tensor([-1.0, 0.5, 2.0], requires_grad=True)
    t = torch.tanh(x)
    (g,) = torch.autograd.grad(t.sum(), x, create_graph=True)
    graph = trace(g)
    assert graph.nodes[0].op == "TanhBackwardBackward0"
    assert graph.nodes[0].label == "backward of (backward of tanh)"
    assert graph_data.recorded_by_backward(graph)
    set_language("pt")
    assert graph.nodes[0].label == "derivada de (derivada da tangente hiperbólica)"
    assert not graph_data.recorded_by_backward(trace(t.sum()))  # a forward graph is not marked
