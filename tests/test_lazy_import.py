"""``import impactkit`` is lazy (issue 10): it loads neither matplotlib, statsmodels nor
scipy.stats, yet every public name is importable from ``impactkit`` exactly as before."""

from __future__ import annotations

import importlib
import json
import subprocess
import sys

import pytest

import impactkit

HEAVY = ("matplotlib", "statsmodels", "scipy.stats")


def _fresh(code: str) -> object:
    """Run ``code`` in a new interpreter (modules load once per process); it prints JSON."""
    out = subprocess.run(
        [sys.executable, "-c", code], check=True, capture_output=True, text=True
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def test_import_impactkit_loads_no_heavy_library() -> None:
    code = (
        "import json, sys\nimport impactkit\n"
        f"print(json.dumps([m for m in {HEAVY!r} if m in sys.modules]))"
    )
    assert _fresh(code) == []


def test_the_check_sees_a_heavy_library_when_one_is_loaded() -> None:
    """The probe above can fail: touching the charts does load matplotlib."""
    code = (
        "import json, sys\nimport impactkit\nimpactkit.charts\n"
        f"print(json.dumps([m for m in {HEAVY!r} if m in sys.modules]))"
    )
    assert "matplotlib" in _fresh(code)


def test_from_impactkit_import_every_public_name_in_a_fresh_process() -> None:
    code = (
        "import json\nimport impactkit\n"
        "ns = {}\nexec('from impactkit import *', ns)\n"
        "missing = [n for n in impactkit.__all__ if n not in ns]\n"
        "exec('from impactkit import did, Catalog, load_initiative, charts', ns)\n"
        "print(json.dumps(missing))"
    )
    assert _fresh(code) == []


# home module of each public name (the same object must come out of impactkit)
HOME = {name: module for name, (module, _) in impactkit._LAZY.items()}


@pytest.mark.parametrize("name", sorted(HOME))
def test_public_name_is_the_object_of_its_module(name: str) -> None:
    module_name, attr = impactkit._LAZY[name]
    module = importlib.import_module(f"impactkit.{module_name}")
    assert getattr(impactkit, name) is getattr(module, attr)
    namespace: dict[str, object] = {}
    exec(f"from impactkit import {name}", namespace)
    assert namespace[name] is getattr(module, attr)


def test_all_lists_exactly_the_lazy_names_and_dir_shows_them() -> None:
    lazy = set(impactkit._LAZY) | set(impactkit._SUBMODULES) | {"__version__"}
    assert set(impactkit.__all__) == lazy
    assert len(impactkit.__all__) == len(set(impactkit.__all__))
    assert set(impactkit.__all__) <= set(dir(impactkit))


def test_submodules_are_attributes() -> None:
    for name in ("errors", "catalogs", "charts"):
        assert getattr(impactkit, name) is importlib.import_module(f"impactkit.{name}")


def test_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no_such_name"):
        impactkit.no_such_name  # noqa: B018
    with pytest.raises(ImportError):
        exec("from impactkit import no_such_name", {})
