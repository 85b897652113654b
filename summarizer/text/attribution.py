"""Who speaks: the speaker a sentence names ("according to X", "X said"), the one a pronoun
or "the agency" stands for, and whether a claimant is grounded in the sentences it cites.

Over 400 lines: the claim reading at the end (``claim_speaker``) widens each pattern above and
is read beside them.
"""

from __future__ import annotations

import re

from summarizer.text.metrics import CASUALTY_WORDS
from summarizer.text.words import REPORTER, SPEAKER_ARTICLES, STOPWORDS, stem

ATTRIBUTION = re.compile(
    r"\b(said|says|say|claimed|claims|claim|according to|reported|reports|stated|announced|confirmed|"
    r"told|estimated|acknowledged|asserts|revealed|citing)\b", re.I)
UNNAMED_REPORTS = "unnamed reports"
UNNAMED = re.compile(r"\b(reports (indicate|suggest|say|said)|according to (media )?reports|reportedly|it was reported)\b", re.I)
ATTRIBUTION_WORDS = re.compile(r"^(?:according to|selon|d['’]après|según|segundo|de acordo com)\s+", re.I)
LOOKBACK = 2  # "the statement said ..." may name its source up to two sentences earlier


def attribution_window(ids: list[int], sentences: dict[int, str]) -> str:
    """The cited sentences and the two before them: where a claimant may be named."""
    first = min(ids)
    return " ".join(sentences.get(n, "") for n in [*range(first - LOOKBACK, first), *ids])


def claimant_problem(by: str, ids: list[int], sentences: dict[int, str], *, figure: bool = True) -> str | None:
    """Why ``by`` is not a grounded claimant of the cited sentences, or None when it is.

    A named claimant must be named in a cited sentence or in the two sentences before it. For
    a casualty ``figure``, "reporter" is refused when the sentence attributes the figure to
    someone; for other claims the reporter may state what others said.

    Example:
        >>> claimant_problem("Malian army", [1], {1: "The Malian army said two soldiers died."}) is None
        True
    """
    window = attribution_window(ids, sentences).lower()
    if by.strip().lower() in REPORTER | {UNNAMED_REPORTS}:
        if not figure:
            return None
        cited = " ".join(sentences[n] for n in ids)
        if UNNAMED.search(cited):
            return None  # "Reports indicate ...": the sentence names no source; code says "unnamed reports"
        if m := ATTRIBUTION.search(cited):
            return f"by 'reporter', but sentence {ids} attributes it ('{m.group(0)}'): name who gives the figure"
        return None
    named = ATTRIBUTION_WORDS.sub("", by.strip())
    if figure and NOT_A_SPEAKER.match(named) and not re.match(r"(?:media )?(?:reports?|sources?)$", named, re.I):
        return f"by '{by}' is a pronoun or a document, not who gives the figure: name it from the sentences before"
    words = [w for w in re.findall(r"[^\W_]+", by.lower()) if w not in STOPWORDS]
    found = [w for w in words if _word_in(w, window)]
    if words and len(found) * 2 >= len(words):
        return None
    what = "gives the figure" if figure else "asserts it"
    return f"by '{by}' is not named in sentence {ids} or the {LOOKBACK} before it: name who {what} there"


# Who a sentence says is speaking, where its own words say it plainly: "..., according to X.",
# "[Late on Tuesday,] X said/confirmed/claimed that ...", "..., X said." or "..., said X.", and the
# same shapes in French, Spanish and Portuguese ("selon X", "X a déclaré", "según X", "dijo X").
# A pronoun, an anaphora ("the agency", "its statement") or a document ("the statement", "le
# communiqué") is left to the model, which sees the sentences before.
SPEECH_VERBS = {
    "en": r"said|says|stated|confirmed|claimed|claims|announced|told|denied|denies|insisted that|"
          r"characteri[sz]ed|acknowledged|asserts|asserted|alleges|alleged|maintains|maintained|insists|"
          r"(?:warned|warns|added|adds|noted|notes|reiterated)(?= that\b|[,.:])|reported that|"  # not "added two more"
          r"denounced|condemned|accused|"
          r"(?:put|puts|putting)(?= the (?:death |casualty )?(?:toll|number|figure|count|tally)\b)",  # "X put the toll at"
    "fr": r"(?:(?:a|ont|avait|avaient) (?:(?:aussi|également|en outre|au contraire|d['’]abord|ensuite|encore|déjà|"
          r"pour sa part|pour leur part|quant à lui|quant à elle) )?)?"
          r"(?:déclaré|affirmé|indiqué|annoncé|assuré|estimé|dénoncé|confirmé|démenti|"
          r"nié|précisé|expliqué|souligné|reconnu|rapporté|raconté|ajouté|averti|dit|exhorté|promis|rappelé|"
          r"revendiqué|désigné|retenu|évoqué|accusé|confié|recensé|dénombré|compté|témoigné|fait état)|"
          r"(?:fait|font|faisait|faisaient) (?:(?:aussi|également|encore|déjà|pour sa part) )?état|"
          r"déclare|affirme|indique|annonce|assure|estime|dénonce|confirme|dément|nie|précise|explique|souligne|"
          r"reconnaît|ajoute|dit|disent|affirment|évoque|évoquent|parle|parlent|fait état|font état|rapporte|"
          r"dénoncent|déplorent|estiment|assurent|indiquent|précisent|expliquent|soulignent|confirment|annoncent|"
          r"déclarent|reconnaissent|démentent|"
          r"rapportent|accuse|accusent|revendique|confiait|raconte",
    "es": r"(?:ha |han |había |habían )?(?:dicho|afirmado|asegurado|declarado|informado|señalado|confirmado|"
          r"denunciado|negado|reconocido|anunciado)|dijo|dijeron|afirmó|afirmaron|aseguró|aseguraron|declaró|"
          r"informó|señaló|indicó|confirmó|denunció|negó|explicó|reconoció|sostuvo|anunció|advirtió|agregó|añadió|"
          r"dice|afirma|asegura|denuncia|niega|sostiene",
    "pt": r"disse|disseram|afirmou|afirmaram|declarou|informou|confirmou|denunciou|negou|anunciou",
}
SPEECH_VERB = "(?:" + "|".join(SPEECH_VERBS.values()) + ")"
# Portuguese "segundo" is also "second" ("o segundo ataque"): an attribution only after a comma or first.
ACCORDING_TO = re.compile(
    r"(?<!\w)(?:according to|selon|d['’]après|según|de acordo com|(?:^|(?<=, ))segundo) (?P<who>[^,.;:\"“”«»()]+)", re.I)
