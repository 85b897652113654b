"""Who asserts a claim, read in its report: the speaker a sentence names in the wider shapes, and
the one a pronoun, "the statement" or a standalone quotation stands for (attribution.claim_speaker)."""

from __future__ import annotations

import pytest

from summarizer.text.attribution import claim_speaker, named_speaker, wide_speaker


def _report(*sentences: str) -> dict[int, str]:
    return {n: text for n, text in enumerate(sentences, start=1)}


@pytest.mark.parametrize(("sentence", "speaker"), [
    # after a closing quote, the speaker then the verb
    ("\"We are digging with our hands,\" a rescue worker said in footage broadcast on Monday.", "a rescue worker"),
    # a French compound past closing the sentence, the clause before it no apposition of a speaker
    ("Deux autres membres du groupe, blessés, ont été faits prisonniers par les soldats, a précisé le ministère.",
     "le ministère"),
    # two openings before the speaker
    ("Le 3 mai, un lundi, le Collectif des familles a au contraire désigné le préfet comme responsable.",
     "le Collectif des familles"),
    # more verbs of saying
    ("Residents say that they were told to stay indoors.", "Residents"),
    ("In a paper published in 2021, the engineer Nadia Haddad argued that the dam could fail.",
     "the engineer Nadia Haddad"),
    ("La Mission des Nations unies au Tchad (MINUTO) a condamné l'attaque et évoqué une trentaine de morts.",
     "La Mission des Nations unies au Tchad (MINUTO)"),
    ("Joints par téléphone, des cadres du parti ont dit avoir appris la nouvelle avec surprise.",
     "des cadres du parti"),
    ("La cartera también le atribuye el ataque contra un convoy en 2020.", None),  # "la cartera": one named before
    # "X did this and said ...", a possessive speaker named by its apposition
    ("Omar Saleh, the region's health minister, returned from the city and said 300 bodies had been found.",
     "Omar Saleh"),
    ("Its spokesman, Captain Idris Kone, gave a news agency a count of 1,200 deaths.", "Captain Idris Kone"),
    ("Before that, the toll used by health officials for the city was 900.", "health officials"),
    ("That was how Alvarez described the situation to reporters in the capital.", "Alvarez"),
    ("A plane crash was reported too, with the rebels claiming to have shot it down, while the army denied it.",
     "the rebels"),
])
def test_the_wider_reading_names_the_speaker_as_written(sentence, speaker):
    assert wide_speaker(sentence) == speaker


@pytest.mark.parametrize("sentence", [
    # "rappelé" with an object is no verb of saying
    "La direction de l'hôpital avait rappelé d'urgence tout son personnel dès le matin.",
    # an adverb after "a" is no speaker
    "Le Front national de libération (FNL), branche armée du parti, a rapidement revendiqué l'assaut.",
])
def test_look_alikes_of_saying_name_no_speaker(sentence):
    assert wide_speaker(sentence) is None


@pytest.mark.parametrize(("sentence", "speaker"), [
    ("Deux soldats, blessés, ont été évacués, a indiqué l'armée.", None),
    ("Un soldat, blessé, a été évacué, a indiqué l'armée.", None),
    ("Trois autres membres du groupe, blessés, ont été faits prisonniers par les soldats, a précisé le ministère.", None),
    ("Dos soldados, heridos, fueron trasladados a Bogotá, dijo el Ejército.", "el Ejército"),
    ("Three villagers, wounded, were taken to hospital, the mayor said.", "the mayor"),
    ("The group, called the Permanent Strategic Framework, or CSP for short, said it had killed seven.",
     "the Permanent Strategic Framework"),
    ("Le ministre, Mahamadou Sana, a déclaré que 12 personnes sont mortes.", "Le ministre"),
])
def test_the_people_a_sentence_opens_on_are_not_its_speaker_where_a_verb_follows_their_apposition(sentence, speaker):
    assert named_speaker(sentence) == speaker


def test_the_extraction_reading_is_unchanged():
    """Consolidation's stored requests carry the claimants extraction reads: its reading stays narrow."""
    assert named_speaker("Residents say that they were told to stay indoors.") is None
    assert named_speaker("\"We are digging with our hands,\" a rescue worker said.") is None


