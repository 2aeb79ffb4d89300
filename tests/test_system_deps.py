"""`scripts/system-deps` on a fake machine: installs only what is missing, or says how.

Each test runs the script with nothing of the environment but a PATH of fakes
(as `env -i` would): `fc-list`, `id`, `apt-get` and `sudo` record what was asked,
and the real chromium and redis-server of this machine are out of sight.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.support.server import REPO
from tests.support.system_tools import TOOLS

SCRIPT = REPO / "scripts" / "system-deps"
FONTS = {
    "fonts-noto-core": "Noto Sans Devanagari",
    "fonts-noto-cjk": "Noto Sans CJK SC",
    "fonts-noto-color-emoji": "Noto Color Emoji",
}
TOOL_OF = {"chromium": "chromium", "redis-server": "redis-server", "gettext": "msgfmt"}
TOOL_OF |= {"zbar-tools": "zbarimg", "caddy": "caddy", "openssl": "openssl"}
TOOL_OF |= {"systemd": "systemd-analyze", "fontconfig": "fc-list"}
EVERYTHING = [*TOOL_OF, *FONTS]

# apt-get "installs" by creating the tool, or adding the font to what fc-list prints.
FAKE_APT_GET = """#!/bin/bash
echo "apt-get $* uid=${FAKE_UID}" >> "$FAKE_LOG"
[ "$1" = update ] && exit "${FAKE_UPDATE_RC:-0}"
[ -n "${FAKE_INSTALL_RC:-}" ] && exit "$FAKE_INSTALL_RC"
[ -n "${FAKE_INSTALL_NOTHING:-}" ] && exit 0
for package in "$@"; do
  case "$package" in
    -*) ;;
    fonts-noto-core) echo "Noto Sans Devanagari" >> "$FAKE_FONTS" ;;
    fonts-noto-cjk) echo "Noto Sans CJK SC" >> "$FAKE_FONTS" ;;
    fonts-noto-color-emoji) echo "Noto Color Emoji" >> "$FAKE_FONTS" ;;
    *) tool=$(grep "^$package " "$FAKE_TOOLS" | cut -d' ' -f2)
       printf '#!/bin/bash\\ncat "$FAKE_FONTS"\\n' > "$FAKE_BIN/$tool"
       chmod +x "$FAKE_BIN/$tool" ;;
  esac
