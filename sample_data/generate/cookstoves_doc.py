"""Documentation of the cookstoves sample: what each TRUE parameter means and every column of its
CSV files (printed into DATA.md by :func:`._common.write_data_md`)."""

from __future__ import annotations

from ._common import COMMON_TRUTH_DOC, EMPTY, NONE, ColumnDoc

__all__ = ["CS_TRUTH_DOC", "CS_HOUSEHOLD_COLUMNS", "CS_SALES_COLUMNS", "CS_USAGE_COLUMNS"]

CS_TRUTH_DOC = {
    **COMMON_TRUTH_DOC,
    "households_per_district": "households surveyed before, per district",
    "urban_share": "P(urban), by district",
    "fuelwood_median": "median latent fuelwood use before (kg/day), urban / rural",
    "fuelwood_log_sd": "SD of log latent fuelwood use between households",
    "measurement_log_sd": "SD of log measurement error of each round's weighed fuelwood",
    "pm25_geometric_mean": "geometric mean kitchen PM2.5 before (ug/m3), urban / rural",
    "pm25_log_sd": "SD of log PM2.5 (each 24-hour measurement)",
    "secular_fuel_factor": "fuelwood after / before without the programme (everyone)",
    "fuel_reduction_in_use": "relative fuelwood reduction when the stove is in use at the after round",
    "pm25_reduction_in_use": "relative PM2.5 reduction when the stove is in use",
    "cooking_hours_reduction_in_use": "hours per day saved when the stove is in use",
    "respiratory_before": "P(respiratory symptoms in the past 2 weeks) before",
    "respiratory_reduction_in_use": "absolute reduction in that probability when in use",
    "aware": "P(aware of the stove offer)",
    "attended_demo_given_aware": "P(attended a cooking demonstration | aware)",
    "purchased_given_demo": "P(purchased | demonstration), urban / rural",
    "installed_given_purchased": "P(installed | purchased)",
    "using_6m_given_installed": "P(in use at 6 months | installed), urban / rural",
    "using_12m_given_6m": "P(in use at 12 months | in use at 6 months), urban / rural",
    "attrition": "P(not re-interviewed after), urban / rural",
    "lab_efficacy": "fuel saving in the laboratory water-boiling test (initiative.yaml lab.efficacy)",
    "pilot_effect": "pilot effect on fuelwood use, kg/day (pilot_effect in initiative.yaml)",
    "pilot_n": "pilot sample size (households)",
}


CS_HOUSEHOLD_COLUMNS: dict[str, ColumnDoc] = {
    "household_id": ("household identifier, stable across rounds", "string", "CS-0001 ...", NONE),
    "district": ("district", "string", "Eastvale, Westvale, Southridge", NONE),
    "urban": ("1 if the household lives in an urban area", "integer 0/1", "0, 1", NONE),
    "female_head": ("1 if the household head is a woman", "integer 0/1", "0, 1", NONE),
    "hh_size": ("household members", "integer", "1-12", NONE),
    "round": ("survey round", "string", "before, after", NONE),
    "survey_date": ("interview date", "ISO date", "2024-02-05 to 2025-03-28", NONE),
    "fuelwood_kg_day": (
        "fuelwood used per day, weighed over 3 days",
        "float (kg/day)",
        "> 0",
        f"{EMPTY} (weighing not completed)",
    ),
    "cooking_hours_day": (
        "hours spent cooking per day (self-reported)",
        "float (hours)",
        "0.5-8",
        EMPTY,
    ),
    "respiratory_symptoms": (
        "1 if the main cook reported cough or wheeze in the past 2 weeks",
        "integer 0/1",
        "0, 1",
        EMPTY,
    ),
    "kitchen_pm25": (
        "24-hour mean kitchen PM2.5 concentration (lognormal)",
        "float (ug/m3)",
        "> 0",
        f"{EMPTY} (monitor failure)",
    ),
    "stove_in_use": (
        "1 if the improved stove was observed in use (always 0 before)",
        "integer 0/1",
        "0, 1",
        NONE,
    ),
}


CS_SALES_COLUMNS: dict[str, ColumnDoc] = {
    "household_id": (
        "household identifier (links to households.csv)",
        "string",
        "CS-0001 ...",
        NONE,
    ),
    "district": ("district", "string", "Eastvale, Westvale, Southridge", NONE),
    "urban": ("1 if urban", "integer 0/1", "0, 1", NONE),
    "female_head": ("1 if the household head is a woman", "integer 0/1", "0, 1", NONE),
    "aware": ("1 if aware of the stove offer", "integer 0/1", "0, 1", NONE),
    "attended_demo": (
        "1 if attended a cooking demonstration",
        "integer 0/1",
        "0, 1 (<= aware)",
        NONE,
    ),
    "purchased": ("1 if bought a stove", "integer 0/1", "0, 1 (<= attended_demo)", NONE),
    "installed": ("1 if the stove was installed", "integer 0/1", "0, 1 (<= purchased)", NONE),
    "using_6m": (
        "1 if in use at 6 months (stove-use monitor)",
        "integer 0/1",
        "0, 1 (<= installed)",
        NONE,
    ),
    "using_12m": ("1 if in use at 12 months", "integer 0/1", "0, 1 (<= using_6m)", NONE),
}


CS_USAGE_COLUMNS: dict[str, ColumnDoc] = {
    "household_id": (
        "household identifier (links to households.csv)",
        "string",
        "CS-0001 ...",
        NONE,
    ),
    "district": ("district", "string", "Eastvale, Westvale, Southridge", NONE),
    "urban": ("1 if urban", "integer 0/1", "0, 1", NONE),
    "install_date": (
        "date the stove was installed and the monitor started",
        "ISO date",
        "2024-04-01 to 2024-06-23",
        NONE,
    ),
    "days_observed": (
        "days from install_date to abandonment (abandoned = 1) or end of monitoring (censored)",
        "integer (days)",
        ">= 1",
        NONE,
    ),
    "abandoned": (
        "1 if the monitor recorded no use for 30 days from day days_observed on; 0 if censored",
        "integer 0/1",
        "0, 1",
        NONE,
    ),
    "cooking_events": (
        "cooking events recorded by the stove-use monitor over days_observed",
        "integer",
        ">= 0",
        NONE,
    ),
}
