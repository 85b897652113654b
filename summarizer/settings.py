"""A run's settings, read once: arguments (or command options) first, then the environment variables.

``Settings`` is what ``summarize()``, ``run_eval()``, ``baseline_brief()`` and the command share;
``from_environment`` is the one place summarizer reads one of its environment variables.

Example:
    >>> settings = Settings.from_env(model="qwen2.5:7b", base_url="http://localhost:11434/v1")
    >>> settings.endpoint().label
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import platformdirs

from summarizer.errors import SettingError
from summarizer.llm.prices import Price, parse_price
from summarizer.text.language import NAMES

if TYPE_CHECKING:
    from summarizer.llm.endpoint import Endpoint
    from summarizer.store import RunStore

# Each setting's environment variable, for the library and the command's options alike.
ENVIRONMENT = {
    "model": "SUMMARIZER_MODEL",
    "base_url": "OPENAI_BASE_URL",
    "api_key": "OPENAI_API_KEY",
    "structured_output": "SUMMARIZER_STRUCTURED_OUTPUT",
    "context_tokens": "SUMMARIZER_CONTEXT_TOKENS",
    "prompts": "SUMMARIZER_PROMPTS",
    "max_tokens_total": "SUMMARIZER_MAX_TOKENS_TOTAL",
    "price": "SUMMARIZER_PRICE",
    "cache_dir": "SUMMARIZER_CACHE_DIR",
    "language": "SUMMARIZER_LANGUAGE",
}
# The settings a library call takes from the environment; a token budget is set by the command's
# --max-tokens-total (or its SUMMARIZER_MAX_TOKENS_TOTAL), or by the argument, never implied.
LIBRARY_ENVIRONMENT = ("model", "base_url", "api_key", "structured_output", "context_tokens", "prompts", "price",
                       "language")


def from_environment(setting: str) -> str | None:
    """The value of a setting's environment variable (``ENVIRONMENT``); unset or empty is None."""
    return os.environ.get(ENVIRONMENT[setting]) or None


def cache_dir() -> Path:
    """The user cache folder (assembled model, run store); ``SUMMARIZER_CACHE_DIR`` overrides it."""
    override = from_environment("cache_dir")
    path = Path(override) if override else Path(platformdirs.user_cache_dir("summarizer"))
    path.mkdir(parents=True, exist_ok=True)
    return path


@dataclass(frozen=True)
class Settings:
    """How a run reaches its model, what it may spend, and where it keeps its answers.

    ``price`` may be given as "INPUT,OUTPUT" or a pair; it is parsed here, so a malformed one fails
    before any report is read, as does a ``language`` the brief cannot be written in.
    ``context_tokens`` and ``structured_output`` are checked when the endpoint is resolved
    (``endpoint()``), as are an environment variable's values for them.
    """

    model: str | None = None
    base_url: str | None = None
    api_key: str | None = field(default=None, repr=False)  # never printed
    model_path: str | os.PathLike | None = None
    structured_output: str | None = None
    context_tokens: int | str | None = None  # an environment variable's text until endpoint() checks it
    prompts: str | os.PathLike | None = None
    max_tokens_total: int | None = None
    price: Price | str | tuple[float, float] | None = None
    cache: bool = True
    store: RunStore | str | os.PathLike | None = None
    concurrency: int | None = None
    language: str | None = None  # the brief's language, ISO 639-1 (None: English)
    translate: bool = True  # a translation beside each cited sentence in another language than the brief's

    def __post_init__(self) -> None:
        if self.price is not None:
            object.__setattr__(self, "price", parse_price(self.price))
        language = (self.language or "en").strip().lower()
        if language not in NAMES:
            raise SettingError(f"--language '{self.language}' (or SUMMARIZER_LANGUAGE) is not one of "
                               f"{', '.join(NAMES)}: the languages a brief can be written in")
        object.__setattr__(self, "language", language)

    @classmethod
    def from_env(cls, **given) -> Settings:
        """The settings given (by the names of the fields); each of ``LIBRARY_ENVIRONMENT`` not given
        (None or empty) is its environment variable's value, if set.

        Example:
            >>> Settings.from_env(model="gpt-4o-mini").base_url  # OPENAI_BASE_URL, if set
        """
        for setting in LIBRARY_ENVIRONMENT:
            given[setting] = given.get(setting) or from_environment(setting)
        return cls(**given)

    def endpoint(self) -> Endpoint:
        """The endpoint these settings name (the embedded model when none is configured)."""
        # Imported here: the client imports the run store, which imports this module's cache_dir.
        from summarizer.llm.endpoint import resolve_endpoint

        return resolve_endpoint(model=self.model, base_url=self.base_url, api_key=self.api_key,
                                model_path=self.model_path, structured_output=self.structured_output,
                                context_tokens=self.context_tokens)
