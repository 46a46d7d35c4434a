"""fold(): repeated chains and blocks folded, the rest coarsened, until a graph fits a picture.

Every folded graph must keep what the unfolded one says: the same counts(), every raw node
accounted for exactly once (by a kept node's members or a repeat frame's covers), outputs
mapped, no cycle, and no more than max_boxes boxes.
"""

from __future__ import annotations

import random
from dataclasses import replace

import pytest
import torch

from autograd_lessons import LessonError, set_language
from autograd_lessons.folding import MAX_BOXES, fold, fold_chains, raw_indices
from autograd_lessons.graph import Edge, Graph, Group, Node, link_key, trace
from autograd_lessons.i18n import LANGUAGES, MESSAGES, message, placeholders
from invariants import accounting, acyclic, check_invariants  # noqa: F401 - stated once, shared

# --------------------------------------------------------------------------- test graphs


def residual(layers: int) -> Graph:
    """x = x + tanh(W_i x), each layer with its own W_i: 5 nodes per layer, 3 around them."""
    torch.manual_seed(0)
    x = torch.randn(8, requires_grad=True)
    for _ in range(layers):
        w = torch.randn(8, 8, requires_grad=True)
        x = x + torch.tanh(w @ x)
    return trace(x.sum())


def lstm(steps: int = 50) -> Graph:
    """An LSTM cell unrolled over `steps` steps (shared weights), loss = the sum of every h."""
    torch.manual_seed(0)
    cell = torch.nn.LSTMCell(4, 8)
    h, c = torch.zeros(1, 8), torch.zeros(1, 8)
    hs = []
    for _ in range(steps):
        h, c = cell(torch.randn(1, 4), (h, c))
        hs.append(h)
    return trace(sum(state.sum() for state in hs))


def chain(links: int = 20_000) -> Graph:
    x = torch.ones(2, requires_grad=True)
    y = x
    for _ in range(links):
        y = y * 1.0001
    return trace(y)


UNARY = (torch.tanh, torch.sin, lambda a: a * 0.5, lambda a: torch.exp(-a.abs()))
BINARY = (torch.add, torch.mul, torch.sub)
TRACE_EVERY = 20  # operations added between two traces while growing a random DAG


def random_dag(size: int = 500, seed: int = 0) -> Graph:
    """Random operations on random earlier tensors until the graph has about `size` nodes;
    the output sums every tensor nothing else read."""
    rng = random.Random(seed)
    torch.manual_seed(seed)
    tensors = [torch.randn(4, requires_grad=True) for _ in range(5)]
    unread = set(range(len(tensors)))
    while True:
        for _ in range(TRACE_EVERY):
            if rng.random() < 0.5:
                picked = [rng.randrange(len(tensors))]
                tensors.append(rng.choice(UNARY)(tensors[picked[0]]))
            else:
                picked = [rng.randrange(len(tensors)), rng.randrange(len(tensors))]
                tensors.append(rng.choice(BINARY)(*(tensors[i] for i in picked)))
            unread.difference_update(picked)
            unread.add(len(tensors) - 1)
        graph = trace(torch.stack([tensors[i].sum() for i in sorted(unread)]).sum())
        if len(graph.nodes) >= size:
            return graph


def nested(outer: int = 6, inner: int = 4) -> Graph:
    """A loop inside a loop: each outer layer runs `inner` times x = x + 2 sin(x), then tanh(W x)."""
    torch.manual_seed(0)
    x = torch.randn(8, requires_grad=True)
    for _ in range(outer):
        for _ in range(inner):
            x = x + torch.sin(x) * 2
        x = torch.tanh(torch.randn(8, 8, requires_grad=True) @ x)
    return trace(x.sum())


def two_outputs() -> Graph:
    """Residual of 60 layers whose second output is the AddBackward0 of a middle layer."""
    graph = residual(60)
    adds = [n.index for n in graph.nodes if n.op == "AddBackward0"]
    return replace(graph, outputs=(0, adds[30]))


def small_two_outputs() -> Graph:
    """Built by hand: a = x * 2 and b = sin(x) are both outputs."""
    nodes = (
        Node(0, "op", op="MulBackward0"),
        Node(1, "op", op="SinBackward0"),
        Node(2, "op", op="AccumulateGrad"),
        Node(3, "leaf", name="x"),
        Node(4, "cut"),
    )
    edges = (Edge(0, 2, 0), Edge(0, 4, 1), Edge(1, 2, 0), Edge(2, 3, 0))
    return Graph(nodes=nodes, edges=edges, outputs=(0, 1))


def one_node() -> Graph:
    return trace(torch.ones(3, requires_grad=True))


CASES = {
    "residual 15 layers": lambda: residual(15),
    "residual 60 layers": lambda: residual(60),
    "residual 240 layers": lambda: residual(240),
    "residual 400 layers": lambda: residual(400),
    "lstm 50 steps": lstm,
    "chain of 20,000": chain,
    "random DAG of 500": random_dag,
    "nested loops": nested,
    "two outputs": two_outputs,
    "small, two outputs": small_two_outputs,
    "one node": one_node,
}


