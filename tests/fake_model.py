"""An in-process model for pipeline tests: answers each typed request without HTTP.

``FakeModel`` is a ``summarizer.llm.model.ChatModel``: the pipeline hands it the answer type it
asks for (ClaimsResponse, SentenceCasualties, ...) and the request as it would be sent, and it
answers with a dict, by default the fixture's answer for the sample reports (``SampleAnswers``,
the answers the loopback scripted server gives). Transport and fault tests use the scripted server.

    fake = FakeModel()
    brief = summarize(SAMPLES, base_url=fake.base_url, model="scripted", chat_model=fake)
"""

from __future__ import annotations

import copy
import threading
from collections.abc import Callable

from sample_responder import SampleAnswers

from summarizer.llm.model import ChatRequest

# The endpoint a fake stands in for: it names the model in the cache keys, and nothing is sent there.
FAKE_BASE_URL = "http://fake-model.invalid/v1"

Answer = Callable[[str, dict], dict]


class FakeModel:
    """Answers each request with ``answer(name, body)``: ``name`` the answer type asked for,
    ``body`` the request (messages, tools or response_format). Records every request."""

    base_url = FAKE_BASE_URL

    def __init__(self, answer: Answer | None = None):
        self.answers = SampleAnswers() if answer is None else None
        self.answer: Answer = answer or self.answers.answer
        self.requests: list[ChatRequest] = []
        self._lock = threading.Lock()

    def complete(self, request: ChatRequest) -> dict:
        # A copy as sent: instructor appends a re-ask to the very messages list it sent before.
        request = ChatRequest(request.response_model, copy.deepcopy(request.body))
        with self._lock:
            self.requests.append(request)
        return self.answer(request.response_model.__name__, request.body)

    @property
    def chat_requests(self) -> list[dict]:
        """Bodies of the requests, in arrival order."""
        with self._lock:
            return [r.body for r in self.requests]

    def requests_for(self, name: str) -> list[dict]:
        """Bodies of the requests for the answer type ``name``, in arrival order."""
        with self._lock:
            return [r.body for r in self.requests if r.response_model.__name__ == name]
