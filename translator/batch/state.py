"""Where a submitted job is remembered: one small JSON file per job in the user cache folder.

The file is named by a hash of what the job translates (backend and its options, languages,
glossary, the texts), so a rerun of the same run finds it and polls the job it names instead of
submitting another; a run with other content has another name. It is written atomically right
after the service accepts the job, and removed once the run has merged the job's results; a job
that failed leaves only its attempt count, so the rerun submits a new job under a new token.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path


@dataclass(frozen=True)
class JobRecord:
    backend: str
    job_id: str  # Translate's JobId, Bedrock's job ARN
    workspace: str  # s3://bucket/prefix/<key>/ holding the job's input and output
    attempt: int = 0  # jobs of this content that failed before: the next one needs a new token

    @property
    def pending(self) -> bool:
        return bool(self.job_id)


def client_token(key: str, attempt: int) -> str:
    """The job's idempotency token: a repeated submission of the same attempt is the same job."""
    return f"{key[:56]}-{attempt}"


def content_key(parts: Iterable[str]) -> str:
    """A hash of a job's content; also the job's client token, so that a submission repeated
    after a crash between the service's answer and the state file is still the same job."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode("utf-8"))
        digest.update(b"\0")
    return digest.hexdigest()[:40]


class JobStates:
    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def path(self, key: str) -> Path:
        return self.folder / f"{key}.json"

    def load(self, key: str) -> JobRecord | None:
        try:
            data = json.loads(self.path(key).read_text(encoding="utf-8"))
            return JobRecord(
                str(data["backend"]), str(data["job_id"]), str(data["workspace"]), int(data.get("attempt", 0))
            )
        except (OSError, ValueError, KeyError, TypeError):
            return None  # none yet, or a torn file from another tool: submit (the token dedups)

    def save(self, key: str, record: JobRecord) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=self.folder, prefix=".job-", suffix=".tmp")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                json.dump(asdict(record), out)
                out.flush()
                os.fsync(out.fileno())
            os.replace(temporary, self.path(key))
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise

    def forget(self, key: str) -> None:
        self.path(key).unlink(missing_ok=True)
