"""What the AWS backend tests share: test credentials, and an environment with nothing else."""

from __future__ import annotations

from pathlib import Path

import pytest

ACCESS_KEY = "AKIAEMULATOR0000TEST"
SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYdoNotShowMe"
UNSET = (
    "AWS_PROFILE",
    "AWS_SESSION_TOKEN",
    "AWS_DEFAULT_REGION",
    "AWS_ENDPOINT_URL",
    "AWS_ROLE_ARN",
    "AWS_WEB_IDENTITY_TOKEN_FILE",
)


def aws_variables(folder: Path, region: str) -> dict[str, str]:
    """Credentials in the environment only: no profile, no config files, no instance metadata."""
    return {
        "AWS_ACCESS_KEY_ID": ACCESS_KEY,
        "AWS_SECRET_ACCESS_KEY": SECRET,
        "AWS_REGION": region,
        "AWS_EC2_METADATA_DISABLED": "true",
        "AWS_CONFIG_FILE": str(folder / "no-aws-config"),
        "AWS_SHARED_CREDENTIALS_FILE": str(folder / "no-aws-credentials"),
    }


def isolate_aws(cli_env, monkeypatch: pytest.MonkeyPatch, *, region: str, unset: tuple[str, ...] = ()) -> None:
    """For CLI runs: the variables go to the CLI's environment."""
    for name in (*UNSET, *unset):
        monkeypatch.delenv(name, raising=False)
    cli_env.env.update(aws_variables(cli_env.tmp, region))


def isolate_aws_here(
    folder: Path, monkeypatch: pytest.MonkeyPatch, *, region: str, unset: tuple[str, ...] = ()
) -> dict[str, str]:
    """For a plugin built in the test's own process: botocore reads ``os.environ`` itself."""
    for name in (*UNSET, *unset):
        monkeypatch.delenv(name, raising=False)
    variables = aws_variables(folder, region)
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    return variables
