"""Lesson 2's checkers name the real cause: what the statement forbids is refused however it is
written, approximations are told apart from float32, the checker's own autograd failures are
explained in the learner's terms, each mistake gets its own hint instead of a catch-all guess,
the words are a learner's, and every "why" of a statement is answered and checked. Every case
runs in both languages and is judged by its catalogue key and its words."""

from __future__ import annotations

import pytest
import torch
from torch.func import grad, hessian, jacfwd, jacrev, jvp, vjp, vmap

from autograd_lessons import course, set_language
from autograd_lessons.exercises import check
from autograd_lessons.i18n import MESSAGES
from autograd_lessons.lessons.in_depth import exercises as l2


@pytest.fixture(params=["en", "pt"])
def language(request):
    set_language(request.param)
    return request.param


def judge(number, answer):
    return check(number, answer, lesson=2)


def reason(feedback):
    """The catalogue key of what the feedback says is wrong (the sentence before the form, if any)."""
    hint = feedback.hint
    return hint.fields["before"].key if hint.key == "exercises.form_hint_after" else hint.key


def assert_says(feedback, key, headline=None, words=()):
    assert feedback.status == "wrong", str(feedback)
    assert reason(feedback) == key, str(feedback)
    if headline is not None:
        assert feedback.headline.key == headline, str(feedback)
    for fragment in words:
        assert fragment in str(feedback), (fragment, str(feedback))
    assert ".." not in str(feedback).replace("...", ""), str(feedback)


def hvp_answer(hvp, why="b"):
    return {"hvp": hvp, "why": why}


def fixed_answer(fixed, why="c"):
    return {"fixed": fixed, "why": why}


def jacobian_answer(jacobian, why="a"):
    return {"jacobian": jacobian, "why": why}


def double_backward(f, x, v):
    x = x.detach().requires_grad_(True)
    (g,) = torch.autograd.grad(f(x), x, create_graph=True)
    return torch.autograd.grad((g * v).sum(), x)[0]


def the_fix(x):
    y = x * 2 + 1
    return torch.sigmoid(y) * y


def by_size(f, x):
    return jacfwd(f)(x) if x.numel() < f(x).numel() else jacrev(f)(x)


# --- accepting what the statement forbids: H v without building H -----------------------------
def hessian_rows(f, x, v):
    x = x.detach().requires_grad_(True)
    (g,) = torch.autograd.grad(f(x), x, create_graph=True)
    return sum(v[i] * torch.autograd.grad(g[i], x, retain_graph=True)[0] for i in range(x.numel()))


def hessian_columns(f, x, v):
    basis = torch.eye(x.numel(), dtype=x.dtype)
    columns = vmap(lambda e: jvp(grad(f), (x,), (e,))[1])(basis)
    return columns @ v


BUILDS_H = {
    "autograd.functional.hessian": lambda f, x, v: torch.autograd.functional.hessian(f, x) @ v,
    "vectorized hessian": lambda f, x, v: torch.autograd.functional.hessian(f, x, vectorize=True) @ v,
    "torch.func.hessian": lambda f, x, v: hessian(f)(x) @ v,
    "jacfwd of jacrev": lambda f, x, v: jacfwd(jacrev(f))(x) @ v,
    "jacrev of grad, H.T": lambda f, x, v: v @ jacrev(grad(f))(x),
    "rows, one backward each": hessian_rows,
    "columns by vmap": hessian_columns,
}


@pytest.mark.parametrize("name", BUILDS_H)
def test_3_an_answer_that_builds_the_hessian_is_refused(name, language):
    feedback = judge(3, hvp_answer(BUILDS_H[name]))
    words = {"en": "builds the whole Hessian", "pt": "monta a hessiana inteira"}[language]
    assert_says(feedback, "exercises.l2.3.built_hessian", "exercises.l2.right_values", [words])


def backward_then_read(f, x, v):
    x = x.detach().requires_grad_(True)
    (g,) = torch.autograd.grad(f(x), x, create_graph=True)
    (g @ v).backward()
    return x.grad


