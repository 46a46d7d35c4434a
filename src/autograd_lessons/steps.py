"""The backward pass one node at a time, recorded with hooks in the engine's real order.

`backward_steps(y)` runs `y.backward(retain_graph=True)` with a pre-hook and a hook on every
node, writes down which gradient arrives at each node, from where, what it sends on and
what lands in `.grad` — then removes the hooks and puts `.grad` back as it was.

Steps are numbered from 1 (`Step.number`, `Steps.step_lines(number)`, `draw(steps, step=number)`),
as a learner counts them; `steps[i]` stays Python's 0-based indexing, so `steps[0].number == 1`.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch

from autograd_lessons.callers import learner_boundary
from autograd_lessons.graph import Traced, traced, value_of
from autograd_lessons.graph_data import Graph, Value
from autograd_lessons.i18n import LessonError, message
from autograd_lessons.numbers import shape_text


@dataclass(frozen=True)
class Arrival:
    """A gradient that reached a node along one edge (from `source`, input position `slot`)."""

    source: int
    slot: int
    value: Value | None


@dataclass(frozen=True)
class Sent:
    """A gradient a node sent to its input at position `slot` (None: nothing, the input is cut)."""

    target: int
    slot: int
    value: Value | None


@dataclass(frozen=True)
class Step:
    """One node run by the engine: what arrived, their sum, what it sent, what landed in .grad."""

    number: int  # 1, 2, 3, … in the engine's order (steps[number - 1] is this step)
    node: int  # index in the traced Graph
    op: str
    arrivals: tuple[Arrival, ...]  # empty for the output node, which gets the initial gradient
    received: Value | None  # the gradient the node works with (sum of the arrivals)
    sent: tuple[Sent, ...]
    landed: Value | None = None  # for AccumulateGrad: the gradient it adds to the leaf's .grad
    leaf: str | None = None  # the leaf's name, for AccumulateGrad
    outputs: int = 1  # the node's outputs (split has several): `received` then holds one gradient per output


@dataclass(frozen=True)
class Steps:
    """The recorded backward pass: the traced graph plus its steps.

    It is a sequence like a list: `len(steps)`, `steps[0]` (the first step, 0-based as any
    Python index), iteration in the engine's order. Step *numbers*, as printed and as taken by
    `step_lines` and `draw(steps, step=...)`, run from 1 to len(steps).
    """

    graph: Graph
    steps: tuple[Step, ...]
    name: str | None = None  # the output's variable name, when the caller has one
    accumulated: bool = False  # accumulate=True: the gradients were left in .grad
    gradient_given: bool = False  # backward(gradient=v) was called with an explicit v

    def __len__(self) -> int:
        return len(self.steps)

    def __getitem__(self, k):
        return self.steps[k]

    def __iter__(self):
        return iter(self.steps)

    def _who(self, index: int) -> str:
        node = self.graph.nodes[index]
        if node.kind == "op" and node.op == "AccumulateGrad":
            leaf = next((e.target for e in self.graph.children[index]), None)
            name = self.graph.nodes[leaf].name if leaf is not None else None
            return f"AccumulateGrad ({name})" if name else "AccumulateGrad"
        if node.kind == "cut":
            shown = node.name or (node.value.text() if node.value is not None else "?")
            return "✂ " + shown
        return node.op

    def step(self, number: int) -> Step:
        """The step with this number (1 to len(self)); a LessonError names the valid range."""
        if not self.steps:
            raise LessonError(message("steps.error.no_steps")) from None
        if isinstance(number, bool) or not isinstance(number, int) or not 1 <= number <= len(self.steps):
            raise LessonError(message("steps.error.number", number=number, count=len(self.steps))) from None
        return self.steps[number - 1]

    def step_lines(self, number: int) -> list[str]:
        """The text of step `number` (1 to len(self)): its heading, then one line per gradient
        that arrives, is summed, sent on or lands in .grad (in the current language)."""
        step = self.step(number)
        node = self.graph.nodes[step.node]
        lines = [message("steps.step", number=step.number, op=step.op, label=node.label)]
        received = _text(step.received)
        if not step.arrivals:
            key = "steps.initial_given" if self.gradient_given else "steps.initial"
            lines.append("  " + message(key, value=received))
        elif len(step.arrivals) == 1:
            lines.append("  " + message("steps.receives", value=received))
        else:
            for arrival in step.arrivals:
                source = self._who(arrival.source)
                lines.append("  " + message("steps.arrival", value=_text(arrival.value), source=source))
            # one output: the arrivals add up; several (split): one gradient per output, side by side
            key = "steps.sum" if step.outputs == 1 else "steps.per_output"
            lines.append("  " + message(key, value=received, count=step.outputs))
        for sent in step.sent:
            target = self._who(sent.target)
            if sent.value is None:
                lines.append("  " + message("steps.sends_nothing", target=target))
            else:
                lines.append("  " + message("steps.sends", value=_text(sent.value), target=target))
        if step.landed is not None:
            lines.append("  " + message("steps.lands", name=step.leaf or "?", value=_text(step.landed)))
        return lines

    def to_text(self) -> str:
        """The steps as text: a header, then step_lines(1), step_lines(2), … (4 significant digits)."""
        header = message("steps.header", name=self.name) if self.name else message("steps.header_unnamed")
        lines = [header + message("steps.count", count=len(self.steps))]
        for step in self.steps:
            lines += self.step_lines(step.number)
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.to_text()

    def __repr__(self) -> str:
        return self.to_text()


def _text(value: Value | None) -> str:
    return "None" if value is None else value.text()


def _grads_total(grads: tuple) -> Value | None:
    """The gradient w.r.t. a node's output(s); a single output is the common case."""
    present = [g for g in grads if g is not None]
    if not present:
        return None
    return value_of(present[0]) if len(grads) == 1 else value_of(torch.cat([g.reshape(-1) for g in present]))


