"""Any route that reads a body itself (a form, say) answers an unreadable one 400, logged
as one line, never a 500."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from bot.config import load_config
from bot.web.app import create_app


async def read_form(request: web.Request) -> web.Response:
    form = await request.post()
    return web.Response(text=str(len(form)))


async def test_a_form_labelled_gzip_that_is_not_gzip_is_400_with_one_line(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    app = create_app(load_config(env={"PUTOKAZ_DATA": str(tmp_path)}))
    app.router.add_post("/form", read_form)
    async with TestClient(TestServer(app)) as client:
        headers = {
            "Content-Encoding": "gzip",
            "Content-Type": "application/x-www-form-urlencoded",
            "Connection": "close",
        }
        response = await client.post("/form", data=b"name=planted", headers=headers)
        assert response.status == 400
        good = await client.post("/form", data={"a": "1"})
        assert (good.status, await good.text()) == (200, "1")

    refused = [r.getMessage() for r in caplog.records if "request_refused" in r.getMessage()]
    assert refused == ["event=request_refused status=400 reason=unreadable_body"]
