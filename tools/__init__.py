"""Instructor tools: student copies, offline slides and a static site built from the notebooks.

Run them from the repository root, e.g. ``python -m tools.make_student`` (or ``make student``).
"""
