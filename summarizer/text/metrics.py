"""What a figure counts: its metric (killed, wounded, captured, missing), and whether the
words after it are people, a toll of people, or things ("40 houses").
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from summarizer.text.language import PERSON_NOUNS, detect, number_spans
from summarizer.text.numbers import DATES, QUALIFIER_BEFORE, VAGUE_FIGURE, count_spans, figure_spots, numbers_in
from summarizer.text.words import ARTICLES, STOPWORDS

# The words each language says a metric with: what code reads a row's metric from.
METRIC_WORDS = {
    "killed": r"kill\w*|dead|deaths?|died|die|perish\w*|murder\w*|corpses?|bodies|lives|toll|"
              r"tu[ée]e?s?|tuant|morte?s?|décès|décédée?s?|périe?s?|abattue?s?|massacrée?s?|exécutée?s?|cadavres?|"
              r"corps|bilan|muert[oa]s?|murieron|murió|fallecid[oa]s?|falleció|fallecieron|asesinad[oa]s?|"
              r"ejecutad[oa]s?|cadáveres|cuerpos|mort[oa]s|morreram|morreu|assassinad[oa]s?|corpos|"
              r"perdu la vie|perdid[oa]s? la vida|perdieron la vida|perdió la vida|perderam a vida|perdeu a vida",
    "wounded": r"wound\w*|injur\w*|hurt|blessée?s?|blessures?|herid[oa]s?|ferid[oa]s?",
    "captured": r"captur\w*|prisoners?|arrest\w*|detained|hostages?|abduct\w*|kidnap\w*|prisonniers?|otages?|"
                r"enlevée?s?|arrêtée?s?|interpellée?s?|detenid[oa]s?|secuestrad[oa]s?|prisioneros?|rehenes|"
                r"detid[oa]s?|presos|sequestrad[oa]s?",
    "missing": r"missing|unaccounted|disparue?s?|desaparecid[oa]s?",
    # The military's words for fighters killed or taken: "mis hors de combat", "dejamos fuera de combate a trece".
    "killed or captured": r"hors de combat|fuera de combate|fora de combate|out of action|neutrali[sz]ed|"
                          r"neutralisée?s?|neutralizad[oa]s?",
}
METRIC = {metric: re.compile(r"(?<!\w)(?:" + words + r")(?!\w)", re.I) for metric, words in METRIC_WORDS.items()}
CASUALTY_WORDS = re.compile(
    r"(?<!\w)(?:" + "|".join(METRIC_WORDS.values()) +
    r"|casualt\w*|lost|loss\w*|victimes?|pertes|víctimas?|bajas|vítimas?|massacres?|meurtres?|masacres?|matanzas?|"
    r"chacinas?)(?!\w)", re.I)
METRIC_REACH = 60  # characters after a figure where the word saying what it counts is looked for


def states_casualty_figure(sentence: str, lang: str | None = None) -> bool:
    """True for a sentence that gives a figure (a number or 'dozens') of people hurt, killed or held.

    Example:
        >>> states_casualty_figure("The army said two soldiers had been killed.")
        True
        >>> states_casualty_figure("Selon des sources locales, plus de 100 habitants ont été abattus.")
        True
        >>> states_casualty_figure("Le 23 mars 2019, des hommes armés ont attaqué le village.")
        False
    """
    without_dates = DATES.sub(" ", sentence)
    has_figure = bool(numbers_in(without_dates, lang or detect(sentence))) or bool(VAGUE_FIGURE.search(sentence))
    return has_figure and bool(CASUALTY_WORDS.search(sentence))


def figure_candidates(sentence: str, lang: str | None = None) -> list[tuple[str, int, int]]:
    """The figures a sentence writes, in order: each as written with its qualifier ("at least 20"),
    and where its number stands. No date, no part of a date.

    Example:
        >>> [f for f, _, _ in figure_candidates("On 12 May at least 20 rebels and dozens of civilians died.")]
        ['at least 20', 'dozens']
    """
    lang = lang or detect(sentence)
    spans = count_spans(sentence, lang)
    spans += [m.span(1) for m in VAGUE_FIGURE.finditer(sentence) if not any(a <= m.start() < b for a, b in spans)]
    spans += [m.span("some") for m in SOME_OF_A_TOLL.finditer(sentence) if not any(a <= m.start("some") < b for a, b in spans)]
    spans += [span for span in some_people(sentence) if not any(a <= span[0] < b for a, b in spans)]
    ranges: list[tuple[int, int]] = []
    for start, end in sorted(spans):  # "18,000 to 20,000", "entre 5 et 10": one figure
        if ranges and RANGE_BETWEEN.fullmatch(sentence[ranges[-1][1]:start]):
            ranges[-1] = (ranges[-1][0], end)
        else:
            ranges.append((start, end))
    found = []
    for start, end in ranges:
        qualifier = QUALIFIER_BEFORE.search(sentence[max(0, start - 30):start])
        found.append((sentence[start - (len(qualifier.group(0)) if qualifier else 0):end], start, end))
    return found


RANGE_BETWEEN = re.compile(r"\s*(?:-|–|to|à|a|y|e)\s*", re.I)  # not "and", "et": "10 killed and 20 wounded"


def metric_read(figure: str, sentence: str) -> str | None:
    """The metric the sentence's own words give the figure, with no model's reading to fall back on;
    None where they give none, or two ("killed and wounded several").

    Example:
        >>> metric_read("3,166", "Abduljalil gave a registered toll of 3,166."), metric_read("12", "Some 12 houses burned.")
        ('killed', None)
        >>> metric_read("dizaines", "HRW dit avoir confirmé au moins 133 morts, dont des dizaines d'enfants.")
        'killed'
    """
    return metric_of(figure, "", sentence) or None


# Words after a figure, in its clause, that make it a part of a toll: those in one place ("admis à
# l'hôpital de la ville", "in other towns") or those added to it ("31 more bodies").
PART_OF_A_TOLL = re.compile(
    r"(?<!\w)(?:admitted|in (?:the )?hospitals?|hospitali[sz]ed|elsewhere|in other|(?<!or )more|further|additional|"
    r"admise?s?|hospitalisée?s?|à l['’]hôpital|ailleurs|dans d['’]autres|de plus|supplémentaires|"
    r"ingresad[oa]s|hospitalizad[oa]s|en el hospital|en otr[oa]s|(?<!o )más|adicionales|"
    r"internad[oa]s|no hospital|noutr[oa]s|em outr[oa]s|a mais)(?!\w)", re.I)


def counts_a_part(figure: str, sentence: str) -> bool:
    """True where the sentence's words after the figure make it a part of a toll, not a toll: those
    in one place, or those added to an earlier count. Such a figure is a row, but no side of a dispute
    over how many.

    Example:
        >>> counts_a_part("une cinquantaine", "Une source évoque une cinquantaine de blessés admis à l'hôpital de la ville.")
        True
        >>> counts_a_part("31", "By Sunday, with 31 more bodies found, his count stood at 3,283.")
        True
        >>> counts_a_part("65", "La mission fait aussi état de 65 blessés, atteints par des tirs."), counts_a_part(
        ...     "20", "At least 20 or more fighters were killed.")
        (False, False)
    """
    lang = detect(sentence)
    return any(PART_OF_A_TOLL.search(_clause_after(sentence[end:], lang)) for _, end in figure_spots(figure, sentence, lang))


# Where the words that may say what a figure counts end: a clause's punctuation or another figure.
CLAUSE_END = re.compile(r"[,.;:!?()«»“”\"]|\d")


def metric_of(figure: str, metric: str, sentence: str) -> str | None:
    """The metric the sentence gives the figure: ``metric`` when the sentence has its words, else
    the metric of the first casualty word after the figure ("12 wounded"), else None.

    A small model often answers "killed or captured" for a toll, or the metric of the sentence's
    other figure; code reads the sentence's own word. Measured on the stored briefs of four dev
    folders (2026-12-04): 30 rows changed or dropped, every one of them wrong before.

    Example:
        >>> metric_of("12", "killed", "Seven rebels were killed and 12 wounded.")
        'wounded'
        >>> metric_of("157", "killed or captured", "La MINUSMA a compté au moins 157 personnes tuées.")
        'killed'
        >>> metric_of("40", "wounded", "Some 40 houses burned.") is None
        True
        >>> metric_of("plus de 400", "killed or captured", "Il est responsable de la mort de plus de 400 habitants.")
        'killed'
        >>> metric_of("several", "missing", "The CSP said it had killed and wounded several soldiers.") is None
        True
    """
    spots = figure_spots(figure, sentence)
    # "killed and wounded several": several of each, so the row is the model's metric if it is one
    # of the two (it gives a row for each); "killed or arrested 15" is killed or captured.
    if (pair := _verbs_before(spots, sentence)) is not None:
        if pair == {"killed", "captured"}:
            return "killed or captured"
        return metric if metric in pair else None
    for start, _ in spots:
        if PUT_OUT_OF_ACTION.search(sentence[max(0, start - 40):start]):
            return "killed or captured"  # "dejamos fuera de combate a trece integrantes"
        if (m := AMONG_A_TOLL.search(sentence[max(0, start - 40):start])) and len(named := _metrics_named([m.group(1)])) == 1:
            return named.pop()  # "au moins 133 morts, dont des dizaines d'enfants": dozens of children killed
    for start, _ in spots:
        before = sentence[max(0, start - 30):start]  # "the loss of two soldiers ... and ten others injured"
        for name, pattern in METRIC_OF.items():
            if pattern.search(before):
                return name
    # "ocho de los diez cuerpos", "three of the 20 dead": a part of another figure, counted for what
    # the verb says (identified, children among them), not a toll of its own
    if any(SUBSET_OF.match(sentence[end:]) for _, end in spots):
        return None
    for _, end in spots:
        # The word right after the figure says what it counts: "killed and 12 wounded" is 12 wounded.
        if m := METRIC_AFTER.match(sentence[end:]):
            pair = _metrics_named(m.groups())
            if len(pair) == 1:
                return pair.pop()
            return "killed or captured" if pair == {"killed", "captured"} else None
    # The words after the figure, to the end of its clause, say what it counts when they name one
    # metric ("with 10,100 people still missing", "120 personas aún desaparecidas"); else a toll
    # the figure closes does: "put the death toll at 11,300", "the dead had passed 10,000", "le
    # nombre de disparus s'élève à 2 400" (not "killed or captured", nor the metric of the
    # sentence's other figure), but not across another figure ("a toll of 11,300 dead, with ...").
    # Of a figure written twice ("Thousands died and thousands more are missing"), either reading.
    lang = detect(sentence)
    read = [said for start, end in spots if (said := _clause_metric(sentence, start, end, lang))]
    if read:
        return metric if metric in read else read[0]
    # Else the model's metric where the sentence says it, but not in words that say what another
    # figure counts: "au moins cinq mineurs étaient liés au camp : deux y sont morts" does not say
    # five died; "The missing are uncertain: 9,000 according to X, 10,100 according to Y" does.
    wanted = ("killed", "captured") if metric == "killed or captured" else (metric,)
    others = [(a, b) for a, b in count_spans(sentence, lang) if not any(a < end and b > start for start, end in spots)]
    owned = [(b, b + len(_clause_after(sentence[b:], lang))) for _, b in others
             if not counts_a_thing(sentence[b:])]  # "two dams ... gave way and killed 2,000 people"
    if all(any(not any(a <= m.start() < b for a, b in owned) for m in METRIC[w].finditer(sentence))
           for w in wanted if w in METRIC):
        return metric
    for _, end in spots:
        stop = min((a for a, _ in others if a >= end), default=len(sentence))  # not past the next figure
        after = sentence[end:min(end + METRIC_REACH, stop)]
        found = [(m.start(), name) for name, pattern in METRIC.items() if (m := pattern.search(after))]
        if found:
            return min(found)[1]
    return None


def _clause_after(rest: str, lang: str) -> str:
    """The words after a figure to the end of its clause: its punctuation, the next figure, or the
    "and" before the next figure ("killed 12 people and wounded thirty", "the dead at 2,000 and
    the missing at 5,000": what follows "and" is the next figure's)."""
    cut = CLAUSE_END.search(rest)
    clause = rest[:cut.start()] if cut else rest
    if cut and cut.group().isdigit() or number_spans(clause, lang) or VAGUE_FIGURE.search(clause):
        clause = re.split(r"(?<!\w)(?:and|but|while|et|mais|y|pero|e|mas)(?!\w)", clause, maxsplit=1, flags=re.I)[0]
    return clause


def _clause_metric(sentence: str, start: int, end: int, lang: str) -> str | None:
    """The metric the figure at ``start:end`` is given by the rest of its clause, or by the toll it closes."""
    after = _metrics_in(_clause_after(sentence[end:], lang))
    if len(after) == 1 or after == {"killed", "captured"}:
        return after.pop() if len(after) == 1 else "killed or captured"
    toll = TOLL_BEFORE.search(sentence[max(0, start - 90):start])
    if after or toll is None or re.search(r"\d", toll.group("between")):
        return None
    named = _metrics_in(toll.group(0))
    return named.pop() if len(named) == 1 else None


def _metrics_in(text: str) -> set[str]:
    """The metrics a stretch of text names, in words or phrases ("ont perdu la vie")."""
    return {name for name, pattern in METRIC.items() if pattern.search(text)}


def metrics_joined(figure: str, sentence: str) -> set[str]:
    """The two metrics a pair of verbs before the figure gives it, each of its own ("killed and
    wounded several": several killed, several wounded); none where there is no such pair, or where
    the pair is one metric ("killed or arrested 15" is killed or captured).

    Example:
        >>> sorted(metrics_joined("several", "The CSP claimed to have killed and wounded several soldiers."))
        ['killed', 'wounded']
        >>> metrics_joined("15", "They withdrew with 15 fighters killed or arrested."), metrics_joined("7", "7 died.")
        (set(), set())
    """
    pair = _verbs_before(figure_spots(figure, sentence), sentence) or set()
    return pair if len(pair) == 2 and pair != {"killed", "captured"} else set()


def _verbs_before(spots: Sequence[tuple[int, int]], sentence: str) -> set[str] | None:
    """The metrics two joined verbs name right before the figure (``METRIC_PAIR``), at the first of
    its ``spots`` that has them; None where none has."""
    for start, _ in spots:
        if m := METRIC_PAIR.search(sentence[max(0, start - 50):start]):
            return _metrics_named(m.groups())
    return None


def _metrics_named(words: Sequence[str | None]) -> set[str]:
    """The metrics the words name ("killed", "arrested" -> killed, captured)."""
    return {name for name, pattern in METRIC.items() for word in words if word and pattern.fullmatch(word)}


# Two metric words joined before one figure, as its verbs: "killed and wounded several", "tué ou
# blessé 12", "heridos y muertos 30". (Each with its own figure, "7 killed and 12 wounded", is not.)
_ANY_METRIC = "|".join(METRIC_WORDS.values())
METRIC_PAIR = re.compile(
    r"(?<!\w)(" + _ANY_METRIC + r")\s*(?:,|\band\b|\bor\b|\bet\b|\bou\b|\by\b|\be\b|\bo\b|&)\s*"
    r"(?:(?:been|été|sido)\s+)?(" + _ANY_METRIC + r")\s+(?:(?:at least|au moins|al menos|pelo menos|some|about|"
    r"plus de|more than|over|près de|nearly|around|environ)\s+)?$", re.I)

# A figure that counts some of a toll, named just before it: "133 morts, dont des dizaines d'enfants",
# "200 dead, including dozens of children", "30 muertos, entre ellos decenas de niños".
AMONG_A_TOLL = re.compile(
    r"(?<!\w)(" + "|".join(METRIC_WORDS.values()) + r")\s*,?\s*(?:dont|parmi (?:eux|elles|lesquels|lesquelles)|including|"
    r"among them|among whom|entre ell[oa]s|incluid[oa]s|entre os quais|entre as quais|incluindo)\s+"
    r"(?:(?:de|des|d['’]|of|de los|de las|dos|das)\s*)?$", re.I)
# The vague counts that are a figure only where a toll or a casualty word beside them says what they count.
SOME = (r"several|many|numerous|plusieurs|de nombreux|de nombreuses|varios|varias|muchos|muchas|numerosos|"
        r"numerosas|vários|várias|muitos|muitas")
# "14 morts, dont plusieurs enfants", "200 dead, including many children": a vague part of a toll is a
# figure there, though "several" and "many" elsewhere are none.
SOME_OF_A_TOLL = re.compile(AMONG_A_TOLL.pattern.removesuffix("$") + r"(?P<some>" + SOME + r")(?=\s)", re.I)
PUT_OUT_OF_ACTION = re.compile(r"(?<!\w)(?:" + METRIC_WORDS["killed or captured"] + r")\s+(?:a\s+|à\s+)?$", re.I)

SUBSET_OF = re.compile(r"\s+(?:of the|of|de los|de las|des|d['’]entre les|sur les|dos|das|entre os|entre as)\s+"
                       r"(?:\d|(?:" + "|".join(["two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
                                                   "deux", "trois", "quatre", "cinq", "dix", "dos", "tres", "cuatro",
                                                   "cinco", "diez", "dois", "três", "dez"]) + r")\b)", re.I)

# The metric word, or two joined, right after a figure: "12 wounded", "15 killed or captured".
METRIC_AFTER = re.compile(
    r"\s*(?:(?:people|persons|personnes|personas|pessoas|others|autres)\s+)?(?:(?:were|have been|ont été|sont|fueron)\s+)?"
    r"(" + _ANY_METRIC + r")(?!\w)(?:\s*(?:,|\band\b|\bor\b|\bet\b|\bou\b|\by\b|\bo\b|&)\s*(" + _ANY_METRIC + r")(?!\w))?",
    re.I)

# A casualty noun whose complement is the figure decides its metric, whatever else the sentence
# says: "la mort de plus de 400", "the deaths of at least 12", "the loss of two soldiers and ten
# others injured". (A toll, "le bilan de 12 blessés", is no such noun: the word after decides.)
METRIC_NOUNS = {
    "killed": r"deaths?|killings?|loss(?:es)?|lives|murders?|massacres?|mort|décès|pertes?|assassinats?|meurtres?|"
              r"muertes?|pérdidas?|asesinatos?|masacres?|matanzas?|mortes?|perdas?|chacinas?",
    "wounded": r"injur(?:y|ies)|wounding|blessures?|heridas?|ferimentos?",
    "captured": r"arrests?|captures?|capture|detention|abductions?|kidnappings?|arrestations?|enlèvements?|"
                r"détention|capturas?|detenciones|detención|secuestros?|prisão|sequestros?",
    "missing": r"disappearances?|disparitions?|desapariciones|desaparición|desaparecimentos?",
}
METRIC_OF = {
    metric: re.compile(r"(?<!\w)(?:" + words + r")\s+(?:(?:of|de|del|dos|das|da|do)\s+|d['’]\s*)"
                       r"(?:(?!(?:and|et|y|e|or|ou|o)\b)[^\W\d_]+(?:\s+|['’])){0,3}$", re.I)  # "plus de", "at least"
    for metric, words in METRIC_NOUNS.items()
}


# "plusieurs militaires étaient portés disparus", "several soldiers were killed", "la mort de plusieurs
# soldats": a vague count of people that a casualty word next to it says what happened to is a figure too,
# though "several" and "many" elsewhere are none ("several witnesses said").
WHO = r"(?P<who>[^\W\d_][\w'’-]*)(?:\s+(?P<who2>[^\W\d_][\w'’-]*))?"  # "soldiers", "Malian soldiers", "militaires maliens"
SOME_THEN_WHAT = re.compile(
    r"(?<!\w)(?P<some>" + SOME + r")\s+" + WHO + r"\s+"
    r"(?:(?:were|have been|had been|are|was|étaient|ont été|avaient été|sont|fueron|han sido|habían sido|foram|"
    r"están)\s+)?(?:(?:reportedly|still|portés|portées|reportados|reportadas|dados)\s+)?"
    r"(?:" + "|".join(METRIC_WORDS.values()) + r")(?!\w)", re.I)
WHAT_OF_SOME = re.compile(
    r"(?<!\w)(?:" + "|".join(METRIC_NOUNS.values()) + r")\s+(?:of|de|d['’])\s*(?P<some>" + SOME + r")\s+" + WHO, re.I)


def some_people(sentence: str) -> list[tuple[int, int]]:
    """Where the sentence writes a vague count of people a casualty word says what happened to."""
    return [m.span("some") for pattern in (SOME_THEN_WHAT, WHAT_OF_SOME) for m in pattern.finditer(sentence)
            if any((w or "").lower() in PERSON_NOUNS for w in m.group("who", "who2"))]


METRIC_WORD = re.compile("|".join(METRIC_WORDS.values()), re.I)


# Words for people in general: a toll's party when the sentence names no one ("the toll reached 3,840").
GENERIC_PARTY = {"people", "persons", "personnes", "personas", "pessoas", "victims", "victimes", "víctimas", "vítimas",
                 "dead", "morts", "muertos", "mortos", "residents", "habitants", "civilians", "civils", "civiles", "civis"}


# Words that may follow a figure without being what it counts ("3,000 were killed", "157 ont péri").
FUNCTION_WORDS = STOPWORDS | {
    "had", "been", "more", "others", "other", "people", "ont", "sont", "avaient", "étaient", "ont", "han", "habían",
    "fueron", "foram", "tinham", "dont", "parmi", "entre", "among", "including", "alone", "dans", "en", "à", "au",
    "aux", "et", "y", "e", "con", "com", "avec", "with", "at", "as", "is", "it", "according", "selon", "según"}


# The noun (and the word after it) that follows a figure: "40 houses", "des dizaines de têtes de bétail".
NOUN_AFTER = re.compile(r"\s+(?:(?:of|de|des|del|dos|das|da|do)\s+|d['’]\s*)?([^\W\d_][\w'-]*)(?:\s+([^\W\d_][\w'-]*))?")


def counts_a_thing(after: str) -> bool:
    """True when the words right after a figure name what it counts and that is not people or losses."""
    m = NOUN_AFTER.match(after)
    if not m:
        return False

    def people_or_losses(word: str | None) -> bool:
        return bool(word) and (word.lower() in GENERIC_PARTY or bool(CASUALTY_WORDS.fullmatch(word))
                               or word.lower() in {"civilian", "person", "personne", "persona", "pessoa", "victim", "victime"})

    first = m.group(1).lower()
    if first in FUNCTION_WORDS or first in ARTICLES or people_or_losses(first) or people_or_losses(m.group(2)):
        return False  # "3,000 were killed", "115 corps", "3,840 recorded deaths"
    return True


def names_people(after: str) -> bool:
    """True when the noun after a figure may name people: a name ("20 Russians"), a noun for people
    ("30 soldats"), or one for members of something ("12 members of the army", "des élèves")."""
    m = NOUN_AFTER.match(after)
    if not m:
        return False
    word = m.group(1)
    return word[0].isupper() or word.lower() in PERSON_NOUNS or bool(MEMBERS.fullmatch(word))


MEMBERS = re.compile(r"members?|membres?|miembros?|membros?|integrantes?|élèves?|étudiante?s?|estudiantes?|alumn[oa]s?|"
                     r"agents?|employees?|employés?|staff|personnel|crew|hommes|hombres|homens|femmes|mujeres|"
                     r"mulheres|enfants|niños|crianças|personas|pessoas|personnes", re.I)


# What names a figure as a toll of people before it: "put the death toll at", "the number of missing
# at", "the dead in X alone at over", "le bilan est de", "la cifra de muertos asciende a".
TOLL_BEFORE = re.compile(
    r"(?<!\w)(?:(?:death |casualty )?toll|tally|number of (?:the )?(?:[^\W\d_]+ )?(?:dead|deaths|missing|people|"
    r"victims|bodies)|the (?:dead|missing)|bilan|nombre de (?:morts|victimes|disparus|personnes|décès)|"
    r"(?:cifra|número|balance) de (?:muertos|víctimas|desaparecidos|fallecidos|mortos|vítimas|desaparecidos)|"
    r"número de (?:mortos|vítimas|desaparecidos))(?P<between>[^.;:!?]{0,60}?)$", re.I)


TOLL_NOUN = re.compile(r"deaths|bodies|fatalities|casualties|victims|décès|victimes|cadavres|muertes|víctimas|"
                       r"cadáveres|mortes|vítimas|corpos", re.I)


def toll_of_no_one(before: str, after: str) -> bool:
    """True when the figure closes a toll of people that names no one: "put the death toll at 11,300
    on Thursday", "3,840 recorded deaths" (a toll whose party the sentence does not give).

    On derna (2026-12-04), eight such tolls were dropped because the model's party was its claimant
    ("Red Crescent", "army") or the speaker ("secretary general").
    """
    m = NOUN_AFTER.match(after)
    first = m.group(1) if m else ""
    # "3,840 recorded deaths", "1,100 unidentified bodies" (not "dozens reportedly killed")
    if m and m.group(2) and TOLL_NOUN.fullmatch(m.group(2)) and first.islower() and not first.endswith("ly") \
            and first not in PERSON_NOUNS | FUNCTION_WORDS | ARTICLES and not MEMBERS.fullmatch(first):
        return True
    toll = TOLL_BEFORE.search(before)
    if not toll or counts_a_thing(after) or names_people(after):
        return False
    # "the toll among soldiers rose to 17" names them: the model's party, or none
    named = {w.lower() for w in re.findall(r"[^\W\d_]+", toll.group("between"))}
    return not (named & (PERSON_NOUNS - GENERIC_PARTY)) and not any(MEMBERS.fullmatch(w) for w in named)