# "... have been widely reported by both separatists and Russian military bloggers": the agent asserts it.
REPORTED_BY = re.compile(
    r"(?<!\w)(?:reported|claimed|announced|confirmed|asserted|rapportée?s?|annoncée?s?|revendiquée?s?|"
    r"confirmée?s?|informad[oa]s?|anunciad[oa]s?|reivindicad[oa]s?) (?:by|par|por) (?:both )?(?P<who>[^,.;:\"“”«»()]+)",
    re.I)
# "..., a-t-on appris de source médicale", "de sources sécuritaires": an unnamed source, but a source.
FROM_A_SOURCE = re.compile(r"(?<!\w)de (?P<who>sources? [^\W\d_]+)(?=[\s,.;:]|$)", re.I)
_NAME = r"(?P<who>(?:[A-ZÀ-Ý]|the |a |an |le |la |les |l['’]|un |une |el |los |las |una? |o |os |as )[\w'’.-]*(?: [\w'’.-]+){0,8}?)"
SPEAKER_FIRST = re.compile(
    r"^(?:[A-ZÀ-Ý][^,]{0,60}, )?" + _NAME +
    # an apposition or relative clause between speaker and verb: "Le ministre, Mahamadou Sana, a déclaré",
    # "The army, which lost two men, said"
    r"(?:, (?!(?:and|et|y|e|but|mais|pero)\b)(?P<apposition>[^,\"“”«»]{2,80})"
    r"(?:, (?!(?:and|et|y|e|but|mais|pero)\b)[^,\"“”«»]{2,80})?,)?"  # "The group, called X, or CSP for short,"
    r"(?: (?:also|later|earlier|previously|again|separately|officially|aussi|également|también|además|"
    r"pour sa part|pour leur part|quant à lui|quant à elle))?"
    r" (?:has |have |had )?" + SPEECH_VERB + r"(?!\w)")
# "..., the army said." / "“...,” said the army." / "« ... », a déclaré X, ..." / "«...», dijo el ministro."
# A verb before its speaker only after a closing quote: elsewhere "..., dénoncé le massacre" has an object.
_INVERTED = r"said|says|" + "|".join(v for k, v in SPEECH_VERBS.items() if k != "en")
SPEAKER_AFTER = re.compile(
    r"(?:,\s*" + _NAME + r" (?:said|says)|[»”\"],?\s*(?:" + _INVERTED + r") " + _NAME.replace("who", "who2") + r")"
    r"(?:,[^.]*| (?:on|in|at|to|en|à|au|lors|durante|ante|a los|a las|ce|este|esta|el pasado|mardi|lundi)\b[^.]*)?\.?$"
    # "..., précise la mission.", "..., ajoute le maire de Bankass.": a present-tense verb of saying closing
    # the sentence, its speaker after it (a participle there may have an object: "..., dénoncé le massacre")
    r"|,\s*(?:précise|affirme|indique|ajoute|explique|souligne|rapporte|assure|déclare|estime|confie|poursuit|"
    r"relève|raconte|afirma|asegura|explica|añade|agrega|señala|indica|acrescenta|"
    # and Spanish and Portuguese past tenses, which put the speaker after the verb as often: "..., informó la cartera"
    r"informó|dijo|afirmó|aseguró|señaló|indicó|explicó|añadió|agregó|precisó|detalló|sostuvo|anunció|"
    r"informaron|dijeron|afirmaron|aseguraron|señalaron|indicaron|informou|disse|afirmou|acrescentou|declarou) "
    r"(?P<who3>(?:le |la |les |l['’]|un |une |el |los |las |una? |o |os |as |[A-ZÀ-Ý])[^,.;:]{1,80})\.?$")
NOT_A_SPEAKER = re.compile(
    r"^(?:(?:media )?reports?$|sources?$|(?-i:(?![A-Z]{2,}\b))(?:he|she|it|they|we|i|this|that|which|who|many of them|il|elle|ils|elles|"
    r"lui|eux|él|ella|ellos|ellas|ele|ela|eles)\b|"
    r"(?:the|a|an|its|their|le|la|les|l['’]|un|une|son|sa|ses|leur|el|los|las|una?|su|sus|o|os|as) ?"
    r"(?:same )?(?:statement|report|update|agency|text|document|testimony|mission|communiqué|déclaration|rapport|"
    r"bilan|décompte|texte|témoignage|comunicado|informe|balance|declaración|nota|testimonio|cartera)s?\b)", re.I)
# "the statement released by the separatist coalition" speaks for the coalition.
STATEMENT_BY = re.compile(
    r"^(?:the|a|an|le|la|un|une|el|los) (?:statement|communiqué|comunicado|declaración|déclaration)s? "
    r"(?:released |issued |published |publié |publiée |diffusé |diffusée |emitido |publicado )?"
    r"(?:by|from|of|de la|de l['’]|du|des|de los|del|de) (?P<who>.+)$", re.I)
# An apposition that gives the speaker's name: "called X", "known as X", "appelé X", "llamado X".
CALLED = re.compile(r"^(?:called|known as|named|dubbed|appelée?s?|dite?s?|connue?s? sous le nom d['’e]\s*|"
                    r"llamad[oa]s?|conocid[oa]s? como|denominad[oa]s?|chamad[oa]s?|conhecid[oa]s? como)\s+(?P<name>.+)$", re.I)
