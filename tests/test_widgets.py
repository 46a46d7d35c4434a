"""The explorers, driven as a learner would (set a control, click a button) and read back.

Expectations come from the mathematics of each lesson cell, not from the explorer's own code:
f(a) multiplies a by 2 exactly k times (the least k ≥ 1 with |a|·2^k ≥ 1000) and by 100 more
when a < 0; x.grad after y.backward(gradient=v) is vᵀJ with J from torch.func.jacrev.
"""

from __future__ import annotations

import io
import math
import re

import pytest
import torch

import autograd_lessons
from autograd_lessons import LessonError, backward_stepper, backward_steps, set_language
from autograd_lessons.lessons.autograd import control_flow_explorer, vjp_explorer
from autograd_lessons.lessons.autograd.maths import control_flow

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def expected_doublings(a: float) -> int:
    """The least k ≥ 1 with |a|·2^k ≥ 1000."""
    k = 1
    while abs(a) * 2.0**k < 1000:
        k += 1
    return k


def float32(value: float) -> float:
    return float(torch.tensor(value, dtype=torch.float32))


def classes(widget) -> list[str]:
    return list(widget._dom_classes)


# --------------------------------------------------------------------------- control flow, In [20]


@pytest.mark.parametrize("a", [1.541, 0.3, 1.9, -1.2, -0.05, 5.0, 1e-6, -1e-6, 1234.5])
def test_control_flow_state_follows_the_formula(a):
    explorer = control_flow_explorer(0.5)
    explorer.controls["a_text"].value = a
    s = explorer.state
    k = expected_doublings(a)
    negative = a < 0
    slope = 2.0**k * (100 if negative else 1)
    assert s["error"] is None
    assert s["a"] == float32(a)
    assert s["doublings"] == k
    assert s["branch"] == ("negative" if negative else "positive")
    assert s["mul_nodes"] == k + negative  # one MulBackward0 per doubling, one for 100 * b
    assert float(s["grad"]) == slope
    b = float32(float32(a) * 2.0**k)  # exact: a power-of-two scaling
    assert float(s["d"]) == (float32(100 * b) if negative else b)
    assert float(s["d_over_a"]) == float32(float(s["d"]) / float32(a)) or s["verdict"] != "exact"


def test_the_lesson_a_gives_ten_doublings_and_an_exact_equality():
    explorer = control_flow_explorer()
    assert explorer.state["a"] == float(torch.randn((), generator=torch.Generator().manual_seed(0)))
    assert explorer.state["doublings"] == 10 == expected_doublings(1.5409961)
    assert explorer.state["verdict"] == "exact"
    assert explorer.state["grad"].dtype == torch.float32
    assert "doublings: 10" in explorer.doublings.value


def test_a_negative_a_breaks_the_exact_equality_only_by_rounding():
    torch.manual_seed(15)
    a = torch.randn(())
    assert float(a) < 0
    explorer = control_flow_explorer(a)
    s = explorer.state
    grad, ratio = float(s["grad"]), float(s["d_over_a"])
    assert grad != ratio  # what `a.grad == d / a` prints as False
    ulp32 = 2.0 ** (math.frexp(grad)[1] - 1) * 2.0**-23  # float32 spacing at grad
    assert 0 < abs(grad - ratio) <= 4 * ulp32
    assert s["verdict"] == "rounding"
    assert "up to rounding" in explorer.summary()


def test_slider_and_text_box_stay_in_sync():
    explorer = control_flow_explorer()
    slider, text = explorer.controls["a"], explorer.controls["a_text"]
    assert slider.value == pytest.approx(text.value)
    slider.value = 0.5
    assert text.value == 0.5 and explorer.state["a"] == 0.5
    text.value = -1.25
    assert slider.value == -1.25 and explorer.state["a"] == -1.25
    text.value = 5.0  # beyond the slider: the slider stops at its end, a stays 5
    assert slider.value == 2.0 and text.value == 5.0
    assert explorer.state["a"] == 5.0 and explorer.state["doublings"] == 8
    text.value = 1e-6  # tinier than a slider step
    assert explorer.state["a"] == float32(1e-6) and explorer.state["doublings"] == 30
    assert text.value == 1e-6


