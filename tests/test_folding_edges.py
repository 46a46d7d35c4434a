"""fold() at its edges: the limits it works within and the small decisions it takes on the way.

tests/test_folding.py checks that big traced graphs come out small and keep every invariant.
These check, on small graphs built by hand, where each rule of folding.py draws its line:

- coarsening: the narrowest bands that fit, counted from the output; boxes that never mix
  operations, in order of depth and operation; saved values kept only when every merged node
  shares them; cut inputs and leaves merged into their reader (not across a module frame);
  `freed` and every output carried through;
- how much must repeat: a block repeated exactly min_repeat times (framed) or one time fewer
  (not), a block of exactly MAX_PERIOD nodes (found) or one more (not looked for), a block of
  one operation, two lone pairs that are no repetition;
- frames and module frames: the innermost module a new "× k" frame goes into, the modules
  that move into it, a module it would cut (no frame), frames nested in the order found;
- edges of a folded block: one edge per pair of boxes for the hidden instances, the kept
  instance's own edges untouched, a stack reading every instance;
- what stops a block: an edge that skips an instance, an outside reader of a middle instance,
  a node both shared and on the path, a neighbour dropped from the block, inputs of different
  operations; and a node first met from a later instance still joining the first one.
"""

from __future__ import annotations

from dataclasses import replace as replace_graph

import pytest

from autograd_lessons import folding
from autograd_lessons.folding import MAX_PERIOD, coarsen, fold, fold_blocks, raw_indices
from autograd_lessons.graph import Badge, Edge, Graph, Group, Node, Value
from autograd_lessons.graph_data import MIN_REPEAT
from autograd_lessons.i18n import message
from test_folding import check_invariants, small_two_outputs

# --------------------------------------------------------------------------- graphs by hand

BODY = ["AddBackward0", "TanhBackward0", "MvBackward0"]  # one residual layer, as the spine reads it


def build(ops: list[str], links, *, groups=(), outputs=(0,), freed=False) -> Graph:
    """Operation nodes named `ops` (node 0 the output) and the edges (source, target, slot)."""
    nodes = tuple(Node(i, "op", op=op) for i, op in enumerate(ops))
    edges = tuple(Edge(source, target, slot) for source, target, slot in links)
    return Graph(nodes, edges, freed=freed, outputs=outputs, groups=groups)


def row(ops: list[str], *, extra=(), groups=(), outputs=(0,), freed=False) -> Graph:
    """Operations in a row, ops[0] the output, each reading the next one at slot 0; `extra`
    adds (source, target, slot) edges."""
    links = [(i, i + 1, 0) for i in range(len(ops) - 1)] + list(extra)
    return build(ops, links, groups=groups, outputs=outputs, freed=freed)


def repeated(body: list[str], times: int) -> Graph:
    """SumBackward0, then `body` `times` times in a row, then an AccumulateGrad."""
    return row(["SumBackward0", *body * times, "AccumulateGrad"])


def frames(graph: Graph) -> list[Group]:
    return [g for g in graph.groups if g.kind == "repeat"]


def edges_between(graph: Graph, source: int, target: int) -> list[Edge]:
    return [e for e in graph.edges if e.source == source and e.target == target]


def holder(graph: Graph, raw: int) -> int:
    """The folded node that stands for raw node `raw`."""
    (index,) = [n.index for n in graph.nodes if raw in raw_indices(n)]
    return index


# --------------------------------------------------------------------------- coarsening

# Add -> two Adds -> a Mul each -> an Add each: depths 0, 1, 2, 3 with 1, 2, 2, 2 nodes, no repetition.
TREE = build(
    ["AddBackward0", "AddBackward0", "AddBackward0", "MulBackward0", "MulBackward0", "AddBackward0", "AddBackward0"],
    [(0, 1, 0), (0, 2, 1), (1, 3, 0), (2, 4, 0), (3, 5, 0), (4, 6, 0)],
)


def boxes(graph: Graph) -> list[tuple[str, int, tuple[int, ...]]]:
    return [(n.op, n.repeat, n.members) for n in graph.nodes]


def links(graph: Graph) -> list[tuple[int, int, int]]:
    return [(e.source, e.target, e.slot) for e in graph.edges]


def test_bands_one_depth_deep_when_they_fit():
    """Four boxes allowed: one per depth, the nodes of one operation at one depth merged."""
    folded = fold(TREE, max_boxes=4)
    check_invariants(TREE, folded, max_boxes=4)
    assert boxes(folded) == [
        ("AddBackward0", 1, (0,)),
        ("AddBackward0", 2, (1, 2)),
        ("MulBackward0", 2, (3, 4)),
        ("AddBackward0", 2, (5, 6)),
    ]
    assert links(folded) == [(0, 1, 0), (0, 1, 1), (1, 2, 0), (2, 3, 0)]


def test_the_narrowest_bands_that_fit():
    """Three boxes allowed: bands of two depths (0-1 and 2-3), counted from the output."""
    folded = fold(TREE, max_boxes=3)
    check_invariants(TREE, folded, max_boxes=3)
    assert boxes(folded) == [("AddBackward0", 3, (0, 1, 2)), ("MulBackward0", 2, (3, 4)), ("AddBackward0", 2, (5, 6))]
    assert links(folded) == [(0, 1, 0), (1, 2, 0)]


