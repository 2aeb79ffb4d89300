"""Putokaz: an information chatbot for presumed victims of human trafficking.

A pure engine (`bot.engine`) runs flows from `flows/`; adapters send its replies.
"""

__version__ = "0.1.0"
