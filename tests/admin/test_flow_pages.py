"""The flows list, a flow's graph, a node's form and the YAML editor, as staff use them."""

from __future__ import annotations

import re

from tests.admin.staff_client import Staff

OLD = "It lasts at least 30 days."
NEW = "It lasts 30 days or more."


async def node_form(staff: Staff, flow: str, node: str) -> dict[str, str | list[str]]:
    """The node form's fields as the page fills them."""
    status, html = await staff.get(f"/admin/flows/{flow}/nodes/{node}")
    assert status == 200
    fields: dict[str, str | list[str]] = {}
    says = [
        m.group(1)
        for m in re.finditer(
            r'<textarea id="say-\d+" name="say" rows="8">(.*?)</textarea>', html, re.S
        )
    ]
    fields["say"] = [_unescape(s) for s in says]
    for name, value in re.findall(
        r'name="(opt-\d+-(?:id|label|target)|option_count)" value="([^"]*)"', html
    ):
        fields[name] = _unescape(value)
    for i, kind in re.findall(r'id="opt-(\d+)-kind".*?<option value="(\w+)" selected', html, re.S):
        fields[f"opt-{i}-kind"] = kind
    return fields


def _unescape(text: str) -> str:
    import html

    return html.unescape(text)


async def save_node(
    staff: Staff, flow: str, node: str, fields: dict[str, str | list[str]]
) -> tuple[int, str]:
    data: list[tuple[str, str]] = [("csrf", staff.csrf)]
    for key, value in fields.items():
        for item in value if isinstance(value, list) else [value]:
            data.append((key, item))
    response = await staff.client.post(f"/admin/flows/{flow}/nodes/{node}", data=data)
    return response.status, await response.text()


async def test_flows_list_shows_every_flow_with_its_check(staff: Staff) -> None:
    await staff.login("vera")
    status, html = await staff.get("/admin/")
    assert status == 200
    for flow in ("welcome", "reflection", "rights", "hotline"):
        assert f'href="/admin/flows/{flow}"' in html
    assert "Published version 1" in html


async def test_flow_graph_is_an_svg_of_links_to_each_node(staff: Staff) -> None:
    await staff.login("vera")
    status, html = await staff.get("/admin/flows/reflection")
    assert status == 200
    assert "<svg" in html
    for node in ("start", "how_long", "decide", "help", "expel"):
        assert f'href="/admin/flows/reflection/nodes/{node}"' in html
    assert "<script" not in html.split("</head>")[1]


async def test_editing_a_sentence_puts_it_in_the_draft_only(staff: Staff) -> None:
    await staff.login("erin")
    fields = await node_form(staff, "reflection", "how_long")
    assert OLD in fields["say"][0]
    fields["say"] = [fields["say"][0].replace(OLD, NEW), ""]
    status, html = await save_node(staff, "reflection", "how_long", fields)
    assert status == 200
    assert "Saved to your draft" in html
    assert NEW in html
    # The live bot still says the old sentence: nothing is published.
    chat = await staff.client.post(
        "/api/chat", json={"action": "start", "payload": "en-reflection"}
    )
    assert chat.status == 200
    status, draft = await staff.get("/admin/files/reflection.yaml")
    assert NEW in draft


async def test_a_goto_to_a_missing_node_is_shown_at_its_line(staff: Staff) -> None:
    await staff.login("erin")
    fields = await node_form(staff, "reflection", "how_long")
    index = next(k for k, v in fields.items() if k.endswith("-id") and v == "all").split("-")[1]
    fields[f"opt-{index}-target"] = "nowhere"
    status, html = await save_node(staff, "reflection", "how_long", fields)
    assert status == 200
    message = (
        r"flows/reflection\.yaml:(\d+)</a></code>:\s*option &#34;all&#34; of "
        r"&#34;reflection\.how_long&#34; goes to &#34;reflection\.nowhere&#34;, "
        "which does not exist"
    )
    found = re.search(message, html)
    assert found, html[:3000]
    status, yaml_page = await staff.get("/admin/files/reflection.yaml")
    line = int(found.group(1))
    text_lines = (
        re.search(r'<textarea id="yaml"[^>]*>(.*?)</textarea>', yaml_page, re.S)
        .group(1)
        .splitlines()
    )  # type: ignore[union-attr]
    assert "nowhere" in text_lines[line - 1]


async def test_a_viewer_cannot_change_a_node(staff: Staff) -> None:
    await staff.login("vera")
    fields = await node_form(staff, "reflection", "how_long")
    status, _ = await save_node(staff, "reflection", "how_long", fields)
    assert status == 403


async def test_yaml_editor_saves_and_reports_problems_by_line(staff: Staff) -> None:
    await staff.login("tara")
    status, html = await staff.get("/admin/files/reflection.yaml")
    assert status == 200
    text = re.search(r'<textarea id="yaml"[^>]*>(.*?)</textarea>', html, re.S).group(1)  # type: ignore[union-attr]
    import html as html_lib

    broken = html_lib.unescape(text).replace("version: 1", "version: 9", 1)
    status, page = await staff.post("/admin/files/reflection.yaml", text=broken)
    assert status == 200
    assert "flows/reflection.yaml:" in page
    assert "format version 9" in page