@pytest.fixture(scope="module")
def graphs() -> dict[str, Graph]:
    return {name: build() for name, build in CASES.items()}


# --------------------------------------------------------------------------- invariants


@pytest.mark.parametrize("name", list(CASES))
def test_folded_graphs_fit_and_keep_every_invariant(graphs, name):
    raw = graphs[name]
    folded = fold(raw)
    check_invariants(raw, folded)
    assert len(folded.nodes) <= MAX_BOXES


@pytest.mark.parametrize("name", list(CASES))
def test_fold_is_deterministic(graphs, name):
    assert fold(graphs[name]) == fold(graphs[name])


def test_deterministic_across_two_traces_of_the_same_program():
    assert fold(residual(60)) == fold(residual(60))


# --------------------------------------------------------------------------- what each step does


def test_a_residual_stack_becomes_one_layer_in_a_frame(graphs):
    for layers in (15, 60, 240, 400):
        raw = graphs[f"residual {layers} layers"]
        folded = fold(raw)
        (group,) = folded.groups
        assert group.kind == "repeat" and group.repeat == layers and group.label == f"× {layers}"
        kept = sorted(folded.nodes[m].op or folded.nodes[m].kind for m in group.members)
        assert kept == ["AccumulateGrad", "AddBackward0", "MvBackward0", "TanhBackward0", "leaf"]
        assert len(group.covers) == 5 * layers
        assert len(folded.nodes) == 8  # Sum, the kept layer, and x's AccumulateGrad and leaf
        assert folded.counts()["MvBackward0"] == layers


def test_an_unrolled_lstm_keeps_one_step_and_its_shared_weights_outside(graphs):
    raw = graphs["lstm 50 steps"]
    folded = fold(raw)
    (group,) = folded.groups
    assert group.repeat == 49  # the first step reads zeros, not a previous state: it differs
    inside = set(group.members)
    shared = [n.index for n in folded.nodes if n.op == "AccumulateGrad"]
    assert len(shared) == 4 and not inside & set(shared), "W_ih, W_hh, b_ih, b_hh: one each, outside"
    assert all(n.index not in inside for n in folded.nodes if n.kind == "leaf")
    for acc in shared:  # the kept step still reads each shared weight
        assert any(e.source in inside for e in folded.parents[acc])
    assert folded.outputs == (0,) and 0 in inside  # the last loss addition is in the kept step


def test_a_long_chain_becomes_one_box(graphs):
    raw = graphs["chain of 20,000"]
    assert len(raw.nodes) == 40_002
    folded = fold(raw)
    assert [n.repeat for n in folded.nodes if n.kind == "fold"] == [20_000]
    assert len(folded.nodes) == 3 and not folded.groups


def test_nested_loops_give_nested_frames(graphs):
    raw = graphs["nested loops"]
    folded = fold(raw, max_boxes=10)
    check_invariants(raw, folded, max_boxes=10)
    frames = {g.repeat: g for g in folded.groups if g.kind == "repeat"}
    assert set(frames) >= {6, 4} or set(frames) >= {5, 4}
    inner = frames[4]
    assert inner.parent is not None and folded.groups[inner.parent].kind == "repeat"


def test_a_big_graph_without_repetition_is_coarsened_one_operation_per_box(graphs):
    raw = graphs["random DAG of 500"]
    folded = fold(raw, min_repeat=10**6)  # no chain or block counts as repeated: coarsen only
    check_invariants(raw, folded)
    assert not folded.groups
    for node in folded.nodes:  # a box never mixes operations, so counts() stays exact
        ops = {raw.nodes[r].op for r in raw_indices(node) if raw.nodes[r].kind == "op"}
        assert len(ops) <= 1 and (not ops or ops == {node.op})


@pytest.mark.parametrize("name", ["small, two outputs", "one node"])
def test_a_graph_that_fits_comes_back_as_it_is(graphs, name):
    assert fold(graphs[name]) is graphs[name]


def test_a_graph_under_max_boxes_is_not_folded_even_if_it_repeats(graphs):
    raw = graphs["residual 15 layers"]
    assert fold(raw, max_boxes=len(raw.nodes)) is raw


def test_two_outputs_map_into_the_folded_graph(graphs):
    raw = graphs["two outputs"]
    folded = fold(raw)
    check_invariants(raw, folded)
    (group,) = folded.groups
    assert folded.outputs[0] == 0
    assert len(folded.outputs) == 2 and folded.outputs[1] in group.members


def test_the_frame_label_is_in_both_languages():
    for language in LANGUAGES:
        set_language(language)
        (group,) = fold(residual(15)).groups
        assert group.label == message("graph.repeat", language=language, count=15)
    set_language("en")
    for key in ("graph.repeat", "graph.fold.error.argument"):
        assert set(MESSAGES[key]) == set(LANGUAGES)
        assert len({frozenset(placeholders(MESSAGES[key][language])) for language in LANGUAGES}) == 1