HVP_WITHOUT_H = {
    "double backward": double_backward,
    "jvp of grad": lambda f, x, v: jvp(grad(f), (x,), (v,))[1],
    "vjp of grad": lambda f, x, v: vjp(grad(f), x)[1](v)[0],
    "autograd.functional.hvp": lambda f, x, v: torch.autograd.functional.hvp(f, x, v)[1],
    "autograd.functional.vhp": lambda f, x, v: torch.autograd.functional.vhp(f, x, v)[1],
    "backward then x.grad": backward_then_read,
}


@pytest.mark.parametrize("name", HVP_WITHOUT_H)
def test_3_products_without_the_hessian_pass(name, language):
    assert judge(3, hvp_answer(HVP_WITHOUT_H[name])).correct


# --- approximations are not float32 --------------------------------------------------------------
def central(step):
    def hvp(f, x, v):
        return (grad(f)(x + step * v) - grad(f)(x - step * v)) / (2 * step)

    return hvp


def forward_difference(f, x, v):
    step = 1e-7
    return (grad(f)(x + step * v) - grad(f)(x)) / step


@pytest.mark.parametrize("hvp", [central(1e-5), central(1e-3), forward_difference], ids=["1e-5", "1e-3", "forward"])
def test_3_finite_differences_are_an_approximation(hvp, language):
    words = {"en": "finite differences", "pt": "diferenças finitas"}[language]
    feedback = judge(3, hvp_answer(hvp))
    assert_says(feedback, "exercises.l2.3.approximate", "exercises.l2.approximate_headline", [words])
    assert "float32" not in str(feedback)


def gradient_by_differences(forward, w):
    step = 1e-6
    columns = []
    with torch.no_grad():
        for e in torch.eye(w.numel(), dtype=w.dtype):
            columns.append((sum(forward(w + step * e)) - sum(forward(w - step * e))) / (2 * step))
    return torch.stack(columns)


def test_2_finite_differences_are_an_approximation(language):
    feedback = judge(2, gradient_by_differences)
    assert_says(feedback, "exercises.l2.2.approximate", "exercises.l2.approximate_headline")
    assert "float32" not in str(feedback) and "weight 1" not in str(feedback)


def silu_function(forward, backward, name="Candidate"):
    methods = {"forward": staticmethod(forward), "backward": staticmethod(backward)}
    return type(name, (torch.autograd.Function,), methods)


def keep_x(ctx, x):
    ctx.save_for_backward(x)
    return x * torch.sigmoid(x)


def silu(t):
    return t * torch.sigmoid(t)


def backward_by_differences(step, centred=True):
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        if centred:
            return grad_output * (silu(x + step) - silu(x - step)) / (2 * step)
        return grad_output * (silu(x + step) - silu(x)) / step

    return backward


@pytest.mark.parametrize(
    "backward",
    [backward_by_differences(1e-6), backward_by_differences(1e-4), backward_by_differences(1e-7, centred=False)],
    ids=["central 1e-6", "central 1e-4", "forward 1e-7"],
)
def test_4_a_backward_by_finite_differences_is_an_approximation(backward, language):
    feedback = judge(4, silu_function(keep_x, backward))
    assert_says(feedback, "exercises.l2.4.approximate", "exercises.l2.approximate_headline")
    assert "float32" not in str(feedback)


def finite_jacobian(f, x):
    step = 1e-6
    columns = [(f(x + step * e) - f(x - step * e)) / (2 * step) for e in torch.eye(x.numel(), dtype=x.dtype)]
    return torch.stack(columns, dim=1)


def test_7_finite_differences_are_named_not_guessed(language):
    feedback = judge(7, jacobian_answer(finite_jacobian))
    words = {"en": "finite differences", "pt": "diferenças finitas"}[language]
    assert_says(feedback, "exercises.l2.7.finite_differences", "exercises.l2.not_autograd", [words])
    assert "?" not in str(feedback.hint)


