"""Every test starts with English messages, solutions shown, and leaves the language as it found it.

Every test process also gives torch the threads the repository's conftest.py gives every process
the tests start (TORCH_THREADS there).
"""

import os

import pytest
import torch

from autograd_lessons import get_language, set_language
from autograd_lessons.exercises import SOLUTIONS_VARIABLE


def pytest_configure(config):
    # The repository's conftest.py sets OMP_NUM_THREADS for the processes tests start; this one
    # imported torch already.
    torch.set_num_threads(int(os.environ["OMP_NUM_THREADS"]))


@pytest.fixture(autouse=True)
def english_messages():
    before = get_language()
    set_language("en")
    yield
    set_language(before)


@pytest.fixture(autouse=True)
def default_dtype_kept():
    """A test that runs a notebook's cells in-process (lesson 4's set float64 as the default dtype
    for the learner's session) leaves torch's default dtype as it found it."""
    before = torch.get_default_dtype()
    yield
    torch.set_default_dtype(before)


@pytest.fixture(autouse=True)
def solutions_shown(monkeypatch):
    """A teacher's AUTOGRAD_LESSONS_SOLUTIONS=hidden in the tester's shell must not change what tests see."""
    monkeypatch.delenv(SOLUTIONS_VARIABLE, raising=False)


@pytest.fixture(autouse=True)
def pictures_keep_their_invariants(monkeypatch):
    """Every graph draw() folds, in any test, keeps folding's invariants, and every figure draw()
    makes keeps every text at or above the legibility floor once the test is done with it
    (tests/invariants.py states both). A picture drawn into the learner's own axes is theirs."""
    from autograd_lessons.drawing import painting, pipeline
    from autograd_lessons.folding import MAX_BOXES
    from invariants import check_invariants, check_text_floor

    fold, new_figure, figures = pipeline.fold_graph, painting.new_figure, []

    def checked_fold(graph, **limits):
        folded = fold(graph, **limits)
        check_invariants(graph, folded, max_boxes=limits.get("max_boxes", MAX_BOXES))
        return folded

    def recorded_figure(*arguments, **options):
        fig, ax = new_figure(*arguments, **options)
        figures.append(fig)
        return fig, ax

    monkeypatch.setattr(pipeline, "fold_graph", checked_fold)
    monkeypatch.setattr(painting, "new_figure", recorded_figure)
    yield
    for fig in figures:
        check_text_floor(fig)
