"""Every data type of the pipeline, re-exported from the module of its job, so importers need not know which."""

# load -> ``Article``; segment -> ``SegmentedArticle`` (article.py); extract -> ``ArticleExtraction``
# (extraction.py, from the model's answers in answers.py, checked by rules.py); consolidate + verify ->
# ``IncidentBrief`` (brief.py).

from __future__ import annotations

from summarizer.schema.answers import (
    ClaimsResponse, ConsolidationResponse, DisagreementCheck, Metric, PairCheck, SentenceCasualties, TranslationResponse,
)
from summarizer.schema.article import Article, SegmentedArticle, Sentence
from summarizer.schema.brief import (
    SCHEMA_FILE, Actor, CasualtyClaim, CasualtyRange, Citation, Claim, DateValue, Diagnostics, Dispute, DroppedItem,
    IncidentBrief, Place, Position, Source, SummarySentence, TimelineEvent, Translation, Usage, When,
    brief_json_schema,
)
from summarizer.schema.extraction import ArticleExtraction, ExtractedCasualty, ExtractedClaim, ExtractionResponse
from summarizer.schema.rules import consolidation_problems, grounding_problems, note_problems

__all__ = [
    "SCHEMA_FILE", "Actor", "Article", "ArticleExtraction", "CasualtyClaim", "CasualtyRange", "Citation", "Claim",
    "ClaimsResponse", "ConsolidationResponse", "DateValue", "Diagnostics", "DisagreementCheck", "Dispute", "PairCheck",
    "DroppedItem", "ExtractedCasualty", "ExtractedClaim", "ExtractionResponse", "IncidentBrief", "Metric", "Place",
    "Position", "SegmentedArticle", "Sentence", "SentenceCasualties", "Source", "SummarySentence", "TimelineEvent",
    "Translation", "TranslationResponse", "Usage", "When", "brief_json_schema", "consolidation_problems",
    "grounding_problems", "note_problems",
]
