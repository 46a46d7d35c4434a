"""Lesson 4: autograd in depth (notebook 04), with its exercises (05) and solutions (06)."""

NUMBER = 4
CELLS = "section"
CATALOGUES = ("messages", "exercise_messages")
MODULES = ("claims", "exercises")
