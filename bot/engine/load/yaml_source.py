"""YAML parsing that keeps line numbers and reports duplicate keys.

Mappings become `LocatedDict`, lists `LocatedList`, both knowing their lines.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import yaml
from yaml.nodes import MappingNode, SequenceNode


class LocatedDict(dict[str, Any]):
    line: int = 0
    key_lines: dict[str, int]


class LocatedList(list[Any]):
    line: int = 0
    item_lines: list[int]


class DuplicateKey(Exception):
    def __init__(self, key: str, line: int, first_line: int) -> None:
        self.key, self.line, self.first_line = key, line, first_line
        super().__init__(key)


if TYPE_CHECKING:
    _BASE = yaml.SafeLoader
else:  # libyaml where PyYAML was built with it: the same marks and errors, ~10× faster
    _BASE = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _LocatingLoader(_BASE):
    duplicates: list[DuplicateKey]


def _construct_mapping(loader: _LocatingLoader, node: MappingNode) -> LocatedDict:
    loader.flatten_mapping(node)
    result = LocatedDict()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        key = str(key)
        line = key_node.start_mark.line + 1
        if key in result.key_lines:
            loader.duplicates.append(DuplicateKey(key, line, result.key_lines[key]))
            continue
        result.key_lines[key] = line
        result[key] = loader.construct_object(value_node, deep=True)
    return result


def _construct_sequence(loader: _LocatingLoader, node: SequenceNode) -> LocatedList:
    result = LocatedList(loader.construct_object(child, deep=True) for child in node.value)
    result.line = node.start_mark.line + 1
    result.item_lines = [child.start_mark.line + 1 for child in node.value]
    return result


_LocatingLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG,
    _construct_mapping,
)
_LocatingLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG,
    _construct_sequence,
)


def parse(text: str) -> tuple[Any, list[DuplicateKey]]:
    """Parse one YAML document; raises `yaml.YAMLError` on a syntax error."""
    loader = _LocatingLoader(text)
    loader.duplicates = []
    try:
        return loader.get_single_data(), loader.duplicates
    finally:
        loader.dispose()
