"""Consolidate, actors: the incident's parties, each with every name the reports give it and, where
code can tell, its side; every claimant and casualty party is then shown by its actor's name.

Names are joined into one actor only on evidence code can check, never on meaning guessed:
- a country's forces are one actor whatever the reports call them ("the Malian army", "Malian
  soldiers", "the Malian military", "les militaires maliens"); a force named without its country
  ("the army", "troops") is that country's where the reports name one country's forces and no other's;
- people the reports name only as civilians ("civilians", "residents", "villagers", "les habitants")
  are one party; a people qualified by where they are from or who they are ("Egyptian civilians",
  "villageois peuls") stays its own, but one country's civilians and victims are one ("Egyptian
  civilians", "Egyptian victims");
- a sentence that says two names are one ("The coalition, known as CSP-PSD", "X (Y)", "X, or Y
  for short") joins them.

A side is given where a name says it ("separatist", "jihadist", "dissident") and, once the reports
name such an armed party, to the forces and government of the country the reports are about; the
rest have none: whose side a foreign force or a militia is on is a judgement code does not make.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from summarizer.schema import Actor, SegmentedArticle
from summarizer.stages.consolidate.names import JOINED, name_key, where_written
from summarizer.text.language import DEFAULT, people_noun
from summarizer.text.nations import nation_of
from summarizer.text.words import ARTICLES, REPORTER

# The nouns for a state's armed forces, singular, in the languages read ("soldiers" -> "soldier").
FORCE_NOUNS = {
    "army", "military", "soldier", "troop", "force", "armée", "militaire", "soldat", "troupe", "forces", "ejército",
    "militar", "militare", "soldado", "tropa", "fuerza", "exército", "força", "gendarmerie", "gendarme",
}
# Words that may qualify them and leave them a state's forces ("armed forces", "air force",
# "forces de défense et de sécurité", "government forces").
FORCE_WORDS = FORCE_NOUNS | {
    "armed", "air", "security", "defence", "defense", "government", "national", "regular", "armée", "armées",
    "armed", "aérienne", "aérea", "aérea", "armada", "armadas", "armado", "sécurité", "seguridad", "segurança",
    "défense", "defensa", "defesa", "nationale", "nacional", "de", "du", "des", "la", "le", "l", "del", "los", "las",
    "da", "do", "et", "y", "e", "and",
}
# A state's civil government, and the words that may qualify it ("the military government").
GOVERNMENT_NOUNS = {"government", "junta", "authoritie", "authority", "ruler", "gouvernement", "junte", "autorité",
                    "gobierno", "autoridade", "autoridad", "governo"}
GOVERNMENT_WORDS = GOVERNMENT_NOUNS | FORCE_WORDS | {"transitional", "transition", "military", "leader"}
# People named as civilians and nothing more, singular.
CIVILIAN_WORDS = {
    "civilian", "resident", "inhabitant", "villager", "population", "civil", "habitant", "villageois", "civile",
    "civils", "civiles", "habitante", "poblador", "morador", "aldeõe", "civi", "local",
}
# Those a toll counts, named as no more than that, singular: one country's are its civilians ("Egyptian victims").
VICTIM_WORDS = {"victim", "victime", "víctima", "vítima", "dead", "bodie", "body", "corp", "cadavre", "cuerpo", "corpo"}
# A side an armed party's own name says.
SIDE_OF_WORD = [
    ("separatist", re.compile(r"\b(?:separatist|séparatist|separatista|independentist|indépendantist)", re.I)),
    ("jihadist", re.compile(r"\b(?:jihadis|djihadis|yihadis|islamis|al[- ]qa[ei]da|al[- ]qaïda|islamic state|"
                            r"état islamique|estado islámico)", re.I)),
    ("armed group", re.compile(r"\b(?:dissiden|disiden|guerrill|guérill)", re.I)),
]
GOVERNMENT, CIVILIANS = "government", "civilians"
# "The coalition, known as CSP-PSD", "la coalition, appelée CSP", "el grupo, conocido como X".
KNOWN_AS = r",?\s+(?:also\s+)?(?:known as|called|dubbed|connue?s? sous le nom d[e'’]\s*|appelée?s?|dite?s?|" \
           r"conocid[oa]s? como|llamad[oa]s?|denominad[oa]s?|conhecid[oa]s? como)\s+"
ARTICLE = r"(?:(?:the|la|le|les|el|los|las|o|os|a|as)\s+|l['’]\s*)"
# A name whose head is one of these is too general to be said to be another by a sentence.
GENERAL_HEADS = {"group", "groupe", "grupo", "force", "forces", "fuerza", "men", "homme", "hombre", "people",
                 "organisation", "organization", "organización", "movement", "mouvement", "movimiento"}


@dataclass
class Actors:
    """The incident's actors, and every written name's actor: for claimants (``names``) and for
    casualty parties (``parties``), each written name lower-cased -> its actor's display name."""

    actors: list[Actor]
    names: dict[str, str]
    parties: dict[str, str]


