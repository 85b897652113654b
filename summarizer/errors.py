"""Errors a user can cause or fix. Each message is one line that says what to do."""

from __future__ import annotations


class SummarizerError(Exception):
    """Base of every error summarizer reports to the user without a traceback."""

    exit_code = 1


class InputError(SummarizerError):
    """The input folder or a file in it cannot be used."""

    exit_code = 2


class SettingError(SummarizerError):
    """An option, environment variable or argument has a value summarizer cannot use."""

    exit_code = 2


class EndpointError(SummarizerError):
    """The model endpoint failed after bounded retries."""

    exit_code = 3


class BudgetError(SummarizerError):
    """The run's token budget (``--max-tokens-total``) is spent; what was answered is stored."""

    exit_code = 5


class ModelFileError(SummarizerError):
    """The embedded model's weights are missing or fail verification."""

    exit_code = 4
