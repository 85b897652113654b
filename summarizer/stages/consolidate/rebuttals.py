"""Consolidate, rebuttals: disputes that code finds in the reports' sentences, where one party
denies, rejects or contests what another says ("Mali denies that the Russian forces are Wagner
mercenaries", "La milice ... nie toute implication", "which Malian authorities refute").

Code proposes: a sentence whose verb denies, and whose grammar names who denies (the verb's
subject, or "denied by X"), is one side. The other side is what is denied: the clause before the
denial in the same sentence when it states it ("accusations of abuses ..., which the authorities
refute"), else the sentence of another voice that best shares the denial's words and names the
denier or accuses someone. The model chooses: one small call per cross-sentence pair says whether
the two disagree; a pair that one sentence states is not asked about, its grammar says so.
Nothing here is written by the model: each side's statement is its sentence's own words.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from summarizer.llm.client import LLM
from summarizer.llm.prompts import render
from summarizer.schema import Citation, Dispute, PairCheck, Position, SegmentedArticle, Usage
from summarizer.stages.consolidate.claims import claim_stems, containment
from summarizer.stages.consolidate.names import canonical, name_key
from summarizer.text.attribution import claim_speaker, earlier_speaker
from summarizer.text.kinds import ACCUSATION, DENIAL_WORDS
from summarizer.text.language import DEFAULT
from summarizer.text.words import REPORTER, SPEAKER_ARTICLES, stem

# What the model is asked to confirm of a pair code found: a choice between yes and no.
DENIES = "Sentence B denies, rejects or contests what sentence A says, or part of it."
OTHER_YEAR = "Sentences A and B give different years for the same event."
MAX_CHECKS = 6  # cross-sentence pairs the model is asked about, each one small call
MIN_SHARED = 0.10  # rarity-weighted cosine below which a sentence is not about what is denied

# A description set right: "not mercenaries but trainers", "pas des civils mais des miliciens", "y no civiles".
CORRECTION = re.compile(
    r"(?<!\w)(?:not|never)\s[^.;:]{1,60}?,?\s(?:but|rather)\s|(?<!\w)(?:ne\s)?(?:pas|jamais)\s[^.;:]{1,60}?,?\smais\s|"
    r"(?<!\w)et non(?:\spas)?\s|(?<!\w)no\s[^.;:]{1,60}?,?\ssino\s|(?<!\w)(?:y|e) no\s|(?<!\w)não\s[^.;:]{1,60}?,?\smas\s|"
    r"(?<!\w)and not\s", re.I)
# A description denied: "denies that the forces are Wagner mercenaries and ...", "nie que les victimes
# soient des civils", "niega que los muertos sean menores": what it says they are not is its predicate.
DENIED_DESCRIPTION = re.compile(
    r"(?<!\w)(?:den(?:y|ies|ied)|nie|nient|niait|a nié|ont nié|niega\w*|negó|negaron|nega\w*|negou)\s+(?:that|que|qu['’])\s*"
    r"[^.;:]{1,80}?\s(?:are|is|were|was|sont|soient|est|soit|étaient|son|sean|es|sea|eran|fueron|são|sejam|é|seja|eram)\s+"
    r"(?P<what>[^.;:,]{2,60}?)(?=\s*(?:[.;:,]|$|\s(?:and|but|et|mais|y|pero|sino|e|mas|who|qui|que|saying|insist\w*)\s))",
    re.I)
# A verb that denies, in the languages the project reads, in the forms a report writes it with its subject.
DENY_VERB = re.compile(
    rf"(?<!\w)(?:{DENIAL_WORDS}|contests?|conteste|contestent)(?!\w)", re.I)
# "... have been denied by the authorities", "démentie par l'armée", "rechazada por el ministerio"
DENIED_BY = re.compile(
    rf"(?<!\w)(?:{DENIAL_WORDS}|contested|disputed|contesté\w*)\s+(?:by|par|por|pelo|pela|pelos|pelas)\s+"
    r"(?P<who>(?:the |a |an |le |la |les |l['’]|el |los |las |o |os |as )?[^\W\d_][\w'’-]*(?: [\w'’-]+){0,5}?)"
    r"(?=\s*(?:[,.;:]|$|\s(?:and|et|y|e|who|qui|que)\s))", re.I)
# What a denial answers: an accusation or an assertion ("accusations of abuses", "a claim", "affirme").
ASSERTION = re.compile(
    r"(?<!\w)(?:accus\w*|alleg\w*|blam\w*|claim\w*|responsib\w*|responsab\w*|impli\w*|attribu\w*|imput\w*|"
    r"affirm\w*|assert\w*|acus\w*|culp\w*|atribu\w*|characteri[sz]\w*|describ\w*|call(?:s|ed)?|qualifi\w*|"
    r"décri\w*|calific\w*|said|says|say|dit|disent|dijo|dicen|disse|dizem)(?!\w)", re.I)
# A denial of what was just said: "deny the allegations", "reject that account", "rejette ces accusations".
ANAPHORIC_OBJECT = re.compile(
    r"(?<!\w)(?:the|that|these|those|this|such|ces|cette|ce|cet|tal|tales|esas?|esos?|estas?|estos?|essas?|esses?|"
    r"l['’]|la|las|los|as|os|a)\s*(?:allegations?|accusations?|claims?|account|reports?|versions?|charges?|"
    r"affirmations?|acusaci\w*|versi[oó]n\w*|denuncias?|acusaç\w*|versão|versões|informations?)"
    r"(?=\s*(?:[.,;:]|$)|\s+(?:on|in|at|last|this|outright|le|en|el|dans|ce|cette|em|no|na)(?!\w))", re.I)
# A relative or contrasting clause that carries the denial of what its sentence has just stated.
DENIAL_CLAUSE = re.compile(r"^(?:which|that|que|qui|lo que|o que|but|mais|pero|mas)\s", re.I)
# Words a subject may carry before its verb that are no part of its name.
ADVERBS = re.compile(
    r"(?<!\w)(?:however|also|still|again|for (?:its|their|his|her) part|firmly|strongly|flatly|categorically|"
    r"has|have|had|continues? to|continued to|cependant|toutefois|pour (?:sa|leur) part|aussi|également|"
    r"fermement|catégoriquement|a|ont|continue(?:nt)? (?:de|à)|sin embargo|también|ha|han|por su parte|"
    r"tem|têm|também|no entanto|por sua vez)(?!\w)", re.I)
SUBJECT = re.compile(r"^(?:which|que|qui|lo que|o que|whom)?\s*(?P<who>(?:(?-i:[A-ZÀ-Ý])|the |le |la |les |l['’]|"
                     r"el |los |las |o |os |as )[\w'’ .-]*)$", re.I)
QUOTATION = re.compile(r"[«»“”\"]")
# A sentence whose subject is a body named before ("L'ONG s'appuie sur ...", "The agency relies on ..."): its side is that body's.
BODY_ANAPHOR = re.compile(
    r"^(?:the|this|l['’]|la|le|cette|cet|el|la|esta|este|o|a|essa|esse)\s*(?:NGO|ONG|organi[sz]ation|organización|organização|"
    r"agency|agence|agencia|agência|collective|collectif|colectivo|coletivo|mission|misión|missão)(?!\w)", re.I)
NO_ONE = re.compile(r"^(?:nobody|no one|none|personne|nul|aucun\w*|nadie|ninguno|ninguém|nenhum)(?!\w)", re.I)
PRONOUN = re.compile(r"^(?:it|they|he|she|il|elle|ils|elles|él|ella|ellos|ellas|ele|ela|eles|elas)$", re.I)
ARTICLES = {"the", "and", "les", "des", "une", "aux", "del", "los", "las", "una", "dos", "das", "uma", "pour", "por", "para"}
NO_NAMES_WORD = ARTICLES | SPEAKER_ARTICLES  # words a name opens on that are no part of it
BOUNDARY = re.compile(r"\s*(?:[,;:]|\s(?:but|mais|pero|mas|and|et)\s)\s*")


@dataclass
class Side:
    """One side of a rebuttal: who says it, what it says (its sentence's own words) and where."""

    by: str
    text: str
    source_id: str
    n: int
    # For a description set right or denied ("not Wagner mercenaries but trainers", "denies that
    # they are Wagner mercenaries"): the words of what it says they are not, which the other side
    # must write.
    corrects: frozenset[str] = frozenset()


def sentence_disputes(
    articles: Sequence[SegmentedArticle], names: dict[str, str], llm: LLM | None, run: Callable = map,
    language: str = DEFAULT,
) -> tuple[list[Dispute], Usage]:
    """Disputes code finds in the sentences, each side with its claimant and sentence: one party
    denies what another says, or two reports give different years for one event.

    ``articles`` are the on-topic reports. ``run`` maps the model's check over the cross-sentence
    pairs (``pool.map`` to send them at once); without a model only the pairs one sentence states
    are shown. ``language`` is the brief's (ISO 639-1), in which code writes each question.
    """
    usage = Usage()
    within: list[tuple[Side, Side]] = []
    denials: list[tuple[Side, set[str]]] = []
    corpus = Corpus.of(articles)
    for source_id, sentences in corpus.report.items():
        for n in sentences:
            denial = _denial(source_id, n, sentences)
            if denial is None:
                continue
            denied, statement = denial
            if statement is not None:
                within.append((statement, denied))
            else:
                denials.append((denied, _denied_words(denied.text)))

    # Restatements of one denial in several reports are one side, checked once and cited in each.
    unique: list[tuple[Side, set[str]]] = []
    restated: dict[int, list[Side]] = {}
    for denied, words in denials:
        same = next((u for u, w in unique if (canonical(denied.by, names) == canonical(u.by, names)
                                              or _same_voice(denied.by, u.by)) and containment(words, w) >= 0.6), None)
        if same is None:
            unique.append((denied, words))
        else:
            restated.setdefault(id(same), []).append(denied)
    pairs = [(best, denied) for denied, words in unique
             if (best := _what_is_denied(denied, words, corpus, names)) is not None][:MAX_CHECKS]

    dated = date_pairs(articles)
    asked = [(a, b) for a, b in pairs] + [(a, b) for a, b, _ in dated]

    statements = [DENIES] * len(pairs) + [OTHER_YEAR] * len(dated)

    def check(k: int):
        a, b = asked[k]
        return llm.structured(
            PairCheck, system=render("pair_check_system"),
            user=render("pair_check_user", first=a, second=b, statement=statements[k],
                        first_by=canonical(a.by, names), second_by=canonical(b.by, names)),
            max_tokens=20, reasks=0,
        )

    disputes = []
    seen: set[tuple[str, int]] = set()

    said: dict[tuple[str, int], tuple[Dispute, Side]] = {}  # a stated side's sentence -> its dispute

    def add(question_: str, kind: str, first: Side, second: Side) -> None:
        if (second.source_id, second.n) in seen:
            return
        seen.add((second.source_id, second.n))
        earlier = said.get((first.source_id, first.n))
        if earlier and kind != "date" and _same_voice(earlier[1].by, second.by):
            # One voice denying one statement in two reports: one dispute, its denial cited in both.
            earlier[0].positions[1].citations.extend(side_position(second, names).citations)
            return
        dispute = Dispute(question=question_, kind=kind, positions=[side_position(side, names) for side in (first, second)])
        for again in restated.get(id(second), []):
            dispute.positions[1].citations.append(Citation(source_id=again.source_id, sentences=(again.n,)))
        said[(first.source_id, first.n)] = (dispute, second)
        disputes.append(dispute)

    for statement, denied in within:
        add(question(_voice(denied.by, names), language), "other", statement, denied)
    if llm is not None and asked:
        for k, answer in enumerate(run(check, range(len(asked)))):
            usage = usage + answer.usage
            if not (answer.value and answer.value.answer == "yes"):
                continue
            if k < len(pairs):
                statement, denied = pairs[k]
                add(question(_voice(denied.by, names), language), "other", statement, denied)
            else:
                a, b, years = dated[k - len(pairs)]
                add(date_question(years, language), "date", a, b)
    return _one_per_denier(disputes), usage


ALIKE = 0.5  # share of the shorter accusation's words the other writes for the two to be one accusation


def _one_per_denier(disputes: list[Dispute]) -> list[Dispute]:
    """Denials one voice makes in several reports, of accusations in the same words, as one dispute:
    the accusations first, then the denials, each with its claimant and citations.

    On the samples (2026-12-07) the rights abuses alleged and denied were three disputes from three
    reports, two of them "What is denied by Malian authorities?" and "... by The Malian authorities?"
    (the third's denier, "the authorities", names no one and stays apart).
    """
    merged: list[Dispute] = []
    for dispute in disputes:
        accusation, denial = dispute.positions[0], dispute.positions[-1]
        denies = dispute.kind == "other" and len(dispute.positions) == 2  # not a date dispute
        into = next((m for m in merged if denies and m.kind == "other"
                     and _same_voice(m.positions[-1].claimant, denial.claimant)
                     and containment(_accused(m.positions[0].statement), _accused(accusation.statement)) >= ALIKE),
                    None)
        if into is None:
            merged.append(dispute.model_copy(deep=True))
        else:  # every dispute set out here is one accusation and one denial
            half = len(into.positions) // 2
            into.positions = [*into.positions[:half], accusation, *into.positions[half:], denial]
    return merged


def _accused(statement: str) -> set[str]:
    """What an accusation says was done: its words, less those that make it an accusation ("accused")."""
    return claim_stems(ACCUSATION.sub(" ", statement))


QUESTIONS = {
    "en": "What is denied by {who}?", "fr": "Que conteste {who} ?", "es": "¿Qué niega {who}?", "pt": "O que nega {who}?",
}


def question(who: str, language: str) -> str:
    """The dispute's question, written by code in the brief's language (ISO 639-1; English where
    there is no wording for it).

    Example:
        >>> question("le ministère", "fr")
        'Que conteste le ministère ?'
    """
    return QUESTIONS.get(language, QUESTIONS["en"]).format(who=who)


def _voice(name: str, names: dict[str, str]) -> str:
    """The display name of a voice code read in a sentence: the brief's name for it where the
    claims wrote it in other words ("The Malian authorities" -> "Malian authorities")."""
    shown = canonical(name, names)
    if shown != name.strip() or shown == "reporter":
        return shown
    key = name_key(name)
    return next((display for written, display in names.items() if name_key(written) == key), shown)


def side_position(side: Side, names: dict[str, str]) -> Position:
    """A side as a dispute's position: the brief's name for its voice, its sentence, its citation."""
    return Position(claimant=_voice(side.by, names), statement=side.text,
                    citations=[Citation(source_id=side.source_id, sentences=(side.n,))])


def _denial(source_id: str, n: int, sentences: dict[int, str]) -> tuple[Side, Side | None] | None:
    """The sentence's denial and who makes it, with what it denies where the sentence states that too.

    Example:
        >>> denied, stated = _denial("a", 1, {1: "Rebels accused the army of abuses, which the army denies."})
        >>> denied.by, denied.text, stated.by, stated.text
        ('the army', 'which the army denies', 'Rebels', 'Rebels accused the army of abuses')
    """
    text = sentences[n]
    if passive := DENIED_BY.search(text):
        who, verb_at = passive.group("who"), passive.start()
    elif active := DENY_VERB.search(text):
        verb_at = active.start()
        who = _subject(text[:verb_at], n, sentences)
    elif correction := CORRECTION.search(text):  # "X said they are not mercenaries but trainers": X's speaker denies
        who, verb_at = claim_speaker(None, n, sentences)[0], 0
        if who and who.lower() not in REPORTER and not NO_ONE.match(who):
            return Side(by=who, text=text.strip(), source_id=source_id, n=n, corrects=_negated(correction.group(0))), None
    else:
        return None
    if not who or who.lower() in REPORTER or NO_ONE.match(who):
        return None
    # Where the denial's clause begins: the last boundary before its subject ("..., which X refute").
    clause_at = _clause_start(text, verb_at, None if passive else who)
    before = text[:clause_at].strip(" ,;:")
    clause = text[clause_at:].strip(" ,;:")
    if (before and len(before.split()) >= 6 and ASSERTION.search(before) and not DENY_VERB.search(before)
            and (passive or DENIAL_CLAUSE.match(clause))):
        stated_by = _leading_subject(before)
        if stated_by is None or _name_key(stated_by) == _name_key(who):
            speaker, _ = claim_speaker(None, n, {**sentences, n: before})
            stated_by = speaker if speaker and _name_key(speaker) != _name_key(who) else "reporter"
        return (Side(by=who, text=clause.rstrip("."), source_id=source_id, n=n),
                Side(by=stated_by, text=before, source_id=source_id, n=n))
    described = DENIED_DESCRIPTION.search(text)
    corrects = _negated(described.group("what")) if described else frozenset()
    return Side(by=who, text=text.strip(), source_id=source_id, n=n, corrects=corrects), None


# What a denial names as denied: "rejette l'accusation de travail forcé", "denies allegations of
# torture", "rechaza las acusaciones de reclutamiento": the words after "accusation of".
DENIED_OBJECT = re.compile(
    rf"(?<!\w)(?:{DENIAL_WORDS}|contests?|conteste|contestent)\s+(?:(?:the|any|all|l['’]|les?|la|toute?s?|las?|los|el|as|os|a)\s*)?"
    r"(?:accusations?|allegations?|claims?|charges?|acusaci\w*|denuncias?|acusaç\w*|alegaç\w*)\s+"
    r"(?:of|that|de|d['’]|que|selon lesquelles)\s*(?P<what>[^.;:,]{3,80})", re.I)


def _denied_words(denial: str) -> set[str]:
    """The words a denial is matched by: what it names as denied ("l'accusation de travail forcé":
    travail, forcé), else all its words. The rest of the sentence ("Le ministère a annoncé une
    enquête par le tribunal de Kaya, mais il rejette ...") is not what another voice said."""
    if (m := DENIED_OBJECT.search(denial)) and (words := claim_stems(m.group("what"))):
        return words
    return claim_stems(denial)


def _negated(correction: str) -> frozenset[str]:
    """The words of what a correction or a denial says something is not: "not Wagner mercenaries,
    but" -> the stems of "Wagner mercenaries"."""
    words = re.sub(r"^(?:not|never|ne|pas|jamais|no|não|and not|et non(?: pas)?|y no|e no)\s+|,?\s+(?:but|rather|mais|sino|mas)\s*$",
                   "", correction.strip(), flags=re.I)
    return frozenset(claim_stems(words) - {"pas", "des", "les", "une", "un", "el", "los", "las", "de", "la", "le",
                                           "unos", "unas", "uns", "umas", "the"})


def _subject(before: str, n: int, sentences: dict[int, str]) -> str | None:
    """The denying verb's subject, from the words before it: the nearest chunk that is a name or a
    noun phrase ("which Malian authorities", "La milice X, dissoute dimanche, ..."); a pronoun is
    the speaker the sentence or those before name."""
    chunks = [ADVERBS.sub(" ", c).strip(" ,") for c in BOUNDARY.split(before)]
    chunks = [re.sub(r"^(?:but|mais|pero|mas|and|et|y|e)\s+", "", " ".join(c.split()), flags=re.I) for c in chunks]
    for chunk in reversed(chunks):
        if not chunk:
            continue
        if PRONOUN.match(re.sub(r"^(?:which|que|qui)\s+", "", chunk, flags=re.I)):
            # "Le ministère ... a annoncé une enquête, mais il rejette ...": the sentence's subject
            return _leading_subject(before, verbs="any") or claim_speaker(None, n, sentences)[0]
        if m := SUBJECT.match(chunk):
            who = m.group("who").strip()
            if len(who.split()) <= 8:
                return who
        if chunk.split()[0][:1].islower():
            continue  # an apposition ("dissoute dimanche par le gouvernement") or an adverb
        return None
    return None


def _leading_subject(clause: str, verbs: str = "saying") -> str | None:
    """The clause's subject, where it opens the clause as a name or a noun phrase before its verb
    of saying or accusing ("Separatist groups have accused ..."), or with ``verbs="any"`` before
    its auxiliary ("Le ministère de la Justice a annoncé ..."); None for an opening that is no
    subject ("In response to ...", "The conflict has resulted in accusations ...")."""
    saying = (r"accus\w*|alleg\w*|acus\w*|said|says|say|claim\w*|affirm\w*|assert\w*|charact\w*|describ\w*|"
              r"call(?:s|ed)?|blam\w*|dit|disent|dijo|dicen|disse|dizem|affirm\w*|dénonc\w*|denunci\w*|désign\w*|qualifi\w*")
    auxiliary = r"a|ont|has|have|had|ha|han|tem|têm"
    verb = rf"(?:(?:{auxiliary})\s+)?(?:{saying})" if verbs == "saying" else rf"(?:{auxiliary}|{saying})"
    word = rf"(?!(?:{auxiliary}|is|was|were|est|es|fue|se|s['’])(?!\w))[\w'’-]+"  # a subject's words are no verb
    m = re.match(rf"^((?:(?:the|le|la|les|el|los|las|o|os|as)\s+|l['’])?(?-i:[A-ZÀ-Ý])[\w'’-]*(?:\s+{word}){{0,5}}?)"
                 rf"(?=\s{verb}(?!\w))", clause, re.I)
    if not m or re.match(r"^(?:in|on|at|after|before|en|dans|après|avant|tras|durante|em|no|na)\s", m.group(1), re.I):
        return None
    return m.group(1)


def _clause_start(text: str, verb_at: int, who: str | None) -> int:
    head = text[:verb_at]
    at = head.rfind(who) if who else verb_at
    if at < 0:
        return 0
    cut = max(head.rfind(",", 0, at), head.rfind(";", 0, at))
    for word in (" but ", " mais ", " pero ", " mas "):
        cut = max(cut, head.rfind(word, 0, at))
    return cut + 1 if cut >= 0 else 0


def _name_key(name: str) -> str:
    return " ".join(re.findall(r"[^\W\d_]+", name.lower().removeprefix("the ")))


def _same_voice(a: str, b: str) -> bool:
    """Two names that share a proper name's word are one voice or one side ("Mali" and "Mali's
    military junta", "the Red Crescent" and "a Red Crescent press officer"): a denial is not set
    against its own side's words."""
    def proper(name: str) -> set[str]:  # "The" and "Les" open names, and are none's
        return {w[:4].lower() for w in re.findall(r"(?<![\w'’])(?-i:[A-ZÀ-Ý])[\w-]{2,}", name)
                if w.lower() not in NO_NAMES_WORD}
    return bool(proper(a) & proper(b))


@dataclass
class Corpus:
    """The on-topic reports' sentences as the search for what is denied reads them, read once."""

    texts: dict[tuple[str, int], str]  # (source id, sentence number) -> text
    stems: dict[tuple[str, int], set[str]]
    weight: dict[str, float]  # a word's rarity over the sentences (inverse document frequency)
    report: dict[str, dict[int, str]]  # source id -> its numbered sentences

    @classmethod
    def of(cls, articles: Sequence[SegmentedArticle]) -> Corpus:
        texts = {(a.article.id, s.n): s.text for a in articles for s in a.sentences}
        stems = {key: claim_stems(t) for key, t in texts.items()}
        frequency = Counter(w for words in stems.values() for w in words)
        weight = {w: math.log(len(stems) / k) for w, k in frequency.items() if not w.isdigit()}
        report = {a.article.id: {s.n: s.text for s in a.sentences} for a in articles}
        return cls(texts, stems, weight, report)


def _what_is_denied(denied: Side, words: set[str], corpus: Corpus, names: dict[str, str]) -> Side | None:
    """The sentence of another voice that says what the denial answers: the one sharing most of its
    rarer words, among those that name the denier or assert something; None when none shares enough."""
    texts, stems, weight, report = corpus.texts, corpus.stems, corpus.weight, corpus.report
    norm = math.sqrt(sum(weight.get(w, 0.0) ** 2 for w in words)) or 1.0
    denier = {stem(w) for w in re.findall(r"[^\W\d_]{3,}", denied.by.lower()) if w not in ARTICLES}
    best, best_score = None, MIN_SHARED
    whole = claim_stems(denied.text)  # a sentence in nearly these words restates the denial
    if ANAPHORIC_OBJECT.search(denied.text) and (before := texts.get((denied.source_id, denied.n - 1))):
        # "... deny the allegations": what the sentence just before says, where another voice says it
        speaker, _ = claim_speaker(None, denied.n - 1, report[denied.source_id])
        if speaker is None and QUOTATION.search(before):
            return None  # what is denied is someone's words, and code cannot tell whose
        if canonical(speaker or "reporter", names) != canonical(denied.by, names) and not DENY_VERB.search(before):
            return Side(by=speaker or "reporter", text=before, source_id=denied.source_id, n=denied.n - 1)
    for (source_id, n), text in texts.items():
        if (source_id, n) == (denied.source_id, denied.n) or DENY_VERB.search(text):
            continue
        shared = stems[(source_id, n)]
        if denied.corrects and CORRECTION.search(text):
            continue  # the correction restated: "not mercenaries but trainers" again
        if containment(shared, whole) >= 0.6 and not denied.corrects:
            continue  # the denial restated (a denied description is written in nearly its own words)
        if not denied.corrects <= shared:
            continue  # "not Wagner mercenaries": the other side calls them that
        names_denier = len(denier & shared) >= 0.6 * len(denier) > 0
        if not (names_denier or ASSERTION.search(text)):
            continue
        other = math.sqrt(sum(weight.get(w, 0.0) ** 2 for w in shared)) or 1.0
        score = sum(weight.get(w, 0.0) ** 2 for w in (words & shared) - denier) / (norm * other)
        if names_denier and ACCUSATION.search(text):
            score += MIN_SHARED  # what is said of the denier: "X was named as the only ones responsible"
        if source_id == denied.source_id and n == denied.n - 1:
            score *= 1.5  # a denial follows what it denies
        if score > best_score:
            speaker, _ = claim_speaker(None, n, report[source_id])
            if speaker is None and QUOTATION.search(text):
                continue  # someone's words, and code cannot tell whose: no side to show
            if speaker is None and BODY_ANAPHOR.match(text):
                # "L'ONG s'appuie sur des témoignages qui décrivent ...": the body the sentence before names
                if (speaker := earlier_speaker(n, report[source_id], "person")) is None:
                    continue
            by = speaker or "reporter"
            if canonical(by, names) == canonical(denied.by, names) or _same_voice(by, denied.by):
                continue
            best, best_score = Side(by=by, text=text, source_id=source_id, n=n), score
    return best


# --------------------------------------------------------------------------- dates that disagree
#
# "came into power in 2020" and "assumed power in 2022", of one junta: code finds two sentences
# whose words just before a year are nearly the same while the years differ; the model says
# whether the two disagree (a coup in 2020 and a second in 2021 need not).

YEAR = re.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)")
YEAR_CONTEXT = 10  # words before a year that say what happened in it
MIN_SHARED_WORDS = 3  # rarer words two year contexts must share to be about one thing
MAX_DATE_CHECKS = 3
OR = {"en": "or", "fr": "ou", "es": "o", "pt": "ou"}