def test_one_band_when_nothing_narrower_fits_and_edges_back_up_are_left_out():
    folded = fold(TREE, max_boxes=2)
    check_invariants(TREE, folded, max_boxes=2)
    assert boxes(folded) == [("AddBackward0", 5, (0, 1, 2, 5, 6)), ("MulBackward0", 2, (3, 4))]
    assert links(folded) == [(0, 1, 0)]  # Mul -> Add would point back up inside the band


def same_operation_path(length: int) -> Graph:
    """`length` MulBackward0 nodes in a row: coarsen alone (no chain folding before it) sees
    one operation at depths 0 .. length - 1."""
    return row(["MulBackward0"] * length)


@pytest.mark.parametrize(
    ("length", "max_boxes", "expected"),
    [(3, 2, [(0, 1), (2,)]), (4, 3, [(0, 1), (2, 3)]), (4, 2, [(0, 1), (2, 3)])],
)
def test_coarsen_bands_start_at_the_output_and_are_the_narrowest_that_fit(length, max_boxes, expected):
    """One depth per band gives `length` boxes, too many; bands of two depths fit, the first
    holding depths 0 and 1 (and a band that gives exactly max_boxes boxes fits)."""
    folded = coarsen(same_operation_path(length), max_boxes=max_boxes)
    assert [n.members for n in folded.nodes] == expected
    assert [(n.kind, n.repeat) for n in folded.nodes] == [("fold" if len(m) > 1 else "op", len(m)) for m in expected]


def test_the_narrowest_bands_that_fit_even_when_wider_ones_do_not():
    """Depths 0, 1, 2, 2, 3, 3. Bands of two depths give 4 boxes, of three 5 (too many), of
    four 3: with max_boxes = 4 the two-depth bands are chosen."""
    ops = ["MulBackward0", "AddBackward0", "SinBackward0", "MulBackward0", "MulBackward0", "SinBackward0"]
    raw = build(ops, [(0, 1, 1), (1, 2, 1), (0, 2, 0), (1, 3, 0), (2, 4, 1), (3, 5, 1)])
    folded = fold(raw, max_boxes=4)
    check_invariants(raw, folded, max_boxes=4)
    assert [(n.op, n.members) for n in folded.nodes] == [
        ("MulBackward0", (0,)),
        ("AddBackward0", (1,)),
        ("MulBackward0", (3, 4)),
        ("SinBackward0", (2, 5)),
    ]


def test_the_narrowest_bands_that_fit_are_not_missed_by_the_search():
    """Sin, Add, Mul, then Add and Mul, then Sin: depths 0, 1, 2, 3, 3, 4. Bands of two depths
    give 5 boxes and fit max_boxes = 5; bands of three give 6, of four 4. The narrowest bands
    that fit are two depths wide, so the two Adds (depths 1 and 3) stay apart."""
    ops = ["SinBackward0", "AddBackward0", "MulBackward0", "AddBackward0", "MulBackward0", "SinBackward0"]
    raw = build(ops, [(0, 1, 0), (1, 2, 0), (2, 3, 0), (2, 4, 1), (3, 5, 0)])
    folded = fold(raw, max_boxes=5)
    check_invariants(raw, folded, max_boxes=5)
    assert [n.members for n in folded.nodes] == [(0,), (1,), (2, 4), (3,), (5,)]


@pytest.mark.parametrize("batch", [1, 2, 3, 4_000_000], ids=lambda b: f"{b} entries a batch")
def test_every_width_is_counted_whichever_batch_it_falls_in(monkeypatch, batch):
    """The same graph as above, its widths counted in batches of every size: one width at a
    time (each batch a width), batches that end between the widths, all at once. With 4 boxes,
    bands of four depths fit (Sin, Add, Mul above, the last Sin alone)."""
    monkeypatch.setattr(folding, "WIDTH_BATCH_ENTRIES", batch)
    ops = ["SinBackward0", "AddBackward0", "MulBackward0", "AddBackward0", "MulBackward0", "SinBackward0"]
    raw = build(ops, [(0, 1, 0), (1, 2, 0), (2, 3, 0), (2, 4, 1), (3, 5, 0)])
    assert [n.members for n in fold(raw, max_boxes=5).nodes] == [(0,), (1,), (2, 4), (3,), (5,)]
    assert [n.members for n in fold(raw, max_boxes=4).nodes] == [(0,), (1, 3), (2, 4), (5,)]


def test_with_more_operations_than_boxes_every_depth_shares_one_band():
    """Six operations of four kinds in a row cannot fit 3 boxes at any width: one band, the
    fewest boxes there are (one per kind), and nothing merged across kinds."""
    ops = ["SinBackward0", "AddBackward0", "MulBackward0", "ExpBackward0", "SinBackward0", "AddBackward0"]
    raw = build(ops, [(i, i + 1, 0) for i in range(len(ops) - 1)])
    folded = fold(raw, max_boxes=3)
    check_invariants(raw, folded, max_boxes=len(raw.nodes))
    assert sorted(n.members for n in folded.nodes) == [(0, 4), (1, 5), (2,), (3,)]


