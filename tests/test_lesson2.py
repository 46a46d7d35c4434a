"""Lesson 2's claims: each holds at the lesson's inputs, each is caught when its premise is
broken, bad inputs are refused in the learner's language, and every quoted sentence stands
word for word in the markdown of both editions."""

from __future__ import annotations

import contextlib
import json
import math
import re
from pathlib import Path

import pytest
import torch

import autograd_lessons
from autograd_lessons import claims, course, i18n, sources
from autograd_lessons.claims import verify, verify_cell
from autograd_lessons.i18n import LessonError
from autograd_lessons.lessons.in_depth import claims as lesson_claims
from autograd_lessons.verdicts import compare
from helpers import NOTEBOOKS, normalised, sanitize

HOLDS = ("exact", "rounding")
NOTEBOOK = f"{course.lesson(2).notebook}.ipynb"


def lesson2():
    """Lesson 2's claims, by id, as the course registered them."""
    return course.lesson(2, "claims").claims


def defined(name: str) -> object:
    """What lesson 2's claims call `name`, from whichever of its modules defines or imports it."""
    found = [getattr(module, name) for module in lesson_claims.MODULES if hasattr(module, name)]
    assert found, f"no claims module of lesson 2 has {name}"
    return found[0]


def replace_everywhere(monkeypatch, name: str, value: object) -> None:
    """Make every claims module of lesson 2 that uses `name` use `value` instead."""
    users = [module for module in lesson_claims.MODULES if hasattr(module, name)]
    assert users, f"no claims module of lesson 2 uses {name}"
    for module in users:
        monkeypatch.setattr(module, name, value)


LESSON_VERDICTS = {
    "l2.leaf_definition": "exact",
    "l2.leaf_grad_only": "exact",
    "l2.retain_grad": "exact",
    "l2.integer_no_grad": "exact",
    "l2.two_calls_add_up": "exact",
    "l2.forgotten_zero_multiplies": "exact",
    "l2.zero_grad_sets_none": "exact",
    "l2.second_backward_fails": "exact",
    "l2.retain_graph_adds_again": "exact",
    "l2.second_derivative": "exact",
    "l2.hessian_vector_product": "exact",
    "l2.no_grad_records_nothing": "exact",
    "l2.saved_storages": "exact",
    "l2.inference_tensors": "exact",
    "l2.eval_still_records": "exact",
    "l2.version_counter": "exact",
    "l2.inplace_breaks_backward": "exact",
    "l2.view_shares_base": "exact",
    "l2.tensor_hook_replaces": "exact",
    "l2.node_hooks_see_gradients": "exact",
    "l2.pack_hook_counts_saved": "exact",
    "l2.pack_in_forward": "exact",
    "l2.other_hooks": HOLDS,
    "l2.custom_function_gradcheck": "exact",
    "l2.custom_function_saves_one": "exact",
    "l2.jvp_vjp_products": HOLDS,
    "l2.jacobian_batched": HOLDS,
    "l2.dual_number_tangent": "exact",
    "l2.forward_wins_tall": HOLDS,  # the two Jacobians are compared: bitwise equal here, or ≈ with its ulps
    "l2.loss_goes_down": HOLDS,  # autograd's gradient against the closed form: ≈ with its ulps if not bitwise
    "l2.fresh_graph_each_step": "exact",
}


# --------------------------------------------------------------------------- the catalogue


def test_lesson_2_has_at_least_ten_claims_in_its_ten_sections():
    found = lesson2()
    assert len(found) >= 10
    assert set(LESSON_VERDICTS) <= set(found)  # a claim added to the lesson needs no edit here
    assert claims.cells(2) == tuple(range(1, 11))
    prose = [c for c in found.values() if c.quote is not None]
    assert len(prose) >= 10 and all(c.quote.kind == "prose" and c.quote.written_in is None for c in prose)
    assert all((c.lesson, c.cells) == (2, "section") for c in found.values())
    assert all(str(c.source) == f"Lesson 2, § {c.cell}" for c in found.values())


