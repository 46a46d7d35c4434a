"""Lesson 3's claims of § 6 and § 7: memory that grows (an accumulator, an evaluation loop, a
recurrent network's hidden state) and activation checkpointing."""

from __future__ import annotations

import contextlib
from collections.abc import Callable

import torch
from torch.utils.checkpoint import checkpoint
from torch.utils.flop_counter import FlopCounterMode

from autograd_lessons.i18n import text
from autograd_lessons.lessons.going_wrong import LESSON
from autograd_lessons.lessons.going_wrong.maths import graph_nodes, raised_by
from autograd_lessons.verdicts import Verdict, evidence, fact, worst, yes_no

claim = LESSON.claim
LESSON_SEED = 0  # the seed of the lesson's networks
BATCH_SEED, SEQUENCE_SEED, CHECKPOINT_SEED = 1, 2, 3  # the seeds of the lesson's data generators
FREED = "backward through the graph a second time"
CHANGED_IN_PLACE = "modified by an inplace operation"

# The lesson's way of measuring a graph (§ 6) and its blocks and saved-bytes counter (§ 7), as its
# notebook defines them: the claims check those very functions against a second count.
graph_size = LESSON.shared("graph_size", {"torch": torch})
residual_blocks = LESSON.shared("residual_blocks", {"torch": torch})
saved_bytes = LESSON.shared("saved_bytes", {"torch": torch})


# --------------------------------------------------------------------------- second counts


def storage(tensor: torch.Tensor) -> int:
    return tensor.untyped_storage().data_ptr()


def alive_bytes(root: object, parameters: list[torch.Tensor]) -> int:
    """Bytes of the saved tensors still readable in the graph below `root` (each block once,
    parameters left out), walking nodes with maths.graph_nodes."""
    own, blocks = {storage(p) for p in parameters}, {}
    for node in graph_nodes(root):
        for name in dir(node):
            if not name.startswith("_saved_"):
                continue
            try:
                value = getattr(node, name)
            except RuntimeError:  # freed by a backward pass
                continue
            if isinstance(value, torch.Tensor) and storage(value) not in own:
                blocks[storage(value)] = value.untyped_storage().nbytes()
    return sum(blocks.values())


def packed_bytes(run: Callable[[], object], parameters: list[torch.Tensor]) -> tuple[object, int, int]:
    """(what run() returns, how many tensors a pack hook saw, their bytes: each block once,
    parameters left out) — the mechanism autograd itself uses to save tensors."""
    own, blocks, count = {storage(p) for p in parameters}, {}, [0]

    def pack(tensor: torch.Tensor) -> torch.Tensor:
        count[0] += 1
        if storage(tensor) not in own:
            blocks[storage(tensor)] = tensor.untyped_storage().nbytes()
        return tensor

    with torch.autograd.graph.saved_tensors_hooks(pack, lambda tensor: tensor):
        out = run()
    return out, count[0], sum(blocks.values())


def differences(values: list[int]) -> list[int]:
    return [after - before for before, after in zip(values, values[1:], strict=False)]


# --------------------------------------------------------------------------- § 6 the lesson's loops


def lesson_net() -> torch.nn.Sequential:
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(LESSON_SEED)
        return torch.nn.Sequential(torch.nn.Linear(3, 8), torch.nn.Tanh(), torch.nn.Linear(8, 1))


def lesson_batches(steps: int) -> list[tuple[torch.Tensor, torch.Tensor]]:
    source = torch.Generator().manual_seed(BATCH_SEED)
    return [(torch.randn(16, 3, generator=source), torch.randn(16, 1, generator=source)) for _ in range(steps)]