@learner_boundary
def backward_steps(
    tensor: torch.Tensor,
    gradient: torch.Tensor | None = None,
    *,
    accumulate: bool = False,
    names: dict[str, object] | None = None,
) -> Steps:
    """Run the backward pass of `tensor` and record every node's gradients, in order.

    `tensor` may be a tuple or list of outputs (an LSTM cell's (h, c)): their backward passes
    run as one, as torch.autograd.backward(outputs) does. `gradient` is the initial gradient v
    of `tensor.backward(gradient=v)` (needed when `tensor` is not a scalar; one per output, in a
    tuple, for several outputs). Afterwards `.grad` of every leaf is put back exactly as it was (the same
    tensor object, or None), so recording changes nothing; with `accumulate=True` the
    gradients are added to `.grad` as `tensor.backward()` would. The graph is kept
    (retain_graph=True), so a real backward() can still follow. Steps are numbered from 1.
    """
    with traced(tensor, "backward_steps", names) as built:
        return record(built, gradient, accumulate)


def _gradients(tensors: tuple[torch.Tensor, ...], gradient) -> tuple:
    """One initial gradient per output: `gradient` as given (a tensor for one output, a tuple or
    list for several), or None for scalar outputs (autograd starts them at 1)."""
    if gradient is None:
        for tensor in tensors:
            if tensor.numel() != 1:
                raise LessonError(message("steps.error.nonscalar", shape=shape_text(tensor.shape))) from None
        return (None,) * len(tensors)
    given = (gradient,) if len(tensors) == 1 else gradient
    if not isinstance(given, (tuple, list)) or len(given) != len(tensors):
        raise LessonError(message("steps.error.gradients", count=len(tensors))) from None
    return tuple(given)


def _leaves(built: Traced) -> list[torch.Tensor]:
    """The leaf tensors whose .grad the backward pass of `built` writes."""
    leaves = [fn.variable for fn in built.fns if fn is not None and type(fn).__name__ == "AccumulateGrad"]
    leaves += [t for t in built.tensors if t.grad_fn is None and t.requires_grad]
    return leaves


