"""The portfolio as ONE self-contained HTML page that works offline, opened from a file.

Everything is inline: the SVG map, the CSS and the script.  A Content-Security-Policy meta
tag forbids every remote load (``default-src 'none'``; the inline script and style are
allowed by their SHA-256 hashes only), so the page cannot fetch anything even if a user's
text were to contain markup; all user text is escaped as well.  The filters (geography,
impact area, asset class, sector, evidence strength, verdict) and the text search hide table
rows and map marks together; clicking a row or a mark highlights both.
"""

from __future__ import annotations

import base64
import hashlib
import html
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from urllib.parse import quote

from impactkit.portfolio.geo import Area
from impactkit.portfolio.mapsvg import VERDICT_COLOURS, map_svg, verdict_colour
from impactkit.portfolio.records import HeadlineEffect, InitiativeRecord

__all__ = ["FILTERS", "portfolio_html", "headline_text", "filter_values"]

FILTERS = (
    ("geo", "Geography"),
    ("impact", "Impact area"),
    ("asset", "Asset class"),
    ("sector", "Sector"),
    ("evidence", "Evidence strength"),
    ("verdict", "Verdict"),
)

_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:1.5rem;color:#222}
h1{font-size:1.4rem;margin:0 0 .3rem}
.filters{display:flex;flex-wrap:wrap;gap:.6rem 1rem;margin:1rem 0}
.filters label{font-size:.85rem;display:flex;flex-direction:column}
.portfolio-map{max-width:100%;height:auto;border:1px solid #bbb}
.mark{cursor:pointer}.mark.off{display:none}.mark.selected{stroke:#000;stroke-width:3}
table{border-collapse:collapse;width:100%;margin-top:1rem;font-size:.9rem}
th,td{border-bottom:1px solid #ddd;padding:.35rem .5rem;text-align:left;vertical-align:top}
tr.selected td{background:#fff6cc}tbody tr{cursor:pointer}
.legend span{margin-right:1rem;font-size:.85rem}#count{font-size:.9rem;color:#444}
"""

_JS = """
(function(){
  var rows=[].slice.call(document.querySelectorAll('#initiatives tbody tr'));
  var marks=[].slice.call(document.querySelectorAll('.mark'));
  var selects=[].slice.call(document.querySelectorAll('select[data-filter]'));
  var search=document.getElementById('search');
  function has(row,key,value){return value===''||row.getAttribute('data-'+key).split('|').indexOf(value)>=0;}
  function apply(){
    var text=search.value.trim().toLowerCase(),shown={},n=0;
    rows.forEach(function(row){
      var ok=selects.every(function(s){return has(row,s.getAttribute('data-filter'),s.value);});
      ok=ok&&(text===''||row.getAttribute('data-search').indexOf(text)>=0);
      row.hidden=!ok;if(ok){shown[row.getAttribute('data-initiative')]=true;n++;}
    });
    marks.forEach(function(m){m.classList.toggle('off',!shown[m.getAttribute('data-initiative')]);});
    document.getElementById('count').textContent=n+' of '+rows.length+' initiatives shown';
  }
  function select(id){
    rows.forEach(function(r){r.classList.toggle('selected',r.getAttribute('data-initiative')===id);});
    marks.forEach(function(m){m.classList.toggle('selected',m.getAttribute('data-initiative')===id);});
  }
  selects.forEach(function(s){s.addEventListener('change',apply);});
  search.addEventListener('input',apply);
  rows.forEach(function(r){r.addEventListener('click',function(e){if(e.target.tagName!=='A'){select(r.getAttribute('data-initiative'));}});});
  marks.forEach(function(m){m.addEventListener('click',function(){
    var id=m.getAttribute('data-initiative');select(id);
    var row=document.querySelector('#initiatives tbody tr[data-initiative="'+id+'"]');
    if(row){row.scrollIntoView({block:'nearest'});}
  });});
  apply();
})();
"""


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _dot(colour: str) -> str:
    return f'<svg width="12" height="12" aria-hidden="true"><circle cx="6" cy="6" r="5" fill="{colour}"/></svg>'


def _hash(source: str) -> str:
    return (
        "'sha256-"
        + base64.b64encode(hashlib.sha256(source.encode("utf-8")).digest()).decode()
        + "'"
    )


def headline_text(effect: HeadlineEffect) -> str:
    """``"name: +0.12 (95% CI 0.05 to 0.19) percentage points, improved"`` (plain text)."""
    pct = round(effect.confidence * 100)
    unit = f" {effect.scale}" if effect.scale else (f" {effect.unit}" if effect.unit else "")
    verdict = f", {effect.verdict}" if effect.verdict else ""
    return (
        f"{effect.name}: {effect.estimate:+.3g} ({pct}% CI {effect.ci_low:.3g} to "
        f"{effect.ci_high:.3g}){unit}{verdict}"
    )


def filter_values(record: InitiativeRecord) -> dict[str, list[str]]:
    """The values under which ``record`` is found by each filter of the page."""
    loc, areas = record.location, record.impact_areas
    geo = [v for v in (loc.country, loc.region) if v] + list(loc.admin_areas)
    impact = [f"SDG {g}" for g in areas.sdg_goals] + [f"SDG target {t}" for t in areas.sdg_targets]
    impact += [f"IRIS+ {c}" for c in areas.iris_categories]
    impact += [f"IMP {d}" for d in areas.imp_dimensions]
    return {
        "geo": geo,
        "impact": impact,
        "asset": [record.asset_class] if record.asset_class else [],
        "sector": [record.sector] if record.sector else [],
        "evidence": [record.evidence_strength] if record.evidence_strength else [],
        "verdict": [record.verdict] if record.verdict else [],
    }


def _report_href(record: InitiativeRecord, out_dir: Path) -> str | None:
    if not record.report_file:
        return None
    target = (record.source.parent / record.report_file).resolve()
    rel = os.path.relpath(target, out_dir.resolve())
    return quote(Path(rel).as_posix())


def _row(i: int, record: InitiativeRecord, out_dir: Path) -> str:
    values = filter_values(record)
    attrs = " ".join(f'data-{k}="{_e("|".join(v))}"' for k, v in values.items())
    head = "<br>".join(_e(headline_text(h)) for h in record.headline[:3]) or "—"
    href = _report_href(record, out_dir)
    link = f'<a href="{_e(href)}">report (PDF)</a>' if href else "no report file recorded"
    cost = record.costs
    cost_text = (
        f"{cost.cost_per_outcome:,.0f} {cost.currency or ''} per {cost.outcome or 'outcome'}"
        if cost.cost_per_outcome is not None
        else "—"
    )
    where = ", ".join(values["geo"]) or "—"
    search = " ".join(
        [record.name, record.organisation, where, record.funder or "", record.sector or ""]
        + [h.name for h in record.headline]
    ).lower()
    swatch = _dot(verdict_colour(record.verdict))
    return (
        f'<tr data-initiative="{i}" {attrs} data-search="{_e(search)}">'
        f"<td><strong>{_e(record.name)}</strong><br>{_e(record.organisation)}<br>{link}</td>"
        f"<td>{_e(where)}</td><td>{head}</td>"
        f"<td>{swatch} {_e(record.verdict or '—')}</td>"
        f"<td>{_e(record.evidence_strength or '—')}</td><td>{_e(cost_text.strip())}</td></tr>"
    )


def _filters(records: Sequence[InitiativeRecord]) -> str:
    found: dict[str, set[str]] = {key: set() for key, _ in FILTERS}
    for record in records:
        for key, values in filter_values(record).items():
            found[key].update(values)
    parts = []
    for key, label in FILTERS:
        options = "".join(f'<option value="{_e(v)}">{_e(v)}</option>' for v in sorted(found[key]))
        parts.append(
            f'<label>{_e(label)}<select data-filter="{key}" id="filter-{key}">'
            f'<option value="">all</option>{options}</select></label>'
        )
    parts.append(
        '<label>Search<input id="search" type="search" placeholder="name, place, …"></label>'
    )
    return '<div class="filters">' + "".join(parts) + "</div>"


def portfolio_html(
    records: Sequence[InitiativeRecord],
    areas: Mapping[int, Sequence[Area]],
    out_dir: Path,
    title: str = "Impact portfolio",
) -> str:
    """The whole page as a string; links to reports are relative to ``out_dir``."""
    svg = map_svg(records, areas)
    legend = "".join(f"<span>{_dot(c)} {_e(v)}</span>" for v, c in VERDICT_COLOURS.items())
    rows = "".join(_row(i, r, out_dir) for i, r in enumerate(records))
    csp = (
        f"default-src 'none'; script-src {_hash(_JS)}; style-src {_hash(_CSS)}; img-src data:; "
        "base-uri 'none'; form-action 'none'"
    )
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{_e(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{_e(title)}</title><style>{_CSS}</style></head>
<body><h1>{_e(title)}</h1>
<p>{len(records)} initiatives, read from their results files. Colours show the verdict of each
initiative's first headline effect.</p>
{_filters(records)}<p id="count"></p>
<div class="legend">{legend}</div>{svg}
<table id="initiatives"><thead><tr><th>Initiative</th><th>Where</th><th>Headline change</th>
<th>Verdict</th><th>Evidence</th><th>Cost per outcome</th></tr></thead><tbody>{rows}</tbody></table>
<script>{_JS}</script></body></html>
"""
