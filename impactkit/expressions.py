"""A small, safe expression language for indicator definitions.

Indicator definitions (see :mod:`impactkit.indicators`) describe *who counts* and *what is
counted* with short expressions over column names, e.g. ``"age >= 15 and region in
['north', 'east']"``.  This module parses such text with :mod:`ast` against a whitelist and
compiles it to `narwhals <https://narwhals-dev.github.io/narwhals/>`_ expressions, so the
same definition runs on pandas and Polars.  **Nothing is ever executed as Python**: the text
is only parsed, every syntax node is checked against the grammar below, and anything else
raises :class:`~impactkit.errors.IndicatorDefinitionError` naming the indicator and the
offending text.

Grammar
-------
::

    expr    := expr 'or' expr | expr 'and' expr | 'not' expr
             | arith (cmp arith)+                       # chained: 0 <= x < 5
             | arith ['not'] 'in' '[' literal, ... ']'  # also (...) for the list
             | arith
    arith   := arith ('+' | '-' | '*' | '/') arith | '-' arith | '+' arith | '(' expr ')'
             | 'isnull(' expr ')' | 'notnull(' expr ')'
             | column | literal
    cmp     := '==' | '!=' | '<' | '<=' | '>' | '>='
    literal := number | 'string' | "string" | True | False
    column  := a Python identifier (``age``, ``reached_6m``) or any text in backticks
               (```household size```)

Column names that are not Python identifiers are written in backticks: ```my col` > 3``.
Before parsing, each backticked name is replaced by a placeholder identifier (the text is
scanned left to right; backticks inside quoted strings are left alone); the placeholder is
mapped back to the real name afterwards.  A backtick cannot appear inside a column name.

Only ``isnull`` and ``notnull`` may be called, and each takes exactly one argument.
Attribute access, subscripts, other calls, lambdas, comprehensions, f-strings, ``:=``,
``**``, ``//``, ``%``, bit operators, ``is``, ``None`` and the like are all rejected.

Missing values
--------------
A value is *missing* when it is null (``None``, ``pd.NA``, Polars ``null``) or a floating
point NaN.  The rules are explicit and identical on every engine:

* a column reference is missing where the column is missing;
* arithmetic and comparisons are missing if any operand is missing (``x > 3`` is **missing**,
  not ``False``, when ``x`` is missing); ``x / 0`` is missing;
* ``in [...]`` / ``not in [...]`` are missing when the left side is missing;
* ``and`` / ``or`` / ``not`` use three-valued (Kleene) logic, as SQL, R, Polars and pandas'
  nullable booleans do: ``False and <missing>`` is ``False``, ``True or <missing>`` is
  ``True``; otherwise a missing operand makes the result missing;
* ``isnull(e)`` / ``notnull(e)`` are never missing.

:mod:`impactkit.indicators` counts rows whose outcome is missing in ``n_missing`` instead of
silently treating them as 0.  In a condition (``and``/``or``/``not`` or a whole population
or numerator), a boolean column is used as is and a numeric column means "not zero".

Example
-------
>>> import pandas as pd
>>> e = parse("age >= 15 and `has account` == True", context="indicator 'accounts'")
>>> sorted(e.columns)
['age', 'has account']
>>> df = pd.DataFrame({"age": [30, 12, None], "has account": [True, True, True]})
>>> e.evaluate(df).tolist()
[1.0, 0.0, nan]
"""

from __future__ import annotations

import ast
import warnings
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

import narwhals as nw
import narwhals.dtypes as nwd
import numpy as np
import pandas as pd

from .errors import DataError, IndicatorDefinitionError, MissingColumnError

__all__ = [
    "Expression",
    "CompiledExpression",
    "parse",
    "fresh_names",
    "prepare_pandas",
    "frame_schema",
    "FUNCTIONS",
    "MAX_LENGTH",
]

#: The only functions an expression may call.
FUNCTIONS = ("isnull", "notnull")
#: Longest expression text accepted (guards the parser against pathological input).
MAX_LENGTH = 2000

Kind = Literal["bool", "num", "str", "other"]
Scalar = bool | int | float | str


# ---------------------------------------------------------------------------------------
# The intermediate representation: a handful of frozen node types.
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Col:
    name: str


