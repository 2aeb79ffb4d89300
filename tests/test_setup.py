"""The README's set-up: `make run` serves the web chat; `.ci/run` fails when no test runs."""

from __future__ import annotations

import os
import signal
import socket
import stat
import subprocess
import sys
import time
import tomllib
import urllib.request
from pathlib import Path

from tests.support.server import REPO, free_port


def clean_env(**settings: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PUTOKAZ_")}
    return env | settings


def test_make_run_answers_healthz_and_prints_the_address_to_open(tmp_path: Path) -> None:
    port = free_port()
    process = subprocess.Popen(
        ["make", "--no-print-directory", "run"],
        cwd=REPO,
        env=clean_env(PUTOKAZ_PORT=str(port), PUTOKAZ_DATA=str(tmp_path / "var")),
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                url = f"http://127.0.0.1:{port}/healthz"
                with urllib.request.urlopen(url, timeout=1) as response:
                    assert response.status == 200
                    break
            except OSError:
                assert process.poll() is None, "make run exited"
                assert time.monotonic() < deadline, "make run did not answer /healthz"
                time.sleep(0.2)
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        stdout, _ = process.communicate(timeout=20)
    assert stdout.splitlines()[-1] == f"Putokaz is up: open http://127.0.0.1:{port}/"
    assert (tmp_path / "var" / "pepper").is_file()
    assert stat.S_IMODE((tmp_path / "var" / "putokaz.db").stat().st_mode) == 0o600


def test_a_busy_port_is_one_line_and_exit_code_1(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run(
            [sys.executable, "-m", "bot", "serve"],
            cwd=tmp_path,
            env=clean_env(PUTOKAZ_PORT=str(port), PUTOKAZ_DATA=str(tmp_path / "var")),
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    assert done.returncode == 1
    assert done.stdout == ""
    assert done.stderr.splitlines() == [
        f"Error: port {port} is in use — set PUTOKAZ_PORT (or --port), e.g. PUTOKAZ_PORT={port + 1}"
    ]
    assert not (tmp_path / "var" / "putokaz.db").exists(), "nothing starts before the bind"


def test_ci_treats_an_empty_test_run_as_a_failure() -> None:
    script = (REPO / ".ci" / "run").read_text()
    assert "make test" in script
    assert '"$status" -eq 5' in script


def test_ci_installs_nothing_itself_make_test_does() -> None:
    script = (REPO / ".ci" / "run").read_text()
    assert "apt-get" not in script
    assert "system-deps" not in script.split("make test", 1)[1]


def test_the_licence_is_declared_as_current_setuptools_expects() -> None:
    pyproject = tomllib.loads((REPO / "pyproject.toml").read_text())
    project = pyproject["project"]
    assert project["license"] == "AGPL-3.0-or-later"
    for name in project["license-files"]:
        assert (REPO / name).is_file(), f"license-files names {name}, which is not in the clone"
    assert "GNU AFFERO GENERAL PUBLIC LICENSE" in (REPO / "LICENSE").read_text()
    assert "setuptools>=77" in pyproject["build-system"]["requires"][0]
