"""The project's build tooling, run from the repository root and never installed with the package.

    python -m tools.editions   build both editions of every lesson (what `python3 tasks.py build` runs)
    python -m tools.site       build the static site (what `python3 tasks.py site` runs)

Learners install `autograd_lessons` (on Colab, straight from the repository), which has no use for
these builders; they live here, beside `tasks.py`, so the installed package carries only what the
lessons need. The tooling may import the package; the package never imports the tooling.
"""
