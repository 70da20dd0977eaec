"""Shared fixtures: real catalogue files on disk, built once per session from the packaged data."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from catalogue.build import build_catalogue

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def packaged_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A catalogue built from the packaged data, illustrative JDs included. Do not modify."""
    return build_catalogue(tmp_path_factory.mktemp("packaged") / "workforce.db")


@pytest.fixture(scope="session")
def reference_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A catalogue of reference data only (no JDs). Do not modify."""
    path = tmp_path_factory.mktemp("reference") / "workforce.db"
    return build_catalogue(path, reference_only=True)


@pytest.fixture
def catalogue_copy(packaged_db: Path, tmp_path: Path) -> Path:
    """A private copy of the packaged catalogue that a test may change."""
    return Path(shutil.copy(packaged_db, tmp_path / "packaged-copy.db"))


@pytest.fixture
def empty_catalogue(reference_db: Path, tmp_path: Path) -> Path:
    """A private copy of a reference-only catalogue (no JDs) that a test may change."""
    return Path(shutil.copy(reference_db, tmp_path / "empty-copy.db"))
