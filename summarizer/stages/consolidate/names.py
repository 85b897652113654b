"""Consolidate, names: the written names of a party ("the CSP-PSD alliance", "CSP-PSD") mapped to
one display name, by code alone."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Sequence

from summarizer.schema import Citation, SegmentedArticle
from summarizer.text.metrics import GENERIC_PARTY
from summarizer.text.speech import POSSESSIVE
from summarizer.text.words import CONJUNCTION, NAME_STOPWORDS, REPORTER

def canonical_names(names: Sequence[str], *, specific: bool = False) -> dict[str, str]:
    """Map every written name to one display name per party, by code alone: the one most often
    written, or with ``specific`` the group's most specific one.

    "CSP-PSD alliance" and "the CSP-PSD" are one name; so are "soldiers" and "Malian soldiers"
    when no other name also contains "soldiers". Meaning ("rebels" = "CSP-PSD") is not guessed:
    a small model got it wrong more often than right, and a wrong merge misattributes figures.

    Example:
        >>> canonical_names(["CSP-PSD", "the CSP-PSD alliance", "Malian army"])["the csp-psd alliance"]
        'CSP-PSD'
    """
    written: dict[str, Counter] = defaultdict(Counter)
    for name in names:
        cleaned = " ".join(name.split()).strip(" .,;:'\"")
        if cleaned and cleaned.lower() not in REPORTER:
            written[_name_key(cleaned)][cleaned] += 1
    keys = [k for k in written if k]
    parent = {k: k for k in keys}
    joined = {k for k in keys if any(JOINED.search(form) for form in written[k])}
    for key in keys:
        if len(key) == 1 and key[0] in {_singular(w) for w in GENERIC_PARTY}:
            continue  # "civilians" are not all "Egyptian civilians"
        # "soldiers" -> "Malian soldiers", but not "Russians" -> "Russian military bloggers".
        # Nor "Russians" -> "Malians and Russians": two parties joined are no more specific name of one.
        supersets = [other for other in keys if set(key) < set(other) and len(other) == len(key) + 1
                     and other not in joined]
        # Merge into a larger name only when the larger names form one chain (no ambiguity).
        if supersets and all(set(a) <= set(b) or set(b) <= set(a) for a in supersets for b in supersets):
            parent[key] = min(supersets, key=len)
    def root(key):
        while parent[key] != key:
            key = parent[key]
        return key
    named: set[tuple] = set()
    if specific:  # "Wagner fighters", "Wagner personnel", "fighters from Russia's Wagner Group": one group's members
        by_group: dict[str, list[tuple]] = defaultdict(list)
        for key in keys:
            for group in _group_of_members(written[key]):
                by_group[group].append(key)
        for members in by_group.values():
            for key in members[1:]:
                if (a := root(members[0])) != (b := root(key)):
                    parent[b] = a
                    named.add(a)
    groups: dict[tuple, Counter] = defaultdict(Counter)
    for key in keys:
        groups[root(key)].update(written[key])
    # With ``specific``, the most specific name of a group is its display name ("Wagner fighters"
    # for "fighters": a group is merged only where one chain of names holds every one of its names);
    # members merged by their group's name show the most written name that has it.
    def shown(r: tuple, c: Counter) -> Counter:
        if r in named:
            return Counter({form: k for form, k in c.items() if _group_of_members(Counter([form]))}) or c
        return written[r] if specific else c

    # A name that says whose by a possessive ("Its secretary general") is never the one shown for others.
    display = {r: max(shown(r, c).items(), key=lambda kv: (not POSSESSIVE.match(kv[0]), kv[1], -len(kv[0])))[0]
               for r, c in groups.items()}
    return {
        original.lower(): display[root(key)]
        for key in keys for original in written[key]
    }


# "Malians and Russians", "civils et militaires": two parties joined, not a name that holds "and"
# ("Framework for Peace, Security and Development (CSP-PSD)").
JOINED = re.compile(rf"^[^(),;]{{1,40}}\s{CONJUNCTION}\s[^(),;]{{1,40}}$", re.I)
# Words for the members of an armed group, and the words that join them to its name.
MEMBER_NOUNS = {
    "fighter", "personnel", "mercenarie", "mercenary", "operative", "member", "men", "militant", "combatant",
    "element", "recruit", "gunmen", "combattant", "membre", "mercenaire", "élément", "homme", "combatiente",
    "miembro", "integrante", "hombre", "mercenario", "guerrillero", "disidente", "dissident", "guerrilla",
    "rebel", "insurgent", "jihadist", "rebelle", "insurgé", "djihadiste", "jihadiste", "rebelde", "insurgente",
    "yihadista",
}
JOINING = {"from", "of", "de", "du", "des", "del", "la", "le", "les", "el", "los", "las", "group", "groupe", "grupo",
           # a group's parts: "membres de la structure de X", "integrantes de la estructura de X"
           "structure", "estructura", "estrutura", "faction", "facción", "facção", "front", "frente", "bloc", "bloque",
           "column", "colonne", "columna", "unit", "unité", "unidad", "dissidence", "disidencia", "dissidência"}
# "Malian", "Russian", "Sudanese", "malienne", "colombiano": a nationality is no group's name.
NATIONALITY = re.compile(r"(?:an|ian|ese|ish|ien|ienne|iens|ain|aine|ais|aise|ano|ana|anos|ense|eño|eña|ino|ina|i)$", re.I)


def _group_of_members(written: Counter) -> set[str]:
    """The group names a party name gives its members by ("Wagner" of "Wagner fighters" and of
    "fighters from Russia's Wagner Group"), where every other word of it is a member's word."""
    groups: set[str] = set()
    for form in written:
        tokens = re.findall(r"[^\W\d_][\w-]*", form.replace("'s", "").replace("’s", ""))
        names = [t.lower() for t in tokens if t[0].isupper() and not NATIONALITY.search(t)
                 and _singular(t.lower()) not in MEMBER_NOUNS and t.lower() not in JOINING]
        rest = [_singular(t.lower()) for t in tokens if t.lower() not in names]
        if names and all(w in MEMBER_NOUNS or w in JOINING or w in NAME_STOPWORDS for w in rest) \
                and any(w in MEMBER_NOUNS for w in rest):
            groups.add(names[-1])  # the head of the name: "Russia's Wagner Group" is Wagner's, not Russia's
    return groups


