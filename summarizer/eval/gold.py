"""Gold labels: what the reports of one folder say, hand-read sentence by sentence.

``evals/README.md`` defines the format; ``load_gold`` validates that every reference resolves,
and ``check_gold`` that every label is written in the files it names.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Annotated, Literal

import yaml
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from summarizer.eval.patterns import Pattern, matches, normalise
from summarizer.schema import Metric



def _as_list(value: str | list[str] | None) -> list[str]:
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)


# A claimant reference: a key of ``Gold.claimants``, or a list of keys any one of which is right.
ClaimantKeys = Annotated[list[str], BeforeValidator(_as_list)]


class GoldModel(BaseModel):
    """Base of every gold label: an unknown key is a typo in the YAML, refused."""

    model_config = ConfigDict(extra="forbid")


SourceFlag = Literal[
    "no-date", "off-topic", "syndicated", "follow-up", "long", "opinion-notice", "ai-generated-notice",
    "boilerplate-removed", "internal-error", "prompt-injection",
]


class GoldSource(GoldModel):
    """One report of the folder: what it carries and how the brief should flag it."""

    file: str = Field(description="File name in the folder; briefs are mapped to it via Source.path.")
    outlet: str | None = None
    published: str | None = Field(None, description="ISO date the report carries, if any.")
    language: str | None = Field(None, description="ISO 639-1 code of the report's language.")
    flags: list[SourceFlag] = Field(default_factory=list)
    syndicated_of: str | None = Field(None, description="With flag 'syndicated': the file this one copies.")
    notes: list[str] = Field(default_factory=list)

    @property
    def off_topic(self) -> bool:
        """Whether the report is a distractor, not about the incident."""
        return "off-topic" in self.flags


class GoldClaimant(GoldModel):
    """Someone who asserts things in the reports, with the names they go by."""

    name: str
    aliases: Pattern = Field(default_factory=list)

    @property
    def pattern(self) -> Pattern:
        """The name and every alias, for matching."""
        return [self.name, *self.aliases]


class GoldActor(GoldModel):
    """A party things happen to or who acts: casualty parties resolve to one of these."""

    name: str
    side: str = Field(description="e.g. 'government', 'separatist', 'jihadist', 'civilians', 'officials'.")
    aliases: Pattern = Field(default_factory=list)
    note: str | None = None

    @property
    def pattern(self) -> Pattern:
        """The name and every alias, for matching."""
        return [self.name, *self.aliases]


class GoldFact(GoldModel):
    """A fact the brief should state, the files that state it and who asserts it."""

    id: str
    statement: str
    match: Pattern = Field(min_length=1)
    sources: list[str] = Field(min_length=1, description="Files that state the fact.")
    also_in: list[str] = Field(default_factory=list, description="Files that state it loosely: citing them is no error.")
    claimant: ClaimantKeys = Field(default_factory=list, description="Empty when the reporter states it.")
    note: str | None = None


class GoldParty(GoldModel):
    """Whose losses a casualty claim counts, with the names a brief may give them."""

    name: str
    aliases: Pattern = Field(default_factory=list)
    actor: str | None = Field(None, description="Key of Gold.actors this party is (part of).")

    @property
    def pattern(self) -> Pattern:
        """The name and every alias, for matching."""
        return [self.name, *self.aliases]


class GoldFigure(GoldModel):
    """A casualty figure as the report writes it, its bounds, and how a brief may write it."""

    as_written: str
    low: int | None = None
    high: int | None = Field(None, description="None when open-ended ('at least 20') or vague.")
    forms: Pattern = Field(default_factory=list, description="Ways a brief may write it: 'at least 20', '20'.")


class GoldCasualty(GoldModel):
    """A casualty claim: a figure of one metric for one party, by a claimant, in named files."""

    id: str
    party: GoldParty
    metric: Metric
    figure: GoldFigure
    claimant: ClaimantKeys = Field(min_length=1)
    sources: list[str] = Field(min_length=1)
    note: str | None = None


class GoldPosition(GoldModel):
    """One side of a dispute: who holds it and what they say."""

    id: str
    claimant: ClaimantKeys = Field(default_factory=list)
    statement: str
    match: Pattern = Field(min_length=1, description="Matched against 'claimant: statement' of a brief position.")
    sources: list[str] = Field(min_length=1)
    also_in: list[str] = Field(default_factory=list)


class GoldDispute(GoldModel):
    """A question the reports answer differently, with two or more positions."""

    id: str
    question: str
    kind: Literal["figure", "cause", "date", "characterisation", "other"]
    positions: list[GoldPosition] = Field(min_length=2)
    note: str | None = None


class GoldDate(GoldModel):
    """A date of the incident as a report writes it and as a brief should resolve it."""

    id: str
    iso: str
    as_written: str
    event: str
    resolved_from: str | None = None
    sources: list[str] = Field(min_length=1)


def _sentence_label(value: object) -> object:
    """``[claimant key or keys, snippet]`` as written in YAML -> ``{"claimant": ..., "snippet": ...}``."""
    if isinstance(value, (list, tuple)) and len(value) == 2:
        return {"claimant": value[0], "snippet": value[1]}
    return value


class GoldSentence(GoldModel):
    """Who asserts one sentence of a report, found by the sentence's first words."""

    claimant: ClaimantKeys = Field(min_length=1)
    snippet: str = Field(min_length=1, description="The sentence's first words as written; unique in its file.")