@pytest.mark.parametrize(("sentences", "by", "claimant"), [
    # a pronoun: the speaker named just before, not the one the model took from further back
    (_report("\"We need help,\" Okafor said.",
             "Maria Lindqvist, the regional governor, spoke after visiting the camp: \"It is a disaster.\"",
             "By Monday, he said, more than 300 bodies had been recovered."), "Okafor", "Maria Lindqvist"),
    (_report("Selon le chercheur Paul Diallo, une vidéo attribuée aux assaillants montre des dizaines de corps.",
             "Il dit ne pas pouvoir confirmer le chiffre de 300 morts."), "reporter", "le chercheur Paul Diallo"),
    (_report("Le Premier ministre, Jean Kaboré, s'est contenté de parler d'un « drame » sans avancer de chiffre.",
             "Il a aussi laissé entendre que les consignes n'avaient pas été suivies."), "reporter", "Le Premier ministre"),
    (_report("The town's mayor, Karim Belhaj, has gone further.",
             "In an interview on Wednesday, he put the likely final toll at 9,000 to 10,000."), "reporter", "Karim Belhaj"),
    # "Selon lui" after a speaker named in a verbless-pronoun chain: "cet élu" is the official before
    (_report("Un élu local, joint par téléphone, affirme que le chef du village figure parmi les victimes.",
             "« Ils ont tout brûlé », a raconté cet élu, qui a demandé à ne pas être nommé.",
             "Selon lui, plus de 200 cases sont parties en fumée."), "reporter", "Un élu local"),
    # a document: its author where a sentence before speaks of it
    (_report("A student said he wanted answers.", "Others read out a statement on behalf of a group of families.",
             "\"Those who neglected the dam must stand trial,\" the statement read."), "the statement", "a group of families"),
    (_report("Initial reports said ten were killed.",
             "In a statement answering the senator, the army command said the operation respected the law.",
             "\"The operation left twelve dead,\" the statement read.",
             "It added that three people were detained."), "reporter", "the army command"),
    # a quotation alone: the speaker of the sentence just before
    (_report("Ana Ruiz, a journalist and former councillor, said families had told her that 12 minors died.",
             "\"For months children have been vanishing from these villages.\""), "senator", "Ana Ruiz"),
    # a one-word speaker as the sentence before names it in full
    (_report("El Instituto Nacional de Medicina Forense informó que identificó ocho cuerpos.",
             "Entre los identificados hay una adolescente de 16 años, según el comunicado del instituto."),
     "instituto", "El Instituto Nacional de Medicina Forense"),
    (_report("Tres guerrilleros murieron, según el Ministerio del Interior.",
             "Otros dos fueron capturados, informó la cartera en un comunicado."), "reporter", "el Ministerio del Interior"),
    # "elle" after "Selon X, la jeune fille ...": the girl, not the army
    (_report("Selon l'armée, la jeune fille s'est rendue à une patrouille.",
             "Elle a raconté avoir survécu trois semaines dans la forêt."), "Guaviare", "la jeune fille"),
    # a quotation whose speaker no sentence before names: not the one it speaks of
    (_report("Ocho cuerpos fueron identificados.", "«Al gobernador se le olvidó que eran niños.»"), "gobernador",
     "reporter"),
    # nobody named speaks: the reporter's, whoever the model named
    (_report("The army announced it had retaken the town.",
             "Reports indicate that the rebels lost control of several districts in 2023."), "Malian army", "reporter"),
])
def test_a_claim_takes_the_speaker_its_report_names(sentences, by, claimant):
    assert claim_speaker(by, len(sentences), sentences)[0] == claimant


def test_a_quotation_named_by_the_next_sentence_cites_it():
    sentences = _report("La milice, dissoute dimanche, nie toute implication.",
                        "« Ce n'est pas l'État qui a fondé notre mouvement. »",
                        "C'est en ces termes que Moussa Diarra, chef d'état-major de la milice, a répondu au gouvernement.")
    assert claim_speaker("reporter", 2, sentences) == ("Moussa Diarra", [2, 3])


@pytest.mark.parametrize(("sentences", "by"), [
    # "elle" is the delegation of its own sentence, not the minister before it
    (_report("Le ministre de la Sécurité, Ali Traoré, a dénoncé une attaque barbare.",
             "Une délégation conduite par le porte-parole du gouvernement s'est rendue à Kaya, où elle a dénoncé l'attaque."),
     "Gouvernement"),
    # a document with no sentence before speaking of it: left as it was
    (_report("L'Union européenne a, pour sa part, dénoncé le massacre.",
             "À Bamako, le gouvernement a tenu un Conseil des ministres extraordinaire.",
             "« L'association est dissoute », a indiqué le communiqué lu à l'issue de la réunion."), "reporter"),
    # a sentence that names no one but reports what was seen: the model's claimant stays
    (_report("The ministry said 40 soldiers were killed.", "Another 12 were wounded, the ministry's count showed."),
     "The ministry"),
])
def test_no_speaker_is_taken_from_before_where_the_sentence_does_not_point_there(sentences, by):
    assert claim_speaker(by, len(sentences), sentences)[0] == by