def test_boxes_never_mix_operations_folded_chains_included():
    """a * 2 * 2 * 2 + sin(sin(sin(b))), chains folded already: the two chain boxes sit at one
    depth in no frame, yet stay two boxes; at one depth, boxes go in order of operation."""
    nodes = (
        Node(0, "op", op="AddBackward0"),
        Node(1, "fold", op="SinBackward0", repeat=3),
        Node(2, "fold", op="MulBackward0", repeat=3),
        Node(3, "op", op="AccumulateGrad"),
        Node(4, "op", op="AccumulateGrad"),
        Node(5, "leaf", name="a"),
        Node(6, "leaf", name="b"),
    )
    edges = (Edge(0, 1, 0), Edge(0, 2, 1), Edge(1, 3, 0), Edge(2, 4, 0), Edge(3, 5, 0), Edge(4, 6, 0))
    raw = Graph(nodes, edges)
    folded = fold(raw, max_boxes=4)
    check_invariants(raw, folded, max_boxes=4)
    assert [(n.kind, n.op, n.repeat, n.members) for n in folded.nodes] == [
        ("op", "AddBackward0", 1, (0,)),
        ("fold", "MulBackward0", 3, (2,)),
        ("fold", "SinBackward0", 3, (1,)),
        ("fold", "AccumulateGrad", 2, (3, 4, 5, 6)),
    ]


def test_a_leaf_box_comes_before_the_operations_at_its_depth():
    """trace((y, w)) with y = x * 2: the outputs are MulBackward0 and the leaf w, both at
    depth 0; x's leaf merges into its AccumulateGrad. Boxes go by depth, then operation, a
    leaf (no operation) first."""
    nodes = (
        Node(0, "op", op="MulBackward0"),
        Node(1, "leaf", name="w"),
        Node(2, "op", op="AccumulateGrad"),
        Node(3, "leaf", name="x"),
    )
    raw = Graph(nodes, (Edge(0, 2, 0), Edge(2, 3, 0)), outputs=(0, 1))
    folded = fold(raw, max_boxes=2)
    check_invariants(raw, folded, max_boxes=3)
    assert [(n.kind, n.members) for n in folded.nodes] == [("leaf", (1,)), ("op", (0,)), ("op", (2, 3))]
    assert folded.outputs == (1, 0)


def with_inputs() -> Graph:
    """TREE plus an untracked input read by the first Mul (node 7) and a parameter read by the
    second: its AccumulateGrad (node 8) and leaf (node 9)."""
    cut, accumulate, leaf = range(len(TREE.nodes), len(TREE.nodes) + 3)
    nodes = (*TREE.nodes, Node(cut, "cut"), Node(accumulate, "op", op="AccumulateGrad"), Node(leaf, "leaf"))
    edges = (*TREE.edges, Edge(3, cut, 1), Edge(4, accumulate, 1), Edge(accumulate, leaf, 0))
    return replace_graph(TREE, nodes=nodes, edges=edges)


def test_a_graph_that_fits_once_its_inputs_are_merged_into_their_readers_is_not_coarsened_further():
    """10 nodes; 8 once the cut input is merged into the Mul that reads it and the leaf into its
    AccumulateGrad. With max_boxes = 8 nothing else is merged."""
    raw = with_inputs()
    fits = len(raw.nodes) - 2
    folded = fold(raw, max_boxes=fits)
    check_invariants(raw, folded, max_boxes=fits)
    assert [n.members for n in folded.nodes] == [(0,), (1,), (2,), (3, 7), (4,), (5,), (6,), (8, 9)]
    assert [n.kind for n in folded.nodes] == ["op"] * fits


def test_a_cut_input_outside_its_readers_module_is_not_merged_into_it():
    """The module frame holds the Mul but not its untracked input: merging them would put the
    input inside the frame, so it stays a box of its own."""
    raw = with_inputs()
    raw = replace_graph(raw, groups=(Group("module", "scale (Scale)", (3,)),))
    folded = fold(raw, max_boxes=len(raw.nodes) - 1)
    check_invariants(raw, folded, max_boxes=len(raw.nodes) - 1)
    assert [n.kind for n in folded.nodes].count("cut") == 1
    assert [n.members for n in folded.nodes if n.kind == "cut"] == [(7,)]


def test_a_cut_input_of_a_folded_chain_is_merged_into_it():
    """A graph whose chain is folded already (a "fold" box: x * 2 three times) and reads an
    untracked input: coarsening merges the input into the chain's box."""
    nodes = (
        Node(0, "op", op="SumBackward0"),
        Node(1, "fold", op="MulBackward0", repeat=3),
        Node(2, "cut"),
        Node(3, "op", op="AccumulateGrad"),
    )
    raw = Graph(nodes, (Edge(0, 1, 0), Edge(1, 3, 0), Edge(1, 2, 1)))
    folded = fold(raw, max_boxes=3)
    check_invariants(raw, folded, max_boxes=3)
    assert [(n.kind, n.members) for n in folded.nodes] == [("op", (0,)), ("fold", (1, 2)), ("op", (3,))]


def test_coarsen_gives_back_a_graph_that_fits_with_nothing_to_merge():
    assert coarsen(TREE, max_boxes=len(TREE.nodes)) is TREE


