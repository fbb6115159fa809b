"""What a service's batch engine offers a run: submit one job, say how it is doing, hand back its
answers. The Amazon Translate and Bedrock engines implement it (``amazon_translate``, ``bedrock``)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, Protocol

from ..backends.base import TranslateRequest
from .collect import AnswerKey
from .s3 import S3Place


@dataclass(frozen=True)
class JobStatus:
    state: Literal["waiting", "done", "failed"]
    word: str  # the service's own status (IN_PROGRESS, Completed, …)
    message: str = ""


class BatchEngine(Protocol):
    service: str
    poll_interval: float
    workspace: S3Place  # where jobs keep their objects

    def identity(self) -> str:
        """What, besides the texts, decides a job's answers (model, options; never a key)."""

    async def submit(self, requests: Sequence[TranslateRequest], workspace: S3Place, token: str) -> str:
        """Upload the requests' texts under ``workspace`` and start one job (``token`` makes a
        repeated submission the same job); its id."""

    async def status(self, job_id: str) -> JobStatus: ...

    async def answers(
        self, job_id: str, requests: Sequence[TranslateRequest], workspace: S3Place
    ) -> dict[AnswerKey, str]:
        """The finished job's translations, by text (texts it did not answer are left out)."""

    def close(self) -> None: ...
