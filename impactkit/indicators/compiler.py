"""Compiling a parsed expression to narwhals: ``(value, missing)`` expression pairs.

:func:`compile_node` turns the syntax tree of :mod:`impactkit.indicators.parser` into a
:class:`CompiledExpression` for one data schema, so the same definition runs on pandas and
Polars.  Missing values follow the explicit rules of
:mod:`impactkit.indicators.expressions` (arithmetic and comparisons propagate missingness;
``and``/``or``/``not`` use Kleene logic; ``isnull``/``notnull`` are never missing).  Type
clashes (text compared with numbers, arithmetic on text) raise
:class:`~impactkit.errors.DataError` naming the context.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import narwhals as nw
import narwhals.dtypes as nwd

from ..errors import DataError
from .parser import Arith, Cmp, Col, In, Kind, Lit, Logic, Neg, Node, Not, literal_kind


@dataclass(frozen=True)
class CompiledExpression:
    """An expression compiled for one data schema.

    ``value`` is the narwhals expression of the result (its content on missing rows is
    unspecified), ``missing`` a boolean narwhals expression that is never null, and ``kind``
    the result type: ``"bool"``, ``"num"``, ``"str"`` or ``"other"`` (unknown dtype).
    """

    value: nw.Expr
    missing: nw.Expr
    kind: Kind

    def as_condition(self, context: str) -> CompiledExpression:
        """As a never-null boolean (value on missing rows is False): booleans as they are,
        numbers as "not zero".  Text raises :class:`DataError` naming ``context``."""
        if self.kind == "str":
            raise DataError(f"{context}: a condition is needed but the expression gives text")
        if self.kind == "num":
            value = (self.value.fill_null(0) != 0).fill_null(False)
        else:
            value = self.value.fill_null(False).cast(nw.Boolean)
        return CompiledExpression(value, self.missing, "bool")

    def as_number(self, context: str) -> CompiledExpression:
        """As Float64 (booleans become 1.0 / 0.0).  Text raises :class:`DataError`."""
        if self.kind == "str":
            raise DataError(f"{context}: a number is needed but the expression gives text")
        return CompiledExpression(self.value.cast(nw.Float64), self.missing, "num")


def _dtype_kind(dtype: Any) -> Kind:
    if dtype is None:
        return "other"
    if isinstance(dtype, nwd.Boolean):
        return "bool"
    if dtype.is_numeric():
        return "num"
    if isinstance(dtype, nwd.String | nwd.Categorical | nwd.Enum):
        return "str"
    return "other"


_FALSE = nw.lit(False)


class _Compiler:
    def __init__(self, schema: Mapping[str, Any] | None, context: str):
        self.schema = schema
        self.context = context

    def fail(self, message: str) -> DataError:
        return DataError(f"{self.context}: {message}")

    def compile(self, node: Node) -> CompiledExpression:
        if isinstance(node, Col):
            return self.column(node.name)
        if isinstance(node, Lit):
            return CompiledExpression(nw.lit(node.value), _FALSE, literal_kind(node.value))
        if isinstance(node, Not):
            inner = self.as_condition(self.compile(node.operand), "not")
            return CompiledExpression(~inner.value, inner.missing, "bool")
        if isinstance(node, Neg):
            inner = self.as_number(self.compile(node.operand), "-")
            return CompiledExpression(nw.lit(0) - inner.value, inner.missing, "num")
        if isinstance(node, Arith):
            return self.arith(node)
        if isinstance(node, Logic):
            return self.logic(node)
        if isinstance(node, Cmp):
            return self.comparison(node)
        if isinstance(node, In):
            inner = self.compile(node.operand)
            if node.values:
                self.check_comparable(inner.kind, literal_kind(node.values[0]), "in")
            hit = inner.value.is_in(list(node.values)).fill_null(False)
            return CompiledExpression(~hit if node.negate else hit, inner.missing, "bool")
        inner = self.compile(node.operand)  # Null
        return CompiledExpression(~inner.missing if node.negate else inner.missing, _FALSE, "bool")

    def column(self, name: str) -> CompiledExpression:
        col = nw.col(name)
        dtype = None if self.schema is None else self.schema[name]
        missing = col.is_null()
        if dtype is not None and dtype.is_float():
            missing = missing | col.is_nan().fill_null(True)
        return CompiledExpression(col, missing, _dtype_kind(dtype))

    def as_condition(self, c: CompiledExpression, where: str) -> CompiledExpression:
        return c.as_condition(f"{self.context} ({where!r})")

    def as_number(self, c: CompiledExpression, where: str) -> CompiledExpression:
        return c.as_number(f"{self.context} ({where!r})")

    def check_comparable(self, left: Kind, right: Kind, op: str) -> None:
        if "other" in (left, right) or left == right:
            return
        if {left, right} == {"bool", "num"} and op in ("==", "!=", "in"):
            return
        raise self.fail(f"cannot compare {left} with {right} using {op!r}")

    def arith(self, node: Arith) -> CompiledExpression:
        left = self.as_number(self.compile(node.left), node.op)
        right = self.as_number(self.compile(node.right), node.op)
        missing = left.missing | right.missing
        if node.op == "+":
            value = left.value + right.value
        elif node.op == "-":
            value = left.value - right.value
        elif node.op == "*":
            value = left.value * right.value
        else:
            value = left.value / right.value
            missing = missing | (right.value == 0).fill_null(True)
        return CompiledExpression(value, missing, "num")

    def logic(self, node: Logic) -> CompiledExpression:
        """Kleene logic: a known False decides ``and``; a known True decides ``or``."""
        parts = [self.as_condition(self.compile(o), node.op) for o in node.operands]
        value, missing = parts[0].value, parts[0].missing
        for part in parts[1:]:
            if node.op == "and":
                decided = (~missing & ~value) | (~part.missing & ~part.value)
                value = value & part.value
            else:
                decided = (~missing & value) | (~part.missing & part.value)
                value = value | part.value
            missing = (missing | part.missing) & ~decided
        return CompiledExpression(value, missing, "bool")

    def comparison(self, node: Cmp) -> CompiledExpression:
        left = self.compile(node.left)
        right = self.compile(node.right)
        try:
            self.check_comparable(left.kind, right.kind, node.op)
        except DataError:
            hint = _comparison_hint(node, left.kind, right.kind)
            raise self.fail(f"cannot compare using {node.op!r}: {hint}") from None
        lv, rv = left.value, right.value
        if {left.kind, right.kind} == {"bool", "num"}:
            lv, rv = lv.cast(nw.Float64), rv.cast(nw.Float64)
        ops = {
            "==": lambda a, b: a == b,
            "!=": lambda a, b: a != b,
            "<": lambda a, b: a < b,
            "<=": lambda a, b: a <= b,
            ">": lambda a, b: a > b,
            ">=": lambda a, b: a >= b,
        }
        value = ops[node.op](lv, rv).fill_null(False)
        return CompiledExpression(value, left.missing | right.missing, "bool")


def _comparison_hint(node: Cmp, left: Kind, right: Kind) -> str:
    """Say which column holds what, e.g. text compared with a number."""
    words = {"str": "text", "num": "numbers", "bool": "true/false values"}
    for side, kind, other in ((node.left, left, right), (node.right, right, left)):
        if isinstance(side, Col):
            fix = (
                "quote the value it is compared with (e.g. == 'yes') or recode the column"
                if kind == "str"
                else "compare it with a value of the same type"
            )
            return (
                f"column {side.name!r} holds {words.get(kind, kind)} but is compared with "
                f"{words.get(other, other)}; {fix}"
            )
    return f"{words.get(left, left)} compared with {words.get(right, right)}"


def compile_node(node: Node, schema: Mapping[str, Any] | None, context: str) -> CompiledExpression:
    """Compile ``node`` for data with ``schema`` (name -> narwhals dtype, or ``None``)."""
    return _Compiler(schema, context).compile(node)
