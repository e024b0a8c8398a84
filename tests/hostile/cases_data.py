"""Hostile cases: data files, numeric edge values in data, indicator expressions."""

from __future__ import annotations

import numpy as np
import pandas as pd

from impactkit.errors import ConfigError, DataError, IndicatorDefinitionError, MissingColumnError

from ._corpus import Case, chain, edit_csv, replace, set_cell, set_indicator, set_key, write


def skipped(*words: str, marker: str = "not estimated") -> object:
    """The headline is reported as not estimated, with its reason, and no number is NaN."""

    def check(folder: object, out: object) -> None:
        import re
        from pathlib import Path

        text = " ".join(re.sub("<[^>]+>", " ", Path(str(out)).read_text("utf-8")).split())
        assert marker in text
        at = text.index(marker)
        for word in words:
            assert word in text[at : at + 400], text[at : at + 400]
        _not_estimated(out)

    return check


def not_estimable(*words: str) -> object:
    """As :func:`skipped`, for an estimator that found nothing to estimate from (the report's
    verdict "not estimable: no variation", followed by the reason)."""
    return skipped(*words, marker="not estimable: no variation")


def _not_estimated(out: object) -> None:
    """A constant outcome: no test of numerical noise (no p-value below 0.05)."""
    from pathlib import Path

    results = pd.read_csv(Path(str(out)).with_suffix("").with_suffix(".results.csv"))
    effect = results[(results["section"] == "effect") & (results["statistic"] == "change")]
    fuel = effect[effect["item"] == "fuel"]
    assert fuel.empty or not (fuel["p_value"] < 0.05).any(), fuel.to_dict("records")
    assert np.isfinite(results["value"].dropna()).all()


D = DataError
I = IndicatorDefinitionError  # noqa: E741 - short names keep the table readable
S = "survey.csv"


def _header_only(file: str) -> object:
    def change(frame: pd.DataFrame) -> pd.DataFrame:
        return frame.iloc[:0]

    return edit_csv(file, change)


def _rows(file: str, n: int) -> object:
    return edit_csv(file, lambda f: f.iloc[:n])


def _column(file: str, column: str, value: str) -> object:
    def change(frame: pd.DataFrame) -> None:
        frame[column] = value

    return edit_csv(file, change)


def _rename(file: str, old: str, new: str) -> object:
    return edit_csv(file, lambda f: f.rename(columns={old: new}))


def _add_column(file: str, name: str, value: str) -> object:
    def change(frame: pd.DataFrame) -> None:
        frame[name] = value

    return edit_csv(file, change)


