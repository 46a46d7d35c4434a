"""Module frames carried over to a folded graph, fold()'s arguments and limits, and which
repetition block folding finds first.

`regroup(raw, folded)` gives a folded graph the module frames of its unfolded one. These tests
pin, on small hand-made graphs, what a learner sees of them: a frame keeps its kind, name and
label and holds the folded boxes that stand for its nodes (a box with no members stands for the
node of its own number); a frame left without boxes disappears and the frames inside it move
up to the nearest frame that is kept; module frames the folded graph already had are replaced;
a repeat frame sits inside the module that holds it, a module inside the repeat frame it lies
in (between the module and a parent that holds the whole block), and a module that only partly
overlaps a repeat frame is left out, the frames after it renumbered.

For fold() itself: each bad argument is named in the catalogue's message, in both languages,
with the least value it accepts and the value given; the least values are accepted; a graph of
exactly `max_boxes` nodes comes back as it is, and a graph that chain folding brings to exactly
`max_boxes` is not coarsened; `min_repeat` and `max_boxes` reach chain folding and coarsening.
For block folding: a graph of exactly `max_boxes` nodes is left alone, a cyclic one too, the
candidate hiding the most nodes wins, a rejected candidate lets the next one be tried, a path
exactly `min_repeat` long is searched, and a short path does not stop the search of the others;
longest paths follow the first of two equally long branches and the second branch is searched
as well.
"""

from __future__ import annotations

from dataclasses import replace

import pytest
import torch

from autograd_lessons import LessonError, set_language
from autograd_lessons.folding import fold, fold_blocks, regroup
from autograd_lessons.graph import Edge, Graph, Group, Node, trace
from autograd_lessons.i18n import message
from autograd_lessons.modules import record_modules
from invariants import crossing_groups

LANGUAGES = ["en", "pt"]


# --------------------------------------------------------------------------- builders


def plain(count: int, groups=()) -> Graph:
    """`count` unconnected operations, each standing for itself, with `groups`."""
    nodes = tuple(Node(i, "op", op="TanhBackward0") for i in range(count))
    return Graph(nodes, (), groups=tuple(groups))


def build(ops: list[str], links, *, groups=(), outputs=(0,)) -> Graph:
    """Operation nodes named `ops` and the edges (source, target, slot)."""
    nodes = tuple(Node(i, "leaf" if op == "leaf" else "op", op="" if op == "leaf" else op) for i, op in enumerate(ops))
    edges = tuple(Edge(source, target, slot) for source, target, slot in links)
    return Graph(nodes, edges, outputs=outputs, groups=tuple(groups))


def row(ops: list[str], *, groups=(), outputs=(0,)) -> Graph:
    """Operations in a row, ops[0] the output, each reading the next one at slot 0."""
    return build(ops, [(i, i + 1, 0) for i in range(len(ops) - 1)], groups=groups, outputs=outputs)


def module(label: str, members, parent=None) -> Group:
    return Group("module", label, tuple(members), parent=parent, name=label.split(" ")[0])


def repeat(members, times: int = 3, parent=None) -> Group:
    return Group("repeat", f"× {times}", tuple(members), repeat=times, parent=parent)


def frames(graph: Graph) -> list[tuple[str, str, tuple[int, ...], int | None]]:
    """Each frame as (kind, label, members, parent)."""
    return [(g.kind, g.label, g.members, g.parent) for g in graph.groups]


def carried(modules, repeats, count: int) -> list[tuple[str, str, tuple[int, ...], int | None]]:
    """The frames of a folded graph of `count` boxes (one per raw node) with repeat frames
    `repeats`, once the raw graph's `modules` are carried over."""
    return frames(regroup(plain(count, modules), plain(count, repeats)))


# --------------------------------------------------------------------------- regroup: carrying over


HIDDEN = 4  # a raw node hidden in a repeat frame's covers: no folded box stands for it
RAW_SIZE = 8