def incident_actors(names: dict[str, str], parties: dict[str, str], articles: Sequence[SegmentedArticle],
                    language: str = DEFAULT) -> Actors:
    """The incident's actors from the names of its claimants and casualty parties (``names.canonical_names``);
    an actor named only by a noun for people ("civils", "disidentes") is shown in the brief's ``language``.

    Each kind of evidence (``_sharing_a_name``, ``_one_countrys_forces``, civilians,
    ``_one_countrys_civilians``, ``_same_key``,
    ``_same_people_noun``, ``said_to_be_one``) gives pairs of names that are one actor; the actors are
    what the pairs join.

    Example:
        >>> found = incident_actors(canonical_names(claimants + parties), canonical_names(parties, specific=True), articles)
        >>> found.names["the malian military"], found.parties["soldiers"]
        ('Malian army', 'Malian soldiers')
    """
    written: dict[str, set[str]] = defaultdict(set)  # a display name, lower-cased -> the names written for it
    display: dict[str, str] = {}
    for mapping in (names, parties):
        for form, shown in mapping.items():
            if shown.lower() in REPORTER:
                continue
            written[shown.lower()].update({form, shown.lower()})
            display.setdefault(shown.lower(), shown)
    groups = list(written)
    parent = {g: g for g in groups}

    def root(g: str) -> str:
        while parent[g] != g:
            g = parent[g]
        return g

    nations = {g: _nations(written[g]) for g in groups}
    force = {g for g in groups if any(_is_force(f) for f in written[g]) and len(nations[g]) <= 1}
    civilians = sorted(g for g in groups if all(_is_civilian(f) for f in written[g]) and not nations[g])
    evidence = (_sharing_a_name(written), _one_countrys_forces(force, nations), _chained(civilians),
                _one_countrys_civilians(written, nations),
                _same_key(written), _same_people_noun(written), said_to_be_one(written, articles))
    for pairs in evidence:
        for a, b in pairs:
            if (ra := root(a)) != (rb := root(b)):
                parent[rb] = ra

    clusters: dict[str, list[str]] = defaultdict(list)
    for g in groups:
        clusters[root(g)].append(g)
    home = _home_nation(articles)
    sides = {r: _side(members, written, nations, force, home) for r, members in clusters.items()}
    if not any(side not in {None, GOVERNMENT, CIVILIANS} for side in sides.values()):
        # No armed party's side is read: "government" says nothing (a flood, an accident), and is not given.
        sides = {r: side if side == CIVILIANS else None for r, side in sides.items()}
    shown = {r: _in_language(_display(members, written, display, set(members) <= set(civilians),
                                      bool(set(members) & force), articles),
                             members, written, language) for r, members in clusters.items()}

    party_shown = {r: _party_display(members, parties, shown[r]) for r, members in clusters.items()}
    actors = []
    for r, members in clusters.items():
        forms = sorted({f for g in members for f in written[g]} - {shown[r].lower()})
        citations = where_written([shown[r], *forms], articles)
        if citations:
            actors.append(Actor(name=shown[r], aliases=forms, side=sides[r], citations=citations))
    return Actors(
        actors=actors,
        names={form: shown[root(s.lower())] if s.lower() in parent else s for form, s in names.items()},
        parties={form: party_shown[root(s.lower())] if s.lower() in parent else s for form, s in parties.items()},
    )


