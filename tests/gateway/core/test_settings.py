"""var/ is the project's (or SWITCHBOARD_HOME's), whichever folder a command is run from."""

from __future__ import annotations

from pathlib import Path

import pytest

from gateway.core.settings import Settings

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def elsewhere(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    for name in ("SWITCHBOARD_VAR_DIR", "SWITCHBOARD_HOME"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_var_is_under_the_project_from_another_folder(elsewhere: Path) -> None:
    assert Settings().var_dir == ROOT / "var"


def test_switchboard_home_moves_var(monkeypatch: pytest.MonkeyPatch, elsewhere: Path) -> None:
    home = elsewhere / "home"
    monkeypatch.setenv("SWITCHBOARD_HOME", str(home))
    assert Settings().var_dir == home / "var"
    monkeypatch.setenv("SWITCHBOARD_VAR_DIR", "data")  # relative: to the home, not the folder
    assert Settings().var_dir == home / "data"


def test_log_format_is_checked(monkeypatch: pytest.MonkeyPatch, elsewhere: Path) -> None:
    monkeypatch.setenv("SWITCHBOARD_LOG_FORMAT", "TEXT")
    assert Settings().log_format == "text"
    monkeypatch.setenv("SWITCHBOARD_LOG_FORMAT", "pretty")
    with pytest.raises(ValueError, match="auto"):
        Settings()
