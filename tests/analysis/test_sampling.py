"""The initiative file's ``sampling:`` section and what the analysis does with it."""

from __future__ import annotations

import textwrap
from pathlib import Path

import numpy as np
import pytest

import impactkit as ik
from impactkit.errors import ConfigError
from impactkit.initiative import load
from impactkit.report.sections import data_quality, methods

SAMPLE = Path(__file__).resolve().parents[2] / "sample_data" / "water_filter" / "initiative.yaml"

BASE = """\
name: T
organisation: O
description: D
period: {start: 2024-01-01, end: 2024-12-31}
data:
  survey: survey.csv
columns: {unit: id, period: round}
indicators:
  catalog: [indicators.yaml]
  headline: [score_mean]
design:
  type: did
  data: survey
  treated: treated
  post: post
"""


def write(folder: Path, extra: str) -> Path:
    (folder / "survey.csv").write_text("id,round,treated,post,score,v\n1,a,1,0,2.0,x\n")
    (folder / "indicators.yaml").write_text("indicators: []\n")
    path = folder / "initiative.yaml"
    path.write_text(textwrap.dedent(BASE) + textwrap.dedent(extra))
    return path


def test_sampling_becomes_a_survey_design_and_the_did_clusters_on_the_psu(tmp_path):
    init = load(write(tmp_path, "sampling:\n  survey: {psu: v, weights: w, lonely_psu: adjust}\n"))
    assert init.sampling_of("survey") == ik.SurveyDesign(weights="w", psu="v", lonely_psu="adjust")
    assert init.design.cluster == "v"  # the PSU, not columns.unit


def test_an_explicit_cluster_wins(tmp_path):
    text = "sampling:\n  survey: {psu: v}\n"
    path = write(tmp_path, text)
    path.write_text(path.read_text().replace("  post: post\n", "  post: post\n  cluster: id\n"))
    assert load(path).design.cluster == "id"


@pytest.mark.parametrize(
    ("extra", "key"),
    [
        ("sampling:\n  nosuch: {psu: v}\n", "sampling.nosuch"),
        ("sampling:\n  survey: {cluster: v}\n", "sampling.survey.cluster"),
        ("sampling:\n  survey: {psu: v, lonely_psu: drop}\n", "sampling.survey.lonely_psu"),
        ("sampling:\n  survey: {psu: v, nest: 1}\n", "sampling.survey.nest"),
        ("sampling:\n  survey: {psu: v, strata: v}\n", "sampling.survey"),
        ("sampling: [survey]\n", "sampling"),
    ],
)
def test_bad_sampling_names_the_key(tmp_path, extra, key):
    with pytest.raises(ConfigError, match=f"key '{key}'"):
        load(write(tmp_path, extra))


@pytest.fixture(scope="module")
def water() -> ik.ImpactAnalysis:
    return ik.analyse(SAMPLE)


def test_water_filter_levels_are_design_based(water):
    """The indicator table equals compute with the sample's design (villages in districts),
    so df = 40 villages - 3 districts and n_psu = the arm's villages."""
    design = water.initiative.sampling_of("survey")
    assert design == ik.SurveyDesign(strata="district", psu="village")
    values = water.indicator_values
    assert (values["df"] == 37).all()
    assert set(values.loc[values["treated"] == 1, "n_psu"]) == {24}
    assert set(values.loc[values["treated"] == 0, "n_psu"]) == {16}
    catalog = water.catalog
    direct = ik.compute(
        catalog["diarrhoea_prevalence"], water.design_data, by=["treated", "post"], design=design
    )
    mine = values[values["indicator"] == "diarrhoea_prevalence"].reset_index(drop=True)
    np.testing.assert_allclose(mine["ci_low"], direct["ci_low"], rtol=1e-12)
    srs = ik.compute(catalog["diarrhoea_prevalence"], water.design_data, by=["treated", "post"])
    np.testing.assert_allclose(mine["value"], srs["value"], rtol=1e-12)  # unweighted: same values


def test_appendix_and_methods_state_the_design(water):
    strata = water.design_strata
    assert (
        strata is not None
        and strata["PSUs"].sum() == 40
        and strata["rows"].sum() == len(water.design_data)
    )
    appendix = str(data_quality(water))
    assert "Survey design" in appendix and "design effect" in appendix
    assert "clustered in primary sampling units" in str(methods(water))


def test_survey_weights_not_used_by_the_effect_are_said(tmp_path):
    """With `weights:` the indicator tables are weighted but the DiD is not (no weighted
    regression yet): every estimated effect says so instead of staying silent (issue 13)."""
    import shutil

    import pandas as pd
    import yaml

    folder = tmp_path / "wf"
    shutil.copytree(SAMPLE.parent, folder)
    survey = pd.read_csv(folder / "households.csv")
    survey.assign(w=1.0 + (survey.index % 3)).to_csv(folder / "households.csv", index=False)
    config = yaml.safe_load((folder / "initiative.yaml").read_text(encoding="utf-8"))
    config["sampling"]["survey"]["weights"] = "w"
    (folder / "initiative.yaml").write_text(yaml.safe_dump(config, sort_keys=False))
    analysis = ik.analyse(folder / "initiative.yaml")
    estimated = [r for r in analysis.outcomes if r.effect is not None]
    assert estimated
    for r in estimated:
        assert any("without the survey weights ('w')" in n for n in r.effect.notes)