@pytest.mark.parametrize("values", [(2.0, 2.0), (2.0, 3.0)], ids=["same", "different"])
def test_a_box_shows_the_saved_values_only_when_every_node_it_merges_has_them(values):
    """x * a + x * b: the two Mul nodes (one depth, one operation) become one box, which keeps
    their saved constant when a == b and shows none when they differ."""
    saved = [(Badge("other", Value((), (v,))),) for v in values]
    nodes = (
        Node(0, "op", op="AddBackward0"),
        Node(1, "op", op="MulBackward0", saved=saved[0]),
        Node(2, "op", op="MulBackward0", saved=saved[1]),
    )
    raw = Graph(nodes, (Edge(0, 1, 0), Edge(0, 2, 1)))
    folded = fold(raw, max_boxes=2)
    check_invariants(raw, folded, max_boxes=2)
    assert [(n.kind, n.repeat, n.members) for n in folded.nodes] == [("op", 1, (0,)), ("fold", 2, (1, 2))]
    assert folded.nodes[1].saved == (saved[0] if values[0] == values[1] else ())


def test_leaves_merged_into_one_box_stay_one_leaf_box():
    """Three parameters given as outputs (trace((w1, w2, w3))): three leaves, none with a
    reader; with one box allowed they share it, still a leaf box (no operation to count)."""
    leaves = 3
    raw = Graph(tuple(Node(i, "leaf", name=f"w{i}") for i in range(leaves)), (), outputs=tuple(range(leaves)))
    folded = fold(raw, max_boxes=1)
    check_invariants(raw, folded, max_boxes=1)
    assert [(n.kind, n.repeat, n.members) for n in folded.nodes] == [("leaf", 1, tuple(range(leaves)))]
    assert folded.outputs == (0,) and not folded.counts()


# --------------------------------------------------------------------------- carried through


def test_freed_is_carried_through_block_folding_merging_and_coarsening():
    """A graph traced after backward() freed its saved tensors says so (Graph.freed), and so
    does every folded form of it."""
    framed = replace_graph(repeated(BODY, 3), freed=True)
    assert fold(framed, max_boxes=len(BODY) + 2).freed is True
    merged = replace_graph(with_inputs(), freed=True)
    assert fold(merged, max_boxes=len(merged.nodes) - 2).freed is True
    coarsened = replace_graph(TREE, freed=True)
    assert fold(coarsened, max_boxes=2).freed is True
    assert fold(TREE, max_boxes=2).freed is False


def test_every_output_survives_merging_and_coarsening():
    """a = x * 2 and b = sin(x), both outputs (5 nodes): merging the cut input and the leaf
    leaves 3 boxes, and coarsening into bands still shows both outputs."""
    raw = small_two_outputs()
    for max_boxes in (3, 2):
        folded = fold(raw, max_boxes=max_boxes)
        check_invariants(raw, folded, max_boxes=len(raw.nodes))
        assert [folded.nodes[o].op for o in folded.outputs] == ["MulBackward0", "SinBackward0"]


# --------------------------------------------------------------------------- how much repeats


@pytest.mark.parametrize("min_repeat", [2, 3, 4])
def test_a_block_repeated_exactly_min_repeat_times_is_framed(min_repeat):
    raw = repeated(BODY, min_repeat)
    folded = fold(raw, max_boxes=len(BODY) + 2, min_repeat=min_repeat)
    check_invariants(raw, folded, max_boxes=len(BODY) + 2)
    (frame,) = folded.groups
    assert frame.repeat == min_repeat and frame.label == message("graph.repeat", count=min_repeat)
    assert [folded.nodes[m].op for m in frame.members] == BODY
    assert frame.covers == tuple(range(1, 1 + len(BODY) * min_repeat))


@pytest.mark.parametrize("min_repeat", [3, 4])
def test_a_block_repeated_one_time_fewer_than_min_repeat_is_not_framed(min_repeat):
    raw = repeated(BODY, min_repeat - 1)
    folded = fold(raw, max_boxes=len(BODY) + 2, min_repeat=min_repeat)
    check_invariants(raw, folded, max_boxes=len(BODY) + 2)
    assert not folded.groups  # coarsened instead: each operation's nodes in one box
    assert sorted(n.repeat for n in folded.nodes) == [1, 1] + [min_repeat - 1] * len(BODY)


def test_two_lone_pairs_are_no_repetition():
    """B B and D D: each a pair, too short for a chain or a block of min_repeat instances."""
    raw = row(["SumBackward0", "A", "B", "B", "C", "D", "D", "E"])
    folded = fold(raw, max_boxes=3)
    check_invariants(raw, folded, max_boxes=len(raw.nodes))
    assert not folded.groups
    assert [n.repeat for n in folded.nodes] == [1, 1, 2, 1, 2, 1]  # the pairs only coarsened


def test_a_block_of_one_operation_is_framed_with_every_instance():
    """x = x * w, six times, with one shared w: each Mul reads the next one (or x) and w's
    AccumulateGrad, so it is no chain; the block is one Mul, × 6, with w outside the frame."""
    times = 6
    ops = ["SumBackward0", *["MulBackward0"] * times, "AccumulateGrad", "AccumulateGrad"]
    x, w = times + 1, times + 2
    links = [(i, i + 1, 0) for i in range(times + 1)] + [(i, w, 1) for i in range(1, times + 1)]
    raw = build(ops, links)
    folded = fold(raw, max_boxes=4)
    check_invariants(raw, folded, max_boxes=4)
    (frame,) = folded.groups
    assert frame.repeat == times and [folded.nodes[m].op for m in frame.members] == ["MulBackward0"]
    (mul,) = frame.members
    assert {(e.target, e.slot) for e in folded.children[mul]} == {(holder(folded, x), 0), (holder(folded, w), 1)}


