"""`putokaz admin` and `putokaz flows`: accounts from the server's shell, versions to and
from folders, each change in the audit log."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.admin.roles import Role
from bot.cli import main
from bot.config import PROJECT_ROOT
from tests.admin.staff_client import staff_config, staff_data

NEW_PASSWORD = "a long enough password"


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return {"PUTOKAZ_DATA": str(tmp_path / "data"), "PUTOKAZ_PEPPER": "p" * 32}


def run(env: dict[str, str], *args: str, stdin: str | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), env=env, input=stdin)
    return result.exit_code, result.output


def test_add_user_passwd_disable_are_audited_and_store_no_password(
    env: dict[str, str], tmp_path: Path
) -> None:
    code, out = run(
        env, "admin", "add-user", "ana", "--role", "editor", "--password-stdin", stdin=NEW_PASSWORD
    )
    assert code == 0, out
    assert "added ana (editor)" in out
    code, out = run(env, "admin", "passwd", "ana", "--password-stdin", stdin="another long one!")
    assert code == 0, out
    code, out = run(env, "admin", "disable", "ana")
    assert code == 0, out
    code, out = run(env, "admin", "list")
    assert "ana\teditor (disabled)" in out
    data = staff_data(staff_config(tmp_path / "data"))
    actions = [(e.actor, e.action, e.subject) for e in reversed(data.audit.recent())]
    assert data.accounts.get("ana") is not None
    data.close()
    assert actions == [
        ("cli", "account_added", "ana"),
        ("cli", "password_changed", "ana"),
        ("cli", "account_disabled", "ana"),
    ]
    raw = b"".join(p.read_bytes() for p in (tmp_path / "data").glob("staff.db*"))
    assert NEW_PASSWORD.encode() not in raw
    assert b"another long one!" not in raw


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (["add-user", "Ana Maria", "--role", "editor"], NEW_PASSWORD, "lowercase letters"),
        (["add-user", "ana", "--role", "editor"], "short", "at least 10"),
        (["passwd", "ghost"], NEW_PASSWORD, "there is no account 'ghost'"),
        (["disable", "ghost"], None, "putokaz admin add-user ghost"),
    ],
)
def test_account_mistakes_are_clear_errors(
    env: dict[str, str], args: list[str], stdin: str | None, message: str
) -> None:
    extra = ["--password-stdin"] if stdin is not None else []
    code, out = run(env, "admin", *args, *extra, stdin=stdin)
    assert code == 1
    assert message in out


def test_a_second_account_of_the_same_name_is_refused(env: dict[str, str]) -> None:
    args = ["admin", "add-user", "ana", "--role", "viewer", "--password-stdin"]
    assert run(env, *args, stdin=NEW_PASSWORD)[0] == 0
    code, out = run(env, *args, stdin=NEW_PASSWORD)
    assert code == 1
    assert "exists" in out
    assert Role.VIEWER.value in run(env, "admin", "list")[1]


def test_import_then_export_round_trips_the_files(env: dict[str, str], tmp_path: Path) -> None:
    source = tmp_path / "flows"
    shutil.copytree(PROJECT_ROOT / "flows", source)
    changed = (source / "reflection.yaml").read_text().replace("at least 30 days", "30 days+")
    (source / "reflection.yaml").write_text(changed)
    code, out = run(env, "flows", "import", str(source), "-m", "shorter")
    assert code == 0, out
    assert "published version 1" in out
    target = tmp_path / "exported"
    code, out = run(env, "flows", "export", str(target))
    assert code == 0, out
    assert (target / "reflection.yaml").read_text() == changed
    assert sorted(p.name for p in target.glob("*.yaml")) == sorted(
        p.name for p in source.glob("*.yaml")
    )
    data = staff_data(staff_config(tmp_path / "data"))
    assert data.versions.history()[0].message == "shorter"
    assert data.audit.recent()[0].action == "imported"
    data.close()


def test_import_refuses_broken_flows_with_located_errors(
    env: dict[str, str], tmp_path: Path
) -> None:
    source = tmp_path / "flows"
    shutil.copytree(PROJECT_ROOT / "flows", source)
    text = (source / "reflection.yaml").read_text().replace("goto: decide}", "goto: decidee}", 1)
    (source / "reflection.yaml").write_text(text)
    code, out = run(env, "flows", "import", str(source))
    assert code == 1
    assert "flows/reflection.yaml:" in out
    assert 'did you mean "reflection.decide"' in out
    assert "nothing was imported" in out
    code, out = run(env, "flows", "export", str(tmp_path / "out"))
    assert code == 1
    assert "nothing is published yet" in out
