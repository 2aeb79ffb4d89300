"""Staff passwords hashed with argon2id (memory-hard): only the hash is ever stored.

Verification runs in a worker thread so a login never stalls the bot's event loop.
"""

from __future__ import annotations

import asyncio

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

MIN_LENGTH = 10
MAX_LENGTH = 1024

# argon2-cffi's RFC 9106 "low memory" profile: 64 MiB, 3 passes.
_hasher = PasswordHasher()
# Verified against when the account does not exist, so an unknown name takes as long.
_DUMMY = _hasher.hash("not a password of anyone")


class PasswordRejected(ValueError):
    """The new password cannot be used; the message says why and what to choose."""


def check_new_password(password: str, name: str) -> None:
    if len(password) < MIN_LENGTH:
        raise PasswordRejected(
            f"the password has {len(password)} characters; use at least {MIN_LENGTH} "
            "(a few unrelated words are easy to remember)"
        )
    if len(password) > MAX_LENGTH:
        raise PasswordRejected(f"the password is over {MAX_LENGTH} characters — use a shorter one")
    if password.strip().lower() == name.lower():
        raise PasswordRejected("the password is the account name — choose another")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(stored: str | None, password: str) -> bool:
    """Whether `password` matches the `stored` hash; None (no account) is checked against a
    dummy hash so it costs the same time."""
    try:
        return _hasher.verify(stored or _DUMMY, password[:MAX_LENGTH]) and stored is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


async def verify_password_async(stored: str | None, password: str) -> bool:
    return await asyncio.get_running_loop().run_in_executor(None, verify_password, stored, password)


def needs_rehash(stored: str) -> bool:
    return _hasher.check_needs_rehash(stored)