@dataclass(frozen=True)
class _Lit:
    value: Scalar


@dataclass(frozen=True)
class _Not:
    operand: _Node


@dataclass(frozen=True)
class _Neg:
    operand: _Node


@dataclass(frozen=True)
class _Arith:
    op: str  # "+", "-", "*", "/"
    left: _Node
    right: _Node


@dataclass(frozen=True)
class _Logic:
    op: str  # "and", "or"
    operands: tuple[_Node, ...]


@dataclass(frozen=True)
class _Cmp:
    op: str  # "==", "!=", "<", "<=", ">", ">="
    left: _Node
    right: _Node


@dataclass(frozen=True)
class _In:
    operand: _Node
    values: tuple[Scalar, ...]
    negate: bool


@dataclass(frozen=True)
class _Null:
    operand: _Node
    negate: bool  # True for notnull


_Node = _Col | _Lit | _Not | _Neg | _Arith | _Logic | _Cmp | _In | _Null

_ARITH = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/"}
_CMP = {ast.Eq: "==", ast.NotEq: "!=", ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">="}


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


@dataclass(frozen=True)
class Expression:
    """A parsed, validated expression.  Create it with :func:`parse`.

    Attributes
    ----------
    text
        The expression as written.
    context
        Who it belongs to, e.g. ``"indicator 'reach', key 'numerator'"`` (used in errors).
    columns
        The column names it references.
    """

    text: str
    context: str
    columns: frozenset[str]
    _node: _Node = field(repr=False, compare=False)

    def compile(self, schema: Mapping[str, Any] | None = None) -> CompiledExpression:
        """Compile to narwhals expressions for data with ``schema`` (name -> narwhals dtype).

        With a schema, missing columns raise :class:`MissingColumnError`, float columns are
        also checked for NaN, and type clashes (text compared with numbers, arithmetic on
        text) raise :class:`DataError`.  Without one, dtypes are unknown.
        """
        if schema is not None:
            for col in sorted(self.columns):
                if col not in schema:
                    raise MissingColumnError(col, list(schema), self.context)
        return _Compiler(schema, self.context).compile(self._node)

    def to_narwhals(self, schema: Mapping[str, Any] | None = None) -> nw.Expr:
        """One narwhals expression: null where missing; conditions give 1.0 / 0.0.

        Numbers and conditions are returned as Float64; text as is.
        """
        c = self.compile(schema)
        value = c.value if c.kind in ("str", "other") else c.value.cast(nw.Float64)
        return nw.when(~c.missing).then(value)

    def evaluate(self, frame: Any) -> pd.Series:
        """Evaluate on a pandas (or Polars) data frame; returns a pandas Series.

        Numbers and conditions come back as float (conditions as 1.0 / 0.0) with NaN where
        the result is missing.  For a pandas input the index is kept.  The input is not
        modified.
        """
        try:
            nw_frame = nw.from_native(prepare_pandas(frame, self.columns), eager_only=True)
        except TypeError:
            raise DataError(
                f"{self.context}: expected a pandas or Polars data frame, got "
                f"{type(frame).__name__}"
            ) from None
        schema = dict(nw_frame.collect_schema())
        c = self.compile(schema)
        value_name, missing_name = fresh_names(schema, "value", "missing")
        # with_columns (not select) so that a constant expression is broadcast to every row
        out = (
            nw_frame.with_columns(
                (c.value if c.kind in ("str", "other") else c.value.cast(nw.Float64)).alias(
                    value_name
                ),
                c.missing.alias(missing_name),
            )
            .select(value_name, missing_name)
            .to_pandas()
        )
        missing = out[missing_name].to_numpy(dtype=bool)
        if c.kind in ("str", "other"):
            values = out[value_name].astype(object).where(~missing, None)
        else:
            arr = out[value_name].to_numpy(dtype=float, na_value=np.nan)
            values = pd.Series(np.where(missing, np.nan, arr))
        index = frame.index if isinstance(frame, pd.DataFrame) else None
        return pd.Series(values.to_numpy(), index=index, name=self.text)