@pytest.mark.parametrize("bad", [0.0, -0.0, float("nan"), float("inf"), 1e-50])
def test_a_value_without_a_slope_shows_an_error_instead_of_raising(bad):
    explorer = control_flow_explorer()
    explorer.controls["a_text"].value = bad
    s = explorer.state
    assert isinstance(s["error"], str) and "finite, nonzero a" in s["error"]
    assert s["doublings"] is None and s["grad"] is None and s["verdict"] is None
    assert s["error"] in explorer.summary()
    assert "finite, nonzero a" in explorer.details.value
    assert "doublings: —" in explorer.doublings.value
    assert explorer.png.startswith(PNG_MAGIC)
    explorer.controls["a_text"].value = 1.5  # and it recovers
    assert explorer.state["error"] is None and explorer.state["doublings"] == 10


def test_the_slider_at_zero_shows_the_error_too():
    explorer = control_flow_explorer()
    explorer.controls["a"].value = 0.0
    assert explorer.state["error"] is not None and explorer.controls["a_text"].value == 0.0


def test_the_picture_follows_a():
    explorer = control_flow_explorer()
    before = bytes(explorer.picture.value)
    explorer.controls["a"].value = -1.0  # one more node (100 * b): a different picture
    assert bytes(explorer.picture.value).startswith(PNG_MAGIC) and bytes(explorer.picture.value) != before
    assert explorer.png == bytes(explorer.picture.value)


def test_control_flow_css_classes():
    explorer = control_flow_explorer()
    assert "autograd-lessons-control-flow" in classes(explorer.widget)
    assert "autograd-lessons-a-slider" in classes(explorer.controls["a"])
    assert "autograd-lessons-a-text" in classes(explorer.controls["a_text"])
    assert "autograd-lessons-doublings" in classes(explorer.doublings)
    assert "autograd-lessons-picture" in classes(explorer.picture)
    children = explorer.widget.children
    assert explorer.doublings in children and explorer.picture in children


# --------------------------------------------------------------------------- vᵀJ, In [11] and In [12]

FUNCTIONS = {
    "x * x": lambda x: x * x,
    "x ** 3": lambda x: x**3,
    "torch.sin(x)": lambda x: torch.sin(x),
    "x * x.sum()": lambda x: x * x.sum(),
}
X = torch.arange(4.0)


def test_v_equal_to_one_gives_two_x_like_the_sum():
    explorer = vjp_explorer()
    s = explorer.state
    assert torch.equal(s["v"], torch.ones(4))
    assert torch.equal(s["grad"], 2 * X)
    assert s["matches_sum"] is True
    assert torch.equal(s["jacobian"], torch.diag(2 * X))


@pytest.mark.parametrize("name", list(FUNCTIONS))
def test_the_jacobian_is_jacrev_and_a_unit_v_picks_its_row(name):
    explorer = vjp_explorer(name)
    jacobian = torch.func.jacrev(FUNCTIONS[name])(X)
    torch.testing.assert_close(explorer.state["jacobian"], jacobian)
    for i in range(4):
        explorer.controls["v"].value = ", ".join("1" if j == i else "0" for j in range(4))
        torch.testing.assert_close(explorer.state["grad"], jacobian[i])
    explorer.controls["v"].value = "0.5, -2, 3, 1e-3"
    v = torch.tensor([0.5, -2, 3, 1e-3])
    torch.testing.assert_close(explorer.state["grad"], v @ jacobian)
    torch.testing.assert_close(explorer.state["v"], v)


def test_switching_the_function_updates_the_jacobian_and_the_sum_check():
    explorer = vjp_explorer()
    explorer.controls["function"].value = "x ** 3"
    torch.testing.assert_close(explorer.state["jacobian"], torch.diag(3 * X**2))
    assert explorer.state["matches_sum"] is True
    explorer.controls["function"].value = "x * x.sum()"
    jacobian = explorer.state["jacobian"]
    assert bool((jacobian != torch.diag(torch.diagonal(jacobian))).any())  # not diagonal
    explorer.controls["v"].value = "1, 0, 0, 0"
    assert explorer.state["matches_sum"] is False
    assert "y = x * x.sum()" in explorer.summary()


@pytest.mark.parametrize(
    "text, parsed", [("[1, 0, 0, 0]", [1, 0, 0, 0]), (" 1 2;3 , 4 ", [1, 2, 3, 4]), ("(0,0,0,1)", [0, 0, 0, 1])]
)
def test_v_is_parsed_from_forgiving_text(text, parsed):
    explorer = vjp_explorer()
    explorer.controls["v"].value = text
    assert explorer.state["error"] is None
    assert explorer.state["v"].tolist() == parsed


