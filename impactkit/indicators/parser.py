"""Parsing the indicator expression language: text -> a small, validated syntax tree.

The grammar is documented in :mod:`impactkit.indicators.expressions`.  Text is parsed with
:mod:`ast` (never executed) and every node is checked against a whitelist; anything else
raises :class:`~impactkit.errors.IndicatorDefinitionError` naming the context and quoting
the offending text.  The result is a tree of the frozen node types below, which
:mod:`impactkit.indicators.compiler` turns into narwhals expressions.
"""

from __future__ import annotations

import ast
import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

import numpy as np

from ..errors import IndicatorDefinitionError

#: The only functions an expression may call.
FUNCTIONS = ("isnull", "notnull")
#: Longest expression text accepted (guards the parser against pathological input).
MAX_LENGTH = 2000
#: Deepest syntax tree accepted (the compile step recurses once per level).
MAX_DEPTH = 100
#: Largest whole number a literal may be (a 64-bit integer, what the data can hold).
MAX_INT = 2**63 - 1

Kind = Literal["bool", "num", "str", "other"]
Scalar = bool | int | float | str


# ---------------------------------------------------------------------------------------
# The intermediate representation: a handful of frozen node types.
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Col:
    name: str


@dataclass(frozen=True)
class Lit:
    value: Scalar


@dataclass(frozen=True)
class Not:
    operand: Node


@dataclass(frozen=True)
class Neg:
    operand: Node


@dataclass(frozen=True)
class Arith:
    op: str  # "+", "-", "*", "/"
    left: Node
    right: Node


@dataclass(frozen=True)
class Logic:
    op: str  # "and", "or"
    operands: tuple[Node, ...]


@dataclass(frozen=True)
class Cmp:
    op: str  # "==", "!=", "<", "<=", ">", ">="
    left: Node
    right: Node


@dataclass(frozen=True)
class In:
    operand: Node
    values: tuple[Scalar, ...]
    negate: bool


@dataclass(frozen=True)
class Null:
    operand: Node
    negate: bool  # True for notnull


Node = Col | Lit | Not | Neg | Arith | Logic | Cmp | In | Null

_ARITH = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/"}
_CMP = {
    ast.Eq: "==",
    ast.NotEq: "!=",
    ast.Lt: "<",
    ast.LtE: "<=",
    ast.Gt: ">",
    ast.GtE: ">=",
}


def parse_tree(text: str, context: str) -> tuple[Node, frozenset[str]]:
    """Parse ``text`` into the syntax tree and the set of column names it references.

    Raises :class:`IndicatorDefinitionError` naming ``context`` for text that is not a
    string, empty, longer than :data:`MAX_LENGTH`, not valid syntax, or outside the grammar.
    """
    _check_text(text, context)
    source, names = _replace_backticks(text, context)
    try:
        with warnings.catch_warnings():  # e.g. "invalid decimal literal" for 1and
            warnings.simplefilter("ignore", SyntaxWarning)
            tree = ast.parse(source.strip(), mode="eval")
    except (SyntaxError, ValueError, RecursionError, MemoryError) as exc:
        detail = getattr(exc, "msg", None) or type(exc).__name__
        raise IndicatorDefinitionError(
            f"{context}: {_cut(text)!r} is not a valid expression ({detail}); see the grammar in "
            "impactkit.indicators.expressions"
        ) from None
    builder = _Builder(source.strip(), names, context)
    short = text if len(text) <= 120 else text[:120] + "..."
    if _depth(tree.body) > MAX_DEPTH:
        raise IndicatorDefinitionError(
            f"{context}: {short!r} is nested too deeply (more than {MAX_DEPTH} levels of "
            "operators or brackets)"
        )
    try:
        node = builder.build(tree.body)
    except RecursionError:
        raise IndicatorDefinitionError(f"{context}: {short!r} is nested too deeply") from None
    _check_names(builder.columns, names, source, context)
    return node, frozenset(builder.columns)


def _cut(text: str, limit: int = 160) -> str:
    return text if len(text) <= limit else f"{text[:limit]}... ({len(text)} characters)"


def _depth(root: ast.AST) -> int:
    """Depth of the syntax tree, counted without recursion."""
    deepest, stack = 0, [(root, 1)]
    while stack:
        node, depth = stack.pop()
        deepest = max(deepest, depth)
        if deepest > MAX_DEPTH:
            break
        stack.extend((child, depth + 1) for child in ast.iter_child_nodes(node))
    return deepest