Pairs = list[tuple[str, str]]


def _sharing_a_name(written: dict[str, set[str]]) -> Pairs:
    """A written name is one actor's: the groups of claimants and of parties that share it are one."""
    owner: dict[str, str] = {}
    return [(owner.setdefault(form, g), g) for g, forms in written.items() for form in forms]


def _one_countrys_forces(force: set[str], nations: dict[str, set[str]]) -> Pairs:
    """One country's forces are one actor; forces named without a country ("the army") are that
    country's where its forces are the only ones named, and never one another's otherwise."""
    by_nation: dict[str, list[str]] = defaultdict(list)
    for g in sorted(force, key=lambda g: (not nations[g], g)):
        by_nation[next(iter(nations[g]), "")].append(g)
    pairs = [(members[0], g) for nation, members in by_nation.items() if nation for g in members[1:]]
    named = [n for n in by_nation if n]
    if len(named) == 1:
        pairs += [(by_nation[named[0]][0], g) for g in by_nation.get("", [])]
    return pairs


def _one_countrys_civilians(written: dict[str, set[str]], nations: dict[str, set[str]]) -> Pairs:
    """ "Egyptian civilians" and "Egyptian victims" are one actor: one country's people named as no
    more than civilians or those a toll counts. "Egyptians" alone is not (soldiers are Egyptians too)."""
    by_nation: dict[str, list[str]] = defaultdict(list)
    for g in sorted(written):
        if len(nations[g]) == 1 and all(_is_civilian_or_victim(f) for f in written[g]):
            by_nation[next(iter(nations[g]))].append(g)
    return [pair for members in by_nation.values() for pair in _chained(members)]


def _is_civilian_or_victim(form: str) -> bool:
    words = [w for w in _words(form) if not nation_of(w)]
    return bool(words) and all(w in CIVILIAN_WORDS | VICTIM_WORDS for w in words) and not JOINED.search(form)


def _chained(members: list[str]) -> Pairs:
    return [(members[0], g) for g in members[1:]]


def _same_key(written: dict[str, set[str]]) -> Pairs:
    """ "Le JNIM" and "le Groupe de soutien à l'islam et aux musulmans (JNIM)": one name, by its words or its acronym."""
    keyed: dict[tuple[str, ...], str] = {}
    return [(keyed.setdefault(key, g), g) for g, forms in written.items() for form in forms for key in _keys(form)]


def _same_people_noun(written: dict[str, set[str]]) -> Pairs:
    """ "disidentes", "dissidents" and "les dissidents" are one word in three languages: one actor."""
    same: dict[str, str] = {}
    return [(same.setdefault(word, g), g) for g, forms in written.items()
            if len(words := {people_noun(f) for f in forms}) == 1 and (word := words.pop())]


def _key(name: str) -> tuple[str, ...]:
    """``name_key`` less the articles of every language read."""
    return tuple(w for w in name_key(name) if w not in ARTICLES)


def _words(form: str) -> tuple[str, ...]:
    """A name's words, less articles and what is in brackets."""
    return _key(re.sub(r"\([^)]*\)", " ", form))