def name_key(name: str) -> tuple[str, ...]:
    """The words that make a name, whatever its article or its order: "The Malian authorities" ~ "Malian authorities"."""
    return _name_key(name)


def _name_key(name: str) -> tuple[str, ...]:
    # "Permanent Strategic Framework ... (CSP-PSD)" is known by its acronym.
    if m := re.search(r"\(([A-Z][A-Za-z0-9-]{1,12})\)", name):
        name = m.group(1)
    words = re.findall(r"[^\W_]+", name.lower().replace("'s", ""))
    return tuple(sorted({_singular(w) for w in words if w not in NAME_STOPWORDS}))


def _singular(word: str) -> str:
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word


def canonical(name: str, names: dict[str, str]) -> str:
    cleaned = " ".join(name.split()).strip(" .,;:'\"")
    if cleaned.lower() in REPORTER:
        return "reporter"
    return names.get(cleaned.lower(), cleaned)


def where_written(names: Sequence[str], articles: Sequence[SegmentedArticle], per_source: int = 3) -> list[Citation]:
    """Citations of the sentences that write any of ``names`` as a whole word."""
    patterns = [re.compile(r"\b" + re.escape(n) + r"\b", re.I) for n in names if len(n) > 1]
    citations = []
    for segmented in articles:
        hits = [s.n for s in segmented.sentences if any(p.search(s.text) for p in patterns)][:per_source]
        if hits:
            citations.append(Citation(source_id=segmented.article.id, sentences=tuple(hits)))
    return citations