NOT_IN_A_NAME = {"has", "have", "had", "not", "never", "did", "does", "do", "was", "were", "is", "are", "would",
                 "will", "could", "may", "might", "also", "he", "she", "they", "them", "it", "we", "of them",
                 "n'a", "ne", "pas", "no", "nunca", "n'ont"}


def named_speaker(sentence: str) -> str | None:
    """Who the sentence says asserts it, as written, when its grammar says so plainly; else None.

    A 1.5B model often names the sentence's subject instead ("Mali's army ... suffered heavy
    losses, according to a spokesman for the rebels" -> "Mali's army"); code reads the
    attribution exactly.

    Example:
        >>> named_speaker("Mali's army suffered heavy losses, according to a spokesman for the rebels.")
        'a spokesman for the rebels'
        >>> named_speaker("Diez disidentes murieron, según el Ministerio de Defensa.")
        'el Ministerio de Defensa'
        >>> named_speaker("It said two soldiers died.") is None
        True
    """
    who = _speaker_phrase(sentence)
    if not who or NOT_A_SPEAKER.match(who) or NOT_IN_A_NAME & set(who.lower().split()):
        return None  # "Moscow has not confirmed ...": not a plain attribution
    return who


def wide_speaker(sentence: str) -> str | None:
    """``named_speaker`` in the wider shapes of ``Wide`` ("Residents say", "“...,” a rescuer said",
    "..., a précisé le ministère", "That was how X described it"): the reading of ``claim_speaker``."""
    who = _speaker_phrase(sentence, wide=True)
    # "La Mission des Nations unies au Mali (MINUSMA)" is a name, "la mission" one named before.
    named = bool(re.search(r"\s\(?(?-i:[A-ZÀ-Ý])", who or ""))
    if not who or (Wide.NOT_A_SPEAKER.match(who) and not named) or NOT_IN_A_NAME & set(who.lower().split()):
        return None
    return who


# A toll is the word of whose toll it is: "le bilan officiel des forces armées", "The army's toll
# stood at ..." (a possessive only as the sentence's subject: in a list of figures it names no speaker).
_TOLL = r"(?:bilan|toll|tally|count|balance|recuento|décompte|cifra)"
_BODY = (r"(?:forces armées|armée|army|armed forces|military|police|gendarmerie|ministry|ministère|ministerio|"
         r"government|gouvernement|gobierno|governo|authorities|autorités|autoridades|ejército|"
         r"fuerzas (?:militares|armadas)|protection civile|defensa civil|civil defen[cs]e)")
TOLL_OWNER = re.compile(
    r"(?<!\w)" + _TOLL + r"(?:\s+(?:officiel|provisoire|official|oficial|provisional|final|définitif))?\s+"
    r"(?:des|du|de la|de l['’]|of the|del|de los|de las|da|do|dos)\s*(?P<who>" + _BODY + r"(?:\s+[^\W\d_]+)??)"
    r"(?=\s+(?:s['’]|se |is |was |stands|stood|est |était |es |era |fait|put|puts|reached|atteint|establece|"
    r"ascend|sube|asciende)|[,.;:])"
    r"|^(?P<who2>(?:the |(?-i:[A-ZÀ-Ý])[\w-]*\s)?" + _BODY + r"|(?-i:[A-ZÀ-Ý])[\w-]*(?:\s(?-i:[A-ZÀ-Ý])[\w-]*)*)['’]s (?:own )?"
    r"(?:toll|tally|count)(?!\w)", re.I)


# A speaker that stands for one named before: a pronoun, or "the agency", "la cartera", "the mission".
ANAPHOR = re.compile(r"^(?:he|she|it|they|him|her|them|il|elle|ils|elles|lui|eux|él|ella|ellos|ellas|ele|ela|eles)$|"
                     r"^(?:the|le|la|les|l['’]|el|los|las|o|os|as) ?(?:same )?[^\W\d_]+$", re.I)


def anaphoric_speaker(sentence: str) -> bool:
    """Whether the sentence's speaker is a word for one the sentences before name ("..., informó
    la cartera", "the agency said", "il a déclaré"), not a name of its own.

    Example:
        >>> anaphoric_speaker("Tres disidentes fueron capturados, informó la cartera en un comunicado.")
        True
        >>> anaphoric_speaker("Two soldiers died, the army said.")
        False
    """
    who = _speaker_phrase(sentence)
    return bool(who) and bool(NOT_A_SPEAKER.match(who)) and bool(ANAPHOR.match(who))


def _speaker_phrase(sentence: str, wide: bool = False) -> str | None:
    """The words the sentence's grammar gives as its speaker, before any is judged a name (with
    ``wide``, in the shapes only ``claim_speaker`` reads: see ``Wide``)."""
    # The speaker the sentence opens with first: "X said that ..., as IHL allows (según el derecho ...)".
    first, after, reported, statement_by = (
        (Wide.FIRST, Wide.AFTER, Wide.REPORTED_BY, Wide.STATEMENT_BY) if wide
        else (SPEAKER_FIRST, SPEAKER_AFTER, REPORTED_BY, STATEMENT_BY))
    # Read wide, a sentence that opens "Selon lui, ..." or "That was how X described it" says so first.
    opening = wide and (FORWARD.match(sentence) or re.match(r"(?:according to|selon|d['’]après|según)\s", sentence, re.I)
                        and ACCORDING_TO.match(sentence))
    match = (opening or first.match(sentence) or ACCORDING_TO.search(sentence) or after.search(sentence.strip())
             or reported.search(sentence) or FROM_A_SOURCE.search(sentence) or TOLL_OWNER.search(sentence)
             or (wide and (Wide.TOLL_BY.search(sentence) or Wide.WITH_SAYING.search(sentence))) or None)
    if match is None:
        return None
    found = match.groupdict()
    who = (found.get("who") or found.get("who2") or found.get("who3") or found.get("who4") or "").strip().rstrip(".")
    # "a témoigné un survivant réfugié dans ce camp": no dangling preposition where "ce ..." was cut off
    who = re.sub(r"\s+(?:dans|in|de|du|des|à|au|en|on|at|of|from|del|da|do|no|na)$", "", who)
    if found.get("who3") or (wide and match.re is reported):  # "informó la cartera en un comunicado": not where
        who = re.split(r" (?:en|in|dans|em|durante|ante|lors|during|on|at)(?= )", who, maxsplit=1)[0]
    if named := CALLED.match(found.get("apposition") or ""):
        who = named.group("name")  # "The Tuareg rebel group ..., called the Permanent Strategic Framework, ...": its name
    elif wide and POSSESSIVE.match(who) and PROPER_NAME.match(found.get("apposition") or ""):
        who = found["apposition"]  # "Its spokesman, Tarek al-Kharraz, said": whose "its" is, his name says
    if by := statement_by.match(who):
        who = by.group("who")
    return re.sub(r" (?:a|ont|avait|avaient)$", "", who)  # "L'Union européenne a, pour sa part, dénoncé"


