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
def solutions_shown(monkeypatch):
    """A teacher's AUTOGRAD_LESSONS_SOLUTIONS=hidden in the tester's shell must not change what tests see."""
    monkeypatch.delenv(SOLUTIONS_VARIABLE, raising=False)
