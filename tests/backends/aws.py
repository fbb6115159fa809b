"""What the AWS backend tests share: test credentials, and an environment with nothing else."""

from __future__ import annotations

import pytest

ACCESS_KEY = "AKIAEMULATOR0000TEST"
SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYdoNotShowMe"
UNSET = ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_DEFAULT_REGION", "AWS_ENDPOINT_URL", "AWS_ROLE_ARN",
         "AWS_WEB_IDENTITY_TOKEN_FILE")


def isolate_aws(cli_env, monkeypatch: pytest.MonkeyPatch, *, region: str, unset: tuple[str, ...] = ()) -> None:
    """Credentials in the environment only: no profile, no config files, no instance metadata."""
    for name in (*UNSET, *unset):
        monkeypatch.delenv(name, raising=False)
    cli_env.env.update({
        "AWS_ACCESS_KEY_ID": ACCESS_KEY,
        "AWS_SECRET_ACCESS_KEY": SECRET,
        "AWS_REGION": region,
        "AWS_EC2_METADATA_DISABLED": "true",
        "AWS_CONFIG_FILE": str(cli_env.tmp / "no-aws-config"),
        "AWS_SHARED_CREDENTIALS_FILE": str(cli_env.tmp / "no-aws-credentials"),
    })
