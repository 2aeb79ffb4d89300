"""Session keys as HMAC pseudonyms of platform ids, with a secret pepper.

The pepper is created on first start (file mode 0600) or given as PUTOKAZ_PEPPER.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

PEPPER_FILE = "pepper"


@dataclass(frozen=True)
class SessionKey:
    """A pseudonym: HMAC-SHA256(pepper, channel + ":" + platform id), hex."""

    value: str

    def __str__(self) -> str:
        return self.value


class Pseudonymizer:
    def __init__(self, pepper: bytes) -> None:
        if len(pepper) < 16:
            raise ValueError("the pepper must be at least 16 bytes — use a longer PUTOKAZ_PEPPER")
        self._pepper = pepper

    def key(self, channel: str, platform_id: str | int) -> SessionKey:
        message = f"{channel}:{platform_id}".encode()
        return SessionKey(hmac.new(self._pepper, message, hashlib.sha256).hexdigest())

    def fingerprint(self) -> str:
        """Which pepper this is, for replicas to compare: an HMAC of a fixed text, from
        which neither the pepper nor any key can be learnt that the keys do not give."""
        return hmac.new(self._pepper, b"putokaz:pepper", hashlib.sha256).hexdigest()[:16]


def load_pepper(data_dir: Path, given: str | None = None) -> bytes:
    """The pepper from PUTOKAZ_PEPPER, else `data_dir/pepper`, created 0600 on first use."""
    if given:
        return given.encode()
    data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)  # doctor checks it is private
    path = data_dir / PEPPER_FILE
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_hex(32))
    os.chmod(path, 0o600)
    return path.read_text().strip().encode()