@pytest.mark.parametrize("arguments", [{"max_boxes": 0}, {"min_repeat": 1}, {"max_boxes": 2.5}, {"min_repeat": True}])
def test_bad_arguments_say_what_is_expected(arguments):
    with pytest.raises(LessonError, match="whole number"):
        fold(one_node(), **arguments)


# --------------------------------------------------------------------------- Graph.fold unchanged


def reference_chain_fold(self: Graph, min_repeat: int = 3) -> Graph:
    """Graph.fold as it was before it delegated to folding.fold_chains (kept to compare)."""
    children, parents = self.children, self.parents

    def tracked(i: int) -> list[int]:
        return [e.target for e in children[i] if self.nodes[e.target].kind != "cut"]

    following: dict[int, int] = {}
    for node in self.nodes:
        if node.kind != "op" or node.op == "AccumulateGrad":
            continue
        kids = tracked(node.index)
        if len(kids) == 1:
            kid = self.nodes[kids[0]]
            same = kid.kind == "op" and link_key(kid) == link_key(node)
            if same and len(parents[kid.index]) == 1:
                following[node.index] = kid.index
    starts = set(following) - set(following.values())
    group_of: dict[int, int] = {}
    chains: dict[int, list[int]] = {}
    for head in sorted(starts):
        links = [head]
        while links[-1] in following:
            links.append(following[links[-1]])
        if len(links) < min_repeat:
            continue
        members = list(links)
        for link in links:
            members.extend(e.target for e in children[link] if self.nodes[e.target].kind == "cut")
        chains[head] = links
        for m in members:
            group_of[m] = head
    if not chains:
        return self
    new_index: dict[int, int] = {}
    kept: list[int] = []
    for node in self.nodes:
        head = group_of.get(node.index)
        if head is None or head == node.index:
            new_index[node.index] = len(kept)
            kept.append(node.index)
    for member, head in group_of.items():
        new_index[member] = new_index[head]
    nodes = []
    for old in kept:
        node = self.nodes[old]
        if old in chains:
            links = chains[old]
            members = tuple(sorted(m for m, h in group_of.items() if h == old))
            node = Node(
                index=len(nodes),
                kind="fold",
                op=node.op,
                name=node.name,
                saved=node.saved if all(self.nodes[i].saved == node.saved for i in links) else (),
                repeat=len(links),
                members=members,
            )
        else:
            node = replace(node, index=len(nodes), members=(old,))
        nodes.append(node)
    edges = []
    for edge in self.edges:
        a, b = new_index[edge.source], new_index[edge.target]
        if a != b:
            edges.append(replace(edge, source=a, target=b))
    outputs = tuple(dict.fromkeys(new_index[o] for o in self.outputs))
    return Graph(nodes=tuple(nodes), edges=tuple(edges), freed=self.freed, outputs=outputs)


def chain_graphs():
    x = torch.arange(4.0, requires_grad=True)
    b = x
    for _ in range(5):
        b = b * 2
    yield "b * 2 five times, then 100 * b", (100 * b).sum()
    h = x
    for _ in range(4):
        h = torch.tanh(h)
    for _ in range(3):
        h = torch.sin(h)
    yield "two chains", h.sum()
    yield "short chain", (x * 2 * 2).sum()
    yield "no chain", (x * x).sum()
    h = x
    for i in range(6):
        h = h * (1.0 if i % 2 else 2.0)
    yield "constants alternate", h.sum()


@pytest.mark.parametrize("case", list(chain_graphs()), ids=lambda c: c[0])
@pytest.mark.parametrize("min_repeat", [2, 3, 4])
def test_graph_fold_still_folds_chains_exactly_as_before(case, min_repeat):
    raw = trace(case[1])
    assert raw.fold(min_repeat) == reference_chain_fold(raw, min_repeat)
    assert fold_chains(raw, min_repeat) == reference_chain_fold(raw, min_repeat)
    assert (raw.fold(min_repeat) is raw) == (reference_chain_fold(raw, min_repeat) is raw)


def test_graph_fold_of_the_long_chain_matches_the_old_one(graphs):
    raw = graphs["chain of 20,000"]
    assert raw.fold() == reference_chain_fold(raw)


def test_groups_survive_chain_folding():
    raw = residual(15)
    framed = replace(raw, groups=(Group(kind="module", label="0 (Linear)", members=(1, 2, 3)),))
    assert fold_chains(framed) is framed  # nothing to fold: the same graph, frames included
    h = torch.arange(3.0, requires_grad=True)
    for _ in range(5):
        h = h * 2
    g = trace(h.sum())
    framed = replace(g, groups=(Group(kind="module", label="m", members=tuple(range(len(g.nodes)))),))
    folded = fold_chains(framed)
    assert folded.groups[0].members == tuple(range(len(folded.nodes)))
    assert folded.counts() == g.counts()
