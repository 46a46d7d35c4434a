"""Lesson 4: autograd in depth (notebook 04), with its exercises (05) and solutions (06)."""

NUMBER = 4
NOTEBOOK = "04_autograd_in_depth"  # notebooks/<language>/04_autograd_in_depth.ipynb: where its claims are shown
CELLS = "section"
CATALOGUES = ("messages", "exercise_messages")
MODULES = ("claims", "exercises")