def _word_in(word: str, text: str) -> bool:
    # Short words must match whole; longer ones by a 5-letter stem ("Malian" ~ "Mali's" is not enough).
    pattern = r"\b" + re.escape(word) + r"\b" if len(word) <= 4 else r"\b" + re.escape(stem(word))
    return re.search(pattern, text) is not None


def as_written(name: str, ids: list[int], sentences: dict[int, str]) -> str:
    """The claimant's words as the sentences spell them ("Burkinia Faso" -> "Burkina Faso").

    Each word that matches a word of the cited sentence or the two before it by its 5-letter stem
    is replaced by that word; a "reporter" facing "Reports indicate ..." becomes "unnamed reports".
    """
    window = attribution_window(ids, sentences)
    name = ATTRIBUTION_WORDS.sub("", name.strip())  # "Selon lui" names "lui"
    if name.strip().lower() in REPORTER:
        return UNNAMED_REPORTS if UNNAMED.search(" ".join(sentences.get(n, "") for n in ids)) else name
    written = {stem(w.lower()): w for w in re.findall(r"[A-Za-z][\w'-]*", window) if len(w) >= 5}

    def respell(word: str) -> str:
        if len(word) < 5 or re.search(r"\b" + re.escape(word) + r"\b", window, re.I):
            return word
        return written.get(stem(word.lower()), word)

    return re.sub(r"[A-Za-z][\w'-]*", lambda m: respell(m.group(0)), name.strip())


def sentence_claimant(by: str | None, sentence: str) -> str | None:
    """The speaker the sentence names plainly, over the model's claimant; the model's when the
    two agree (it is the shorter name: "Malian army" for "The Malian army") or none is named.

    Measured on the samples (2026-12-02): on a 2-core AVX2 machine the model named the subject
    or "reporter" for 6 claims whose sentence names its speaker; this took fact claimant accuracy
    from 0.60 (below the gate) to 0.77. Each override there, and each it would make on the first
    session's brief (evals/results/previous.json), names the right party.
    """
    speaker = named_speaker(sentence)
    if speaker is None or (by and _heads(by, speaker)):
        return by
    return speaker


def claim_claimant(by: str | None, sentence: str) -> str | None:
    """A claim's claimant: the speaker its sentence names, else the model's; but a sentence with
    no word of attribution at all (no verb of saying, no "according to", no quote, no statement)
    is in the reporter's own voice, whoever its subject is ("Mali's military rulers came to power
    in 2020" is the reporter's, not the army's)."""
    claimant = sentence_claimant(by, sentence)
    if claimant == by and by and by.lower() not in REPORTER and not ATTRIBUTION_CUE.search(sentence):
        return "reporter"
    return claimant


# Any word that may attribute a sentence to someone: when none is there, the sentence is the reporter's.
ATTRIBUTION_CUE = re.compile(
    r"[«»“”\"]|(?<!\w)(?:" + SPEECH_VERB + r"|according|selon|d['’]après|según|segundo|de acordo|"
    r"claim\w*|report\w*|statement\w*|alleg\w*|accus\w*|den(?:y|ied|ies)|quot\w*|cit(?:ed|ing)|told|"
    r"communiqu\w*|comunicad\w*|déclar\w*|declar\w*|revendi\w*|reivindic\w*|affirm\w*|afirm\w*|"
    r"témoign\w*|testimon\w*|version|account|sources?|fuentes?|fontes?|"
    r"toll|tally|count|bilan|décompte|recuento|balance)(?!\w)", re.I)  # "le bilan des forces armées": someone's count


def _heads(by: str, speaker: str) -> bool:
    """Whether ``by`` is the speaker's own name, give or take an article ("Malian army" of "the
    Malian army"), not a word of its complement ("Bankass" of "le maire de Bankass")."""
    at = speaker.lower().find(by.lower().removeprefix("the "))
    return at >= 0 and all(w in SPEAKER_ARTICLES for w in re.findall(r"[^\W\d_]+'?", speaker[:at].lower()))


# "By Tuesday, he said, ...", "a-t-il ajouté": the speaker is the one the sentences before name.
PRONOUN_SPEAKER = re.compile(
    r"(?:(?<!\w)(?:he|she)\s+(?:" + SPEECH_VERB + r")|(?<!\w)(?:said|says|added|told)\s+(?:he|she)|-t-(?:il|elle)|"
    r"(?<!\w)(?:il|elle)\s+(?:a|avait)\s+(?:dit|déclaré|affirmé|ajouté|précisé|indiqué|expliqué)|"
    r"(?<!\w)(?:il|elle|ils|elles)\s+(?:dit|disent|affirme|affirment|déclare|déclarent|estime|estiment|indique|"
    r"ajoute|précise|explique|assure|souligne|raconte))(?!\w)", re.I)
# A sentence that opens on a name and a comma or a verb of saying: "Hichem Abu Chkiouat, the minister, ..."
LEADING_NAME = re.compile(r"^(?:[A-ZÀ-Ý][\w'’-]+\s+){1,4}[A-ZÀ-Ý][\w'’-]+(?=,|\s+(?:" + SPEECH_VERB + r")(?!\w))")
SPEECH = re.compile(r"[«»“”\"]|(?<!\w)(?:" + SPEECH_VERB + r")(?!\w)", re.I)


