"""The pipeline, top to bottom: load -> segment -> extract -> consolidate -> attribute -> verify -> translate."""

from __future__ import annotations

import hashlib
import importlib.metadata
import os
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from summarizer.stages.consolidate import consolidate, find_off_topic
from summarizer.stages.attribute import attributed
from summarizer.stages.extract import extract_all
from summarizer.llm.client import LLM
from summarizer.llm.endpoint import Endpoint, remembered_structured_output
from summarizer.llm.model import ChatModel
from summarizer.llm.pool import CallPool
from summarizer.stages.load import Corpus, load
from summarizer.llm.prices import Price, run_price
from summarizer.llm.prompts import prompts_dir, user_prompts, user_prompts_dir
from summarizer.schema import Article, ArticleExtraction, IncidentBrief, SegmentedArticle, Usage
from summarizer.stages.segment import segment
from summarizer.settings import Settings
from summarizer.store import RunStore
from summarizer.stages.translate import translated, untranslated
from summarizer.stages.verify import verify_brief

# progress(event, data): "loaded" (with "unchanged_since", a run id, when nothing changed since
# that run: "done" follows at once); "model-starting" and "model-ready" (the local model, only when
# a request is not answered from the run store); "window-read" (a window of a report longer than
# one call holds: path, window, windows, sentences); "read" (an article's claims, one per article);
# "extracted" (an article's casualty figures, one per article, after all are read);
# "structured-output" (auto mode: the server refused a way of asking and the run takes the next:
# refused, mode, reason, message; once per mode); "consolidating"; "translating" (sentences, sources:
# the cited sentences of reports in another language than the brief's); "done" (seconds, usage with
# cost_usd, sent: the usage of the calls the run store did not answer, price: its rates or None).
ProgressCallback = Callable[[str, dict], None]

# Calls in flight against a hosted endpoint (a 429 is retried after its Retry-After). The
# local server runs one at a time: two cores gain nothing from parallel requests.
REMOTE_CONCURRENCY = 32


def summarize(
    source: str | os.PathLike | Sequence[Article | str | os.PathLike | dict],
    *,
    settings: Settings | None = None,
    model: str | None = None,
    base_url: str | None = None,
    api_key: str | None = None,
    model_path: str | os.PathLike | None = None,
    structured_output: str | None = None,
    context_tokens: int | None = None,
    prompts: str | os.PathLike | None = None,
    max_tokens_total: int | None = None,
    price: str | tuple[float, float] | Price | None = None,
    cache: bool = True,
    store: RunStore | str | os.PathLike | None = None,
    concurrency: int | None = None,
    language: str | None = None,
    translate: bool = True,
    progress: ProgressCallback | None = None,
    chat_model: ChatModel | None = None,
) -> IncidentBrief:
    """Summarise a folder (or a list) of reports about one incident into a source-attributed brief.

    The keyword arguments are the fields of ``Settings`` (settings.py), then the environment, as
    ``Settings.from_env`` reads them; or pass ``settings`` instead. With no endpoint configured (no
    ``base_url`` argument, no ``OPENAI_BASE_URL``), the embedded local model runs on the CPU.
    Responses are kept in the run store, so an interrupted run resumes; when the reports, the model
    and this code are those of a finished run (see ``fingerprint``), that run's brief is the answer,
    with no model call. ``prompts`` is a folder of templates that replace the project's of the same
    names (checked first; see ``check_prompts``). ``context_tokens`` is the context one request may
    fill (default 8,192): a longer report is read in windows of whole sentences that fit it; the
    embedded model is started with it. ``max_tokens_total`` caps the tokens the endpoint processes
    in this run: past it the run stops with ``BudgetError``, every answer so far stored for the next
    run. ``price`` ("INPUT,OUTPUT" or a pair: USD per million prompt and completion tokens; else
    ``SUMMARIZER_PRICE``, else the table in prices.toml) puts what the run's calls cost in
    ``brief.diagnostics.usage.cost_usd``. ``chat_model`` answers the requests in-process instead of
    the endpoint's server (see ``summarizer.llm.model``); the endpoint still names the model in the
    cache keys and the fingerprint. ``language`` (ISO 639-1, default English; else
    ``SUMMARIZER_LANGUAGE``) is the brief's: the model writes its title, summary and dispute
    questions in it, and with ``translate`` each cited sentence of a report in another language
    gets a translation beside it (checked to keep its figures; every check runs on the original).

    Example:
        >>> brief = summarize("samples/tinzaouatene")
        >>> for claim in brief.casualties:
        ...     print(claim.claimant, claim.figure, claim.party, claim.metric)
    """
    given = dict(model=model, base_url=base_url, api_key=api_key, model_path=model_path,
                 structured_output=structured_output, context_tokens=context_tokens, prompts=prompts,
                 max_tokens_total=max_tokens_total, price=price, store=store, concurrency=concurrency,
                 language=language)
    if settings is None:
        # the price and the language are checked before any report is read
        settings = Settings.from_env(**given, cache=cache, translate=translate)
    elif not cache or not translate or any(value is not None for value in given.values()):
        raise TypeError("summarize() takes settings or its keyword arguments, not both")
    with user_prompts(settings.prompts):
        return _summarize(source, settings, progress, chat_model)


