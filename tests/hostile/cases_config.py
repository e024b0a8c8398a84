"""Hostile cases: the initiative file's structure and types, YAML attacks, paths."""

from __future__ import annotations

import os
from pathlib import Path

from impactkit.errors import ConfigError, IndicatorDefinitionError, OutputError

from ._corpus import Case, args, chain, replace, set_key, write


def _symlink(name: str, target: str) -> object:
    def mutate(folder: Path) -> None:
        path = folder / name
        path.unlink(missing_ok=True)
        os.symlink(target if target.startswith("/") else folder / target, path)

    return mutate


def _loop(name: str) -> object:
    def mutate(folder: Path) -> None:
        path = folder / name
        path.unlink(missing_ok=True)
        os.symlink(folder / f"{name}.b", path)
        os.symlink(path, folder / f"{name}.b")

    return mutate


def _fifo(name: str) -> object:
    def mutate(folder: Path) -> None:
        path = folder / name
        path.unlink(missing_ok=True)
        os.mkfifo(path)

    return mutate


def _folder(name: str) -> object:
    def mutate(folder: Path) -> None:
        path = folder / name
        path.unlink(missing_ok=True)
        path.mkdir()

    return mutate


def _catalog_at(path: str) -> object:
    return set_key("indicators.catalog", [path])


INIT = "initiative.yaml"
C = ConfigError

STRUCTURE = [
    Case("top-level-list", write("- a\n- b\n"), C, (INIT, "mapping")),
    Case("empty-file", write(""), C, (INIT, "mapping")),
    Case("top-level-text", write("just words\n"), C, (INIT, "mapping")),
    Case("no-name", set_key("name", None), C, (INIT, "'name'", "required")),
    Case("no-organisation", set_key("organisation", None), C, ("'organisation'", "required")),
    Case("no-description", set_key("description", None), C, ("'description'", "required")),
    Case("no-period", set_key("period", None), C, ("'period'", "required")),
    Case("period-reversed", set_key("period.end", "2023-01-01"), C, ("period", "before")),
    Case("period-words", set_key("period.start", "next year"), C, ("period.start", "YYYY-MM-DD")),
    Case("period-feb-30", replace("start: 2024-01-01", "start: 2024-02-30"), C, ("period.start",)),
    Case("period-unknown-key", set_key("period.middle", "2024-06-01"), C, ("period.middle",)),
    Case("unknown-top-key", set_key("colour", "red"), C, ("'colour'", "unknown key")),
    Case("name-list", set_key("name", ["a", "b"]), C, ("'name'", "expected text")),
    Case("name-mapping", set_key("name", {"a": 1}), C, ("'name'", "expected text")),
    Case("name-bool", set_key("name", True), C, ("'name'", "expected text")),
    Case("name-nul", set_key("name", "River\0side"), C, ("'name'", "NUL")),
    Case("no-data", set_key("data", None), C, ("'data'", "required")),
    Case("data-empty", set_key("data", {}), C, ("'data'", "mapping")),
    Case("data-list", set_key("data", ["survey.csv"]), C, ("'data'", "mapping")),
    Case("data-missing-file", set_key("data.survey", "nope.csv"), C, ("data.survey", "not found")),
    Case("data-suffix", set_key("data.survey", "survey.txt"), C, ("data.survey",)),
    Case("data-number", set_key("data.survey", 7), C, ("data.survey", "file path")),
    Case("data-empty-path", set_key("data.survey", ""), C, ("data.survey", "file path")),
    Case("no-indicators", set_key("indicators", None), C, ("'indicators'", "required")),
    Case("no-catalog", set_key("indicators.catalog", None), C, ("indicators.catalog",)),
    Case("catalog-missing", _catalog_at("nope.yaml"), C, ("indicators.catalog", "not found")),
    Case("catalog-txt", _catalog_at("indicators.txt"), C, ("indicators.catalog", ".yaml")),
    Case("catalog-passwd", _catalog_at("/etc/passwd"), C, ("indicators.catalog", ".yaml")),
    Case("catalog-environ", _catalog_at("/proc/self/environ"), C, ("indicators.catalog",)),
    Case("catalog-number", set_key("indicators.catalog", [3]), C, ("indicators.catalog",)),
    Case("headline-unknown", set_key("indicators.headline", ["fule"]), C, ("'fule'", "fuel")),
    Case(
        "headline-four",
        chain(
            set_key("indicators.headline", ["fuel", "symptoms", "score", "fuel2"]),
        ),
        C,
        ("indicators.headline", "one to 3", "4"),
    ),
    Case("headline-empty", set_key("indicators.headline", []), C, ("indicators.headline",)),
    Case("headline-mapping", set_key("indicators.headline", {"a": 1}), C, ("headline",)),
    Case("no-design", set_key("design", None), C, ("'design'", "required")),
    Case("design-type", set_key("design.type", "magic"), C, ("design.type",)),
    Case("design-data", set_key("design.data", "elsewhere"), C, ("design.data", "no data set")),
    Case("design-paired-yes", set_key("design.paired", "yes"), C, ("design.paired",)),
    Case("design-unknown-key", set_key("design.colour", 1), C, ("design.colour",)),
    Case("multiplicity", set_key("multiplicity", "magic"), C, ("multiplicity", "holm")),
    Case("report-date", set_key("report_date", "tomorrow"), C, ("report_date", "YYYY-MM-DD")),
    Case("columns-list", set_key("columns", ["unit"]), C, ("'columns'", "mapping")),
    Case("columns-unit-list", set_key("columns.unit", ["a"]), C, ("columns.unit", "text")),
    Case("subgroups-mapping", set_key("subgroups", {"a": 1}), C, ("subgroups",)),
]