def _check_names(
    columns: set[str], backticked: Mapping[str, str], source: str, context: str
) -> None:
    """Python folds identifiers to Unicode NFKC (fullwidth letters, ligatures), so
    ``ｆuel`` would silently read the column ``fuel``: refuse a name not written as read."""
    plain = set(columns) - set(backticked.values())
    for name in sorted(plain):
        if source.isascii() or name in source:
            continue
        raise IndicatorDefinitionError(
            f"{context}: a column name in {source[:120]!r} is written with Unicode "
            f"compatibility characters (fullwidth letters or ligatures) and would be read as "
            f"{name!r}; write the name as the data spell it, in backticks: `name`"
        )


def _check_text(text: object, context: str) -> None:
    if not isinstance(text, str):
        raise IndicatorDefinitionError(
            f"{context}: an expression must be text, got {type(text).__name__} {text!r}"
        )
    if not text.strip():
        raise IndicatorDefinitionError(f"{context}: the expression is empty")
    if len(text) > MAX_LENGTH:
        raise IndicatorDefinitionError(
            f"{context}: the expression is {len(text)} characters long; at most {MAX_LENGTH} "
            "are allowed"
        )


# ---------------------------------------------------------------------------------------
# Parsing: backticks, then ast -> IR with a whitelist.
# ---------------------------------------------------------------------------------------


def _replace_backticks(text: str, context: str) -> tuple[str, dict[str, str]]:
    """Replace each ```name``` with a fresh identifier; return the new text and the map."""
    if "`" not in text:
        return text, {}
    prefix = "_ik_col"
    while prefix in text:
        prefix += "_"
    out: list[str] = []
    names: dict[str, str] = {}
    i, quote = 0, ""
    while i < len(text):
        ch = text[i]
        if quote:
            out.append(ch)
            if ch == "\\" and i + 1 < len(text):
                out.append(text[i + 1])
                i += 1
            elif ch == quote:
                quote = ""
        elif ch in "'\"":
            quote = ch
            out.append(ch)
        elif ch == "`":
            end = text.find("`", i + 1)
            if end == -1:
                raise IndicatorDefinitionError(
                    f"{context}: unmatched backtick in {text!r}; quote column names as `name`"
                )
            name = text[i + 1 : end]
            if not name:
                raise IndicatorDefinitionError(f"{context}: empty column name `` in {text!r}")
            placeholder = f"{prefix}{len(names)}_"
            names[placeholder] = name
            out.append(f" {placeholder} ")
            i = end
        else:
            out.append(ch)
        i += 1
    return "".join(out), names


