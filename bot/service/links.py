"""Escalation links that open a topic in a language: Telegram, Viber and the web chat.

The hotline sends these; the payload grammar is in bot/engine/payload.py.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import quote, urlencode

from bot.engine import Flows
from bot.engine.payload import make_payload
from bot.service.web_links import WebLink

CHANNELS = ("telegram", "viber", "web")


class LinkError(ValueError):
    """The link cannot be built; the message names the setting or option to fix."""


def escalation_link(
    channel: str,
    flows: Flows,
    *,
    language: str,
    topic: str | None = None,
    campaign: str | None = None,
    telegram_username: str | None = None,
    viber_uri: str | None = None,
    web_url: str = "http://127.0.0.1:8080",
    web_code: Callable[[WebLink], str] | None = None,
) -> str:
    """A deep link for `channel`; raises LinkError naming what is missing or wrong."""
    if flows.language(language) is None:
        known = ", ".join(lang.code for lang in flows.languages)
        raise LinkError(f"unknown language {language!r} — use one of: {known}")
    if topic is not None and f"{topic}.start" not in flows.nodes:
        topics = sorted({n.split(".")[0] for n in flows.nodes if n.endswith(".start")})
        raise LinkError(f"unknown topic {topic!r} — use one of: {', '.join(topics)}")
    try:
        payload = make_payload(language, topic, campaign)
    except ValueError as error:
        raise LinkError(str(error)) from None
    if channel == "telegram":
        if not telegram_username:
            raise LinkError("set PUTOKAZ_TELEGRAM_USERNAME (the bot's @name) or pass --bot")
        return f"https://t.me/{telegram_username.lstrip('@')}?start={payload}"
    if channel == "viber":
        if not viber_uri:
            raise LinkError("set PUTOKAZ_VIBER_URI (the bot's chat URI) or pass --uri")
        return (
            f"viber://pa?{urlencode({'chatURI': viber_uri, 'context': payload}, quote_via=quote)}"
        )
    if channel == "web":
        # An opaque code, so no topic or language shows in a person's address bar or history.
        if web_code is None:
            raise LinkError("web links need the server's code table — run `putokaz link web`")
        code = web_code(WebLink(language, topic, campaign))
        return f"{web_url.rstrip('/')}/?s={code}"
    raise LinkError(f"unknown channel {channel!r} — use one of: {', '.join(CHANNELS)}")
