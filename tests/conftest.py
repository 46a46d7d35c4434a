"""Every test starts with English messages and leaves the language as it found it."""

import pytest

from autograd_lessons import get_language, set_language


@pytest.fixture(autouse=True)
def english_messages():
    before = get_language()
    set_language("en")
    yield
    set_language(before)
