"""The edges of judging: what a verdict shows as evidence, what `compare` refuses and why, and the
limits of its tolerances, each pinned where a lesson or a learner relies on it.

Every test here holds one edge the broader claim tests pass over: a change at that edge (a mutant
of `verdicts`) that left every other test green makes one of these fail.
"""

from __future__ import annotations

import math

import pytest
import torch

from autograd_lessons import verdicts
from autograd_lessons.i18n import LessonError, set_language
from autograd_lessons.verdicts import FD_TOLERANCE, agreement, compare, evidence, fact, fd_check, worst

F32, F64 = torch.float32, torch.float64


# --------------------------------------------------------------------------- durations


@pytest.mark.parametrize(
    "seconds, shown",
    [
        (1.0, "⏱ 1 s"),
        (1e-3, "⏱ 1 ms"),
        (1e-6, "⏱ 1 µs"),
        (1e-9, "⏱ 1 ns"),
        (0.000999, "⏱ 999 µs"),
        (0.0009996, "⏱ 1 ms"),  # rounds up to the next unit's 1, not "1e+03 µs"
        (0.9996, "⏱ 1 s"),
    ],
)
def test_a_duration_exactly_at_a_unit_takes_that_unit(seconds, shown):
    # 1 ms is written "1 ms", never "1e+03 µs": a unit starts at its own value.
    assert verdicts.duration_text(seconds) == shown


# --------------------------------------------------------------------------- facts and worst


def test_a_fact_reads_as_the_fact_checked_with_its_evidence():
    holds = fact(True, evidence("claims.evidence.fd_agree"))
    assert str(holds) == "✔ holds — the fact checked\n    found: Float64 finite differences confirm the formula."
    fails = fact(False, seen=3)
    assert str(fails) == "✘ does not hold — the fact checked" and dict(fails.counterexample) == {"seen": 3}
    set_language("pt")
    assert str(holds).startswith("✔ vale — o fato verificado\n")


def test_worst_counts_a_failure_without_ulps_as_zero_ulps():
    """Of two failed checks, one measured in ulps (even a fraction of one) is the worse one, in
    whichever order they come: a failed fact records no ulps and ranks as 0."""
    failed_fact = fact(False, seen=1)
    measured = compare(torch.tensor([1.0, 2.0**-60], dtype=F64), torch.tensor([1.0, 0.0], dtype=F64), tolerance=0.0)
    assert measured.status == "false" and measured.ulps == 2.0**-8
    for found in (worst(failed_fact, measured), worst(measured, failed_fact)):
        assert found.status == "false" and found.ulps == measured.ulps
        assert dict(found.counterexample) == dict(measured.counterexample)
    assert worst(failed_fact, measured).evidence == failed_fact.evidence + measured.evidence


# --------------------------------------------------------------------------- agreement


def test_agreement_names_both_sides_when_they_are_equal():
    x = torch.tensor([1.0, 2.0])
    found = agreement(compare(4 * x, 4 * x), "x.grad = [4, 8]", "4x")
    assert found.detail == "x.grad = [4, 8] and 4x: equal bit for bit."


def test_agreement_counts_the_ulps_when_equal_up_to_rounding():
    close = compare(torch.tensor([1.0 + 2.0**-51], dtype=F64), torch.tensor([1.0], dtype=F64))
    found = agreement(close, "x.grad = [1]", "2x = [1]")
    assert found.status == "rounding" and found.detail == "x.grad = [1] and 2x = [1]: equal up to 2 ulp."


def test_a_difference_too_small_to_count_reads_as_zero_ulps():
    """A subnormal next to 1e300 differs from 0 by far less than one ulp of the scale: it holds up
    to rounding, and both the badge and the evidence say 0 ulp."""
    tiny = compare(torch.tensor([1e300, 5e-324], dtype=F64), torch.tensor([1e300, 0.0], dtype=F64))
    found = agreement(tiny, "a", "b")
    assert found.status == "rounding" and found.ulps == 0.0
    assert str(found) == (
        "≈ holds up to rounding (0 ulp) — the two tensors ((2,), torch.float64) are equal\n"
        "    found: a and b: equal up to 0 ulp."
    )


