"""Lesson 3's exercises: the worked solutions and other right fixes pass, the typical wrong fixes get
their own hint naming the real cause (in both languages), every "why?" is a checked choice whose
wrong options name their misconception, every statement says where its tools were taught, and the
checkers depend on nothing the learner can see or change."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
import torch

from autograd_lessons import course, get_language, set_language, sources
from autograd_lessons import exercises as machinery
from autograd_lessons.exercises import check, hint, solution
from autograd_lessons.i18n import DECIMAL_POINT, LANGUAGES, MESSAGES, message, text
from autograd_lessons.lessons.going_wrong import exercises as l3
from test_exercises_teach import check_why_options

LESSON = course.lesson(3, "exercises")
NUMBERS = tuple(sorted(LESSON.exercises))
# (the answer's key for the fixed code, the right letter) of every exercise: each one asks why.
ANSWERS = {
    1: ("loss", "b"),
    2: ("loss", "a"),
    3: ("init", "a"),
    4: ("softmax", "b"),
    5: ("epoch", "a"),
    6: ("step", "b"),
}


def judge(number, answer):
    return check(number, answer, lesson=3)


def as_answer(number, code, why=None):
    name, right = ANSWERS[number]
    return {name: code, "why": right if why is None else why}


def solved(number):
    """The `answer` the worked solution leaves, run after the solutions notebook's first cell (its
    last line, the check, left out: the tests judge the answer themselves)."""
    cells = LESSON.source_cells(LESSON.solutions)
    setup = next(cell for cell in cells if cell.kind == "code")
    namespace: dict = {}
    language = get_language()
    try:
        exec(sources.localise_code(setup.source, language, LESSON.solutions, LANGUAGES), namespace)
    finally:
        set_language(language)
    tree = ast.parse(LESSON.solution_code(number)[language])
    assert ast.unparse(tree.body.pop()) == f"check({number}, answer, lesson=3)"
    exec(compile(tree, f"<solution {number}>", "exec"), namespace)
    return namespace["answer"]


def says(feedback, key, language="en"):
    """Whether `feedback` is wrong with the hint `key` (the sentence before the form, for a form error)."""
    found = feedback.hint
    if found is not None and found.key == "exercises.form_hint_after":
        found = found.fields["before"]
    return feedback.status == "wrong" and found is not None and found.key == key


def in_every_language(feedback):
    """The feedback as the learner reads it: language → its text (the current language kept)."""
    before = get_language()
    try:
        shown = {}
        for language in LANGUAGES:
            set_language(language)
            shown[language] = str(feedback)
        return shown
    finally:
        set_language(before)


def assert_feedback(feedback, hint, headline="exercises.incorrect", **fields):
    """`feedback` is wrong with exactly this hint and headline, the hint's fields are `fields`, and
    every field is shown in each language (a number with that language's decimal separator)."""
    assert feedback.status == "wrong", str(feedback)
    assert feedback.hint is not None and (feedback.hint.key, feedback.headline.key) == (hint, headline), str(feedback)
    given = {name: str(value) for name, value in feedback.hint.fields.items()}
    assert given == {name: str(value) for name, value in fields.items()}, str(feedback)
    for language, shown in in_every_language(feedback).items():
        point = message(DECIMAL_POINT, language)
        for value in given.values():
            worded = value.replace(".", point) if re.fullmatch(r"-?\d+\.\d+(e-?\d+)?", value) else value
            assert worded in shown, (language, worded, shown)


def assert_form(feedback, key, **fields):
    """Wrong in form, with the sentence `key` (and its fields) before the form the answer should have."""
    assert feedback.status == "wrong", str(feedback)
    assert (feedback.headline.key, feedback.hint.key) == ("exercises.bad_form", "exercises.form_hint_after"), str(
        feedback
    )
    before = feedback.hint.fields["before"]
    assert before == text(key, **fields), str(feedback)
    for language, shown in in_every_language(feedback).items():
        assert before.render(language) in shown, shown


@pytest.fixture(autouse=True)
def fresh_hints(monkeypatch):
    monkeypatch.setattr(machinery, "_hints_shown", {})


@pytest.fixture(params=LANGUAGES)
def language(request):
    set_language(request.param)
    return request.param


# --- the lesson has its exercises, each with its solution, hints and texts --------------------


def test_lesson_3_has_at_least_six_broken_steps_to_fix():
    assert len(NUMBERS) >= 6 and tuple(range(1, len(NUMBERS) + 1)) == NUMBERS and set(ANSWERS) == set(NUMBERS)


@pytest.mark.parametrize("number", NUMBERS)
def test_each_worked_solution_passes_in_both_languages(number, language):
    feedback = judge(number, solved(number))
    assert feedback.correct and feedback.hint is None, str(feedback)
    help_ = solution(number, lesson=3)
    assert help_.code_in() and "check(" in help_.code_in()


@pytest.mark.parametrize("number", NUMBERS)
def test_hints_go_from_a_nudge_to_almost_the_answer(number, language):
    shown = []
    while True:
        help_ = hint(number, lesson=3)
        if help_.note is not None:
            break
        shown.append(help_.text)
    assert len(shown) >= 3 and len(set(shown)) == len(shown), "at least three hints, each new"
    code_words = re.compile(r"def \w+\(|answer =")
    assert code_words.search(shown[-1]) and not any(code_words.search(text) for text in shown[:-1])


def test_every_key_the_checkers_raise_exists_in_both_languages():
    folder = Path(l3.__file__).parent
    text = "\n".join(path.read_text(encoding="utf-8") for path in folder.glob("*.py"))
    for key in set(re.findall(r'"(exercises\.l3\.[\w.]+)"', text)):
        if key.endswith(".why"):
            continue
        if re.fullmatch(r"exercises\.l3\.\d+", key):  # a prefix: backward_of adds .detached or .new_leaf
            assert {f"{key}.detached", f"{key}.new_leaf"} <= set(MESSAGES), key
            continue
        assert key in MESSAGES and set(MESSAGES[key]) >= set(LANGUAGES), key
    for number in NUMBERS:
        for what in ("form", "ok", "solution", "hint.1", "hint.2", "hint.3"):
            assert f"exercises.l3.{number}.{what}" in MESSAGES


@pytest.mark.parametrize("number", NUMBERS)
def test_none_and_ellipsis_are_not_answered_yet_and_odd_answers_are_feedback(number):
    assert judge(number, None).status == "unanswered" and judge(number, ...).status == "unanswered"
    for odd in (3, "fix", [1, 2], {"why": "a"}, lambda *args: None):
        feedback = judge(number, odd)
        assert feedback.status == "wrong", (odd, str(feedback))


@pytest.mark.parametrize("number", NUMBERS)
def test_a_fix_that_raises_is_feedback_with_the_error(number):
    def raises(*args):
        raise ValueError("my own mistake")

    feedback = judge(number, as_answer(number, raises))
    assert feedback.status == "wrong" and "my own mistake" in str(feedback.hint)


def test_the_checkers_are_deterministic():
    for number in NUMBERS:
        assert str(judge(number, as_answer(number, getattr(l3, f"broken{number}")))) == str(
            judge(number, as_answer(number, getattr(l3, f"broken{number}")))
        )


def test_changing_the_public_examples_changes_nothing_the_checkers_use():
    public = [value for value in (l3.A1, l3.B1, l3.X2, l3.Y2, l3.Z4, l3.X6, l3.Y6) if isinstance(value, torch.Tensor)]
    kept = [value.clone() for value in public]
    try:
        with torch.no_grad():
            for value in public:
                value.mul_(0).add_(7)
        for number in NUMBERS:
            assert judge(number, solved(number)).correct, number
    finally:
        with torch.no_grad():
            for value, old in zip(public, kept, strict=True):
                value.copy_(old)


def test_the_broken_steps_really_break():
    a = l3.A1.clone().requires_grad_(True)
    l3.broken1(a, l3.B1).backward()
    assert a.grad.isnan().any()
    assert l3.broken2(l3.X2[:, 0], l3.Y2).grad_fn is None
    assert not l3.broken3(torch.Generator().manual_seed(0))[0].is_leaf
    z = l3.Z4.clone().requires_grad_(True)
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        l3.broken4(z).sum().backward()
    model = l3.model5()
    mean = l3.broken5(model, torch.optim.SGD(model.parameters(), lr=0.1), l3.BATCHES5)
    assert mean.grad_fn is not None
    losses = [l3.broken6(stack := l3.model6(), l3.X6, l3.Y6, 0.01)] + [l3.broken6(stack, l3.X6, l3.Y6, 0.01)]
    assert not torch.isfinite(torch.tensor(losses[-1]))


# --- every "why?" is answered and checked; every statement says where its tools were taught ---


@pytest.mark.parametrize("number", NUMBERS)
def test_each_why_offers_three_options_and_only_the_right_one_passes(number, language):
    check_why_options(3, number, language, solved(number), ANSWERS[number][1])


def test_the_worked_solutions_answer_the_why_in_their_text():
    for number, (_, letter) in ANSWERS.items():
        for language in LANGUAGES:
            words = "opção" if language == "pt" else "option"
            assert f"{words} ({letter})" in MESSAGES[f"exercises.l3.{number}.solution"][language], (number, language)


# --- exercise 1: a loss that turns NaN ---------------------------------------------------------


def vector_norm_loss(a, b):
    return torch.linalg.vector_norm(a - b, dim=1).mean()


def double_where_loss(a, b):
    squares = ((a - b) ** 2).sum(dim=1)
    safe = torch.where(squares > 0, squares, 1.0)
    return torch.where(squares > 0, torch.sqrt(safe), 0.0).mean()


def norm_method_loss(a, b):
    return (a - b).norm(dim=1).mean()


@pytest.mark.parametrize("right", [vector_norm_loss, double_where_loss, norm_method_loss])
def test_1_right_fixes_in_several_styles(right):
    assert judge(1, as_answer(1, right)).correct


@pytest.mark.parametrize(
    "wrong, key",
    [
        (l3.broken1, "exercises.l3.1.still_nan"),
        (lambda a, b: torch.sqrt(((a - b) ** 2).sum(dim=1) + 1e-12).mean(), "exercises.l3.1.epsilon"),
        (lambda a, b: torch.sqrt(((a - b) ** 2).sum(dim=1).clamp(min=1e-12)).mean(), "exercises.l3.1.epsilon"),
        (lambda a, b: l3.broken1(a, b).detach(), "exercises.l3.1.detached"),
        (lambda a, b: torch.tensor(l3.broken1(a, b).item(), requires_grad=True), "exercises.l3.1.new_leaf"),
        (lambda a, b: (a - b).abs().sum(dim=1).mean(), "exercises.l3.1.values"),
        (lambda a, b: l3.broken1(a, b).item(), "exercises.l3.number"),
        (lambda a, b: torch.linalg.vector_norm(a - b, dim=1), "exercises.l3.not_scalar"),
    ],
)
def test_1_typical_wrong_fixes_name_their_cause(wrong, key, language):
    assert says(judge(1, as_answer(1, wrong)), key)


# --- exercise 2: a loss that never reaches the model ---------------------------------------------


@pytest.mark.parametrize(
    "right",
    [
        lambda p, t: (p - t).abs().mean(),
        lambda p, t: torch.nn.functional.l1_loss(p, t),
        lambda p, t: torch.stack([(a - b).abs() for a, b in zip(p, t, strict=True)]).mean(),
    ],
)
def test_2_right_fixes_in_several_styles(right):
    assert judge(2, as_answer(2, right)).correct


@pytest.mark.parametrize(
    "wrong, key",
    [
        (l3.broken2, "exercises.l3.2.new_leaf"),
        (lambda p, t: torch.tensor(float((p - t).abs().mean().detach())), "exercises.l3.2.detached"),
        (lambda p, t: (p - t).abs().sum(), "exercises.l3.2.sum"),
        (lambda p, t: ((p - t) ** 2).mean(), "exercises.l3.2.squared"),
        (lambda p, t: (p.detach() - t).abs().mean() + 0 * p.sum(), "exercises.l3.2.no_gradient"),
        (lambda p, t: float((p - t).abs().mean().detach()), "exercises.l3.number"),
    ],
)
def test_2_typical_wrong_fixes_name_their_cause(wrong, key, language):
    assert says(judge(2, as_answer(2, wrong)), key)


def test_2_a_backward_pass_inside_the_answer_is_named():
    def inside(p, t):
        loss = (p - t).abs().mean()
        loss.backward()
        return loss

    assert says(judge(2, as_answer(2, inside)), "exercises.l3.backward_inside")


# --- exercise 3: parameters that are not leaves ------------------------------------------------


def init_then_leaf(generator):
    weight = torch.randn(4, 3, generator=generator).to(torch.float64) * 0.1
    return weight.requires_grad_(), torch.zeros(3, dtype=torch.float64).requires_grad_()


def init_detached(generator):
    return tuple(t.detach().requires_grad_() for t in l3.broken3(generator))


def init_no_grad(generator):
    with torch.no_grad():
        weight = torch.randn(4, 3, generator=generator).double() * 0.1
    return torch.nn.Parameter(weight), torch.nn.Parameter(torch.zeros(3, dtype=torch.float64))


@pytest.mark.parametrize("right", [init_then_leaf, init_detached, init_no_grad])
def test_3_right_fixes_in_several_styles(right):
    assert judge(3, as_answer(3, right)).correct


@pytest.mark.parametrize(
    "wrong, key",
    [
        (l3.broken3, "exercises.l3.3.not_leaf"),
        (lambda g: tuple(t.detach() for t in l3.broken3(g)), "exercises.l3.3.no_grad"),
        (lambda g: tuple(t.float().detach().requires_grad_() for t in l3.broken3(g)), "exercises.l3.3.dtype"),
        (
            lambda g: (
                (torch.randn(4, 3, generator=g, dtype=torch.float64) * 0.1).requires_grad_(),
                torch.zeros(3, dtype=torch.float64, requires_grad=True),
            ),
            "exercises.l3.3.values",
        ),
        (lambda g: init_then_leaf(g)[0], "exercises.l3.3.pair"),
    ],
)
def test_3_typical_wrong_fixes_name_their_cause(wrong, key, language):
    assert says(judge(3, as_answer(3, wrong)), key)


def test_3_the_hint_names_the_operation_that_made_the_tensor():
    feedback = judge(3, as_answer(3, l3.broken3))
    assert "MulBackward0" in str(feedback.hint) and "weight" in str(feedback.hint)


# --- exercise 4: a softmax that breaks the backward pass --------------------------------------


def softmax_by_division(logits):
    e = torch.exp(logits - logits.max(dim=1, keepdim=True).values)
    return e / e.sum(dim=1, keepdim=True)


def softmax_on_a_clone(logits):
    e = torch.exp(logits - logits.max(dim=1, keepdim=True).values).clone()
    e /= e.sum(dim=1, keepdim=True)
    return e


@pytest.mark.parametrize(
    "right",
    [softmax_by_division, softmax_on_a_clone, lambda z: torch.softmax(z, dim=1), lambda z: z.log_softmax(1).exp()],
)
def test_4_right_fixes_in_several_styles(right):
    assert judge(4, as_answer(4, right)).correct


def softmax_through_data(logits):
    e = torch.exp(logits - logits.max(dim=1, keepdim=True).values)
    e.data /= e.sum(dim=1, keepdim=True)
    return e


def softmax_sum_detached(logits):
    e = torch.exp(logits)
    return e / e.sum(dim=1, keepdim=True).detach()


@pytest.mark.parametrize(
    "wrong, key",
    [
        (l3.broken4, "exercises.l3.4.still_in_place"),
        (softmax_through_data, "exercises.l3.4.partial"),
        (softmax_sum_detached, "exercises.l3.4.partial"),
        (lambda z: l3.broken4(z.detach()), "exercises.l3.4.detached"),
        (lambda z: torch.softmax(z, dim=0), "exercises.l3.4.values"),
        (lambda z: torch.softmax(z, dim=1)[:, :2], "exercises.l3.4.shape"),
    ],
)
def test_4_typical_wrong_fixes_name_their_cause(wrong, key, language):
    assert says(judge(4, as_answer(4, wrong)), key)


# --- exercise 5: an epoch that does not free memory -------------------------------------------


def epoch_with_item(model, optimizer, batches):
    total = 0.0
    for x, y in batches:
        optimizer.zero_grad()
        loss = ((model(x) - y) ** 2).mean()
        loss.backward()
        optimizer.step()
        total += loss.item()
    return total / len(batches)


def epoch_with_detach(model, optimizer, batches):
    total = torch.zeros((), dtype=torch.float64)
    for x, y in batches:
        optimizer.zero_grad()
        loss = torch.nn.functional.mse_loss(model(x), y)
        loss.backward()
        optimizer.step()
        total += loss.detach()
    return total / len(batches)


@pytest.mark.parametrize("right", [epoch_with_item, epoch_with_detach])
def test_5_right_fixes_in_several_styles(right):
    assert judge(5, as_answer(5, right)).correct


def epoch_without_steps(model, optimizer, batches):
    with torch.no_grad():
        return sum(float(((model(x) - y) ** 2).mean()) for x, y in batches) / len(batches)


def epoch_detached_too_early(model, optimizer, batches):
    total = 0.0
    for x, y in batches:
        optimizer.zero_grad()
        loss = ((model(x) - y) ** 2).mean().detach()
        loss.backward()
        optimizer.step()
        total += loss.item()
    return total / len(batches)


def epoch_summed(model, optimizer, batches):
    return epoch_with_item(model, optimizer, batches) * len(batches)


def epoch_without_zero_grad(model, optimizer, batches):
    total = 0.0
    for x, y in batches:
        loss = ((model(x) - y) ** 2).mean()
        loss.backward()
        optimizer.step()
        total += loss.item()
    return total / len(batches)


@pytest.mark.parametrize(
    "wrong, key",
    [
        (l3.broken5, "exercises.l3.5.leak"),
        (epoch_without_steps, "exercises.l3.5.no_training"),
        (epoch_detached_too_early, "exercises.l3.5.no_graph"),
        (epoch_summed, "exercises.l3.5.mean"),
        (epoch_without_zero_grad, "exercises.l3.5.training"),
    ],
)
def test_5_typical_wrong_fixes_name_their_cause(wrong, key, language):
    assert says(judge(5, as_answer(5, wrong)), key)


# --- exercise 6: a step that explodes --------------------------------------------------------


def step_clipped(model, x, y, lr, max_norm):
    model.zero_grad()
    loss = ((model(x) - y) ** 2).mean()
    loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm)
    with torch.no_grad():
        for p in model.parameters():
            p -= lr * p.grad
    return loss.item()


