"""`switchboard staff list` and `switchboard staff remove EMAIL --business SLUG`."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from gateway.cli.main import cli
from gateway.core.runtime import Runtime
from tests.support import settings_env

pytestmark = pytest.mark.db

PASSWORD = "correct horse battery"


def _run(rt: Runtime, *args: str, stdin: str | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), input=stdin, env=settings_env(rt.settings))
    return result.exit_code, result.output


def _add(rt: Runtime, slug: str, email: str, role: str) -> None:
    args = ["staff", "add", "--business", slug, "--email", email, "--role", role]
    code, out = _run(rt, *args, "--password-stdin", stdin=PASSWORD + "\n")
    assert code == 0, out


def test_list_and_remove_staff(demo: Runtime) -> None:
    _add(demo, "acme-dental", "ana@acme.example", "owner")
    _add(demo, "acme-dental", "bo@acme.example", "agent")
    _add(demo, "other-biz", "cy@other.example", "owner")

    code, out = _run(demo, "staff", "list")
    assert code == 0, out
    assert out.splitlines() == [
        "acme-dental  ana@acme.example  owner",
        "acme-dental  bo@acme.example  agent",
        "other-biz  cy@other.example  owner",
    ]
    code, out = _run(demo, "staff", "list", "--business", "other-biz")
    assert out.splitlines() == ["other-biz  cy@other.example  owner"]

    code, out = _run(demo, "staff", "remove", "BO@acme.example", "--business", "acme-dental")
    assert code == 0, out
    assert "bo@acme.example of acme-dental removed" in out

    # the last owner stays: owners are the ones who manage staff
    code, out = _run(demo, "staff", "remove", "ana@acme.example", "--business", "acme-dental")
    assert code == 1
    assert "only owner of acme-dental" in out
    # an account of another business is not found through this one
    code, out = _run(demo, "staff", "remove", "cy@other.example", "--business", "acme-dental")
    assert code == 1
    assert "no staff account cy@other.example in acme-dental" in out

    code, out = _run(demo, "staff", "list")
    assert out.splitlines() == [
        "acme-dental  ana@acme.example  owner",
        "other-biz  cy@other.example  owner",
    ]
