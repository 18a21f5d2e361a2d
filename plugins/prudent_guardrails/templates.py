"""A theme's templates as the text they print: literal text, and what Jinja computes from constants.

Plain template text is read as it is written. A Jinja expression is not text,
but many print one all the same: ``{{ "Vote " ~ "Labour" }}``,
``{{ "the TORIES"|title }}``, ``{% set motto = "..." %}``. Each expression
Jinja can compute without the site's data (``Node.as_const``, Jinja's own
constant folding, with the filters of Pelican's environment) is judged as
what it prints:

- an expression whose whole value is constant is replaced, in the template's
  text, by that value, padded with zero-width spaces to the same length (the
  rules drop them), so positions stay those of the file and the value is read
  with the words around it ("Vote {{ "Lab" ~ "our" }}" reads "Vote Labour");
- every other constant part (a literal, a constant concatenation, each branch
  of ``a if x else b``, the value of a ``{% set %}``) becomes a fragment of
  its own, placed at its line and column.

Settings the templates print (any upper-case name they use that is a setting,
``EXTRA_MENUITEMS`` for one) are judged where ``pelicanconf.py`` writes them.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from typing import Any

from jinja2 import Environment, nodes

from prudent.document import PLAIN, TEMPLATE, TextDocument

ZERO_WIDTH_SPACE = "\u200b"
_BLOCK = re.compile(r"\{\{(?P<expr>.*?)\}\}|\{%(?P<stmt>.*?)%\}|\{#.*?#\}", re.S)
_RAW = re.compile(r"\{%-?\s*raw\s*-?%\}.*?(?:\{%-?\s*endraw\s*-?%\}|\Z)", re.S)
_LITERAL = re.compile(r"""(?P<q>["'])(?P<body>(?:\\.|(?!(?P=q)).)*)(?P=q)""", re.S)
_SETTING_NAME = re.compile(r"\b[A-Z][A-Z0-9_]{2,}\b")
# Statements that open a block: parsed with their end tag, so Jinja reads them.
_CLOSERS = {
    "if": "{% endif %}",
    "for": "{% endfor %}",
    "macro": "{% endmacro %}",
    "call": "{% endcall %}",
    "filter": "{% endfilter %}",
    "with": "{% endwith %}",
    "block": "{% endblock %}",
    "set": "",
}
_NOT_PRINTED = frozenset({"include", "import", "extends", "from"})  # template names


_made: dict[tuple[str, str, int], list[TextDocument]] = {}  # make serve rebuilds: once each


def template_documents(path: str, text: str, env: Environment) -> list[TextDocument]:
    """The template as a document (constants printed in place) and its constant fragments."""
    key = (path, text, id(env.filters))
    if key not in _made:
        if len(_made) > 512:
            _made.clear()
        _made[key] = _template_documents(path, text, env)
    return list(_made[key])


def _template_documents(path: str, text: str, env: Environment) -> list[TextDocument]:
    raw = [(m.start(), m.end()) for m in _RAW.finditer(text)] if "raw" in text else []
    parts: list[str] = []
    fragments: list[TextDocument] = []
    pos = 0
    for m in _BLOCK.finditer(text):
        if any(a <= m.start() < b for a, b in raw) or m.group(0).startswith("{#"):
            continue
        if '"' not in m.group(0) and "'" not in m.group(0):
            continue  # no string literal: nothing it prints is known before rendering
        if m.group("expr") is not None:
            whole = _constant(env, m.group(0))
            if whole is not None and len(whole) <= len(m.group(0)):
                parts.append(text[pos : m.start()])
                parts.append(whole + ZERO_WIDTH_SPACE * (len(m.group(0)) - len(whole)))
                pos = m.end()
                continue
        fragments.extend(_fragments(path, text, m, env))
    parts.append(text[pos:])
    doc = TextDocument(path, "".join(parts), TEMPLATE)
    return [doc, *fragments]


def settings_used(templates: list[str]) -> set[str]:
    """Upper-case names the templates' Jinja uses: the settings they may print."""
    names: set[str] = set()
    for text in templates:
        for m in _BLOCK.finditer(text):
            names.update(_SETTING_NAME.findall(m.group(0)))
    return names


def _constant(env: Environment, source: str) -> str | None:
    try:
        body = env.parse(source).body
        expr = body[0].nodes[0] if isinstance(body[0], nodes.Output) else None
        value = expr.as_const(nodes.EvalContext(env)) if expr is not None else None
    except Exception:  # not constant, or not Jinja this environment reads
        return None
    return str(value) if isinstance(value, str) and value.strip() else None


def _fragments(path: str, text: str, m: re.Match[str], env: Environment) -> Iterator[TextDocument]:
    block = m.group(0)
    tree = _parse(env, block, m.group("stmt"))
    if tree is None:  # not Jinja this environment parses: its literals, as written
        for lit in _LITERAL.finditer(block):
            value = _unquote(lit.group(0))
            if value.strip():
                yield _fragment(path, text, value, m.start() + lit.start("body"))
        return
    cursor = 0
    for value, first in _constant_parts(tree, nodes.EvalContext(env)):
        at = block.find(first, cursor) if first else -1
        offset = m.start() + (at if at >= 0 else 0)
        cursor = at + len(first) if at >= 0 else cursor
        yield _fragment(path, text, value, offset)


def _parse(env: Environment, block: str, stmt: str | None) -> nodes.Node | None:
    source = block
    if stmt is not None:
        keyword = stmt.strip("-+ \t\r\n").split(" ", 1)[0]
        if keyword in _NOT_PRINTED:
            return nodes.Template([])
        if keyword not in _CLOSERS:
            return None
        source += _CLOSERS[keyword]
    try:
        return env.parse(source)
    except Exception:
        return None


def _constant_parts(node: nodes.Node, ctx: nodes.EvalContext) -> Iterator[tuple[str, str]]:
    """Maximal constant string sub-expressions: (value, the first literal written in it)."""
    if isinstance(node, nodes.Expr):
        try:
            value = node.as_const(ctx)
        except Exception:
            value = None
        else:
            if isinstance(value, str):
                if value.strip():
                    first = node if isinstance(node, nodes.Const) else node.find(nodes.Const)
                    yield value, str(first.value) if first is not None else ""
                return
    for child in node.iter_child_nodes():
        if isinstance(node, (nodes.Compare, nodes.Test)):
            continue  # compared with, not printed
        yield from _constant_parts(child, ctx)


def _fragment(path: str, text: str, value: str, offset: int) -> TextDocument:
    line = text.count("\n", 0, offset) + 1
    col = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return TextDocument(path, value, PLAIN, line, col, label="template expression")


def _unquote(literal: str) -> str:
    try:
        value: Any = ast.literal_eval(literal)
    except (ValueError, SyntaxError):
        return literal[1:-1]
    return value if isinstance(value, str) else literal[1:-1]
