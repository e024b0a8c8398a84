"""Forest plot of a :class:`~impactkit.portfolio.meta.MetaAnalysis`."""

from __future__ import annotations

from matplotlib.axes import Axes

from impactkit.portfolio.meta import MetaAnalysis

__all__ = ["forest_plot"]


def forest_plot(meta: MetaAnalysis, ax: Axes | None = None) -> Axes:
    """Each initiative's estimate and interval (marker size by weight) and the pooled diamond."""
    if ax is None:
        import matplotlib.pyplot as plt

        _, ax = plt.subplots(figsize=(6.5, 0.45 * meta.k + 1.6))
    frame = meta.to_frame()
    studies = frame.iloc[:-1]
    ys = list(range(meta.k, 0, -1))
    ax.hlines(ys, studies["ci_low"], studies["ci_high"], color="#333", linewidth=1.2)
    ax.scatter(
        studies["estimate"],
        ys,
        s=40 + 400 * studies["weight"],
        marker="s",
        color="#2b6cb0",
        zorder=3,
    )
    diamond_x = [meta.ci_low, meta.estimate, meta.ci_high, meta.estimate]
    ax.fill(diamond_x, [0, 0.25, 0, -0.25], color="#c05621", zorder=3)
    ax.axvline(
        0 if "ratio" not in meta.scale or "log" in meta.scale else 1, color="#888", linestyle=":"
    )
    ax.set_yticks(ys + [0], list(studies["label"]) + [f"Pooled ({meta.method})"])
    ax.set_ylim(-0.8, meta.k + 0.8)
    ax.set_xlabel(f"{meta.indicator} — {meta.scale}")
    ax.set_title(
        f"τ² = {meta.tau2:.3g}, I² = {meta.i2:.0%}, Q = {meta.q:.3g} ({meta.q_df} df)", fontsize=9
    )
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    return ax