def test_every_claim_says_what_it_checks_in_both_languages_and_questions_are_questions():
    for claim_id, claim in lesson2().items():
        texts = i18n.MESSAGES[f"claim.{claim_id}"]
        assert texts["pt"] != texts["en"]
        for language in i18n.LANGUAGES:
            assert claim.statement.render(language) == texts[language]
            assert texts[language].rstrip().endswith("?") == (claim.quote is None), (claim_id, language)
            if claim.quote is not None:  # the lesson's own words in each language: none is a translation
                words = claim.quote.words[language]
                assert words and "<q" not in words and "</q>" not in words, (claim_id, language)
                assert claim.shown_quote(language) == (words, None)
        if claim.quote is not None:
            assert claim.quote.words["pt"] != claim.quote.words["en"], claim_id


@pytest.mark.parametrize("claim_id, status", LESSON_VERDICTS.items())
def test_verdicts_at_the_lesson_inputs(claim_id, status):
    verdict = verify(claim_id)
    wanted = status if isinstance(status, tuple) else (status,)
    assert verdict.status in wanted, str(verdict)
    assert verdict.claim is lesson2()[claim_id] and verdict.cell == lesson2()[claim_id].cell
    assert verdict.detail, f"{claim_id} shows no evidence"


def test_every_sentence_the_lesson_states_holds_at_its_inputs():
    """The lesson's own prose is judged: every sentence it quotes holds, with its evidence shown
    (the timed comparison of § 9 aside: its margin is tested above and measured in the notebook)."""
    for claim_id, claim in lesson2().items():
        if claim.quote is None or claim.timed:
            continue
        verdict = verify(claim_id)
        assert verdict.holds and verdict.detail, str(verdict)


@pytest.mark.parametrize("language", ["pt", "en"])
def test_every_section_shows_its_verdicts_in_the_learners_language(language):
    autograd_lessons.set_language(language)
    heading = "Lição 2, §" if language == "pt" else "Lesson 2, §"
    for section in range(1, 11):
        verdicts = verify_cell(section, lesson=2, **({"repeat": 1} if section == 9 else {}))
        # One run of a timed claim shows its evidence; whether it holds is judged at the lesson's
        # repeat count (test_verdicts_at_the_lesson_inputs), not on one run of a loaded machine.
        assert verdicts and all(v.holds for v in verdicts if not v.claim.timed), str(verdicts)
        for verdict in verdicts:
            assert heading in str(verdict).splitlines()[0] and verdict.detail


def test_the_claims_leave_the_global_random_state_alone():
    state = torch.random.get_rng_state()
    for section in range(1, 11):
        verify_cell(section, lesson=2, **({"repeat": 1} if section == 9 else {}))
    assert torch.equal(torch.random.get_rng_state(), state)


# --------------------------------------------------------------------------- each claim can fail


def softplus_network() -> tuple[torch.nn.Module, torch.Tensor]:
    """The lesson's § 5 network with Softplus in place of Tanh: Softplus saves its input, not its
    result, so the second layer's mat1 is a block of memory of its own (4 blocks, not 3)."""
    torch.manual_seed(0)
    net = torch.nn.Sequential(torch.nn.Linear(64, 256), torch.nn.Softplus(), torch.nn.Linear(256, 1))
    return net, torch.randn(128, 64)


def unpacked_during_forward(t: torch.Tensor) -> torch.Tensor:
    """A forward pass that reads its own saved tensor back (unpack) before the backward pass."""
    y = t.exp()
    y.grad_fn._saved_result  # noqa: B018 - reading it calls unpack
    return y


