"""Tests for impactkit.indicators.expressions: the whitelist grammar, missing values, engines."""

from __future__ import annotations

import ast
from collections.abc import Sequence

import numpy as np
import pandas as pd
import polars as pl
import pytest
from _guards import no_eval
from hypothesis import given
from hypothesis import strategies as st

from impactkit.errors import DataError, IndicatorDefinitionError, MissingColumnError
from impactkit.indicators.expressions import frame_schema, parse

CTX = "indicator 'demo', key 'numerator'"


@pytest.fixture
def frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "a": [1.0, np.nan, 3.0, 5.0, -2.0],
            "b": pd.array([True, None, False, True, False], dtype="boolean"),
            "s": pd.array(["x", "y", None, "x", "z"], dtype="str"),
            "i": [0, 1, 2, 3, 4],
            "my col": [10, 20, 30, 40, 50],
        }
    )


def ev(text: str, data: pd.DataFrame) -> list[float]:
    return parse(text, context=CTX).evaluate(data).tolist()


def same(got: Sequence[float], expected: Sequence[float | None]) -> bool:
    exp = [np.nan if e is None else float(e) for e in expected]
    return bool(np.allclose(np.asarray(got, dtype=float), exp, equal_nan=True))


# ------------------------------------------------------------------ the grammar -----------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("a > 2", [0, None, 1, 1, 0]),
        ("a + i * 2", [1, None, 7, 11, 6]),
        ("a / i", [None, None, 1.5, 5 / 3, -0.5]),  # x / 0 is missing
        ("-a", [-1, None, -3, -5, 2]),
        ("0 <= a < 4", [1, None, 1, 0, 0]),
        ("s in ['x', 'z']", [1, 1 - 1, None, 1, 1]),
        ("s not in ('x',)", [0, 1, None, 0, 1]),
        ("i in [-1, 3]", [0, 0, 0, 1, 0]),
        ("isnull(a)", [0, 1, 0, 0, 0]),
        ("notnull(s) and i > 0", [0, 1, 0, 1, 1]),
        ("`my col` >= 30", [0, 0, 1, 1, 1]),
        ("True", [1, 1, 1, 1, 1]),
        ("2.5", [2.5] * 5),
        ("i", [0, 1, 2, 3, 4]),
        ("b == True", [1, None, 0, 1, 0]),
        ("s == 'x'", [1, 0, None, 1, 0]),
        ("not (a > 2)", [1, None, 0, 0, 1]),
    ],
)
def test_grammar_examples(frame: pd.DataFrame, text: str, expected: list[float | None]) -> None:
    assert same(ev(text, frame), expected), ev(text, frame)


def test_columns_are_collected() -> None:
    e = parse("`my col` > 1 and isnull(b) or c in [1, 2] and d / e", context=CTX)
    assert e.columns == {"my col", "b", "c", "d", "e"}


def test_backticks_inside_strings_are_text(frame: pd.DataFrame) -> None:
    df = frame.assign(s=pd.array(["a`b", "x", None, "a`b", "z"], dtype="str"))
    assert parse("s == 'a`b'", context=CTX).columns == {"s"}
    assert same(ev("s == 'a`b'", df), [1, 0, None, 1, 0])


def test_backtick_placeholder_cannot_collide() -> None:
    df = pd.DataFrame({"_ik_col0_": [1, 2], "x y": [10, 20]})
    e = parse("_ik_col0_ + `x y`", context=CTX)
    assert e.columns == {"_ik_col0_", "x y"}
    assert e.evaluate(df).tolist() == [11.0, 22.0]


def test_backticks_allow_keywords_and_function_names_as_columns() -> None:
    df = pd.DataFrame({"isnull": [1.0, None], "class": [2.0, 3.0]})
    e = parse("`isnull` + `class`", context=CTX)
    assert e.columns == {"isnull", "class"}
    assert same(e.evaluate(df).tolist(), [3.0, None])


@pytest.mark.parametrize("text", ["`a", "a + ``", "`a` + `b"])
def test_bad_backticks(text: str) -> None:
    with pytest.raises(IndicatorDefinitionError, match="indicator 'demo'"):
        parse(text, context=CTX)


# ------------------------------------------------------------------ missing values --------

