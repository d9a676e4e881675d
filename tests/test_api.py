"""The public API: every public name is reachable as ``ga.<name>``, and lazily."""

import subprocess
import sys

import pytest

import govanalysis as ga


@pytest.mark.parametrize("name", ga.__all__)
def test_every_public_name_is_reachable(name):
    value = getattr(ga, name)
    assert value.__module__.startswith("govanalysis.")
    assert not name.startswith("_")


def test_unknown_name_is_an_attribute_error():
    with pytest.raises(AttributeError, match="no attribute 'nonsense'"):
        ga.nonsense  # noqa: B018


def test_importing_the_package_loads_no_model_library():
    code = "import sys, govanalysis; print(any(m in sys.modules for m in ('sklearn', 'seaborn', 'jieba')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
