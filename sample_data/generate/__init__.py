"""Regenerate impactkit's synthetic sample initiatives (CSV data and DATA.md data dictionaries).

Usage (from the repository root)::

    python -m sample_data.generate              # rewrite sample_data/<initiative>/...
    python -m sample_data.generate --out DIR    # write into DIR/<initiative>/... instead
    python -m sample_data.generate --only cookstoves

One module per initiative (:mod:`.water_filter`, :mod:`.tutoring`, :mod:`.cookstoves`,
:mod:`.district_rollout`, :mod:`.cookstoves_trial`, :mod:`.city_transport`) and the
shared helpers in :mod:`._common`.  Every initiative has one frozen dataclass of TRUE parameters
at the top of its module; the generator draws from a :class:`numpy.random.Generator` seeded from
that dataclass, so the output is byte-for-byte deterministic.  DATA.md's "true parameters" table
is written from the same dataclass, so the documentation cannot drift from the data.
``initiative.yaml`` and ``indicators.yaml`` are hand-written and committed next to the data.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

from ._common import fmt_value
from .city_transport import CITY_TRANSPORT, CityTransportTruth, generate_city_transport
from .cookstoves import COOKSTOVES, CookstoveTruth, cookstoves_expected_change, generate_cookstoves
from .cookstoves_trial import COOKSTOVES_TRIAL, TrialTruth, generate_cookstoves_trial
from .district_rollout import (
    DISTRICT_ROLLOUT,
    RolloutTruth,
    generate_district_rollout,
    rollout_expected_by_wave,
    rollout_expected_simple,
)
from .tutoring import (
    TUTORING,
    TutoringTruth,
    generate_tutoring,
    tutoring_expected_level_change,
    tutoring_expected_slope_change,
)
from .water_filter import (
    WATER_FILTER,
    WaterFilterTruth,
    generate_water_filter,
    water_filter_expected_cascade,
    water_filter_expected_did,
)

__all__ = [
    "SAMPLE_DATA",
    "GENERATORS",
    "TRUTHS",
    "main",
    "fmt_value",
    "WaterFilterTruth",
    "WATER_FILTER",
    "generate_water_filter",
    "water_filter_expected_did",
    "water_filter_expected_cascade",
    "TutoringTruth",
    "TUTORING",
    "generate_tutoring",
    "tutoring_expected_level_change",
    "tutoring_expected_slope_change",
    "CookstoveTruth",
    "COOKSTOVES",
    "generate_cookstoves",
    "cookstoves_expected_change",
    "RolloutTruth",
    "DISTRICT_ROLLOUT",
    "generate_district_rollout",
    "rollout_expected_simple",
    "rollout_expected_by_wave",
    "TrialTruth",
    "COOKSTOVES_TRIAL",
    "generate_cookstoves_trial",
    "CityTransportTruth",
    "CITY_TRANSPORT",
    "generate_city_transport",
]

#: The sample_data/ folder: the default output of :func:`main`.
SAMPLE_DATA = Path(__file__).resolve().parent.parent

GENERATORS: dict[str, Callable[[Path], None]] = {
    "water_filter": generate_water_filter,
    "tutoring": generate_tutoring,
    "cookstoves": generate_cookstoves,
    "district_rollout": generate_district_rollout,
    "cookstoves_trial": generate_cookstoves_trial,
}
GENERATORS["city_transport"] = generate_city_transport
TRUTHS: dict[str, object] = {
    "water_filter": WATER_FILTER,
    "tutoring": TUTORING,
    "cookstoves": COOKSTOVES,
    "district_rollout": DISTRICT_ROLLOUT,
    "cookstoves_trial": COOKSTOVES_TRIAL,
}
TRUTHS["city_transport"] = CITY_TRANSPORT


def main(argv: list[str] | None = None) -> None:
    """Command-line entry point: ``python -m sample_data.generate [--out DIR] [--only NAME]``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--out", type=Path, default=SAMPLE_DATA, help="output folder (default: sample_data/)"
    )
    parser.add_argument("--only", choices=sorted(GENERATORS), help="regenerate one initiative")
    args = parser.parse_args(argv)
    for name, generate in GENERATORS.items():
        if args.only and name != args.only:
            continue
        generate(args.out / name)
