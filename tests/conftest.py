"""Every test starts with English messages, solutions shown, and leaves the language as it found it.

Every test process also gives torch one thread (see TORCH_THREADS).
"""

import os

import pytest
import torch

from autograd_lessons import get_language, set_language
from autograd_lessons.exercises import SOLUTIONS_VARIABLE

# Threads torch (OpenMP, MKL) uses in each test process and in the processes tests start (nbval's
# and the lesson build's kernels, JupyterLab, the site build). The test command already runs one
# worker per core (tasks.py PARALLEL); torch's default, one thread per core in every worker and
# every kernel, would ask for several times more threads than there are cores, and the lessons'
# tensors are far too small for a second thread to help even in a serial run. Results do not
# depend on it: strict nbval passes on every notebook with one thread. An OMP_NUM_THREADS set by
# the tester is kept.
TORCH_THREADS = 1


def pytest_configure(config):
    os.environ.setdefault("OMP_NUM_THREADS", str(TORCH_THREADS))  # processes started from here on
    torch.set_num_threads(int(os.environ["OMP_NUM_THREADS"]))  # this one, which imported torch already


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
