"""Lesson 4's claims: each holds at the lesson's inputs, each is caught when its premise is broken
(a broken rule, a broken engine, other inputs), every quoted sentence stands word for word in the
markdown of both editions, and the claims leave the learner's random state and default dtype alone."""

from __future__ import annotations

import pytest
import torch

import autograd_lessons
from autograd_lessons import course, i18n
from autograd_lessons.claims import verify, verify_cell
from autograd_lessons.lessons.own_autograd import engine
from autograd_lessons.lessons.own_autograd.claims import rules, whole
from helpers import NOTEBOOKS, normalised, read_notebook

HOLDS = ("exact", "rounding")
NOTEBOOK = f"{course.lesson(4).notebook}.ipynb"


def lesson4():
    """Lesson 4's claims, by id, as the course registered them."""
    return course.lesson(4, "claims").claims


LESSON_VERDICTS = {
    "l4.add_mul_rules": "exact",
    "l4.seed": "exact",
    "l4.accumulation": "exact",
    "l4.one_pass": HOLDS,  # the engine's float64 gradients against autograd's: another order of roundings
    "l4.programs": "exact",
    "l4.bias_column_sums": "exact",
    "l4.matmul_rule": "exact",
    "l4.same_graph": "exact",
    "l4.mlp_same_curve": HOLDS,  # 100 training steps, each rounded its own way by each engine
    "l4.dual_jvp": HOLDS,
    "l4.pass_counts": HOLDS,
}


def test_lesson_4_has_at_least_eight_claims_in_sections_2_to_8():
    claims = lesson4()
    assert len(claims) >= 8 and set(LESSON_VERDICTS) == set(claims)
    assert {claim.cell for claim in claims.values()} == set(range(2, 9)), "§ 2 to § 8 each make claims"
    for claim_id, claim in claims.items():
        assert claim_id.startswith("l4.") and (claim.lesson, claim.cells) == (4, "section")
        assert str(claim.source) == f"Lesson 4, § {claim.cell}" and claim.quote is not None


@pytest.mark.parametrize("claim_id, status", LESSON_VERDICTS.items())
def test_verdicts_at_the_lesson_inputs(claim_id, status):
    verdict = verify(claim_id)
    assert verdict.status in (status if isinstance(status, tuple) else (status,)), str(verdict)
    assert verdict.claim is lesson4()[claim_id] and verdict.detail, claim_id


def test_every_claim_says_what_it_checks_in_both_languages():
    for claim_id in lesson4():
        texts = i18n.MESSAGES[f"claim.{claim_id}"]
        assert texts["pt"] != texts["en"], claim_id
        for language in i18n.LANGUAGES:
            assert not texts[language].rstrip().endswith("?"), (claim_id, language)


@pytest.mark.parametrize("language", i18n.LANGUAGES)
def test_every_section_shows_its_verdicts_in_the_learners_language(language):
    autograd_lessons.set_language(language)
    where = "Lição 4, § 4" if language == "pt" else "Lesson 4, § 4"
    text = str(verify_cell(4, lesson=4))
    assert where in text and ("conferido:" if language == "pt" else "checked:") in text


def test_the_claims_leave_the_random_state_and_the_default_dtype_alone():
    state, dtype = torch.random.get_rng_state(), torch.get_default_dtype()
    for cell in range(2, 9):
        verify_cell(cell, lesson=4)
    assert torch.equal(torch.random.get_rng_state(), state) and torch.get_default_dtype() == dtype


@pytest.mark.parametrize("language", i18n.LANGUAGES)
def test_every_quote_stands_verbatim_in_its_sections_markdown(language):
    notebook = read_notebook(NOTEBOOKS / language / NOTEBOOK)
    markdown = normalised(
        " ".join("".join(cell["source"]) for cell in notebook["cells"] if cell["cell_type"] == "markdown")
    )
    for claim in lesson4().values():
        assert normalised(claim.quote.words[language]) in markdown, claim.id


def test_the_claims_run_the_notebooks_own_engine():
    """§ 1 to § 4's claims read the notebook's Value, add, mul, backward and unbroadcast from its source."""
    value, backward = rules.notebook_engine()
    x = value(torch.tensor([1.0, 2.0]))
    backward(x * x + x)
    assert value.__module__ != engine.Value.__module__ and torch.equal(x.grad, torch.tensor([3.0, 5.0]))


# --------------------------------------------------------------------------- a broken premise is caught


def broken_engine(**rules_by_name):
    """The reference engine with some operations replaced."""
    return type("Broken", (engine.Value,), rules_by_name)


def tanh_without_its_derivative(self):
    """tanh whose rule passes the gradient through unchanged (forgets 1 − tanh²)."""
    t = self.data.tanh()
    return self._result(t, (self,), "tanh", lambda g: (g,))


def backward_twice(self):
    """A backward pass that runs every rule twice."""
    order = self.topological_order()
    self.grad = torch.ones_like(self.data)
    for value in reversed(order):
        value._backward()
        value._backward()


def mul_swapped(self, other):
    """The product's rule with the operands swapped: a receives g·a, b receives g·b."""
    out = type(self)(self.data * other.data, (self, other), "mul")

    def _backward():
        self.grad += out.grad * self.data
        other.grad += out.grad * other.data

    out._backward = _backward
    return out


