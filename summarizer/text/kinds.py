"""What kind of claim a sentence states, read from its words in the languages the project reads
(English, French, Spanish, Portuguese): a denial, an allegation, a casualty figure, a cause, or
an event.

For the embedded model code picks and labels a report's claims itself (``extract.claims_by_code``):
on the dev set (2026-12-07) its claims call answered with the window's first ten sentences in 30
of 33 calls and called 100 of their 330 "cause". The kinds decide little downstream: a claim
that a denial cites is "denied", and the summary's prompt shows each claim's kind.
"""

from __future__ import annotations

import re

from summarizer.schema.answers import ClaimKind
from summarizer.text.metrics import states_casualty_figure

# Denying words, in each language the project reads.
DENIAL_WORDS = (
    r"den(?:y|ies|ied)|refute[sd]?|reject(?:s|ed)?|"
    r"nie|nient|niait|démen\w*|dément|réfute\w*|rejett?\w*|"
    r"niega\w*|neg(?:ó|aron)|desmient\w*|desmintió|rechaz\w*|"
    r"nega\w*|desment\w*|rejeit\w*"
)
DENIAL = re.compile(rf"(?<!\w)(?:{DENIAL_WORDS})(?!\w)", re.I)
# What is said against someone: an accusation, a blame, a responsibility laid.
ACCUSATION = re.compile(r"(?<!\w)(?:accus\w*|alleg\w*|blam\w*|responsib\w*|responsab\w*|attribu\w*|imput\w*|"
                        r"acus\w*|culp\w*|atribu\w*|désign\w*|denunci\w*|dénonc\w*)(?!\w)", re.I)
# Why something happened: "because", "due to", "caused by", "à cause de", "debido a".
CAUSE = re.compile(r"(?<!\w)(?:because|due to|owing to|caus(?:e|ed|es|ing)|result(?:ed)? (?:of|from)|"
                   r"parce que|à cause|en raison|dûe? à|provoqu\w*|causé\w*|"
                   r"porque|debido|a causa|provocad\w*|causad\w*|devido|por causa)(?!\w)", re.I)


def claim_kind(sentence: str) -> ClaimKind:
    """The kind of claim ``sentence`` states, by the first of its words that says one.

    Example:
        >>> claim_kind("The army denied the allegations on Monday.")
        'denial'
        >>> claim_kind("Selon l'AFP, au moins 91 habitants ont été tués.")
        'casualty'
        >>> claim_kind("The dam broke because it had not been maintained.")
        'cause'
        >>> claim_kind("Fighting broke out near the border on Thursday.")
        'event'
    """
    if DENIAL.search(sentence):
        return "denial"
    if ACCUSATION.search(sentence):
        return "allegation"
    if states_casualty_figure(sentence):
        return "casualty"
    if CAUSE.search(sentence):
        return "cause"
    return "event"