@pytest.mark.parametrize(
    "claim_id, inputs",
    [
        ("l2.leaf_grad_only", {"retain": True}),
        ("l2.leaf_grad_only", {"constant_requires_grad": True}),
        ("l2.retain_grad", {"retain": False}),
        ("l2.integer_no_grad", {"dtype": torch.float32}),
        ("l2.two_calls_add_up", {"zero_between": True}),
        ("l2.forgotten_zero_multiplies", {"zero": True}),
        ("l2.zero_grad_sets_none", {"set_to_none": False}),
        ("l2.second_backward_fails", {"retain_graph": True}),
        ("l2.retain_graph_adds_again", {"retain_graph": False}),
        ("l2.second_derivative", {"create_graph": False}),
        ("l2.no_grad_records_nothing", {"contexts": (contextlib.nullcontext,)}),
        ("l2.no_grad_records_nothing", {"contexts": (torch.no_grad, torch.enable_grad)}),
        ("l2.saved_storages", {"network": lambda: softplus_network()}),
        ("l2.inference_tensors", {"made_in": torch.no_grad}),
        ("l2.eval_still_records", {"prepare": lambda model: model.requires_grad_(False)}),
        ("l2.version_counter", {"operations": (lambda t: t.add_(1), lambda t: t + 1)}),
        ("l2.inplace_breaks_backward", {"forward": lambda t: t + 1}),
        ("l2.view_shares_base", {"take": lambda h: h[1:3].clone()}),
        ("l2.view_shares_base", {"chains": (("h[1:3].clone()[:1]", lambda h: h[1:3].clone(), lambda v: v[:1]),)}),
        ("l2.pack_hook_counts_saved", {"forward": lambda t: t + 1}),
        ("l2.pack_in_forward", {"forwards": (("unpacked in forward", unpacked_during_forward),)}),
        ("l2.other_hooks", {"zero_between": True}),
        ("l2.custom_function_saves_one", {"function": lambda t: defined("Softplus").apply(t) * t}),
        ("l2.jacobian_batched", {"chunk_size": 1}),
        ("l2.forward_wins_tall", {"tall": (6, 6), "wide": (6, 6), "repeat": 3}),
        ("l2.loss_goes_down", {"lr": 1.5}),
        ("l2.fresh_graph_each_step", {"rebuild": False}),
    ],
    ids=lambda value: value if isinstance(value, str) else "",
)
def test_a_broken_premise_gives_false(claim_id, inputs):
    verdict = verify(claim_id, **inputs)
    assert verdict.status == "false", str(verdict)
    assert verdict.counterexample is not None and verdict.detail


@pytest.mark.parametrize(
    "formula, wrong, claim_ids",
    [
        (
            "grad_sum_of_squares",
            lambda x: 3 * x,
            ["l2.leaf_grad_only", "l2.forgotten_zero_multiplies", "l2.zero_grad_sets_none", "l2.tensor_hook_replaces"],
        ),
        ("grad_two_losses", lambda x: 2 * x + 2, ["l2.two_calls_add_up"]),
        ("exp_derivative", lambda x: x.exp() + 1, ["l2.retain_graph_adds_again", "l2.node_hooks_see_gradients"]),
        ("second_derivative_of_cube", lambda x: 3 * x, ["l2.second_derivative"]),
        ("hvp_quartic", lambda x, v: (x * x).sum() * v, ["l2.hessian_vector_product"]),
        ("softplus_derivative", lambda x: 1.01 * torch.sigmoid(x), ["l2.custom_function_gradcheck"]),
        ("tanh_derivative", lambda x: 1 - torch.tanh(x), ["l2.jvp_vjp_products"]),
        ("x_exp_derivative", lambda x: x * torch.exp(x), ["l2.dual_number_tangent"]),
        (
            "regression_gradient",
            lambda X, t, w, b: (X.T @ (X @ w + b - t) / len(t), (X @ w + b - t).mean()),
            ["l2.loss_goes_down"],
        ),
        ("saved_in_graph", lambda root: 2, ["l2.pack_hook_counts_saved", "l2.no_grad_records_nothing"]),
        ("saved_values", lambda root: [], ["l2.saved_storages"]),
        # The rule the lesson used to state, "a leaf is a tensor we created, not one an operation
        # produced", is refuted by y.detach() and the other tensors made without recording.
        (
            "leaf_rule",
            lambda requires_grad, has_grad_fn, made_by_operation: not made_by_operation,
            ["l2.leaf_definition"],
        ),
    ],
    ids=lambda value: value if isinstance(value, str) else "",
)
def test_a_wrong_formula_or_second_count_is_caught(monkeypatch, formula, wrong, claim_ids):
    replace_everywhere(monkeypatch, formula, wrong)
    for claim_id in claim_ids:
        verdict = verify(claim_id)
        assert verdict.status == "false", (claim_id, str(verdict))


def wrong_softplus() -> type[torch.autograd.Function]:
    """The lesson's Softplus with a backward that follows a wrong derivative, sigmoid(2x)."""

    class WrongSoftplus(torch.autograd.Function):
        forward = staticmethod(defined("Softplus").forward)

        @staticmethod
        def backward(ctx, grad_output):
            (x,) = ctx.saved_tensors
            return grad_output * torch.sigmoid(2 * x)

    return WrongSoftplus