def backward_with_twos(root):
    """A backward pass whose initial gradient is 2, not 1."""
    root.grad = 2 * torch.ones_like(root.data)
    order, seen, stack = [], set(), [root]
    while stack:  # a plain depth-first order is enough for x * x
        value = stack.pop()
        if id(value) not in seen:
            seen.add(id(value))
            order.append(value)
            stack.extend(value._prev)
    for value in order:
        value._backward()


def a_jvp_that_doubles(f, inputs, tangents):
    value, tangent = engine.jvp(f, inputs, tangents)
    return value, 2 * tangent


BROKEN_PREMISES = {
    "l4.add_mul_rules": {"mul": mul_swapped},
    "l4.seed": {"backward": backward_with_twos},
    "l4.accumulation": {"mul": rules.mul_assigning},
    "l4.one_pass": {"engine_class": broken_engine(backward=backward_twice)},
    "l4.programs": {"engine_class": broken_engine(tanh=tanh_without_its_derivative)},
    "l4.bias_column_sums": {"unbroadcast": lambda grad, shape: grad},
    "l4.matmul_rule": {"rule": lambda g, a, b: (g @ b.T, g.T @ a)},
    "l4.same_graph": {"program": lambda X, W, b: (2.0 - (X @ W + b).tanh()).mean()},
    "l4.mlp_same_curve": {"engine_class": broken_engine(tanh=tanh_without_its_derivative)},
    "l4.dual_jvp": {"jvp": a_jvp_that_doubles},
    "l4.pass_counts": {"functions": (lambda x: (x * x).sum(),) * 3},
}


@pytest.mark.parametrize("claim_id, inputs", BROKEN_PREMISES.items(), ids=list(BROKEN_PREMISES))
def test_a_broken_premise_gives_false(claim_id, inputs):
    verdict = verify(claim_id, **inputs)
    assert verdict.status == "false", str(verdict)


def test_square_matrices_hide_a_swapped_transpose_that_the_lessons_shapes_catch():
    """With square matrices a wrong rule still computes (and is caught by its values); with the
    lesson's (2, 3) @ (3, 4) it cannot even run."""
    wrong = {"rule": lambda g, a, b: (g @ b, a @ g)}
    assert verify("l4.matmul_rule", **wrong).status == "false"
    square = {"a": torch.eye(3) + 1, "b": torch.arange(9.0).reshape(3, 3), "g": torch.ones(3, 3) * 0.5}
    assert verify("l4.matmul_rule", **square).status == "exact"
    assert verify("l4.matmul_rule", **square, **wrong).status == "false"


def test_the_broadcast_rule_holds_for_a_row_bias_too():
    assert verify("l4.bias_column_sums", bias=[[0.1, 0.2, 0.3, 0.4]]).status == "exact"


def test_the_pass_counts_are_the_sentences():
    assert whole.GRADIENT_PASSES == (6, 1) and whole.JACOBIAN_PASSES == (6, 2)
    assert verify("l4.pass_counts", functions=(lambda x: (x * x).sum(),)).status in HOLDS, "one output: 6 and 1"


def test_lesson_4_texts_avoid_the_glossarys_rejected_terms():
    """Every text of lesson 4's claims, evidence and plots: one term per concept, as
    notebooks/glossary.md records."""
    from helpers import words_only
    from test_glossary import glossary, uses

    keys = [key for key in i18n.MESSAGES if key.startswith(("claim.l4.", "lesson4."))]
    assert len(keys) >= 25
    for key in keys:
        for language, column in (("pt", 2), ("en", 3)):
            for row in glossary():
                for term in row[column]:
                    said = uses(
                        words_only(i18n.MESSAGES[key][language]), term, plural=language == "pt", language=language
                    )
                    assert not said, f"{key} [{language}] says {term!r}"


@pytest.mark.parametrize("language", i18n.LANGUAGES)
def test_section_6_shows_both_graphs_side_by_side_each_headed_by_its_engine(language):
    """§ 6's two graphs are one picture: ours on the left, PyTorch's on the right, each under the
    name of its engine, in the learner's language (its stored description says so)."""
    notebook = read_notebook(NOTEBOOKS / language / NOTEBOOK)
    cells = notebook["cells"]
    start = next(i for i, c in enumerate(cells) if c["cell_type"] == "markdown" and "## 6." in "".join(c["source"]))
    end = next(
        i for i, c in enumerate(cells) if i > start and c["cell_type"] == "markdown" and "## 7." in "".join(c["source"])
    )
    pictures = [
        "".join(output["data"]["text/plain"])
        for cell in cells[start:end]
        if cell["cell_type"] == "code"
        for output in cell.get("outputs", [])
        if "image/png" in output.get("data", {})
    ]
    assert len(pictures) == 1, "one figure holds both graphs"
    ours, pytorch = (i18n.message(f"lesson4.plot.{key}", language) for key in ("ours", "pytorch"))
    headings = f"“{ours}”, “{pytorch}”"
    headed = i18n.message("describe.figure.alike_named", language, count="2", headings=headings, text="")
    assert pictures[0].startswith(headed), "ours on the left, PyTorch's on the right, and the two read alike"
