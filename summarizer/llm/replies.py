"""What came back from the endpoint: the mode a request was built in, a completion's tokens and answer, and
a failed call's one-line description with any API key redacted."""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any

from summarizer.schema import Usage

if TYPE_CHECKING:
    from openai.types.chat import ChatCompletion

STATUS_HINTS = {
    401: "; check the API key (OPENAI_API_KEY)", 403: "; check the API key (OPENAI_API_KEY)",
    404: "; check the model name and the base URL (it usually ends in /v1)",
}


def describe(error: Exception, *, label: str, api_key: str | None, timeout: float, attempts: int) -> str:
    """One line for a failed call: the endpoint's ``label``, what happened (the server's own message), a hint."""
    import httpx2  # openai's HTTP library
    import openai

    hint = ""
    if isinstance(error, openai.APIStatusError):
        # The server's own message ("Incorrect API key provided"), not openai's "Error code: 401 - {...}" dump.
        said = error.body.get("message") if isinstance(error.body, dict) else None
        cause_text = f"HTTP {error.status_code}: {first_line(str(said or error.message))}"
        hint = STATUS_HINTS.get(error.status_code, "")
    elif isinstance(error, openai.APITimeoutError):
        cause_text = f"no answer within {timeout:g} s"
    elif isinstance(error, openai.APIConnectionError):
        reason = first_line(str(error.__cause__ or error))
        if isinstance(error.__cause__, httpx2.ConnectError):  # refused, no route, bad host
            cause_text, hint = f"cannot connect ({reason})", "; is the server running at that address?"
        else:
            cause_text = f"the connection broke ({reason})"
    else:
        cause_text = first_line(str(error))
    if cause_text.startswith(label):
        return redact(api_key, cause_text)
    tries = getattr(error, "summarizer_attempts", attempts)
    after = f" after {tries} attempts" if tries > 1 else ""
    return redact(api_key, f"{label}: {cause_text}{after}{hint}")


def redact(api_key: str | None, text: str) -> str:
    """``text`` with ``api_key`` and anything shaped like an API key or a bearer token replaced."""
    if api_key and api_key != "not-needed" and len(api_key) >= 6:
        text = text.replace(api_key, "[redacted]")
    return re.sub(r"\b(sk-[A-Za-z0-9_\-]{6,}|Bearer\s+\S+)", "[redacted]", text)


# How a line to the user names each structured-output mode.
MODE_NAMES = {"tools": "tool calls", "json_schema": "a JSON schema as response_format",
              "json": "JSON mode (the schema in the prompt)"}


def mode_of(request: dict) -> str:
    """The structured-output mode instructor built ``request`` in."""
    if request.get("tools"):
        return "tools"
    if (request.get("response_format") or {}).get("type") == "json_schema":
        return "json_schema"
    return "json"


def usage_of(completion: ChatCompletion) -> Usage:
    """One call's tokens, as the endpoint counted them."""
    return Usage(calls=1, prompt_tokens=_tokens(completion, "prompt_tokens"),
                 completion_tokens=_tokens(completion, "completion_tokens"))


def _tokens(completion: ChatCompletion, name: str) -> int:
    return getattr(completion.usage, name, 0) or 0 if completion.usage else 0


def tool_arguments(completion: Any) -> dict | None:
    """The answer's JSON object: a tool call's arguments, or the message itself (JSON modes)."""
    try:
        message = completion.choices[0].message
        arguments = message.tool_calls[0].function.arguments if message.tool_calls else message.content
        arguments = re.sub(r"^```(?:json)?\s*|\s*```$", "", arguments.strip())  # a fenced JSON answer
        answer = json.loads(arguments)
        return answer if isinstance(answer, dict) else None
    except Exception:
        return None


def is_parse_error(error: BaseException | None) -> bool:
    """Whether instructor could not parse the answer into the response model's fields."""
    from instructor.core import AsyncValidationError, ResponseParsingError

    return isinstance(error, (ResponseParsingError, AsyncValidationError))


def first_line(text: str) -> str:
    """A message's first line, at most 300 characters: what a one-line error shows of it."""
    return text.strip().splitlines()[0][:300] if text.strip() else ""
