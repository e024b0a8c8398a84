"""impactkit's sample initiatives (water_filter, tutoring, cookstoves) and public reference data.

The synthetic data are written by :mod:`sample_data.generate` (``python -m sample_data.generate``).
"""