NUMBERS = [
    Case("cost-negative", set_key("costs.total", -5), C, ("costs.total", "positive")),
    Case("cost-text", set_key("costs.total", "lots"), C, ("costs.total", "number")),
    Case("cost-inf", replace("total: 10000", "total: .inf"), C, ("costs.total", "finite")),
    Case("cost-nan", replace("total: 10000", "total: .nan"), C, ("costs.total", "finite")),
    Case("cost-item-nan", replace("stoves: 6000", "stoves: .nan"), C, ("costs.items.stoves",)),
    Case("cost-item-negative", set_key("costs.items.stoves", -6000), C, ("costs.items.stoves",)),
    Case("cost-items-sum", set_key("costs.items.staff", 1), C, ("costs.items", "add up")),
    Case("cost-items-text", set_key("costs.items.staff", "4000"), C, ("costs.items",)),
    Case("lab-efficacy-1.5", set_key("lab.efficacy", 1.5), C, ("lab.efficacy", "(0, 1]")),
    Case("lab-efficacy-nan", replace("efficacy: 0.5", "efficacy: .nan"), C, ("lab.efficacy",)),
    Case("lab-ci-reversed", set_key("lab.ci", [0.6, 0.4]), C, ("lab.ci", "low")),
    Case("lab-ci-nan", replace("ci: [0.4, 0.6]", "ci: [.nan, 0.6]"), C, ("lab.ci",)),
    Case("lab-ci-three", set_key("lab.ci", [0.1, 0.2, 0.3]), C, ("lab.ci",)),
    Case("pilot-n-negative", set_key("lab.pilot_effect.n", -5), C, ("lab.pilot_effect.n", "-5")),
    Case("pilot-n-fraction", set_key("lab.pilot_effect.n", 2.5), C, ("lab.pilot_effect.n",)),
    Case("pilot-n-inf", replace("n: 50", "n: .inf"), C, ("lab.pilot_effect.n", "finite")),
    Case("pilot-ci-missing", set_key("lab.pilot_effect.ci", None), C, ("lab.pilot_effect.ci",)),
    Case(
        "pilot-ci-nan",
        replace("ci: [-1.5, -0.5]", "ci: [.nan, -0.5]"),
        C,
        ("lab.pilot_effect.ci",),
    ),
    Case("pilot-estimate-inf", replace("estimate: -1.0", "estimate: -.inf"), C, ("estimate",)),
    Case("cascade-one-stage", set_key("adoption.cascade.stages", ["aware"]), C, ("two stages",)),
    Case(
        "cascade-label-unknown",
        set_key("adoption.cascade.labels", {"paid": "Paid"}),
        C,
        ("adoption.cascade.labels", "'paid'"),
    ),
    Case("cascade-target-share", set_key("adoption.cascade.target", 0.5), C, ("target", "share")),
    Case(
        "cascade-target-inf",
        replace("unit: household_id\n  sus", "target: .inf\n    unit: household_id\n  sus"),
        C,
        ("target",),
    ),
    Case("horizons-negative", set_key("adoption.sustained_use.horizons", [-1]), C, ("horizons",)),
    Case(
        "horizons-inf",
        replace("horizons: [90, 180]", "horizons: [90, .inf]"),
        C,
        ("horizons", "finite"),
    ),
    Case("horizons-text", set_key("adoption.sustained_use.horizons", "soon"), C, ("horizons",)),
]

_BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8)
)
_ALIASES = "x: &x 1\ny: [" + ", ".join(["*x"] * 500) + "]\n"