@pytest.mark.parametrize("text", ["1, x, 0, 0", "1, 2, 3", "1, 2, 3, 4, 5", "", "nan, 1, 1, 1"])
def test_bad_v_shows_a_clear_message_instead_of_raising(text):
    explorer = vjp_explorer()
    explorer.controls["v"].value = text
    s = explorer.state
    assert s["grad"] is None and s["jacobian"] is None
    assert "v needs 4 finite numbers" in s["error"] and repr(text) in s["error"]
    assert s["error"] in explorer.summary()
    explorer.controls["v"].value = "1, 1, 1, 1"
    assert s is not explorer.state and explorer.state["error"] is None


def test_an_unknown_function_is_refused_with_the_choices():
    with pytest.raises(LessonError, match=re.escape("x * x, x ** 3")):
        vjp_explorer("x + 1")


def test_vjp_css_class():
    assert "autograd-lessons-vjp" in classes(vjp_explorer().widget)


# --------------------------------------------------------------------------- the backward stepper


def lesson_y():
    x = torch.arange(4.0, requires_grad=True)
    return x, (x * x).sum()


def test_the_stepper_follows_the_engine_order():
    x, y = lesson_y()
    stepper = backward_stepper(y)
    recorded = backward_steps(y)
    assert [s.op for s in recorded] == ["SumBackward0", "MulBackward0", "AccumulateGrad"]
    seen = []
    assert (stepper.controls["step"].min, stepper.controls["step"].max) == (1, len(recorded))
    for k in range(1, len(recorded) + 1):
        stepper.controls["step"].value = k
        assert stepper.state["step"] == k
        assert stepper.state["node"] == recorded[k - 1].node
        seen.append(stepper.state["op"])
    assert seen == [s.op for s in recorded]
    assert x.grad is None  # the stepper leaves .grad as it was


def test_next_and_prev_move_and_stop_at_the_ends():
    _, y = lesson_y()
    stepper = backward_stepper(y)
    prev, following, slider = stepper.controls["prev"], stepper.controls["next"], stepper.controls["step"]
    assert stepper.state["step"] == 1
    prev.click()
    assert stepper.state["step"] == 1  # clamped at the first step
    following.click()
    assert stepper.state["step"] == 2 and slider.value == 2 and stepper.state["op"] == "MulBackward0"
    following.click()
    following.click()
    assert stepper.state["step"] == 3 and stepper.state["op"] == "AccumulateGrad"  # clamped at the last
    prev.click()
    assert stepper.state["step"] == 2


def test_each_step_shows_its_own_text_and_picture():
    x, y = lesson_y()
    stepper = backward_stepper(y)
    pictures = set()
    for k in range(1, 4):
        stepper.controls["step"].value = k
        pictures.add(bytes(stepper.picture.value))
        text = stepper.summary()
        assert f"step {k} of 3: {stepper.state['op']}" in text
        assert sum(line.startswith("step ") for line in text.splitlines()) == 1  # only step k
    assert len(pictures) == 3
    assert "[0, 2, 4, 6] lands in x.grad" in stepper.summary()  # the learner's name, x


@pytest.mark.parametrize(
    "bad", [[1.0, 2.0], torch.nn.Linear(2, 1), torch.ones(3), "y"], ids=["list", "module", "untracked", "str"]
)
def test_the_stepper_refuses_what_backward_steps_refuses(bad):
    """Same refusal, same words, naming the helper the learner called."""
    with pytest.raises(LessonError) as expected:
        backward_steps(bad)
    with pytest.raises(LessonError) as caught:
        backward_stepper(bad)
    assert str(caught.value) == str(expected.value).replace("backward_steps(", "backward_stepper(")
    assert "backward_stepper(" in str(caught.value)


def test_stepper_css_class():
    _, y = lesson_y()
    assert "autograd-lessons-stepper" in classes(backward_stepper(y).widget)


# --------------------------------------------------------------------------- static fallback


def explorers():
    x = torch.arange(4.0, requires_grad=True)
    y = (x * x).sum()
    return [control_flow_explorer(), vjp_explorer(), backward_stepper(y)]