def raw_with_modules() -> Graph:
    """Raw groups: a repeat frame (not a module), "enc" over nodes 0..5, "enc.gone" over the
    hidden node only, "enc.gone.act" (inside "enc.gone") over node 5, "enc.lin" over 1 and 2."""
    return plain(
        RAW_SIZE,
        [
            repeat((6, 7), times=2),
            module("enc (Sequential)", range(6)),
            module("enc.gone (Linear)", (HIDDEN,), parent=1),
            module("enc.gone.act (Tanh)", (5,), parent=2),
            module("enc.lin (Linear)", (1, 2), parent=1),
        ],
    )


def folded_boxes() -> Graph:
    """Box 0 stands for raw node 0 (no members), box 1 for raw 1 and 2, box 2 for raw 3 and 5,
    box 3 for raw 6 and 7 in a repeat frame; a stale module frame is to be replaced."""
    nodes = (
        Node(0, "op", op="SumBackward0"),
        Node(1, "fold", op="TanhBackward0", repeat=2, members=(1, 2)),
        Node(2, "fold", op="TanhBackward0", repeat=2, members=(3, 5)),
        Node(3, "fold", op="TanhBackward0", repeat=2, members=(6, 7)),
    )
    groups = (module("stale (Linear)", (0, 1, 2, 3)), repeat((3,), times=2))
    return Graph(nodes, (), groups=groups)


def test_module_frames_hold_the_boxes_that_stand_for_their_nodes_and_skip_empty_frames():
    raw, folded = raw_with_modules(), folded_boxes()
    result = regroup(raw, folded)
    assert result.nodes == folded.nodes
    assert [(g.kind, g.name, g.label, g.members, g.parent) for g in result.groups] == [
        ("repeat", "", "× 2", (3,), None),
        ("module", "enc", "enc (Sequential)", (0, 1, 2), None),
        ("module", "enc.gone.act", "enc.gone.act (Tanh)", (2,), 1),  # its parent held no box
        ("module", "enc.lin", "enc.lin (Linear)", (1,), 1),
    ]


def test_a_graph_that_was_not_folded_or_has_no_modules_comes_back_as_it_is():
    raw = raw_with_modules()
    assert regroup(raw, raw) is raw
    folded = folded_boxes()
    assert regroup(plain(RAW_SIZE), folded) is folded  # its own module frame is kept too


# --------------------------------------------------------------------------- regroup: modules and repeats


def test_a_repeat_frame_goes_into_the_module_that_holds_it():
    assert carried([module("m (Sequential)", (0, 1, 2, 3))], [repeat((1, 2))], 4) == [
        ("repeat", "× 3", (1, 2), 1),
        ("module", "m (Sequential)", (0, 1, 2, 3), None),
    ]


def test_a_repeat_frame_with_the_same_boxes_as_a_module_goes_into_it():
    assert carried([module("m (Linear)", (0, 1))], [repeat((0, 1))], 2) == [
        ("repeat", "× 3", (0, 1), 1),
        ("module", "m (Linear)", (0, 1), None),
    ]


def test_a_module_apart_from_the_repeat_frame_stays_at_the_top():
    assert carried([module("m (Linear)", (3,))], [repeat((0, 1))], 4) == [
        ("repeat", "× 3", (0, 1), None),
        ("module", "m (Linear)", (3,), None),
    ]


def test_a_module_inside_the_repeat_frame_goes_into_it():
    assert carried([module("m (Linear)", (1,))], [repeat((0, 1, 2))], 3) == [
        ("repeat", "× 3", (0, 1, 2), None),
        ("module", "m (Linear)", (1,), 0),
    ]


def test_a_module_inside_a_module_inside_the_repeat_frame_keeps_its_parent():
    modules = [module("p (Sequential)", (0, 1, 2)), module("p.0 (Linear)", (1,), parent=0)]
    assert carried(modules, [repeat((0, 1, 2, 3))], 4) == [
        ("repeat", "× 3", (0, 1, 2, 3), None),
        ("module", "p (Sequential)", (0, 1, 2), 0),
        ("module", "p.0 (Linear)", (1,), 1),
    ]


