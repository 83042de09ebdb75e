"""The course's lessons: each a claim, its preset(s), and measured evidence.

Order is the page's order: the four course models first, then the fundamentals.
"""
from __future__ import annotations

from . import dropout, fundamentals, names, news
from .base import Evidence, Lesson, Preset

LESSONS: list[Lesson] = [news.LESSON, names.LESSON, dropout.LESSON, *fundamentals.LESSONS]
BY_KEY: dict[str, Lesson] = {lesson.key: lesson for lesson in LESSONS}

__all__ = ["BY_KEY", "LESSONS", "Evidence", "Lesson", "Preset"]