def _run_hooked(built: Traced, gradients: tuple, leaves: list[torch.Tensor], accumulate: bool):
    """Run the backward pass with a pre-hook and a hook on every node; return (order, sent_by):
    (node, gradients received) in the engine's order, and node -> gradients it sent per input
    slot. Hooks are removed and, unless `accumulate`, every leaf's .grad put back as it was."""
    sent_by: dict[int, tuple] = {}
    order: list[tuple[int, tuple]] = []
    handles = []

    def pre(i):
        def hook(grad_outputs):
            order.append((i, tuple(g.detach().clone() if g is not None else None for g in grad_outputs)))

        return hook

    def post(i):
        def hook(grad_inputs, grad_outputs):
            sent_by[i] = tuple(g.detach().clone() if g is not None else None for g in grad_inputs)

        return hook

    stash = {id(t): t.grad for t in leaves}
    try:
        for i, fn in enumerate(built.fns):
            if fn is not None:
                handles.append(fn.register_prehook(pre(i)))
                handles.append(fn.register_hook(post(i)))
        if not accumulate:
            for t in leaves:
                t.grad = None
        try:
            torch.autograd.backward(built.tensors, grad_tensors=gradients, retain_graph=True)
        except RuntimeError as error:
            if "second time" in str(error) or "freed" in str(error):
                raise LessonError(message("steps.error.freed")) from None
            raise
    finally:
        for handle in handles:
            handle.remove()
        if not accumulate:
            for t in leaves:
                t.grad = stash[id(t)]
    return order, sent_by


def _step(graph: Graph, number: int, i: int, received: tuple, sent_by: dict[int, tuple]) -> Step:
    """Step `number`: node i, the gradients `received`, and what went along its edges."""
    arrivals = tuple(
        Arrival(e.source, e.slot, value_of(sent_by[e.source][e.slot]) if e.source in sent_by else None)
        for e in graph.parents[i]
    )
    sent_values = sent_by.get(i, ())
    sent = tuple(
        Sent(
            e.target,
            e.slot,
            value_of(sent_values[e.slot]) if e.slot < len(sent_values) and sent_values[e.slot] is not None else None,
        )
        for e in graph.children[i]
        if graph.nodes[e.target].kind != "leaf"
    )
    op = graph.nodes[i].op
    landed_value = leaf_name = None
    if op == "AccumulateGrad":
        leaf_index = next(e.target for e in graph.children[i])
        leaf_name = graph.nodes[leaf_index].name
        landed_value = _grads_total(received)
    return Step(
        number=number,
        node=i,
        op=op,
        arrivals=arrivals,
        received=_grads_total(received),
        sent=sent,
        landed=landed_value,
        leaf=leaf_name,
        outputs=len(received),
    )


def record(built: Traced, gradient, accumulate: bool) -> Steps:
    """The steps of the backward pass of the outputs `built` was traced from (see backward_steps)."""
    tensors, graph = built.tensors, built.graph
    gradients = _gradients(tensors, gradient)
    # Each tensor given is named once (a tensor given twice is one output), by its own name only:
    # not by its node's, which for an output of a split is the name of the first output, another
    # tensor. (Nor by pairing graph.outputs with the tensors: it holds one entry per node, so the
    # outputs of a split would shift every name after them.)
    unique = list({id(t): t for t in tensors}.values())
    names = [built.names.by_tensor.get(id(t)) for t in unique]
    # several outputs: "a, b", or None when none of them has a name
    name = names[0] if len(unique) == 1 else ", ".join(dict.fromkeys(n for n in names if n)) or None
    leaves = _leaves(built)
    order, sent_by = _run_hooked(built, gradients, leaves, accumulate)
    del leaves
    steps = tuple(_step(graph, number, i, received, sent_by) for number, (i, received) in enumerate(order, start=1))
    del order, sent_by
    return Steps(graph=graph, steps=steps, name=name, accumulated=accumulate, gradient_given=gradient is not None)


__all__ = ["Arrival", "Sent", "Step", "Steps", "backward_steps", "record"]