def test_the_repeat_frame_sits_between_a_module_and_the_parent_with_the_same_boxes():
    modules = [module("p (Sequential)", (0, 1, 2)), module("p.0 (Linear)", (1,), parent=0)]
    assert carried(modules, [repeat((0, 1, 2))], 3) == [
        ("repeat", "× 3", (0, 1, 2), 1),
        ("module", "p (Sequential)", (0, 1, 2), None),
        ("module", "p.0 (Linear)", (1,), 0),
    ]


def test_a_module_partly_inside_the_repeat_frame_is_left_out_and_later_frames_renumbered():
    modules = [
        module("a (Linear)", (2, 3)),  # boxes 0..2 are the repeat frame: "a" would cross it
        module("b (Sequential)", (4, 5)),
        module("b.0 (Tanh)", (5,), parent=1),
    ]
    assert carried(modules, [repeat((0, 1, 2))], 6) == [
        ("repeat", "× 3", (0, 1, 2), None),
        ("module", "b (Sequential)", (4, 5), None),
        ("module", "b.0 (Tanh)", (5,), 1),
    ]


def test_nested_modules_holding_a_repeat_frame_are_both_kept():
    modules = [module("o (Sequential)", (0, 1, 2, 3, 4)), module("o.0 (Sequential)", (0, 1, 2), parent=0)]
    labels = [g.label for g in regroup(plain(5, modules), plain(5, [repeat((0, 1))])).groups]
    assert labels == ["× 3", "o (Sequential)", "o.0 (Sequential)"]


def hiding(members, covers, times: int = 3, parent=None) -> Group:
    """A repeat frame over the boxes `members` that stands for the raw nodes `covers` (those
    no box stands for are the nodes it hides)."""
    return Group("repeat", f"× {times}", tuple(members), repeat=times, parent=parent, covers=tuple(covers))


def test_a_module_with_the_frames_boxes_that_runs_every_instance_holds_the_frame():
    """Box 1 stands for raw node 1; the frame hides raw 2 and 3 (the other instances). The
    module ran all three: it holds the frame."""
    assert carried_over([module("body (Sequential)", (1, 2, 3))], [hiding((1,), (1, 2, 3))]) == [
        ("repeat", "× 3", (1,), 1),
        ("module", "body (Sequential)", (1,), None),
    ]


def test_a_module_with_the_frames_boxes_that_is_one_instance_lies_in_the_frame():
    """The same frame; the module ran the kept instance only (raw node 1): "× 3" repeats it."""
    assert carried_over([module("body.2 (Block)", (1,))], [hiding((1,), (1, 2, 3))]) == [
        ("repeat", "× 3", (1,), None),
        ("module", "body.2 (Block)", (1,), 0),
    ]


def test_nodes_an_inner_frame_hides_do_not_put_a_module_around_the_outer_frame():
    """An outer frame stands for raw 1 to 5, found first; an inner one, inside it on the same
    box, then hid raw 2 and 3, so the outer frame itself hides 4 and 5 only. A module that ran
    the inner instances (1, 2, 3) holds the inner frame and lies in the outer one; a module
    that ran everything holds both."""
    frames_ = [hiding((1,), (1, 2, 3, 4, 5), times=2), hiding((1,), (1, 2, 3), parent=0)]
    inner_loop = module("cell (Loop)", (1, 2, 3))
    assert carried_over([inner_loop], frames_) == [
        ("repeat", "× 2", (1,), None),
        ("repeat", "× 3", (1,), 2),
        ("module", "cell (Loop)", (1,), 0),
    ]
    everything = module("model (Model)", range(6))
    assert carried_over([everything, replace(inner_loop, parent=0)], frames_) == [
        ("repeat", "× 2", (1,), 2),
        ("repeat", "× 3", (1,), 3),
        ("module", "model (Model)", (0, 1), None),
        ("module", "cell (Loop)", (1,), 0),
    ]


