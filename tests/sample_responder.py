"""Scripted model answers for the sample reports, read from tests/fixtures/scripted/tinzaouatene.json.

``SampleAnswers`` gives them in-process (tests/fake_model.py); ``SampleResponder`` serves the same
answers from the loopback scripted server (tests/scripted_server.py).

The responder reads each request the way the model would: which report is in the prompt
(ClaimsResponse), which sentence is asked about (SentenceCasualties), which two claims are
compared (DisagreementCheck), and which numbered claims the consolidation prompt lists
(ConsolidationResponse, SummaryChoice).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from scripted_server import ToolCall, message_text, tool_name

from summarizer.stages.load import load
from summarizer.stages.segment import segment

FIXTURE = Path(__file__).parent / "fixtures" / "scripted" / "tinzaouatene.json"
SAMPLES = Path(__file__).parent.parent / "samples" / "tinzaouatene"


class SampleAnswers:
    """The fixture's answer to every pipeline request about the sample folder, by the answer type
    asked for; records what it was asked. Used in-process by tests/fake_model.py."""

    def __init__(self, fixture: Path = FIXTURE, samples: Path = SAMPLES):
        self.script = json.loads(fixture.read_text())
        self.segmented = {a.path: segment(a) for a in load(samples).articles}
        self.asked: list[str] = []
        self.overrides: dict[str, list] = {}  # answer type -> answers (or callables on the body) to give first

    def answer(self, name: str, body: dict):
        """The answer (a dict) to the request ``body`` for a ``name`` (ClaimsResponse, ...)."""
        self.asked.append(name)
        if self.overrides.get(name):
            answer = self.overrides[name].pop(0)
            return answer(body) if callable(answer) else answer
        text = message_text(body)
        if name == "ClaimsResponse":
            return {"notes": self.article(text)["notes"]}
        if name == "SentenceCasualties":
            path, n = self.sentence(body)
            return {"figures": self.script["articles"][path]["figures"].get(str(n), [])}
        if name == "ConsolidationResponse":
            return self.consolidation(body)
        if name == "SummaryChoice":  # the embedded model's: the claims its summary sentences cite, picked
            drafted = self.consolidation(body)
            return {"title": drafted["title"], "incident_type": drafted["incident_type"],
                    "summary": list(dict.fromkeys(s["claims"][0] for s in drafted["summary"] if s["claims"])),
                    "places": [p["name"] for p in drafted["places"]]}
        if name == "DisagreementCheck":
            return self.disagreement(text)
        if name == "PairCheck":
            return self.pair_check(text)
        raise AssertionError(f"unexpected answer type {name}")

    def article(self, text: str) -> dict:
        for path, segmented in self.segmented.items():
            if all(s.text in text for s in segmented.sentences[1:3]):
                return self.script["articles"][path]
        raise AssertionError("no sample report in the prompt")

    def sentence(self, body: dict) -> tuple[str, int]:
        user = next(m["content"] for m in body["messages"] if m["role"] == "user")  # not the system prompt's example
        m = re.search(r'Sentence: "\[(\d+)\] (.*)"', user)
        n, text = int(m[1]), m[2]
        for path, segmented in self.segmented.items():
            if (s := segmented.sentence(n)) and s.text == text:
                return path, n
        raise AssertionError(f"sentence {n} is in no sample report")

    def disagreement(self, text: str) -> dict:
        first = re.search(r"^Claim A \(by .*?\): (.*)$", text, re.M)[1]
        second = re.search(r"^Claim B \(by .*?\): (.*)$", text, re.M)[1]
        for pair in self.script["disagreements"]:
            if (pair["a"] in first and pair["b"] in second) or (pair["b"] in first and pair["a"] in second):
                return {"disagree": True, "question": pair["question"], "kind": pair["kind"]}
        return {"disagree": False, "question": "none", "kind": "other"}

    def pair_check(self, text: str) -> dict:
        """A plain reading, as a small model gives it: B denies A when B says a word of denying;
        two sentences give different years when each writes a year the other does not; B names
        A's dead apart when it says they were not civilians."""
        first = re.search(r"^Sentence A \(by .*?\): (.*)$", text, re.M)[1]
        second = re.search(r"^Sentence B \(by .*?\): (.*)$", text, re.M)[1]
        statement = re.search(r"^Statement: (.*)$", text, re.M)[1]
        if "killed" in statement:  # who the dead were: the same dead when B says A's word for them is wrong
            yes = bool(re.search(r"\b(?:not|no|non|et non)\s+(?:des\s+)?civil", second, re.I))
        elif "years" in statement:
            years = [set(re.findall(r"\b(?:19|20)\d\d\b", t)) for t in (first, second)]
            yes = bool(years[0] - years[1]) and bool(years[1] - years[0])
        else:
            yes = bool(re.search(r"\b(?:den(?:y|ies|ied)|refute|reject|contest)", second, re.I))
        return {"answer": "yes" if yes else "no"}

    def consolidation(self, body: dict) -> dict:
        user = next(m["content"] for m in body["messages"] if m["role"] == "user")
        claims = [(int(m[1]), m[2]) for m in re.finditer(r"^(\d+)\. (.+)$", user.split("Claims:", 1)[1], re.M)]

        def claim_numbers(snippets: list[str]) -> list[int]:
            return [n for n, line in claims if any(s.lower() in line.lower() for s in snippets)]

        draft = self.script["consolidation"]
        return {
            "places": draft["places"],
            "summary": [{"text": s["text"], "claims": claim_numbers(s["claims"])} for s in draft["summary"]],
            "title": draft["title"],
            "incident_type": draft["incident_type"],
        }


class SampleResponder(SampleAnswers):
    """The same answers served by the loopback scripted server: a dict answer is sent as a tool call."""

    def __call__(self, body: dict):
        answer = self.answer(tool_name(body), body)
        return ToolCall(answer) if isinstance(answer, dict) else answer