def _keys(form: str) -> set[tuple[str, ...]]:
    """The keys a name is known by, articles of every language aside: its words, and for "X (Y)" the
    words of X and of Y ("le Groupe de soutien ... (JNIM)" is "groupe de soutien ..." and "JNIM")."""
    keys = {_key(form)}
    if (m := re.match(r"^(.+?)\s*\(([^()]{1,40})\)\s*$", form)):
        keys |= {_key(part) for part in m.groups()}
    return {k for k in keys if k and not set(k) <= GENERAL_HEADS}


def _nations(forms: Iterable[str]) -> set[str]:
    """The countries a party's names name ("Mali's military junta" -> Mali), joined names aside."""
    found = set()
    for form in forms:
        if JOINED.search(form):
            return set()  # "Malians and Russians": two parties, no one country's
        found |= {code for w in re.findall(r"[^\W\d_][\w'’-]*", form) if (code := nation_of(w))}
    return found


def _is_force(form: str) -> bool:
    """True when the name is a state's armed forces: force nouns and their qualifiers, with a country or not.
    "military" is one only where it is the whole name: "the military government" is a government."""
    words = [w for w in _words(form) if not nation_of(w)]
    return bool(words) and all(w in FORCE_WORDS for w in words) and (
        any(w in FORCE_NOUNS and w != "military" for w in words) or set(words) == {"military"})


def _is_government(form: str) -> bool:
    words = [w for w in _words(form) if not nation_of(w)]
    return bool(words) and all(w in GOVERNMENT_WORDS for w in words) and any(w in GOVERNMENT_NOUNS for w in words)


def _is_civilian(form: str) -> bool:
    words = _words(form)
    return bool(words) and all(w in CIVILIAN_WORDS for w in words) and not JOINED.search(form)


def said_to_be_one(written: dict[str, set[str]], articles: Sequence[SegmentedArticle]) -> list[tuple[str, str]]:
    """Pairs of names a sentence says are one party: "X (Y)", "X, known as Y", "X, or Y for short",
    and "The coalition, known as Y" for every name whose words are the coalition's and one more
    ("the separatist coalition")."""
    forms = {f: g for g, fs in written.items() for f in fs if len(f) > 1}
    pairs = []
    for segmented in articles:
        for sentence in segmented.sentences:
            text = sentence.text
            if "(" not in text and not re.search(KNOWN_AS + r"|\sfor short|\sen abrégé|\spara abreviar", text, re.I):
                continue
            low = text.lower()
            present = [f for f in forms if f in low]
            for b in present:
                eb = re.escape(b)
                for a in present:
                    ea = re.escape(a)
                    if forms[a] != forms[b] and not b.startswith(a) and re.search(
                            rf"(?<!\w){ea}\s*\(\s*{eb}\s*\)|(?<!\w){ea}{KNOWN_AS}{ARTICLE}?{eb}(?!\w)|"
                            rf"(?<!\w){ea},?\s+(?:or|ou|o)\s+{ARTICLE}?{eb}\s+(?:for short|en abrégé|para abreviar)",
                            text, re.I):
                        pairs.append((forms[a], forms[b]))
                for m in re.finditer(rf"(?<!\w){ARTICLE}([^\W\d_]+(?:\s[^\W\d_]+)?){KNOWN_AS}{ARTICLE}?{eb}(?!\w)",
                                     text, re.I):
                    head = set(name_key(m.group(1)))
                    if not head or head & GENERAL_HEADS:
                        continue
                    pairs += [(g, forms[b]) for g, fs in written.items() if g != forms[b] and any(
                        head <= set(k := name_key(f)) and len(k) <= len(head) + 1 for f in fs)]
    return pairs


def _home_nation(articles: Sequence[SegmentedArticle]) -> str | None:
    """The country the reports name most: the one whose forces and government are "the government"."""
    counts = Counter(code for a in articles for s in a.sentences
                     for w in re.findall(r"\b[A-Z][^\W\d_]{3,}(?:['’]s)?", s.text) if (code := nation_of(w)))
    return counts.most_common(1)[0][0] if counts else None