def test_a_frame_inside_a_frame_stays_there_beside_an_unrelated_module():
    """No module holds either frame: the inner one keeps the outer one as its parent."""
    frames_ = [hiding((1,), (1, 2, 3, 4, 5), times=2), hiding((1,), (1, 2, 3), parent=0)]
    assert carried_over([module("head (Linear)", (0,))], frames_) == [
        ("repeat", "× 2", (1,), None),
        ("repeat", "× 3", (1,), 0),
        ("module", "head (Linear)", (0,), None),
    ]


def test_a_module_apart_from_the_first_frame_still_nests_with_the_next():
    frames_ = [hiding((0,), (0, 2)), hiding((1,), (1, 3))]
    assert carried_over([module("body.1 (Block)", (1,))], frames_) == [
        ("repeat", "× 3", (0,), None),
        ("repeat", "× 3", (1,), None),
        ("module", "body.1 (Block)", (1,), 1),
    ]


def test_frames_are_nested_through_the_folded_graphs_own_modules():
    """The folded graph has a module between its two frames (outer frame, module, inner frame):
    the inner frame still lies in the outer one, so the nodes it hides are not the outer's."""
    folded = plain(
        2,
        [
            hiding((1,), (1, 2, 3, 4, 5), times=2),
            module("stale (Loop)", (1,), parent=0),
            hiding((1,), (1, 2, 3), parent=1),
        ],
    )
    carried = frames(regroup(plain(6, [module("cell (Loop)", (1, 2, 3))]), folded))
    assert carried == [
        ("repeat", "× 2", (1,), None),
        ("repeat", "× 3", (1,), 2),
        ("module", "cell (Loop)", (1,), 0),
    ]


def test_a_new_frame_goes_into_the_deepest_group_that_holds_it_not_the_latest():
    """An inner frame found first (index 0), then the outer one around it (index 1): a third
    frame held by both goes into the inner one."""
    from autograd_lessons.folding import _frame

    groups = [hiding((1, 2), (), parent=1), hiding((0, 1, 2), ())]
    placed = _frame(groups, hiding((2,), ()), holds=[True, True])
    assert [g.parent for g in placed] == [1, None, 0]


def carried_over(modules, repeats) -> list[tuple[str, str, tuple[int, ...], int | None]]:
    """As `carried`, on a raw graph of 6 nodes and a folded one of 2 boxes (box j standing for
    raw node j; raw nodes 2 to 5 stand for no box)."""
    return frames(regroup(plain(6, modules), plain(2, repeats)))


# --------------------------------------------------------------------------- regroup on a traced model

WIDTH = 4  # features of every Linear layer
LAYERS = 6  # Linear + Tanh pairs in the inner Sequential, folded into one "× 6" frame


def nested_model_graphs() -> tuple[Graph, Graph]:
    """Sequential(Linear, Sequential(ReLU, Sequential((Linear, Tanh) × LAYERS))), traced with
    its modules, and its folded graph with the module frames carried over."""
    torch.manual_seed(0)
    layers = [layer for _ in range(LAYERS) for layer in (torch.nn.Linear(WIDTH, WIDTH), torch.nn.Tanh())]
    body = torch.nn.Sequential(*layers)
    model = torch.nn.Sequential(torch.nn.Linear(WIDTH, WIDTH), torch.nn.Sequential(torch.nn.ReLU(), body))
    with record_modules(model):
        out = model(torch.randn(1, WIDTH)).sum()
    raw = trace(out, modules=model)
    return raw, regroup(raw, fold_blocks(raw, max_boxes=1))


