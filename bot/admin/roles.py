"""Staff roles and what each may do: one table, checked on every request."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    ADMIN = "admin"
    EDITOR = "editor"
    TRANSLATOR = "translator"
    HOTLINE = "hotline"
    VIEWER = "viewer"


class Permission(StrEnum):
    VIEW = "view"  # flows, graphs, history, the simulator
    EDIT = "edit"  # keep a draft of the flows
    PUBLISH = "publish"  # publish a draft, restore a version
    AUDIT = "audit"  # read the audit log


GRANTS: dict[Role, frozenset[Permission]] = {
    Role.ADMIN: frozenset(Permission),
    Role.EDITOR: frozenset({Permission.VIEW, Permission.EDIT, Permission.PUBLISH}),
    # Translators may try wording in a draft and preview it; publishing is an editor's call.
    Role.TRANSLATOR: frozenset({Permission.VIEW, Permission.EDIT}),
    Role.HOTLINE: frozenset({Permission.VIEW}),
    Role.VIEWER: frozenset({Permission.VIEW}),
}


def can(role: Role, permission: Permission) -> bool:
    return permission in GRANTS[role]