def parse(text: str, *, context: str = "expression") -> Expression:
    """Parse and validate ``text`` against the grammar in the module docstring.

    Parameters
    ----------
    text
        The expression, e.g. ``"reached and months_since_contact >= 6"``.
    context
        Used in error messages, e.g. ``"indicator 'reach', key 'numerator'"``.

    Raises
    ------
    IndicatorDefinitionError
        If the text is not valid Python syntax or uses anything outside the grammar; the
        message names ``context`` and quotes the offending text.

    Examples
    --------
    >>> sorted(parse("0 <= score < 5 or isnull(score)", context="demo").columns)
    ['score']
    >>> parse("x.__class__", context="demo")
    Traceback (most recent call last):
    ...
    impactkit.errors.IndicatorDefinitionError: demo: 'x.__class__' is not allowed \
(attribute access); ...
    """
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
    source, names = _replace_backticks(text, context)
    try:
        with warnings.catch_warnings():  # e.g. "invalid decimal literal" for 1and
            warnings.simplefilter("ignore", SyntaxWarning)
            tree = ast.parse(source.strip(), mode="eval")
    except (SyntaxError, ValueError, RecursionError, MemoryError) as exc:
        detail = getattr(exc, "msg", None) or type(exc).__name__
        raise IndicatorDefinitionError(
            f"{context}: {text!r} is not a valid expression ({detail}); see the grammar in "
            "impactkit.expressions"
        ) from None
    builder = _Builder(source.strip(), names, context)
    try:
        node = builder.build(tree.body)
    except RecursionError:
        raise IndicatorDefinitionError(f"{context}: {text!r} is nested too deeply") from None
    return Expression(text=text, context=context, columns=frozenset(builder.columns), _node=node)


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
            f"{self.context}: {self.snippet(node)!r} is not allowed ({why}); expressions may "
            "use column names, numbers, strings, True/False, comparisons, and/or/not, "
            "+ - * /, in [...], isnull() and notnull()"
        )

    def build(self, node: ast.AST) -> _Node:
        if isinstance(node, ast.Name):
            name = self.names.get(node.id, node.id)
            if node.id not in self.names and name in FUNCTIONS:
                raise self.reject(node, f"{name} must be called, e.g. {name}(column)")
            self.columns.add(name)
            return _Col(name)
        if isinstance(node, ast.Constant):
            return _Lit(self.literal(node))
        if isinstance(node, ast.BoolOp):
            op = "and" if isinstance(node.op, ast.And) else "or"
            return _Logic(op, tuple(self.build(v) for v in node.values))
        if isinstance(node, ast.UnaryOp):
            operand = self.build(node.operand)
            if isinstance(node.op, ast.Not):
                return _Not(operand)
            if isinstance(node.op, ast.USub):
                return _Neg(operand)
            if isinstance(node.op, ast.UAdd):
                return operand
            raise self.reject(node, "the operator ~ is not part of the grammar; use not")
        if isinstance(node, ast.BinOp):
            arith = _ARITH.get(type(node.op))
            if arith is None:
                raise self.reject(node, "only + - * / are allowed")
            return _Arith(arith, self.build(node.left), self.build(node.right))
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
            return value
        if value is None:
            raise self.reject(node, "None is not allowed; use isnull(column)")
        raise self.reject(node, f"{type(value).__name__} literals are not allowed")

    def compare(self, node: ast.Compare) -> _Node:
        parts: list[_Node] = []
        left_ast = node.left
        left = self.build(left_ast)
        for op_ast, right_ast in zip(node.ops, node.comparators, strict=True):
            if isinstance(op_ast, ast.In | ast.NotIn):
                if len(node.ops) > 1:
                    raise self.reject(node, "in [...] cannot be chained with other comparisons")
                values = self.literal_list(right_ast)
                parts.append(_In(left, values, negate=isinstance(op_ast, ast.NotIn)))
                break
            op = _CMP.get(type(op_ast))
            if op is None:
                raise self.reject(node, "'is' / 'is not' are not allowed; use == or isnull()")
            right = self.build(right_ast)
            parts.append(_Cmp(op, left, right))
            left = right
        return parts[0] if len(parts) == 1 else _Logic("and", tuple(parts))

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
        kinds = {_literal_kind(v) for v in values}
        if len(kinds) > 1:
            raise self.reject(node, "a list must not mix text with numbers or booleans")
        return tuple(values)

    def call(self, node: ast.Call) -> _Node:
        func = node.func
        if not isinstance(func, ast.Name) or func.id not in FUNCTIONS:
            raise self.reject(node, f"only {', '.join(FUNCTIONS)} may be called")
        if node.keywords or len(node.args) != 1 or isinstance(node.args[0], ast.Starred):
            raise self.reject(node, f"{func.id}() takes exactly one argument")
        return _Null(self.build(node.args[0]), negate=func.id == "notnull")


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