def _summarize(source, settings: Settings, progress: ProgressCallback | None,
               chat_model: ChatModel | None) -> IncidentBrief:
    notify = progress or (lambda event, data: None)
    seconds: dict[str, float] = {}
    started = time.monotonic()

    corpus = load(source)
    segmented = [segment(article) for article in corpus.articles]
    seconds["load+segment"] = time.monotonic() - started
    skipped = [s.model_dump() for s in corpus.skipped]

    endpoint = settings.endpoint()
    label = str(source) if isinstance(source, (str, os.PathLike)) else f"{len(segmented)} articles"
    store = settings.store
    run_store = store if isinstance(store, RunStore) else RunStore(store)
    try:
        endpoint = remembered_structured_output(endpoint, run_store)
        unchanged = fingerprint(endpoint, corpus, settings)
        if settings.cache and (earlier := run_store.finished_brief(unchanged)):
            run_id, brief_json = earlier
            notify("loaded", {"articles": len(segmented), "skipped": skipped, "unchanged_since": run_id})
            brief = _replayed(run_store, label, segmented, endpoint, unchanged, run_id, brief_json, started, seconds)
            rates = run_price(endpoint.model, is_local=endpoint.is_local, given=settings.price)
            nothing = Usage(cost_usd=0.0 if rates else None).model_dump()  # no call: nothing spent in this run
            notify("done", {"seconds": brief.diagnostics.seconds["total"], "usage": nothing, "sent": nothing,
                            "price": rates.describe() if rates else None})
            return brief
        notify("loaded", {"articles": len(segmented), "skipped": skipped})
        return _brief_from_model(corpus, segmented, endpoint, run_store, label, unchanged, settings, notify=notify,
                                 started=started, seconds=seconds, chat_model=chat_model)
    finally:
        if run_store is not store:
            run_store.close()


def fingerprint(endpoint: Endpoint, corpus: Corpus, settings: Settings) -> str:
    """What a brief depends on: the reports as read (text, metadata, files skipped), the model,
    the brief's language and whether it translates a report, and the code that asks it (the package, its
    prompt templates, instructor, openai, pydantic).

    Calls are made at temperature 0 with a fixed seed and every answer is kept in the run store,
    so a run whose fingerprint matches a finished run's would replay that run's answers into
    the same brief: the stored brief is returned instead, without importing the model client.
    """
    digest = hashlib.sha256(endpoint.identity.encode())
    for article in corpus.articles:
        digest.update(article.model_dump_json().encode())
    for skipped in corpus.skipped:
        digest.update(skipped.model_dump_json().encode())
    # Translating changes a brief only where a report is in another language than the brief's.
    translates = settings.translate and any(a.language and a.language != settings.language for a in corpus.articles)
    digest.update(f"language={settings.language} translate={translates}".encode())
    digest.update(code_version().encode())
    return digest.hexdigest()


def code_version() -> str:
    """A hash of this package's files and prompt templates, and the versions of the libraries
    that shape its requests."""
    digest = hashlib.sha256()
    for folder in (Path(__file__).parent, prompts_dir(), *filter(None, [user_prompts_dir()])):
        for path in sorted(folder.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes())
    for package in ("instructor", "openai", "pydantic"):
        digest.update(f"{package}=={importlib.metadata.version(package)}".encode())
    return digest.hexdigest()


def _replayed(
    run_store: RunStore, label: str, segmented: Sequence[SegmentedArticle], endpoint: Endpoint, unchanged: str,
    earlier: int, brief_json: str, started: float, seconds: dict[str, float],
) -> IncidentBrief:
    """The brief of an earlier run with the same fingerprint, logged as a run of its own."""
    run_id = run_store.start_run(label, [a.article.id for a in segmented], endpoint.identity, unchanged)
    brief = IncidentBrief.model_validate_json(brief_json)
    seconds["total"] = time.monotonic() - started
    brief.diagnostics.seconds = {k: round(v, 2) for k, v in seconds.items()}
    brief.diagnostics.unchanged_since = earlier
    run_store.finish_run(run_id, brief_json=brief.model_dump_json())
    return brief


