"""Quality judges: independent signals about one translation, combined into one verdict."""

from .base import Judge, Judgement, JudgeItem

__all__ = ["Judge", "JudgeItem", "Judgement"]
