"""Lesson 4's claims: each holds at the lesson's inputs, each is caught when its premise is
broken, bad inputs are refused in the learner's language, and every quoted sentence stands
word for word in the markdown of both editions."""

from __future__ import annotations

import contextlib
import json
import math
import re

import pytest
import torch

import autograd_lessons
from autograd_lessons import claims, course, i18n
from autograd_lessons.claims import verify, verify_cell
from autograd_lessons.i18n import LessonError
from autograd_lessons.lessons.in_depth import claims as lesson_claims
from helpers import NOTEBOOKS, normalised, sanitize

HOLDS = ("exact", "rounding")
NOTEBOOK = f"{course.lesson(4).notebook}.ipynb"


def lesson4():
    """Lesson 4's claims, by id, as the course registered them."""
    return course.lesson(4, "claims").claims


def defined(name: str) -> object:
    """What lesson 4's claims call `name`, from whichever of its modules defines or imports it."""
    found = [getattr(module, name) for module in lesson_claims.MODULES if hasattr(module, name)]
    assert found, f"no claims module of lesson 4 has {name}"
    return found[0]


def replace_everywhere(monkeypatch, name: str, value: object) -> None:
    """Make every claims module of lesson 4 that uses `name` use `value` instead."""
    users = [module for module in lesson_claims.MODULES if hasattr(module, name)]
    assert users, f"no claims module of lesson 4 uses {name}"
    for module in users:
        monkeypatch.setattr(module, name, value)


LESSON_VERDICTS = {
    "l4.leaf_grad_only": "exact",
    "l4.retain_grad": "exact",
    "l4.integer_no_grad": "exact",
    "l4.two_calls_add_up": "exact",
    "l4.forgotten_zero_multiplies": "exact",
    "l4.zero_grad_sets_none": "exact",
    "l4.second_backward_fails": "exact",
    "l4.retain_graph_adds_again": "exact",
    "l4.second_derivative": "exact",
    "l4.hessian_vector_product": "exact",
    "l4.no_grad_records_nothing": "exact",
    "l4.eval_still_records": "exact",
    "l4.version_counter": "exact",
    "l4.inplace_breaks_backward": "exact",
    "l4.view_shares_base": "exact",
    "l4.tensor_hook_replaces": "exact",
    "l4.node_hooks_see_gradients": "exact",
    "l4.pack_hook_counts_saved": "exact",
    "l4.custom_function_gradcheck": "exact",
    "l4.custom_function_saves_one": "exact",
    "l4.jvp_vjp_products": HOLDS,
    "l4.dual_number_tangent": "exact",
    "l4.forward_wins_tall": "exact",
    "l4.loss_goes_down": "exact",
    "l4.fresh_graph_each_step": "exact",
}


# --------------------------------------------------------------------------- the catalogue


def test_lesson_4_has_at_least_ten_claims_in_its_ten_sections():
    found = lesson4()
    assert len(found) >= 10
    assert set(LESSON_VERDICTS) <= set(found)  # a claim added to the lesson needs no edit here
    assert claims.cells(4) == tuple(range(1, 11))
    prose = [c for c in found.values() if c.quote is not None]
    assert len(prose) >= 10 and all(c.quote.kind == "prose" and c.quote.written_in is None for c in prose)
    assert all((c.lesson, c.cells) == (4, "section") for c in found.values())
    assert all(str(c.source) == f"Lesson 4, § {c.cell}" for c in found.values())


def test_every_claim_says_what_it_checks_in_both_languages_and_questions_are_questions():
    for claim_id, claim in lesson4().items():
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
    assert verdict.claim is lesson4()[claim_id] and verdict.cell == lesson4()[claim_id].cell
    assert verdict.detail, f"{claim_id} shows no evidence"


def test_every_sentence_the_lesson_states_holds_at_its_inputs():
    """The lesson's own prose is judged: every sentence it quotes holds, with its evidence shown
    (the timed comparison of § 9 aside: its margin is tested above and measured in the notebook)."""
    for claim_id, claim in lesson4().items():
        if claim.quote is None or claim.timed:
            continue
        verdict = verify(claim_id)
        assert verdict.holds and verdict.detail, str(verdict)


@pytest.mark.parametrize("language", ["pt", "en"])
def test_every_section_shows_its_verdicts_in_the_learners_language(language):
    autograd_lessons.set_language(language)
    heading = "Lição 4, §" if language == "pt" else "Lesson 4, §"
    for section in range(1, 11):
        verdicts = verify_cell(section, lesson=4, **({"repeat": 1} if section == 9 else {}))
        # One run of a timed claim shows its evidence; whether it holds is judged at the lesson's
        # repeat count (test_verdicts_at_the_lesson_inputs), not on one run of a loaded machine.
        assert verdicts and all(v.holds for v in verdicts if not v.claim.timed), str(verdicts)
        for verdict in verdicts:
            assert heading in str(verdict).splitlines()[0] and verdict.detail