SentenceLabel = Annotated[GoldSentence, BeforeValidator(_sentence_label)]


class Gold(GoldModel):
    """Hand-reviewed labels for one folder; see evals/README.md for the format."""

    folder: str
    language: str | None = Field(None, description="The folder's main language, or 'mixed'.")
    incident: str | None = None
    sources: list[GoldSource]
    claimants: dict[str, GoldClaimant]
    actors: dict[str, GoldActor] = Field(default_factory=dict)
    facts: list[GoldFact]
    casualties: list[GoldCasualty]
    disputes: list[GoldDispute]
    dates: list[GoldDate] = Field(default_factory=list)
    sentences: dict[str, list[SentenceLabel]] = Field(
        default_factory=dict, description="Per file, a claimant for every sentence, in file order.",
    )
    unresolved: list[str] = Field(default_factory=list, description="What the reports leave open or garble.")

    @model_validator(mode="after")
    def _references_resolve(self) -> Gold:
        files = {s.file for s in self.sources}
        problems: list[str] = []

        def check(where: str, sources: Iterable[str], claimants: Iterable[str] = ()) -> None:
            problems.extend(f"{where}: unknown source {f!r}" for f in sources if f not in files)
            problems.extend(f"{where}: unknown claimant {c!r}" for c in claimants if c not in self.claimants)

        for fact in self.facts:
            check(fact.id, [*fact.sources, *fact.also_in], fact.claimant)
        for cas in self.casualties:
            check(cas.id, cas.sources, cas.claimant)
            if cas.party.actor is not None and cas.party.actor not in self.actors:
                problems.append(f"{cas.id}: unknown actor {cas.party.actor!r}")
        for source in self.sources:
            if source.syndicated_of is not None:
                check(f"{source.file}: syndicated_of", [source.syndicated_of])
        for file, labels in self.sentences.items():
            check(f"sentences of {file}", [file], [k for label in labels for k in label.claimant])
        for dispute in self.disputes:
            for pos in dispute.positions:
                check(f"{dispute.id}/{pos.id}", [*pos.sources, *pos.also_in], pos.claimant)
        for date in self.dates:
            check(date.id, date.sources)
        ids = [x.id for x in [*self.facts, *self.casualties, *self.disputes, *self.dates]]
        problems.extend(f"duplicate id {i!r}" for i in sorted({i for i in ids if ids.count(i) > 1}))
        if problems:
            raise ValueError("; ".join(problems))
        return self