def test_agreement_on_a_difference_names_both_sides_then_the_worst_element():
    wrong = compare(torch.tensor([2.0, 4.0], dtype=F32), torch.tensor([2.0, 5.0], dtype=F32))
    found = agreement(wrong, "x.grad = [2, 4]", "2x = [2, 5]")
    assert found.detail == (
        "x.grad = [2, 4] and 2x = [2, 5]: different. Worst element (1,): got 4, expected 5 (2.1e+06 ulp apart)."
    )


# --------------------------------------------------------------------------- compare: its evidence


def test_the_worst_element_is_shown_as_its_dtype_writes_it():
    """A float32 0.1 is shown as 0.1 (its shortest float32 decimal), not as the float64 digits of
    the same bits; Portuguese writes it with a decimal comma."""
    wrong = compare(torch.tensor([0.1], dtype=F32), torch.tensor([0.2], dtype=F32))
    assert str(wrong) == (
        "✘ does not hold — the two tensors ((1,), torch.float32) are equal\n"
        "    found: Worst element (0,): got 0.1, expected 0.2 (6.71e+06 ulp apart)."
    )
    set_language("pt")
    assert wrong.detail == "Pior elemento (0,): obtido 0,1, esperado 0,2 (6,71e+06 ulp de diferença)."


def test_the_counterexample_records_index_values_and_ulps():
    wrong = compare(torch.tensor([0.1, 0.5], dtype=F32), torch.tensor([0.1, 0.25], dtype=F32))
    assert dict(wrong.counterexample) == {"index": "(1,)", "actual": 0.5, "expected": 0.25, "ulps": 2.0**23}
    assert wrong.ulps == 2.0**23 and "(8.39e+06 ulp apart)" in wrong.detail


def test_complex_tensors_are_compared_in_both_parts():
    """Values equal in their real parts but not in their imaginary parts differ; the evidence
    writes them as Python writes complex numbers."""
    wrong = compare(torch.tensor([1 + 1j, 2 + 2j]), torch.tensor([1 + 1j, 2 + 3j]))
    assert wrong.status == "false"
    assert dict(wrong.counterexample) == {"index": "(1,)", "actual": 2 + 2j, "expected": 2 + 3j, "ulps": 2.0**22}
    assert wrong.detail == "Worst element (1,): got (2+2j), expected (2+3j) (4.19e+06 ulp apart)."
    assert "torch.complex64" in str(wrong)


def test_the_statement_names_the_shape_and_dtype_compared():
    same = torch.tensor([[1.0, 2.0]], dtype=F32)
    assert str(compare(same, same.clone())) == "✔ holds — the two tensors ((1, 2), torch.float32) are equal"


# --------------------------------------------------------------------------- compare: numbers and errors


def test_a_python_number_takes_the_dtype_of_the_tensor_beside_it():
    # 0.1 read as a float32 equals the float32 0.1, on either side of the comparison.
    tenth = torch.tensor(0.1, dtype=F32)
    for found in (compare(0.1, tenth), compare(tenth, 0.1)):
        assert str(found) == "✔ holds — the two tensors ((), torch.float32) are equal"


def test_two_python_numbers_keep_their_own_dtypes():
    assert str(compare(2, 2)) == "✔ holds — the two tensors ((), torch.int64) are equal"
    assert str(compare(True, True)) == "✔ holds — the two tensors ((), torch.bool) are equal"
    assert str(compare(0.5, 0.5)) == "✔ holds — the two tensors ((), torch.float64) are equal"
    with pytest.raises(LessonError, match=r"got torch\.int64, expected torch\.float64"):
        compare(1, 1.0)


def test_a_dtype_mismatch_names_both_dtypes():
    with pytest.raises(LessonError) as raised:
        compare(torch.ones(2, dtype=F32), torch.ones(2, dtype=F64))
    assert str(raised.value) == (
        "The dtypes differ: got torch.float32, expected torch.float64. Convert one of them, for example "
        "actual.to(torch.float64), to compare in one dtype."
    )