def period_row(period: int) -> Graph:
    """MIN_REPEAT instances of a block of `period` different operations, in a row."""
    return repeated([f"Op{i}Backward0" for i in range(period)], MIN_REPEAT)


def test_a_block_of_exactly_max_period_nodes_is_found():
    raw = period_row(MAX_PERIOD)
    folded = fold_blocks(raw)
    (frame,) = folded.groups
    assert frame.repeat == MIN_REPEAT and len(frame.members) == MAX_PERIOD
    assert len(folded.nodes) == MAX_PERIOD + 2


def test_a_block_one_node_longer_than_max_period_is_not_looked_for():
    raw = period_row(MAX_PERIOD + 1)
    assert fold_blocks(raw) is raw


# --------------------------------------------------------------------------- frames and modules

BLOCK = ["AddmmBackward0", "TanhBackward0"]  # one Linear + Tanh block of a Sequential
TIMES = 3  # blocks in the Sequential


def sequential(*groups: Group) -> Graph:
    """SumBackward0, then TIMES blocks in a row (block j is nodes 1 + 2j and 2 + 2j), then an
    AccumulateGrad; `groups` are the module frames traced around them."""
    return row(["SumBackward0", *BLOCK * TIMES, "AccumulateGrad"], groups=groups)


def block_nodes(j: int) -> tuple[int, int]:
    return (1 + 2 * j, 2 + 2 * j)


MODEL = tuple(range(1 + 2 * TIMES))  # the Sum and every block: "model" and "body" hold the same
NESTED = (
    Group("module", "model (Model)", MODEL),
    Group("module", "body (Sequential)", MODEL, parent=0),
    *(Group("module", f"body.{j} (Block)", block_nodes(j), parent=1) for j in range(TIMES)),
)


def test_a_frame_goes_into_the_innermost_module_that_holds_it_and_takes_the_module_that_is_its_instance():
    raw = sequential(*NESTED)
    folded = fold(raw, max_boxes=len(BLOCK) + 2)
    check_invariants(raw, folded, max_boxes=len(BLOCK) + 2)
    labels = [g.label for g in folded.groups]
    assert labels == ["model (Model)", "body (Sequential)", "body.0 (Block)", message("graph.repeat", count=TIMES)]
    model, body, block, frame = folded.groups
    assert frame.members == block.members == (1, 2)
    # "model" and "body" hold the frame and the same nodes: it goes into the later, inner one
    assert (model.parent, body.parent) == (None, 0) and frame.parent == 1
    assert block.parent == 3, "the module that is exactly the kept instance moves into the frame"


def test_a_module_inside_the_module_that_is_the_instance_stays_inside_it():
    """body.j holds block j, body.j.act its Tanh only: once folded, "body.0.act" must still sit
    in "body.0", itself in the frame (the frame must not take it away from its module)."""
    acts = tuple(Group("module", f"body.{j}.act (Tanh)", (block_nodes(j)[1],), parent=2 + j) for j in range(TIMES))
    raw = sequential(*NESTED, *acts)
    folded = fold(raw, max_boxes=len(BLOCK) + 2)
    check_invariants(raw, folded, max_boxes=len(BLOCK) + 2)
    index = {g.label: i for i, g in enumerate(folded.groups)}
    frame = index[message("graph.repeat", count=TIMES)]
    assert folded.groups[index["body.0 (Block)"]].parent == frame
    assert folded.groups[index["body.0.act (Tanh)"]].parent == index["body.0 (Block)"]


def test_a_module_entirely_outside_the_block_does_not_stop_it():
    head = Group("module", "head (Sum)", (0,))
    raw = sequential(head, *(Group("module", f"body.{j} (Block)", block_nodes(j)) for j in range(TIMES)))
    folded = fold(raw, max_boxes=len(BLOCK) + 2)
    check_invariants(raw, folded, max_boxes=len(BLOCK) + 2)
    assert [g.label for g in folded.groups] == ["head (Sum)", "body.0 (Block)", message("graph.repeat", count=TIMES)]
    assert [g.parent for g in folded.groups] == [None, 2, None]


SHARED_ACT = Group("module", "act (Tanh)", tuple(block_nodes(j)[1] for j in range(TIMES)))  # called by every block


@pytest.mark.parametrize(
    "before",
    [
        pytest.param((), id="alone"),
        pytest.param((Group("module", "head (Sum)", (0,)),), id="after a module outside the block"),
        pytest.param(
            tuple(Group("module", f"body.{j} (Block)", block_nodes(j)) for j in range(TIMES)),
            id="after modules inside one instance each",
        ),
    ],
)
def test_a_block_that_would_cut_a_module_is_not_folded(before):
    """One Tanh module used by every block holds a part of each instance: a frame around one
    instance would cut it, so the blocks stay apart (and are coarsened)."""
    raw = sequential(*before, SHARED_ACT)
    folded = fold(raw, max_boxes=len(BLOCK) + 2)
    check_invariants(raw, folded, max_boxes=len(raw.nodes))
    assert not frames(folded)


# --------------------------------------------------------------------------- edges of a folded block


