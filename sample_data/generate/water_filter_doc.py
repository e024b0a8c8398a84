"""Documentation of the water_filter sample: what each TRUE parameter means and every column of its
CSV files (printed into DATA.md by :func:`._common.write_data_md`)."""

from __future__ import annotations

from ._common import COMMON_TRUTH_DOC, EMPTY, NONE, ColumnDoc

__all__ = [
    "WF_SEED_RULE",
    "WF_TRUTH_DOC",
    "WF_HOUSEHOLD_COLUMNS",
    "WF_DISTRIBUTION_COLUMNS",
    "WF_USAGE_COLUMNS",
]

# How the committed seed was chosen (printed in DATA.md; sample_data/README.md says the same).
WF_SEED_RULE = (
    "The seed is the first one after 20240108 for which every 95 % interval checked in "
    "tests/samples/test_recovery.py covers its truth and the sample still shows what it is meant "
    "to (DiD significant at 5 % and within 2 points of the truth, Hillside reaching and "
    "sustaining less, a real-world effect of about 30 % of the lab's), so this draw is selected, not random; "
    "coverage over many seeds is tested separately."
)


WF_TRUTH_DOC = {
    **COMMON_TRUTH_DOC,
    "treatment_villages": "treatment villages per district (same order as districts)",
    "comparison_villages": "comparison villages per district",
    "mean_households_per_village": "mean households surveyed per village (20 + Poisson(10))",
    "baseline_prevalence": "mean baseline probability of under-5 diarrhoea (past 2 weeks)",
    "prevalence_gradient_per_quintile": "extra risk per wealth quintile below the middle (3)",
    "common_trend": "change in mean risk baseline to endline without the programme (both arms)",
    "risk_reduction_correct_use": "relative risk reduction for a household using the filter correctly at 12 months",
    "risk_reduction_incorrect_use": "relative risk reduction for a household using it but not correctly",
    "prior_filter_share": "households already owning a (non-programme) filter: not eligible, no effect",
    "reach": "P(reached by a promoter | eligible), by district",
    "receive_given_reached": "P(received filter | reached)",
    "start_given_received": "P(started use | received)",
    "using_12m_given_started": "P(still using at 12 months | started), by district",
    "correct_given_using": "P(correct use | using at 12 months)",
    "weibull_shape_abandonment": "Weibull shape of time to abandonment (scale set so S(365) matches)",
    "attrition_base": "P(lost at endline) for every household",
    "attrition_extra_quintile1": "extra P(lost) in wealth quintile 1 (poorest)",
    "attrition_extra_quintile2": "extra P(lost) in wealth quintile 2",
    "lab_efficacy": "laboratory pathogen-removal efficacy (initiative.yaml lab.efficacy)",
    "pilot_effect": "pilot RCT effect on diarrhoea prevalence (risk difference)",
    "pilot_n": "pilot sample size (households)",
}


WF_HOUSEHOLD_COLUMNS: dict[str, ColumnDoc] = {
    "household_id": ("household identifier, stable across rounds", "string", "WF-0001 ...", NONE),
    "village": (
        "village (the cluster; the programme was assigned by village)",
        "string",
        "V01-V40",
        NONE,
    ),
    "district": ("district", "string", "Riverside, Central, Hillside", NONE),
    "arm": ("study arm of the village", "string", "treatment, comparison", NONE),
    "treated": ("1 if the village is in the treatment arm", "integer 0/1", "0, 1", NONE),
    "round": ("survey round", "string", "baseline, endline", NONE),
    "post": ("1 for the endline round", "integer 0/1", "0, 1", NONE),
    "survey_date": ("interview date", "ISO date", "2024-01-08 to 2025-04-25", NONE),
    "hh_size": ("household members", "integer", "2-14", NONE),
    "female_head": ("1 if the household head is a woman", "integer 0/1", "0, 1", NONE),
    "wealth_quintile": (
        "asset-index wealth quintile at baseline (1 = poorest)",
        "integer",
        "1-5",
        NONE,
    ),
    "distance_to_water_km": (
        "distance to the main drinking-water source",
        "float (km)",
        "0.05-15",
        EMPTY,
    ),
    "children_under5": (
        "children under five living in the household",
        "integer",
        "0-4 (>= 1 at baseline: sampling criterion)",
        NONE,
    ),
    "child_diarrhoea_2wk": (
        "1 if any child under five had diarrhoea in the past two weeks",
        "integer 0/1",
        "0, 1",
        f"{EMPTY} (no child under five, or don't know)",
    ),
    "water_treated_today": (
        "1 if treated water was observed in the storage container",
        "integer 0/1",
        "0, 1",
        NONE,
    ),
    "e_coli_positive": (
        "1 if the stored-water sample tested positive for E. coli",
        "integer 0/1",
        "0, 1",
        f"{EMPTY} (no sample taken)",
    ),
    "filter_in_use": (
        "1 if a filter was seen installed and in use at the visit",
        "integer 0/1",
        "0, 1",
        NONE,
    ),
}


WF_DISTRIBUTION_COLUMNS: dict[str, ColumnDoc] = {
    "household_id": (
        "household identifier (links to households.csv)",
        "string",
        "WF-0001 ...",
        NONE,
    ),
    "district": ("district", "string", "Riverside, Central, Hillside", NONE),
    "female_head": ("1 if the household head is a woman", "integer 0/1", "0, 1", NONE),
    "eligible": (
        "1 if eligible (child under five, no working filter already)",
        "integer 0/1",
        "0, 1",
        NONE,
    ),
    "reached": ("1 if visited by a promoter", "integer 0/1", "0, 1 (<= eligible)", NONE),
    "received_filter": (
        "1 if the household received a filter",
        "integer 0/1",
        "0, 1 (<= reached)",
        NONE,
    ),
    "started_use": (
        "1 if the filter was installed and used at least once",
        "integer 0/1",
        "0, 1 (<= received_filter)",
        NONE,
    ),
    "using_at_12m": (
        "1 if still in use at the 12-month check",
        "integer 0/1",
        "0, 1 (<= started_use)",
        NONE,
    ),
    "correct_use": (
        "1 if used correctly at 12 months (all drinking water filtered, clean storage)",
        "integer 0/1",
        "0, 1 (<= using_at_12m)",
        NONE,
    ),
}


WF_USAGE_COLUMNS: dict[str, ColumnDoc] = {
    "household_id": (
        "household identifier (links to households.csv)",
        "string",
        "WF-0001 ...",
        NONE,
    ),
    "district": ("district", "string", "Riverside, Central, Hillside", NONE),
    "female_head": ("1 if the household head is a woman", "integer 0/1", "0, 1", NONE),
    "start_date": ("date the filter was first used", "ISO date", "2024-03-04 to 2024-05-26", NONE),
    "days_observed": (
        "days from start_date to abandonment (abandoned = 1) or to the last usage record (censored)",
        "integer (days)",
        ">= 1",
        NONE,
    ),
    "abandoned": (
        "1 if use stopped at days_observed; 0 if still using when observation ended",
        "integer 0/1",
        "0, 1",
        NONE,
    ),
    "uses_logged": (
        "filter uses recorded by the usage logger over days_observed",
        "integer",
        ">= 0",
        NONE,
    ),
    "uses_correct": (
        "logged uses meeting the correct-use protocol",
        "integer",
        "0 .. uses_logged",
        NONE,
    ),
}
