"""What a stage gets back when every try failed: the raw answer, salvaged only as far as its shape holds."""

from __future__ import annotations

from summarizer.llm.client import Structured
from summarizer.schema import ConsolidationResponse, Usage


def failed(raw: dict | None) -> Structured:
    return Structured(value=None, raw=raw, usage=Usage(), reasks=0, errors=["check failed"], seconds=0.0)


DRAFT = {"summary": [{"text": "A convoy was attacked.", "claims": [1]}, {"text": "Two died.", "claims": [99]}],
         "title": "Convoy attacked", "incident_type": "attack", "places": []}


def test_a_raw_answer_of_the_right_shape_that_failed_only_its_check_is_salvaged_whole():
    draft = failed(DRAFT).salvaged(ConsolidationResponse)
    assert draft is not None and draft.title == "Convoy attacked"
    assert [s.claims for s in draft.summary] == [[1], [99]]  # the caller drops the bad reference


def test_a_raw_answer_without_the_answers_shape_is_no_answer_rather_than_an_error():
    assert failed({"summary": "not a list", "title": 3}).salvaged(ConsolidationResponse) is None
    assert failed(None).salvaged(ConsolidationResponse) is None


def test_a_valid_value_is_returned_as_it_is_and_its_raw_items_are_not_read():
    value = ConsolidationResponse.model_validate(DRAFT | {"summary": DRAFT["summary"][:1] * 2})
    answer = Structured(value=value, raw={"notes": [{"n": 1}]}, usage=Usage(), reasks=0, errors=[], seconds=0.0)
    assert answer.salvaged(ConsolidationResponse) is value
    assert answer.raw_items("notes") == []


def test_raw_items_are_the_list_the_raw_answer_holds_each_left_to_the_caller_to_check():
    assert failed({"notes": [{"n": 2, "kind": "event"}, "junk"]}).raw_items("notes") == [{"n": 2, "kind": "event"}, "junk"]
    assert failed({"notes": "junk"}).raw_items("notes") == []
    assert failed(None).raw_items("notes") == []
