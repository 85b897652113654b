"""summarizer: a folder of news reports about one incident -> a source-attributed incident brief.

Example:
    >>> from summarizer import summarize
    >>> brief = summarize("samples/tinzaouatene")
    >>> print(brief.title)
"""

from importlib.metadata import PackageNotFoundError, version

from summarizer.errors import EndpointError, InputError, ModelFileError, SettingError, SummarizerError
from summarizer.pipeline import summarize
from summarizer.schema import Article, CasualtyClaim, Citation, Claim, Dispute, IncidentBrief, Source
from summarizer.settings import Settings

try:  # one version, the distribution's (pyproject.toml)
    __version__ = version("incident-brief")
except PackageNotFoundError:  # run from a source tree that was never installed
    __version__ = "0+unknown"

__all__ = [
    "Article", "CasualtyClaim", "Citation", "Claim", "Dispute", "EndpointError", "IncidentBrief", "InputError",
    "ModelFileError", "SettingError", "Settings", "Source", "SummarizerError", "summarize", "__version__",
]
