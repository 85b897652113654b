"""Consolidate, accounts: disputes where two voices give one event two accounts that code can tell
apart by their words, each kind a ``Kind``:
- what brought an aircraft down: one voice says it shot it down or damaged it ("The rebels claimed
  to have damaged a helicopter"), another gives a cause that is no attack ("it crashed on a
  routine mission", "à la suite d'une panne", "por una falla técnica");
- what strikes hit: one voice says military targets were hit ("high-value targets ... have been
  hit", "des cibles terroristes ont été détruites"), another that a strike killed civilians;
- who came out ahead: one voice claims victory or control ("declared victory", "revendique la
  victoire", "dice controlar"), another that its own operations go on ("operations ... are ongoing",
  "les opérations se poursuivent", "las operaciones continúan");
- what a killing was: one voice calls it a genocide ("qualifié la tuerie d'acte de génocide"),
  another says its fighters spare civilians or defend themselves ("Nos chasseurs ne s'en prennent
  pas aux civils").

Code proposes: sentences of named voices (the reporter's narration takes no side), one of each
account, of two voices that are not one; at most ``MAX_CHECKS`` pairs a kind, one per first voice.
The model chooses: one small yes/no call per pair says whether the two give one event two
accounts. Each side is its sentence's own words, with the claimant its report gives it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from summarizer.llm.client import LLM
from summarizer.llm.prompts import render
from summarizer.schema import Dispute, PairCheck, SegmentedArticle, Usage
from summarizer.stages.consolidate.names import canonical
from summarizer.stages.consolidate.rebuttals import Side, _same_voice, side_position
from summarizer.text.attribution import claim_speaker
from summarizer.text.language import DEFAULT
from summarizer.text.metrics import METRIC
from summarizer.text.words import REPORTER

MAX_CHECKS = 2  # pairs of one kind the model is asked about, each one small call
NEAR = 80  # characters between the words that make an account (an aircraft and its loss; targets and their verb)
NEXT_TO = 2  # sentences apart in one report, for two accounts to be set side by side there


def _words(words: str) -> re.Pattern:
    return re.compile(r"(?<!\w)(?:" + words + r")(?!\w)", re.I)


def _near(pattern: re.Pattern, text: str, spans: list[tuple[int, int]]) -> bool:
    return any(pattern.search(text[max(0, a - NEAR):b + NEAR]) for a, b in spans)


def _only(account: re.Pattern, other: re.Pattern, key: str) -> Callable[[str], str | None]:
    """A reader of one account: ``key`` where the sentence gives it and not the other (one sentence
    setting out both is a reporter's account of the dispute, no side of it)."""
    return lambda text: key if account.search(text) and not other.search(text) else None


@dataclass(frozen=True)
class Kind:
    """One kind of dispute: how code reads each account in a sentence, what the model is asked, the
    question in the brief's language. ``first`` and ``second`` give a key (what the account is of,
    "helicopter") or None; the two sides' keys must agree. ``together`` says whether two sides may
    be set against each other, given the sentences of the first side's report."""

    first: Callable[[str], str | None]
    second: Callable[[str], str | None]
    statement: str  # with {key}
    questions: dict[str, str]  # with {key}, the key in the brief's language
    kind: str
    keys: dict[str, dict[str, str]] = field(default_factory=dict)  # language -> key -> its word there
    together: Callable[[Side, Side, dict[int, str]], bool] = lambda a, b, sentences: True

    def question(self, key: str, language: str = DEFAULT) -> str:
        word = self.keys.get(language, {}).get(key, key)
        return self.questions.get(language, self.questions[DEFAULT]).format(key=word)


# ---- what brought an aircraft down

AIRCRAFT = {
    "helicopter": _words(r"helicopters?|hélicoptères?|helicópteros?"),
    "plane": _words(r"planes?|airplanes?|aeroplanes?|avions?|aviones?|avião|aviões"),
    "aircraft": _words(r"aircraft|aéronefs?|aeronaves?"),
    "drone": _words(r"drones?|drons?"),
}
ATTACKED = _words(r"shot down|shoot down|shooting down|brought down|bring down|bringing down|downed|damag\w*|"
                  r"destroy\w*|abattu\w*|abattre|endommag\w*|détrui\w*|derrib\w*|abatid[oa]s?|dañ\w*|destru\w*|"
                  r"danific\w*")
# "crashed" alone says no cause; these do.
ACCIDENT = _words(r"routine|technical|mechanical|malfunction\w*|engine failure|accident\w*|bad weather|weather|"
                  r"pilot error|panne|technique|mécanique|défaillance|intempéries|rutina|técnic[oa]s?|"
                  r"mecánic[oa]s?|falla|fallo|avería|accidente|mal tiempo|rotina|mecânic[oa]s?|falha|acidente|"
                  r"mau tempo")


def _aircraft_with(cause: re.Pattern, other: re.Pattern) -> Callable[[str], str | None]:
    """The aircraft a sentence gives this cause and not the other (one sentence setting out both is
    a reporter's account of the dispute, no side of it)."""
    def read(text: str) -> str | None:
        for key, word in AIRCRAFT.items():
            spans = [m.span() for m in word.finditer(text)]
            if spans and _near(cause, text, spans) and not _near(other, text, spans):
                return key
        return None
    return read


AIRCRAFT_DOWN = Kind(
    first=_aircraft_with(ATTACKED, ACCIDENT), second=_aircraft_with(ACCIDENT, ATTACKED),
    statement=("Sentences A and B give different causes for the loss of the same {key}: A says it was attacked, "
               "B gives a cause that is no attack."),
    questions={"en": "What brought the {key} down?", "fr": "Qu'est-ce qui a abattu l'appareil ({key}) ?",
               "es": "¿Qué derribó la aeronave ({key})?", "pt": "O que derrubou a aeronave ({key})?"},
    keys={"fr": {"helicopter": "hélicoptère", "plane": "avion", "aircraft": "aéronef", "drone": "drone"},
          "es": {"helicopter": "helicóptero", "plane": "avión", "aircraft": "aeronave", "drone": "dron"},
          "pt": {"helicopter": "helicóptero", "plane": "avião", "aircraft": "aeronave", "drone": "drone"}},
    kind="cause",
)

# ---- what strikes hit

TARGETS = _words(r"targets?|positions|caches|hideouts?|depots?|bases|cibles?|objectifs?|dépôts?|repaires?|"
                 r"objetivos?|blancos?|escondites?|alvos?|esconderijos?")
HIT = _words(r"hit|struck|destroyed|neutrali[sz]ed|eliminated|dealt with|touchée?s?|détruite?s?|neutralisée?s?|"
             r"frappée?s?|alcanzad[oa]s?|destruid[oa]s?|neutralizad[oa]s?|impactad[oa]s?|atingid[oa]s?")
CIVILIANS = _words(r"civilians?|villagers|residents|children|migrants|civils?|habitants|villageois|enfants|civiles|"
                   r"pobladores|niños|niñas|menores|civis|moradores|crianças")
STRIKE = _words(r"drones?|air ?strikes?|strikes?|bomb\w*|air raids?|frappes?|bombardements?|bombardé\w*|"
                r"bombarde\w*|dron(?:es)?|ataques? aéreos?|bombardei\w*")


def _civilians_killed(text: str) -> bool:
    return bool(CIVILIANS.search(text) and METRIC["killed"].search(text))


def _hits_targets(text: str) -> bool:
    return _near(HIT, text, [m.span() for m in TARGETS.finditer(text)])


def _targets_hit(text: str) -> str | None:
    return "strikes" if _hits_targets(text) and not _civilians_killed(text) else None


def _civilians_killed_by_a_strike(text: str) -> str | None:
    return "strikes" if _civilians_killed(text) and STRIKE.search(text) and not _hits_targets(text) else None


def _of_strikes(targets: Side, civilians: Side, sentences: dict[int, str]) -> bool:
    """Targets said to be the strikes' (a strike named in their sentence or the two before: "five targets
    dealt with" may be on the ground), or set beside the civilians in one report."""
    context = " ".join(sentences.get(k, "") for k in range(targets.n - 2, targets.n + 1))
    beside = targets.source_id == civilians.source_id and abs(targets.n - civilians.n) <= NEXT_TO
    return bool(STRIKE.search(context)) or beside


STRIKES_HIT = Kind(
    first=_targets_hit, second=_civilians_killed_by_a_strike,
    statement=("Sentences A and B describe what the same strikes hit differently: A says they hit military targets, "
               "B says they killed civilians."),
    questions={"en": "What did the strikes hit?", "fr": "Qu'ont touché les frappes ?",
               "es": "¿Qué alcanzaron los bombardeos?", "pt": "O que os ataques atingiram?"},
    kind="characterisation", together=_of_strikes,
)

# ---- who came out ahead

VICTORY = _words(r"declared victory|claim(?:s|ed)? victory|victory over|victorious|won the battle|in control of|"
                 r"(?:took|taken|seized|gained) control|routed|victoire|victorieux|contrôle de|le contrôle|"
                 r"victoria|victorioso|el control|vitória|vitorioso|o controle|o controlo")
ONGOING = _words(r"operations?[^.;]{0,60}(?:ongoing|continu\w*|go(?:es)? on)|opérations?[^.;]{0,60}(?:se poursuiv\w*|"
                 r"continu\w*|en cours)|operaciones?[^.;]{0,60}(?:continú\w*|continu\w*|siguen|en curso)|"
                 r"operaç(?:ão|ões)[^.;]{0,60}(?:continu\w*|prosseg\w*|em curso)")


WHO_PREVAILED = Kind(
    first=_only(VICTORY, ONGOING, "outcome"), second=_only(ONGOING, VICTORY, "outcome"),
    statement=("Sentences A and B give different accounts of how the same fighting went: A claims victory or control, "
               "B says its operations go on."),
    questions={"en": "Who came out ahead?", "fr": "Qui a eu le dessus ?", "es": "¿Quién se impuso?",
               "pt": "Quem levou a melhor?"},
    kind="other",
)

# ---- what the killing was

GENOCIDE = _words(r"genocid\w*|génocid\w*|genocíd\w*|ethnic cleansing|nettoyage ethnique|limpieza étnica|"
                  r"limpeza étnica|crimes? against humanity|crimes? contre l['’]humanité|crímen(?:es)? de lesa humanidad")
# Its fighters' own account: they spare civilians, or they defend themselves.
NO_CIVILIANS = _words(r"(?:ne|n['’])\s*(?:s['’]en\s+)?(?:prenn\w*|prend|attaqu\w*|vis\w*|tu\w*)\s+(?:jamais|pas)\s+"
                      r"(?:aux|les|des|de)?\s*civils|(?:do|does|did) not (?:target|attack|kill|harm) civilians|"
                      r"never (?:target\w*|attack\w*|kill\w*|harm\w*) civilians|no (?:atac\w*|mat\w*) a (?:los )?civiles|"
                      r"nunca (?:atac\w*|mat\w*) a (?:los )?civiles|não (?:ataca\w*|mat\w*) civis|self-defen[cs]e|"
                      r"légitime défense|legítima defensa|legítima defesa")


WHAT_THE_KILLING_WAS = Kind(
    first=_only(GENOCIDE, NO_CIVILIANS, "genocide"), second=_only(NO_CIVILIANS, GENOCIDE, "genocide"),
    statement=("Sentences A and B describe the same killing differently: A calls it a genocide or a crime against "
               "civilians, B says its fighters spare civilians or defend themselves."),
    questions={"en": "A genocide, or self-defence?", "fr": "Génocide, ou légitime défense ?",
               "es": "¿Genocidio, o legítima defensa?", "pt": "Genocídio, ou legítima defesa?"},
    kind="characterisation",
)

KINDS = (AIRCRAFT_DOWN, STRIKES_HIT, WHO_PREVAILED, WHAT_THE_KILLING_WAS)


def account_pairs(kind: Kind, articles: Sequence[SegmentedArticle], names: dict[str, str],
                  ) -> list[tuple[Side, Side, str]]:
    """(first side, second side, key) pairs of one kind: sentences of two voices, each named, one of
    each account with one key; at most ``MAX_CHECKS``, one per first voice."""
    firsts, seconds, reports = [], [], {}
    for article in articles:
        sentences = {s.n: s.text for s in article.sentences}
        reports[article.article.id] = sentences
        for n, text in sentences.items():
            first, second = kind.first(text), kind.second(text)
            if not (first or second):
                continue
            by = claim_speaker(None, n, sentences)[0]
            if not by or by.lower() in REPORTER:
                continue
            side = Side(by=by, text=text, source_id=article.article.id, n=n)
            if first:
                firsts.append((first, side))
            if second:
                seconds.append((second, side))
    pairs, voices = [], set()
    for key, a in firsts:
        voice = canonical(a.by, names).lower()
        for other, b in seconds:
            if voice in voices or other != key or voice == canonical(b.by, names).lower() or _same_voice(a.by, b.by):
                continue
            if not kind.together(a, b, reports[a.source_id]):
                continue
            voices.add(voice)
            pairs.append((a, b, key))
    return pairs[:MAX_CHECKS]


def account_disputes(
    articles: Sequence[SegmentedArticle], names: dict[str, str], llm: LLM | None, run: Callable = map,
    language: str = DEFAULT,
) -> tuple[list[Dispute], Usage]:
    """The disputes of every ``Kind`` that the model confirms; none without a model."""
    asked = [(kind, pair) for kind in KINDS for pair in account_pairs(kind, articles, names)]
    if llm is None or not asked:
        return [], Usage()

    def check(item: tuple[Kind, tuple[Side, Side, str]]):
        kind, (a, b, key) = item
        return llm.structured(
            PairCheck, system=render("pair_check_system"),
            user=render("pair_check_user", first=a, second=b, first_by=canonical(a.by, names),
                        second_by=canonical(b.by, names), statement=kind.statement.format(key=key)),
            max_tokens=20, reasks=0,
        )

    usage, disputes = Usage(), []
    for (kind, (a, b, key)), answer in zip(asked, run(check, asked)):
        usage = usage + answer.usage
        if answer.value and answer.value.answer == "yes":
            disputes.append(Dispute(question=kind.question(key, language), kind=kind.kind,
                                    positions=[side_position(side, names) for side in (a, b)]))
    return disputes, usage