def test_float32_is_still_float32(language):
    """The other side: an answer computed in float32 is still told about float32."""
    single = judge(3, hvp_answer(lambda f, x, v: jvp(grad(f), (x,), (v,))[1].float().double()))
    assert single.headline.key == "exercises.precision_headline", str(single)
    assert judge(4, silu_function(keep_x, backward_in_float32)).headline.key == "exercises.precision_headline"


def backward_in_float32(ctx, grad_output):
    (x,) = ctx.saved_tensors
    x, grad_output = x.float(), grad_output.float()
    s = torch.sigmoid(x)
    return (grad_output * s * (1 + x * (1 - s))).double()


# --- the checker's own failure, explained in the learner's terms -------------------------------
def backward_none(ctx, grad_output):
    (x,) = ctx.saved_tensors


BACKWARDS_WITHOUT_GRADIENT = {
    "no return": backward_none,
    "return None": lambda ctx, g: None,
    "a tuple of None": lambda ctx, g: (None,),
}


@pytest.mark.parametrize("name", BACKWARDS_WITHOUT_GRADIENT)
def test_4_a_backward_that_returns_none_is_told_so(name, language):
    feedback = judge(4, silu_function(keep_x, BACKWARDS_WITHOUT_GRADIENT[name]))
    assert_says(feedback, "exercises.l2.4.backward_none", "exercises.l2.no_result", ["None"])
    assert "allow_unused" not in str(feedback) and feedback.headline.key != "exercises.raised_headline"


def test_4_a_backward_that_returns_numpy_is_a_form_error(language):
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        s = torch.sigmoid(x)
        return (grad_output * s * (1 + x * (1 - s))).numpy()

    feedback = judge(4, silu_function(keep_x, backward))
    assert_says(feedback, "exercises.form.numpy", "exercises.bad_form", ["backward"])


def sigmoid_in_place(ctx, x):
    y = x * torch.sigmoid(x)
    x.sigmoid_()  # reuses x's memory for σ(x)
    ctx.save_for_backward(x)
    return y


def multiply_in_place(ctx, x):
    ctx.save_for_backward(x)
    return x.mul_(torch.sigmoid(x))


def marked_dirty(ctx, x):
    ctx.mark_dirty(x)
    ctx.save_for_backward(x.clone())
    return x.mul_(torch.sigmoid(x))


def right_backward(ctx, grad_output):
    (x,) = ctx.saved_tensors
    s = torch.sigmoid(x)
    return grad_output * s * (1 + x * (1 - s))


@pytest.mark.parametrize(
    "forward, headline",
    [
        (sigmoid_in_place, "exercises.l2.4.changes_input_headline"),
        (multiply_in_place, "exercises.l2.4.changes_input_headline"),
        (marked_dirty, "exercises.raised_headline"),  # autograd refuses to change a leaf in place
    ],
)
def test_4_a_forward_that_changes_its_input_is_named(forward, headline, language):
    feedback = judge(4, silu_function(forward, right_backward))
    words = {"en": "changes its input x in place", "pt": "altera in-place a sua entrada x"}[language]
    assert_says(feedback, "exercises.l2.4.changes_input", headline, [words])
    assert "backward does not match" not in str(feedback) and "backward não confere" not in str(feedback)


def backward_inside(x):
    z = the_fix(x)
    z.sum().backward()
    return z


def grad_inside(x):
    z = the_fix(x)
    torch.autograd.grad(z.sum(), x)
    return z


@pytest.mark.parametrize("fixed", [backward_inside, grad_inside])
def test_5_a_backward_pass_inside_the_answer_is_named(fixed, language):
    feedback = judge(5, fixed_answer(fixed))
    assert_says(feedback, "exercises.l2.5.backward_inside", "exercises.l2.backward_raised")
    assert "retain_graph" not in str(feedback)


def clip_and_try(tensor, c):
    handle = tensor.register_hook(lambda g: g.clamp(-c, c))
    tensor.sum().backward()
    return handle


def test_6_a_backward_pass_inside_the_answer_is_named(language):
    feedback = judge(6, clip_and_try)
    assert_says(feedback, "exercises.l2.6.backward_inside", "exercises.l2.checker_backward")
    assert "retain_graph" not in str(feedback)