TRI = [True, False, None]


@pytest.mark.parametrize("op", ["and", "or"])
def test_kleene_logic_matches_pandas_nullable_booleans(op: str) -> None:
    """Three-valued logic checked against pandas' own Kleene implementation."""
    pairs = [(x, y) for x in TRI for y in TRI]
    df = pd.DataFrame(
        {
            "p": pd.array([x for x, _ in pairs], dtype="boolean"),
            "q": pd.array([y for _, y in pairs], dtype="boolean"),
        }
    )
    expected = (df["p"] & df["q"]) if op == "and" else (df["p"] | df["q"])
    got = ev(f"p {op} q", df)
    assert same(got, [None if pd.isna(v) else float(v) for v in expected])
    for engine in (pl.from_pandas(df),):
        assert same(parse(f"p {op} q", context=CTX).evaluate(engine).tolist(), got)


def test_not_of_missing_is_missing() -> None:
    df = pd.DataFrame({"p": pd.array([True, False, None], dtype="boolean")})
    assert same(ev("not p", df), [0, 1, None])


def test_comparison_on_missing_is_missing_not_false(frame: pd.DataFrame) -> None:
    out = parse("a < 100", context=CTX).evaluate(frame)
    assert np.isnan(out.iloc[1])  # a is NaN there: not False
    assert (out.drop(index=1) == 1.0).all()


def test_object_booleans_with_none_keep_missing() -> None:
    df = pd.DataFrame({"flag": [True, None, False]})
    assert df["flag"].dtype == object
    assert same(ev("flag", df), [1, None, 0])
    assert same(ev("not flag", df), [0, None, 1])


def test_polars_nan_and_null_are_both_missing() -> None:
    df = pl.DataFrame({"x": [1.0, None, float("nan"), 4.0]})
    assert same(parse("x > 2", context=CTX).evaluate(df).tolist(), [0, None, None, 1])


# ------------------------------------------------------------------ rejection -------------

MALICIOUS = [
    ("__import__('os').system('x')", "__import__('os').system('x')"),
    ("a.__class__", "a.__class__"),
    ("x[0]", "x[0]"),
    ("lambda: 1", "lambda: 1"),
    ("open('f')", "open('f')"),
    ("[c for c in a]", "[c for c in a]"),
    ("f'{a}'", "f'{a}'"),
    ("(y := 1)", "y := 1"),
    ("a ** 2", "a ** 2"),
    ("a // 2", "a // 2"),
    ("a % 2", "a % 2"),
    ("a is None", "a is None"),
    ("None", "None"),
    ("~a", "~a"),
    ("a if b else c", "a if b else c"),
    ("{'k': 1}", "{'k': 1}"),
    ("isnull(a, b)", "isnull(a, b)"),
    ("isnull(x=a)", "isnull(x=a)"),
    ("a in b", "b"),
    ("a in [b]", "b"),
    ("a and eval('1')", "eval('1')"),
    ("().__class__.__bases__[0].__subclasses__()", "().__class__.__bases__[0].__subclasses__()"),
    ("b'x' == a", "b'x'"),
    ("a & b", "a & b"),
    ("a == 1j", "1j"),
]


@pytest.mark.parametrize("text, offending", MALICIOUS)
def test_malicious_text_is_rejected_with_the_offending_text(text: str, offending: str) -> None:
    with pytest.raises(IndicatorDefinitionError) as info:
        parse(text, context=CTX)
    message = str(info.value)
    assert "indicator 'demo'" in message
    assert repr(offending) in message or offending in message


@pytest.mark.parametrize("text", ["", "   ", "a >", "a +* b", "a\x00", "(" * 300 + "a" + ")" * 300])
def test_syntax_errors_and_pathological_input(text: str) -> None:
    with pytest.raises(IndicatorDefinitionError, match="indicator 'demo'"):
        parse(text, context=CTX)


def test_overlong_text_is_rejected() -> None:
    with pytest.raises(IndicatorDefinitionError, match="characters long"):
        parse(" or ".join(["a > 1"] * 500), context=CTX)


def test_non_text_is_rejected() -> None:
    with pytest.raises(IndicatorDefinitionError, match="must be text"):
        parse(3, context=CTX)  # type: ignore[arg-type]


