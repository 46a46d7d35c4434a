"""Lesson 1: the "Automatic Differentiation" section of Dive into Deep Learning, through a
learner's annotated run of it (notebook 01), with its exercises (02) and solutions (03)."""

NUMBER = 1
CELLS = "run"
CATALOGUES = ("messages", "exercise_messages")
MODULES = ("claims", "exercises")
