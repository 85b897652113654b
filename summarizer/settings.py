"""Where summarizer keeps files between runs, and the environment variables it reads."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs


def cache_dir() -> Path:
    """The user cache folder (assembled model, run store); ``SUMMARIZER_CACHE_DIR`` overrides it."""
    override = os.environ.get("SUMMARIZER_CACHE_DIR")
    path = Path(override) if override else Path(platformdirs.user_cache_dir("summarizer"))
    path.mkdir(parents=True, exist_ok=True)
    return path
