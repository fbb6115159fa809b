"""Line numbers of offsets, for messages: readers ask in ascending order, so counting goes on from
the last answer instead of from the start (which made a file of many records quadratic)."""

from __future__ import annotations


class LineCounter:
    def __init__(self, text: str) -> None:
        self._text = text
        self._offset = 0
        self._line = 1

    def line_at(self, offset: int) -> int:
        """The 1-based line of ``offset``; cheap when offsets come in ascending order."""
        if offset < self._offset:
            self._offset, self._line = 0, 1
        self._line += self._text.count("\n", self._offset, offset)
        self._offset = offset
        return self._line