def test_the_bundle_has_the_widget_the_text_and_the_picture():
    for explorer in explorers():
        bundle = explorer._repr_mimebundle_()
        assert bundle[WIDGET_VIEW]["model_id"] == explorer.widget.model_id
        assert bundle["image/png"].startswith(PNG_MAGIC)
        assert bundle["text/plain"] == f"{explorer.description()}\n\n{explorer.summary()}" == repr(explorer)
        assert not re.search(r"0x[0-9a-f]{6,}|model_id|Box\(", bundle["text/plain"])
        only_text = explorer._repr_mimebundle_(include={"text/plain"})
        assert set(only_text) == {"text/plain"}


# A picture's text alternative is read out in one go, with no heading or list to skip by: it says
# what the picture is and the state it shows, in at most two sentences of at most
# ALT_CHARACTERS characters, and leaves the details to the explorer's own text beside it.
ALT_CHARACTERS = 200
ALT_SENTENCES = 2
SENTENCE_BREAK = re.compile(r"(?<=[.!?…])\s+")  # after a sentence's last mark; "1.5" and "x.grad" do not break


def alt_problems(text: str) -> list[str]:
    """What keeps `text` from being a short text alternative: too long, a line break (lines that
    would be glued into one without punctuation), or not sentences (one that starts in lower case,
    or text that does not end with a full stop), or more than ALT_SENTENCES."""
    problems = []
    if len(text) > ALT_CHARACTERS:
        problems.append(f"{len(text)} characters, more than {ALT_CHARACTERS}")
    if "\n" in text:
        problems.append("more than one line")
    found = SENTENCE_BREAK.split(text.strip())
    if not text.strip().endswith((".", "!", "?", "…")):
        problems.append("no full stop at the end")
    problems += [f"a sentence in lower case: {part[:40]!r}" for part in found if part[:1].islower()]
    if len(found) > ALT_SENTENCES:
        problems.append(f"{len(found)} sentences, more than {ALT_SENTENCES}")
    return problems


def test_the_alt_check_bites():
    glued = "Retropropagação passo a passo: 3 passos\npasso 1 de 3: MulBackward0 · derivada"
    assert alt_problems(glued) == ["more than one line", "no full stop at the end"]
    assert alt_problems("x" * ALT_CHARACTERS + ".") == [
        f"{ALT_CHARACTERS + 1} characters, more than {ALT_CHARACTERS}",
        "a sentence in lower case: " + repr("x" * 40),
    ]
    assert alt_problems("One. Two. Three.") == [f"3 sentences, more than {ALT_SENTENCES}"]
    assert alt_problems("Graph of d at a = 1.5409961: 10 nodes. Its x.grad is [0.5, 1].") == []


@pytest.mark.parametrize("language", ["en", "pt"])
def test_each_pictures_description_is_short_whole_sentences_made_from_its_state(language):
    set_language(language)
    x = torch.arange(4.0, requires_grad=True)
    y = 2 * torch.dot(x, x)
    stepper = backward_stepper(y)
    shown = [control_flow_explorer(), control_flow_explorer(-1.2), vjp_explorer(), vjp_explorer("x * x.sum()"), stepper]
    for explorer in shown:
        text = explorer.description()
        assert alt_problems(text) == [], (explorer, text)
        assert explorer._repr_mimebundle_()["text/plain"].split("\n\n")[0] == text  # the first paragraph
    first = stepper.description()
    stepper.go(3)
    last = stepper.description()
    assert alt_problems(last) == [] and last != first
    words = {"en": ("step 3 of 3", "AccumulateGrad, which writes x.grad"), "pt": ("passo 3 de 3", "grava em x.grad")}
    assert all(word in last for word in words[language]), last
    assert {"en": "a = 1.5409961", "pt": "a = 1,5409961"}[language] in shown[0].description()
    assert "x.grad = vᵀJ = [0, 2, 4, 6]" in shown[2].description()  # a tensor's values as Python writes them
    assert "[12, 12, 12, 12]" in shown[3].description()


def test_a_picture_that_only_says_what_is_wrong_is_described_by_what_it_says():
    explorer = vjp_explorer()
    explorer.controls["v"].value = "1, 2"
    assert explorer.description() == f"The picture says: {explorer.state['error']}"
    control = control_flow_explorer()
    control.controls["a_text"].value = 0.0
    assert control.description() == f"The picture says: {control.state['error']}"


