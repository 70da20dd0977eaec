"""The split is checked, not hoped for: catalogue/ and pathways/ import neither Textual nor Rich."""

from __future__ import annotations

import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

import catalogue
import pathways

REPO = Path(__file__).resolve().parent.parent
CORE_MODULES = sorted(
    f"{package.__name__}.{info.name}"
    for package in (catalogue, pathways)
    for info in pkgutil.iter_modules(package.__path__)
)


@pytest.mark.parametrize("module", CORE_MODULES)
def test_core_module_imports_no_screen_library(module: str) -> None:
    script = (
        f"import sys, {module}\n"
        "bad = sorted(m for m in ('textual', 'rich') if m in sys.modules)\n"
        "assert not bad, bad\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=REPO
    )
    assert result.returncode == 0, result.stderr


def test_there_are_core_modules_to_check() -> None:
    assert "catalogue.importer" in CORE_MODULES