YAML = [
    Case("alias-bomb", write(_BOMB + "name: x\n"), C, (INIT, "expands", "aliases")),
    Case("alias-count", write(_ALIASES), C, (INIT, "aliases")),
    Case("unhashable-key", write("? [a, b]\n: 1\n"), C, (INIT, "key")),
    Case("mapping-key", write("{? {a: 1} : 2}\n"), C, (INIT, "key")),
    Case("deep-lists", write("[" * 20000 + "]" * 20000), C, (INIT, "nested")),
    Case("deep-mappings", write("a: " * 200 + "1\n"), C, (INIT,)),
    Case("deep-flow-mappings", write("{a: " * 300 + "1" + "}" * 300), C, (INIT, "nested")),
    Case("latin-1", write("name: caf\xe9\n".encode("latin-1")), C, (INIT, "UTF-8", "line 1")),
    Case("utf-16", write("name: x\n".encode("utf-16")), C, (INIT, "UTF-8")),
    Case("nul-byte", write(b"name: a\x00b\n"), C, (INIT, "NUL")),
    Case("binary", write(bytes(range(256)) * 4), C, (INIT,)),
    Case(
        "duplicate-key", replace("currency: USD", "currency: USD\ncurrency: EUR"), C, ("duplicate",)
    ),
    Case(
        "python-tag",
        write('name: !!python/object/apply:os.system ["touch /tmp/ik_pwned"]\n'),
        C,
        (INIT, "not valid YAML"),
    ),
    Case("bad-indent", write("name: a\n  b: c\n d: e\n"), C, (INIT, "not valid YAML")),
    Case("tab-indent", write("name:\n\t- a\n"), C, (INIT, "not valid YAML")),
    Case("huge-file", write("name: a\n" + "# pad\n" * 1_000_000), C, (INIT, "larger than")),
    Case(
        "huge-value-in-error",
        set_key("multiplicity", "m" * 1_000_000),
        C,
        ("multiplicity", "characters"),
    ),
    Case(
        "huge-list-in-error", set_key("subgroups", [[i] for i in range(20_000)]), C, ("subgroups",)
    ),
    Case("bom", replace('name: "Hostile', '\ufeffname: "Hostile'), None),
]


def _outside(folder: Path) -> None:
    shared = folder.parent / "shared"
    shared.mkdir()
    (folder / "survey.csv").rename(shared / "survey.csv")


def _lists_outside_file(folder: Path, out: Path) -> None:
    import hashlib

    digest = hashlib.sha256((folder.parent / "shared" / "survey.csv").read_bytes()).hexdigest()
    html = out.read_text(encoding="utf-8")
    assert "outside the initiative" in html and digest in html


PATHS = [
    Case(
        "data-outside-folder",
        chain(_outside, set_key("data.survey", "../shared/survey.csv")),
        None,
        check=_lists_outside_file,
    ),
    Case("initiative-folder", chain(_folder("sub"), args("--initiative", "sub")), C, ("folder",)),
    Case("initiative-missing", args("--initiative", "nope.yaml"), C, ("not found",)),
    Case(
        "initiative-fifo",
        chain(_fifo("pipe.yaml"), args("--initiative", "pipe.yaml")),
        C,
        ("FIFO",),
    ),
    Case(
        "initiative-loop",
        chain(_loop("loop.yaml"), args("--initiative", "loop.yaml")),
        C,
        ("loop",),
    ),
    Case("data-folder", _folder("survey.csv"), C, ("data.survey", "folder")),
    Case("data-fifo", _fifo("survey.csv"), C, ("data.survey", "FIFO")),
    Case("data-device", _symlink("survey.csv", "/dev/null"), C, ("data.survey", "device")),
    Case("data-zero", _symlink("survey.csv", "/dev/zero"), C, ("data.survey", "device")),
    Case("data-loop", _loop("survey.csv"), C, ("data.survey", "loop")),
    Case("data-proc", set_key("data.survey", "/proc/self/environ"), C, ("data.survey",)),
    Case("catalog-folder", chain(_folder("cat.yaml"), _catalog_at("cat.yaml")), C, ("folder",)),
    Case("catalog-fifo", chain(_fifo("cat.yaml"), _catalog_at("cat.yaml")), C, ("FIFO",)),
    Case("catalog-loop", chain(_loop("cat.yaml"), _catalog_at("cat.yaml")), C, ("loop",)),
    Case(
        "catalog-dev-null-yaml",
        chain(_symlink("cat.yaml", "/dev/null"), _catalog_at("cat.yaml")),
        C,
        ("device",),
    ),
    Case("out-initiative", args("--out", "{folder}/initiative.yaml"), OutputError, ("input",)),
    Case("out-data", args("--out", "{folder}/survey.csv"), OutputError, ("input", "survey.csv")),
    Case("out-catalog", args("--out", "{folder}/indicators.yaml"), OutputError, ("input",)),
    Case("out-folder", args("--out", "{folder}"), OutputError, ("folder",)),
    Case(
        "out-hardlink",
        chain(
            lambda f: os.link(f / "survey.csv", f / "copy.html") and None,
            args("--out", "{folder}/copy.html"),
        ),
        OutputError,
        ("input",),
    ),
    Case(
        "out-results-onto-input",
        chain(
            lambda f: (f / "survey.csv").rename(f / "r.results.csv") and None,
            set_key("data.survey", "r.results.csv"),
            args("--out", "{folder}/r.html"),
        ),
        OutputError,
        ("input", "r.results.csv"),
    ),
    Case("out-format", args("--out", "{folder}/../x.pdf"), OutputError, ("does not match",)),
    Case(
        "catalog-expression-bomb",
        replace('value: "fuel_kg"', 'value: "' + "fuel_kg" + " + 0" * 450 + '"', "indicators.yaml"),
        IndicatorDefinitionError,
        ("'fuel'", "nested too deeply"),
    ),
]
