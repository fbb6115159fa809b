"""Quality judges: independent signals about one translation, combined into one verdict."""

from .base import Judge, JudgeItem, Judgement

__all__ = ["Judge", "JudgeItem", "Judgement"]