class _Builder:
    """Turn a Python ``ast`` into the IR, rejecting every node outside the grammar."""

    def __init__(self, source: str, names: Mapping[str, str], context: str):
        self.source = source
        self.names = names
        self.context = context
        self.columns: set[str] = set()

    def snippet(self, node: ast.AST) -> str:
        text = ast.get_source_segment(self.source, node) or ast.dump(node)
        for placeholder, name in self.names.items():
            text = text.replace(f" {placeholder} ", f"`{name}`").replace(placeholder, name)
        return text.strip()

    def reject(self, node: ast.AST, why: str) -> IndicatorDefinitionError:
        return IndicatorDefinitionError(
            f"{self.context}: {_cut(self.snippet(node))!r} is not allowed ({why}); expressions may "
            "use column names, numbers, strings, True/False, comparisons, and/or/not, "
            "+ - * /, in [...], isnull() and notnull()"
        )

    def build(self, node: ast.AST) -> Node:
        if isinstance(node, ast.Name):
            name = self.names.get(node.id, node.id)
            if node.id not in self.names and name in FUNCTIONS:
                raise self.reject(node, f"{name} must be called, e.g. {name}(column)")
            self.columns.add(name)
            return Col(name)
        if isinstance(node, ast.Constant):
            return Lit(self.literal(node))
        if isinstance(node, ast.BoolOp):
            op = "and" if isinstance(node.op, ast.And) else "or"
            return Logic(op, tuple(self.build(v) for v in node.values))
        if isinstance(node, ast.UnaryOp):
            operand = self.build(node.operand)
            if isinstance(node.op, ast.Not):
                return Not(operand)
            if isinstance(node.op, ast.USub):
                return Neg(operand)
            if isinstance(node.op, ast.UAdd):
                return operand
            raise self.reject(node, "the operator ~ is not part of the grammar; use not")
        if isinstance(node, ast.BinOp):
            arith = _ARITH.get(type(node.op))
            if arith is None:
                raise self.reject(node, "only + - * / are allowed")
            return Arith(arith, self.build(node.left), self.build(node.right))
        if isinstance(node, ast.Compare):
            return self.compare(node)
        if isinstance(node, ast.Call):
            return self.call(node)
        raise self.reject(node, _describe(node))

    def literal(self, node: ast.Constant) -> Scalar:
        value = node.value
        if isinstance(value, bool | int | float | str):
            if isinstance(value, float) and not np.isfinite(value):
                raise self.reject(node, "numbers must be finite")
            if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_INT:
                raise self.reject(node, f"whole numbers must be at most {MAX_INT:.3g}")
            return value
        if value is None:
            raise self.reject(node, "None is not allowed; use isnull(column)")
        raise self.reject(node, f"{type(value).__name__} literals are not allowed")

    def compare(self, node: ast.Compare) -> Node:
        parts: list[Node] = []
        left_ast = node.left
        left = self.build(left_ast)
        for op_ast, right_ast in zip(node.ops, node.comparators, strict=True):
            if isinstance(op_ast, ast.In | ast.NotIn):
                if len(node.ops) > 1:
                    raise self.reject(node, "in [...] cannot be chained with other comparisons")
                values = self.literal_list(right_ast)
                parts.append(In(left, values, negate=isinstance(op_ast, ast.NotIn)))
                break
            op = _CMP.get(type(op_ast))
            if op is None:
                raise self.reject(node, "'is' / 'is not' are not allowed; use == or isnull()")
            right = self.build(right_ast)
            parts.append(Cmp(op, left, right))
            left = right
        return parts[0] if len(parts) == 1 else Logic("and", tuple(parts))

    def literal_list(self, node: ast.AST) -> tuple[Scalar, ...]:
        if not isinstance(node, ast.List | ast.Tuple):
            raise self.reject(node, "the right side of 'in' must be a list of literals [...]")
        values: list[Scalar] = []
        for elt in node.elts:
            if isinstance(elt, ast.Constant):
                values.append(self.literal(elt))
            elif (
                isinstance(elt, ast.UnaryOp)
                and isinstance(elt.op, ast.USub | ast.UAdd)
                and isinstance(elt.operand, ast.Constant)
                and isinstance(elt.operand.value, int | float)
                and not isinstance(elt.operand.value, bool)
            ):
                number = self.literal(elt.operand)
                assert isinstance(number, int | float)
                values.append(-number if isinstance(elt.op, ast.USub) else number)
            else:
                raise self.reject(elt, "list items must be numbers, strings, True or False")
        kinds = {literal_kind(v) for v in values}
        if len(kinds) > 1:
            raise self.reject(node, "a list must not mix text with numbers or booleans")
        return tuple(values)

    def call(self, node: ast.Call) -> Node:
        func = node.func
        if not isinstance(func, ast.Name) or func.id not in FUNCTIONS:
            raise self.reject(node, f"only {', '.join(FUNCTIONS)} may be called")
        if node.keywords or len(node.args) != 1 or isinstance(node.args[0], ast.Starred):
            raise self.reject(node, f"{func.id}() takes exactly one argument")
        return Null(self.build(node.args[0]), negate=func.id == "notnull")


def _describe(node: ast.AST) -> str:
    names = {
        ast.Attribute: "attribute access",
        ast.Subscript: "subscripts",
        ast.Lambda: "lambda",
        ast.ListComp: "comprehensions",
        ast.SetComp: "comprehensions",
        ast.DictComp: "comprehensions",
        ast.GeneratorExp: "comprehensions",
        ast.JoinedStr: "f-strings",
        ast.NamedExpr: "the walrus operator :=",
        ast.IfExp: "conditional expressions",
        ast.Starred: "starred expressions",
        ast.Await: "await",
        ast.Yield: "yield",
        ast.Dict: "dict literals",
        ast.Set: "set literals",
        ast.List: "a list outside 'in [...]'",
        ast.Tuple: "a tuple outside 'in (...)'",
        ast.Slice: "slices",
    }
    return names.get(type(node), f"{type(node).__name__} is not part of the grammar")


def literal_kind(value: Scalar) -> Kind:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int | float):
        return "num"
    return "str"
