"""The staff area at /admin: accounts, sessions and CSRF, flows as graphs, edit,
validate, preview, publish, history and rollback. Staff names only, never a person's data.
"""
