"""The ``sampling:`` section: how each data set was drawn, as a :class:`SurveyDesign`.

```yaml
sampling:
  households: {weights: w, strata: district, psu: village, fpc: n_villages, lonely_psu: adjust}
```

Every key is optional; a data set without an entry is taken as a simple random sample of
rows.  The designs are used by the indicator tables, the subgroup estimates and the
data-quality appendix; a difference-in-differences clusters its errors on the PSU unless
``design.cluster`` says otherwise.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..errors import DataError
from ..survey import LONELY_PSU_OPTIONS, SurveyDesign
from ._reader import Section

__all__ = ["SAMPLING_KEYS", "parse_sampling"]

SAMPLING_KEYS = ("weights", "strata", "psu", "fpc", "nest", "lonely_psu")


def parse_sampling(top: Section, data_files: Mapping[str, Any]) -> dict[str, SurveyDesign]:
    """``{data set name: SurveyDesign}`` from ``sampling:``; errors name the file and key."""
    raw = top.get("sampling")
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise top.error("sampling", "expected a mapping of data set names to designs")
    designs: dict[str, SurveyDesign] = {}
    for name in raw:
        if name not in data_files:
            raise top.error(
                f"sampling.{name}", f"no data set {name!r}; declared: {', '.join(data_files)}"
            )
        section = Section(raw[name], f"sampling.{name}", top.file, SAMPLING_KEYS)
        designs[str(name)] = _design(section)
    return designs


def _design(section: Section) -> SurveyDesign:
    fpc: str | float | None = section.get("fpc")
    if fpc is not None and not isinstance(fpc, str):
        fpc = section.number("fpc")
    nest = section.get("nest")
    if nest is not None and not isinstance(nest, bool):
        raise section.error(section.key("nest"), f"expected true or false, got {nest!r}")
    lonely = section.choice("lonely_psu", LONELY_PSU_OPTIONS, default="error")
    try:
        return SurveyDesign(
            weights=section.text("weights"),
            strata=section.text("strata"),
            psu=section.text("psu"),
            fpc=fpc,
            nest=bool(nest),
            lonely_psu=lonely,  # type: ignore[arg-type]  # checked by choice()
        )
    except DataError as exc:
        raise section.error(section.where, str(exc)) from None