def test_the_text_is_the_same_for_two_fresh_explorers():
    first, second = explorers(), explorers()
    for one, other in zip(first, second, strict=True):
        assert one._repr_mimebundle_()["text/plain"] == other._repr_mimebundle_()["text/plain"]
        assert one.widget.model_id != other.widget.model_id


def test_the_default_texts():
    control, vjp, stepper = explorers()
    assert control.summary().splitlines() == [
        "Control flow explorer: d = f(a), from In [20]",
        "a = 1.5409961",
        "doublings: 10",
        "branch: sum(b) > 0, so c = b",
        "d = f(a) = 1577.98",
        "a.grad = 1024",
        "d / a = 1024",
        "a.grad == d / a gives True: equal bit for bit",
        "computational graph: 10 MulBackward0 nodes",
    ]
    assert "y.backward(gradient=v) leaves x.grad = vᵀJ = [0, 2, 4, 6]" in vjp.summary()
    assert stepper.summary().splitlines()[1] == "step 1 of 3: SumBackward0 · backward of sum"


def test_messages_in_portuguese():
    set_language("pt")
    control, vjp, stepper = explorers()
    assert "duplicações: 10" in control.summary() and "duplicações: 10" in control.doublings.value
    assert "iguais bit a bit" in control.summary()
    assert "jacobiana J = dy/dx:" in vjp.summary()
    assert "passo 1 de 3" in stepper.summary()
    assert stepper.controls["next"].description == "próximo ▶"
    control.controls["a_text"].value = 0.0
    assert "a finito e não nulo" in control.state["error"]
    vjp.controls["v"].value = "1, 2"
    assert "v precisa de 4 números" in vjp.state["error"]
    set_language("en")
    assert "doublings: 10" in control_flow_explorer().summary()


def test_the_explorers_are_lazy_exports_of_their_lesson_and_the_stepper_of_the_package():
    from autograd_lessons import lessons, widgets
    from autograd_lessons.lessons import autograd as lesson
    from autograd_lessons.lessons.autograd import explorers

    assert lesson.control_flow_explorer is explorers.control_flow_explorer
    assert lesson.vjp_explorer is explorers.vjp_explorer
    assert (
        autograd_lessons.backward_stepper is widgets.backward_stepper and "backward_stepper" in autograd_lessons.__all__
    )
    assert not hasattr(autograd_lessons, "control_flow_explorer") and lessons.__name__.endswith("lessons")


def test_the_stepper_folds_in_20s_loop_but_keeps_every_step():
    a = torch.tensor(1.5409961, requires_grad=True)
    b = a * 2
    while b.norm() < 1000:
        b = b * 2
    d = b
    stepper = backward_stepper(d)
    assert stepper.fold is True  # 10 Mul nodes and their constants: folded into one box
    assert stepper.controls["step"].max == 10 + 1  # 10 Mul steps + AccumulateGrad, from 1
    assert stepper.controls["step"].min == 1
    ops = []
    for k in range(1, 12):
        stepper.controls["step"].value = k
        ops.append(stepper.state["op"])
    assert ops == ["MulBackward0"] * 10 + ["AccumulateGrad"]
    _, y = lesson_y()
    assert backward_stepper(y).fold is False and backward_stepper(d, fold=False).fold is False


def test_the_slider_snapping_a_typed_value_to_its_grid_does_not_change_a():
    """In the browser the slider rounds 0.001 to its grid (0.001000000000000334) and sends
    that back; the typed value must stay, and a real move of the slider lands on the grid."""
    explorer = control_flow_explorer()
    slider, text = explorer.controls["a"], explorer.controls["a_text"]
    text.value = 0.001
    slider.value = 0.001000000000000334  # the echo
    assert text.value == 0.001 and explorer.state["doublings"] == 20
    text.value = 1e-6  # off the grid: the browser's slider snaps it to 0 and sends that back
    slider.value = 1.1102230246251565e-16
    assert text.value == 1e-6 and explorer.state["error"] is None
    slider.value = 0.7000000000000002  # a move to another grid point
    assert text.value == 0.7 and explorer.state["a"] == float32(0.7)


# --------------------------------------------------------------------------- numbering, text, pictures


