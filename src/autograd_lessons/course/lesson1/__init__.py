"""Lesson 1: the "Automatic Differentiation" section of Dive into Deep Learning, through a
learner's annotated run of it (notebook 01), with its exercises (02) and solutions (03)."""

NUMBER = 1
NOTEBOOK = "01_autograd"  # notebooks/<language>/01_autograd.ipynb: where its claims are shown
CELLS = "run"
CATALOGUES = ("messages", "exercise_messages")
MODULES = ("claims", "exercises")