def date_pairs(articles: Sequence[SegmentedArticle]) -> list[tuple[Side, Side, tuple[str, str]]]:
    """Pairs of sentences, by different reports or voices, that give different years for what the
    words before each year say alike; best first, at most ``MAX_DATE_CHECKS``."""
    mentions = []  # (year, context stems, side)
    total = sum(len(a.sentences) for a in articles)
    frequency: Counter = Counter()
    for article in articles:
        for s in article.sentences:
            frequency.update(claim_stems(s.text))
    common = {w for w, k in frequency.items() if k > max(2.0, total * 0.15)}  # words most sentences have
    for article in articles:
        sentences = {s.n: s.text for s in article.sentences}
        for n, text in sentences.items():
            for year in YEAR.finditer(text):
                words = re.findall(r"[^\W\d_]+", text[:year.start()])[-YEAR_CONTEXT:]
                context = claim_stems(" ".join(words)) - common
                if len(context) >= MIN_SHARED_WORDS:
                    by = claim_speaker(None, n, sentences)[0] or "reporter"
                    mentions.append((year.group(0), context, Side(by=by, text=text, source_id=article.article.id, n=n)))
    scored = []
    for i, (year_a, context_a, a) in enumerate(mentions):
        for year_b, context_b, b in mentions[i + 1:]:
            if year_a == year_b or (a.source_id, a.n) == (b.source_id, b.n):
                continue
            if year_b in YEAR.findall(a.text) and year_a in YEAR.findall(b.text):
                continue  # each sentence knows both years: no two accounts of one date
            shared = context_a & context_b
            if len(shared) >= MIN_SHARED_WORDS:
                scored.append((len(shared) / min(len(context_a), len(context_b)), i, (a, b), (year_a, year_b)))
    scored.sort(key=lambda t: (-t[0], t[1]))
    pairs, years_seen = [], set()
    for _, _, pair, years in scored:
        if frozenset(years) not in years_seen and len(pairs) < MAX_DATE_CHECKS:
            years_seen.add(frozenset(years))
            pairs.append((*pair, years))
    return pairs


def date_question(years: tuple[str, str], language: str) -> str:
    """The question of a date dispute, in the brief's language: its two years.

    Example:
        >>> date_question(("2020", "2022"), "fr")
        '2020 ou 2022 ?'
    """
    first, second = years
    end = " ?" if language == "fr" else "?"
    return f"{first} {OR.get(language, 'or')} {second}{end}"