def test_the_brief_takes_the_claimants_read_again_in_its_dispute_positions_too():
    from pathlib import Path

    from summarizer.schema import Article, Citation, Claim, Dispute, IncidentBrief, Position, SegmentedArticle, Sentence
    from summarizer.stages.attribute import attributed

    texts = ["Selon le chercheur Paul Diallo, une vidéo montre au moins cent corps.",
             "Il dit ne pas pouvoir confirmer le chiffre de 300 morts.",
             "L'armée parle de 50 morts."]
    body, sentences = "", []
    for n, text in enumerate(texts, start=1):
        sentences.append(Sentence(n=n, start=len(body), end=len(body) + len(text), text=text))
        body += text + " "
    article = SegmentedArticle(article=Article(id="a1", text=body), sentences=sentences)
    perfect = Path(__file__).parent / "fixtures" / "briefs" / "tinzaouatene_perfect.json"
    brief = IncidentBrief.model_validate_json(perfect.read_text(encoding="utf-8"))
    cite = [Citation(source_id="a1", sentences=(2,))]
    army = [Citation(source_id="a1", sentences=(3,))]
    brief = brief.model_copy(update={
        "claims": [Claim(id="C1", kind="casualty", statement=texts[1], claimant="reporter", status="disputed",
                         citations=cite, independent_sources=1)],
        "disputes": [Dispute(question="How many died?", positions=[
            Position(claimant="reporter", statement=texts[1], citations=cite),
            Position(claimant="L'armée", statement=texts[2], citations=army)])],
    })

    result = attributed(brief, [article])

    assert [c.claimant for c in result.claims] == ["le chercheur Paul Diallo"]
    assert [p.claimant for p in result.disputes[0].positions] == ["le chercheur Paul Diallo", "L'armée"]


@pytest.mark.parametrize(("sentence", "speaker"), [
    # a speaker whose name ends in its acronym, with an apposition before the verb
    ("Le Collectif des éleveurs du Sahel (CES), fondé lundi par des familles, affirme que 40 bergers ont été tués.",
     "Le Collectif des éleveurs du Sahel (CES)"),
    # verbs of saying after a closing quote: "a écrit", "a résumé"
    ("« Ceux que nous avons frappés étaient des combattants », a écrit le mouvement armé.", "le mouvement armé"),
    ("« Onze membres du groupe ont été mis hors de combat », a résumé le ministre de l'Intérieur devant la presse.",
     "le ministre de l'Intérieur"),
    # a role noun before the name, and more English verbs of saying
    ("After two days of fighting, spokesperson Amina Diallo revealed on Sunday that the convoy had been destroyed.",
     "spokesperson Amina Diallo"),
    ("A 2019 report by the national audit office found that the levee had not been repaired.", "the national audit office"),
    ("In a statement on Monday, the river brigade has declared victory over the militia.", "the river brigade"),
    # a statement issued is the issuer's word
    ("The police issued a statement on Monday saying four men had been arrested.", "The police"),
    ("El Ejército emitió un comunicado en el que informó de diez muertos.", "El Ejército"),
    ("Le Front de libération (FDL) a diffusé jeudi un nouveau communiqué dans lequel il affirme avoir tué 30 soldats.",
     "Le Front de libération (FDL)"),
    # a speaker set between commas inside the sentence
    ("La cifra, dijo el ministro, es provisional.", "el ministro"),
    # a pronoun and "aussi" between the auxiliary and the verb: the speaker is the subject before them
    ("L'Union africaine a elle aussi dénoncé, mercredi, le meurtre de centaines de civils.", "L'Union africaine"),
    ("Le préfet a lui aussi affirmé que douze soldats étaient morts.", "Le préfet"),
])
def test_the_extraction_reading_names_more_shapes_of_saying(sentence, speaker):
    assert named_speaker(sentence) == speaker


def test_declaring_an_emergency_is_an_act_not_a_claim():
    assert named_speaker("On Saturday, the eastern authorities had declared a state of emergency in the city.") is None


def test_a_document_named_between_commas_is_the_author_named_just_before():
    report = _report(
        "Le Collectif des éleveurs du Sahel (CES), fondé lundi, affirme dans une déclaration qu'au moins 40 bergers ont été tués.",
        "Ce décompte, précise le texte, comprend les bergers morts à l'hôpital.")
    assert claim_speaker("reporter", 2, report) == ("Le Collectif des éleveurs du Sahel (CES)", [2])


def test_a_pronoun_closing_the_sentence_is_the_speaker_named_before():
    sentences = {1: "The Malian army said in statements that two soldiers had been killed.",
                 2: "One of its helicopters crashed on a routine mission, but no one was killed, it said."}
    assert claim_speaker(None, 2, sentences)[0] == "The Malian army"


def test_names_opening_on_an_article_are_not_one_voice_by_it():
    from summarizer.stages.consolidate.rebuttals import _same_voice

    assert not _same_voice("The CSP-PSD", "The Malian army") and not _same_voice("Les rebelles", "Les FAMa")
    assert _same_voice("Mali", "Mali's military junta") and _same_voice("the Red Crescent", "a Red Crescent officer")


@pytest.mark.parametrize(("sentence", "named", "wide"), [
    ("On Monday, its spokesman, Tarek al-Kharraz, said 12 died.", "its spokesman", "Tarek al-Kharraz"),
    ("Lors d'une conférence de presse, son président, Abdoul Aziz Diallo, a affirmé que 174 Peuls avaient été tués.",
     "son président", "Abdoul Aziz Diallo"),
    ("El lunes, su portavoz, Juan Pérez, dijo que murieron 12.", "su portavoz", "Juan Pérez"),
])
def test_a_possessive_speaker_after_an_opening_phrase_is_the_speaker_not_the_phrase(sentence, named, wide):
    assert named_speaker(sentence) == named and wide_speaker(sentence) == wide