DATA = [
    # the readers name CSV rows by their line in the file (header = line 1)
    Case(
        "date-feb-30",
        set_cell(S, "survey_date", 3, "2024-02-30"),
        D,
        (S, "survey_date", "line 5", "2024-02-30", "not a calendar date"),
    ),
    Case(
        "date-month-13",
        set_cell(S, "survey_date", 0, "2024-13-01"),
        D,
        (S, "survey_date", "line 2", "2024-13-01", "not a calendar date"),
    ),
    Case("header-only", _header_only(S), D, (S, "no rows")),
    Case("header-only-sales", _header_only("sales.csv"), D, ("sales.csv", "no rows")),
    Case("empty-csv", write("", S), D, (S, "empty")),
    Case("blank-lines-csv", write("\n\n\n", S), D, (S, "empty")),
    Case("one-row", _rows(S, 1), ConfigError, ("design.after", "no rows")),
    Case("inf-outcome", set_cell(S, "fuel_kg", 4, "inf"), D, ("fuel_kg", "row 6", "infinite")),
    Case("minus-inf", set_cell(S, "fuel_kg", 0, "-inf"), D, ("fuel_kg", "row 2", "infinite")),
    Case("overflow-literal", set_cell(S, "fuel_kg", 1, "1e400"), D, ("fuel_kg", "row 3")),
    Case("text-in-binary", set_cell(S, "symptoms", 6, "yes"), D, ("symptoms", "text")),
    Case(
        "text-in-stage", set_cell("sales.csv", "bought", 2, "maybe"), D, ("bought", "H002", "maybe")
    ),
    Case("two-in-stage", set_cell("sales.csv", "bought", 2, "2"), D, ("bought", "H002")),
    Case("text-in-outcome", set_cell(S, "fuel_kg", 9, "lots"), D, ("'fuel'", "text")),
    Case("nul-in-group", set_cell(S, "district", 0, "River\0side"), D, ("district", "row 2")),
    Case("bell-in-group", set_cell(S, "district", 1, "North\x07"), D, ("district", "row 3")),
    Case("latin-1-csv", write("household_id,caf\xe9\n1,2\n".encode("latin-1"), S), D, ("UTF-8",)),
    Case("duplicate-header", _rename(S, "symptoms", "fuel_kg"), D, ("fuel_kg", "more than once")),
    Case(
        "fullwidth-header",
        _add_column(S, "\uff46uel_kg", "1"),
        D,
        ("fuel_kg", "compatibility"),
    ),
    Case("ligature-header", _add_column(S, "\ufb01sh", "1"), None),
    Case("blank-header", _add_column(S, "", "1"), D, ("no name",)),
    Case("ragged-row", replace("\nH001,", "\nH001,x,y,z,w,v,u,t,", S), D, (S, "readable")),
    Case("missing-column", _rename(S, "fuel_kg", "fuel"), MissingColumnError, ("fuel_kg",)),
    Case("missing-round", _rename(S, "round", "wave"), MissingColumnError, ("round",)),
    Case("no-before-rows", _column(S, "round", "after"), ConfigError, ("design.before", "no rows")),
    Case(
        "all-missing-outcome", _column(S, "fuel_kg", ""), None, check=lambda f, o: _not_estimated(o)
    ),
    Case(
        "missing-stage-column",
        _rename("sales.csv", "using", "used"),
        MissingColumnError,
        ("using",),
    ),
    Case("negative-duration", set_cell("usage.csv", "days", 0, "-5"), D, ("days", "row 2")),
    Case("text-duration", set_cell("usage.csv", "days", 2, "long"), D, ("days", "numbers")),
    Case("abandoned-three", set_cell("usage.csv", "abandoned", 1, "3"), D, ("abandoned", "row 3")),
    Case("missing-subgroup", set_key("subgroups", ["region"]), MissingColumnError, ("region",)),
    Case("huge-values", _column(S, "fuel_kg", "1.7e308"), D, ("'fuel'", "rescale")),
    Case("bom-csv", replace("household_id", "\ufeffhousehold_id", S), None),
    Case(
        "semicolon-csv",
        lambda f: (f / S).write_text((f / S).read_text().replace(",", ";"), "utf-8") and None,
        None,
    ),
    Case(
        "constant-outcome",
        _column(S, "fuel_kg", "3.0"),
        None,
        check=lambda folder, out: _not_estimated(out),
    ),
]

ITS_CASES = [
    Case(
        "its-sept", set_cell("monthly.csv", "month", 5, "Sept 2024"), D, ("month", "row 7"), "its"
    ),
    Case("its-feb-30", set_cell("monthly.csv", "month", 1, "2021-02-30"), D, ("month",), "its"),
    Case("its-inf", set_cell("monthly.csv", "score", 3, "inf"), D, ("score", "infinite"), "its"),
    Case(
        "its-hac-huge",
        set_key("design.hac_lags", 1_000_000),
        ConfigError,
        ("initiative.yaml", "design.hac_lags", "1000000 lags", "fewer than n/4"),
        "its",
    ),
    Case("its-hac-negative", set_key("design.hac_lags", -1), Exception, ("hac_lags",), "its"),
    Case("its-hac-text", set_key("design.hac_lags", "three"), Exception, ("hac_lags",), "its"),
    Case(
        "its-intervention-late",
        set_key("design.intervention", "2030-01-01"),
        ConfigError,
        ("initiative.yaml", "design.intervention", "2030-01-01", "outside the series"),
        "its",
    ),
    Case("its-text-time", _column("monthly.csv", "month", "soon"), D, ("month",), "its"),
    # the first three months are all before the intervention: it is outside that series
    Case(
        "its-three-points",
        _rows("monthly.csv", 3),
        ConfigError,
        ("design.intervention", "outside the series", "2021-03-01"),
        "its",
    ),
    # two months on either side of the intervention (2023-01): too few before it, reported as
    # not estimated (without hac_lags, which four points cannot carry: its-few-points-hac)
    Case(
        "its-few-points",
        chain(set_key("design.hac_lags", None), edit_csv("monthly.csv", lambda f: f.iloc[22:26])),
        None,
        design="its",
        check=skipped("need at least 3 time points before", "got 2 and 2"),
    ),
    Case(
        "its-few-points-hac",
        edit_csv("monthly.csv", lambda f: f.iloc[22:26]),
        ConfigError,
        ("design.hac_lags", "3 lags for 4 time points", "fewer than n/4"),
        "its",
    ),
]