def _describes(by: str, speaker: str, text: str) -> bool:
    """Whether ``by`` is written in the speaker's apposition ("a statement by X, spokesman for
    the (CSP-PSD) alliance": the CSP-PSD speaks too), not further on in what the speaker says."""
    text, speaker, by = _words(text), _words(speaker), _words(by)
    at = text.find(speaker)
    where = text.find(by, at + len(speaker)) if at >= 0 else -1
    return where >= 0 and where - at <= 160 and not SPEECH.search(text[at + len(speaker):where])


def _words(text: str) -> str:
    """Text as its words alone, lower case: "(CSP-PSD) alliance" is "csp-psd alliance"."""
    return " ".join(re.findall(r"[\w'’-]+", text.lower()))


def traced_claimant(by: str, n: int, sentences: dict[int, str]) -> str:
    """The claimant of a figure whose sentence does not name its speaker, as the sentences before
    make it: for "he said", "a-t-il ajouté", "informó la cartera" the nearest speaker named before
    (no further back than where the model's claimant is written); for a sentence in nobody's
    voice after a speaker who said nothing of casualties, the reporter.

    On derna (2026-12-04): "By Tuesday, he said, more than 1,000 bodies ..." was given to the
    speaker two sentences back, not the one just before; "Thousands of people died ..." to the
    attorney general of the sentence before, who "said prosecutors would question" officials.
    On guaviare: "..., informó la cartera" (the ministry named just before) to "Cartera" and to
    the air force that sentence names as the bomber.
    """
    sentence = sentences[n]
    anaphoric = bool(PRONOUN_SPEAKER.search(sentence)) or anaphoric_speaker(sentence)
    if by.lower() in REPORTER:  # the model heard nobody speak: the sentence may say who does
        if speaker := named_speaker(sentence):
            return speaker
        if not anaphoric:
            return by
    elif named_speaker(sentence) or (_words(by) in _words(sentence) and not anaphoric):
        return by
    earlier = [k for k in range(n - 1, n - LOOKBACK - 1, -1) if k in sentences]
    written = next((k for k in earlier if _words(by) in _words(sentences[k])), None)
    if anaphoric:
        for k in earlier:
            if written is not None and k < written:
                break  # the model's claimant is named nearer than any speaker
            text = sentences[k]
            if speaker := named_speaker(text) or ((m := LEADING_NAME.match(text)) and m.group(0)):
                same = _words(by) in _words(speaker) or _words(speaker) in _words(by)
                return by if same or _describes(by, speaker, text) else speaker
        return by
    if not SPEECH.search(sentence) and not ACCORDING_TO.search(sentence):
        if written is not None and not CASUALTY_WORDS.search(sentences[written]):
            return "reporter"
    return by


# --------------------------------------------------------------------------- claims, read in their report
#
# The reading above decides claimants during extraction, and consolidation's model requests carry
# those claimants: it stays as it is, so that stored runs replay. ``claim_speaker`` reads a
# consolidated claim again in its report, in the wider shapes below, and resolves what stands for
# a speaker named just before.


def _widened(pattern: str, *changes: tuple[str, str]) -> str:
    """``pattern`` with each (old, new) part replaced; each old part must be there."""
    for old, new in changes:
        if old not in pattern:
            raise ValueError(f"no {old!r} to widen")
        pattern = pattern.replace(old, new)
    return pattern