def _brief_from_model(
    corpus: Corpus, segmented: list[SegmentedArticle], endpoint: Endpoint, run_store: RunStore, label: str,
    unchanged: str, settings: Settings, *, notify: ProgressCallback, started: float, seconds: dict[str, float],
    chat_model: ChatModel | None = None,
) -> IncidentBrief:
    with recorded_run(endpoint, run_store, label, segmented, cache=settings.cache, progress=notify,
                      fingerprint=unchanged, token_budget=settings.max_tokens_total, price=settings.price, chat_model=chat_model) as llm:
        mark = time.monotonic()

        def extracted(article: SegmentedArticle, extraction: ArticleExtraction) -> None:
            notify("extracted", {
                "path": article.article.path or article.article.id, "claims": len(extraction.claims),
                "casualties": len(extraction.casualties), "seconds": extraction.seconds,
                "dropped": len(extraction.dropped), "tokens": extraction.usage.prompt_tokens + extraction.usage.completion_tokens,
            })

        def read(article: SegmentedArticle, claims: int, seconds: float) -> None:
            notify("read", {"path": article.article.path or article.article.id, "claims": claims, "seconds": seconds})

        workers = settings.concurrency or (1 if endpoint.is_local else REMOTE_CONCURRENCY)
        off = find_off_topic(segmented, settings.language)  # reports about another incident cost no model call
        on_topic = [s for s in segmented if s.article.id not in off]
        extractions = extract_all(on_topic, llm, concurrency=workers, on_read=read, on_done=extracted)
        seconds["extract"] = time.monotonic() - mark

        notify("consolidating", {"claims": sum(len(e.claims) for e in extractions)})
        mark = time.monotonic()
        brief = attributed(consolidate(segmented, extractions, llm, off_topic=off, concurrency=workers,
                                       language=settings.language), segmented)
        seconds["consolidate"] = time.monotonic() - mark

        mark = time.monotonic()
        brief = brief.model_copy(update={"diagnostics": brief.diagnostics.model_copy(update={
            "usage": sum((e.usage for e in extractions), Usage()) + brief.diagnostics.usage,
            "reasks": sum(e.reasks for e in extractions) + brief.diagnostics.reasks,
            "dropped": [d for e in extractions for d in e.dropped] + brief.diagnostics.dropped,
            "skipped_files": [f"{s.path}: {s.reason}" for s in corpus.skipped],
        })})
        brief = verify_brief(brief)
        seconds["verify"] = time.monotonic() - mark
        if settings.translate and (pending := untranslated(brief, settings.language)):
            notify("translating", {"sentences": sum(map(len, pending.values())), "sources": len(pending)})
            mark = time.monotonic()
            with CallPool(workers) as pool:
                brief = translated(brief, llm, settings.language, run=pool.map)
            seconds["translate"] = time.monotonic() - mark
        seconds["total"] = time.monotonic() - started
        brief.diagnostics.seconds = {k: round(v, 2) for k, v in seconds.items()}
        # A run that moved on to another structured-output mode made its brief in that one.
        ended_in = unchanged if llm.endpoint == endpoint else fingerprint(llm.endpoint, corpus, settings)
        llm.store.finish_run(llm.run_id, brief_json=brief.model_dump_json(), fingerprint=ended_in)
        notify("done", {"seconds": seconds["total"], "usage": brief.diagnostics.usage.model_dump(),
                        "sent": llm.spent.model_dump(), "price": llm.price.describe() if llm.price else None})
        return brief


@contextmanager
def recorded_run(
    endpoint: Endpoint, store: RunStore | str | os.PathLike | None, label: str,
    articles: Sequence[SegmentedArticle], *, cache: bool = True, progress: ProgressCallback | None = None,
    fingerprint: str | None = None, token_budget: int | None = None, price: Price | None = None,
    chat_model: ChatModel | None = None,
) -> Iterator[LLM]:
    """An LLM whose calls are logged under one run of the store; the run is marked failed if
    the block raises. The caller finishes a successful run with ``llm.store.finish_run``.

    Example:
        >>> with recorded_run(resolve_endpoint(), None, "my folder", segmented) as llm:
        ...     brief = one_shot_brief(segmented, llm)
        ...     llm.store.finish_run(llm.run_id, brief_json=brief.model_dump_json())
    """
    owns_store = not isinstance(store, RunStore)
    run_store = RunStore(store) if owns_store else store
    llm = LLM(endpoint, store=run_store, cache=cache, token_budget=token_budget, price=price, chat_model=chat_model)
    if progress:
        llm.progress = progress  # the local server starts only if a request is not in the run store
    llm.run_id = run_store.start_run(label, [a.article.id for a in articles], llm.endpoint.identity, fingerprint)
    try:
        yield llm
    except BaseException as error:
        run_store.finish_run(llm.run_id, error=f"{type(error).__name__}: {error}"[:500])
        raise
    finally:
        llm.close()
        if owns_store:
            run_store.close()