DID_CASES = [
    Case("did-inf", set_cell(S, "fuel_kg", 3, "inf"), D, ("fuel_kg", "infinite"), "did"),
    Case("did-treated-text", set_cell(S, "treated", 0, "yes"), D, ("treated", "row 2"), "did"),
    Case(
        "did-treated-constant",
        _column(S, "treated", "1"),
        None,
        design="did",
        check=skipped("control/pre"),
    ),
    Case("did-post-three", set_cell(S, "post", 2, "3"), D, ("post", "row 4"), "did"),
    Case(
        "did-one-row",
        _rows(S, 1),
        None,
        design="did",
        check=not_estimable("did: 1 observation(s); at least 4 needed"),
    ),
]


def _expr(value: str) -> object:
    return set_indicator("fuel", "value", value)


EXPRESSIONS = [
    Case("expr-chain-450", _expr("fuel_kg" + " + 0" * 450), I, ("'fuel'", "nested")),
    Case("expr-parens", _expr("(" * 900 + "fuel_kg" + ")" * 900), I, ("'fuel'",)),
    Case("expr-huge-int", _expr("fuel_kg * 1" + "0" * 1900), I, ("'fuel'",)),
    Case("expr-huge-float", _expr("fuel_kg * 1e999"), I, ("'fuel'", "finite")),
    Case("expr-nul", _expr("fuel\0_kg"), I, ("'fuel'",)),
    Case("expr-import", _expr("__import__('os').system('true')"), I, ("'fuel'", "not allowed")),
    Case("expr-dunder", _expr("fuel_kg.__class__"), I, ("'fuel'", "not allowed")),
    Case("expr-lambda", _expr("(lambda: 1)()"), I, ("'fuel'", "not allowed")),
    Case("expr-walrus", _expr("(x := 1)"), I, ("'fuel'",)),
    Case("expr-call", _expr("exec(fuel_kg)"), I, ("'fuel'", "not allowed")),
    Case("expr-syntax", _expr("fuel_kg +"), I, ("'fuel'", "not a valid expression")),
    Case("expr-empty", _expr(""), I, ("'fuel'",)),
    Case("expr-too-long", _expr("fuel_kg" + " " * 3000), I, ("'fuel'", "characters")),
    Case("expr-fullwidth", _expr("\uff46uel_kg"), I, ("'fuel'", "compatibility")),
    Case(
        "expr-ligature", set_indicator("symptoms", "numerator", "\ufb01sh == 1"), I, ("ligature",)
    ),
    Case("expr-unknown-column", _expr("fuel_kilos"), MissingColumnError, ("fuel_kilos",)),
    Case(
        "expr-divide-zero",
        _expr("fuel_kg / 0"),
        None,
        check=not_estimable("every value of the outcome is missing"),
    ),
    Case("expr-text-number", _expr("district * 2"), D, ("'fuel'", "text")),
    Case("expr-power", _expr("fuel_kg ** 1000"), I, ("'fuel'", "not allowed")),
    Case("expr-subscript", _expr("fuel_kg[0]"), I, ("'fuel'", "not allowed")),
    Case("expr-fstring", _expr("f'{fuel_kg}'"), I, ("'fuel'", "not allowed")),
    Case("expr-number", _expr(5), None, check=not_estimable("every paired difference equals 0")),
    Case("expr-list", _expr(["fuel_kg"]), I, ("'fuel'", "text")),
    Case("expr-backtick-open", _expr("`fuel_kg"), I, ("'fuel'", "backtick")),
    Case("kind-unknown", set_indicator("fuel", "kind", "median-ish"), I, ("'fuel'", "kind")),
    Case(
        "mmc-nan", set_indicator("fuel", "minimum_meaningful_change", float("nan")), I, ("'fuel'",)
    ),
    Case("mmc-text", set_indicator("fuel", "minimum_meaningful_change", "big"), I, ("'fuel'",)),
    Case("direction", set_indicator("fuel", "direction", "sideways"), I, ("'fuel'", "direction")),
    Case(
        "catalog-bomb",
        write(
            "a: &a [x, x, x, x, x, x, x, x, x]\n"
            + "".join(
                f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n"
                for i in range(8)
            ),
            "indicators.yaml",
        ),
        Exception,
        ("indicators.yaml", "expands"),
    ),
    Case(
        "catalog-latin-1",
        write("indicators: caf\xe9\n".encode("latin-1"), "indicators.yaml"),
        Exception,
        ("indicators.yaml",),
    ),
]
