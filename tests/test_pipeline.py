"""The whole pipeline, with the model answering in-process (tests/fake_model.py) the fixture's answers.

What goes over HTTP (the headers, the JSON modes' requests, a fresh process) is checked against
the loopback scripted server, which gives the same answers.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from fake_model import FakeModel
from sample_responder import SAMPLES, SampleAnswers, SampleResponder
from scripted_server import message_text

from summarizer import pipeline, summarize
from summarizer.llm.prompts import prompts_dir
from summarizer.stages.consolidate.draft import DRAFT_CHARS
from summarizer.schema import IncidentBrief
from summarizer.store import RunStore
from summarizer.stages.verify import unresolved


def run(fake: FakeModel, tmp_path: Path, source=SAMPLES, **options) -> IncidentBrief:
    return summarize(source, base_url=fake.base_url, model="scripted", api_key="sk-test-secret-key",
                     store=tmp_path / "runs.db", chat_model=fake, **options)


def run_http(server, tmp_path: Path, source=SAMPLES, **options) -> IncidentBrief:
    return summarize(source, base_url=server.base_url, model="scripted", api_key="sk-test-secret-key",
                     store=tmp_path / "runs.db", **options)


@pytest.fixture
def fake() -> FakeModel:
    """The in-process model, answering the sample reports as the fixture says."""
    return FakeModel()


@pytest.fixture
def answers(fake) -> SampleAnswers:
    return fake.answers


@pytest.fixture
def responder(scripted_llm) -> SampleResponder:
    responder = SampleResponder()
    scripted_llm.set_responder(responder)
    return responder


def casualty_rows(brief: IncidentBrief) -> set[tuple[str, str, str, str, frozenset[str]]]:
    paths = {s.id: s.path for s in brief.sources}
    return {
        (c.claimant, c.party, c.metric, c.figure, frozenset(paths[x.source_id] for x in c.citations))
        for c in brief.casualties
    }


def test_casualty_figures_are_kept_per_claimant_with_the_sources_that_state_them(fake, answers, tmp_path):
    brief = run(fake, tmp_path)

    rows = casualty_rows(brief)
    # Names are merged by code only where the words say so: one country's forces are one actor, so 002's
    # "the Malian military" is the Malian army; a party's bare noun takes the one more specific name that
    # holds it ("soldiers" -> "Malian soldiers"), and a force's party is its people ("Malian soldiers").
    assert ("Malian army", "Malian soldiers", "killed", "two",
            frozenset({"000_4c4ab83dc6f2d891.txt", "001_a6fe8bb564ac4d9a.txt", "002_806d93aceca79ae8.txt"})) in rows
    assert ("Malian army", "Malian soldiers", "wounded", "10",
            frozenset({"000_4c4ab83dc6f2d891.txt", "001_a6fe8bb564ac4d9a.txt", "002_806d93aceca79ae8.txt"})) in rows
    # 000's "the separatist coalition" is the coalition it says is "known as CSP-PSD": one row for both reports
    assert ("CSP-PSD", "rebels", "killed", "seven", frozenset({"000_4c4ab83dc6f2d891.txt", "001_a6fe8bb564ac4d9a.txt"})) in rows
    # "Wagner mercenaries" and "Wagner personnel" are one group's members, shown by its most written name,
    # so the bloggers' "at least 20" and "at least twenty" of two reports are one row.
    assert ("Russian military bloggers", "Wagner fighters", "killed", "at least 20",
            frozenset({"000_4c4ab83dc6f2d891.txt", "004_2120e10b01cfeea4.txt"})) in rows
    soldiers = next(r for r in brief.casualty_ranges if (r.party, r.metric) == ("Malian soldiers", "killed"))
    assert (soldiers.low, soldiers.high) == (2, 17)


def test_every_citation_in_the_brief_resolves_to_a_sentence_of_its_source(fake, answers, tmp_path):
    brief = run(fake, tmp_path)

    sources = {s.id: s for s in brief.sources}
    citations = [c for item in [*brief.claims, *brief.casualties, *brief.summary, *brief.timeline] for c in item.citations]
    citations += [c for d in brief.disputes for p in d.positions for c in p.citations]
    assert len(citations) > 20
    assert unresolved(citations, sources) == []


def test_disputes_show_the_soldiers_death_toll_and_the_helicopter_cause_side_by_side(fake, answers, tmp_path):
    brief = run(fake, tmp_path)

    toll = next(d for d in brief.disputes if d.question == "How many Malian soldiers were killed?")
    assert {(p.claimant, p.statement) for p in toll.positions} >= {
        ("Malian army", "two killed"), ("reports", "at least 17 killed"),
        ("Islamist organization connected to al Qaeda", "10 killed"),
    }
    helicopter = next(d for d in brief.disputes if "helicopter" in d.question)
    assert helicopter.kind == "cause"
    assert {p.claimant for p in helicopter.positions} >= {"CSP-PSD"}
    assert len({p.claimant for p in helicopter.positions}) == 2


def test_an_allegation_set_against_a_denial_is_shown_as_denied(fake, answers, tmp_path):
    brief = run(fake, tmp_path)

    allegation = sentence_text(answers, "001_a6fe8bb564ac4d9a.txt", 16)
    denial = sentence_text(answers, "001_a6fe8bb564ac4d9a.txt", 17)
    statuses = {c.statement: c.status for c in brief.claims}
    assert statuses[allegation] == "denied"
    assert statuses[denial] == "disputed"
    # The denial and the allegation it answers, as code finds them in the report's sentences.
    source = next(s.id for s in brief.sources if s.path.startswith("001_"))
    abuse = next(d for d in brief.disputes
                 if any(c.source_id == source and 17 in c.sentences for p in d.positions for c in p.citations))
    # the same denial of alike accusations in other reports is in the same dispute: accusations first, then denials
    half = len(abuse.positions) // 2
    pairs = [((a.claimant, a.statement), (b.claimant, b.statement))
             for a, b in zip(abuse.positions[:half], abuse.positions[half:], strict=True)]
    assert (("reporter", allegation), ("Malian authorities", denial)) in pairs


def test_a_report_quoting_parties_who_disagree_is_not_flagged_as_contradicting_itself(fake, answers, tmp_path):
    brief = run(fake, tmp_path)

    helicopter = next(d for d in brief.disputes if "helicopter" in d.question)
    sides_001 = [p for p in helicopter.positions
                 if any(brief.source(c.source_id).path.startswith("001_") for c in p.citations)]
    assert len(sides_001) == 2  # 001 reports the CSP-PSD's claim and the army's account
    assert not any("internal-error" in s.flags for s in brief.sources)


def test_a_report_stating_both_sides_of_a_dispute_in_its_own_voice_is_flagged():
    from summarizer.stages.consolidate.sources import flag_internal_errors, build_sources
    from summarizer.stages.load import load
    from summarizer.schema import Citation, Dispute, Position
    from summarizer.stages.segment import segment

    sources = build_sources([segment(a) for a in load(SAMPLES).articles])
    report = next(s for s in sources if s.path.startswith("003_"))
    quoted = next(s for s in sources if s.path.startswith("004_"))
    disputes = [
        Dispute(question="When did the junta take power?", kind="date", positions=[
            Position(claimant="reporter", statement="a 2020 coup", citations=[Citation(source_id=report.id, sentences=(2,))]),
            Position(claimant="reporter", statement="in 2022", citations=[Citation(source_id=report.id, sentences=(13,))]),
        ]),
        Dispute(question="How many Russians were killed?", kind="figure", positions=[
            Position(claimant="bloggers", statement="20", citations=[Citation(source_id=quoted.id, sentences=(11,))]),
            Position(claimant="al Qaeda", statement="50", citations=[Citation(source_id=quoted.id, sentences=(12,))]),
        ]),
    ]

    flag_internal_errors(sources, disputes)

    assert "internal-error" in report.flags and "internal-error" not in quoted.flags


def test_requests_go_over_http_as_forced_tool_calls_at_temperature_zero(scripted_llm, responder, tmp_path):
    run_http(scripted_llm, tmp_path)

    requests = scripted_llm.chat_requests
    assert {r["tool_choice"]["function"]["name"] for r in requests} == {
        "ClaimsResponse", "SentenceCasualties", "DisagreementCheck", "PairCheck", "ConsolidationResponse"}
    assert all(r["temperature"] == 0 for r in requests)
    assert responder.asked.count("ClaimsResponse") == 5
    assert scripted_llm.auth_headers[0] == "Bearer sk-test-secret-key"


def sentence_text(answers: SampleAnswers, path: str, n: int) -> str:
    return answers.segmented[path].sentence(n).text


def test_a_fabricated_sentence_number_is_reasked_with_the_error_then_dropped(fake, answers, tmp_path):
    fabricated = {"n": 99, "kind": "event", "by": "reporter", "when": None}

    def with_fabrication(body):
        return {"notes": [*answers.article(message_text(body))["notes"], fabricated]}

    answers.overrides["ClaimsResponse"] = [with_fabrication, with_fabrication]
    brief = run(fake, tmp_path, concurrency=1)  # one article at a time: the first two requests are 000's

    claim_requests = fake.requests_for("ClaimsResponse")
    reask = claim_requests[1]["messages"]
    assert any("sentence 99 does not exist" in str(m.get("content")) for m in reask)
    assert all(c.citations and max(c.citations[0].sentences) < 99 for c in brief.claims)
    assert any("[99]" in d.reason for d in brief.diagnostics.dropped)
    assert brief.diagnostics.reasks >= 1


def test_a_claim_whose_claimant_the_sentence_does_not_name_is_given_to_the_one_it_names(fake, answers, tmp_path):
    def misattributed(body):
        notes = answers.article(message_text(body))["notes"]
        return {"notes": [{**notes[0], "by": "Wagner Group"}, *notes[1:]]}  # 000's sentence 1 names no Wagner

    answers.overrides["ClaimsResponse"] = [misattributed]
    brief = run(fake, tmp_path, concurrency=1)

    first = sentence_text(answers, "000_4c4ab83dc6f2d891.txt", 1)
    claim = next(c for c in brief.claims if c.statement == first)
    assert "has declared victory" in first  # the coalition declares it, not Wagner
    assert claim.claimant == "a mainly Tuareg separatist coalition"
    assert brief.diagnostics.reasks == 0


def test_a_casualty_figure_given_to_someone_the_sentences_do_not_name_is_reasked(fake, answers, tmp_path):
    def misattributed(body):
        path, n = answers.sentence(body)
        figures = answers.script["articles"][path]["figures"].get(str(n), [])
        return {"figures": [{**f, "by": "Wagner Group"} for f in figures]}

    answers.overrides["SentenceCasualties"] = [misattributed]  # 000's sentence 3; the re-ask gets the fixture
    brief = run(fake, tmp_path, concurrency=1)

    figure_requests = fake.requests_for("SentenceCasualties")
    assert any("'Wagner Group' is not named in sentence [3]" in str(m.get("content")) for m in figure_requests[1]["messages"])
    assert brief.diagnostics.reasks == 1
    assert all(c.claimant != "Wagner Group" for c in brief.casualties)


def test_a_casualty_figure_the_sentence_does_not_write_is_dropped_without_a_reask(fake, answers, tmp_path):
    def with_a_figure_from_before(body):
        path, n = answers.sentence(body)
        figures = answers.script["articles"][path]["figures"].get(str(n), [])
        return {"figures": [*figures, {"by": "Malian army", "party": "soldiers", "metric": "killed", "figure": "300"}]}

    plain = run(fake, tmp_path / "plain")
    answers.overrides["SentenceCasualties"] = [with_a_figure_from_before]  # 000's sentence 3
    brief = run(fake, tmp_path, concurrency=1)

    assert brief.diagnostics.reasks == 0
    assert sum("300" in d.what for d in brief.diagnostics.dropped) == 1
    assert casualty_rows(brief) == casualty_rows(plain)  # the sentence's own figures are kept


def test_relative_dates_are_resolved_against_each_report_date(fake, answers, tmp_path):
    brief = run(fake, tmp_path)

    by_text = {c.statement: c.when for c in brief.claims if c.when}
    thursday = by_text[sentence_text(answers, "001_a6fe8bb564ac4d9a.txt", 7)]
    assert (thursday.iso, thursday.precision) == ("2024-07-25", "day")
    assert any(e.date.iso == "2024-07-26" and "helicopter" in e.event for e in brief.timeline)
    assert brief.when.start == "2024-07-22"


def test_a_summary_sentence_with_a_number_no_cited_sentence_holds_is_dropped(fake, answers, tmp_path):
    def invented(body):
        answer = answers.consolidation(body)
        answer["summary"].append({"text": "At least 300 fighters died in the battle.", "claims": answer["summary"][0]["claims"]})
        return answer

    answers.overrides["ConsolidationResponse"] = [invented]
    brief = run(fake, tmp_path)

    assert all("300" not in s.text for s in brief.summary)
    assert any("300" in d.what and "[300]" in d.reason for d in brief.diagnostics.dropped)


def test_a_summary_entry_of_two_sentences_loses_only_the_one_with_an_unsupported_number(fake, answers, tmp_path):
    # Seen on the embedded model: two sentences in one entry, the second with a year no cited
    # claim holds, and the same sentence again in the next entry.
    written = {}

    def doubled(body):
        answer = answers.consolidation(body)
        first = answer["summary"][0]
        written["first"] = first["text"]
        joined = first["text"] + " At least 300 fighters died in the battle."
        answer["summary"] = [{"text": joined, "claims": first["claims"]}, {"text": joined, "claims": first["claims"]}]
        return answer

    answers.overrides["ConsolidationResponse"] = [doubled]
    brief = run(fake, tmp_path)

    assert [s.text for s in brief.summary] == [written["first"]]
    assert brief.summary[0].citations
    assert sum("300" in d.what for d in brief.diagnostics.dropped) == 1


def test_an_unchanged_rerun_is_answered_from_the_run_store_without_the_model(fake, answers, tmp_path):
    first = run(fake, tmp_path)
    calls = len(fake.chat_requests)

    second = run(fake, tmp_path)

    assert len(fake.chat_requests) == calls
    assert second.model_dump(exclude={"diagnostics"}) == first.model_dump(exclude={"diagnostics"})
    assert second.diagnostics.unchanged_since is not None


def test_after_a_code_change_the_stored_answers_are_replayed_without_the_model(fake, answers, tmp_path, monkeypatch):
    first = run(fake, tmp_path)
    calls = len(fake.chat_requests)
    monkeypatch.setattr(pipeline, "code_version", lambda: "a later version of the code")

    second = run(fake, tmp_path)

    assert len(fake.chat_requests) == calls  # every request was the same: answered by the store
    assert second.diagnostics.unchanged_since is None
    assert second.model_dump(exclude={"diagnostics"}) == first.model_dump(exclude={"diagnostics"})
    replayed, original = RunStore(tmp_path / "runs.db").runs(limit=2)
    assert (replayed["model_calls"], replayed["cached_calls"]) == (0, original["model_calls"])


def test_a_changed_report_is_summarised_again_and_only_its_calls_reach_the_model(fake, answers, tmp_path):
    folder = tmp_path / "reports"
    shutil.copytree(SAMPLES, folder)
    run(fake, tmp_path, source=folder)
    calls = len(fake.chat_requests)
    changed = folder / "003_b097853508f3dbe4.txt"
    changed.write_text(changed.read_text() + "\nThe rebels said two of their trucks were destroyed.\n")

    second = run(fake, tmp_path, source=folder)

    assert second.diagnostics.unchanged_since is None
    asked = fake.chat_requests[calls:]
    claims = [r for r in asked if "ClaimsResponse" in str(r["tool_choice"])]
    assert len(claims) == 1 and "two of their trucks" in message_text(claims[0])
    assert len(asked) < calls  # the other reports' claims and figures came from the store


def test_the_code_version_follows_the_prompt_templates(tmp_path, monkeypatch):
    copy = tmp_path / "prompts"
    shutil.copytree(prompts_dir(), copy)
    monkeypatch.setattr(pipeline, "prompts_dir", lambda: copy)
    before = pipeline.code_version()
    assert pipeline.code_version() == before
    (copy / "casualty_system.j2").write_text((copy / "casualty_system.j2").read_text() + " Be brief.")
    assert pipeline.code_version() != before


def test_an_unchanged_rerun_does_not_import_the_model_client(scripted_llm, responder, tmp_path):
    run_http(scripted_llm, tmp_path)
    script = (
        "import sys\n"
        "from summarizer import summarize\n"
        f"brief = summarize({str(SAMPLES)!r}, base_url={scripted_llm.base_url!r}, model='scripted', "
        f"api_key='sk-test-secret-key', store={str(tmp_path / 'runs.db')!r})\n"
        "print(brief.diagnostics.unchanged_since, sorted(m for m in ('openai', 'instructor') if m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    since, imported = done.stdout.split(" ", 1)
    assert since.isdigit() and imported.strip() == "[]"


def test_template_syntax_in_a_report_reaches_the_model_verbatim(tmp_path):
    folder = tmp_path / "reports"
    folder.mkdir()
    text = "Fighting {{ config.secret }} began near {% if x %}Gao{% endif %} on Monday. Two soldiers were killed, the army said."
    (folder / "a.txt").write_text(text)
    fake = FakeModel(lambda name, body: (
        {"claims": [{"ids": [1], "kind": "event", "by": "reporter", "text": "Fighting began near Gao on Monday.", "when": "on Monday"}] * 3}
        if name == "ClaimsResponse" else
        {"figures": []} if name == "SentenceCasualties" else
        {"actors": [], "places": [], "disputes": [], "summary": [], "title": "Fighting near Gao", "incident_type": "clash"}
    ))

    run(fake, tmp_path, source=folder)

    prompt = fake.requests_for("ClaimsResponse")[0]["messages"][-1]["content"]
    assert "{{ config.secret }}" in prompt and "{% if x %}Gao{% endif %}" in prompt


def test_a_report_copied_from_another_counts_once_for_corroboration(fake, answers, tmp_path):
    folder = tmp_path / "reports"
    shutil.copytree(SAMPLES, folder)
    original = (folder / "000_4c4ab83dc6f2d891.txt").read_text()
    (folder / "005_copy.txt").write_text(original.replace("In a major development in Mali,", "In Mali,"))
    answers.segmented.update({"005_copy.txt": answers.segmented["000_4c4ab83dc6f2d891.txt"]})

    brief = run(fake, tmp_path, source=folder)

    copy = next(s for s in brief.sources if s.path == "005_copy.txt")
    assert "copy" in copy.flags and copy.copy_of == next(s.id for s in brief.sources if s.path.startswith("000_"))
    only_000_and_copy = [c for c in brief.claims if {x.source_id for x in c.citations} == {copy.id, copy.copy_of}]
    assert only_000_and_copy and all(c.independent_sources == 1 and c.status != "corroborated" for c in only_000_and_copy)


OFFTOPIC = Path(__file__).parent / "fixtures" / "offtopic"


def test_reports_about_another_incident_are_flagged_and_never_sent_to_the_model(fake, answers, tmp_path):
    folder = tmp_path / "reports"
    shutil.copytree(SAMPLES, folder)
    for name in ("football_derby.txt", "niger_broadcaster.txt"):
        shutil.copy(OFFTOPIC / name, folder / name)

    brief = run(fake, tmp_path, source=folder)

    flagged = {s.path for s in brief.sources if "off-topic" in s.flags}
    assert flagged == {"football_derby.txt", "niger_broadcaster.txt"}
    prompts = " ".join(message_text(r) for r in fake.chat_requests)
    assert "stoppage-time header" not in prompts and "French broadcaster" not in prompts
    cited = {c.source_id for item in [*brief.claims, *brief.casualties, *brief.summary] for c in item.citations}
    assert cited.isdisjoint({s.id for s in brief.sources if s.path in flagged})


def test_a_short_report_on_the_incident_is_not_taken_for_an_off_topic_one():
    from summarizer.stages.consolidate.sources import find_off_topic
    from summarizer.stages.load import load
    from summarizer.stages.segment import segment

    articles = [segment(a) for a in load(SAMPLES).articles] + [segment(a) for a in load(OFFTOPIC).articles]
    flagged = {a.article.path for a in articles if a.article.id in find_off_topic(articles)}
    assert flagged == {"football_derby.txt", "niger_broadcaster.txt"}



@pytest.mark.parametrize("other", ["long/derna_long_read_first_part.txt", "metadata/far_date.txt"])
def test_with_two_reports_on_the_incident_and_one_on_another_only_the_other_is_left_out(other):
    # The other reports' "shared" names were then those of one report on the incident and one not
    # (weekdays): every report was flagged, and the brief had nothing in it.
    from summarizer.stages.consolidate.sources import find_off_topic
    from summarizer.stages.load import load
    from summarizer.stages.segment import segment

    articles = [segment(a) for a in load([*sorted(SAMPLES.glob("*.txt"))[:2], OFFTOPIC.parent / other]).articles]
    flagged = {Path(a.article.path).name for a in articles if a.article.id in find_off_topic(articles)}
    assert flagged == {Path(other).name}


@pytest.mark.parametrize("gold", sorted((Path(__file__).parent.parent / "evals" / "gold").glob("*.yaml")),
                         ids=lambda p: p.stem)
def test_the_reports_a_dev_folder_labels_off_topic_are_the_ones_code_flags(gold):
    """Before any model call, in English, French, Spanish and mixed folders: each distractor
    (another attack of the same group, a neighbouring earthquake, fighting under the same
    minister) is flagged, and no report on the incident is."""
    from summarizer.stages.consolidate.sources import find_off_topic
    from summarizer.eval.gold import load_gold
    from summarizer.stages.load import load
    from summarizer.stages.segment import segment

    labels = load_gold(gold)
    articles = [segment(a) for a in load(Path(__file__).parent.parent / labels.folder).articles]
    flagged = {Path(a.article.path).name for a in articles if a.article.id in find_off_topic(articles)}
    assert flagged == {s.file for s in labels.sources if s.off_topic}


# --------------------------------------------------------------------------- many reports


def many_reports(tmp_path: Path, count: int) -> Path:
    """``count`` reports made from the samples, each made unique by a line of its own."""
    folder = tmp_path / f"{count}-reports"
    folder.mkdir()
    samples = sorted(SAMPLES.glob("*.txt"))
    for i in range(count):
        sample = samples[i % len(samples)]
        (folder / f"{i:03d}_{sample.name}").write_text(f"{sample.read_text().rstrip()}\n\nDesk note {i}.\n")
    return folder


class InFlight:
    """Answers that are held briefly, with a record of how many requests were held at once."""

    def __init__(self, answer, hold: float = 0.2):
        self.answer, self.hold, self.now, self.most = answer, hold, 0, 0
        self._lock = threading.Lock()

    def __call__(self, name, body):
        with self._lock:
            self.now += 1
            self.most = max(self.most, self.now)
        time.sleep(self.hold)
        with self._lock:
            self.now -= 1
        return self.answer(name, body)


@pytest.mark.parametrize("bound", [1, 4, 32])
def test_calls_to_an_endpoint_run_concurrently_up_to_the_bound(tmp_path, bound):
    server = InFlight(SampleAnswers().answer)

    brief = run(FakeModel(server), tmp_path, SAMPLES, concurrency=bound)

    # The samples queue 5 claims calls and their figure calls at once, then 9 consolidation
    # calls. A small bound is filled exactly; a large one is never exceeded, and how many of the
    # queued calls overlap depends on how fast this machine issues them.
    if bound <= 4:
        assert server.most == bound
    else:
        assert 4 < server.most <= bound
    assert brief.casualties and brief.disputes


def test_the_summary_prompt_stays_the_same_size_however_many_reports_come_in(fake, answers, tmp_path):
    five = run(fake, tmp_path / "5", many_reports(tmp_path, 5))
    forty = run(fake, tmp_path / "40", many_reports(tmp_path, 40))
    five_prompt, forty_prompt = map(message_text, fake.requests_for("ConsolidationResponse"))

    assert len(forty.sources) == 40 and len(forty.claims) >= len(five.claims)
    assert len(forty_prompt) <= DRAFT_CHARS + 2_500  # the claims' text is capped; the rest is the instructions
    assert len(forty_prompt) < 1.3 * len(five_prompt)
    assert forty.summary  # drafted from the claims most reports carry


def test_two_hundred_reports_are_briefed_with_progress_for_each_and_the_time_of_each_stage(fake, answers, tmp_path):
    # Its time and peak memory are figures of `python benchmarks/run.py hosted-scaling --reports 200`.
    events = []
    brief = run(fake, tmp_path, many_reports(tmp_path, 200), progress=lambda event, data: events.append((event, data)))

    assert len(brief.sources) == 200 and brief.claims and brief.casualties and brief.summary
    read = [data["path"] for event, data in events if event == "read"]
    assert sorted(read) == sorted(s.path for s in brief.sources)  # a progress event as each report is read
    assert events[-1][0] == "done" and round(events[-1][1]["seconds"], 2) == brief.diagnostics.seconds["total"] > 0
    assert {"load+segment", "extract", "consolidate", "verify"} <= set(brief.diagnostics.seconds)
    assert len(message_text(fake.requests_for("ConsolidationResponse")[-1])) <= DRAFT_CHARS + 2_500


def test_a_figure_claimant_taken_from_a_word_of_the_speaker_s_phrase_is_the_speaker(fake, answers, tmp_path):
    # "According to the statement released by the separatist coalition, seven rebels were killed
    # ... in Tinzaouatene": a small model may answer a word of the sentence that is not its speaker.
    def a_place_for_the_speaker(body):
        path, n = answers.sentence(body)
        figures = answers.script["articles"][path]["figures"].get(str(n), [])
        return {"figures": [{**f, "by": "Tinzaouatene"} for f in figures]}

    answers.overrides["SentenceCasualties"] = [a_place_for_the_speaker]  # 000's sentence 3
    brief = run(fake, tmp_path, concurrency=1)

    seven = [c for c in brief.casualties if c.figure == "seven"]
    # the separatist coalition, which 000 says is "known as CSP-PSD"
    assert seven and {c.claimant for c in seven} == {"CSP-PSD"}
    assert all(c.claimant != "Tinzaouatene" for c in brief.casualties)


def test_the_speaker_a_sentence_names_gives_its_figures_though_the_model_also_listed_one_of_a_sentence_before(
    fake, answers, tmp_path,
):
    # The embedded model lists figures of the sentences shown before the one asked about, with their
    # own claimant; those do not make the asked sentence's figures two voices' (guaviare, 2026-12-08).
    def a_place_and_a_figure_from_before(body):
        path, n = answers.sentence(body)
        figures = answers.script["articles"][path]["figures"].get(str(n), [])
        before = [{"figure": "three", "party": "days", "metric": "killed", "by": "Algeria"}] if figures else []
        return {"figures": [{**f, "by": "Tinzaouatene"} for f in figures] + before}

    answers.overrides["SentenceCasualties"] = [a_place_and_a_figure_from_before]  # 000's sentence 3
    brief = run(fake, tmp_path, concurrency=1)

    seven = [c for c in brief.casualties if c.figure == "seven"]
    assert seven and {c.claimant for c in seven} == {"CSP-PSD"}
    assert all(c.claimant not in {"Tinzaouatene", "Algeria"} for c in brief.casualties)


def test_a_figure_whose_party_is_its_claimant_gets_the_party_the_sentence_writes_beside_it(fake, answers, tmp_path):
    # "... seven rebels were killed and 12 wounded": a small model may give the speaker as the party.
    def party_is_speaker(body):
        path, n = answers.sentence(body)
        figures = answers.script["articles"][path]["figures"].get(str(n), [])
        return {"figures": [{**f, "party": f["by"]} for f in figures]}

    answers.overrides["SentenceCasualties"] = [party_is_speaker]  # 000's sentence 3
    brief = run(fake, tmp_path, concurrency=1)

    seven = [c for c in brief.casualties if c.figure == "seven"]
    twelve = [c for c in brief.casualties if c.figure == "12" and c.metric == "wounded"]
    assert seven and twelve and {c.party for c in seven + twelve} == {"rebels"}  # 12 wounded: the party of the seven
    assert not any(c.party == c.claimant for c in brief.casualties)


def test_the_noun_a_figure_counts_is_its_party_over_a_word_the_model_took_beside_it(fake, answers, tmp_path):
    # "... at least 17 Malian soldiers ... in the fighting": "fighting" is beside the figure, but the
    # figure counts soldiers.
    def party_is_a_word_after(body):
        path, n = answers.sentence(body)
        figures = answers.script["articles"][path]["figures"].get(str(n), [])
        return {"figures": [{**f, "party": "fighting" if "17" in f["figure"] else f["party"]} for f in figures]}

    answers.overrides["SentenceCasualties"] = [party_is_a_word_after] * 40
    brief = run(fake, tmp_path, concurrency=1)

    seventeen = [c for c in brief.casualties if "17" in c.figure]
    assert seventeen and {c.party for c in seventeen} == {"Malian soldiers"}
    assert not any(c.party == "fighting" for c in brief.casualties)


# --------------------------------------------------------------------------- endpoints without tool calling


@pytest.mark.parametrize("mode", ["json_schema", "json"])
def test_an_endpoint_without_tool_calling_gives_the_same_brief_in_a_json_mode(mode, scripted_llm, responder, tmp_path):
    """A server that offers response_format (or plain JSON mode) but no tools: no request carries
    tools, each asks for JSON, and the brief is the one tool calls give."""
    by_tools = run_http(scripted_llm, tmp_path / "tools")
    tool_requests = len(scripted_llm.chat_requests)

    in_json = run_http(scripted_llm, tmp_path / mode, structured_output=mode)

    requests = scripted_llm.chat_requests[tool_requests:]
    assert requests and not any(r.get("tools") or r.get("tool_choice") for r in requests)
    wanted = {"json_schema": "json_schema", "json": "json_object"}[mode]
    assert all(r["response_format"]["type"] == wanted for r in requests)
    assert casualty_rows(in_json) == casualty_rows(by_tools)
    assert in_json.claims == by_tools.claims and in_json.disputes == by_tools.disputes
    purposes = {c["purpose"] for c in RunStore(tmp_path / mode / "runs.db").calls(limit=1000)}
    assert {"ClaimsResponse", "SentenceCasualties"} <= purposes  # the call log names each call in any mode


def test_an_unknown_structured_output_mode_is_refused_before_any_request(fake, answers, tmp_path):
    from summarizer.errors import EndpointError

    with pytest.raises(EndpointError, match="structured output 'xml' is not one of auto, tools, json_schema, json"):
        run(fake, tmp_path, structured_output="xml")
    assert fake.chat_requests == []


# --------------------------------------------------------------------------- the user's prompt templates


def test_a_users_prompt_folder_replaces_the_templates_it_holds_and_changes_the_fingerprint(
        fake, answers, tmp_path):
    mine = tmp_path / "my-prompts"
    mine.mkdir()
    (mine / "casualty_system.j2").write_text((prompts_dir() / "casualty_system.j2").read_text() + "\nHOUSE STYLE 7.")
    first = run(fake, tmp_path)
    asked = len(fake.chat_requests)

    again = run(fake, tmp_path, prompts=mine)

    sent = fake.chat_requests[asked:]
    casualty = [r for r in sent if "SentenceCasualties" in str(r.get("tool_choice"))]
    assert casualty and all("HOUSE STYLE 7." in r["messages"][0]["content"] for r in casualty)
    assert not any("HOUSE STYLE 7." in message_text(r) for r in sent if r not in casualty)  # the others unchanged
    assert again.diagnostics.unchanged_since is None  # not the stored brief of the default prompts
    assert casualty_rows(again) == casualty_rows(first)

    before_default = len(fake.chat_requests)
    run(fake, tmp_path / "default-again")  # the user's folder held for that run only
    assert not any("HOUSE STYLE 7." in message_text(r) for r in fake.chat_requests[before_default:])


@pytest.mark.parametrize(("name", "text", "error"), [
    ("casualty_user.j2", "{{ sentence }} {{ speaker }}",
     "casualty_user.j2: uses variable 'speaker', which the pipeline does not give this prompt; it gives before, sentence"),
    ("casualty_usr.j2", "{{ sentence }}", "casualty_usr.j2: no pipeline prompt has this name; use one of baseline_system.j2"),
    ("extract_user.j2", "{% for s in sentences %}{{ s }}", "extract_user.j2:1: Unexpected end of template"),
])
def test_a_wrong_prompt_template_is_refused_before_any_request_naming_the_file_and_what_is_wrong(
        name, text, error, fake, answers, tmp_path):
    from summarizer.errors import InputError

    mine = tmp_path / "my-prompts"
    mine.mkdir()
    (mine / name).write_text(text)
    with pytest.raises(InputError) as refused:
        run(fake, tmp_path, prompts=mine)
    assert error in str(refused.value) and str(mine) in str(refused.value)
    assert fake.chat_requests == []


# --------------------------------------------------------------------------- a token budget


def test_a_spent_token_budget_stops_the_run_and_the_next_run_goes_on_from_what_was_answered(
        fake, answers, tmp_path):
    from summarizer.errors import BudgetError

    whole = run(fake, tmp_path / "whole")
    tokens = whole.diagnostics.usage.prompt_tokens + whole.diagnostics.usage.completion_tokens
    asked = len(fake.chat_requests)

    with pytest.raises(BudgetError, match=r"token budget of [\d,]+ is spent .* re-run with a larger --max-tokens-total"):
        run(fake, tmp_path, max_tokens_total=tokens // 3)
    first = len(fake.chat_requests) - asked
    assert 0 < first < asked  # stopped part-way, not before the first call nor after the last

    again = run(fake, tmp_path, max_tokens_total=tokens)  # the stored answers cost nothing
    assert len(fake.chat_requests) - asked - first == asked - first
    assert casualty_rows(again) == casualty_rows(whole)


def test_the_members_of_one_named_group_are_one_party_and_no_other_names_are_merged():
    from summarizer.stages.consolidate.names import canonical_names

    names = canonical_names(["Wagner fighters", "Wagner fighters", "Wagner personnel", "Wagner mercenaries",
                             "fighters from Russia's Wagner Group", "fighters from Russia", "mercenaries",
                             "Russian mercenaries",
                             "Malian soldiers", "Malian militants", "FARC dissidents", "disidentes de las FARC",
                             "civilians", "Egyptian civilians"], specific=True)
    assert {names[n] for n in ("wagner fighters", "wagner personnel", "wagner mercenaries",
                                "fighters from russia's wagner group")} == {"Wagner fighters"}
    assert names["fighters from russia"] == "fighters from Russia"  # a country's fighters are not the group's
    assert names["mercenaries"] == "mercenaries"  # Wagner's or Russian ones: not guessed
    assert names["russian mercenaries"] == "Russian mercenaries"
    assert names["malian soldiers"] != names["malian militants"]  # a nationality is no group's name
    assert names["farc dissidents"] == names["disidentes de las farc"]
    assert names["civilians"] != names["egyptian civilians"]


def test_the_embedded_model_is_asked_neither_for_claims_nor_the_open_claim_pair_check(tmp_path):
    """The embedded model answered the claims call with a window's first ten sentences in 30 of 33
    calls, and wrote the prompt's example question in 40 of 40 open checks on the dev set: for it,
    code picks the claims (each report's first ten sentences, their kinds by their words) and its
    disputes are those code proposes. A model at an endpoint is still asked both, and its scripted
    cause dispute (the helicopter) is in the brief."""
    at_endpoint, embedded = FakeModel(), FakeModel()
    remote = summarize(SAMPLES, base_url=at_endpoint.base_url, model="scripted", store=tmp_path / "a.db",
                       chat_model=at_endpoint)
    local = summarize(SAMPLES, store=tmp_path / "b.db", chat_model=embedded)

    assert local.diagnostics.model.startswith("embedded:")
    assert "DisagreementCheck" in {r.response_model.__name__ for r in at_endpoint.requests}
    assert "DisagreementCheck" not in {r.response_model.__name__ for r in embedded.requests}
    assert {"ClaimsResponse", "DisagreementCheck"} <= {r.response_model.__name__ for r in at_endpoint.requests}
    assert "ClaimsResponse" not in {r.response_model.__name__ for r in embedded.requests}
    first_ten = {(s.id, n.n) for s in local.sources for n in s.sentences[:10]}
    cited = {(c.source_id, n) for claim in local.claims for c in claim.citations for n in c.sentences}
    assert cited and cited <= first_ten
    assert len(local.claims) > len(remote.claims) / 2
    crash = next(c for c in local.claims if "causing it to crash" in c.statement)
    assert crash.kind == "cause" and crash.claimant == "CSP-PSD"
    assert any(d.kind == "cause" for d in remote.disputes)
    assert not any(d.kind == "cause" for d in local.disputes)


def test_the_embedded_models_summary_is_the_sentences_of_the_claims_it_picks(tmp_path):
    """The embedded model picks the claims whose sentences are the summary, as the reports write
    them; it writes only the title and the type. A number it picks that the prompt does not list
    is left out, and a pick made twice is one sentence."""
    answers = SampleAnswers()

    def answer(name: str, body: dict) -> dict:
        if name == "SummaryChoice":
            listed = [int(n) for n in re.findall(r"^(\d+)\. \(", message_text(body), re.M)]
            return {"title": "Fighting in the north", "incident_type": "battle",
                    "summary": [listed[2], 999, listed[0], listed[2]], "places": ["Tinzaouatene", "Atlantis"]}
        return answers.answer(name, body)

    embedded = FakeModel(answer)
    brief = summarize(SAMPLES, store=tmp_path / "runs.db", chat_model=embedded)

    asked = {r.response_model.__name__ for r in embedded.requests}
    assert "SummaryChoice" in asked and "ConsolidationResponse" not in asked
    assert brief.title == "Fighting in the north"
    claim_texts = {c.statement for c in brief.claims}
    sentences = {s.text for source in brief.sources for s in source.sentences}
    assert len(brief.summary) >= 2
    assert all(s.text in sentences or s.text in claim_texts for s in brief.summary)  # as written, not rewritten
    assert len({s.text for s in brief.summary}) == len(brief.summary)
    assert [p.name for p in brief.where] == ["Tinzaouatene"]  # a place no report writes is not one


def test_the_embedded_model_writes_the_summary_of_reports_in_another_language_than_the_briefs(tmp_path):
    """Sentences in English are no summary of a French brief: there the embedded model writes it."""
    embedded = FakeModel()
    summarize(SAMPLES, store=tmp_path / "runs.db", chat_model=embedded, language="fr", translate=False)
    asked = {r.response_model.__name__ for r in embedded.requests}
    assert "ConsolidationResponse" in asked and "SummaryChoice" not in asked


def test_every_claimant_shown_is_its_actors_name_not_another_name_of_it(fake, answers, tmp_path):
    from summarizer.stages.consolidate.names import name_key

    brief = run(fake, tmp_path)

    # the claims re-read in their reports (stages/attribute.py) too: "the separatist coalition" is CSP-PSD's
    actor_of = {name_key(alias): actor.name for actor in brief.actors for alias in actor.aliases}
    shown = ([c.claimant for c in brief.claims] + [c.claimant for c in brief.casualties]
             + [p.claimant for d in brief.disputes for p in d.positions])
    assert actor_of[name_key("the separatist coalition")] == "CSP-PSD"
    # one group's members are shown by the name most of its names are: not "fighters from Russia's Wagner Group"
    assert actor_of[name_key("fighters from Russia's Wagner Group")] == "Wagner fighters"
    assert [c for c in shown if actor_of.get(name_key(c), c) != c] == []