def test_the_claims_leave_the_global_random_state_alone():
    state = torch.random.get_rng_state()
    for section in range(1, 11):
        verify_cell(section, lesson=4, **({"repeat": 1} if section == 9 else {}))
    assert torch.equal(torch.random.get_rng_state(), state)


# --------------------------------------------------------------------------- each claim can fail


@pytest.mark.parametrize(
    "claim_id, inputs",
    [
        ("l4.leaf_grad_only", {"retain": True}),
        ("l4.retain_grad", {"retain": False}),
        ("l4.integer_no_grad", {"dtype": torch.float32}),
        ("l4.two_calls_add_up", {"zero_between": True}),
        ("l4.forgotten_zero_multiplies", {"zero": True}),
        ("l4.zero_grad_sets_none", {"set_to_none": False}),
        ("l4.second_backward_fails", {"retain_graph": True}),
        ("l4.retain_graph_adds_again", {"retain_graph": False}),
        ("l4.second_derivative", {"create_graph": False}),
        ("l4.no_grad_records_nothing", {"contexts": (contextlib.nullcontext,)}),
        ("l4.no_grad_records_nothing", {"contexts": (torch.no_grad, torch.enable_grad)}),
        ("l4.eval_still_records", {"prepare": lambda model: model.requires_grad_(False)}),
        ("l4.version_counter", {"operations": (lambda t: t.add_(1), lambda t: t + 1)}),
        ("l4.inplace_breaks_backward", {"forward": lambda t: t + 1}),
        ("l4.view_shares_base", {"take": lambda h: h[1:3].clone()}),
        ("l4.pack_hook_counts_saved", {"forward": lambda t: t + 1}),
        ("l4.custom_function_saves_one", {"function": lambda t: defined("Softplus").apply(t) * t}),
        ("l4.forward_wins_tall", {"tall": (6, 6), "wide": (6, 6), "repeat": 3}),
        ("l4.loss_goes_down", {"lr": 1.5}),
        ("l4.fresh_graph_each_step", {"rebuild": False}),
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
            ["l4.leaf_grad_only", "l4.forgotten_zero_multiplies", "l4.zero_grad_sets_none", "l4.tensor_hook_replaces"],
        ),
        ("grad_two_losses", lambda x: 2 * x + 2, ["l4.two_calls_add_up"]),
        ("exp_derivative", lambda x: x.exp() + 1, ["l4.retain_graph_adds_again", "l4.node_hooks_see_gradients"]),
        ("second_derivative_of_cube", lambda x: 3 * x, ["l4.second_derivative"]),
        ("hvp_quartic", lambda x, v: (x * x).sum() * v, ["l4.hessian_vector_product"]),
        ("softplus_derivative", lambda x: 1.01 * torch.sigmoid(x), ["l4.custom_function_gradcheck"]),
        ("tanh_derivative", lambda x: 1 - torch.tanh(x), ["l4.jvp_vjp_products"]),
        ("x_exp_derivative", lambda x: x * torch.exp(x), ["l4.dual_number_tangent"]),
        (
            "regression_gradient",
            lambda X, t, w, b: (X.T @ (X @ w + b - t) / len(t), (X @ w + b - t).mean()),
            ["l4.loss_goes_down"],
        ),
        ("saved_in_graph", lambda root: 2, ["l4.pack_hook_counts_saved", "l4.no_grad_records_nothing"]),
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
    verdict = verify("l4.custom_function_gradcheck", function=function)
    assert verdict.status == "false" and "passed: no" in str(verdict)
    assert verify("l4.custom_function_gradcheck", function=defined("Softplus").apply).status == "exact"


def test_the_timing_claim_judges_the_ratio_with_its_margin_and_shows_masked_times(monkeypatch):
    def fake(outputs, inputs, repeat):
        forward, reverse = (1e-4 * inputs, 1e-4 * outputs)
        return {
            "forward": forward,
            "reverse": reverse,
            "forward_passes": inputs,
            "reverse_passes": outputs,
            "same": True,
        }

    replace_everywhere(monkeypatch, "time_modes", fake)
    verdict = verify("l4.forward_wins_tall")
    assert verdict.status == "exact" and "(reverse/forward ≥ 5×: yes)" in str(verdict)
    assert verdict.counterexample is None
    failing = verify("l4.forward_wins_tall", tall=(16, 4), wide=(4, 16))
    assert failing.counterexample["tall_ratio"] == pytest.approx(4.0) and "≥ 5×: no" in str(failing)
    assert str(verdict).count("⏱") == 4 and "⏱ TIME" in sanitize(str(verdict))
    assert verify("l4.forward_wins_tall", tall=(16, 4), wide=(4, 16)).status == "false", (
        "a 4× gap is under the 5× margin"
    )
    assert verify("l4.forward_wins_tall", tall=(16, 4), wide=(4, 16), margin=3.0).status == "exact"
    replace_everywhere(monkeypatch, "time_modes", lambda m, n, r: {**fake(m, n, r), "same": False})
    assert verify("l4.forward_wins_tall").status == "false", "the two modes must build the same Jacobian"


def test_the_timing_claim_measures_for_real():
    verdict = verify("l4.forward_wins_tall", repeat=3)
    text = str(verdict)
    assert verdict.status == "exact", text
    assert "4 passes" in text and "400 passes" in text and "Medians of 3 interleaved runs" in text


def test_the_lesson_demonstrations_catch_the_errors_pytorch_really_raises():
    try:
        torch.arange(4).requires_grad_(True)
    except RuntimeError as error:
        assert defined("first_line")(error).startswith("RuntimeError: only Tensors of floating point")
    text = str(verify("l4.second_backward_fails"))
    assert "RuntimeError: Trying to backward through the graph a second time" in text
    text = str(verify("l4.inplace_breaks_backward"))
    assert "is at version 1; expected version 0" in text
    assert "Triggered internally" not in str(verify("l4.leaf_grad_only"))


# --------------------------------------------------------------------------- inputs


# Every claim that takes a tensor, by the name of that input (x, or a in § 3), read from the
# registered claims: a claim added to the lesson is tested at these edges without an edit here.
TENSOR_INPUTS = {claim_id: name for claim_id, claim in lesson4().items() for name in ("x", "a") if name in claim.inputs}


def test_the_claims_that_take_a_tensor_are_found():
    assert len(TENSOR_INPUTS) >= 19 and TENSOR_INPUTS["l4.second_backward_fails"] == "a"


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
        ("l4.hessian_vector_product", {"v": torch.ones(4)}, ("must be like x", "precisa ser como x")),
        (
            "l4.node_hooks_see_gradients",
            {"w": torch.ones(3, dtype=torch.float64)},
            ("must be like x", "precisa ser como x"),
        ),
        ("l4.jvp_vjp_products", {"u": torch.ones(4)}, ("must be like x", "precisa ser como x")),
        ("l4.view_shares_base", {"x": torch.ones(2)}, ("at least 3 elements", "pelo menos 3 elementos")),
        ("l4.forgotten_zero_multiplies", {"steps": 0}, ("at least 1", "pelo menos 1")),
        ("l4.fresh_graph_each_step", {"steps": 2.5}, ("whole number", "número inteiro")),
        ("l4.loss_goes_down", {"lr": -0.1}, ("positive, finite number", "positivo e finito")),
        ("l4.loss_goes_down", {"lr": math.inf}, ("positive, finite number", "positivo e finito")),
        ("l4.integer_no_grad", {"dtype": "int64"}, ("PyTorch dtype", "tipo do PyTorch")),
        ("l4.forward_wins_tall", {"tall": (400,)}, ("pair (outputs, inputs)", "par (saídas, entradas)")),
        (
            "l4.dual_number_tangent",
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
    for claim_id, claim in lesson4().items():
        if claim.quote is None:
            continue
        quote = normalised(claim.quote.words[language])
        assert quote in sections[claim.cell], (
            f"{claim_id}: {quote!r} is not in § {claim.cell} of the {language} edition"
        )


def test_a_quote_missing_from_the_markdown_would_be_caught():
    sections = {number: normalised(text) for number, text in markdown_by_section("en").items()}
    quote = normalised(lesson4()["l4.version_counter"].quote.words["en"])
    assert quote in sections[6] and quote not in sections[5]
    assert quote.replace("adds one", "adds 1") not in sections[6]
    portuguese = normalised(lesson4()["l4.version_counter"].quote.words["pt"])
    assert portuguese not in sections[6], "each edition is checked against its own words"


@pytest.mark.parametrize("made, shown", [("en", "pt"), ("pt", "en")])
def test_a_sections_verdicts_are_worded_in_the_language_current_when_shown(made, shown):
    autograd_lessons.set_language(made)
    earlier = verify_cell(6, lesson=4)
    then = str(earlier)
    autograd_lessons.set_language(shown)
    fresh = verify_cell(6, lesson=4)
    assert str(earlier) == str(fresh) and earlier._repr_html_() == fresh._repr_html_() and str(earlier) != then
    heading = "Lição 4, §" if shown == "pt" else "Lesson 4, §"
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
        calls += [int(k) for k in re.findall(r"verify_cell\((\d+), lesson=4\)", source)]
        for output in cell.get("outputs", []):
            assert output["output_type"] != "error", source[:80]
            assert not (output["output_type"] == "stream" and output["name"] == "stderr"), (source[:80], output["text"])
            text = "".join(output.get("data", {}).get("text/plain", ""))
            assert "✘" not in text, text[:300]
    assert calls == list(range(1, 11))