HOOKS_THAT_BREAK = {
    "numpy": lambda g, c: g.clamp(-c, c).numpy(),
    "other shape": lambda g, c: g.clamp(-c, c)[:3],
    "float32": lambda g, c: g.clamp(-c, c).float(),
}


@pytest.mark.parametrize("name", HOOKS_THAT_BREAK)
def test_6_a_hook_that_breaks_the_backward_pass_is_named(name, language):
    hook = HOOKS_THAT_BREAK[name]
    feedback = judge(6, lambda t, c: t.register_hook(lambda g: hook(g, c)))
    words = {"en": "your hook", "pt": "seu gancho"}[language]
    assert_says(feedback, "exercises.l2.6.hook_failed", "exercises.l2.checker_backward", [words])


def other_leaf(f, x, v):
    x = x.detach().requires_grad_(True)
    y = f(x)
    copy = x.detach().requires_grad_(True)
    (g,) = torch.autograd.grad(y, copy, create_graph=True)
    return torch.autograd.grad((g * v).sum(), copy)[0]


def other_leaf_h(forward, x):
    h, loss = forward(x)
    return torch.autograd.grad(loss, h.detach().requires_grad_(True))[0]


def test_gradient_with_respect_to_a_tensor_outside_the_graph(language):
    for number, answer in ((3, hvp_answer(other_leaf)), (1, other_leaf_h)):
        feedback = judge(number, answer)
        assert_says(feedback, "exercises.l2.unused", "exercises.raised_headline")
        assert "Set allow_unused=True if this is the desired behavior" not in str(feedback)


# --- each mistake its own cause, not a catch-all guess ------------------------------------------
def zeroed_after(forward, w):
    w.grad = None
    sum(forward(w)).backward()
    w.grad.zero_()
    return w.grad


def zeros_returned(forward, w):
    w.grad = None
    sum(forward(w)).backward()
    return torch.zeros_like(w)


def returns_weights(forward, w):
    w.grad = None
    sum(forward(w)).backward()
    return w


def returns_weights_detached(forward, w):
    w.grad = None
    sum(forward(w)).backward()
    return w.detach().clone()


def test_2_zeros_and_weights_get_their_own_hints(language):
    assert_says(judge(2, zeroed_after), "exercises.l2.2.zeros_cleared")
    assert_says(judge(2, zeros_returned), "exercises.l2.2.zeros")
    for answer in (returns_weights, returns_weights_detached):
        assert_says(judge(2, answer), "exercises.l2.2.weights", words=["w.grad"])
    for answer in (zeroed_after, zeros_returned, returns_weights):
        assert "weight 1" not in str(judge(2, answer)) and "peso 1" not in str(judge(2, answer))


def weighted(a, b):
    def step_grad(forward, w):
        w.grad = None
        loss1, loss2 = forward(w)
        (a * loss1 + b * loss2).backward()
        return w.grad

    return step_grad


def test_2_weighted_losses_are_named_with_their_weights(language):
    feedback = judge(2, weighted(1.5, 1.5))
    assert_says(feedback, "exercises.l2.2.weighted", words=["1,5" if language == "pt" else "1.5"])
    assert_says(judge(2, weighted(2, 1)), "exercises.l2.2.weighted", words=["2"])


def read_before_backward(forward, w):
    loss1, loss2 = forward(w)
    return w.grad


def test_2_what_the_earlier_step_left_is_named(language):
    assert_says(judge(2, read_before_backward), "exercises.l2.2.old")


def never_returns(forward, x):
    h, loss = forward(x)
    h.retain_grad()
    loss.backward()


def retained_late(forward, x):
    h, loss = forward(x)
    loss.backward()
    h.retain_grad()
    return h.grad


def detached_copy(forward, x):
    h, loss = forward(x)
    h = h.detach().requires_grad_(True)
    h.retain_grad()
    loss.backward()
    return h.grad


def through_data(forward, x):
    h, loss = forward(x)
    h = h.data.requires_grad_(True)
    loss.backward()
    return h.grad