identifiers = st.from_regex(r"[a-z_][a-z0-9_]{0,6}", fullmatch=True)
safe_parts = st.sampled_from(["x > 1", "y", "isnull(z)", "a + 1 < b", "s in ['p']", "True"])


@st.composite
def forbidden_fragments(draw: st.DrawFn) -> str:
    a, b = draw(identifiers), draw(identifiers)
    fragment = draw(
        st.sampled_from(
            [
                f"{a}.{b}",
                f"{a}({b})",
                f"{a}[{b}]",
                f"{a}[0]",
                f"lambda {a}: {b}",
                f"[{a} for {a} in {b}]",
                f"{{{a} for {a} in {b}}}",
                f"({a} := {b})",
                f"f'{{{a}}}'",
                f"{a} ** {b}",
                f"{a} if {b} else 0",
                f"{a}.{b}({a})",
                f"isnull({a}).{b}",
                f"notnull({a})[0]",
            ]
        )
    )
    if fragment.split("(")[0] in ("isnull", "notnull") and fragment.count("(") == 1:
        fragment = f"{a}.{b}"
    return fragment


@given(fragment=forbidden_fragments(), safe=safe_parts, joiner=st.sampled_from([" and ", " or "]))
def test_generated_forbidden_constructs_are_rejected(fragment: str, safe: str, joiner: str) -> None:
    with pytest.raises(IndicatorDefinitionError):
        parse(safe + joiner + fragment, context=CTX)


ALLOWED_NODES = (
    ast.Expression,
    ast.BoolOp,
    ast.And,
    ast.Or,
    ast.UnaryOp,
    ast.Not,
    ast.USub,
    ast.UAdd,
    ast.BinOp,
    ast.Add,
    ast.Sub,
    ast.Mult,
    ast.Div,
    ast.Compare,
    ast.Eq,
    ast.NotEq,
    ast.Lt,
    ast.LtE,
    ast.Gt,
    ast.GtE,
    ast.In,
    ast.NotIn,
    ast.Name,
    ast.Load,
    ast.Constant,
    ast.List,
    ast.Tuple,
    ast.Call,
)


def _independently_safe(text: str) -> bool:
    """Check the Python AST of ``text`` against the documented whitelist (no impactkit code)."""
    tree = ast.parse(text.strip(), mode="eval")
    for node in ast.walk(tree):
        if not isinstance(node, ALLOWED_NODES):
            return False
        if isinstance(node, ast.Call):
            if not (isinstance(node.func, ast.Name) and node.func.id in ("isnull", "notnull")):
                return False
    return True


@given(
    text=st.lists(
        st.sampled_from(list("abxy_01.()[]{}:=+-*/%<>!~&|'\" ,") + ["lambda ", " and ", "isnull"]),
        max_size=30,
    ).map("".join)
)
def test_random_text_either_parses_within_the_whitelist_or_is_rejected(text: str) -> None:
    try:
        with no_eval():
            parse(text, context=CTX)
    except IndicatorDefinitionError:
        return
    assert _independently_safe(text), text


@given(
    tree=st.recursive(
        st.sampled_from(["a", "b", "1", "'s'", "True", "x.y", "f(a)", "a[0]", "isnull(a)"]),
        lambda inner: st.one_of(
            st.tuples(inner, st.sampled_from([" + ", " and ", " < ", " ** ", " or "]), inner).map(
                lambda t: f"({t[0]}{t[1]}{t[2]})"
            ),
            inner.map(lambda e: f"(not {e})"),
            inner.map(lambda e: f"notnull({e})"),
        ),
        max_leaves=8,
    )
)
def test_random_expression_trees(tree: str) -> None:
    forbidden = any(tok in tree for tok in ("x.y", "f(a)", "a[0]", " ** "))
    with no_eval():
        if forbidden:
            with pytest.raises(IndicatorDefinitionError):
                parse(tree, context=CTX)
        else:
            e = parse(tree, context=CTX)
            assert e.columns <= {"a", "b"}
            try:
                out = e.evaluate(pd.DataFrame({"a": [1.0, None], "b": [True, False]}))
            except DataError as exc:  # a type clash such as not 's' is reported, not executed
                assert "text" in str(exc) or "compare" in str(exc)
            else:
                assert len(out) == 2