@pytest.mark.parametrize(
    "actual, expected, name, kind",
    [([1.0, 2.0], torch.tensor([1.0, 2.0]), "actual", "list"), (torch.tensor(1.0), "1.0", "expected", "str")],
)
def test_something_not_a_tensor_is_refused_naming_the_side_and_its_kind(actual, expected, name, kind):
    with pytest.raises(LessonError) as raised:
        compare(actual, expected)
    assert str(raised.value) == (
        f"{name} must be a PyTorch tensor (or a number), but it is a {kind}. Convert it first, for "
        f"example torch.tensor({name})."
    )
    set_language("pt")
    assert raised.value.text.render().startswith(f"{name} deve ser um tensor do PyTorch (ou um número), mas é {kind}.")


# --------------------------------------------------------------------------- fd_check


def square_sum(t: torch.Tensor) -> torch.Tensor:
    return (t * t).sum()


def test_finite_differences_that_agree_say_so():
    x = torch.tensor([1.0, -2.0])
    assert str(fd_check(square_sum, x, 2 * x)) == (
        "✔ holds — the fact checked\n    found: Float64 finite differences confirm the formula."
    )


def test_finite_differences_that_disagree_show_the_element_and_both_values():
    found = fd_check(square_sum, torch.tensor([1.0, 2.0]), torch.tensor([2.0, 3.5]))
    assert str(found) == (
        "✘ does not hold — the fact checked\n"
        "    found: Float64 finite differences disagree with the formula at element 1: 4 instead of 3.5."
    )
    assert dict(found.counterexample) == {"index": 1, "finite_difference": 4.0, "formula": 3.5}
    set_language("pt")
    assert found.detail == "Diferenças finitas em float64 discordam da fórmula no elemento 1: 4 em vez de 3,5."


def test_an_empty_formula_is_confirmed():
    found = fd_check(square_sum, torch.empty(0), torch.empty(0))
    assert found.status == "exact" and found.detail == "Float64 finite differences confirm the formula."


def test_a_formula_given_as_a_mask_reads_as_zeros_and_ones():
    # The slope of Σ relu(x) is the mask x > 0, a bool tensor (away from the kink at 0).
    x = torch.tensor([-1.5, 0.5, 2.0])
    assert fd_check(lambda t: t.clamp(min=0).sum(), x, x > 0).status == "exact"
    assert fd_check(lambda t: t.clamp(min=0).sum(), x, x < 0).status == "false"


def test_a_large_constant_in_the_function_does_not_blur_the_check():
    """Adding a constant changes no derivative: the check must not mistake the rounding of function
    values a million times larger than the slope for a wrong formula."""
    x = torch.tensor([0.3, -1.7, 2.9])
    assert fd_check(lambda t: 1e6 + square_sum(t), x, 2 * x).status == "exact"


@pytest.mark.parametrize("slope", [0.0, 4.0], ids=["scale 1", "scale 4"])
def test_the_tolerance_is_inclusive_at_fd_tolerance_times_the_scale(slope):
    """The formula may be off by FD_TOLERANCE · max(1, max|formula|) and no more: exactly at the
    limit (and just inside) it is confirmed, one float beyond it is refuted."""

    def function(t: torch.Tensor) -> torch.Tensor:  # slope along t[0], flat along t[1]
        return slope * t[0] + 0.0 * t[1]

    x = torch.tensor([0.5, 0.5])
    limit = FD_TOLERANCE * max(1.0, slope)
    for off, status in [(math.nextafter(limit, 0.0), "exact"), (limit, "exact"), (math.nextafter(limit, 1.0), "false")]:
        found = fd_check(function, x, torch.tensor([slope, off], dtype=F64))
        assert found.status == status, (off, found)
    assert found.counterexample["index"] == 1 and found.counterexample["finite_difference"] == 0.0


# --------------------------------------------------------------------------- error lines


@pytest.mark.parametrize(
    "error, line",
    [
        (ValueError(""), "ValueError"),
        (RuntimeError("first line\nsecond line"), "RuntimeError: first line"),
        (RuntimeError("tensor does not require grad"), "RuntimeError: tensor does not require grad"),
        (KeyError("X"), "KeyError: 'X'"),
        (RuntimeError("no gradient for X"), "RuntimeError: no gradient for X"),
    ],
    ids=["empty", "multi-line", "one line", "quoted", "ends in a capital"],
)
def test_an_error_shows_its_type_and_first_line(error, line):
    assert verdicts.error_line(error) == line