def test_the_stepper_shows_the_steps_own_lines_without_reading_printed_text(monkeypatch):
    from autograd_lessons.steps import Steps

    _, y = lesson_y()
    recorded = backward_steps(y)

    def refuse(self):
        raise AssertionError("the stepper must not parse Steps.to_text()")

    monkeypatch.setattr(Steps, "to_text", refuse)
    stepper = backward_stepper(y)
    for k in range(1, len(recorded) + 1):
        stepper.go(k)
        details = stepper._detail_lines()
        assert details[0] == f"step {k} of {len(recorded)}: {recorded[k - 1].op} · {stepper.state['label']}"
        assert details[1:] == recorded.step_lines(k)[1:]


def test_the_example_v_of_the_vjp_message_shows_something():
    """The example v in the bad-v message gives a nonzero x.grad for every function (x₀ = 0, so
    v = (1, 0, 0, 0) would show only zeros for x * x)."""
    for language in ("en", "pt"):
        set_language(language)
        explorer = vjp_explorer()
        explorer.controls["v"].value = "oops"
        example = re.search(r"-?\d+(?:\.\d+)?(?:, -?\d+(?:\.\d+)?){3}", explorer.state["error"]).group(0)
        for name in FUNCTIONS:
            explorer.controls["function"].value = name
            explorer.controls["v"].value = example
            assert explorer.state["error"] is None
            assert bool(explorer.state["grad"].ne(0).any()), (name, example)
            explorer.controls["v"].value = "oops"


def captured_pictures(monkeypatch):
    """Every figure the explorers turn into a PNG, with the PNG."""
    from autograd_lessons import widgets
    from autograd_lessons.lessons.autograd import explorers

    seen = []
    original = widgets.png_bytes

    def keep(figure):
        png = original(figure)
        seen.append((figure, png))
        return png

    monkeypatch.setattr(widgets, "png_bytes", keep)
    monkeypatch.setattr(explorers, "png_bytes", keep)
    return seen


@pytest.mark.parametrize("language", ["en", "pt"])
def test_every_text_of_every_explorer_picture_is_legible(monkeypatch, language):
    from autograd_lessons import widgets
    from test_draw import check_legible, visible_texts

    set_language(language)
    seen = captured_pictures(monkeypatch)
    control = control_flow_explorer()
    control.controls["a_text"].value = -0.01
    control.controls["a_text"].value = 0.0  # the error picture
    vjp = vjp_explorer("x * x.sum()")
    vjp.controls["v"].value = "0.5, -2, 3, 1e-3"
    vjp.controls["v"].value = "?"
    x, y = lesson_y()
    stepper = backward_stepper(y)
    stepper.go(3)
    a = torch.tensor(-0.01, requires_grad=True)
    backward_stepper(control_flow(a), fold=False).go(5)
    assert len(seen) >= 9
    smallest = min(check_legible(figure, widgets.PICTURE_DPI, png) for figure, png in seen)
    assert smallest >= 9
    captions = [t.get_text() for figure, _ in seen for t in visible_texts(figure)]
    assert {"en": "v (the initial gradient)", "pt": "v (o gradiente inicial)"}[language] in captions
    assert not any("seed" in t or "semente" in t for t in captions)


def test_explorer_pictures_are_shown_at_their_natural_width():
    from PIL import Image

    from autograd_lessons.widgets import png_width

    x = torch.arange(4.0, requires_grad=True)
    for explorer in (control_flow_explorer(), vjp_explorer(), backward_stepper(2 * torch.dot(x, x))):
        natural = Image.open(io.BytesIO(explorer.png)).size[0]
        assert png_width(explorer.png) == natural
        assert explorer.picture.width == str(natural)


def test_an_explorer_works_in_a_fresh_kernel_before_anything_else_of_the_lesson():
    """Imported first thing (as a teacher's own notebook may), the explorer finds its texts."""
    import subprocess
    import sys

    code = (
        "from autograd_lessons import set_language\n"
        "from autograd_lessons.lessons.autograd import control_flow_explorer\n"
        "set_language('pt')\n"
        "print(control_flow_explorer().summary())\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "Explorador do fluxo de controle" in done.stdout


def test_the_control_flow_explorer_writes_numbers_as_its_language_does():
    set_language("pt")
    text = control_flow_explorer().summary()
    assert "a = 1,5409961" in text and "d = f(a) = 1577,98" in text
    set_language("en")
    text = control_flow_explorer().summary()
    assert "a = 1.5409961" in text and "d = f(a) = 1577.98" in text