class Wide:
    """The speaker patterns as ``claim_speaker`` reads them: more verbs of saying ("say", "argued",
    "a condamné", "atribuye"), a speaker after a closing quote ("“...,” a rescuer said"), a French
    compound past closing the sentence ("..., a précisé le ministère"), two openings before the
    speaker ("Le 13 septembre, un vendredi, le collectif a ..."), "X returned and said", and an
    apposition that is no clause of its own ("..., blessés, ont été faits prisonniers ...")."""

    VERBS = {
        **SPEECH_VERBS,
        "en": SPEECH_VERBS["en"].replace(
            r"(?:put|puts|putting)(?= the (?:death |casualty )?(?:toll|number|figure|count|tally)\b)",
            r"say|argued|argues|described|describe|describes|expressed|(?:asked|asks|ask)(?= (?:why|whether|how|what|who|if)\b)|"
            r"gave(?= (?:[^,.;]{0,40} )?(?:a|an|the|its|their) (?:[\w-]+ ){0,2}(?:count|figure|toll|tally|estimate)\b)|"
            # "X put the toll at", "putting the dead in Derna alone at over 2,000"
            r"(?:put|puts|putting)(?= (?:the|its|their) (?:[\w-]+ ){0,3}(?:toll|number|figure|count|tally|dead|missing)\b)"),
        "fr": _widened(
            SPEECH_VERBS["fr"],
            ("(?:a|ont|avait|avaient) (?:(?:aussi|", "(?:a|ont|avait|avaient|aurait|auraient) (?:(?:fermement|vivement|"
             "publiquement|officiellement|aussi|"),
            ("promis|rappelé|", "promis|rappelé(?= que| qu['’]|\\s*[:,])|condamné|exprimé|qualifié|laissé entendre|répondu|"
             "déploré|"),  # not "avait rappelé tout son personnel"
        ) + r"|s['’](?:est|était) (?:contentée?|bornée?|limitée?) (?:de|à) (?:parler|dire|évoquer|affirmer|déclarer)|"
            r"condamne|condamnent|qualifie|désigne|désignent|attribue|attribuent|déplore",
        "es": SPEECH_VERBS["es"] + r"|atribuye|atribuyó|calificó|expresó|condenó|lamentó",
    }
    VERB = "(?:" + "|".join(VERBS.values()) + ")"
    NAME = _widened(_NAME, ("|une |", "|une |des |du |cet |cette |ces |"),
                    (r"(?: [\w'’.-]+){0,8}?", r"(?: \(?[\w'’.-]+\)?){0,8}?"))  # "La Mission ... au Mali (MINUSMA)"
    # An apposition is a phrase or a relative clause, not a clause of its own.
    APPOSITION = (r"(?:(?:qui|which|who|whose|dont|quien|quienes|que)\b[^,\"“”«»]{2,100}|"
                  r"(?![^,]*\b(?:a été|ont été|avait été|est|sont|était|étaient|was|were|is|are|has been|have been|"
                  r"had been|fue|fueron|ha sido|han sido|es|son)\b)[^,\"“”«»]{2,100})")
    FIRST = re.compile(_widened(
        SPEAKER_FIRST.pattern,
        (r"^(?:[A-ZÀ-Ý][^,]{0,60}, )?", r"^(?:[A-ZÀ-Ý][^,]{0,60}, (?:[a-zà-ÿ][^,]{0,30}, (?!(?:a|ont|o|os|as) ))?)?"),
        (r"(?P<apposition>[^,\"“”«»]{2,80})", "(?P<apposition>" + APPOSITION + ")"),
        (r"\b)[^,\"“”«»]{2,80})?,)?", r"\b)" + APPOSITION + r")?,)?"),
        # "X, the minister, returned from the city and said ...": who did it says it
        # "La cartera también le atribuye": a clitic before the verb
        (r" (?:has |have |had )?" + SPEECH_VERB, r"(?: (?-i:[a-zà-ÿ])(?:(?!(?<!\w)" + VERB + r"(?!\w))[^,.;:\"“”«»]){0,50}? "
                                                 r"(?:and|et|y))?"
                                                 r"(?: (?:le|les|lo|los|se|lui|leur|nous|vous))?"
                                                 r" (?:has |have |had )?" + VERB),
        (_NAME, NAME)))
    AFTER = re.compile(_widened(
        SPEAKER_AFTER.pattern,
        (_NAME.replace("who", "who2") + r")", NAME.replace("who", "who2") +
         # "“We are digging with our hands,” an ambulance worker said in footage ...", "..., the statement read."
         r"|[»”\"]\s*" + NAME.replace("who", "who4") + r" (?:said|says|added|told|wrote|explained|insisted|recalled|"
         r"read|reads))"),
        # a compound past that takes no object there: "..., a précisé le ministère."
        (r"acrescenta|", r"acrescenta|(?:a|ont) (?:précisé|indiqué|ajouté|affirmé|déclaré|expliqué|souligné|assuré|"
                         r"raconté|confié|poursuivi|témoigné|insisté|rapporté)|")))
    # "as noted by regional expert X in comments to ...": noted, quoted and cited by someone too
    REPORTED_BY = re.compile(_widened(REPORTED_BY.pattern, ("|asserted|", "|asserted|noted|quoted|cited|")), re.I)
    # "cet élu", "ce dernier": one named before
    NOT_A_SPEAKER = re.compile(_widened(
        NOT_A_SPEAKER.pattern, ("|ele|ela|eles)", "|ele|ela|eles|cet|cette|ces|ce|the latter|este|esta|estos|estas)")),
        re.I)
    STATEMENT_BY = re.compile(_widened(
        STATEMENT_BY.pattern, ("(?:by|from|of|", "(?:by|from|of|on behalf of|au nom d[eu]|de la part d[eu]|en nombre de|"),
        ("|publié |", "|read out |lu |publié |")), re.I)
    SPEECH = re.compile(r"[«»“”\"]|(?<!\w)(?:" + VERB + r")(?!\w)", re.I)
    CUE = re.compile(_widened(ATTRIBUTION_CUE.pattern, (SPEECH_VERB, VERB)), re.I)
    LEADING_NAME = re.compile(_widened(LEADING_NAME.pattern, (SPEECH_VERB, VERB)))
    # "..., with the rebels claiming to have downed it": who claims it
    WITH_SAYING = re.compile(r"(?<!\w)(?:with|avec|con) (?P<who>(?:the|les|los|las) [^\W\d_]+(?: [^\W\d_]+)?) "
                             r"(?:claiming|saying|insisting|alleging|affirmant|assurant|disant|afirmando|asegurando|"
                             r"diciendo)(?!\w)", re.I)
    # "the toll used by health officials": whose toll it is
    TOLL_NOUN = r"(?:toll|figure|count|tally|estimate|bilan|chiffre|décompte|balance|cifra|recuento)"
    GIVEN = (r"(?:used|given|issued|released|cited|put forward|avancée?|donnée?|utilisée?|retenue?|publiée?|dad[oa]|"
             r"usad[oa]|utilizad[oa]|publicad[oa])")
    TOLL_BY = re.compile(rf"(?<!\w){TOLL_NOUN}s? {GIVEN} (?:by|par|por) (?P<who>[^,.;:\"“”«»()]+?)"
                         r"(?= (?:for|in|on|at|was|is|pour|à|en|était|est|para|era|es)\b|[,.;:]|$)", re.I)


POSSESSIVE = re.compile(r"^(?:its|their|his|her|son|sa|ses|leur|leurs|su|sus|seu|sua)\s", re.I)
# A person's name: capitalised words, with the particles names carry ("Abdulmenam al-Ghaithi").
PROPER_NAME = re.compile(r"^(?-i:[A-ZÀ-Ý])[\w'’-]+(?:\s+(?:(?-i:[A-ZÀ-Ý])[\w'’-]+|(?:al|el|de|du|da|van|von|bin|ibn|abu)"
                         r"(?:[-\s][\w'’-]+)?))*$")
# "Others read out a statement on behalf of a group of residents": whose a later "the statement read" is.
STATEMENT_OWNER = re.compile(
    r"(?<!\w)(?:statement|communiqué|comunicado|declaración|déclaration|texte|text)s? "
    r"(?:(?:released|issued|published|read out|publié|publiée|diffusé|diffusée|lu|emitido|publicado) )?"
    r"(?:by|from|on behalf of|au nom d[eu]|de la part d[eu]|en nombre de|em nome de) "
    r"(?P<who>[^,.;:\"“”«»()]+)", re.I)