def test_finite_differences_refute_a_formula_that_autograd_happens_to_follow():
    # A wrong backward fools a comparison of autograd with the same formula, but not gradcheck
    # (finite differences of the forward pass).
    function = wrong_softplus().apply
    x = torch.tensor([-2.0, 0.5, 3.0], requires_grad=True)
    function(x).sum().backward()
    assert torch.equal(x.grad, torch.sigmoid(2 * x.detach())), "autograd follows the wrong formula"
    verdict = verify("l2.custom_function_gradcheck", function=function)
    assert verdict.status == "false" and "passed: no" in str(verdict)
    assert verify("l2.custom_function_gradcheck", function=defined("Softplus").apply).status == "exact"


def test_the_timing_claim_judges_the_ratio_with_its_margin_and_shows_masked_times(monkeypatch):
    def fake(outputs, inputs, repeat):
        forward, reverse = (1e-4 * inputs, 1e-4 * outputs)
        return {
            "forward": forward,
            "reverse": reverse,
            "forward_passes": inputs,
            "reverse_passes": outputs,
            "same": compare(torch.ones(3), torch.ones(3)),
        }

    replace_everywhere(monkeypatch, "time_modes", fake)
    verdict = verify("l2.forward_wins_tall")
    assert verdict.status == "exact" and "(reverse/forward ≥ 5×: yes)" in str(verdict)
    assert verdict.counterexample is None
    failing = verify("l2.forward_wins_tall", tall=(16, 4), wide=(4, 16))
    assert failing.counterexample["tall_ratio"] == pytest.approx(4.0) and "≥ 5×: no" in str(failing)
    assert str(verdict).count("⏱") == 4 and "⏱ TIME" in sanitize(str(verdict))
    assert verify("l2.forward_wins_tall", tall=(16, 4), wide=(4, 16)).status == "false", (
        "a 4× gap is under the 5× margin"
    )
    assert verify("l2.forward_wins_tall", tall=(16, 4), wide=(4, 16), margin=3.0).status == "exact"
    different = compare(torch.ones(3), torch.tensor([1.0, 1.5, 1.0]))
    replace_everywhere(monkeypatch, "time_modes", lambda m, n, r: {**fake(m, n, r), "same": different})
    assert verify("l2.forward_wins_tall").status == "false", "the two modes must build the same Jacobian"


def test_the_timing_claim_measures_for_real():
    verdict = verify("l2.forward_wins_tall", repeat=3)
    text = str(verdict)
    assert verdict.status == "exact", text
    assert "4 passes" in text and "400 passes" in text and "Medians of 3 interleaved runs" in text


def test_the_lesson_demonstrations_catch_the_errors_pytorch_really_raises():
    try:
        torch.arange(4).requires_grad_(True)
    except RuntimeError as error:
        assert defined("first_line")(error).startswith("RuntimeError: only Tensors of floating point")
    text = str(verify("l2.second_backward_fails"))
    assert "RuntimeError: Trying to backward through the graph a second time" in text
    text = str(verify("l2.inplace_breaks_backward"))
    assert "is at version 1; expected version 0" in text
    assert "Triggered internally" not in str(verify("l2.leaf_grad_only"))


# --------------------------------------------------------------------------- a teacher's corrections
#
# A careful reader found sentences of the lesson that were not true. Each test below checks the
# corrected words on the cases that could break them (through the claim that judges them), and
# that the old words are gone from the lesson's source, in both editions.


def source_sections(language: str) -> dict[int, str]:
    """Each numbered section's markdown in the lesson's source, as a reader of `language` reads it
    (quote marks removed, lines joined): what the next build puts in that edition's notebook."""
    lesson = course.lesson(2)
    sections: dict[int, str] = {}
    current = 0
    for cell in lesson.source_cells(lesson.notebook):
        if cell.kind != "markdown" or cell.lang not in (None, language):
            continue
        heading = re.match(r"## (\d+)\. ", cell.source)
        if heading:
            current = int(heading[1])
        elif cell.source.startswith("## "):
            current = 0
        sections[current] = sections.get(current, "") + "\n" + sources.strip_marks(cell.source)
    return {number: normalised(text) for number, text in sections.items()}


