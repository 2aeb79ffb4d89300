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
    TRANSLATE = "translate"  # edit, review, import and publish a language's catalog
    DESK = "desk"  # the hotline's desk: recent hand-off codes, escalation links, posters
    STATS = "stats"  # anonymous statistics (counts only)


GRANTS: dict[Role, frozenset[Permission]] = {
    Role.ADMIN: frozenset(Permission),
    Role.EDITOR: frozenset(
        {
            Permission.VIEW,
            Permission.EDIT,
            Permission.PUBLISH,
            Permission.TRANSLATE,
            Permission.STATS,
        }
    ),
    # Translators may try wording in a draft and preview it; publishing flows is an editor's
    # call, but a language's catalog is theirs to publish.
    Role.TRANSLATOR: frozenset(
        {Permission.VIEW, Permission.EDIT, Permission.TRANSLATE, Permission.STATS}
    ),
    Role.HOTLINE: frozenset({Permission.VIEW, Permission.DESK, Permission.STATS}),
    Role.VIEWER: frozenset({Permission.VIEW, Permission.STATS}),
}


def can(role: Role, permission: Permission) -> bool:
    return permission in GRANTS[role]
