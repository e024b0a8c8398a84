"""Documentation of the city_transport sample: what each TRUE parameter means and every column
of cities.csv (printed into DATA.md by :func:`._common.write_data_md`)."""

from __future__ import annotations

from ._common import NONE, ColumnDoc

__all__ = ["CT_TRUTH_DOC", "CT_CITY_COLUMNS"]

CT_TRUTH_DOC = {
    "seed": "seed of numpy.random.default_rng",
    "treated_city": "the city that opened the rapid-bus network",
    "comparison_cities": "cities without the programme (the donor pool)",
    "first_year": "first year of the panel",
    "last_year": "last year of the panel",
    "intervention_year": "first year with the network running (first post-period)",
    "donor_mix": "indices (0-based, in file order) of the comparison cities whose mix is Riverton",
    "donor_mix_weights": "weights of that mix for Riverton's level and factor loadings",
    "share_level_mean": "mean share of trips by public transport across cities",
    "share_level_sd": "SD of the city levels of that share",
    "share_trend": "common trend of the share per year (times the city's loading)",
    "trips_surveyed": "trips recorded per city and year in the travel-diary survey",
    "share_effect": "TRUE change in Riverton's share of trips by public transport",
    "km_level_mean": "mean car kilometres per resident per year (thousand km)",
    "km_level_sd": "SD of the city levels (thousand km)",
    "km_trend": "common trend per year (thousand km, times the city's loading)",
    "km_noise_sd": "SD of the year-to-year noise of car km (thousand km)",
    "km_effect": "TRUE change in Riverton's car km per resident (thousand km)",
    "injury_level_mean": "mean road injuries per 100,000 residents per year",
    "injury_level_sd": "SD of the city levels (per 100,000)",
    "injury_trend": "common trend per year (per 100,000, times the city's loading)",
    "injury_effect": "TRUE change in Riverton's road injuries per 100,000 (counts are Poisson)",
    "population_range": "range of the comparison cities' population in the first year",
    "treated_population": "Riverton's population in the first year (all grow 0.6 % a year)",
    "replications": "placebo replications of the standard error (design.replications)",
}

CT_CITY_COLUMNS: dict[str, ColumnDoc] = {
    "city": ("city name", "string", "Riverton and 30 comparison cities", NONE),
    "year": ("calendar year", "integer", "2011-2024", NONE),
    "treated": ("1 for Riverton (the treated city), 0 otherwise", "integer 0/1", "0, 1", NONE),
    "population": ("residents (mid-year estimate)", "integer", "> 0", NONE),
    "trips_surveyed": (
        "trips recorded in the household travel-diary survey",
        "integer",
        "> 0",
        NONE,
    ),
    "trips_public_transport": (
        "of those, trips by bus, tram or train",
        "integer",
        "0 .. trips_surveyed",
        NONE,
    ),
    "car_km_per_resident": (
        "car kilometres driven per resident in the year, from traffic counts",
        "float (thousand km)",
        "about 4-11",
        NONE,
    ),
    "road_injuries": ("people injured in road traffic (police records)", "integer", ">= 0", NONE),
}
