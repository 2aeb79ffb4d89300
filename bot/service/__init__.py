"""The application service between channels and engine: conversations, hand-off, assembly."""
