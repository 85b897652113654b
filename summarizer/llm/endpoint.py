"""Where requests go: the endpoint (model, URL, structured-output mode, context) and how it is chosen.

Also which server errors refuse a structured-output mode, so that "auto" can take the next one.
"""

from __future__ import annotations

import dataclasses
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from summarizer.errors import EndpointError
from summarizer.store import RunStore

EMBEDDED_MODEL = "qwen2.5-coder-1.5b-instruct-q4_k_m"

# How a structured answer is asked for: a forced tool call (OpenAI, vLLM, llama.cpp, Ollama), a
# JSON schema as response_format (servers that constrain output but offer no tools), or JSON mode
# with the schema in the prompt (any server that can answer JSON). Instructor's modes of these names.
# "auto" (an endpoint's default) starts with tools and takes the next mode when the server refuses one.
MODES = ("tools", "json_schema", "json")
STRUCTURED_OUTPUTS = ("auto", *MODES)
# A server that does not take a way of asking says so with one of these statuses and names it
# (Ollama: 400 "... does not support tools"; OpenAI: 400 "'response_format' of type 'json_schema'
# is not supported with this model"). An auth error, a 5xx or a context overflow is not a refusal.
REFUSAL_STATUSES = frozenset({400, 404, 422, 501})
_REFUSED = {
    "tools": re.compile(r"\btool|function", re.I),
    "json_schema": re.compile(r"response_format|json_schema|json schema|structured output", re.I),
}
_UNSUPPORTED = re.compile(r"not supported|unsupported|does ?n[o']t support|not implemented", re.I)
_ABOUT_ANOTHER_PARAMETER = re.compile(
    r"max_tokens|max_completion_tokens|temperature|\bseed\b|context (length|window|size)|maximum context", re.I)
# The context a request may fill unless told otherwise: the embedded model's, and the smallest
# that models served today commonly have. Below the minimum, the instructions, a window of a few
# sentences and the answer do not fit (see ``extract.window_chars``).
DEFAULT_CONTEXT_TOKENS = 8192
MIN_CONTEXT_TOKENS = 2048


@dataclass(frozen=True)
class Endpoint:
    """Where requests go. ``base_url`` None means the embedded model, started on first need."""

    model: str
    base_url: str | None = None
    api_key: str = field(default="not-needed", repr=False)
    model_path: Path | None = None
    structured_output: str = "tools"  # the mode requests are sent in (one of MODES)
    # Chosen by "auto": a server's refusal of the mode moves the run on to the next (see LLM.structured).
    auto_structured_output: bool = False
    # The tokens one request may hold, prompt and answer: a long report is read in windows that fit.
    context_tokens: int = DEFAULT_CONTEXT_TOKENS

    @property
    def is_local(self) -> bool:
        return self.base_url is None

    @property
    def is_embedded(self) -> bool:
        """The embedded model itself (not a GGUF file of the user's, not an endpoint)."""
        return self.base_url is None and self.model_path is None

    @property
    def identity(self) -> str:
        """What the cache keys on: the model that answers, not the port it answers on."""
        # A context other than the default changes how long reports are cut into windows, so the brief.
        context = "" if self.context_tokens == DEFAULT_CONTEXT_TOKENS else f" [{self.context_tokens} tokens]"
        if not self.is_local:
            mode = "" if self.structured_output == "tools" else f" ({self.structured_output})"
            return f"{self.model}@{self.base_url}{mode}{context}"
        if self.model_path is None:
            return f"embedded:{EMBEDDED_MODEL}{context}"
        stat = self.model_path.stat()
        return f"gguf:{self.model_path.name}:{stat.st_size}{context}"

    @property
    def label(self) -> str:
        return self.base_url or (str(self.model_path) if self.model_path else f"embedded {EMBEDDED_MODEL}")

    @property
    def server(self) -> str:
        """The model at its server: what the run store remembers a structured-output mode for."""
        return f"{self.model}@{self.base_url}"


def remembered_structured_output(endpoint: Endpoint, store: RunStore | None) -> Endpoint:
    """In auto mode, the endpoint in the mode an earlier run found its server to take, if one did.

    What a brief depends on (``Endpoint.identity``, so the cache keys and the fingerprint) is the
    mode requests are sent in, not how it was chosen; this lets a run know it before its first call.
    """
    if not endpoint.auto_structured_output or store is None:
        return endpoint
    found = store.structured_output(endpoint.server)
    return dataclasses.replace(endpoint, structured_output=found) if found in MODES else endpoint


def resolve_endpoint(
    model: str | None = None, base_url: str | None = None, api_key: str | None = None,
    model_path: str | os.PathLike | None = None, structured_output: str | None = None,
    context_tokens: int | str | None = None,
) -> Endpoint:
    """The endpoint these values name (``Settings.from_env`` reads them: arguments, then environment);
    structured output "auto" unless given; with no endpoint configured, the embedded model (or the
    GGUF file at ``model_path``), which always answers by tool call and is started with a context of
    ``context_tokens``.

    Example:
        >>> resolve_endpoint(base_url="http://localhost:11434/v1", model="qwen2.5:7b").is_local
        False
    """
    mode = structured_output or "auto"
    if mode not in STRUCTURED_OUTPUTS:
        raise EndpointError(f"structured output '{mode}' is not one of {', '.join(STRUCTURED_OUTPUTS)}; "
                            "pass --structured-output (or set SUMMARIZER_STRUCTURED_OUTPUT) to one of them")
    context = _context_tokens(context_tokens or DEFAULT_CONTEXT_TOKENS)
    if model_path is None and (base_url or (api_key and model)):
        if not model:
            raise EndpointError(f"{base_url}: no model name; pass --model (or set SUMMARIZER_MODEL)")
        return Endpoint(model=model, base_url=base_url or "https://api.openai.com/v1", api_key=api_key or "not-needed",
                        structured_output="tools" if mode == "auto" else mode, auto_structured_output=mode == "auto",
                        context_tokens=context)
    if model_path is not None:
        from summarizer.local.weights import check_model_file

        path = check_model_file(Path(model_path))
        return Endpoint(model=path.stem, model_path=path, context_tokens=context)
    return Endpoint(model=EMBEDDED_MODEL, context_tokens=context)


def _context_tokens(value: int | str) -> int:
    try:
        tokens = int(value)
    except ValueError:
        tokens = 0
    if tokens < MIN_CONTEXT_TOKENS:
        raise EndpointError(f"a context of '{value}' tokens cannot hold the instructions, a window of a report and "
                            f"the answer; pass --context-tokens (or set SUMMARIZER_CONTEXT_TOKENS) of at least "
                            f"{MIN_CONTEXT_TOKENS}")
    return tokens


def refuses(error: Exception, mode: str) -> bool:
    """Whether ``error`` is a server saying it does not take ``mode``'s way of asking for structure:
    a 400, 404, 422 or 501 whose body names it ("tools", "function", "response_format", "json_schema")
    or says "not supported", and names no other parameter (max_tokens, temperature, the context).
    Ollama's 400 "llama3 does not support tools" is one; a 401, a 500 or a context overflow is not.
    """
    if getattr(error, "status_code", None) not in REFUSAL_STATUSES or mode not in _REFUSED:
        return False
    response = getattr(error, "response", None)
    try:
        body = response.text if response is not None else ""
    except Exception:  # noqa: BLE001 - a body that cannot be read says nothing
        body = ""
    body = f"{body} {getattr(error, 'message', '')}"
    if _ABOUT_ANOTHER_PARAMETER.search(body):
        return False
    return bool(_REFUSED[mode].search(body) or _UNSUPPORTED.search(body))
