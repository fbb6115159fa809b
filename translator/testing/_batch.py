"""What the batch emulators share: jobs that run in a thread against a real S3 server.

A job is submitted, then waits while ``hold_jobs()`` is in force (so a test can stop the client
mid-poll), then reads its input objects from S3, translates them and writes its output objects,
as the service does; its status moves through the service's own words for each state.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from translator.testing.s3 import s3_client


@dataclass
class EmulatedJob:
    job_id: str
    params: dict[str, Any]
    status: str
    submitted: float = field(default_factory=time.time)
    ended: float | None = None
    message: str = ""
    counts: dict[str, int] = field(default_factory=dict)


class JobRunner:
    """Runs submitted jobs in background threads; ``work(job, s3)`` does the service's part."""

    def __init__(self, s3_endpoint: str | None, access_key: str, *, running: str) -> None:
        self.s3_endpoint = s3_endpoint
        self.access_key = access_key
        self.running = running  # the status word while a job works
        self.jobs: dict[str, EmulatedJob] = {}
        self.tokens: dict[str, str] = {}  # client token → job id (a repeated submission is the same job)
        self.delay = 0.0  # seconds a job takes once released
        self._released = threading.Event()
        self._released.set()
        self._lock = threading.Lock()

    def hold(self) -> None:
        self._released.clear()

    def release(self) -> None:
        self._released.set()

    def submit(
        self,
        job: EmulatedJob,
        token: str | None,
        work: Callable[[EmulatedJob, Any], str | None],
        done: str,
        failed: str,
    ) -> EmulatedJob:
        """Start ``job`` (or return the one already submitted with ``token``); ``work`` returns the
        final status when it is not ``done``."""
        with self._lock:
            if token and token in self.tokens:
                return self.jobs[self.tokens[token]]
            self.jobs[job.job_id] = job
            if token:
                self.tokens[token] = job.job_id

        def run() -> None:
            self._released.wait()
            job.status = self.running
            time.sleep(self.delay)
            try:
                job.status = work(job, s3_client(self.s3_endpoint or "", self.access_key)) or done
            except Exception as exc:  # the job fails, as a service's does, with a message
                job.status = failed
                job.message = str(exc)
            job.ended = time.time()

        threading.Thread(target=run, daemon=True).start()
        return job