# "That was how Morris described it", "C'est en ces termes que X a répondu": a sentence naming the
# speaker of the quotation just before it.
FORWARD = re.compile(
    r"^(?:that|this|such|these|those) (?:was|is|were|are) (?:how|what) (?P<who>[A-ZÀ-Ý][^,.;:]{0,60}?) "
    r"(?:described|said|put|told|called|summed|explained)(?!\w)"
    r"|^c['’]est (?:en ces termes|ainsi|par ces mots|avec ces mots|ce) (?:que |qu['’])\s*(?P<who2>[^,.;:]{2,60}?)"
    r"(?:, [^,]{2,80},)? (?:a|ont|avait|avaient) (?:répondu|résumé|déclaré|décrit|dit|réagi|commenté|expliqué)(?!\w)"
    r"|^(?:así|con estas palabras|en estos términos) (?:lo )?(?:describió|dijo|explicó|resumió|respondió) "
    r"(?P<who3>[^,.;:]{2,60}?)(?=[,.;:]|$| a | en | ante )", re.I)
# "By Tuesday, he said", "Il a promis", "It added that", "a-t-il ajouté": a pronoun speaks.
_FR_SAID = (r"(?:dit|déclaré|affirmé|ajouté|précisé|indiqué|expliqué|raconté|promis|assuré|souligné|estimé|reconnu|"
            r"laissé entendre|confié|annoncé|dénoncé|accusé|démenti|nié|répondu|qualifié|averti|évoqué|rapporté|témoigné)")
PRONOUN_SAYS = re.compile(_widened(
    PRONOUN_SPEAKER.pattern,
    (r"(?:he|she)\s+(?:" + SPEECH_VERB + ")", r"(?:he|she|it|they)\s+(?:also\s+|later\s+)?(?:" + Wide.VERB + ")"),
    (r"-t-(?:il|elle)|", r"-t-(?:il|elle|ils|elles)|"),
    (r"(?:il|elle)\s+(?:a|avait)\s+(?:dit|déclaré|affirmé|ajouté|précisé|indiqué|expliqué)",
     r"(?:il|elle|ils|elles)\s+(?:a|ont|avait|avaient|aurait|auraient)\s+"
     r"(?:(?:aussi|également|encore|ensuite|enfin|déjà|par ailleurs)\s+)?" + _FR_SAID)), re.I)
# "By his own estimate", "selon son décompte", "según su recuento": the speaker is one named before.
POSSESSIVE_SOURCE = re.compile(
    r"(?<!\w)(?:by|in|according to|on) (?:his|her|their|its) (?:own )?(?:estimate|count|account|reckoning|tally|words)\b|"
    r"(?<!\w)(?:selon|d['’]après) (?:son|sa|leur|ses) (?:propre )?(?:estimation|décompte|bilan|récit|avis|chiffres?)\b|"
    r"(?<!\w)(?:según|de acuerdo con) (?:su|sus) (?:propio |propia )?(?:estimación|recuento|balance|cálculo|cifras?)\b",
    re.I)
QUOTE_ONLY = re.compile(r'^\s*[«“"][^«»“”"]{8,}[»”"]\s*[.!?…]?\s*$|^\s*[«“"][^«»“”"]{8,}[.!?…]\s*[»”"]\s*$')
DOCUMENT = re.compile(r"(?<!\w)(?:statement|communiqué|comunicado|declaración|déclaration|texte|text|report|rapport|"
                      r"informe|document|documento)s?(?!\w)", re.I)
_OPENING_PREPOSITION = re.compile(r"^(?:in|at|on|by|for|from|after|before|since|during|à|au|aux|en|dans|depuis|après|"
                                  r"avant|selon|pour|sur|por|para|desde|tras|durante|según|no|na|em)\b", re.I)
SUBJECT_APPOSITION = re.compile(r"^[^,]{2,60}, (?P<name>(?-i:[A-ZÀ-Ý])[^,]{2,50}), (?-i:[a-zà-ÿ])")
# "Selon l'armée, la jeune fille s'est rendue. Elle a raconté ...": "elle" may be the girl.
_DETERMINER = r"(?:le|la|les|l['’]|un|une|the|a|an|el|los|las|una?)"
_OPENING_SOURCE = re.compile(
    r"^(?:selon|d['’]après|according to|según|segundo) [^,]+, (?=(?P<det>" + _DETERMINER + r")(?:\s|(?<=['’])))"
    r"(?P<subject>" + _DETERMINER + r"\s?[^\W\d_]+(?: [^\W\d_]+)?"
    r"(?= (?:s['’]|se |a |est |ont |sont |was |has |had |is |were |fue |ha |había )))?", re.I)
_AGREES = {"il": {"le", "un", "l'", "el"}, "elle": {"la", "une", "l'", "una"}, "ils": {"les"}, "elles": {"les"},
           "he": {"the", "a", "an"}, "she": {"the", "a", "an"}, "they": {"the"}}


def claim_speaker(by: str | None, n: int, sentences: dict[int, str]) -> tuple[str | None, list[int]]:
    """A claim's claimant and the sentences that name it: the speaker its sentence names; for
    "he added", "selon lui", "the statement read" or a quotation standing alone, the speaker the
    sentences just before name (no further back than ``LOOKBACK``); for a quotation, the one a
    next sentence like "That was how X described it" names (that sentence is cited too).

    Where the sentence has no voice of its own and the model's claimant is not written in it, it
    is the reporter's ("Reports indicate that ...", "The unrest has made it difficult to ...").

    Example:
        >>> claim_speaker("reporter", 2, {1: "Selon le chercheur Paul Diallo, la vidéo est authentique.",
        ...                               2: "Il dit ne pas pouvoir confirmer le chiffre."})
        ('le chercheur Paul Diallo', [2])
    """
    sentence = sentences.get(n, "")
    own = wide_speaker(sentence)
    if own is None and re.search(r"[«»“”\"]", sentence) and FORWARD.match(after := sentences.get(n + 1, "")) \
            and (forward := wide_speaker(after)):
        return forward, [n, n + 1]
    if own is None and (kind := anaphora(sentence)):
        if who := earlier_speaker(n, sentences, kind):
            return who, [n]
        if kind == "quote" and by and by.lower() not in REPORTER:
            return "reporter", [n]  # «Al ministro se le olvidó ...»: whom a quotation names is not who speaks it
        return by, [n]
    if own is not None:  # the model's name where it is the speaker's, or a fuller form of it
        same = by and (_heads(by, own) or _words(own) in _words(by))
        return fuller_name(by if same else own, n, sentences, n - LOOKBACK), [n]
    # "Reports indicate that ...", "... from independent sources": no one named speaks
    unnamed = re.sub(r"(?<!\w)(?:reports?|reportedly|sources?|fuentes?|fontes?)(?!\w)", " ", sentence, flags=re.I)
    if by and by.lower() not in REPORTER and (not Wide.CUE.search(sentence) or (
            not Wide.CUE.search(unnamed) and not _written(by, sentence))):
        return "reporter", [n]  # the model's claimant is someone the sentence does not name or hear
    return by, [n]