done
"""
# sudo -n true succeeds unless FAKE_SUDO_NEEDS_PASSWORD; then it runs the command as uid 0.
FAKE_SUDO = """#!/bin/bash
[ "$1" = -n ] && shift
if [ "$1" = true ]; then [ -z "${FAKE_SUDO_NEEDS_PASSWORD:-}" ]; exit; fi
echo "sudo $*" >> "$FAKE_LOG"
FAKE_UID=0 exec "$@"
"""
FAKE_ID = '#!/bin/bash\necho "${FAKE_UID}"\n'


@dataclass
class Machine:
    root: Path
    uid: int = 0
    apt: bool = True
    sudo: bool = True

    @property
    def bin(self) -> Path:
        return self.root / "bin"

    @property
    def log(self) -> Path:
        return self.root / "log"

    def has(self, *packages: str) -> Machine:
        for package in packages:
            if package in FONTS:
                with (self.root / "fonts").open("a") as fonts:
                    fonts.write(f"{FONTS[package]}\n")
            else:
                self._script(TOOL_OF[package], '#!/bin/bash\ncat "$FAKE_FONTS"\n')
        return self

    def _script(self, name: str, text: str) -> None:
        path = self.bin / name
        path.write_text(text)
        path.chmod(0o755)

    def prepare(self) -> None:
        """The fakes and the few real tools the script uses, in an otherwise empty PATH."""
        for tool in ("bash", "env", "grep", "cut", "cat", "chmod"):
            link = self.bin / tool
            if not link.exists():
                link.symlink_to(shutil.which(tool) or f"/usr/bin/{tool}")
        self._script("id", FAKE_ID)
        if self.apt:
            self._script("apt-get", FAKE_APT_GET)
        if self.sudo:
            self._script("sudo", FAKE_SUDO)
        (self.root / "tools").write_text("".join(f"{p} {t}\n" for p, t in TOOL_OF.items()))
        (self.root / "fonts").touch()

    def run(self, **env: str) -> subprocess.CompletedProcess[str]:
        self.prepare()
        environment = {
            "PATH": str(self.bin),
            "FAKE_UID": str(self.uid),
            "FAKE_LOG": str(self.log),
            "FAKE_BIN": str(self.bin),
            "FAKE_FONTS": str(self.root / "fonts"),
            "FAKE_TOOLS": str(self.root / "tools"),
            **env,
        }
        return subprocess.run(
            [str(SCRIPT)],
            env=environment,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            check=False,
            timeout=30,
        )

    def calls(self) -> list[str]:
        return self.log.read_text().splitlines() if self.log.exists() else []


@pytest.fixture
def machine(tmp_path: Path) -> Machine:
    (tmp_path / "bin").mkdir()
    return Machine(tmp_path)


def test_the_fake_path_hides_this_machines_tools(machine: Machine) -> None:
    machine.prepare()
    probe = subprocess.run(
        ["bash", "-c", "command -v chromium redis-server msgfmt zbarimg"],
        env={"PATH": str(machine.bin)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert probe.stdout == ""


def test_nothing_is_installed_when_everything_is_present(machine: Machine) -> None:
    result = machine.has(*EVERYTHING).run()
    assert result.returncode == 0, result.stderr
    assert machine.calls() == []
    assert result.stdout == ""
    assert result.stderr == ""


def test_root_installs_everything_on_an_empty_machine(machine: Machine) -> None:
    result = machine.run()
    assert result.returncode == 0, result.stderr
    assert machine.calls()[1] == (
        "apt-get install -y -qq fontconfig chromium redis-server gettext zbar-tools caddy "
        "openssl systemd fonts-noto-core fonts-noto-cjk fonts-noto-color-emoji uid=0"
    )
    assert result.stderr.splitlines()[-1] == "system-deps: installed"


def test_root_installs_only_the_missing_packages(machine: Machine) -> None:
    machine.has(*(package for package in EVERYTHING[2:] if package != "fonts-noto-cjk"))
    result = machine.run()
    assert result.returncode == 0, result.stderr
    assert machine.calls() == [
        "apt-get update -qq uid=0",
        "apt-get install -y -qq chromium redis-server fonts-noto-cjk uid=0",
    ]
    assert "installing chromium redis-server fonts-noto-cjk" in result.stderr
    assert machine.run().returncode == 0
    assert len(machine.calls()) == 2, "the second run installed again"


def test_a_user_with_sudo_installs_through_sudo(machine: Machine) -> None:
    machine.uid = 1000
    result = machine.has(*EVERYTHING[1:]).run()
    assert result.returncode == 0, result.stderr
    assert machine.calls() == [
        "sudo apt-get update -qq",
        "apt-get update -qq uid=0",
        "sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium",
        "apt-get install -y -qq chromium uid=0",
    ]


def test_a_user_without_sudo_gets_the_exact_command_to_run_as_root(machine: Machine) -> None:
    machine.uid, machine.sudo = 1000, False
    result = machine.has(*EVERYTHING[2:]).run()
    assert result.returncode == 1
    assert machine.calls() == []
    assert result.stderr.splitlines() == [
        "system-deps: missing system packages: chromium redis-server",
        "system-deps: not root and no sudo; as root, run: "
        "apt-get update && apt-get install -y chromium redis-server",
    ]


def test_sudo_that_needs_a_password_without_a_terminal_is_explained(machine: Machine) -> None:
    machine.uid = 1000
    result = machine.has(*EVERYTHING[:-1]).run(FAKE_SUDO_NEEDS_PASSWORD="1")
    assert result.returncode == 1
    assert machine.calls() == []
    assert (
        "run: sudo sh -c 'apt-get update && apt-get install -y fonts-noto-color-emoji'"
        in result.stderr
    )


def test_without_apt_get_the_packages_are_named(machine: Machine) -> None:
    machine.apt = False
    result = machine.has(*EVERYTHING[2:]).run()
    assert result.returncode == 1
    assert "missing system packages: chromium redis-server" in result.stderr
    assert "no apt-get here" in result.stderr


@pytest.mark.parametrize("failing", ["FAKE_UPDATE_RC", "FAKE_INSTALL_RC"])
def test_a_failing_apt_get_stops_with_the_command_to_retry(machine: Machine, failing: str) -> None:
    result = machine.has(*EVERYTHING[1:]).run(**{failing: "100"})
    assert result.returncode == 1
    assert "failed (see above)" in result.stderr
    assert "run: apt-get update && apt-get install -y chromium" in result.stderr


def test_a_package_that_installs_without_its_tool_is_reported(machine: Machine) -> None:
    result = machine.has(*EVERYTHING[1:]).run(FAKE_INSTALL_NOTHING="1")
    assert result.returncode == 1
    assert "missing system packages: chromium" in result.stderr
    assert "still not found" in result.stderr


def test_make_test_runs_the_script_before_pytest() -> None:
    makefile = (REPO / "Makefile").read_text()
    recipe = makefile.split("\ntest:", 1)[1].split("\n\n", 1)[0]
    assert recipe.index("scripts/system-deps") < recipe.index("pytest")


def test_tests_name_the_packages_the_script_installs() -> None:
    script = SCRIPT.read_text()
    for tool in TOOLS.values():
        assert f"have_tool {tool.command} || missing+=({tool.package})" in script


def test_the_script_is_executable_in_a_clone() -> None:
    assert os.access(SCRIPT, os.X_OK)
