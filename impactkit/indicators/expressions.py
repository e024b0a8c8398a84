"""A small, safe expression language for indicator definitions.

Indicator definitions (see :mod:`impactkit.indicators.definitions`) describe *who counts*
and *what is counted* with short expressions over column names, e.g. ``"age >= 15 and
region in ['north', 'east']"``.  :func:`parse` reads such text with :mod:`ast` against a
whitelist (:mod:`impactkit.indicators.parser`) and :meth:`Expression.compile` turns it into
`narwhals <https://narwhals-dev.github.io/narwhals/>`_ expressions
(:mod:`impactkit.indicators.compiler`), so the same definition runs on pandas and Polars.
**Nothing is ever executed as Python**: the text is only parsed, every syntax node is
checked against the grammar below, and anything else raises
:class:`~impactkit.errors.IndicatorDefinitionError` naming the indicator and the offending
text.

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

:func:`impactkit.indicators.compute` counts rows whose outcome is missing in ``n_missing``
instead of silently treating them as 0.  In a condition (``and``/``or``/``not`` or a whole
population or numerator), a boolean column is used as is and a numeric column means "not
zero".

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

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import narwhals as nw
import numpy as np
import pandas as pd

from ..errors import DataError, MissingColumnError
from .compiler import CompiledExpression, compile_node
from .frames import frame_schema, fresh_names, prepare_pandas
from .parser import FUNCTIONS, MAX_LENGTH, Node, parse_tree

__all__ = [
    "FUNCTIONS",
    "MAX_LENGTH",
    "CompiledExpression",
    "Expression",
    "frame_schema",
    "fresh_names",
    "parse",
    "prepare_pandas",
]


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
    _node: Node = field(repr=False, compare=False)

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
        return compile_node(self._node, schema, self.context)

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
    node, columns = parse_tree(text, context)
    return Expression(text=text, context=context, columns=columns, _node=node)