def mse(net: torch.nn.Module, x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    return ((net(x) - y) ** 2).mean()


def training_totals(steps: int, keep: Callable[[torch.Tensor], object]) -> tuple[list[int], int, object]:
    """Train the lesson's net for `steps` steps adding keep(loss) to a total: the total's node
    count after each step (walked), one step's own new nodes (its graph less the AccumulateGrad
    nodes every step shares, plus the addition), and the total."""
    net = lesson_net()
    optimizer = torch.optim.SGD(net.parameters(), lr=0.1)
    total, counts, per_step = 0, [], 0
    for x, y in lesson_batches(steps):
        loss = mse(net, x, y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        nodes = graph_nodes(loss.grad_fn)
        per_step = len(nodes) - sum(type(node).__name__ == "AccumulateGrad" for node in nodes) + 1
        total += keep(loss)
        counts.append(len(graph_nodes(total.grad_fn)) if isinstance(total, torch.Tensor) else 0)
    return counts, per_step, total


@claim("l3.total_loss_keeps_graphs", cell=6, quote="prose")
def _total_loss_keeps_graphs(steps: int = 6, keep: Callable[[torch.Tensor], object] | None = None) -> Verdict:
    """total += keep(loss) (the loss itself) in the lesson's training loop: the total's node count
    grows at every step by one step's own new nodes (counted on a single step's graph); the
    lesson's graph_size agrees with the count walked here; with loss.item() the total is a number."""
    counts, per_step, total = training_totals(steps, keep or (lambda loss: loss))
    grows = differences(counts)
    lesson_count = graph_size(total)[0] if isinstance(total, torch.Tensor) else 0
    leaking = fact(
        bool(grows) and all(step == per_step > 0 for step in grows) and lesson_count == counts[-1],
        evidence(
            "lesson3.evidence.total_loss",
            counts=", ".join(map(str, counts)),
            per_step=per_step,
            lesson=lesson_count,
        ),
        counts=counts,
    )
    _, _, number = training_totals(2, lambda loss: loss.item())
    fixed = fact(isinstance(number, float), evidence("lesson3.evidence.item_total", kind=type(number).__name__))
    return worst(leaking, fixed)


@claim("l3.eval_loop_keeps_saved", cell=6, quote="prose")
def _eval_loop_keeps_saved(steps: int = 6, context: Callable[[], object] = contextlib.nullcontext) -> Verdict:
    """An evaluation loop (no backward) with total += loss inside context() (nothing): the bytes of
    the saved tensors alive in the total's graph grow at every step by what a pack hook sees one
    forward pass save; under torch.no_grad() the pack hook sees nothing."""
    net = lesson_net()
    parameters = list(net.parameters())
    total, sizes = 0, []
    for x, y in lesson_batches(steps):
        with context():
            total += mse(net, x, y)
        sizes.append(alive_bytes(total.grad_fn, parameters) if total.grad_fn is not None else 0)
    x, y = lesson_batches(1)[0]
    _, _, one_forward = packed_bytes(lambda: mse(net, x, y), parameters)
    grows = differences(sizes)
    kept = fact(
        bool(grows) and all(step == one_forward > 0 for step in grows),
        evidence("lesson3.evidence.eval_loop", sizes=", ".join(map(str, sizes)), packed=one_forward),
        sizes=sizes,
    )
    with torch.no_grad():
        quiet, count, _ = packed_bytes(lambda: mse(net, x, y), parameters)
    nothing = fact(
        count == 0 and quiet.grad_fn is None,
        evidence("lesson3.evidence.no_grad_saves", count=count, grad_fn=str(quiet.grad_fn)),
    )
    return worst(kept, nothing)


def lesson_sequence() -> torch.Tensor:
    return torch.randn(40, 1, 4, generator=torch.Generator().manual_seed(SEQUENCE_SEED))


def lesson_cell() -> torch.nn.RNNCell:
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(LESSON_SEED)
        return torch.nn.RNNCell(4, 8)


def first_failure(retain: bool, steps: int) -> tuple[int | None, str | None]:
    """Train the lesson's cell step by step, h carried without detach: the step whose backward
    pass fails first, and its error words (None, None if none fails)."""
    cell = lesson_cell()
    optimizer = torch.optim.SGD(cell.parameters(), lr=0.1)
    h = torch.zeros(1, 8)
    for t, x in enumerate(lesson_sequence()[:steps]):
        h = cell(x, h)
        loss = h.pow(2).mean()
        optimizer.zero_grad()
        raised = raised_by(lambda loss=loss: loss.backward(retain_graph=retain))
        if raised is not None:
            return t, raised
        optimizer.step()
    return None, None


@claim("l3.rnn_second_backward", cell=6, quote="prose")
def _rnn_second_backward(steps: int = 6, detach: bool = False) -> Verdict:
    """The lesson's RNN cell, h carried on (or detached each step if `detach`): without
    retain_graph the backward pass of step 1 raises the "second time" RuntimeError; with it, a
    later step raises the "modified by an inplace operation" one."""
    if detach:
        return _rnn_detached(steps)
    plain_step, plain = first_failure(False, steps)
    retained_step, retained = first_failure(True, steps)
    holds = (
        plain_step == 1
        and plain is not None
        and FREED in plain
        and retained_step is not None
        and retained_step >= 1
        and retained is not None
        and CHANGED_IN_PLACE in retained
    )
    return fact(
        holds,
        evidence(
            "lesson3.evidence.rnn_errors",
            plain_step=plain_step if plain_step is not None else "—",
            plain=plain or text("lesson3.nothing_raised"),
            retained_step=retained_step if retained_step is not None else "—",
            retained=retained or text("lesson3.nothing_raised"),
        ),
        plain=plain,
        retained=retained,
    )


def _rnn_detached(steps: int) -> Verdict:
    """The same loop with h.detach() at each step: nothing is raised (the premise broken on purpose)."""
    cell = lesson_cell()
    optimizer = torch.optim.SGD(cell.parameters(), lr=0.1)
    h, raised = torch.zeros(1, 8), None
    for x in lesson_sequence()[:steps]:
        h = cell(x, h.detach())
        loss = h.pow(2).mean()
        optimizer.zero_grad()
        raised = raised or raised_by(loss.backward)
        optimizer.step()
    return fact(
        raised is not None, evidence("lesson3.evidence.raised", raised=raised or text("lesson3.nothing_raised"))
    )


def rnn_counts(chunk: int | None, steps: int) -> list[int]:
    """Node counts of the loss's graph at each step (walked): h carried on with retain_graph and no
    optimizer step (chunk None), or h detached every `chunk` steps after a backward pass."""
    cell = lesson_cell()
    optimizer = torch.optim.SGD(cell.parameters(), lr=0.1)
    h, chunk_loss, counts = torch.zeros(1, 8), 0, []
    for t, x in enumerate(lesson_sequence()[:steps]):
        h = cell(x, h)
        chunk_loss = chunk_loss + h.pow(2).mean()
        counts.append(len(graph_nodes(chunk_loss.grad_fn)))
        if chunk is None:
            chunk_loss.backward(retain_graph=True)
            chunk_loss = 0
        elif (t + 1) % chunk == 0:
            optimizer.zero_grad()
            chunk_loss.backward()
            optimizer.step()
            h, chunk_loss = h.detach(), 0
    return counts


@claim("l3.truncated_bptt_bounded", cell=6, quote="prose")
def _truncated_bptt(chunk: int | None = 5, steps: int = 20) -> Verdict:
    """Node counts per step, walked: h carried on grows by the same amount every step; h detached
    every `chunk` steps repeats with period `chunk`, never above its count at the end of a chunk."""
    carried, truncated = rnn_counts(None, steps), rnn_counts(chunk, steps)
    grows = differences(carried)
    steady = bool(grows) and len(set(grows)) == 1 and grows[0] > 0
    period = chunk or steps  # without detaching (chunk None) the "period" is the whole run: nothing repeats
    periodic = chunk is not None and all(truncated[t] == truncated[t - period] for t in range(period, steps))
    bounded = max(truncated) == truncated[min(period, steps) - 1]  # the peak: the end of the first chunk
    return fact(
        steady and periodic and bounded,
        evidence(
            "lesson3.evidence.truncated",
            carried=", ".join(map(str, carried[: period + 2])),
            step=grows[0] if grows else "—",
            truncated=", ".join(map(str, truncated[: 2 * period])),
            chunk=period,
            periodic=yes_no(periodic),
            bounded=yes_no(bounded),
        ),
        carried=carried,
        truncated=truncated,
    )


# --------------------------------------------------------------------------- § 7 checkpointing


def lesson_blocks_and_batch() -> tuple[torch.nn.ModuleList, torch.Tensor]:
    with torch.random.fork_rng(devices=[]):
        blocks = residual_blocks()
    return blocks, torch.randn(32, 64, generator=torch.Generator().manual_seed(CHECKPOINT_SEED))


def forwards(blocks: torch.nn.ModuleList) -> dict[str, Callable[[torch.Tensor], torch.Tensor]]:
    def plain(x: torch.Tensor) -> torch.Tensor:
        for block in blocks:
            x = x + block(x)
        return x

    def checkpointed(x: torch.Tensor) -> torch.Tensor:
        for block in blocks:
            x = x + checkpoint(block, x, use_reentrant=False)
        return x

    return {"plain": plain, "checkpointed": checkpointed}


def linear_flops(blocks: torch.nn.ModuleList, batch: int) -> list[int]:
    """Each linear layer's forward FLOPs, 2 · batch · in · out (one multiply and one add per term)."""
    return [2 * batch * m.in_features * m.out_features for m in blocks.modules() if isinstance(m, torch.nn.Linear)]


@claim("l3.checkpoint_saves_inputs", cell=7, quote="prose")
def _checkpoint_saves_inputs() -> Verdict:
    """The lesson's saved_bytes: checkpointed = blocks × the input's bytes (formula); plain = the
    bytes walked in the plain graph = per block (input + GELU input + GELU output) bytes; ratio 9."""
    blocks, batch = lesson_blocks_and_batch()
    parameters = list(blocks.parameters())
    run = forwards(blocks)
    plain_out, plain = saved_bytes(lambda: run["plain"](batch.clone().requires_grad_(True)), parameters)
    _, checkpointed = saved_bytes(lambda: run["checkpointed"](batch.clone().requires_grad_(True)), parameters)
    size = batch.element_size()
    rows, width, hidden = batch.shape[0], batch.shape[1], blocks[0][0].out_features
    inputs_formula = len(blocks) * rows * width * size
    plain_formula = len(blocks) * rows * (width + 2 * hidden) * size
    walked = alive_bytes(plain_out.grad_fn, parameters)
    holds = checkpointed == inputs_formula and plain == walked == plain_formula and plain == 9 * checkpointed
    return fact(
        holds,
        evidence(
            "lesson3.evidence.checkpoint_bytes",
            checkpointed=checkpointed,
            inputs=inputs_formula,
            plain=plain,
            walked=walked,
            formula=plain_formula,
        ),
        plain=plain,
        checkpointed=checkpointed,
    )


def gradients(blocks: torch.nn.ModuleList, forward: Callable, batch: torch.Tensor) -> list[torch.Tensor]:
    x = batch.clone().requires_grad_(True)
    blocks.zero_grad()
    forward(x).pow(2).mean().backward()
    return [x.grad.clone()] + [p.grad.clone() for p in blocks.parameters()]


@claim("l3.checkpoint_same_gradients", cell=7, quote="prose")
def _checkpoint_same_gradients(checkpointed: Callable | None = None) -> Verdict:
    """The gradients of x and of every parameter, with and without checkpointing: bitwise equal."""
    blocks, batch = lesson_blocks_and_batch()
    run = forwards(blocks)
    plain = gradients(blocks, run["plain"], batch)
    other = gradients(blocks, checkpointed or run["checkpointed"], batch)
    equal = [torch.equal(a, b) for a, b in zip(plain, other, strict=True)]
    return fact(all(equal), evidence("lesson3.evidence.same_gradients", equal=sum(equal), count=len(equal)))


@claim("l3.checkpoint_recomputes", cell=7, quote="prose")
def _checkpoint_recomputes() -> Verdict:
    """FLOPs of forward + backward counted by FlopCounterMode: plain = 3 × the forward FLOPs
    (formula 2·batch·in·out per linear layer; the backward pass of a product costs two); with
    checkpointing, plus each block's first layer once more; the ratio 7/6."""
    blocks, batch = lesson_blocks_and_batch()
    run, counted = forwards(blocks), {}
    for name, forward in run.items():
        x = batch.clone().requires_grad_(True)
        with FlopCounterMode(display=False) as flops:
            forward(x).pow(2).mean().backward()
        counted[name] = flops.get_total_flops()
    per_layer = linear_flops(blocks, batch.shape[0])
    plain_formula = 3 * sum(per_layer)
    again = sum(per_layer[::2])  # each block's first linear layer
    holds = counted["plain"] == plain_formula and counted["checkpointed"] == plain_formula + again
    holds = holds and 6 * counted["checkpointed"] == 7 * counted["plain"]
    return fact(
        holds,
        evidence(
            "lesson3.evidence.flops",
            plain=counted["plain"],
            plain_formula=plain_formula,
            checkpointed=counted["checkpointed"],
            again=again,
        ),
        counted=counted,
    )


__all__ = ["alive_bytes", "lesson_batches", "lesson_net", "packed_bytes", "rnn_counts", "training_totals"]