def no_backward(forward, x):
    h, loss = forward(x)
    h.retain_grad()
    return h.grad


def grad_not_returned(forward, x):
    h, loss = forward(x)
    torch.autograd.grad(loss, h)


def no_retain(forward, x):
    h, loss = forward(x)
    loss.backward()
    return h.grad


NONE_RESULTS = {
    "no return": (never_returns, "exercises.l2.1.no_return"),
    "retain_grad after backward": (retained_late, "exercises.l2.1.retain_late"),
    "a detached copy": (detached_copy, "exercises.l2.1.detached"),
    "a copy through .data": (through_data, "exercises.l2.1.detached"),
    "no backward pass": (no_backward, "exercises.l2.1.no_backward"),
    "autograd.grad not returned": (grad_not_returned, "exercises.l2.1.no_return"),
    "no retain_grad": (no_retain, "exercises.l2.1.none"),
}


@pytest.mark.filterwarnings("ignore:The .grad attribute of a Tensor that is not a leaf")
@pytest.mark.parametrize("name", NONE_RESULTS)
def test_1_each_none_gets_its_own_cause(name, language):
    answer, key = NONE_RESULTS[name]
    feedback = judge(1, answer)
    assert_says(feedback, key, "exercises.l2.no_result")
    advice = {"en": "Call h.retain_grad() before", "pt": "Chame h.retain_grad() antes"}[language]
    assert (advice in str(feedback)) == (key == "exercises.l2.1.none"), str(feedback)


def with_forward1(forward, x):
    h, loss = l2.forward1(x)
    h.retain_grad()
    loss.backward()
    return h.grad


NEVER_CALLED = {
    "1, the public forward1": (1, with_forward1, "exercises.l2.not_called_raised"),
    "2, a guess of the wrong shape": (2, lambda forward, w: torch.zeros(3), "exercises.l2.not_called"),
    "3, the public f3": (3, hvp_answer(lambda f, x, v: double_backward(l2.f3, x, v)), "exercises.l2.not_called"),
    "7, the public tall7": (7, jacobian_answer(lambda f, x: jacfwd(l2.tall7)(l2.X7_TALL)), "exercises.l2.not_called"),
}


@pytest.mark.parametrize("name", NEVER_CALLED)
def test_an_answer_that_never_calls_the_given_function_is_told_so(name, language):
    number, answer, key = NEVER_CALLED[name]
    feedback = judge(number, answer)
    headline = "exercises.raised_headline" if key.endswith("raised") else "exercises.l2.not_called_headline"
    example = {1: "forward1", 2: "forward2", 3: "f3", 7: "tall7"}[number]
    assert_says(feedback, key, headline, [example])


class FakeHandle:
    def remove(self):
        pass


def hook_on_copy(tensor, c):
    copy = tensor.detach().requires_grad_(True)
    return copy.register_hook(lambda g: g.clamp(-c, c))


def test_6_no_hook_on_the_tensor_is_not_a_hook_returning_none(language):
    for answer in (lambda t, c: FakeHandle(), hook_on_copy):
        assert_says(judge(6, answer), "exercises.l2.6.not_on_tensor")
    assert_says(judge(6, lambda t, c: t.register_hook(lambda g: None)), "exercises.l2.6.no_effect")
    for hook in (lambda g: torch.zeros_like(g), lambda g: g.zero_()):
        assert_says(judge(6, lambda t, c, hook=hook: t.register_hook(hook)), "exercises.l2.6.zeros")


# --- words a learner should see ------------------------------------------------------------------
def test_kinds_are_words_not_python_type_names(language):
    words = {
        "en": ("the answer is a string", "the answer is a function (`<lambda>`)", "returned a tensor", "a generator"),
        "pt": (
            "a resposta é um texto (str)",
            "a resposta é uma função (`<lambda>`)",
            "devolveu um tensor",
            "um gerador",
        ),
    }[language]

    def generator(tensor, c):
        yield tensor.register_hook(lambda g: g.clamp(-c, c))

    found = [judge(4, "SiLU"), judge(4, lambda x: x), judge(6, lambda t, c: t), judge(6, generator)]
    for feedback, fragment in zip(found, words, strict=True):
        assert fragment in str(feedback), str(feedback)
        raw = ("is str,", "is function,", "returned Tensor,", "returned generator,", "é str,", "devolveu Tensor,")
        assert not any(name in str(feedback) for name in raw), str(feedback)