@pytest.mark.parametrize("times", [2, 3])
def test_edges_re_targeted_from_hidden_instances_become_one_edge_per_pair_of_boxes(times):
    """y = y * y, `times` times: the last Mul reads x's AccumulateGrad at slots 0 and 1. In the
    frame (× times, min_repeat = times) the kept Mul shows one edge to it."""
    ops = ["SumBackward0", *["MulBackward0"] * times, "AccumulateGrad"]
    raw = row(ops, extra=[(i, i + 1, 1) for i in range(1, times + 1)])
    folded = fold(raw, max_boxes=3, min_repeat=times)
    check_invariants(raw, folded, max_boxes=3)
    (frame,) = folded.groups
    assert frame.repeat == times and frame.members == (1,)
    assert edges_between(folded, 1, 2) == [Edge(1, 2, 0)]
    assert not edges_between(folded, 1, 1)


def test_a_stack_of_every_state_keeps_its_edge_and_one_for_the_hidden_instances():
    """stack([h_1, h_2, h_3]): the Stack reads every instance's Add (slot j for instance j).
    That does not stop the block; the Stack keeps its edge to the kept Add and one more edge
    standing for the hidden instances."""
    ops = ["SumBackward0", "StackBackward0", *["AddBackward0", "TanhBackward0"] * TIMES, "AccumulateGrad"]
    raw = row(ops, extra=[(1, 2 + 2 * j, j) for j in range(1, TIMES)])
    folded = fold(raw, max_boxes=5)
    check_invariants(raw, folded, max_boxes=5)
    (frame,) = folded.groups
    assert frame.repeat == TIMES and frame.members == (2, 3)
    assert sorted(e.slot for e in edges_between(folded, 1, 2)) == [0, 1]


def test_an_input_read_twice_keeps_both_edges_inside_above_and_below_the_frame():
    """h = addcmul(tanh(h), w, w) three times, then z = h * h: z reads the block twice (slots 0
    and 1), every block reads the shared w twice (slots 1 and 2). The kept instance's own edges
    are never merged, whatever their slots."""
    ops = ["MulBackward0", *["AddcmulBackward0", "TanhBackward0"] * TIMES, "AccumulateGrad", "AccumulateGrad"]
    x, w = len(ops) - 2, len(ops) - 1
    links = [(0, 1, 0), (0, 1, 1)]
    for j in range(TIMES):
        add, tanh = 1 + 2 * j, 2 + 2 * j
        links += [(add, tanh, 0), (tanh, add + 2 if j < TIMES - 1 else x, 0), (add, w, 1), (add, w, 2)]
    raw = build(ops, links)
    folded = fold(raw, max_boxes=5)
    check_invariants(raw, folded, max_boxes=5)
    (frame,) = folded.groups
    assert frame.repeat == TIMES and frame.members == (1, 2)
    assert sorted(e.slot for e in edges_between(folded, 0, 1)) == [0, 1]
    assert sorted(e.slot for e in edges_between(folded, 1, holder(folded, w))) == [1, 2]
    assert edges_between(folded, 2, holder(folded, x)) == [Edge(2, holder(folded, x), 0)]


# --------------------------------------------------------------------------- what stops a block


FIBONACCI = 5  # operations f_i = op(f_{i+1}, f_{i+2}) in a row


def fibonacci() -> Graph:
    """f_i = op(f_{i+1}, f_{i+2}), FIBONACCI times: each A reads the next two A's (slots 0, 1)."""
    extra = [(i, i + 2, 1) for i in range(1, FIBONACCI)]
    return row(["SumBackward0", *["A"] * FIBONACCI, "AccumulateGrad"], extra=extra)


def test_a_block_whose_instances_reach_two_instances_down_is_not_folded():
    """With one A per instance, an edge skips an instance, which one kept instance cannot
    show: the five A's are not framed, only coarsened into one box."""
    raw = fibonacci()
    folded = fold(raw, max_boxes=3)
    check_invariants(raw, folded, max_boxes=3)
    assert not folded.groups
    assert [(n.op, n.repeat) for n in folded.nodes] == [("SumBackward0", 1), ("A", FIBONACCI), ("AccumulateGrad", 1)]


def test_with_two_operations_per_instance_the_skip_reaches_only_the_next_instance():
    """min_repeat = 2 allows instances of two A's: then every edge stays inside an instance or
    goes to the next one, and the first four A's fold into one frame × 2 (the fifth stays out)."""
    raw = fibonacci()
    folded = fold(raw, max_boxes=3, min_repeat=2)
    check_invariants(raw, folded, max_boxes=len(raw.nodes))
    (frame,) = folded.groups
    assert frame.repeat == 2 and frame.covers == (1, 2, 3, 4)
    assert [folded.nodes[m].members for m in frame.members] == [(1, 2)]  # the kept instance, one box
    assert [n.members for n in folded.nodes if n.index not in frame.members] == [(0,), (5,), (6,)]


def test_a_second_output_reading_a_middle_instance_stops_the_block():
    """A second loss reads the state after the second of three layers: the kept instance could
    not show which layer it reads, so the layers are not framed."""
    ops = ["SumBackward0", *BODY * 3, "AccumulateGrad", "SumBackward0"]
    second = len(ops) - 1
    middle = 1 + len(BODY)  # the Add of the second layer
    raw = build(ops, [(i, i + 1, 0) for i in range(len(ops) - 2)] + [(second, middle, 0)], outputs=(0, second))
    folded = fold(raw, max_boxes=len(BODY) + 3)
    check_invariants(raw, folded, max_boxes=len(BODY) + 3)
    assert not folded.groups
    # the same second output reading the first layer's Add (the kept instance) is framed
    first = build(ops, [(i, i + 1, 0) for i in range(len(ops) - 2)] + [(second, 1, 0)], outputs=(0, second))
    (frame,) = fold(first, max_boxes=len(BODY) + 3).groups
    assert frame.repeat == 3