def test_every_frame_of_a_folded_model_lies_inside_its_parent_and_overlapping_frames_nest():
    raw, view = nested_model_graphs()
    (block,) = [g for g in view.groups if g.kind == "repeat"]
    assert block.repeat == LAYERS
    for group in view.groups:
        if group.parent is not None:
            parent = view.groups[group.parent]
            assert set(group.members) <= set(parent.members), (group.label, parent.label)
    assert not crossing_groups(view), "two frames that share a box lie one inside the other"


# --------------------------------------------------------------------------- fold(): arguments


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(
    ("arguments", "name", "minimum", "value"),
    [({"max_boxes": 0}, "max_boxes", 1, "0"), ({"min_repeat": 1}, "min_repeat", 2, "1")],
)
def test_a_bad_argument_is_named_with_its_least_value_and_the_value_given(language, arguments, name, minimum, value):
    set_language(language)
    with pytest.raises(LessonError) as error:
        fold(row(["SumBackward0", "TanhBackward0"]), **arguments)
    expected = message("graph.fold.error.argument", language=language, name=name, minimum=minimum, value=value)
    assert str(error.value) == expected


CHAIN = ["SumBackward0", "TanhBackward0", "TanhBackward0", "TanhBackward0", "AccumulateGrad", "leaf"]
CHAIN_FOLDED = len(CHAIN) - 2  # the three Tanh become one box


def test_the_least_arguments_are_accepted():
    folded = fold(row(CHAIN), max_boxes=1, min_repeat=2)
    assert 1 <= len(folded.nodes) < len(CHAIN)


def test_a_graph_of_exactly_max_boxes_nodes_comes_back_as_it_is():
    raw = row(CHAIN)
    assert fold(raw, max_boxes=len(CHAIN)) is raw
    assert len(fold(raw, max_boxes=len(CHAIN) - 1).nodes) == CHAIN_FOLDED


def test_a_graph_that_chain_folding_brings_to_exactly_max_boxes_keeps_its_leaf_box():
    folded = fold(row(CHAIN), max_boxes=CHAIN_FOLDED)
    assert [node.kind for node in folded.nodes] == ["op", "fold", "op", "leaf"]
    assert folded.nodes[1].repeat == CHAIN.count("TanhBackward0")


def test_min_repeat_reaches_chain_folding():
    ops = ["SumBackward0", "TanhBackward0", "TanhBackward0", "AccumulateGrad"]
    folded = fold(row(ops), max_boxes=len(ops) - 1, min_repeat=2)
    assert [(node.kind, node.repeat) for node in folded.nodes] == [("op", 1), ("fold", 2), ("op", 1)]
    assert folded.groups == ()


BRANCHES = 6  # Tanh nodes read side by side by one Sum: no chain, no repetition along a path
SMALL_BUDGET = 3


def test_max_boxes_reaches_coarsening():
    raw = build(["SumBackward0"] + ["TanhBackward0"] * BRANCHES, [(0, i, i - 1) for i in range(1, BRANCHES + 1)])
    folded = fold(raw, max_boxes=SMALL_BUDGET)
    assert len(folded.nodes) <= SMALL_BUDGET
    assert folded.counts() == raw.counts()


# --------------------------------------------------------------------------- block folding

BODY = ["MulBackward0", "AddBackward0", "SubBackward0"]  # a block of three operations
RUN = 5  # Tanh nodes in a row before the blocks
TIMES = 3  # blocks in a row
MIXED = ["SumBackward0"] + ["TanhBackward0"] * RUN + BODY * TIMES + ["AccumulateGrad"]
AFTER_BLOCKS = len(MIXED) - (TIMES - 1) * len(BODY)  # nodes left once the blocks are framed


def test_the_repetition_hiding_the_most_nodes_is_framed_first():
    folded = fold_blocks(row(MIXED), max_boxes=AFTER_BLOCKS)
    assert len(folded.nodes) == AFTER_BLOCKS
    (frame,) = folded.groups
    assert (frame.label, frame.repeat, len(frame.members)) == (f"× {TIMES}", TIMES, len(BODY))


