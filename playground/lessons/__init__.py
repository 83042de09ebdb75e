"""The course's lessons: each a claim, its source, its presets, and measured evidence.

Order is the page's order: the three course models first, then the training chapter's
lessons (one module each; what they share is in chapter.py).
"""
from __future__ import annotations

from . import (batch_budget, dropout, init_health, loss_vs_error, lr_range, minibatch, names,
               news, search_race, sgd_vs_adam)
from .base import Deviation, Evidence, Finding, Lesson, Preset, Source

LESSONS: list[Lesson] = [news.LESSON, names.LESSON, dropout.LESSON, loss_vs_error.LESSON,
                         minibatch.LESSON, batch_budget.LESSON, lr_range.LESSON,
                         sgd_vs_adam.LESSON, init_health.LESSON, search_race.LESSON]
BY_KEY: dict[str, Lesson] = {lesson.key: lesson for lesson in LESSONS}

__all__ = ["BY_KEY", "LESSONS", "Deviation", "Evidence", "Finding", "Lesson", "Preset",
           "Source"]