WRONG_WORDS = [
    ("en", 1, "A leaf is a tensor we created, not one an operation produced"),
    ("pt", 1, "Uma folha é um tensor criado por nós, e não por uma operação"),
    ("en", 1, "After the backward pass only the leaves get a gradient"),
    ("pt", 1, "Depois da retropropagação, só as folhas recebem o gradiente"),
    ("pt", 2, "Acumulação de propósito"),
    ("en", 5, "which can never enter a recorded computation"),
    ("pt", 5, "que nunca poderão entrar num cálculo registrado"),
    ("en", 6, "its _base is the tensor it came from"),
    ("pt", 6, "o seu _base é o tensor de onde ela veio"),
    ("en", 7, "A hook is a function of yours that autograd calls during the backward pass. There are three kinds."),
    ("pt", 7, "uma função sua que o autograd chama durante a retropropagação. Há três tipos."),
    ("en", 9, "one column or one row at a time, and hessian"),
    ("pt", 9, "inteira uma coluna ou uma linha por vez, e hessian"),
    ("en", 9, "costs one pass per input"),
    ("pt", 9, "custa uma passagem por entrada"),
]


@pytest.mark.parametrize("language, section, words", WRONG_WORDS)
def test_the_words_the_teacher_found_wrong_are_gone(language, section, words):
    sections = source_sections(language)
    assert set(range(1, 11)) <= set(sections)
    assert normalised(words) not in sections[section], (language, section, words)


@pytest.mark.parametrize("language", ["pt", "en"])
def test_every_quote_stands_verbatim_in_its_sections_source(language):
    """The notebooks are built from the source: each quote is in its section there already."""
    sections = source_sections(language)
    for claim_id, claim in lesson2().items():
        if claim.quote is not None:
            assert normalised(claim.quote.words[language]) in sections[claim.cell], (claim_id, language)


def test_inference_tensors_enter_recorded_computations_and_only_saving_them_is_refused():
    with torch.inference_mode():
        t = torch.ones(3)
    w = torch.ones(3, requires_grad=True)
    assert (t + w).grad_fn is not None, "an inference tensor in a recorded computation"
    verdict = verify("l2.inference_tensors")
    assert verdict.status == "exact", str(verdict)
    text = str(verdict)
    assert "Recorded with t: t + w, torch.cat([t, w])" in text and "Refused: t * w, t @ w" in text
    assert "refused outside inference mode: yes; inside: no" in text
    # Made under no_grad instead, t is an ordinary tensor: nothing is refused, and the claim says so.
    ordinary = verify("l2.inference_tensors", made_in=torch.no_grad)
    assert ordinary.status == "false" and "t * w" in ordinary.counterexample["mismatched"]


def test_every_tensor_that_does_not_require_gradients_is_a_leaf():
    x = torch.arange(4.0, requires_grad=True)
    assert (x * x).detach().is_leaf and not (x * x).is_leaf
    verdict = verify("l2.leaf_definition")
    assert verdict.status == "exact", str(verdict)
    assert "y.detach(), x.detach() * 2, x * 2 (no_grad)" in str(verdict)
    detached = verify("l2.leaf_definition", cases=[("y.detach()", lambda t: (t * t).detach(), True)])
    assert detached.holds, "made by an operation, and still a leaf"


def per_tensor_bytes(run):
    """saved_by as the lesson first wrote it: the bytes of every saved tensor, the same block twice."""
    saved = []
    with torch.autograd.graph.saved_tensors_hooks(lambda t: saved.append(t) or t, lambda t: t):
        out = run()
    return out, len(saved), len(saved), sum(t.numel() * t.element_size() for t in saved)


def test_the_saved_memory_counts_each_block_once_on_the_network_the_text_shows():
    net, batch = defined("network_and_batch")()
    assert [type(layer).__name__ for layer in net] == ["Linear", "Tanh", "Linear"]
    assert (net[0].in_features, net[0].out_features, tuple(batch.shape)) == (64, 256, (128, 64))
    _, count, blocks, size = defined("lesson_saved_by")(lambda: net(batch))
    assert (count, blocks, size) == (4, 3, (128 * 64 + 256 * 1 + 128 * 256) * 4), "batch, weight, tanh result"
    verdict = verify("l2.saved_storages")
    assert verdict.status == "exact" and "saved_by: 4 saved tensors, 3 blocks, 164864 bytes" in str(verdict)
    counted_twice = verify("l2.saved_storages", saved_by=per_tensor_bytes)
    assert counted_twice.status == "false" and counted_twice.counterexample["bytes"] == 164864 + 131072
    # The verdict on no_grad and inference_mode runs the network the text shows, not another one.
    assert "4 saved tensors in 3 blocks of memory (164864 bytes" in str(verify("l2.no_grad_records_nothing"))


