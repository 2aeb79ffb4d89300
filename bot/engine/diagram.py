"""A Mermaid flowchart of the flows, for reviewers: screens as boxes, buttons as arrows.

The footer (talk to a person, back, menu, quick exit) is on nearly every screen and is
left out, so the drawing shows the content's own paths.
"""

from __future__ import annotations

from bot.engine.model import SOURCE_LANGUAGE, Action, Flows, NodeId


def _box(node_id: str) -> str:
    return node_id.replace(".", "__")


def _label(text: str, limit: int = 40) -> str:
    first = text.strip().splitlines()[0] if text.strip() else ""
    short = first if len(first) <= limit else first[: limit - 1] + "…"
    return short.replace('"', "'")


def mermaid(flows: Flows, only: str | None = None) -> str:
    """The flowchart; `only` keeps one flow's screens (and the arrows leaving them)."""
    nav = flows.navigation
    texts = flows.texts[SOURCE_LANGUAGE]
    lines = ["flowchart TD"]
    chosen = [n for n in flows.nodes.values() if only is None or n.flow == only]
    for flow in dict.fromkeys(n.flow for n in chosen):
        lines.append(f"  subgraph {flow}")
        for node in (n for n in chosen if n.flow == flow):
            shape = (
                ('(["', '"])') if node.id in (nav.start, nav.menu, nav.hotline) else ('["', '"]')
            )
            title = _label(texts[node.say_keys[0]].value)
            lines.append(f"    {_box(node.id)}{shape[0]}{node.id}<br/>{title}{shape[1]}")
        lines.append("  end")
    for node in chosen:
        if node.languages:
            lines.append(f"  {_box(node.id)} -->|language| {_box(node.languages)}")
        for option in node.options:
            target: NodeId | None = option.goto
            if option.action is Action.HOTLINE:
                target = nav.hotline
            elif option.action is Action.MENU:
                target = nav.menu
            elif option.action is Action.FORGET:
                target = nav.forgotten
            elif option.action is Action.EXIT:
                target = nav.exited
            if target is None:
                continue
            label = _label(texts[option.key].value, 24)
            lines.append(f'  {_box(node.id)} -->|"{label}"| {_box(target)}')
    return "\n".join(lines) + "\n"
