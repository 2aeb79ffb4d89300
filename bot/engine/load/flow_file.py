"""Flow files (`nodes:`): nodes, their text and their buttons, with located problems.

Cross-file checks (targets, placeholders) happen in the loader once every file is read.
"""

from __future__ import annotations

import re
from typing import Any

from bot.engine.load.draft import NAME, Draft, flag, optional_str, unknown_keys
from bot.engine.load.yaml_source import LocatedDict, LocatedList
from bot.engine.model import Action, Location, MsgKey, Node, NodeId, Option, OptionId
from bot.engine.problems import did_you_mean

OPTION_ID = re.compile(r"^[a-z][a-z0-9_]{0,23}$")
RESERVED_OPTION_IDS = frozenset({"say", "source"})
FLOW_KEYS = ("version", "id", "title", "nodes")
NODE_KEYS = ("say", "options", "source", "footer", "handoff", "languages", "remember", "note")
OPTION_KEYS = ("id", "label", "goto", "action", "url")


def load_flow(draft: Draft, shown: str, stem: str, data: LocatedDict) -> None:
    """Add the nodes of one flow file (its `id:` must be the file name) to `draft`."""
    unknown_keys(draft, shown, data, FLOW_KEYS, "a flow file")
    flow_id = data.get("id")
    if flow_id is None:
        draft.error(shown, 1, f"no `id:` — add `id: {stem}` (the file name)")
        return
    if flow_id != stem:
        draft.error(
            shown,
            data.key_lines["id"],
            f'flow id "{flow_id}" differs from the file name "{stem}.yaml" — '
            f"rename one so both say {stem}",
        )
        return
    if stem in draft.flow_files:
        draft.error(shown, 1, f'flow "{stem}" is also defined in {draft.flow_files[stem]}')
        return
    draft.flow_files[stem] = shown
    nodes = data.get("nodes")
    if not isinstance(nodes, LocatedDict) or not nodes:
        line = data.key_lines.get("nodes", 1)
        draft.error(shown, line, "a flow needs `nodes:` with at least one node — add `start:`")
        return
    for name, body in nodes.items():
        _load_node(draft, shown, flow_id, name, body, nodes.key_lines[name])


def _load_node(draft: Draft, shown: str, flow_id: str, name: str, body: Any, line: int) -> None:
    node_id = NodeId(f"{flow_id}.{name}")
    if not NAME.match(name):
        draft.error(
            shown,
            line,
            f'node id "{name}" must be lowercase ASCII letters, digits and _ '
            "(starting with a letter) — rename it",
        )
        return
    if not isinstance(body, LocatedDict):
        draft.error(shown, line, f'node "{node_id}" must be a mapping with at least `say:`')
        return
    unknown_keys(draft, shown, body, NODE_KEYS, f'node "{node_id}"')
    say = _texts(draft, shown, body, node_id, line)
    options = load_options(draft, shown, body, "options", flow_id, node_id)
    languages = body.get("languages")
    location = Location(shown, line)
    draft.nodes[node_id] = Node(
        id=node_id,
        say=tuple(text for text, _ in say),
        say_keys=tuple(key for _, key in say),
        options=tuple(options),
        source=optional_str(draft, shown, body, "source"),
        footer=flag(draft, shown, body, "footer", default=True),
        handoff=flag(draft, shown, body, "handoff", default=False),
        remember=flag(draft, shown, body, "remember", default=True),
        languages=qualify(flow_id, languages) if isinstance(languages, str) else None,
        location=location,
    )


def _texts(
    draft: Draft, shown: str, body: LocatedDict, node_id: str, node_line: int
) -> list[tuple[str, MsgKey]]:
    say = body.get("say")
    line = body.key_lines.get("say", node_line)
    if isinstance(say, str):
        say = [say]
    if (
        not say
        or not isinstance(say, list)
        or not all(isinstance(s, str) and s.strip() for s in say)
    ):
        draft.error(
            shown,
            line,
            f'node "{node_id}" has no text — add `say: "…"` (one message or a list of messages)',
        )
        return []
    return [
        (text.strip(), MsgKey(f"{node_id}.say" if i == 0 else f"{node_id}.say.{i + 1}"))
        for i, text in enumerate(say)
    ]


def qualify(flow_id: str, target: str) -> NodeId:
    """`node` inside `flow_id` becomes `flow_id.node`; `flow.node` stays as it is."""
    return NodeId(target if "." in target else f"{flow_id}.{target}")


def load_options(
    draft: Draft, shown: str, body: LocatedDict, key: str, flow_id: str, owner: str
) -> list[Option]:
    """The buttons listed under `body[key]`, each checked; duplicates reported."""
    raw = body.get(key)
    if raw is None:
        return []
    line = body.key_lines.get(key, body.line)
    if not isinstance(raw, LocatedList):
        draft.error(shown, line, f"`{key}:` must be a list of `{{id, label, goto|action|url}}`")
        return []
    options: list[Option] = []
    seen: dict[str, int] = {}
    for item, item_line in zip(raw, raw.item_lines, strict=True):
        option = _option(draft, shown, item, item_line, flow_id, owner)
        if option is None:
            continue
        if option.id in seen:
            draft.error(
                shown,
                item_line,
                f'option id "{option.id}" is used twice in "{owner}" (first at line '
                f"{seen[option.id]}) — give each button its own id",
            )
            continue
        seen[option.id] = item_line
        options.append(option)
    return options


def _option(
    draft: Draft, shown: str, item: Any, line: int, flow_id: str, owner: str
) -> Option | None:
    if not isinstance(item, LocatedDict):
        draft.error(shown, line, "an option must be a mapping like {id: x, label: …, goto: …}")
        return None
    unknown_keys(draft, shown, item, OPTION_KEYS, f'an option of "{owner}"')
    option_id, label = item.get("id"), item.get("label")
    if not isinstance(option_id, str) or not OPTION_ID.match(option_id):
        draft.error(
            shown,
            line,
            f"option id {option_id!r} is not a stable ASCII id — use lowercase letters, "
            "digits and _ (start with a letter, at most 24), e.g. `legal_aid`",
        )
        return None
    if option_id in RESERVED_OPTION_IDS:
        draft.error(shown, line, f'option id "{option_id}" is reserved — choose another id')
        return None
    if not isinstance(label, str) or not label.strip():
        draft.error(shown, line, f'option "{option_id}" has no label — add `label: "…"`')
        return None
    targets = [k for k in ("goto", "action", "url") if k in item]
    if len(targets) != 1:
        draft.error(
            shown,
            line,
            f'option "{option_id}" needs exactly one of goto, action or url '
            f"(has {', '.join(targets) or 'none'})",
        )
        return None
    action: Action | None = None
    if "action" in item:
        try:
            action = Action(item["action"])
        except ValueError:
            hint = did_you_mean(str(item["action"]), [a.value for a in Action])
            draft.error(
                shown, line, f'option "{option_id}" has unknown action "{item["action"]}"{hint}'
            )
            return None
    goto = item.get("goto")
    url = item.get("url")
    return Option(
        id=OptionId(option_id),
        label=label.strip(),
        key=MsgKey(f"{owner}.{option_id}"),
        goto=qualify(flow_id, str(goto)) if goto is not None else None,
        action=action,
        url=str(url) if url is not None else None,
        location=Location(shown, line),
    )