def test_pack_runs_in_the_forward_pass_and_unpack_in_the_backward_pass():
    verdict = verify("l2.pack_in_forward")
    assert verdict.status == "exact", str(verdict)
    assert "all during the forward pass: yes" in str(verdict)
    assert "all during the backward pass: yes" in str(verdict)
    early = verify("l2.pack_in_forward", forwards=(("unpacked in forward", unpacked_during_forward),))
    assert early.status == "false" and early.counterexample["unpack_phases"] == ["backward", "forward"]


def test_the_other_hooks_and_what_node_hooks_receive():
    assert verify("l2.other_hooks").holds
    late = verify("l2.other_hooks", zero_between=True)
    assert late.status == "false" and "The hook read p.grad = [3, 3, 3, 3]" in str(late)
    text = str(verify("l2.node_hooks_see_gradients"))
    assert "2 for MulBackward0, which has 2" in text and "The hook's grad_outputs[0] = [1, 2, 3]" in text


def test_a_view_of_a_view_has_the_owner_of_the_memory_as_base():
    h = torch.arange(4.0) * 2
    middle = h[1:3]
    assert middle[:1]._base is h and middle[:1]._base is not middle
    verdict = verify("l2.view_shares_base")
    assert verdict.status == "exact" and "whose _base is the view in the middle: —" in str(verdict)
    copied = verify("l2.view_shares_base", chains=(("h[1:3].clone()[:1]", lambda t: t[1:3].clone(), lambda v: v[:1]),))
    assert copied.status == "false" and copied.counterexample["base_not_h"] == ["h[1:3].clone()[:1]"]


def test_jacfwd_and_jacrev_compute_all_their_products_at_once():
    verdict = verify("l2.jacobian_batched")
    assert verdict.holds, str(verdict)
    assert "400×4: jacfwd: calls of f 1, computations of tanh's derivative 1, for 4 columns" in str(verdict)
    row_by_row = verify("l2.jacobian_batched", shapes=((3, 4),), chunk_size=1)
    assert row_by_row.status == "false" and "jacrev: 1 and 3, for 3 rows" in str(row_by_row)


def test_neither_jvp_nor_vjp_builds_the_jacobian_and_one_that_did_would_be_caught(monkeypatch):
    verdict = verify("l2.jvp_vjp_products")
    assert verdict.holds and "built by jvp: —; by vjp: —" in str(verdict), str(verdict)
    jacrev = torch.func.jacrev

    def jvp_through_the_jacobian(f, primals, tangents):
        return f(*primals), jacrev(f)(*primals) @ tangents[0]

    monkeypatch.setattr(torch.func, "jvp", jvp_through_the_jacobian)
    caught = verify("l2.jvp_vjp_products")
    assert caught.status == "false" and caught.counterexample["jvp_built"] == ["(3, 4)", "(8, 2)", "(2, 8)"]


def one_ulp_apart(tensor: torch.Tensor) -> torch.Tensor:
    return torch.nextafter(tensor, torch.full_like(tensor, math.inf))


def test_an_identity_that_holds_up_to_rounding_is_shown_as_rounding_never_as_exact(monkeypatch):
    """One rounding policy: exact identities evaluated in floats are judged by compare, so ≈ with
    the ulps when they are not bitwise equal, not ✔ through a tolerance hidden in a yes/no fact."""
    close = compare(one_ulp_apart(torch.ones(3)), torch.ones(3))
    assert close.status == "rounding"

    def timed(outputs, inputs, repeat):
        return {
            "forward": 1e-4 * inputs,
            "reverse": 1e-4 * outputs,
            "forward_passes": inputs,
            "reverse_passes": outputs,
            "same": close,
        }

    replace_everywhere(monkeypatch, "time_modes", timed)
    verdict = verify("l2.forward_wins_tall")
    assert verdict.status == "rounding" and "J by columns (400×4) and J by rows: equal up to" in str(verdict)
    closed_form = defined("regression_gradient")

    def nearby(features, target, w, b):
        gw, gb = closed_form(features, target, w, b)
        return one_ulp_apart(gw), one_ulp_apart(gb)

    replace_everywhere(monkeypatch, "regression_gradient", nearby)
    descent = verify("l2.loss_goes_down")
    assert descent.status == "rounding" and "the closed form (2/n) Xᵀr, 2·mean(r): equal up to" in str(descent)


