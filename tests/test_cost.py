"""What a run costs in USD: the price table's rates for the hosted models it lists, or --price;
the tokens the endpoint processed in the run, the run store's answers costing nothing."""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner
from sample_responder import SAMPLES, SampleResponder
from scripted_server import ScriptedServer

from summarizer import summarize
from summarizer.cli import cli
from summarizer.errors import BudgetError, SettingError
from summarizer.llm.client import LLM
from summarizer.llm.endpoint import resolve_endpoint
from summarizer.llm.prices import TABLE, Price, parse_price, table_price
from summarizer.store import RunStore

KEY = "sk-test-secret-key"
AS_OF = tomllib.loads(TABLE.read_text())["as_of"]


@pytest.fixture
def hosted():
    """The scripted server, serving under the name of a model in the price table."""
    with ScriptedServer(SampleResponder(), model="gpt-4o-mini") as server:
        yield server


@pytest.fixture(autouse=True)
def _no_settings_from_the_environment(monkeypatch):
    for name in ("OPENAI_BASE_URL", "OPENAI_API_KEY", "SUMMARIZER_MODEL", "SUMMARIZER_PRICE"):
        monkeypatch.delenv(name, raising=False)


def run(server: ScriptedServer, store: Path, model: str = "gpt-4o-mini", **options):
    return summarize(SAMPLES, base_url=server.base_url, model=model, api_key=KEY, store=store, **options)


def sent_calls(store: Path, run_id: int | None = None) -> list[dict]:
    calls = RunStore(store).calls(run_id, limit=10_000)
    return [c for c in calls if not c["cached"] and c["error"] is None]


def cost_at(calls: list[dict], price: Price) -> float:
    return price.cost(sum(c["prompt_tokens"] for c in calls), sum(c["completion_tokens"] for c in calls))


def test_the_table_lists_the_openai_models_with_a_date_and_a_source():
    table = tomllib.loads(TABLE.read_text())
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", table["as_of"]) and table["source"].startswith("https://")
    assert {name: (m["input"], m["output"]) for name, m in table["models"].items()}.items() >= {
        "gpt-4o": (2.50, 10.00), "gpt-4o-mini": (0.15, 0.60), "gpt-4.1": (2.00, 8.00),
        "gpt-4.1-mini": (0.40, 1.60), "gpt-4.1-nano": (0.10, 0.40)}.items()
    assert table_price("gpt-4o-mini-2024-07-18") == table_price("openai/gpt-4o-mini") == table_price("gpt-4o-mini")
    assert table_price("gpt-4o-2024-05-13") is None and table_price("qwen2.5:7b") is None


def test_a_model_in_the_table_costs_its_tokens_at_the_tables_rates(hosted, tmp_path):
    brief = run(hosted, tmp_path / "runs.db")

    calls = sent_calls(tmp_path / "runs.db")
    assert brief.diagnostics.usage.cost_usd == pytest.approx(cost_at(calls, table_price("gpt-4o-mini")), abs=1e-7)
    assert brief.diagnostics.usage.cost_usd > 0
    assert all(c["cost_usd"] == pytest.approx(cost_at([c], table_price("gpt-4o-mini")), abs=1e-9) for c in calls)


def test_price_overrides_the_table_and_supplies_one_for_a_model_it_does_not_list(hosted, tmp_path):
    overridden = run(hosted, tmp_path / "a.db", price="1,2")
    assert overridden.diagnostics.usage.cost_usd == pytest.approx(cost_at(sent_calls(tmp_path / "a.db"), Price(1, 2)))

    unknown = run(hosted, tmp_path / "b.db", model="scripted")
    assert unknown.diagnostics.usage.cost_usd is None
    assert {c["cost_usd"] for c in RunStore(tmp_path / "b.db").calls(limit=10_000)} == {None}

    supplied = run(hosted, tmp_path / "c.db", model="scripted", price=(0.5, 1.5))
    assert supplied.diagnostics.usage.cost_usd == pytest.approx(cost_at(sent_calls(tmp_path / "c.db"), Price(0.5, 1.5)))