def anaphora(sentence: str) -> str | None:
    """Whether the sentence's speaker stands for one named before, and what it is: "person" ("he
    said", "selon lui", "la cartera", "cet élu"), "document" ("the statement read") or "quote"."""
    if ((m := PRONOUN_SAYS.search(sentence)) and _opens(sentence[:m.start()])) or POSSESSIVE_SOURCE.search(sentence):
        return "person"
    who = _speaker_phrase(sentence, wide=True)
    if who and Wide.NOT_A_SPEAKER.match(who) and len(who.split()) <= 3 and not re.match(
            r"(?:media |news |press )?(?:reports?|sources?)$", who, re.I):
        return "document" if DOCUMENT.search(who) else "person"
    return "quote" if QUOTE_ONLY.match(sentence) else None


# Words that open a clause of the sentence's own: a pronoun after them may stand for its subject
# ("Une délégation ... s'est rendue à X, où elle a dénoncé ...": "elle" is the delegation).
_CLAUSE = re.compile(r"(?<!\w)(?:où|where|qui|que|qu['’]|which|who|whom|and|et|y|when|quand|lorsque|because|parce|but|mais|"
                     r"pero|while|alors|donde|cuando|whereas)(?!\w)", re.I)


def _opens(before: str) -> bool:
    """Whether a pronoun after ``before`` (the sentence up to it, quotations left out) is its subject."""
    return not _CLAUSE.search(re.sub(r"[«“\"][^«»“”\"]*[»”\"]", " ", before))


def earlier_speaker(n: int, sentences: dict[int, str], kind: str, low: int | None = None) -> str | None:
    """The speaker sentence ``n``'s anaphora stands for, named in the sentences just before (none
    before ``low``, by default ``LOOKBACK`` back): a document's author only where a sentence
    speaks of a document; a quotation's speaker only in the sentence just before; none where the
    sentence before opens "Selon X, la jeune fille ..." and "elle" may be either."""
    low = n - LOOKBACK if low is None else low
    for k in range(n - 1, low - 1, -1):
        text = sentences.get(k)
        if text is None:
            continue
        if kind == "document":
            owner = STATEMENT_OWNER.search(text)
            who = owner.group("who").strip() if owner else (wide_speaker(text) if DOCUMENT.search(text) else None)
        else:
            who = wide_speaker(text) or (_subject_name(text) if kind == "person" else None)
        if who:
            if kind == "person" and (opening := _ambiguous(sentences.get(n, ""), text)):
                return opening.group("subject") if opening.group("subject") else None
            return fuller_name(who, k, sentences, low)
        if (inner := anaphora(text)) and k > low:
            return earlier_speaker(k, sentences, inner, low)
        if kind == "quote":
            return None
    return None


def fuller_name(who: str, k: int, sentences: dict[int, str], low: int) -> str:
    """A one-word speaker ("le ministère", "instituto") as a sentence before names it in full
    ("le ministère de la Défense"), when one does; else as written."""
    words = [w for w in re.findall(r"[^\W\d_]+", who.lower()) if w not in SPEAKER_ARTICLES and w != "l"]
    if len(words) != 1 or len(words[0]) < 4:
        return who
    for j in range(k - 1, low - 1, -1):
        fuller = wide_speaker(sentences.get(j, "")) or ""
        # the same body named in full, not one of its people ("the federation's secretary general")
        if len(fuller.split()) > 1 and re.search(r"\b" + re.escape(stem(words[0])) + r"(?![\w-]*['’]s\b)", fuller.lower()):
            return fuller
    return who


def _subject_name(text: str) -> str | None:
    """The name a sentence opens on as its subject ("Hichem Abu Chkiouat, the minister, ...",
    "Derna's mayor, Abdulmenam al-Ghaithi, has gone further"), not a place it opens with."""
    if _OPENING_PREPOSITION.match(text):
        return None
    if (m := SUBJECT_APPOSITION.match(text)) and PROPER_NAME.match(m.group("name")):
        return m.group("name")
    return m.group(0) if (m := Wide.LEADING_NAME.match(text)) else None


def _ambiguous(sentence: str, before: str) -> re.Match | None:
    """Where the pronoun of ``sentence`` may stand for the subject of ``before`` rather than its
    source ("Selon l'armée, la jeune fille s'est rendue. Elle a raconté ..."): the opening, whose
    group "subject" is that subject when it is a short noun phrase before its verb."""
    opening = _OPENING_SOURCE.match(before)
    pronoun = re.search(r"(?<!\w)(il|elle|ils|elles|he|she|they)(?!\w)", sentence, re.I)
    if not opening or not pronoun:
        return None
    agrees = opening.group("det").lower().replace("’", "'") in _AGREES.get(pronoun.group(1).lower(), set())
    return opening if agrees else None


def _written(claimant: str, sentence: str) -> bool:
    """Whether every word of the claimant's name is in the sentence (by its 5-letter stem)."""
    words = [w for w in re.findall(r"[^\W_]+", claimant.lower()) if w not in STOPWORDS and w not in SPEAKER_ARTICLES]
    return all(_word_in(w, sentence.lower()) for w in words)