def test_no_claim_of_lesson_2_judges_with_allclose():
    for module in lesson_claims.MODULES:
        code = Path(module.__file__).read_text(encoding="utf-8")
        assert "allclose" not in code and "isclose" not in code, module.__name__
    lesson = course.lesson(2)
    assert "allclose" not in lesson.source_path(lesson.notebook).read_text(encoding="utf-8")


@pytest.mark.parametrize("language, normal", [("pt", "Isso é normal"), ("en", "That is normal")])
def test_freed_saved_values_are_called_normal_once_and_never_a_reason_to_keep_the_graph(language, normal):
    sections = source_sections(language)
    said = sum(text.lower().count(normal.lower()) for text in sections.values())
    assert said == 1 and normal in sections[3], "said once, where the lesson first shows freed values"
    catalogue = (course.lesson(2).folder / "locale" / f"{language}.po").read_text(encoding="utf-8")
    for words in ("to keep them, call backward(retain_graph=True)", "para mantê-los, chame"):
        assert words not in catalogue and all(words not in text for text in sections.values())


# --------------------------------------------------------------------------- inputs


# Every claim that takes a tensor, by the name of that input (x, or a in § 3), read from the
# registered claims: a claim added to the lesson is tested at these edges without an edit here.
TENSOR_INPUTS = {claim_id: name for claim_id, claim in lesson2().items() for name in ("x", "a") if name in claim.inputs}


def test_the_claims_that_take_a_tensor_are_found():
    assert len(TENSOR_INPUTS) >= 19 and TENSOR_INPUTS["l2.second_backward_fails"] == "a"


@pytest.mark.parametrize("claim_id", TENSOR_INPUTS)
def test_negative_zero_is_an_ordinary_input(claim_id):
    name = TENSOR_INPUTS[claim_id]
    verdict = verify(claim_id, **{name: torch.tensor([-0.0, 1.0, 2.0])})
    assert verdict.holds, str(verdict)


BAD = [
    (torch.tensor([math.nan, 1.0, 2.0]), ("finite numbers only", "números finitos")),
    (torch.tensor([1.0, math.inf, 2.0]), ("finite numbers only", "números finitos")),
    (torch.tensor([1.0, 2.0, -math.inf]), ("finite numbers only", "números finitos")),
    (torch.zeros(0), ("is empty", "está vazio")),
    (torch.arange(3), ("only floating-point tensors can require gradients", "só tensores de ponto flutuante")),
    (torch.tensor([True, False, True]), ("only floating-point tensors", "só tensores de ponto flutuante")),
    ([1.0, 2.0, 3.0], ("must be a PyTorch tensor", "deve ser um tensor do PyTorch")),
]


@pytest.mark.parametrize("bad, words", BAD, ids=["nan", "inf", "-inf", "empty", "int64", "bool", "list"])
@pytest.mark.parametrize("claim_id", TENSOR_INPUTS)
def test_bad_tensors_are_refused_in_the_learners_language(claim_id, bad, words):
    name = TENSOR_INPUTS[claim_id]
    for language, expected in zip(("en", "pt"), words, strict=True):
        autograd_lessons.set_language(language)
        with pytest.raises(LessonError, match=re.escape(expected)):
            verify(claim_id, **{name: bad})


@pytest.mark.parametrize(
    "claim_id, inputs, words",
    [
        ("l2.hessian_vector_product", {"v": torch.ones(4)}, ("must be like x", "precisa ser como x")),
        (
            "l2.node_hooks_see_gradients",
            {"w": torch.ones(3, dtype=torch.float64)},
            ("must be like x", "precisa ser como x"),
        ),
        ("l2.jvp_vjp_products", {"u": torch.ones(4)}, ("must be like x", "precisa ser como x")),
        ("l2.view_shares_base", {"x": torch.ones(2)}, ("at least 3 elements", "pelo menos 3 elementos")),
        ("l2.forgotten_zero_multiplies", {"steps": 0}, ("at least 1", "pelo menos 1")),
        ("l2.fresh_graph_each_step", {"steps": 2.5}, ("whole number", "número inteiro")),
        ("l2.loss_goes_down", {"lr": -0.1}, ("positive, finite number", "positivo e finito")),
        ("l2.loss_goes_down", {"lr": math.inf}, ("positive, finite number", "positivo e finito")),
        ("l2.integer_no_grad", {"dtype": "int64"}, ("PyTorch dtype", "tipo do PyTorch")),
        ("l2.forward_wins_tall", {"tall": (400,)}, ("pair (outputs, inputs)", "par (saídas, entradas)")),
        (
            "l2.dual_number_tangent",
            {"tangent": torch.tensor([math.nan, 0.0, 1.0])},
            ("finite numbers only", "números finitos"),
        ),
    ],
    ids=lambda value: value if isinstance(value, str) else "",
)
def test_other_bad_inputs_say_what_to_do(claim_id, inputs, words):
    for language, expected in zip(("en", "pt"), words, strict=True):
        autograd_lessons.set_language(language)
        with pytest.raises(LessonError, match=re.escape(expected)):
            verify(claim_id, **inputs)