def step_by_hand(model, x, y, lr, max_norm):
    for p in model.parameters():
        p.grad = None
    loss = torch.nn.functional.mse_loss(model(x), y)
    loss.backward()
    total = torch.sqrt(sum((p.grad**2).sum() for p in model.parameters()))
    factor = min(1.0, max_norm / float(total))
    with torch.no_grad():
        for p in model.parameters():
            p.add_(p.grad, alpha=-lr * factor)
    return loss


def step_with_sgd(model, x, y, lr, max_norm):
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    optimizer.zero_grad()
    loss = ((model(x) - y) ** 2).mean()
    loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm)
    optimizer.step()
    return loss.detach()


@pytest.mark.parametrize("right", [step_clipped, step_by_hand, step_with_sgd])
def test_6_right_fixes_in_several_styles(right):
    assert judge(6, as_answer(6, right)).correct


def step_variant(clip=None, zero=True, update=True, returned=lambda loss: loss.item()):
    def step(model, x, y, lr, max_norm):
        if zero:
            model.zero_grad()
        loss = ((model(x) - y) ** 2).mean()
        loss.backward()
        if clip is not None:
            clip(list(model.parameters()), max_norm)
        if update:
            with torch.no_grad():
                for p in model.parameters():
                    p -= lr * p.grad
        return returned(loss)

    return step


def clip_each(parameters, max_norm):
    for p in parameters:
        torch.nn.utils.clip_grad_norm_([p], max_norm)


@pytest.mark.parametrize(
    "wrong, key",
    [
        (l3.broken6, None),  # four arguments: the call itself raises
        (step_variant(), "exercises.l3.6.no_clip"),
        (step_variant(torch.nn.utils.clip_grad_value_), "exercises.l3.6.by_value"),
        (step_variant(clip_each), "exercises.l3.6.per_parameter"),
        (step_variant(torch.nn.utils.clip_grad_norm_, zero=False), "exercises.l3.6.stale"),
        (step_variant(torch.nn.utils.clip_grad_norm_, update=False), "exercises.l3.6.no_step"),
        (step_variant(torch.nn.utils.clip_grad_norm_, returned=lambda loss: 0.0), "exercises.l3.6.loss"),
    ],
)
def test_6_typical_wrong_fixes_name_their_cause(wrong, key, language):
    feedback = judge(6, as_answer(6, wrong))
    if key is None:
        assert feedback.status == "wrong" and "TypeError" in str(feedback.hint)
    else:
        assert says(feedback, key), str(feedback)