EXITS = {
    "1, before calling forward": (1, lambda forward, x: exit()),
    "3, before calling f": (3, hvp_answer(lambda f, x, v: exit())),
    "6, in the hook": (6, lambda t, c: t.register_hook(lambda g: exit())),
}


@pytest.mark.parametrize("name", EXITS)
def test_an_answer_that_calls_exit_is_told_so_in_words(name, language):
    number, answer = EXITS[name]
    feedback = judge(number, answer)
    assert reason(feedback) == "exercises.exited" and "SystemExit" not in str(feedback), str(feedback)


@pytest.mark.parametrize("number", [1, 2, 3])
def test_a_none_result_has_a_headline_that_says_so(number, language):
    answers = {
        1: lambda forward, x: (forward(x), None)[1],
        2: lambda forward, w: (forward(w), None)[1],
        3: hvp_answer(lambda f, x, v: (f(x), None)[1]),
    }
    feedback = judge(number, answers[number])
    assert feedback.headline.key == "exercises.l2.no_result", str(feedback)
    assert "None" in feedback.message


@pytest.mark.filterwarnings("ignore:<class .*SiLU'> should not be instantiated")
def test_4_an_instance_is_not_the_class(language):
    instance = silu_function(keep_x, right_backward, name="SiLU")()
    feedback = judge(4, instance)
    assert_says(feedback, "exercises.l2.4.instance", "exercises.bad_form", ["answer = SiLU"])


# --- the "why" of each statement, answered and checked ---------------------------------------------
QUESTIONS = {
    3: (hvp_answer, double_backward, "b"),
    5: (fixed_answer, the_fix, "c"),
    7: (jacobian_answer, by_size, "a"),
}


@pytest.mark.parametrize("number", QUESTIONS)
def test_the_why_is_checked(number, language):
    wrap, function, right = QUESTIONS[number]
    for said in (right, right.upper(), f"({right})", f" {right}) "):
        assert judge(number, wrap(function, said)).correct, said
    for letter in sorted(set("abc") - {right}):
        feedback = judge(number, wrap(function, letter))
        assert_says(feedback, f"exercises.l2.{number}.why.{letter}", "exercises.wrong_choice")
        assert f"({letter})" in feedback.message
    for odd in ("d", "", None, 2, "ab"):
        assert reason(judge(number, wrap(function, odd))) == "exercises.form.choice"
    missing = judge(number, {k: v for k, v in wrap(function, right).items() if k != "why"})
    assert reason(missing) == "exercises.form.keys" and '"why"' in str(missing)


@pytest.mark.parametrize("number", QUESTIONS)
def test_every_wrong_option_has_its_reason_and_the_right_one_none(number):
    right = QUESTIONS[number][2]
    for letter in "abc":
        key = f"exercises.l2.{number}.why.{letter}"
        assert (key in MESSAGES) == (letter != right), key
        if letter != right:
            assert MESSAGES[key]["en"].strip() and MESSAGES[key]["pt"].strip()


@pytest.mark.parametrize("number", QUESTIONS)
def test_the_statement_offers_the_options_in_both_languages(number):
    lesson = course.lesson(2, "exercises")
    cells = lesson.source_cells("02_exercises_in_depth")
    heading = {"pt": f"## Exercício {number} ", "en": f"## Exercise {number} "}
    for language, start in heading.items():
        statement = next(cell.source for cell in cells if cell.lang == language and start in cell.source)
        assert all(f"({letter})" in statement for letter in "abc"), (language, number)
        assert '"why"' in statement, (language, number)


def test_the_worked_solutions_answer_the_why():
    from test_lesson2_exercises import solved

    for number, (_, _, right) in QUESTIONS.items():
        assert solved(number)["why"] == right
