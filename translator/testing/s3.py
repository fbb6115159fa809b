"""A real S3-compatible server on 127.0.0.1 (moto's server mode), and the S3 client the batch
emulators use to read a job's input objects and write its output objects, as the services do.

Why moto's server rather than an in-process mock: the batch backends talk to S3 through boto3 over
HTTP, and the Translate and Bedrock emulators run their jobs against the same server, so a test
sees the objects cross a real socket. moto is a test dependency (``moto[server]``), imported here
only when a server is started.
"""

from __future__ import annotations

import logging
import threading
from types import TracebackType
from typing import Any, Self

__all__ = ["S3Server", "s3_client"]

REGION = "us-east-1"


class S3Server:
    """moto's S3 on an ephemeral loopback port; ``url`` is the ``endpoint_url`` for boto3.

    moto keeps its state per process: give each test its own bucket."""

    def __init__(self) -> None:
        self._server: Any = None
        self._thread: threading.Thread | None = None
        self.requests = 0  # HTTP requests answered (for benchmarks)
        self._count_lock = threading.Lock()

    @property
    def url(self) -> str:
        assert self._server is not None, "start the server first"
        return f"http://127.0.0.1:{self._server.server_port}"

    def start(self) -> Self:
        from moto.moto_server.threaded_moto_server import MotoRequestHandler
        from moto.server import DomainDispatcherApplication, create_backend_app
        from werkzeug.serving import make_server

        logging.getLogger("werkzeug").setLevel(logging.WARNING)  # one line per request otherwise
        moto_app = DomainDispatcherApplication(create_backend_app)

        def app(environ: Any, start_response: Any) -> Any:
            with self._count_lock:
                self.requests += 1
            return moto_app(environ, start_response)

        self._server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=MotoRequestHandler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def client(self, access_key: str = "AKIAEMULATOR0000TEST", secret: str = "test-secret") -> Any:
        return s3_client(self.url, access_key, secret)

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()


def s3_client(endpoint_url: str, access_key: str = "AKIAEMULATOR0000TEST", secret: str = "test-secret") -> Any:
    """A boto3 S3 client for ``endpoint_url`` (path-style addressing, as a loopback host needs)."""
    import boto3
    from botocore.config import Config

    return boto3.client(
        "s3",
        endpoint_url=endpoint_url,
        region_name=REGION,
        aws_access_key_id=access_key,
        aws_secret_access_key=secret,
        config=Config(s3={"addressing_style": "path"}, retries={"total_max_attempts": 2}),
    )


def split_s3_uri(uri: str) -> tuple[str, str]:
    """``s3://bucket/some/prefix/`` → ``("bucket", "some/prefix/")``."""
    if not uri.startswith("s3://"):
        raise ValueError(f"not an S3 URI: {uri!r}")
    bucket, _, key = uri[5:].partition("/")
    return bucket, key


def list_keys(client: Any, bucket: str, prefix: str) -> list[str]:
    keys: list[str] = []
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
        keys.extend(item["Key"] for item in page.get("Contents", []))
    return sorted(keys)