def load_gold(path: str | Path) -> Gold:
    """Read and validate a gold file.

    Example:
        >>> gold = load_gold("evals/gold/tinzaouatene.yaml")
        >>> len(gold.facts) >= 25
        True
    """
    with open(path, encoding="utf-8") as f:
        return Gold.model_validate(yaml.safe_load(f))




def sentence_claimants(labels: list[GoldSentence], sentences: list[tuple[int, str]]) -> dict[int, set[str]]:
    """The gold claimant keys of each numbered sentence of one report, by the labels' snippets.

    Segmentation is the pipeline's, not the reviewer's, so a label is placed on the sentence where
    its snippet starts (texts joined, then searched in order). A sentence where no snippet starts
    continues the sentence before it and takes its claimants; one where two start (the segmenter
    joined two) takes both.

    Example:
        >>> labels = [GoldSentence(claimant=["reporter"], snippet="Fighting broke out"),
        ...           GoldSentence(claimant=["army"], snippet="The army said")]
        >>> sentence_claimants(labels, [(1, "Fighting broke out on Thursday."), (2, "The army said so.")])
        {1: {'reporter'}, 2: {'army'}}
    """
    starts: list[int] = []
    joined = ""
    for _, text in sentences:
        starts.append(len(joined))
        joined += normalise(text) + " "
    placed: dict[int, set[str]] = {}
    leads = set()  # sentences that begin with a label's snippet
    cursor = 0
    for label in labels:
        at = joined.find(normalise(label.snippet), cursor)
        if at < 0:
            at = joined.find(normalise(label.snippet))  # out of order: still place it
            if at < 0:
                continue
        else:
            cursor = at + 1
        index = max(i for i, start in enumerate(starts) if start <= at)
        placed.setdefault(index, set()).update(label.claimant)
        if at == starts[index]:
            leads.add(index)
    result: dict[int, set[str]] = {}
    current: set[str] = set()
    for index, (n, _) in enumerate(sentences):
        if index in placed:
            # A sentence that opens mid-way through the one before also carries that one's claimant.
            current = placed[index] if index in leads else placed[index] | current
        if current:
            result[n] = set(current)
    return result


def check_gold(gold: Gold, folder: str | Path) -> list[str]:
    """Problems with labels that are not written where they say: one line each, [] when none.

    Checks that every report of ``folder`` has a source entry and sentence labels, that every
    snippet occurs exactly once in its file, and that every casualty figure and party is written
    in each file it cites.
    """
    root = Path(folder)
    problems: list[str] = []
    texts: dict[str, str] = {}
    for source in gold.sources:
        path = root / source.file
        if not path.is_file():
            problems.append(f"{source.file}: listed in sources but not in {root}")
            continue
        texts[source.file] = normalise(path.read_text(encoding="utf-8", errors="replace"))
    listed = {s.file for s in gold.sources}
    if root.is_dir():
        problems.extend(
            f"{p.name}: a report of {root} with no source entry"
            for p in sorted(root.iterdir()) if p.is_file() and p.name not in listed
        )
    for source in gold.sources:
        if gold.sentences and source.file not in gold.sentences:
            problems.append(f"{source.file}: no sentence labels")
    for file, labels in gold.sentences.items():
        text = texts.get(file)
        if text is None:
            continue
        for label in labels:
            count = text.count(normalise(label.snippet))
            if count != 1:
                problems.append(f"{file}: snippet {label.snippet!r} occurs {count} times (must be once)")
    for cas in gold.casualties:
        for file in cas.sources:
            text = texts.get(file)
            if text is None:
                continue
            written = [normalise(w) for w in cas.figure.as_written.split(" / ")]
            if not any(w in text for w in written) and not (cas.figure.forms and matches(cas.figure.forms, text)):
                problems.append(f"{cas.id}: figure {cas.figure.as_written!r} is not written in {file}")
            if not matches(cas.party.pattern, text):
                problems.append(f"{cas.id}: party {cas.party.name!r} (or an alias) is not written in {file}")
    return problems