def test_a_node_every_instance_reads_that_lies_on_the_path_itself_stops_the_block():
    """x = c * c, then x = x * c twice: every product reads the one below and c, and c is a
    product too, the last one on the path. c cannot be both an instance and shared: no frame,
    and no failure."""
    products = 4
    last = products
    raw = row(["SumBackward0", *["MulBackward0"] * products], extra=[(i, last, 1) for i in range(1, products)])
    folded = fold(raw, max_boxes=2)
    check_invariants(raw, folded, max_boxes=2)
    assert not folded.groups
    assert [(n.op, n.repeat) for n in folded.nodes] == [("SumBackward0", 1), ("MulBackward0", products)]


# --------------------------------------------------------------------------- nested frames


def test_an_outer_block_found_only_once_its_inner_loops_are_framed_takes_them_in():
    """An outer loop of three instances, each an inner loop of A, B, C run 171 times and a D:
    an outer instance (514 nodes) is longer than MAX_PERIOD, so each inner loop is framed first;
    then the outer block repeats and its frame takes in the kept inner frame. The inner frames
    of the hidden instances vanish, their covers counted by the outer frame."""
    inner = ["A", "B", "C"]
    runs = MAX_PERIOD // len(inner) + 1
    outer = [*inner * runs, "D"]
    assert len(outer) > MAX_PERIOD
    times = 3
    raw = repeated(outer, times)
    folded = fold(raw, max_boxes=len(inner) + 3)
    check_invariants(raw, folded, max_boxes=len(inner) + 3)
    assert [(g.repeat, g.parent) for g in folded.groups] == [(runs, 1), (times, None)]
    inner_frame, outer_frame = folded.groups
    assert [folded.nodes[m].op for m in outer_frame.members] == [*inner, "D"]
    assert set(inner_frame.covers) | set(outer_frame.covers) == set(range(1, 1 + len(outer) * times))


def test_frames_that_end_up_around_the_same_boxes_still_nest_in_the_order_found():
    """Four blocks B, C, C': B reads C twice and C', C reads C' and the next block's B, at
    slot 1 except from the second block to the third (slot 2). So the blocks pair up: the two
    pairs fold (× 2, 12 nodes), then the two blocks of the kept pair (× 2, 6 nodes), then C
    and C' (× 2, 2 nodes). The first two frames then hold the same boxes; each later frame
    must still sit inside the one found before it, and every raw node be accounted for once."""
    blocks = 4
    ops, links = [], []
    for j in range(blocks):
        b, c, c2 = 3 * j, 3 * j + 1, 3 * j + 2
        ops += ["B", "C", "C"]
        links += [(b, c, 0), (b, c, 1), (b, c2, 2), (c, c2, 0)]
        if j + 1 < blocks:
            links.append((c, b + 3, 2 if j == 1 else 1))
    raw = build(ops, links)
    folded = fold(raw, max_boxes=1, min_repeat=2)
    assert [(g.repeat, len(g.covers)) for g in folded.groups] == [(2, 12), (2, 6), (2, 2)]
    assert [g.parent for g in folded.groups] == [None, 0, 1]
    check_invariants(raw, folded, max_boxes=len(raw.nodes))


# --------------------------------------------------------------------------- which nodes pair up


def test_a_dropped_reader_drops_the_inputs_it_alone_pairs():
    """outer = cat(a, inner, tanh(...)) and inner = cat(b): two Cats in a row, each reading its
    own parameter first, only the outer one reading a Tanh too. The Cats are no repetition, so
    neither are the parameters each reads: nothing is framed."""
    ops = ["SumBackward0", "CatBackward0", "AccumulateGrad", "CatBackward0", "AccumulateGrad", "TanhBackward0"]
    raw = build(ops, [(0, 1, 0), (1, 2, 0), (1, 3, 1), (1, 5, 2), (3, 4, 0)])
    folded = fold(raw, max_boxes=1, min_repeat=2)
    check_invariants(raw, folded, max_boxes=len(raw.nodes))
    assert not folded.groups


def test_a_dropped_input_drops_the_readers_it_alone_pairs():
    """a2 = a4 + tanh(...), and the outputs a2 * a2 and a4 * a4. The two Adds differ (only a2
    reads a Tanh), so the two squares reading them are no repetition either."""
    ops = ["SumBackward0", "MulBackward0", "AddBackward0", "MulBackward0", "AddBackward0", "TanhBackward0"]
    links = [(0, 1, 0), (1, 2, 0), (1, 2, 1), (3, 4, 0), (3, 4, 1), (2, 4, 0), (2, 5, 1)]
    raw = build(ops, links, outputs=(0, 3))
    folded = fold(raw, max_boxes=1, min_repeat=2)
    check_invariants(raw, folded, max_boxes=len(raw.nodes))
    assert not folded.groups


