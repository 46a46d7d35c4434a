"""Every test starts with English messages, solutions shown, and leaves the language as it found it."""

import pytest

from autograd_lessons import get_language, set_language
from autograd_lessons.exercises import SOLUTIONS_VARIABLE


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