def test_answers_the_run_store_held_cost_nothing_in_the_run_that_reuses_them(hosted, tmp_path):
    store = tmp_path / "runs.db"
    with pytest.raises(BudgetError):
        run(hosted, store, max_tokens_total=3000, concurrency=1)  # stopped part way: some answers stored

    resumed = run(hosted, store, concurrency=1)

    resumed_run = RunStore(store).runs()[0]["id"]
    calls = RunStore(store).calls(resumed_run, limit=10_000)
    cached = [c for c in calls if c["cached"]]
    assert cached and {c["cost_usd"] for c in cached} == {0.0}
    paid = [c for c in calls if not c["cached"]]
    assert resumed.diagnostics.usage.cost_usd == pytest.approx(cost_at(paid, table_price("gpt-4o-mini")), abs=1e-7)
    everything = table_price("gpt-4o-mini").cost(resumed.diagnostics.usage.prompt_tokens,
                                                 resumed.diagnostics.usage.completion_tokens)
    assert resumed.diagnostics.usage.cost_usd < everything  # the usage's tokens count the stored answers too


def test_the_embedded_model_has_no_price_whatever_is_given():
    embedded = resolve_endpoint()
    assert embedded.is_local
    assert LLM(embedded, price=parse_price("1,2")).price is None


@pytest.mark.parametrize("value", ["0.15", "a,b", "1,2,3", "-1,2", "nan,1", ""])
def test_a_malformed_price_is_a_setting_error_naming_the_option_and_its_form(value):
    with pytest.raises(SettingError) as caught:
        parse_price(value)
    assert str(caught.value) == (f"--price '{value}' (or SUMMARIZER_PRICE) is not INPUT,OUTPUT: USD per million "
                                 "prompt and completion tokens, e.g. --price 0.15,0.60")


# --------------------------------------------------------------------------- the command


def command(server: ScriptedServer, store: Path, *args: str, model: str = "gpt-4o-mini"):
    return CliRunner().invoke(cli, [str(SAMPLES), "--format", "json", "--base-url", server.base_url, "--model", model,
                                    "--api-key", KEY, "--store", str(store), *args])


def done_line(result) -> str:
    return next(line for line in result.stderr.splitlines() if line.startswith("Done in"))


def test_the_closing_line_adds_the_cost_and_the_date_of_the_prices(hosted, tmp_path):
    result = command(hosted, tmp_path / "runs.db")

    assert result.exit_code == 0, result.output
    cost = json.loads(result.stdout)["diagnostics"]["usage"]["cost_usd"]
    assert done_line(result).endswith(f" completion) · ${cost:.4f} (prices as of {AS_OF})")

    logged = CliRunner().invoke(cli, ["logs", "--calls", "1", "--json", "--store", str(tmp_path / "runs.db")])
    calls = [json.loads(line) for line in logged.stdout.splitlines()]
    assert calls and all(c["cost_usd"] > 0 for c in calls)
    assert sum(c["cost_usd"] for c in calls) == pytest.approx(cost)


def test_the_closing_line_says_which_tokens_a_resumed_run_paid_for(hosted, tmp_path):
    assert command(hosted, tmp_path / "runs.db", "--max-tokens-total", "3000", "--concurrency", "1").exit_code == 5

    result = command(hosted, tmp_path / "runs.db", "--price", "1,2")

    assert result.exit_code == 0, result.output
    assert re.search(r" · \$\d+\.\d{4} \(for the [\d,]+ tokens sent; the run store's answers cost nothing; "
                     r"at --price 1,2 per million tokens\)$", done_line(result)), done_line(result)


def test_the_closing_line_shows_no_cost_when_the_price_is_unknown(hosted, tmp_path):
    result = command(hosted, tmp_path / "runs.db", model="scripted")
    assert result.exit_code == 0, result.output
    assert "$" not in done_line(result)


@pytest.mark.parametrize("where", ["option", "environment"])
def test_a_malformed_price_exits_2_with_one_line_before_any_model_call(hosted, tmp_path, monkeypatch, where):
    if where == "environment":
        monkeypatch.setenv("SUMMARIZER_PRICE", "0.15")
    result = command(hosted, tmp_path / "runs.db", *(["--price", "0.15"] if where == "option" else []))

    assert result.exit_code == 2
    assert result.stderr.splitlines() == ["summarize: error: --price '0.15' (or SUMMARIZER_PRICE) is not INPUT,OUTPUT: "
                                          "USD per million prompt and completion tokens, e.g. --price 0.15,0.60"]
    assert hosted.chat_requests == []