# --------------------------------------------------------------------------- the notebooks


def markdown_by_section(language: str) -> dict[int, str]:
    """Each numbered section's markdown (## k. …) of one edition, as stored in the notebook."""
    notebook = json.loads((NOTEBOOKS / language / NOTEBOOK).read_text(encoding="utf-8"))
    sections: dict[int, str] = {}
    current = 0
    for cell in notebook["cells"]:
        if cell["cell_type"] != "markdown":
            continue
        text = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        heading = re.match(r"## (\d+)\. ", text)
        if heading:
            current = int(heading[1])
        elif text.startswith("## "):
            current = 0
        sections[current] = sections.get(current, "") + "\n" + text
    return sections


@pytest.mark.parametrize("language", ["pt", "en"])
def test_every_quote_stands_verbatim_in_its_sections_markdown(language):
    """What a verdict quotes is what a reader of that edition reads in the claim's section."""
    sections = {number: normalised(text) for number, text in markdown_by_section(language).items()}
    assert set(range(1, 11)) <= set(sections)
    for claim_id, claim in lesson2().items():
        if claim.quote is None:
            continue
        quote = normalised(claim.quote.words[language])
        assert quote in sections[claim.cell], (
            f"{claim_id}: {quote!r} is not in § {claim.cell} of the {language} edition"
        )


def test_a_quote_missing_from_the_markdown_would_be_caught():
    sections = {number: normalised(text) for number, text in markdown_by_section("en").items()}
    quote = normalised(lesson2()["l2.version_counter"].quote.words["en"])
    assert quote in sections[6] and quote not in sections[5]
    assert quote.replace("adds one", "adds 1") not in sections[6]
    portuguese = normalised(lesson2()["l2.version_counter"].quote.words["pt"])
    assert portuguese not in sections[6], "each edition is checked against its own words"


@pytest.mark.parametrize("made, shown", [("en", "pt"), ("pt", "en")])
def test_a_sections_verdicts_are_worded_in_the_language_current_when_shown(made, shown):
    autograd_lessons.set_language(made)
    earlier = verify_cell(6, lesson=2)
    then = str(earlier)
    autograd_lessons.set_language(shown)
    fresh = verify_cell(6, lesson=2)
    assert str(earlier) == str(fresh) and earlier._repr_html_() == fresh._repr_html_() and str(earlier) != then
    heading = "Lição 2, §" if shown == "pt" else "Lesson 2, §"
    for verdict in earlier:
        assert heading in str(verdict).splitlines()[0]
        words = verdict.claim.quote.words[shown] if verdict.claim.quote is not None else str(verdict.statement)
        assert words in str(verdict).splitlines()[0]


@pytest.mark.parametrize("language", ["pt", "en"])
def test_each_section_ends_with_its_verdicts_and_nothing_leaks_to_stderr(language):
    notebook = json.loads((NOTEBOOKS / language / NOTEBOOK).read_text(encoding="utf-8"))
    calls = []
    for cell in notebook["cells"]:
        if cell["cell_type"] != "code":
            continue
        source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        calls += [int(k) for k in re.findall(r"verify_cell\((\d+), lesson=2\)", source)]
        for output in cell.get("outputs", []):
            assert output["output_type"] != "error", source[:80]
            assert not (output["output_type"] == "stream" and output["name"] == "stderr"), (source[:80], output["text"])
            text = "".join(output.get("data", {}).get("text/plain", ""))
            assert "✘" not in text, text[:300]
    assert calls == list(range(1, 11))
