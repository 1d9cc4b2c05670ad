"""YAML as this tool reads it: scenario files, sweep files and ``--set`` values.

PyYAML's safe loader, stricter where its defaults would let a mistake through or hang:

- a key given twice in one mapping is refused, naming both lines (PyYAML keeps the last);
- keys must be text: ``1: 2`` or ``on: 1`` (YAML 1.1 reads ``on`` as true) are refused;
- ``1e4`` is a number, as in YAML 1.2 (YAML 1.1 needs ``1.0e+4``);
- a date that does not exist (``2019-02-29``) stays text, so the parameter check names the key;
- aliases may not repeat more than ALIAS_BUDGET nodes nor nest deeper than MAX_DEPTH, and a
  structure may not contain itself: an alias bomb is refused at once instead of expanding;
- only the plain tags (text, numbers, true/false, null, dates, lists, mappings, ``<<`` merges).
"""

from __future__ import annotations

import re

import yaml
from yaml.composer import ComposerError
from yaml.constructor import ConstructorError
from yaml.nodes import MappingNode, SequenceNode

MAX_DEPTH = 40  # a scenario needs about 5 levels; our recursive walks must never reach Python's limit
ALIAS_BUDGET = 100_000  # nodes that aliases may add: enough to share unit defaults, not a bomb
_CORE = "tag:yaml.org,2002:"
TAGS = {_CORE + t for t in ("str", "int", "float", "bool", "null", "timestamp", "seq", "map", "merge")}


class _Loader(yaml.SafeLoader):
    _depth = 0

    def compose_node(self, parent, index):
        if self._depth >= MAX_DEPTH:
            raise ComposerError(None, None, f"nested more than {MAX_DEPTH} levels deep",
                                self.peek_event().start_mark)
        self._depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def get_single_node(self):
        node = super().get_single_node()
        if node is not None:
            _check_graph(node)
        return node

    def construct_mapping(self, node, deep=False):
        lines: dict = {}
        for key_node, _ in node.value:  # merged keys (<<) may be overridden; a mapping's own keys not
            if key_node.tag == _CORE + "merge":
                continue
            key = self.construct_object(key_node, deep=True)
            _text_key(key, key_node)
            if key in lines:
                raise ConstructorError(None, None, f"key {key!r} given twice, at lines {lines[key] + 1} and "
                                       f"{key_node.start_mark.line + 1}", key_node.start_mark)
            lines[key] = key_node.start_mark.line
        mapping = super().construct_mapping(node, deep)
        for key in mapping:
            _text_key(key, node)
        return mapping

    def construct_yaml_timestamp(self, node):
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError:
            return self.construct_scalar(node)


_Loader.add_constructor(_CORE + "timestamp", _Loader.construct_yaml_timestamp)
_Loader.add_implicit_resolver(
    _CORE + "float", re.compile(r"^[-+]?(?:[0-9][0-9_]*(?:\.[0-9_]*)?|\.[0-9_]+)[eE][-+]?[0-9]+$"),
    list("-+0123456789."))


def _text_key(key, node):
    if not isinstance(key, str):
        raise ConstructorError(None, None, f"keys must be text, got {key!r} (put it in quotes)",
                               node.start_mark)


def _check_graph(root):
    """Refuse tags outside TAGS, self-containing structures and aliases that expand too far."""
    sizes: dict = {}  # id(node) -> nodes under it, aliases expanded
    open_: set = set()

    def size(node, depth):
        if id(node) in sizes:
            return sizes[id(node)]
        if node.tag not in TAGS:
            raise ConstructorError(None, None, f"unsupported tag {node.tag}", node.start_mark)
        if id(node) in open_:
            raise ConstructorError(None, None, "an alias refers to the structure that contains it", node.start_mark)
        if depth > MAX_DEPTH:
            raise ConstructorError(None, None, f"aliases nest more than {MAX_DEPTH} levels deep", node.start_mark)
        open_.add(id(node))
        children = ([n for pair in node.value for n in pair] if isinstance(node, MappingNode)
                    else node.value if isinstance(node, SequenceNode) else [])
        total = 1 + sum(size(child, depth + 1) for child in children)
        open_.discard(id(node))
        sizes[id(node)] = total
        if total - len(sizes) > ALIAS_BUDGET:
            raise ConstructorError(None, None, f"aliases expand to more than {ALIAS_BUDGET:,} extra values",
                                   node.start_mark)
        return total

    size(root, 0)


def load(text: str):
    """Parse ``text``; raises yaml.YAMLError (with ``problem`` and ``problem_mark``) or ValueError."""
    return yaml.load(text, Loader=_Loader)


def problem(error: Exception) -> str:
    """One line saying where and what, from a loading error."""
    mark = getattr(error, "problem_mark", None)
    where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
    text = getattr(error, "problem", None) or (str(error).splitlines() or [type(error).__name__])[0]
    return f"{where}: {text}"