def test_a_rejected_repetition_lets_the_next_one_be_framed():
    first = 1 + RUN  # the first Mul
    block = len(BODY)
    # "a" holds the first block and the Sum, "b" the two other blocks: folding the blocks would
    # cut "a"; every block node still sits in one module frame, so the blocks still repeat
    cutting = module("a (Linear)", (0, *range(first, first + block)))
    rest = module("b (Linear)", range(first + block, first + TIMES * block))
    folded = fold_blocks(row(MIXED, groups=[cutting, rest]), max_boxes=1)
    repeats = [g for g in folded.groups if g.kind == "repeat"]
    assert [(g.repeat, len(g.members)) for g in repeats] == [(RUN, 1)]


def test_a_graph_of_exactly_max_boxes_nodes_is_not_block_folded():
    raw = row(MIXED)
    assert fold_blocks(raw, max_boxes=len(MIXED)) is raw


def test_a_cyclic_graph_is_not_block_folded():
    raw = build(["TanhBackward0"] * 4, [(0, 1, 0), (1, 2, 0), (2, 3, 0), (3, 0, 0)])
    assert fold_blocks(raw, max_boxes=1) is raw


def test_a_path_exactly_min_repeat_long_is_searched():
    folded = fold_blocks(row(["TanhBackward0"] * TIMES), max_boxes=1, min_repeat=TIMES)
    assert [(g.repeat, g.members) for g in folded.groups] == [(TIMES, (0,))]


def test_a_short_first_path_does_not_stop_the_search():
    ops = ["SumBackward0", "MulBackward0"] + ["TanhBackward0"] * TIMES
    links = [(1, 2, 0), (2, 3, 0), (3, 4, 0)]  # node 0 is an output of its own
    folded = fold_blocks(build(ops, links, outputs=(0, 1)), max_boxes=1, min_repeat=2)
    assert [g.repeat for g in folded.groups] == [TIMES]


def test_the_last_node_of_a_path_is_part_of_its_repetition():
    folded = fold_blocks(row(["SumBackward0"] + ["TanhBackward0"] * TIMES), max_boxes=1)
    assert [g.repeat for g in folded.groups] == [TIMES]


def two_branches() -> Graph:
    """A Sum reading two equally long branches: three Tanh at slot 0, three Exp at slot 1."""
    ops = ["SumBackward0"] + ["TanhBackward0"] * TIMES + ["ExpBackward0"] * TIMES
    tanh, exp = 1, 1 + TIMES
    links = [(0, tanh, 0), (0, exp, 1)]
    links += [(first + i, first + i + 1, 0) for first in (tanh, exp) for i in range(TIMES - 1)]
    return build(ops, links)


def test_of_two_equally_long_branches_the_first_one_is_folded_first():
    raw = two_branches()
    folded = fold_blocks(raw, max_boxes=len(raw.nodes) - (TIMES - 1))
    (frame,) = folded.groups
    assert [folded.nodes[m].op for m in frame.members] == ["TanhBackward0"]


def test_a_side_branch_is_searched_and_a_path_may_end_in_a_node_of_any_number():
    """The main branch (Mul, Add, Sub, Div, Neg) stays the longest path; the side branch is
    three Exp, the last of them node 1."""
    ops = ["SumBackward0", "ExpBackward0", "MulBackward0", "AddBackward0", "ExpBackward0", "ExpBackward0"]
    ops += ["SubBackward0", "DivBackward0", "NegBackward0"]
    links = [(0, 2, 0), (2, 3, 0), (3, 6, 0), (6, 7, 0), (7, 8, 0), (0, 4, 1), (4, 5, 0), (5, 1, 0)]
    folded = fold_blocks(build(ops, links), max_boxes=1)
    assert [(g.repeat, folded.nodes[g.members[0]].op) for g in folded.groups] == [(TIMES, "ExpBackward0")]
