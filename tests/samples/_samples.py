"""Names shared by the tests of the sample initiatives (test_sample_data, test_recovery)."""

from __future__ import annotations

INITIATIVES = ("water_filter", "tutoring", "cookstoves")
