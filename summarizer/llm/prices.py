"""What a run's tokens cost in USD: the price table (prices.toml) or the user's ``--price``.

A price applies to the tokens an endpoint processed in the run; answers the run store held
cost nothing. The embedded model has no price: it costs nothing but the CPU's time.
"""

from __future__ import annotations

import functools
import math
import tomllib
from dataclasses import dataclass
from pathlib import Path

from summarizer.errors import SettingError

TABLE = Path(__file__).with_name("prices.toml")
PRICE_FORM = "INPUT,OUTPUT: USD per million prompt and completion tokens, e.g. --price 0.15,0.60"


@dataclass(frozen=True)
class Price:
    """USD per million prompt (``input``) and completion (``output``) tokens, and where it comes from.

    Example:
        >>> Price(0.15, 0.60).cost(prompt_tokens=10_000, completion_tokens=1_000)
        0.0021
    """

    input: float
    output: float
    as_of: str | None = None  # the table's date; None for a price the user gave
    source: str = "--price"

    def cost(self, prompt_tokens: int, completion_tokens: int) -> float:
        return round((prompt_tokens * self.input + completion_tokens * self.output) / 1_000_000, 8)

    @property
    def note(self) -> str:
        """Where the figure's rates come from, as the run's closing line says it."""
        if self.as_of:
            return f"prices as of {self.as_of}"
        return f"at --price {self.input:g},{self.output:g} per million tokens"

    def describe(self) -> dict:
        return {"input": self.input, "output": self.output, "as_of": self.as_of, "source": self.source,
                "note": self.note}


@functools.cache
def _table() -> dict[str, Price]:
    data = tomllib.loads(TABLE.read_text(encoding="utf-8"))
    prices = {}
    for name, entry in data["models"].items():
        price = Price(float(entry["input"]), float(entry["output"]), as_of=data["as_of"], source=data["source"])
        for alias in (name, *entry.get("snapshots", [])):
            prices[alias] = price
    return prices


def table_price(model: str) -> Price | None:
    """The table's price of ``model`` (a name or snapshot, optionally as ``openai/NAME``), if listed.

    Example:
        >>> table_price("gpt-4o-mini").input, table_price("qwen2.5:7b")
        (0.15, None)
    """
    return _table().get(model.removeprefix("openai/"))


def run_price(model: str, *, is_local: bool, given: Price | None) -> Price | None:
    """What a run's tokens cost: the price given, else the table's for ``model``; a local model, nothing."""
    return None if is_local else given or table_price(model)


def parse_price(value: str | tuple[float, float] | Price) -> Price:
    """A price from ``"INPUT,OUTPUT"`` (USD per million prompt and completion tokens) or a pair.

    Example:
        >>> parse_price("0.15, 0.6")
        Price(input=0.15, output=0.6, as_of=None, source='--price')
    """
    if isinstance(value, Price):
        return value
    parts = value.split(",") if isinstance(value, str) else list(value)
    try:
        numbers = [float(p) for p in parts]
    except (TypeError, ValueError):
        numbers = []
    if len(numbers) != 2 or not all(math.isfinite(n) and n >= 0 for n in numbers):
        shown = value if isinstance(value, str) else ",".join(map(str, parts))
        raise SettingError(f"--price '{shown}' (or SUMMARIZER_PRICE) is not {PRICE_FORM}")
    return Price(numbers[0], numbers[1])