def _side(members: list[str], written: dict[str, set[str]], nations: dict[str, set[str]], force: set[str],
          home: str | None) -> str | None:
    forms = [f for g in members for f in written[g]]
    if any(JOINED.search(f) for f in forms):
        return None  # "separatists and Russian military bloggers": two parties, no one side
    said = {side for side, pattern in SIDE_OF_WORD for f in forms if pattern.search(f)}
    if len(said) == 1:
        return said.pop()
    if said:
        return None
    if all(_is_civilian(f) for f in forms):
        return CIVILIANS
    country = {n for g in members for n in nations[g]}
    if home and country == {home} and any(g in force or any(_is_government(f) for f in written[g]) for g in members):
        return GOVERNMENT
    return None


INSTITUTION = re.compile(r"\b(?:army|armed forces|military|armée|forces armées|ejército|fuerzas|exército|forças)\b", re.I)


def _display(members: list[str], written: dict[str, set[str]], display: dict[str, str], civilians: bool,
             forces: bool, articles: Sequence[SegmentedArticle]) -> str:
    """An actor's name: for one name, that name; for civilians, "civilians" where written; for a
    country's forces, the name that says the country and the institution ("Malian army" over
    "soldiers" and "the army"), as a report writes it; else the name that most written names are
    shown by ("Wagner fighters" for "fighters from Russia's Wagner Group" and "Wagner personnel")."""
    if len(members) == 1:
        return display[members[0]]
    if civilians:
        return next((display[w] for w in ("civilians", "civils", "civiles", "civis") if w in members),
                    display[members[0]])
    if not forces:
        return display[min(members, key=lambda g: (-len(written[g]), len(g), g))]
    forms = sorted({f for g in members for f in written[g]},
                   key=lambda f: (not _nations([f]), not INSTITUTION.search(f), f not in display, len(f), f))
    best = forms[0]
    return re.sub(r"^(?:the|el|la|le|les|los|las|o|a)\s+|^l['’]\s*", "", display.get(best) or _as_written(best, articles),
                  flags=re.I)


# The nouns a report counts a force's people by: its casualty party is "Malian soldiers", not "Malian army".
PERSONNEL = re.compile(r"\b(?:soldiers?|troops?|soldats?|militaires|soldados?|militares|tropas?)\b", re.I)


def _party_display(members: list[str], parties: dict[str, str], actor: str) -> str:
    """The name an actor's casualty rows show: one for all of them, a noun for people as the reports
    count them ("Malian soldiers" for the Malian army; "civilians"), else the actor's own."""
    shown = Counter(s for s in parties.values() if s.lower() in members)
    if not shown:
        return actor
    return min(shown, key=lambda s: (not _nations([s]), not PERSONNEL.search(s), s.lower() != actor.lower(),
                                     -shown[s], len(s), s))


def _in_language(name: str, members: list[str], written: dict[str, set[str]], language: str) -> str:
    """An actor named only by nouns for people that are one word ("civils", "civilians"), in the brief's language."""
    if (own := people_noun(name, language)) and own != _bare(name):
        return own  # "civils", shown for "civils" and "habitants", is "civilians" in an English brief
    words = {people_noun(f, language) for g in members for f in written[g]}
    if len(words) != 1 or not (word := words.pop()) or word == own == _bare(name):
        return name  # already the brief's word ("Villagers" stays as written)
    return word


def _bare(name: str) -> str:
    return re.sub(r"^(?:the|les?|la|los|las|des|os|as)\s+", "", name.strip(), flags=re.I).lower()


def _as_written(form: str, articles: Sequence[SegmentedArticle]) -> str:
    """A lower-cased name with the capitals a report writes it with ("malian army" -> "Malian army")."""
    pattern = re.compile(r"(?<!\w)" + re.escape(form) + r"(?!\w)", re.I)
    return next((m.group(0) for a in articles for s in a.sentences if (m := pattern.search(s.text))), form)
