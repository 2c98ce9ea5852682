"""Babel extraction for this project: Babel's Python extractor, plus msgids marked inside f-strings.

On Python 3.11 the tokenizer sees an f-string as one string token, so Babel's extractor misses calls such as
f'<a href="/auth/logout">{_("Sign out")}</a>' (used by home.py, pages/account.py and monitor/web/login_page.py).
This extractor runs Babel's own one and then reads the syntax tree for keyword calls inside f-strings.
On Python 3.12+ Babel sees those calls itself; anything found twice is reported once.

babel.cfg names it under [extractors]; scripts/update_translations.sh puts scripts/ on PYTHONPATH so Babel can
import it, and tests/unit/test_translations.py imports it the same way.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Collection, Iterator
from io import BytesIO
from typing import IO, Any

from babel.messages.extract import extract_python as _babel_extract_python

Result = tuple[int, str, str | tuple[str | None, ...], list[str]]


def _argument(node: ast.expr) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _calls_inside_fstrings(tree: ast.AST, keywords: Collection[str]) -> Iterator[Result]:
    seen: set[int] = set()
    for fstring in ast.walk(tree):
        if not isinstance(fstring, ast.JoinedStr):
            continue
        for node in ast.walk(fstring):
            if id(node) in seen or not isinstance(node, ast.Call):
                continue
            seen.add(id(node))
            if isinstance(node.func, ast.Name) and node.func.id in keywords:
                messages = tuple(_argument(arg) for arg in node.args)
                if any(message is not None for message in messages):
                    yield node.lineno, node.func.id, messages if len(messages) > 1 else messages[0], []


def extract_python(
    fileobj: IO[bytes], keywords: Collection[str], comment_tags: Collection[str], options: dict[str, Any]
) -> Iterator[Result]:
    source = fileobj.read()
    found: set[tuple[int, str, Any]] = set()
    for lineno, funcname, messages, comments in _babel_extract_python(BytesIO(source), keywords, comment_tags, options):
        found.add((lineno, funcname, messages))
        yield lineno, funcname, messages, comments
    try:
        tree = ast.parse(source, filename=getattr(fileobj, "name", "<source>"))
    except SyntaxError as error:
        sys.stderr.write(f"warning: f-strings not searched for msgids, the file does not parse: {error}\n")
        return
    for lineno, funcname, messages, comments in _calls_inside_fstrings(tree, keywords):
        if (lineno, funcname, messages) not in found:
            found.add((lineno, funcname, messages))
            yield lineno, funcname, messages, comments