# ------------------------------------------------------------------ data errors -----------


def test_missing_column_names_indicator_column_and_available(frame: pd.DataFrame) -> None:
    e = parse("reached and a > 1", context=CTX)
    with pytest.raises(MissingColumnError) as info:
        e.evaluate(frame)
    msg = str(info.value)
    assert "indicator 'demo'" in msg and "'reached'" in msg and "'my col'" in msg
    assert info.value.column == "reached"


@pytest.mark.parametrize("text", ["s > 1", "s + 1", "a == 'x'", "not s", "i in ['x']"])
def test_type_clashes_are_data_errors(frame: pd.DataFrame, text: str) -> None:
    with pytest.raises(DataError, match="indicator 'demo'"):
        parse(text, context=CTX).evaluate(frame)


def test_list_mixing_text_and_numbers_is_rejected() -> None:
    with pytest.raises(IndicatorDefinitionError, match="mix"):
        parse("a in [1, 'x']", context=CTX)


# ------------------------------------------------------------------ engines ---------------


@given(
    values=st.lists(
        st.one_of(st.none(), st.floats(-5, 5, allow_nan=False), st.just(float("nan"))),
        min_size=1,
        max_size=12,
    ),
    flags=st.lists(st.one_of(st.none(), st.booleans()), min_size=12, max_size=12),
    text=st.sampled_from(
        [
            "x > 0",
            "x * 2 - 1",
            "x / (x - 1)",
            "flag or x > 1",
            "flag and not x < -1",
            "isnull(x) or flag",
            "x in [0, 1.5]",
            "-1 < x <= 2 and notnull(flag)",
        ]
    ),
)
def test_pandas_and_polars_agree(
    values: list[float | None], flags: list[bool | None], text: str
) -> None:
    df = pd.DataFrame(
        {
            "x": pd.Series(values, dtype=float),
            "flag": pd.array(flags[: len(values)], dtype="boolean"),
        }
    )
    e = parse(text, context=CTX)
    pandas_out = e.evaluate(df).to_numpy(dtype=float)
    polars_df = pl.DataFrame(
        {"x": pl.Series(values, dtype=pl.Float64, nan_to_null=False), "flag": flags[: len(values)]}
    )
    polars_out = e.evaluate(polars_df).to_numpy(dtype=float)
    np.testing.assert_array_equal(pandas_out, polars_out)
    # and a comparison involving a missing x is never a plain 0/1
    if text == "x > 0":
        assert np.array_equal(np.isnan(pandas_out), df["x"].isna().to_numpy())


def test_to_narwhals_runs_natively_on_polars_lazy() -> None:
    import narwhals as nw

    lf = pl.LazyFrame({"x": [1.0, None, 3.0]})
    e = parse("x >= 2", context=CTX)
    out = nw.from_native(lf).select(e.to_narwhals(frame_schema(lf)).alias("r")).collect()
    assert out["r"].to_list() == [0.0, None, 1.0]


def test_evaluate_keeps_index_and_never_mutates(frame: pd.DataFrame) -> None:
    df = frame.set_index(pd.Index([10, 20, 30, 40, 50], name="row"))
    df["flag"] = [True, None, False, True, True]
    before = df.copy()
    out = parse("flag and a > 0", context=CTX).evaluate(df)
    pd.testing.assert_frame_equal(df, before)
    assert list(out.index) == [10, 20, 30, 40, 50]


def test_evaluate_rejects_non_frames() -> None:
    with pytest.raises(DataError, match="data frame"):
        parse("a", context=CTX).evaluate([1, 2, 3])


def test_text_column_compared_with_a_number_says_how_to_fix_it() -> None:
    import pandas as pd

    from impactkit.errors import DataError

    frame = pd.DataFrame({"sick": ["yes", "no", "yes"]})
    with pytest.raises(DataError) as info:
        parse("sick == 1", context="indicator 'x', key 'numerator'").evaluate(frame)
    message = str(info.value)
    assert "column 'sick' holds text" in message and "== 'yes'" in message
    assert message.startswith("indicator 'x', key 'numerator'")
