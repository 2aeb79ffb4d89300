"""The web chat channel: the page, its static files and its JSON endpoint."""