def _literal_kind(value: Scalar) -> Kind:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int | float):
        return "num"
    return "str"


# ---------------------------------------------------------------------------------------
# Compiling: IR -> (value, missing) narwhals expressions.
# ---------------------------------------------------------------------------------------


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

    def compile(self, node: _Node) -> CompiledExpression:
        if isinstance(node, _Col):
            return self.column(node.name)
        if isinstance(node, _Lit):
            return CompiledExpression(nw.lit(node.value), _FALSE, _literal_kind(node.value))
        if isinstance(node, _Not):
            inner = self.as_condition(self.compile(node.operand), "not")
            return CompiledExpression(~inner.value, inner.missing, "bool")
        if isinstance(node, _Neg):
            inner = self.as_number(self.compile(node.operand), "-")
            return CompiledExpression(nw.lit(0) - inner.value, inner.missing, "num")
        if isinstance(node, _Arith):
            return self.arith(node)
        if isinstance(node, _Logic):
            return self.logic(node)
        if isinstance(node, _Cmp):
            return self.comparison(node)
        if isinstance(node, _In):
            inner = self.compile(node.operand)
            if node.values:
                self.check_comparable(inner.kind, _literal_kind(node.values[0]), "in")
            hit = inner.value.is_in(list(node.values)).fill_null(False)
            return CompiledExpression(~hit if node.negate else hit, inner.missing, "bool")
        inner = self.compile(node.operand)  # _Null
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

    def arith(self, node: _Arith) -> CompiledExpression:
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

    def logic(self, node: _Logic) -> CompiledExpression:
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

    def comparison(self, node: _Cmp) -> CompiledExpression:
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


def _comparison_hint(node: _Cmp, left: Kind, right: Kind) -> str:
    """Say which column holds what, e.g. text compared with a number."""
    words = {"str": "text", "num": "numbers", "bool": "true/false values"}
    for side, kind, other in ((node.left, left, right), (node.right, right, left)):
        if isinstance(side, _Col):
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


def fresh_names(existing: Any, *bases: str) -> list[str]:
    """Column names ``_ik_<base>`` that do not clash with ``existing`` names."""
    taken = {str(c) for c in existing}
    prefix = "_ik_"
    while any(f"{prefix}{b}" in taken for b in bases):
        prefix += "_"
    return [f"{prefix}{b}" for b in bases]


def prepare_pandas(frame: Any, columns: Iterable[str]) -> Any:
    """Give pandas ``object`` columns among ``columns`` a precise dtype (on a copy).

    pandas stores booleans with missing values, and numbers mixed with ``None``, as
    ``object``; narwhals cannot tell their type.  Columns whose non-missing values are all
    booleans become nullable ``"boolean"``, all numbers become ``float64`` (missing -> NaN),
    all text becomes pandas' string dtype.  Other inputs are returned unchanged.
    """
    if not isinstance(frame, pd.DataFrame):
        return frame
    changes: dict[str, pd.Series] = {}
    for col in columns:
        if col not in frame.columns or frame[col].dtype != object:
            continue
        series = frame[col]
        inferred = pd.api.types.infer_dtype(series, skipna=True)
        if inferred == "boolean":
            changes[col] = series.astype("boolean")
        elif inferred in ("integer", "floating", "mixed-integer-float", "decimal"):
            changes[col] = pd.to_numeric(series).astype(float)
        elif inferred == "string":
            changes[col] = series.astype("str")
    if not changes:
        return frame
    out = frame.copy(deep=False)
    for col, series in changes.items():
        out[col] = series
    return out


def frame_schema(frame: Any) -> dict[str, Any]:
    """The narwhals schema (name -> dtype) of a pandas/Polars frame or LazyFrame."""
    try:
        return dict(nw.from_native(frame).collect_schema())
    except TypeError:
        raise DataError(f"expected a data frame, got {type(frame).__name__}") from None
