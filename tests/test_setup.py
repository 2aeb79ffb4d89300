"""The README's set-up: `make run` serves the web chat; `.ci/run` fails when no test runs."""

from __future__ import annotations

import os
import signal
import subprocess
import time
import tomllib
import urllib.request
from pathlib import Path

from tests.support.server import REPO, free_port


def test_make_run_answers_healthz(tmp_path: Path) -> None:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("PUTOKAZ_")}
    env |= {"PUTOKAZ_PORT": str(port), "PUTOKAZ_DATA": str(tmp_path / "var")}
    process = subprocess.Popen(
        ["make", "--no-print-directory", "run"],
        cwd=REPO,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
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
        process.wait(timeout=20)
    assert (tmp_path / "var" / "pepper").is_file()


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
