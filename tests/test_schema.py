"""The exported JSON Schema is the brief's contract with other tools: it must match the code."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema

from summarizer.schema import SCHEMA_FILE, IncidentBrief, brief_json_schema

ROOT = Path(__file__).parent.parent
FIXTURES = Path(__file__).parent / "fixtures" / "briefs"


def test_the_exported_json_schema_matches_the_incident_brief_model():
    exported = (ROOT / SCHEMA_FILE).read_text()
    assert exported == brief_json_schema(), (
        f"{SCHEMA_FILE} is out of date: run `python -m summarizer.schema > {SCHEMA_FILE}`"
    )


def test_fixture_briefs_validate_against_the_exported_schema():
    schema = json.loads((ROOT / SCHEMA_FILE).read_text())
    for fixture in sorted(FIXTURES.glob("*.json")):
        document = json.loads(fixture.read_text())
        jsonschema.validate(document, schema)
        IncidentBrief.model_validate(document)


def test_a_brief_missing_its_sources_fails_the_exported_schema():
    schema = json.loads((ROOT / SCHEMA_FILE).read_text())
    document = json.loads((FIXTURES / "sample_brief.json").read_text())
    del document["sources"]
    try:
        jsonschema.validate(document, schema)
    except jsonschema.ValidationError as error:
        assert "sources" in error.message
    else:
        raise AssertionError("a brief without sources validated")
