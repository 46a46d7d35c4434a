"""trace(): the graph model matches torch's own grad_fn graph, names, cuts, text, errors."""

from __future__ import annotations

import gc
import re
import weakref
from collections import Counter

import pytest
import torch

from autograd_lessons import LessonError, set_language
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
├─ DotBackward0 · backward of dot · saved: self = [0, 1, 2, 3], tensor = [0, 1, 2, 3]
│  ├─ [1] AccumulateGrad · writes .grad
│  │  └─ leaf x · shape (4,) · data [0, 1, 2, 3] · grad None
│  └─ [1] AccumulateGrad (see above)
└─ ✂ untracked input · 2"""

EXPECTED_EN_AFTER_BACKWARD = """\
MulBackward0 · backward of × · output y · saved: other (freed)
├─ DotBackward0 · backward of dot · saved: self (freed), tensor (freed)
│  ├─ [1] AccumulateGrad · writes .grad
│  │  └─ leaf x · shape (4,) · data [0, 1, 2, 3] · grad [0, 4, 8, 12]
│  └─ [1] AccumulateGrad (see above)
└─ ✂ untracked input
Note: a backward pass already freed the saved values of this graph; to keep them, call \
backward(retain_graph=True)."""

EXPECTED_PT = """\
MulBackward0 · derivada da multiplicação (×) · saída y · salvos: other = 2
├─ DotBackward0 · derivada do produto interno · salvos: self = [0, 1, 2, 3], tensor = [0, 1, 2, 3]
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
    for language in ("pt", "en"):
        note = message("graph.note_freed", language=language)
        assert note.endswith(".") and ". " not in note and len(note) <= 120
        assert "retain_graph=True" in note


def test_a_saved_tensor_changed_in_place_is_not_called_freed():
    """Reading a saved tensor fails after a backward pass freed it *or* after an in-place change;
    only the first is "freed" (and gets the note about retain_graph)."""
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
