"""Typed keys for the shared state of the aiohttp application."""

from __future__ import annotations

import asyncio

import aiohttp
from aiohttp import web

from bot.config import Config
from bot.service.conversations import Conversations

CONFIG = web.AppKey("config", Config)
CONVERSATIONS = web.AppKey("conversations", Conversations)
HTTP = web.AppKey("http", aiohttp.ClientSession)
STOPPING = web.AppKey("stopping", asyncio.Event)
"""Set when the server begins to shut down (SIGTERM): background loops stop taking work."""
