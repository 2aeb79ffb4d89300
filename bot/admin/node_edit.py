"""Change one node of a flow file from the edit form: its text and its buttons.

The file is edited as YAML that keeps comments, quotes and block text (ruamel.yaml round
trip), and only the lines of the edited node are replaced, so every other line of the
file — the sources in comments above all — stays byte for byte as it was.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError
from ruamel.yaml.scalarstring import DoubleQuotedScalarString, LiteralScalarString

TARGET_KINDS = ("goto", "action", "url")
YAML11_WORDS = frozenset({"yes", "no", "on", "off", "y", "n", "true", "false", "null", "~"})
"""Words PyYAML (YAML 1.1, the loader's parser) would not read as text unquoted."""


class EditError(ValueError):
    """The edit cannot be applied; the message says what to fix."""


@dataclass(frozen=True)
class OptionEdit:
    id: str
    label: str
    kind: str  # goto, action or url
    target: str


@dataclass(frozen=True)
class NodeEdit:
    say: tuple[str, ...]
    options: tuple[OptionEdit, ...]


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def _load(text: str) -> Any:
    try:
        return _yaml().load(text)
    except YAMLError as error:
        raise EditError(
            f"the file is not valid YAML ({error}) — fix it in the YAML editor"
        ) from None


def node_fields(text: str, node: str) -> NodeEdit:
    """The form's starting values for `node` of a flow file."""
    data = _load(text)
    body = _node(data, node)
    say = body.get("say")
    messages = (say,) if isinstance(say, str) else tuple(str(s) for s in say or ())
    options = []
    for item in body.get("options") or ():
        kind = next((k for k in TARGET_KINDS if k in item), "goto")
        options.append(
            OptionEdit(
                str(item.get("id", "")), str(item.get("label", "")), kind, str(item.get(kind, ""))
            )
        )
    return NodeEdit(tuple(str(m) for m in messages), tuple(options))


def _node(data: Any, node: str) -> CommentedMap:
    nodes = data.get("nodes") if isinstance(data, CommentedMap) else None
    if not isinstance(nodes, CommentedMap) or node not in nodes:
        raise EditError(f'there is no node "{node}" in this file — pick one from the graph')
    body = nodes[node]
    if not isinstance(body, CommentedMap):
        raise EditError(f'node "{node}" is not a mapping — fix it in the YAML editor')
    return body


def _text(value: str, like: Any) -> Any:
    value = value.replace("\r\n", "\n").strip()
    if "\n" in value:
        return LiteralScalarString(value)
    if isinstance(like, LiteralScalarString):
        return LiteralScalarString(value)
    return DoubleQuotedScalarString(value)


def _scalar_id(value: str) -> Any:
    return DoubleQuotedScalarString(value) if value.lower() in YAML11_WORDS else value


def apply_edit(text: str, node: str, edit: NodeEdit) -> str:
    """`text` with `node`'s `say:` and `options:` replaced by the form's values."""
    current = node_fields(text, node)
    data = _load(text)
    body = _node(data, node)
    old_say = body.get("say")
    messages = [m.replace("\r\n", "\n").strip() for m in edit.say if m.strip()]
    if not messages:
        raise EditError("a screen needs some text — write at least one message")
    if tuple(messages) == tuple(m.strip() for m in current.say):
        pass  # unchanged: keep the lines as they are
    elif len(messages) == 1:
        like = old_say if isinstance(old_say, str) else (old_say[0] if old_say else None)
        body["say"] = _text(messages[0], like)
    else:
        olds: Sequence[Any] = old_say if isinstance(old_say, list) else [old_say]
        body["say"] = CommentedSeq(
            [_text(m, olds[i] if i < len(olds) else None) for i, m in enumerate(messages)]
        )
    if edit.options != current.options:
        _apply_options(body, edit.options)
    if edit == current:
        return text
    return _splice(text, data, node)


def _apply_options(body: CommentedMap, options: Sequence[OptionEdit]) -> None:
    old = {str(item.get("id")): item for item in body.get("options") or ()}
    items = CommentedSeq()
    for option in options:
        if option.kind not in TARGET_KINDS:
            raise EditError(f'button "{option.id}": choose goto, action or url')
        item = old.get(option.id)
        if item is None:
            item = CommentedMap()
            item.fa.set_flow_style()
            item["id"] = _scalar_id(option.id)
        if str(item.get("label")) != option.label:
            item["label"] = DoubleQuotedScalarString(option.label.strip())
        for kind in TARGET_KINDS:
            if kind != option.kind and kind in item:
                del item[kind]
        target = option.target.strip()
        if str(item.get(option.kind)) != target:
            item[option.kind] = DoubleQuotedScalarString(target) if option.kind == "url" else target
        items.append(item)
    if items:
        body["options"] = items
    elif "options" in body:
        del body["options"]


def _dump(data: Any) -> str:
    out = io.StringIO()
    _yaml().dump(data, out)
    return out.getvalue()


def _span(data: Any, node: str, line_count: int) -> tuple[int, int]:
    """The 0-based lines [start, end) of `node`: from its key to the next node's key."""
    nodes = data["nodes"]
    names = list(nodes)
    start = nodes.lc.key(node)[0]
    index = names.index(node)
    end = nodes.lc.key(names[index + 1])[0] if index + 1 < len(names) else line_count
    return start, end


def _splice(original: str, edited: Any, node: str) -> str:
    dumped = _dump(edited)
    before = original.splitlines(keepends=True)
    after = dumped.splitlines(keepends=True)
    old_start, old_end = _span(_load(original), node, len(before))
    new_start, new_end = _span(_load(dumped), node, len(after))
    # Lines that differ only in spacing (ruamel drops column alignment) keep the original.
    kept = {" ".join(line.split()): line for line in before[old_start:old_end]}
    block = [kept.get(" ".join(line.split()), line) for line in after[new_start:new_end]]
    while block and not block[-1].strip():
        block.pop()
    gap = list(reversed(list(_trailing_blanks(before[old_start:old_end]))))
    if block and not block[-1].endswith("\n"):
        block[-1] += "\n"
    return "".join(before[:old_start] + block + gap + before[old_end:])


def _trailing_blanks(lines: list[str]) -> list[str]:
    """The blank lines that end `lines` (the gap before the next node), last first."""
    blanks = []
    for line in reversed(lines):
        if line.strip():
            break
        blanks.append(line)
    return blanks
