"""Every claim of lesson 1 is checked beyond the lesson's inputs, and wrong claims are caught."""

from __future__ import annotations

import importlib
import importlib.metadata
import json
import math
import os
import subprocess
import sys
import uuid

import pytest
import torch
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import autograd_lessons
from autograd_lessons import claims, course, i18n, results, verdicts
from autograd_lessons.claims import verify, verify_cell
from autograd_lessons.i18n import LessonError
from autograd_lessons.lessons.autograd import claims as lesson1
from autograd_lessons.verdicts import Verdict, compare

LESSON_1 = course.lesson(1, "claims").claims
FAST = settings(max_examples=40, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
HOLDS = ("exact", "rounding")
STATUSES_ALL = ("exact", "rounding", "false")


# --------------------------------------------------------------------------- strategies

# Zero or 10⁻³ ≤ |v| ≤ 10³: products then stay far from float32 underflow, where for instance
# autograd's ∇‖x‖² at x = (1.2e-38, 0) is 0 instead of 2x — a real float limit, not the lesson's.
values = st.one_of(
    st.just(0.0),
    st.builds(lambda m, s: m * s, st.floats(min_value=1e-3, max_value=1e3), st.sampled_from([1.0, -1.0])),
)


@st.composite
def vectors(draw, dtype=torch.float64, max_size=12):
    items = draw(st.lists(values, min_size=1, max_size=max_size))
    return torch.tensor(items, dtype=draw(st.sampled_from([torch.float32, torch.float64])) if dtype is None else dtype)


@st.composite
def tensors(draw):
    shape = draw(st.lists(st.integers(1, 4), min_size=0, max_size=3))
    count = math.prod(shape)
    items = draw(st.lists(values, min_size=count, max_size=count))
    dtype = draw(st.sampled_from([torch.float32, torch.float64]))
    return torch.tensor(items, dtype=dtype).reshape(shape)


@st.composite
def vector_pairs(draw):
    x = draw(tensors())
    items = draw(st.lists(values, min_size=x.numel(), max_size=x.numel()))
    return x, torch.tensor(items, dtype=x.dtype).reshape(x.shape)


magnitudes = st.floats(min_value=2.0**-20, max_value=2.0**20, width=32, allow_subnormal=False)


def draws_of_a(sign=None):
    signs = st.sampled_from([1.0, -1.0]) if sign is None else st.just(sign)
    return st.builds(lambda m, s: torch.tensor(m * s, dtype=torch.float32), magnitudes, signs)


# --------------------------------------------------------------------------- the catalogue

LESSON_VERDICTS = {
    "in2.create_with_requires_grad": "exact",
    "in2.grad_none_before_backward": "exact",
    "in3.y_is_28": "exact",
    "in4.backward_fills_tracked": "false",
    "in4.grad_fn_is_the_multiplication": "exact",
    "in4.history_is_a_tree": "false",
    "in4.untracked_not_recorded": "exact",
    "in4.untracked_no_grad": "exact",
    "in5.grad_is_4x": "exact",
    "in5.dot_is_norm_squared": "exact",
    "in5.grad_norm_squared_is_2x": "exact",
    "in6.zero_resets_grad": "exact",
    "in6.grad_accumulates": "exact",
    "in6.grad_of_sum_is_ones": "exact",
    "in11.nonscalar_backward_raises": "exact",
    "in12.gradient_v_is_vjp": "exact",
    "in12.sum_skips_the_ones": "false",
    "in16.grad_is_u": "exact",
    "in16.same_values": "exact",
    "in16.constant_in_backward": "exact",
    "in16.keeps_values_after_change": "false",
    "in17.graph_to_y_persists": "exact",
    "in20.piecewise_linear": "exact",
    "in20.grad_is_d_over_a": "exact",
    "in20.exact_for_every_a": "false",
    "in20.graph_depends_on_a": "exact",
}


def test_catalog_covers_every_source_cell_in_order():
    assert course.first() == 1
    assert claims.cells() == (2, 3, 4, 5, 6, 11, 12, 16, 17, 20) == claims.cells(lesson=1)
    assert set(LESSON_VERDICTS) <= set(LESSON_1)  # a claim added to the lesson needs no edit here
    numbers = [claim.cell for claim in LESSON_1.values()]
    assert numbers == sorted(numbers)
    for claim_id, claim in LESSON_1.items():
        assert claim.id == claim_id and claim_id.startswith(f"in{claim.cell}.")
        assert (claim.lesson, claim.cells) == (1, "run")
        assert str(claim.source) == f"In [{claim.cell}]"


def test_the_catalog_is_every_lessons_claims_in_lesson_order_and_read_only():
    every = claims.catalog()
    by_lesson = [claim.lesson for claim in every.values()]
    with_claims = {lesson.number for lesson in course.loaded("claims") if lesson.claims}
    assert by_lesson == sorted(by_lesson) and set(by_lesson) == with_claims and {1, 2} <= with_claims
    for lesson in course.lessons():
        for claim_id, claim in course.lesson(lesson.number, "claims").claims.items():
            assert every[claim_id] is claim
    assert len(every) == sum(len(lesson.claims) for lesson in course.loaded("claims"))
    with pytest.raises(TypeError):
        every["in3.y_is_28"] = None  # type: ignore[index]


def test_every_claim_has_a_statement_in_both_languages():
    for claim_id, claim in claims.catalog().items():
        texts = i18n.MESSAGES[f"claim.{claim_id}"]
        assert texts["pt"] != texts["en"]
        assert claim.statement.key == f"claim.{claim_id}"
        autograd_lessons.set_language("pt")
        assert str(claim.statement) == texts["pt"]
        autograd_lessons.set_language("en")
        assert str(claim.statement) == texts["en"]
        assert claim.statement.render("pt") == texts["pt"]


@pytest.mark.parametrize("claim_id, status", LESSON_VERDICTS.items())
def test_verdicts_at_the_lesson_inputs(claim_id, status):
    verdict = verify(claim_id)
    assert verdict.status == status, str(verdict)
    assert verdict.claim_id == claim_id and verdict.cell == LESSON_1[claim_id].cell
    assert verdict.claim is LESSON_1[claim_id] and verdict.statement == LESSON_1[claim_id].statement
    if status == "rounding":
        assert 0 < verdict.ulps <= verdicts.ULP_TOLERANCE + 4
    if status == "false":
        assert verdict.counterexample


def test_verify_leaves_the_learners_tensors_and_random_state_alone():
    x = torch.arange(4.0, requires_grad=True)
    state = torch.random.get_rng_state()
    verify_cell(16, x=x)
    verify("in5.grad_is_4x", x=x)
    assert x.grad is None and torch.equal(x.detach(), torch.arange(4.0))
    assert torch.equal(torch.random.get_rng_state(), state)


def test_the_lessons_a_is_the_seed_0_draw_without_touching_the_global_generator():
    torch.manual_seed(0)
    assert torch.equal(lesson1.lesson_a(), torch.randn(()))


# --------------------------------------------------------------------------- beyond the lesson


@FAST
@given(vectors(dtype=None))
def test_two_xtx_and_its_gradient_4x(x):
    for claim_id in (
        "in2.create_with_requires_grad",
        "in2.grad_none_before_backward",
        "in4.grad_fn_is_the_multiplication",
        "in4.untracked_not_recorded",
        "in4.untracked_no_grad",
        "in5.grad_is_4x",
    ):
        assert verify(claim_id, x=x).status == "exact", claim_id
    assert verify("in3.y_is_28", x=x).status in HOLDS
    # The words hold for x and break on the tensors they also cover: for every x, the same finding.
    every = verify("in4.backward_fills_tracked", x=x)
    assert every.status == "false" and every.counterexample == {"tensor": "unused leaf"}
    assert "equal bit for bit" in str(every) and str(every).count(".grad = None") == 2
    tree = verify("in4.history_is_a_tree", x=x)
    assert tree.status == "false" and tree.counterexample == {"nodes": ["AccumulateGrad (2)"]}


@FAST
@given(vectors(dtype=None))
def test_inner_product_is_the_squared_norm_and_its_gradient_is_2x(x):
    assert verify("in5.dot_is_norm_squared", x=x).status in HOLDS
    assert verify("in5.grad_norm_squared_is_2x", x=x).status in HOLDS


@FAST
@given(tensors())
def test_zero_accumulate_and_the_gradient_of_a_sum(x):
    assert verify("in6.grad_of_sum_is_ones", x=x).status == "exact"
    x = x.reshape(-1)
    assert verify("in6.zero_resets_grad", x=x).status == "exact"
    assert verify("in6.grad_accumulates", x=x).status in HOLDS


@FAST
@given(tensors())
def test_backward_without_argument_needs_one_element(x):
    assert verify("in11.nonscalar_backward_raises", x=x).status == "exact"


@FAST
@given(vector_pairs())
def test_backward_with_v_is_the_vector_jacobian_product(pair):
    x, v = pair
    assert verify("in12.gradient_v_is_vjp", x=x, v=v).status == "exact"
    assert verify("in12.sum_skips_the_ones", x=x, n=10, repeat=1).status == "false"


@FAST
@given(tensors())
def test_detach_shares_storage_and_keeps_y_graph_for_any_shape(x):
    verdicts = verify_cell(16, x=x)
    statuses = {v.claim_id: v.status for v in verdicts}
    assert statuses == {
        "in16.grad_is_u": "exact",
        "in16.same_values": "exact",
        "in16.constant_in_backward": "exact",
        "in16.keeps_values_after_change": "false",
    }
    assert verify("in17.graph_to_y_persists", x=x).status == "exact"


@FAST
@given(draws_of_a())
def test_control_flow_is_piecewise_linear_in_both_signs(a):
    assert verify("in20.piecewise_linear", a=a).status in HOLDS
    assert verify("in20.graph_depends_on_a", a=a).status == "exact"
    ratio = verify("in20.grad_is_d_over_a", a=a)
    assert ratio.status in HOLDS, str(ratio)
    if float(a) > 0:
        assert ratio.status == "exact", "for a > 0, d = 2^k·a and d / a = 2^k are exact"


def test_rounding_cases_exist_for_negative_a_only():
    study = lesson1.sample_control_flow(n=400, seed=3)
    assert study.broken > 0 and study.broken_positive == 0
    assert 0 < study.worst_ulps <= verdicts.ULP_TOLERANCE
    a = torch.tensor(study.counterexample["a"])
    assert float(a) < 0
    assert verify("in20.grad_is_d_over_a", a=a).status == "rounding"


def test_the_seeds_named_in_the_issue():
    expected = {0: "exact", 15: "rounding", 16: "rounding"}
    for seed, status in expected.items():
        torch.manual_seed(seed)
        assert verify("in20.grad_is_d_over_a", a=torch.randn(())).status == status, seed


def test_sampling_study_at_its_default_is_reproducible():
    first, second = lesson1.sample_control_flow(), lesson1.sample_control_flow()
    assert first == second and str(first) == str(second)
    assert first.n == 2000 and 900 < first.negative < 1100
    assert 0.05 < first.broken_share < 0.25  # about one in eight on torch 2.13.0 CPU
    assert f"{first.broken} " in str(first) and "0x" not in str(first)


def test_the_lesson_package_exports_its_demonstrations_for_the_notebook():
    from autograd_lessons.lessons.autograd import sample_control_flow, shared_storage_demo

    assert sample_control_flow is lesson1.sample_control_flow
    assert shared_storage_demo is lesson1.shared_storage_demo
    assert not hasattr(autograd_lessons, "sample_control_flow") and not hasattr(autograd_lessons, "shared_storage_demo")


def test_shared_storage_demo_shows_the_change_through_u_not_through_a_clone():
    demo = lesson1.shared_storage_demo()
    assert demo.u_shares_storage and not demo.clone_shares_storage
    assert demo.u_after == demo.y_after == (1.0, 2.0, 5.0, 10.0)
    assert demo.clone_after == demo.y_before == (0.0, 1.0, 4.0, 9.0)
    assert "u = [1, 2, 5, 10]" in str(demo) and "c = [0, 1, 4, 9]" in str(demo)


# --------------------------------------------------------------------------- wrong claims are caught


@FAST
@given(vectors())
def test_compare_catches_a_wrong_gradient(x):
    verdict = compare(2 * x, 4 * x)
    if bool((x == 0).all()):
        assert verdict.status == "exact"
    else:
        assert verdict.status == "false"
        worst = verdict.counterexample
        assert worst["expected"] == 2 * worst["actual"] and abs(worst["actual"]) == float(x.abs().max()) * 2


def test_a_wrong_formula_is_reported_false(monkeypatch):
    monkeypatch.setattr(lesson1, "grad_two_xtx", lambda x: 3 * x)
    verdict = verify("in5.grad_is_4x")
    assert verdict.status == "false" and verdict.counterexample


def test_a_formula_only_finite_differences_can_refute_is_caught(monkeypatch):
    # Autograd and the formula agree (both 2x·v for v = 1), but the maths is checked too.
    monkeypatch.setattr(lesson1, "vjp_square", lambda x, v: 2 * x * v + 0 * x)
    assert verify("in12.gradient_v_is_vjp").status == "exact"
    monkeypatch.setattr(lesson1, "grad_sum", lambda x: 2 * torch.ones_like(x))
    assert verify("in6.grad_of_sum_is_ones").status == "false"


def test_a_nonlinear_f_breaks_grad_equals_d_over_a(monkeypatch):
    lesson_f = lesson1.control_flow
    monkeypatch.setattr(lesson1, "control_flow", lambda a: lesson_f(a) + 1)
    assert verify("in20.grad_is_d_over_a").status == "false"
    assert verify("in20.piecewise_linear").status == "false"


def test_a_wrong_slope_formula_is_caught(monkeypatch):
    monkeypatch.setattr(lesson1, "control_flow_slope", lambda a: 2.0 ** lesson1.doublings(a))
    assert verify("in20.piecewise_linear", a=-1.0).status == "false"
    assert verify("in20.piecewise_linear", a=1.0).status == "exact"


def test_a_wrong_node_count_is_caught(monkeypatch):
    monkeypatch.setattr(lesson1, "doublings", lambda a: 3)
    verdict = verify("in20.graph_depends_on_a")
    assert verdict.status == "false" and verdict.counterexample["expected"] == 3


def test_faster_is_answered_by_the_work_and_its_times_are_shown_not_judged(monkeypatch):
    for ones, total in ((1.0, 0.5), (1.0, 1.3), (1.0, 100.0)):  # any timing, even 100× faster
        monkeypatch.setattr(lesson1, "_time_both", lambda x, repeat, o=ones, t=total: (o * 1e-6, t * 1e-6))
        verdict = verify("in12.sum_skips_the_ones", n=10)
        assert verdict.status == "false", "no invented threshold: the time is evidence, not the answer"
        text = str(verdict)
        assert text.startswith("answer: no — the lesson's question about In [12]: “Faster”?")
        assert verdicts.duration_text(ones * 1e-6) in text and verdicts.duration_text(total * 1e-6) in text
        assert "With 4 elements" in text and "With 10 elements" in text and "median of 7 runs" in text
        assert "stores 10 numbers with gradient=torch.ones and 1 with .sum(), which adds 1 operation" in text
        assert "neither is less work by construction" in text
        assert verdict.measurements[4]["sum_seconds"] == pytest.approx(total * 1e-6)
        assert verdict.measurements[10]["ones_stored"] == 10 and verdict.measurements[10]["sum_stored"] == 1


def test_faster_would_be_yes_if_the_sum_added_no_work(monkeypatch):
    monkeypatch.setattr(lesson1, "_time_both", lambda x, repeat: (1e-6, 1e-6))
    monkeypatch.setattr(lesson1, "_added_nodes", lambda tensor: 0)
    verdict = verify("in12.sum_skips_the_ones", n=10)
    assert verdict.status == "exact" and str(verdict).startswith("answer: yes")
    assert "neither is less work" not in str(verdict)


def test_faster_is_no_and_says_so_when_the_two_spellings_disagree(monkeypatch):
    real_ones = torch.ones
    monkeypatch.setattr(lesson1, "_time_both", lambda x, repeat: (1e-6, 1e-6))
    monkeypatch.setattr(torch, "ones", lambda *size, **kw: 2 * real_ones(*size, **kw))
    verdict = verify("in12.sum_skips_the_ones", n=10)
    assert verdict.status == "false" and verdict.counterexample["n"] == [4, 10]
    assert "same x.grad: no" in str(verdict)


def test_faster_measures_both_sizes_for_real():
    verdict = verify("in12.sum_skips_the_ones", n=10**5, repeat=3)
    assert set(verdict.measurements) == {4, 10**5}
    for measured in verdict.measurements.values():
        assert measured["ones_seconds"] > 0 and measured["sum_seconds"] > 0 and measured["same_grad"]
    assert str(verdict).count("⏱") == 4 and "median of 3 runs" in str(verdict)


def test_zero_resets_checks_the_whole_comment_who_stored_the_values(monkeypatch):
    text = str(verify("in6.zero_resets_grad"))
    assert "x.grad right after x.requires_grad_(True): None; after y.backward(): [0, 4, 8, 12]" in text
    assert "“Resets the gradient values of y that had been stored with x.requires_grad_(True) after running" in text


@pytest.mark.parametrize(
    "seconds, text", [(2.5, "⏱ 2.5 s"), (0.0123, "⏱ 12.3 ms"), (4.56e-5, "⏱ 45.6 µs"), (3e-8, "⏱ 30 ns")]
)
def test_durations_carry_the_marker_the_sanitizer_masks(seconds, text):
    from helpers import sanitize

    assert verdicts.duration_text(seconds) == text
    assert sanitize(f"x {text} y") == "x ⏱ TIME y"


# --------------------------------------------------------------------------- compare


def test_compare_three_ways():
    x = torch.tensor([1.0, 2.0, 3.0])
    assert compare(x, x.clone()).status == "exact"
    nudged = torch.nextafter(x, torch.tensor(math.inf))
    close = compare(nudged, x)
    assert close.status == "rounding" and close.ulps == 1  # 2⁻²² at 2 and 3, one ulp at max = 3
    assert compare(0.1 + 0.2, 0.3).status == "rounding"
    assert compare(torch.tensor([math.nan, 1.0]), torch.tensor([math.nan, 1.0])).status == "exact"
    assert compare(torch.tensor([1, 2]), torch.tensor([1, 3])).status == "false"
    assert compare(torch.tensor(3.0), 3).status == "exact"


def test_compare_reports_the_worst_element():
    verdict = compare(torch.tensor([[1.0, 2.0], [3.0, 5.0]]), torch.tensor([[1.0, 2.0], [3.0, 4.0]]))
    assert verdict.status == "false"
    assert verdict.counterexample["index"] == "(1, 1)"
    assert (verdict.counterexample["actual"], verdict.counterexample["expected"]) == (5.0, 4.0)
    assert "(1, 1)" in str(verdict) and "got 5, expected 4" in str(verdict)


@pytest.mark.parametrize("language, words", [("en", "shapes differ"), ("pt", "formatos diferem")])
def test_compare_shape_mismatch_says_to_reshape(language, words):
    autograd_lessons.set_language(language)
    with pytest.raises(LessonError, match=words) as caught:
        compare(torch.zeros(4), torch.zeros(2, 2))
    assert ".reshape(2, 2)" in str(caught.value)


@pytest.mark.parametrize("language, words", [("en", "dtypes differ"), ("pt", "tipos diferem")])
def test_compare_dtype_mismatch_says_to_convert(language, words):
    autograd_lessons.set_language(language)
    with pytest.raises(LessonError, match=words) as caught:
        compare(torch.zeros(2), torch.zeros(2, dtype=torch.float64))
    assert ".to(torch.float64)" in str(caught.value)


@pytest.mark.parametrize("bad", [[1.0, 2.0], "x", None])
@pytest.mark.parametrize("language, words", [("en", "must be a PyTorch tensor"), ("pt", "deve ser um tensor")])
def test_compare_refuses_what_is_not_a_tensor(bad, language, words):
    autograd_lessons.set_language(language)
    with pytest.raises(LessonError, match=words):
        compare(bad, torch.zeros(2))


# --------------------------------------------------------------------------- errors in both languages


@pytest.mark.parametrize("language, words", [("en", "Unknown claim"), ("pt", "Afirmação desconhecida")])
def test_unknown_claim_lists_the_valid_ones(language, words):
    autograd_lessons.set_language(language)
    with pytest.raises(LessonError, match=words) as caught:
        verify("in5.grad_is_5x")
    assert all(claim_id in str(caught.value) for claim_id in claims.catalog())


@pytest.mark.parametrize(
    "language, words", [("en", "takes no input named y"), ("pt", "não usa a\\(s\\) entrada\\(s\\) y")]
)
def test_wrong_input_names_list_the_accepted_ones(language, words):
    autograd_lessons.set_language(language)
    with pytest.raises(LessonError, match=words) as caught:
        verify("in12.gradient_v_is_vjp", y=torch.ones(4))
    assert "x, v" in str(caught.value)
    with pytest.raises(LessonError, match="a"):
        verify_cell(20, b=1.0)


@pytest.mark.parametrize("language, words", [("en", "no claims to check"), ("pt", "não tem afirmações")])
def test_unknown_cell_lists_the_cells(language, words):
    autograd_lessons.set_language(language)
    with pytest.raises(LessonError, match=words) as caught:
        verify_cell(7)
    assert "2, 3, 4, 5, 6, 11, 12, 16, 17, 20" in str(caught.value)


@pytest.mark.parametrize("a", [0.0, math.inf, torch.zeros(2), torch.tensor(1e-40)])
def test_a_that_would_never_end_the_loop_is_refused(a):
    autograd_lessons.set_language("pt")
    with pytest.raises(LessonError, match="nunca termina"):
        verify("in20.grad_is_d_over_a", a=a)


@pytest.mark.parametrize(
    "x, words",
    [(torch.arange(4), "floating point"), (torch.zeros(2, 2), "vector"), (torch.zeros(0), "non-empty")],
)
def test_bad_x_is_refused_with_a_hint(x, words):
    autograd_lessons.set_language("en")
    with pytest.raises(LessonError, match=words):
        verify("in5.grad_is_4x", x=x)


def test_v_must_match_x():
    with pytest.raises(LessonError, match="ones_like"):
        verify("in12.gradient_v_is_vjp", v=torch.ones(3))


# --------------------------------------------------------------------------- text and html


def test_text_is_deterministic_and_in_the_current_language():
    first, second = str(verify_cell(20)), str(verify_cell(20))
    assert first == second and "0x" not in first
    assert sum(not line.startswith(" ") for line in first.splitlines()) == 4, "one first line per claim of In [20]"
    autograd_lessons.set_language("pt")
    portuguese = str(verify_cell(20))
    assert "✔ vale — In [20], comentário: “A função acima retorna um valor linear para um valor de a.”\n" in portuguese
    assert "resposta: não — pergunta da lição sobre o In [20]: A comparação exata a.grad == d / a dá True" in portuguese
    assert "(traduzido" not in portuguese, "Portuguese words are shown as written in the Portuguese edition"
    assert repr(verify_cell(20)) == portuguese
    autograd_lessons.set_language("en")
    english = str(verify_cell(20))
    assert "“The function above returns a linear value for a value of a.” (translated from Portuguese)" in english


def test_rounding_text_shows_the_ulps_and_that_equality_prints_false():
    text = str(verify("in20.grad_is_d_over_a", a=-0.7056439518928528))
    assert text.startswith("≈ holds up to rounding (1 ulp) — In [20], comment:")
    assert "a.grad = 204800, d / a = 204799.98 (1 ulp apart; == gives True: no)" in text


@pytest.mark.parametrize(
    "verdict, symbol, colour",
    [
        (compare(torch.ones(2), torch.ones(2)), "✔", "#0072B2"),
        (compare(0.1 + 0.2, 0.3), "≈", "#E69F00"),
        (compare(torch.ones(2), torch.zeros(2)), "✘", "#D55E00"),
    ],
)
def test_html_badges(verdict, symbol, colour):
    page = verdict._repr_html_()
    assert symbol in page and colour in page and f'data-status="{verdict.status}"' in page
    assert "the two tensors" in page


def test_html_escapes_and_follows_the_language():
    autograd_lessons.set_language("pt")
    page = verify("in16.keeps_values_after_change")._repr_html_()
    assert "resposta: não" in page and "pergunta da lição" in page and "depois de y.add_(1), y = [1, 2, 5, 10]" in page
    assert "#E0E0E0" in page, "a 'no' to the lesson's own question is neutral, not red"
    page = verify_cell(4)._repr_html_()
    assert (
        page.count("autograd-lessons-verdict") == sum(c.cell == 4 for c in LESSON_1.values())
        and "&lt;MulBackward0&gt;" in page
        and "<MulBackward0>" not in page
    )
    assert "<script" not in compare(torch.ones(1), torch.ones(1))._repr_html_()


def test_verdicts_are_frozen():
    verdict = verify("in3.y_is_28")
    with pytest.raises(AttributeError):
        verdict.status = "false"  # type: ignore[misc]
    assert isinstance(verdict, Verdict) and verdict.holds


IMPORTED = (
    "print('autograd_lessons.claims' in sys.modules, 'torch' in sys.modules,"
    " any(name.endswith('.claims') for name in sys.modules if name.startswith('autograd_lessons.lessons')))"
)


@pytest.mark.parametrize(
    "code",
    ["import sys, autograd_lessons", "import sys, autograd_lessons.course as c; assert {1, 2} <= set(c.numbers())"],
)
def test_importing_the_package_or_finding_the_lessons_imports_no_claims_and_no_torch(code):
    environment = {k: v for k, v in os.environ.items() if k != i18n.ENV_VARIABLE}
    done = subprocess.run(
        [sys.executable, "-c", f"{code}; {IMPORTED}"], capture_output=True, text=True, env=environment, check=True
    )
    assert done.stdout.split() == ["False", "False", "False"]


@FAST
@given(vectors(max_size=6))
@example(torch.tensor([182.0, -0.2515], dtype=torch.float64))  # a large and a small entry
def test_finite_differences_refute_a_wrong_derivative_on_their_own(x):
    assert verdicts.fd_check(lesson1.two_xtx, x, 4 * x).status == "exact"
    wrong = verdicts.fd_check(lesson1.two_xtx, x, 4 * x + 1)
    # The finite difference is exact up to fd_check's own tolerance at the formula's scale (its
    # rounding grows with the largest |x|, not with the entry shown): x = [182, -0.2515] once
    # missed by 3e-8 on an entry of -0.006.
    scale = max(1.0, float((4 * x + 1).abs().max()))
    assert wrong.status == "false" and wrong.counterexample["formula"] == pytest.approx(
        wrong.counterexample["finite_difference"] + 1, abs=verdicts.FD_TOLERANCE * scale
    )


def test_verify_cell_puts_the_sources_words_before_the_lessons_questions():
    for cell in claims.cells():
        kinds = (
            [v.is_question for v in verify_cell(cell)]
            if cell != 12
            else [c.quote is None for c in LESSON_1.values() if c.cell == 12]
        )
        assert kinds == sorted(kinds), cell
    assert [v.claim_id for v in verify_cell(20)][-2:] == ["in20.exact_for_every_a", "in20.graph_depends_on_a"]


# --------------------------------------------------------------------------- quotes: the source's own words


def source_run_cells() -> dict[int, str]:
    """Each cell of the source run (code, comments, output) by its number In [n], comment lines joined."""
    from helpers import ROOT, normalised

    cells = json.loads((ROOT / "tests" / "data" / "source_cells.json").read_text(encoding="utf-8"))["cells"]
    return {cell["in"]: normalised(cell["code"] + "\n" + (cell["output"] or "")) for cell in cells}


def source_run_text() -> str:
    """Everything the source run shows (code, comments, outputs), comment lines joined."""
    return " ".join(source_run_cells().values())


def test_every_quote_stands_in_its_cell_of_the_source_run_exactly():
    from helpers import normalised

    run = source_run_cells()
    quoted = [claim for claim in LESSON_1.values() if claim.quote is not None]
    assert len(quoted) >= 18
    for claim in quoted:
        quote = claim.quote
        assert quote.kind in results.QUOTE_KINDS and set(quote.words) == set(i18n.LANGUAGES), claim.id
        if quote.kind == "comment":  # written in one language; every other edition shows a translation
            assert quote.written_in in i18n.LANGUAGES, claim.id
            as_written = quote.words[quote.written_in]
            others = [words for language, words in quote.words.items() if language != quote.written_in]
            assert others and as_written not in others, claim.id
        else:  # outputs and code read the same in every language
            assert quote.kind in ("output", "code") and quote.written_in is None, claim.id
            (as_written,) = set(quote.words.values())
        assert as_written and "<q" not in as_written and "</q>" not in as_written, claim.id
        assert normalised(as_written) in run[claim.cell], f"{claim.id}: {as_written!r} is not in In [{claim.cell}]"
        assert claim.shown_quote(quote.written_in or i18n.DEFAULT_LANGUAGE) == (as_written, None)


@pytest.mark.parametrize("language", i18n.LANGUAGES)
def test_every_quote_is_what_its_edition_of_the_lesson_shows(language):
    """A verdict shown in `language` quotes words a reader of that edition finds in the notebook."""
    from helpers import NOTEBOOKS, lesson_code_cells, normalised, read_notebook, source, text_outputs

    notebook = read_notebook(NOTEBOOKS / language / f"{course.lesson(1).notebook}.ipynb")
    shown = normalised(
        "\n".join(
            source(cell) + "\n" + "\n".join(text for _, text in text_outputs(cell))
            for cell in lesson_code_cells(notebook)
        )
    )
    for claim in LESSON_1.values():
        if claim.quote is not None:
            words, translated_from = claim.shown_quote(language)
            assert normalised(words) in shown, f"{claim.id}: {words!r} is not in the {language} edition"
            assert translated_from == (None if claim.quote.written_in in (None, language) else claim.quote.written_in)


def test_a_quote_that_is_not_in_the_run_is_caught():
    from helpers import normalised

    wrong = "Faster: y.sum().backward() is 20 % faster"  # what the old verdict judged, in words nobody wrote
    assert normalised(wrong) not in source_run_text()
    assert normalised("Faster: y.sum().backward()") in source_run_text()
    run, quote = source_run_cells(), LESSON_1["in16.grad_is_u"].quote
    assert normalised(quote.words["en"]) in run[16] and normalised(quote.words["en"]) not in run[17]
    assert normalised(quote.words["pt"]) not in run[16], "a translation is not what the run wrote"


def test_the_lessons_own_questions_are_worded_as_questions():
    every = claims.catalog()
    questions = [claim for claim in every.values() if claim.quote is None]
    assert {claim.id for claim in questions} >= {"in20.exact_for_every_a", "in16.keeps_values_after_change"}
    for claim in every.values():
        for language in i18n.LANGUAGES:
            statement = claim.statement.render(language)
            assert statement.rstrip().endswith("?") == (claim.quote is None), (claim.id, language)


@pytest.mark.parametrize("language", ["pt", "en"])
def test_every_verdict_shows_its_evidence_and_whose_words_it_judges(language):
    autograd_lessons.set_language(language)
    for cell in claims.cells():
        for verdict in verify_cell(cell, **({"n": 1000, "repeat": 1} if cell == 12 else {})):
            lines = str(verdict).splitlines()
            claim = LESSON_1[verdict.claim_id]
            assert verdict.detail, f"{claim.id} has no evidence"
            assert f"In [{cell}]" in lines[0]
            if claim.quote is None:
                assert ("pergunta da lição" if language == "pt" else "the lesson's question") in lines[0]
            else:
                shown, translated = claim.shown_quote()
                assert shown == claim.quote.words[language] and f"“{shown}”" in lines[0]
                assert (translated is not None) == (claim.quote.written_in not in (None, language))


def test_translated_quotes_say_so_and_originals_do_not():
    autograd_lessons.set_language("en")
    english = str(verify("in5.dot_is_norm_squared"))
    assert "(translated from Portuguese)" in english and "the inner product of two vectors" in english
    autograd_lessons.set_language("pt")
    portuguese = str(verify("in5.dot_is_norm_squared"))
    assert "traduzido" not in portuguese and "o produto interno de dois vetores( torch.dot(x, x) )" in portuguese
    assert "(traduzido do inglês)" in str(verify("in16.grad_is_u"))


# --------------------------------------------------------------------------- worded when shown

VERDICT_MAKERS = {
    "a quoted comment": lambda: verify("in5.dot_is_norm_squared"),
    "a question": lambda: verify("in16.keeps_values_after_change"),
    "a cell": lambda: verify_cell(20),
    "a section of lesson 2": lambda: verify_cell(3, lesson=2),
    "a comparison": lambda: compare(torch.ones(2), torch.zeros(2)),
    "a rounding": lambda: compare(0.1 + 0.2, 0.3),
}


def made_in(language: str, make):
    autograd_lessons.set_language(language)
    return make()


@pytest.mark.parametrize("made, shown", [("en", "pt"), ("pt", "en")])
@pytest.mark.parametrize("make", VERDICT_MAKERS.values(), ids=VERDICT_MAKERS)
def test_a_verdict_is_worded_in_the_language_current_when_it_is_shown(make, made, shown):
    earlier = made_in(made, make)
    text_then, page_then = str(earlier), earlier._repr_html_()
    fresh = made_in(shown, make)
    assert str(earlier) == str(fresh) == repr(earlier) and earlier._repr_html_() == fresh._repr_html_()
    assert str(earlier) != text_then and earlier._repr_html_() != page_then
    if isinstance(earlier, Verdict):
        assert earlier.detail == fresh.detail and str(earlier.statement) == str(fresh.statement)
    autograd_lessons.set_language(made)
    assert (str(earlier), earlier._repr_html_()) == (text_then, page_then)


# --------------------------------------------------------------------------- a claim needs its passage

PROBE_INIT = """
from autograd_lessons.course import Lesson

LESSON = Lesson(number={number}, package=__name__, notebooks=("01_probe",), cells="section")
"""
PROBE_CLAIMS = """
from autograd_lessons.verdicts import fact
from {package} import LESSON


@LESSON.claim("probe.{kind}", cell=1, quote="{kind}", written_in={written_in!r})
def _probe():
    return fact(True)
"""
PROBE_NUMBER = 90  # a lesson number the course does not use
# The passage in each language the package speaks (its own words in each, so each edition differs).
WORDS = {language: f"Every leaf keeps its gradient ({language})" for language in i18n.LANGUAGES}


def probe_source(kind: str, marked: tuple[str, ...]) -> str:
    """A one-notebook lesson source whose passage probe.<kind> is marked in the `marked` languages only."""

    def words(language: str) -> str:
        return f'<q id="probe.{kind}">{WORDS[language]}</q>' if language in marked else WORDS[language]

    if kind == "prose":
        cells = [f'# %% [markdown] lang="{language}"\n# {words(language)}\n' for language in i18n.LANGUAGES]
    else:
        tagged = "".join(f"# [{language}] {words(language)}\n" for language in i18n.LANGUAGES)
        cells = [f"# %%\n{tagged}x = 1\n"]
    return "\n".join(cells)


@pytest.fixture
def probe_lesson(tmp_path, monkeypatch):
    """Write a throwaway lesson package; yields a function (kind, marked) -> its package name."""
    made = []

    def write(kind: str, marked: tuple[str, ...]) -> str:
        package = f"probe_lesson_{uuid.uuid4().hex[:12]}"
        folder = tmp_path / package
        (folder / "source").mkdir(parents=True)
        (folder / "__init__.py").write_text(PROBE_INIT.format(number=PROBE_NUMBER), encoding="utf-8")
        written_in = "pt" if kind == "comment" else None
        claims_code = PROBE_CLAIMS.format(package=package, kind=kind, written_in=written_in)
        (folder / "claims.py").write_text(claims_code, encoding="utf-8")
        (folder / "source" / "01_probe.py").write_text(probe_source(kind, marked), encoding="utf-8")
        made.append(package)
        return package

    monkeypatch.syspath_prepend(str(tmp_path))
    yield write
    for name in [name for name in sys.modules if name.split(".")[0] in made]:
        del sys.modules[name]


@pytest.mark.parametrize("kind", ["prose", "comment"])
def test_a_claim_whose_passage_is_marked_in_every_language_registers(probe_lesson, kind):
    package = probe_lesson(kind, marked=i18n.LANGUAGES)
    lesson = importlib.import_module(package).LESSON
    importlib.import_module(f"{package}.claims")
    quote = lesson.claims[f"probe.{kind}"].quote
    assert quote.kind == kind and dict(quote.words) == WORDS
    assert quote.written_in == ("pt" if kind == "comment" else None)


@pytest.mark.parametrize("kind", ["prose", "comment"])
@pytest.mark.parametrize("missing", i18n.LANGUAGES)
def test_a_claim_whose_passage_is_missing_in_one_language_does_not_register(probe_lesson, kind, missing):
    package = probe_lesson(kind, marked=tuple(lang for lang in i18n.LANGUAGES if lang != missing))
    lesson = importlib.import_module(package).LESSON
    with pytest.raises(ValueError, match=rf"probe\.{kind}\b.*\b{missing}\b") as caught:
        importlib.import_module(f"{package}.claims")
    assert "01_probe" in str(caught.value)
    assert lesson.claims == {}


@pytest.fixture
def course_with_probe(probe_lesson, monkeypatch):
    """The course as the entry points give it, plus a probe lesson whose English passage is not marked."""
    package = probe_lesson("prose", marked=tuple(language for language in i18n.LANGUAGES if language != "en"))
    probe = importlib.metadata.EntryPoint(name="probe", value=f"{package}:LESSON", group=course.ENTRY_POINTS)
    real = importlib.metadata.entry_points

    def entry_points(**selection):
        found = real(**selection)
        if selection.get("group") != course.ENTRY_POINTS:
            return found
        return importlib.metadata.EntryPoints((*found, probe))

    monkeypatch.setattr(importlib.metadata, "entry_points", entry_points)
    course.reset()
    yield package
    course.reset()  # the next question discovers the real lessons again


def test_a_lesson_whose_claim_lacks_its_passage_is_reported_and_the_others_work(course_with_probe):
    assert PROBE_NUMBER in course.numbers() and {1, 2} <= set(course.numbers())
    with pytest.raises(LessonError, match=rf"Lesson {PROBE_NUMBER} could not be loaded") as caught:
        course.lesson(PROBE_NUMBER, "claims")
    assert "probe.prose" in str(caught.value) and "the en edition" in str(caught.value)
    assert "probe.prose" in course.failures()[f"{PROBE_NUMBER}.claims"]
    loaded = [lesson.number for lesson in course.loaded("claims")]
    assert PROBE_NUMBER not in loaded and {1, 2} <= set(loaded)
    assert verify("in5.grad_is_4x").holds and verify_cell(3, lesson=2).holds
    assert "probe.prose" not in claims.catalog() and "in5.grad_is_4x" in claims.catalog()
    with pytest.raises(LessonError, match="These could not be loaded") as unknown:
        verify("probe.prose")
    assert "probe.prose" in str(unknown.value) and "the en edition" in str(unknown.value)


def test_the_identity_is_exact_and_the_rounding_is_put_where_it_happens():
    verdict = verify("in5.dot_is_norm_squared")
    assert verdict.status == "exact", "xᵀx = ‖x‖² is an identity, never 'approximately true'"
    text = str(verdict)
    assert "torch.dot(x, x) = 14 (0 ulp from exact)" in text
    assert "torch.linalg.vector_norm(x) ** 2 = 14.000001 (1 ulp from exact)" in text
    assert "the square root is rounded" in text
    exact_everywhere = str(verify("in5.dot_is_norm_squared", x=torch.tensor([3.0, 4.0])))
    assert "square root is rounded" not in exact_everywhere and "= 25 (0 ulp from exact)" in exact_everywhere


def test_a_wrong_norm_breaks_the_identity(monkeypatch):
    monkeypatch.setattr(lesson1, "norm_squared", lambda x: torch.linalg.vector_norm(x) ** 2 + 1)
    verdict = verify("in5.dot_is_norm_squared")
    assert verdict.status == "false" and "vector_norm(x) ** 2 = 15.000001" in str(verdict)


# --------------------------------------------------------------------------- compare at its edges


def nudged(value: float, ulps: int, dtype=torch.float32) -> torch.Tensor:
    t = torch.tensor(value, dtype=dtype)
    for _ in range(ulps):
        t = torch.nextafter(t, torch.tensor(math.inf, dtype=dtype))
    return t


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
def test_compare_tolerance_is_inclusive_at_four_ulps_and_refuses_five(dtype):
    one = torch.tensor(1.0, dtype=dtype)
    inside, outside = compare(nudged(1.0, 4, dtype), one), compare(nudged(1.0, 5, dtype), one)
    assert inside.status == "rounding" and inside.ulps == 4
    assert outside.status == "false" and outside.ulps == 5 and outside.counterexample["index"] == "()"


def test_compare_special_values():
    nan, inf = math.nan, math.inf
    assert compare(torch.tensor([nan, 1.0]), torch.tensor([nan, 1.0])).status == "exact"
    assert compare(torch.tensor([nan]), torch.tensor([1.0])).status == "false"
    assert compare(torch.tensor([1.0]), torch.tensor([nan])).status == "false"
    assert compare(torch.tensor([inf, -inf]), torch.tensor([inf, -inf])).status == "exact"
    assert compare(torch.tensor([inf]), torch.tensor([-inf])).status == "false"
    assert compare(torch.tensor([inf]), torch.tensor([3.0e38])).status == "false"
    assert compare(torch.tensor([-0.0]), torch.tensor([0.0])).status == "exact"
    assert compare(torch.zeros(0), torch.zeros(0)).status == "exact"
    assert compare(torch.zeros(0, 3), torch.zeros(0, 3)).status == "exact"
    assert compare(torch.tensor([1, 2]), torch.tensor([1, 2])).status == "exact"
    assert compare(torch.tensor([3]), torch.tensor([4])).status == "false", "integers never round"
    assert compare(torch.tensor([True]), torch.tensor([False])).status == "false"


@pytest.mark.parametrize("x", [torch.tensor([-0.0, 0.0, 1.0]), torch.tensor([2e12, -2e12]), torch.tensor([7.0])])
def test_gradient_claims_hold_on_unusual_inputs(x):
    for claim_id in ("in5.grad_is_4x", "in6.grad_of_sum_is_ones", "in16.grad_is_u", "in17.graph_to_y_persists"):
        assert verify(claim_id, x=x).holds, (claim_id, str(verify(claim_id, x=x)))


@pytest.mark.parametrize(
    "x, words",
    [
        (torch.tensor([math.nan, 1.0]), ("finite numbers only", "números finitos")),
        (torch.tensor([math.inf, 1.0]), ("finite numbers only", "números finitos")),
        (torch.tensor([-math.inf]), ("finite numbers only", "números finitos")),
        (torch.tensor([1e30, -1e30]), ("too large for torch.float32", "grandes demais para torch.float32")),
    ],
)
def test_inputs_the_formulas_cannot_use_are_refused_in_the_learners_language(x, words):
    for language, expected in zip(("en", "pt"), words, strict=True):
        autograd_lessons.set_language(language)
        for claim_id in ("in5.grad_is_4x", "in3.y_is_28", "in5.dot_is_norm_squared", "in16.same_values"):
            with pytest.raises(LessonError, match=expected):
                verify(claim_id, x=x)
    assert verify(
        "in16.grad_is_u", x=x.double().nan_to_num(0.0, 1.0, -1.0).clamp(-1e30, 1e30)
    ).holds  # float64 has room
