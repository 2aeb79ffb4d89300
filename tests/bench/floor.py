"""The floor: the least a Telegram webhook bot can do per update, to measure Putokaz against.

Parse the update, make one Bot API call with constant text (editMessageText for a tap,
sendMessage otherwise) on one pooled aiohttp client — the stack Putokaz uses — and answer
the tap with answerCallbackQuery in the webhook response. No state, no log line, no engine.
Run as `python -m tests.bench.floor PORT BOT_API_URL` (BOT_API_URL ends with bot<token>).
"""

from __future__ import annotations

import asyncio
import json
import sys
from collections.abc import AsyncIterator

import aiohttp
from aiohttp import web

HTTP = web.AppKey("http", aiohttp.ClientSession)
API = web.AppKey("api", str)
TEXT = "Floor: the same one call for every update."
JSON_HEADERS = {"Content-Type": "application/json"}


async def webhook(request: web.Request) -> web.Response:
    update = json.loads(await request.read())
    api, http = request.app[API], request.app[HTTP]
    query = update.get("callback_query")
    if query is not None:
        message = query["message"]
        call = {
            "chat_id": message["chat"]["id"],
            "message_id": message["message_id"],
            "text": TEXT,
        }
        method = "editMessageText"
    else:
        call = {"chat_id": update["message"]["chat"]["id"], "text": TEXT}
        method = "sendMessage"
    body = json.dumps(call, ensure_ascii=False, separators=(",", ":")).encode()
    async with http.post(f"{api}/{method}", data=body, headers=JSON_HEADERS) as response:
        json.loads(await response.read())
    if query is None:
        return web.Response(status=200)
    return web.json_response({"method": "answerCallbackQuery", "callback_query_id": query["id"]})


async def healthz(request: web.Request) -> web.Response:
    return web.Response(text="ok")


def app(api: str) -> web.Application:
    application = web.Application()
    application[API] = api

    async def client(application: web.Application) -> AsyncIterator[None]:
        application[HTTP] = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=15))
        yield
        await application[HTTP].close()

    application.cleanup_ctx.append(client)
    application.router.add_post("/telegram", webhook)
    application.router.add_get("/healthz", healthz)
    return application


def main() -> None:
    port, api = int(sys.argv[1]), sys.argv[2]
    try:  # the event loop `putokaz serve` runs on
        import uvloop

        loop = uvloop.new_event_loop()
    except ImportError:
        loop = asyncio.new_event_loop()
    web.run_app(app(api), host="127.0.0.1", port=port, access_log=None, print=None, loop=loop)


if __name__ == "__main__":
    main()