def test_inputs_of_different_operations_never_pair_up():
    """y = w * z and z = exp(...) * ...: two Muls in a row whose first inputs differ (w's
    AccumulateGrad, an Exp). Pairing the two would count an Exp as an AccumulateGrad."""
    ops = ["SumBackward0", "MulBackward0", "AccumulateGrad", "MulBackward0", "ExpBackward0"]
    raw = build(ops, [(0, 1, 0), (1, 2, 0), (1, 3, 1), (3, 4, 0)])
    folded = fold(raw, max_boxes=1, min_repeat=2)
    check_invariants(raw, folded, max_boxes=len(raw.nodes))
    assert not folded.groups


def test_a_layer_whose_weight_is_computed_is_not_like_the_others():
    """Four residual layers; one layer's weight is w * 1.0 (a MulBackward0 where the others
    have an AccumulateGrad). No frame pairs that Mul with an AccumulateGrad: counts stay exact."""
    layers, odd = 4, 1
    ops, links, adds = ["SumBackward0"], [], []
    for j in range(layers):
        adds.append(len(ops))
        ops += ["AddBackward0", "TanhBackward0", "MvBackward0", "MulBackward0" if j == odd else "AccumulateGrad"]
    x = len(ops)
    ops.append("AccumulateGrad")
    links.append((0, adds[0], 0))
    for j, add in enumerate(adds):
        below = adds[j + 1] if j + 1 < layers else x
        links += [(add, below, 0), (add, add + 1, 1), (add + 1, add + 2, 0), (add + 2, add + 3, 0), (add + 2, below, 1)]
    raw = build(ops, links)
    for min_repeat in (2, 3):
        folded = fold(raw, max_boxes=1, min_repeat=min_repeat)
        check_invariants(raw, folded, max_boxes=len(raw.nodes))
        assert not folded.groups


def test_a_second_reader_of_the_first_instance_stays_outside_the_frame():
    """a = tanh(x), b = tanh(a); the outputs are cat(b, a) and tanh(b). Along the path from
    the first output, b and a are a block of one Tanh × 2; the second output's Tanh reads the
    first instance (b) only, so it stays outside and reads the kept Tanh."""
    ops = ["CatBackward0", "TanhBackward0", "TanhBackward0", "TanhBackward0", "AccumulateGrad"]
    raw = build(ops, [(0, 2, 0), (0, 3, 1), (1, 2, 0), (2, 3, 0), (3, 4, 0)], outputs=(0, 1))
    folded = fold(raw, max_boxes=3, min_repeat=2)
    check_invariants(raw, folded, max_boxes=len(raw.nodes))
    (frame,) = folded.groups
    assert frame.repeat == 2 and frame.covers == (2, 3)
    (kept,) = frame.members
    assert edges_between(folded, holder(folded, 1), kept) == [Edge(holder(folded, 1), kept, 0)]
    assert sorted(e.slot for e in edges_between(folded, holder(folded, 0), kept)) == [0, 1]


def test_a_square_read_with_its_input_by_one_node_is_a_block_of_two():
    """p = A(q, q), r = A(s, s) and s = A(z), all read by one A(p, q, r). Along the longest path
    the top A, r and s look like three instances, but only the top A reads p and q, so that
    block fails; p and q then fold × 2 (the top A reads both instances, which a frame shows)."""
    ops = ["SumBackward0", "A", "A", "A", "A", "A", "AccumulateGrad"]
    links = [(0, 1, 0), (1, 2, 0), (1, 3, 1), (1, 4, 2), (2, 3, 0), (2, 3, 1), (4, 5, 0), (4, 5, 1), (5, 6, 0)]
    raw = build(ops, links)
    folded = fold(raw, max_boxes=1, min_repeat=2)
    check_invariants(raw, folded, max_boxes=len(raw.nodes))
    (frame,) = folded.groups
    assert frame.repeat == 2 and frame.covers == (2, 3)


def test_a_node_met_first_from_a_later_instance_still_joins_the_first():
    """Three steps of a recurrence, each an output of its own: the step's loss (Mul) reads its
    state (Addmm) and its parameter; the state reads the parameter, a side Mul and the state
    of the step below. A small head above reads the first step's state with a Mul too, so that
    state has two Mul readers and the first step's loss is not paired from it; it is paired
    later, from the parameters, after the losses of steps 2 and 3. It must still join the first
    instance: the three steps fold into one frame × 3."""
    steps = 3
    ops = ["SumBackward0", "MulBackward0", "AddmmBackward0", "MulBackward0"]  # the head
    links = [(0, 1, 0), (1, 2, 0), (2, 3, 0)]
    first = len(ops)
    for j in range(steps):
        loss = first + 4 * j
        state, parameter, side = loss + 1, loss + 2, loss + 3
        ops += ["MulBackward0", "AddmmBackward0", "AccumulateGrad", "MulBackward0"]
        links += [(loss, state, 0), (loss, parameter, 2), (state, parameter, 0), (state, side, 1)]
        if j + 1 < steps:
            links.append((state, state + 4, 3))
    links.append((3, first + 1, 0))  # the head's last Mul reads the first step's state
    raw = build(ops, links, outputs=(0, *(first + 4 * j for j in range(steps))))
    folded = fold(raw, max_boxes=1, min_repeat=2)
    check_invariants(raw, folded, max_boxes=len(raw.nodes))
    (frame,) = folded.groups
    assert frame.repeat == steps and frame.covers == tuple(range(first, len(ops)))
    assert holder(folded, first) in frame.members  # the first step's loss
