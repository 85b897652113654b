"""Print the brief's JSON Schema: ``python -m summarizer.schema > schemas/incident_brief.schema.json``."""

from summarizer.schema.brief import brief_json_schema

print(brief_json_schema(), end="")
