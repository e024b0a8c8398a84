"""Documentation of the tutoring sample: what each TRUE parameter means and every column of its
CSV files (printed into DATA.md by :func:`._common.write_data_md`)."""

from __future__ import annotations

from ._common import COMMON_TRUTH_DOC, EMPTY, NONE, ColumnDoc

__all__ = ["TU_TRUTH_DOC", "TU_SITE_MONTH_COLUMNS", "TU_MONTHLY_COLUMNS", "TU_STUDENT_COLUMNS"]

TU_TRUTH_DOC = {
    **COMMON_TRUTH_DOC,
    "sites_offered": "schools offered the programme, per district",
    "sites_adopted": "schools that adopted it (the sites in site_months.csv), per district",
    "first_month": "first month of the series",
    "months_pre": "months before the intervention",
    "months_post": "months from the intervention on",
    "intervention": "first month of the post period (roll-out in every adopting school)",
    "baseline_score": "mean site score at the first month (scale points)",
    "student_sd": "SD of individual student scores (1 SD = 100 points)",
    "site_sd": "SD of persistent differences between schools",
    "pre_slope": "secular trend, points per month",
    "season_cos": "seasonal term: season_cos x cos(2 pi m / 12), m = calendar month 1-12",
    "season_sin": "seasonal term: season_sin x sin(2 pi m / 12)",
    "ar1_rho": "AR(1) autocorrelation of month-to-month site shocks",
    "ar1_sd": "SD of the AR(1) innovations (points)",
    "level_change": "TRUE level change at the intervention month (points), by district",
    "slope_change": "TRUE slope change after the intervention (points per month), by district",
    "proficiency_cutoff": "a student is proficient if their score is >= this",
    "missing_site_month_share": "share of site-months with no report (rows absent)",
    "enrol_given_adopted": "P(student enrolled in tutoring | school adopted), by district",
    "attend75_given_enrolled": "P(attends >= 75 % of sessions | enrolled), by district",
    "lab_efficacy": "share of students mastering the targeted skills in the developer's controlled study",
    "pilot_effect": "pilot effect on mean_score (points; = 0.40 SD)",
    "pilot_n": "pilot sample size (students)",
}


TU_SITE_MONTH_COLUMNS: dict[str, ColumnDoc] = {
    "site": ("school (site) identifier", "string", "S01-S36 (adopting schools only)", NONE),
    "district": ("district", "string", "North, South, Lakeshore", NONE),
    "month": (
        "reporting month (first day of the month)",
        "ISO date",
        "2022-09-01 to 2026-02-01",
        f"{NONE}; some site-months have no row",
    ),
    "students_enrolled": ("students enrolled in grades 4-6", "integer", ">= 1", NONE),
    "students_assessed": (
        "students who sat the monthly assessment",
        "integer",
        "0 .. students_enrolled",
        NONE,
    ),
    "students_proficient": (
        "assessed students scoring >= 500 (minimum proficiency)",
        "integer",
        "0 .. students_assessed",
        NONE,
    ),
    "mean_score": (
        "mean assessment score of assessed students (scale: student SD = 100)",
        "float (points)",
        "about 300-700",
        EMPTY,
    ),
    "attendance_days": (
        "mean days attended per enrolled student in the month",
        "float (days)",
        "0 .. school_days",
        EMPTY,
    ),
    "school_days": ("days the school was open in the month", "integer (days)", "4-22", NONE),
    "sessions_held": (
        "tutoring sessions held in the month (0 before the roll-out)",
        "integer",
        ">= 0",
        NONE,
    ),
}


TU_MONTHLY_COLUMNS: dict[str, ColumnDoc] = {
    "month": ("month (first day of the month)", "ISO date", "2022-09-01 to 2026-02-01", NONE),
    "sites_reporting": ("adopting schools that reported this month", "integer", "1-30", NONE),
    "students_enrolled": ("sum over reporting sites", "integer", ">= 1", NONE),
    "students_assessed": ("sum over reporting sites", "integer", ">= 0", NONE),
    "students_proficient": (
        "sum over reporting sites",
        "integer",
        "0 .. students_assessed",
        NONE,
    ),
    "mean_score": (
        "mean of the reporting sites' mean_score (sites weighted equally)",
        "float (points)",
        "about 400-600",
        NONE,
    ),
    "attendance_days": (
        "mean of the sites' attendance_days",
        "float (days)",
        "0 .. school_days",
        NONE,
    ),
    "school_days": ("mean of the sites' school_days", "float (days)", "4-22", NONE),
    "sessions_held": ("sum over reporting sites", "integer", ">= 0", NONE),
    "post": ("1 from the intervention month on", "integer 0/1", "0, 1", NONE),
}


TU_STUDENT_COLUMNS: dict[str, ColumnDoc] = {
    "student_id": ("student identifier", "string", "ST-00001 ...", NONE),
    "site": (
        "school identifier (links to site_months.csv for adopting schools)",
        "string",
        "S01-S36",
        NONE,
    ),
    "district": ("district", "string", "North, South, Lakeshore", NONE),
    "female": ("1 if the student is a girl", "integer 0/1", "0, 1", NONE),
    "grade": ("school grade", "integer", "4, 5, 6", NONE),
    "site_offered": (
        "1 if the school was offered the programme (all rows)",
        "integer 0/1",
        "1",
        NONE,
    ),
    "site_adopted": (
        "1 if the school adopted the programme",
        "integer 0/1",
        "0, 1 (<= site_offered)",
        NONE,
    ),
    "enrolled": (
        "1 if the student enrolled in tutoring",
        "integer 0/1",
        "0, 1 (<= site_adopted)",
        NONE,
    ),
    "attending_75": (
        "1 if the student attended >= 75 % of sessions in the first term",
        "integer 0/1",
        "0, 1 (<= enrolled)",
        NONE,
    ),
}
