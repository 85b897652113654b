"""Code's reading of who speaks in a sentence, which overrides a small model's claimant."""

from __future__ import annotations

import pytest

from summarizer.stages.consolidate.casualties import figure_disputes
from summarizer.text.attribution import claim_claimant, claimant_problem, named_speaker, sentence_claimant, traced_claimant
from summarizer.text.metrics import figure_candidates, metric_of, metric_read
from summarizer.text.numbers import figure_spots, numbers_in
from summarizer.text.parties import (
    names_the_metric, party_among, party_beside_figure, party_is_a_participle, party_read_beside,
    party_with_complement,
)
from summarizer.schema import CasualtyClaim, Citation


@pytest.mark.parametrize(("sentence", "speaker"), [
    ("Mali’s army and its Russian allies suffered heavy losses on Saturday, according to a spokesman for the rebels.",
     "a spokesman for the rebels"),
    ("A local politician confirmed that the Malian army has retreated from the area.", "A local politician"),
    ("Late on Tuesday, the Malian army said that it had launched an attack.", "the Malian army"),
    ("Mali's military junta has characterized the Russian presence as that of trainers.", "Mali's military junta"),
    ("According to the statement released by the separatist coalition, seven rebels were killed.",
     "the separatist coalition"),  # a statement speaks for whoever released it
    ("Two soldiers were killed and ten wounded, the army said on Tuesday.", "the army"),
    ("“We found no one alive,” said a rescue worker in the old town.", "a rescue worker"),
    # French and Spanish, in the shapes their press uses
    ("Le bilan officiel atteint désormais cent soixante morts, selon les autorités maliennes.", "les autorités maliennes"),
    ("Le chef de l'État a déclaré que l'armée ne pouvait plus baisser la garde.", "Le chef de l'État"),
    ("« Voir dans un mineur une machine de guerre, c'est tourner le dos à la Constitution », a dénoncé Olga Silva, "
     "présidente de l'organisation.", "Olga Silva"),
    ("Diez disidentes murieron este martes en un bombardeo, según el Ministerio de Defensa.", "el Ministerio de Defensa"),
    ("«No vamos a darles respiro», dijo el ministro, que describió a Duarte como un símbolo del mal.", "el ministro"),
    ("En una entrevista publicada el fin de semana, el ministro sostuvo que el bombardeo fue legítimo según el derecho "
     "internacional humanitario.", "el ministro"),
    ("L'Union européenne a, pour sa part, dénoncé le massacre de plus de 130 personnes.", "L'Union européenne"),
    # an apposition or relative clause between the speaker and the verb
    ("Le ministre de la Sécurité, Mahamadou Sana, a déclaré que le gouvernement allait riposter.",
     "Le ministre de la Sécurité"),
    ("Le JNIM, qui a revendiqué l'opération, dit avoir tué près de trois cents « miliciens ».", "Le JNIM"),
    ("Des proches des victimes, interrogés par une agence, parlent pour leur part d'au moins quatre cents morts.",
     "Des proches des victimes"),
    ("The army, which lost two men, said it repelled the attack.", "The army"),
    ("Au moins 140 blessés ont été acheminés vers l'hôpital, a-t-on appris de source médicale.", "source médicale"),
    ("Les Nations unies avaient d'abord retenu le chiffre d'au moins 200 morts.", "Les Nations unies"),
    ("Vinte pessoas morreram nas cheias, segundo a proteção civil.", "a proteção civil"),  # Portuguese
    ("Segundo a polícia, cinco pessoas morreram.", "a polícia"),
    ("Pelo menos 25 mortos, de acordo com o governo.", "o governo"),
    ("The CSP-PSD also said it damaged a helicopter.", "The CSP-PSD"),
    ("In response to allegations, Mali denies that the Russian forces are Wagner mercenaries.", "Mali"),
    ("« Nous n'avions aucune chance », a témoigné un rescapé réfugié dans ce camp.", "un rescapé réfugié"),
    # Whose toll it is: a possessive only as the subject.
    ("Le bilan officiel des forces armées s'établit à quinze morts.", "forces armées"),
    ("El balance provisional del Ejército asciende a doce muertos.", "Ejército"),
    ("The army's toll stood at 12 dead on Monday.", "The army"),
])
def test_a_plainly_named_speaker_is_read_as_written(sentence, speaker):
    assert named_speaker(sentence) == speaker


@pytest.mark.parametrize("sentence", [
    "It said two soldiers were killed.",  # a pronoun: who "it" is lies in the sentences before
    "Three fighters were killed, the statement said.",
    "According to media reports, the convoy was ambushed.",
    "The helicopter crashed near Kidal on Friday.",  # nobody speaks
    "Moscow has not confirmed the deaths.",  # a negation, not an attribution
    "Le Mali vivant selon lui une situation de guerre, l'armée reste mobilisée.",  # a pronoun
    "Elle aurait expliqué aux enquêteurs qu'elle appartenait au groupe.",
    "Son témoignage confirme que des mineurs se trouvaient dans le camp.",  # a testimony, not who gave it
    "Many of them said afterwards that the city had been neglected.",
    "Hasty burials, the agency said, caused lasting distress.",  # which agency lies in the sentences before
    "Cinco pessoas morreram no segundo ataque ao posto.",  # "segundo" here is "second"
    "The village, which lies 20 km away, was attacked on Sunday.",  # an apposition, but no one speaks
    "Soldiers, police and civilians said they fled.",  # a list, not an apposition: left to the model
    "Le bilan des victimes s'établit à quinze morts.",  # the victims' toll is nobody's word
    "The toll of the attack rose to 15.",
    "Figures run from the agency's 300 deaths to the army's count of 250.",  # a list of figures
])
def test_no_speaker_where_the_sentence_does_not_name_one(sentence):
    assert named_speaker(sentence) is None


def test_the_sentences_speaker_overrides_the_models_subject_but_keeps_its_shorter_same_name():
    sentence = "Mali’s army suffered heavy losses, according to a spokesman for the rebels."
    assert sentence_claimant("Mali's army", sentence) == "a spokesman for the rebels"
    assert sentence_claimant("reporter", "Late on Tuesday, the Malian army said that it attacked.") == "the Malian army"
    assert sentence_claimant("Malian army", "The Malian army confirmed that two soldiers were killed.") == "Malian army"
    assert sentence_claimant("CSP", "The helicopter crashed near Kidal.") == "CSP"


def test_a_casualty_row_whose_party_is_its_claimant_is_dropped_and_counted():
    from summarizer.stages.verify import keep_grounded

    sentences = {1: "The Libyan National Army said more than 2,000 people were killed and 6,000 were missing."}
    raw = {"casualties": [
        {"ids": [1], "by": "Libyan National Army", "party": "army", "metric": "killed", "figure": "more than 2,000"},
        {"ids": [1], "by": "Libyan National Army", "party": "people", "metric": "missing", "figure": "6,000"},
    ]}

    kept, dropped = keep_grounded(raw, sentences, "s1")

    assert [(c.party, c.figure) for c in kept.casualties] == [("people", "6,000")]
    assert dropped[0].reason == ("casualties[1] party 'army' is its claimant 'Libyan National Army': "
                                 "whose losses it counts is not said")


@pytest.mark.parametrize(("figure", "metric", "sentence", "read"), [
    ("12", "killed", "Seven rebels were killed and 12 wounded, the coalition said.", "wounded"),  # the word after it
    ("12", "missing", "Seven rebels were killed and 12 wounded, the coalition said.", "wounded"),
    ("157", "killed or captured", "La MINUSMA a compté au moins 157 personnes tuées.", "killed"),
    ("30", "killed", "Une trentaine de blessés ont été évacués vers Sévaré.", "wounded"),
    ("siete", "wounded", "Siete menores murieron en el bombardeo.", "killed"),
    ("400", "killed", "Plus de 400 cases sont parties en fumée.", None),  # counts houses, not people
    # a part of another figure has no metric of its own
    ("ocho", "killed", "El Instituto informó que ya identificó ocho de los diez cuerpos que recibió.", None),
    ("three", "killed", "Three of the 20 dead were children.", None),
    # the toll the figure closes, and the rest of its clause, in four languages
    ("2,150", "killed or captured", "The regional council put the death toll at 2,150 on Friday.", "killed"),
    ("900", "missing", "An official said the dead had passed 900 and that about 4,000 people were missing.", "killed"),
    ("4,000", "killed", "An official said the dead had passed 900 and that about 4,000 people were missing.", "missing"),
    ("120", "killed", "El balance oficial era de 300 muertos, con 120 personas aún desaparecidas.", "missing"),
    ("2 400", "killed", "Le nombre de disparus s'élève à 2 400, selon la préfecture.", "missing"),
    ("12", "killed", "Gunmen killed 12 people and wounded thirty others.", "killed"),
    ("tres", "captured", "Otros tres disidentes quedaron heridos y fueron capturados por las tropas.", "captured"),
    ("au moins 80", "killed or captured", "Selon la mission, au moins 80 villageois ont perdu la vie.", "killed"),
    ("unos 40", "wounded", "Unos 40 mineros perdieron la vida en el derrumbe.", "killed"),
    ("cerca de 30", "captured", "Cerca de 30 pessoas perderam a vida na enchente.", "killed"),
    # the model's metric, where the sentence says it of no other figure
    ("au moins six", "killed", "Au moins six élèves étaient dans l'école : deux y sont morts, trois ont été blessés.",
     None),
    ("deux", "killed", "Au moins six élèves étaient dans l'école : deux y sont morts, trois ont été blessés.", "killed"),
    ("4,100", "missing", "The missing are as uncertain: over 3,000 according to the city, 4,100 according to the "
     "police.", "missing"),
    ("1,200", "killed", "When two dams upstream gave way, the flood killed more than 1,200 people.", "killed"),
    ("5,000 to 6,000", "missing", "He put the dead at over 2,000 and the missing at between 5,000 and 6,000.", "missing"),
    # some of a toll named just before: the toll's metric
    ("dizaines", "wounded", "HRW dit avoir confirmé au moins 133 morts, dont des dizaines d'enfants, et 200 blessés.", "killed"),
    ("dozens", "missing", "The mission counted 200 dead, including dozens of children.", "killed"),
    ("decenas", "captured", "Hubo 30 heridos, entre ellos decenas de niños.", "wounded"),
    # the massacre, the murder of N: killed
    ("plus de 130", "wounded", "L'Union africaine a dénoncé le massacre de plus de 130 personnes.", "killed"),
    ("centaines", "missing", "Le texte dénonce le meurtre de centaines de civils.", "killed"),
    ("40", "captured", "The council condemned the massacre of 40 villagers.", "killed"),
    # put out of action: killed or captured, whatever the model says
    ("trece", "killed", "«Dejamos fuera de combate a trece integrantes de la estructura», dijo el ministro.",
     "killed or captured"),
    ("Treize", "killed", "« Treize membres de la structure ont été mis hors de combat », a résumé le ministre.",
     "killed or captured"),
    ("40", "captured", "The army said it had put 40 militants out of action.", "killed or captured"),
    ("12", "killed", "Security forces neutralised 12 attackers, the ministry said.", "killed or captured"),
])
def test_a_rows_metric_is_the_one_the_sentence_gives_its_figure(figure, metric, sentence, read):
    assert metric_of(figure, metric, sentence) == read


@pytest.mark.parametrize(("party", "figure", "sentence", "context", "beside"), [
    ("Wagner fighters", "at least 20", "Bloggers said at least 20 Wagner fighters were killed.", "", True),
    ("rebels", "12", "Seven rebels were killed and 12 wounded, the coalition said.", "", True),
    ("Peuls", "65", "La mission fait aussi état de 65 blessés.", "Au moins 157 Peuls ont perdu la vie.", True),
    ("people", "3,840", "The toll rose to 3,840, the ministry said.", "", True),  # a toll of people in general
    ("villageois", "des dizaines", "Les assaillants avaient tué des dizaines de villageois peuls.", "", True),
    ("association", "174", "L'association Tabital Pulaaku a recensé 174 morts peuls.", "", False),
    ("spokesman", "3,190", "The spokesman, Tarek al-Kharraz, said 3,190 bodies had been buried.", "", False),
    ("Peuls", "des dizaines", "Des dizaines de têtes de bétail ont été abattues ou emportées, selon des éleveurs peuls.",
     "", False),  # it counts cattle
    ("villageois", "des dizaines", "Dans le village, des dizaines de têtes de bétail ont été abattues.", "", False),
    ("secretary general", "11,300", "On Thursday 14 September, the secretary general gave a toll of 11,300 dead.", "",
     False),  # a date's day is no figure before whose party the toll takes
    ("army", "12", "Some 12 members of the army were killed.", "", True),
    ("army", "30", "The army lost 30 soldiers in the ambush.", "", True),
    ("Wagner", "20", "At least 20 Wagner fighters were killed.", "", True),
    # the noun of the count the figure closes ("the number of X who died ... at N")
    ("volunteers", "four", "The society put the number of its volunteers who died in the flood at four, two of them "
     "while rescuing others.", "", True),
    ("volunteers", "two", "The society put the number of its volunteers who died in the flood at four, two of them "
     "while rescuing others.", "", False),
    ("soldats", "12", "Le nombre de soldats tués dans l'embuscade s'élève à 12.", "", True),
    ("policías", "30", "La cifra de policías heridos en los disturbios llegó a 30.", "", True),
    ("children", "four", "Parents reported a dozen children missing and said four of them had died.", "", True),
    ("parents", "four", "Parents reported a dozen children missing and said four of them had died.", "", False),
])
def test_a_rows_party_must_be_named_beside_its_figure(party, figure, sentence, context, beside):
    assert party_beside_figure(party, figure, sentence, context) is beside


@pytest.mark.parametrize(("sentence", "beside"), [
    ("Le ministère a fait état de 3 840 décès enregistrés.", True),
    ("The ministry gave a figure of 3,840 recorded deaths.", True),
    ("Plus de 400 cases et 84 greniers sont partis en fumée.", False),  # it counts huts, not people
    ("Des dizaines de têtes de bétail ont été abattues.", False),
])
def test_a_toll_of_people_in_general_is_refused_where_the_figure_counts_a_thing(sentence, beside):
    figure = "des dizaines" if "dizaines" in sentence else str(numbers_in(sentence)[0])
    assert figure_spots(figure, sentence)
    assert party_beside_figure("people", figure, sentence) is beside


@pytest.mark.parametrize(("figure", "sentence", "party"), [
    ("plus de 400", "Le collectif l'a désigné comme responsable de la mort de plus de 400 habitants.", "habitants"),
    ("près de trois cents", "Le groupe, qui a revendiqué l'opération, dit avoir tué près de trois cents « miliciens ».",
     "miliciens"),
    ("169", "Au centre hospitalier régional, une source médicale a dénombré 169 blessés.", "people"),
    ("jusqu'à 600", "Une évaluation transmise à une chaîne américaine évoque jusqu'à 600 morts.", "people"),
    ("at least 12", "The ministry said at least 12 soldiers were killed.", "soldiers"),
    ("12", "Seven rebels were killed and 12 wounded, the coalition said.", "rebels"),  # the figure before's
    ("diez", "Murieron diez guerrilleros en el bombardeo.", "guerrilleros"),
    ("40", "Some 40 houses burned in the attack that killed two.", None),  # what it counts is not people
    ("3,000", "More than 3,000 were killed.", None),  # no one named: the model's party stands or falls
    # a toll no one's: people, unnamed ("the toll reached 3,840"; "3,840 recorded deaths")
    ("3,840", "The toll reached 3,840 on Friday.", "people"),
    ("3,840", "The spokesman gave a figure of 3,840 recorded deaths.", "people"),
    ("11,300", "The Red Crescent put the death toll at 11,300 on Thursday evening.", "people"),
    ("more than 2,400", "He put the number of missing at more than 2,400.", "people"),
    ("around 6,000", "The ambassador put the number of confirmed dead at around 6,000.", "people"),
    ("160", "Selon le gouverneur, le bilan est de 160 dans la commune.", "people"),
    ("17", "The army put the toll among its soldiers at 17.", None),  # named, not "people"
    ("20", "The toll reached 20 Wagner fighters.", "Wagner fighters"),  # named people, not people in general
    ("dozens", "There were losses among the fighters, with dozens reportedly killed.", None),
    # members, of what the sentence names right after a preposition
    ("Diez", "Diez integrantes de la disidencia de las Farc murieron este martes.", "integrantes de la disidencia de las Farc"),
    ("20", "Vingt membres du Front de libération du Macina ont été tués.", "membres du Front de libération du Macina"),
    ("12", "Twelve members of the group Ahmed led were killed.", None),
    ("Trois", "Trois autres membres du groupe, blessés, ont été faits prisonniers.", None),
    # a word that begins with "de", "do" or "of" is read whole, not as the preposition and the rest
    ("11,300", "The agency gave a toll of 11,300 dead in the city.", "people"),
    ("20", "At least 20 officers were killed in the raid.", "officers"),
    ("diez", "Murieron diez desplazados en el ataque al caserío.", "desplazados"),
    # whose bodies: the people named after "bodies of", unless they are anyone
    ("87", "The army had returned 87 bodies of Egyptian civilians to their home provinces.", "Egyptian civilians"),
    ("30", "On a retrouvé 30 corps de soldats maliens près du camp.", "soldats"),
    ("12", "Divers found 12 bodies of the dead in the river.", "people"),
    # "N of them": whom the figure before counts
    ("four", "Parents reported a dozen children missing and said four of them had died.", "children"),
    ("deux", "Au moins cinq mineurs étaient dans le camp ; deux d'entre eux sont morts.", "mineurs"),
    ("dos", "Llegaron siete heridos al hospital y dos de ellos murieron.", None),  # "heridos": no people noun
])
def test_code_reads_the_party_a_sentence_writes_right_after_its_figure(figure, sentence, party):
    assert party_read_beside(figure, sentence) == party


@pytest.mark.parametrize(("figure", "sentence", "metric"), [
    ("plus de 400", "Il est tenu pour responsable de la mort de plus de 400 habitants.", "killed"),
    ("12", "Officials mourned the deaths of 12 soldiers.", "killed"),
    ("Trois", "Trois jours après la tuerie, les estimations du nombre de victimes continuent de grimper.", None),
])
def test_a_casualty_noun_whose_complement_is_the_figure_gives_its_metric(figure, sentence, metric):
    assert metric_of(figure, "killed or captured", sentence) == metric


@pytest.mark.parametrize(("sentence", "speaker"), [
    ("A local official and a former aid worker claimed that the army had withdrawn with at least 15 fighters killed.",
     "A local official and a former aid worker"),  # a speaker of two people, nine words
    ("Claims of dozens of fighters killed have been widely reported by both separatists and military bloggers.",
     "separatists and military bloggers"),  # a passive: the agent asserts it
    ("El ataque fue reivindicado por el Frente Sur, que habló de doce soldados muertos.", "el Frente Sur"),
])
def test_a_long_or_passive_attribution_is_read_as_written(sentence, speaker):
    assert named_speaker(sentence) == speaker


@pytest.mark.parametrize(("figure", "metric", "sentence", "read"), [
    # the model's "wounded" came from the sentence's other figure; "the loss of" counts the dead
    ("two", "wounded", "The military has acknowledged the loss of two soldiers and reported ten others injured.", "killed"),
    ("deux", "wounded", "L'armée a reconnu la perte de deux soldats et fait état de dix blessés.", "killed"),
    ("ten", "wounded", "The military has acknowledged the loss of two soldiers and reported ten others injured.", "wounded"),
    ("5", "killed", "Police announced the arrest of no fewer than 5 suspects after the killings.", "captured"),
])
def test_a_casualty_noun_before_the_figure_decides_over_the_sentences_other_words(figure, metric, sentence, read):
    assert metric_of(figure, metric, sentence) == read


@pytest.mark.parametrize(("party", "figure", "sentence", "qualified"), [
    ("fighters", "15", "The army withdrew with at least 15 fighters from Russia's Wagner Group either killed or arrested.",
     "fighters from Russia's Wagner Group"),
    ("guerrilleros", "doce", "Murieron doce guerrilleros de las FARC en el bombardeo.", "guerrilleros de las FARC"),
    ("soldiers", "two", "Two soldiers of the army died.", "soldiers"),  # "the army" names no one: the bare noun stays
    ("civilians", "20", "20 civilians from Kidal were killed.", "civilians"),  # people in general need no owner
    ("Wagner fighters", "20", "20 Wagner fighters from Russia were killed.", "Wagner fighters"),  # already qualified
])
def test_a_bare_party_noun_takes_the_owner_the_sentence_writes_after_it(party, figure, sentence, qualified):
    assert party_with_complement(party, figure, sentence) == qualified


# --------------------------------------------------------------------------- one figure, two metrics; a metric word as party


@pytest.mark.parametrize("figure, sentence", [
    ("several", "The CSP claimed to have killed and wounded several Malians and Russians."),
    ("30", "Les assaillants ont tué et blessé 30 civils."),
    ("more than 40", "Gunmen killed or injured more than 40 villagers."),
])
def test_one_figure_after_two_metric_verbs_counts_each_of_them_and_nothing_else(figure, sentence):
    assert metric_of(figure, "killed", sentence) == "killed"
    assert metric_of(figure, "wounded", sentence) == "wounded"
    assert metric_of(figure, "missing", sentence) is None


def test_killed_or_arrested_before_a_figure_is_killed_or_captured_and_separate_figures_keep_their_own():
    assert metric_of("15", "killed", "They killed or arrested 15 fighters.") == "killed or captured"
    assert metric_of("12", "killed", "Seven rebels were killed, and 12 wounded.") == "wounded"


def test_the_dead_of_a_toll_are_not_the_party_of_its_wounded():
    assert party_read_beside("140", "Il évoque quelque 200 morts et 140 blessés.") == "people"
    assert party_read_beside("200", "Il évoque quelque 200 morts et 140 blessés.") == "people"


def _row(figure, low, claimant, source="a"):
    return CasualtyClaim(party="soldiers", metric="killed", figure=figure, low=low, high=low, claimant=claimant, qualifier="exact" if low is not None else "vague",
                         citations=[Citation(source_id=source, sentences=(1,))])


def test_a_figure_dispute_sets_claimants_against_each_other_not_one_claimant_against_itself():
    assert figure_disputes([_row("five", 5, "army"), _row("15", 15, "army")]) == []
    assert figure_disputes([_row("five", 5, "reporter", "a"), _row("15", 15, "reporter", "a")]) == []

    (dispute,) = figure_disputes([_row("five", 5, "army"), _row("15", 15, "rebels")])
    assert [p.claimant for p in dispute.positions] == ["army", "rebels"]
    (across_reports,) = figure_disputes([_row("five", 5, "reporter", "a"), _row("15", 15, "reporter", "b")])
    assert len(across_reports.positions) == 2
    several = _row("several", None, "rebels")
    assert figure_disputes([several, _row("50", 50, "army")]) == []  # a vague word beside one number
    (with_vague,) = figure_disputes([several, _row("50", 50, "army"), _row("20", 20, "bloggers")])
    assert len(with_vague.positions) == 3


@pytest.mark.parametrize(("sentence", "speaker"), [
    ("In the latest reports, the CSP-PSD asserts that they have confiscated equipment.", "the CSP-PSD"),
    ("The ministry added that ten more bodies were found.", "The ministry"),
    ("The army added two more soldiers to its list.", None),  # "added" with an object says nothing
    ("Plus de 400 cases ont brûlé, ajoute le maire de Bankass.", "le maire de Bankass"),
    ("Diez casas ardieron, asegura el alcalde.", "el alcalde"),
    ("Des organisations de défense des droits humains dénoncent, elles, au moins quatorze morts.",
     "Des organisations de défense des droits humains"),
    ("The rebel group, called the Northern Front, or NF for short, denounced the strikes and claimed 30 dead.",
     "the Northern Front"),  # two appositions, the first naming the speaker
    ("Le groupe armé, appelé Katiba Sud, a revendiqué l'attaque.", "Katiba Sud"),
    ("Les assaillants ont tout pillé, a dénoncé le massacre.", None),  # a participle before its object
])
def test_more_shapes_of_saying_name_their_speaker_and_look_alikes_do_not(sentence, speaker):
    assert named_speaker(sentence) == speaker


@pytest.mark.parametrize(("by", "sentence", "claimant"), [
    ("Malian army", "Mali's military rulers came into power in 2020 and sought Russian help.", "reporter"),
    ("rebels", "Les rebelles contrôlent désormais la ville.", "reporter"),
    ("CSP-PSD", "“This attack demonstrates the chaos of these governments,” the statement read.", "CSP-PSD"),
    ("CSP-PSD", "Selon eux, la base est tombée.", "CSP-PSD"),  # the model traced the pronoun; kept
])
def test_a_claim_with_no_word_of_attribution_is_the_reporters(by, sentence, claimant):
    assert claim_claimant(by, sentence) == claimant


@pytest.mark.parametrize(("party", "figure", "sentence", "metric_word"), [
    ("blessed", "Au moins 140", "Au moins 140 blessés ont été acheminés vers Kaya.", True),  # a model's "English"
    ("blessés", "169", "Une source médicale a dénombré 169 blessés.", True),
    ("dead", "3", "Trois morts et 3 dead were counted.", True),
    ("soldiers", "12", "12 soldiers were wounded.", False),
    ("Peuls", "157", "Au moins 157 Peuls ont été tués.", False),
])
def test_a_party_that_is_the_metric_word_after_its_figure_is_no_party(party, figure, sentence, metric_word):
    assert names_the_metric(party, figure, sentence) is metric_word


def test_a_toll_dated_to_a_month_before_the_incident_is_another_event():
    import datetime as dt

    from summarizer.text.dates import resolve, time_words

    sentence = "The case recalls an August 2019 bombing in Caquetá in which eight minors died."
    when = resolve(time_words(sentence), dt.date(2021, 3, 5))
    assert (when.iso, when.precision) == ("2019-08", "month")
    assert resolve(time_words("En août 2019, 30 civils avaient été tués."), None).iso == "2019-08"


def test_a_dispute_over_a_cause_needs_a_cause_on_each_side():
    """The model calls "the army acknowledged two dead in the crash" a cause opposed to "the rebels
    downed it"; it names no cause, so no dispute is shown. The army's "technical difficulties" is one."""
    from summarizer.stages.consolidate.claims import MergedClaim, claim_stems
    from summarizer.stages.consolidate.disputes import disagreements
    from summarizer.llm.client import Structured
    from summarizer.schema import DisagreementCheck, Usage

    asked = []

    class Says:  # the model seam: every pair "disagrees on the cause"
        def structured(self, response_model, **request):
            asked.append(request)
            value = DisagreementCheck(disagree=True, question="What caused the helicopter crash?", kind="cause")
            return Structured(value=value, raw=None, usage=Usage(), reasks=0, errors=[], seconds=0.0)

    def claim(text, by, source):
        return MergedClaim(kind="cause", text=text, by=by, when=None, citations={source: {1}}, words=claim_stems(text))

    rebels = claim("The rebels said they shot down the army helicopter that crashed near Kidal.", "rebels", "a")
    mention = claim("The army acknowledged two soldiers dead in the helicopter crash near Kidal.", "army", "b")
    cause = claim("The army said the helicopter crashed near Kidal due to technical difficulties.", "army", "c")
    circumstance = claim("Officials said the army helicopter crashed near Kidal during a training flight.", "army", "f")

    others = [claim("Markets reopened in the capital on Monday.", "reporter", "d"),
              claim("The minister travelled abroad for talks.", "reporter", "e")]

    assert disagreements([rebels, mention, *others], {}, Says())[0] == []
    assert any("shot down" in kw["user"] and "acknowledged" in kw["user"] for kw in asked)  # the pair was asked
    for account in (cause, circumstance):
        (dispute,) = disagreements([rebels, account, *others], {}, Says())[0]
        assert [p.claimant for p in dispute.positions] == ["rebels", "army"]


@pytest.mark.parametrize("before, sentence, model, claimant", [
    # "he said": the speaker just before, not one further back whom the model picked.
    (["\"The needs are beyond us,\" Okafor said.", "Maria Lindqvist, the regional governor, spoke after visiting the camp."],
     "By Monday, he said, more than 300 bodies had been recovered.", "Okafor", "Maria Lindqvist"),
    (["Le porte-parole Amadou Traoré a rencontré la presse.", "Selon le gouverneur Ibrahim Keita, la situation est calme."],
     "Au moins 12 civils ont été tués, a-t-il ajouté.", "Amadou Traoré", "le gouverneur Ibrahim Keita"),
    # "informó la cartera": the ministry named just before, not a body that sentence names otherwise.
    (["Un párrafo.", "Ocho guerrilleros murieron en un bombardeo de la Armada, según el Ministerio del Interior."],
     "Otros dos fueron capturados, informó la cartera en un comunicado.", "Armada", "el Ministerio del Interior"),
    (["Un párrafo.", "Ocho guerrilleros murieron en un bombardeo de la Armada, según el Ministerio del Interior."],
     "Otros dos fueron capturados, informó la cartera en un comunicado.", "Cartera", "el Ministerio del Interior"),
    # The model's claimant is in the speaker's apposition: it speaks too, and is kept.
    (["A sentence.", "\"We won,\" said a statement by Amadou Sy, spokesman for the Northern Front (NF), on Sunday."],
     "Seven fighters were killed, the statement said.", "NF", "NF"),
    # A speaker named further back than the model's claimant is not taken over it.
    (["Maria Lindqvist, the governor, spoke on Monday.", "The Red Cross issued an appeal."],
     "By then, it said, 300 people had been found.", "The Red Cross", "The Red Cross"),
    # The model's claimant is that speaker (a shorter form of the name): kept.
    (["A sentence.", "Maria Lindqvist, the regional governor, spoke after visiting the camp."],
     "By Monday, she said, 300 bodies had been recovered.", "Lindqvist", "Lindqvist"),
    # Nobody's voice, after a speaker who said nothing of casualties: the reporter's.
    (["A sentence.", "The prosecutor, Lena Ortiz, opened an inquiry and said officials would be questioned."],
     "Hundreds of people died in the flood and hundreds more are missing.", "The prosecutor", "reporter"),
    # Nobody's voice, after a speaker who spoke of the dead: it goes on with what they said.
    (["A sentence.", "The ministry said on Sunday that 40 soldiers had been killed in the ambush."],
     "Another 12 were wounded.", "The ministry", "The ministry"),
    # The model heard nobody speak, but the sentence or a pronoun names who does.
    (["A sentence.", "A sentence."], "Le bilan officiel des forces armées s'établit à quinze morts.", "reporter",
     "forces armées"),
    (["A sentence.", "Le chercheur Paul Diallo, spécialiste des groupes armés, a déclaré que l'attaque était préparée."],
     "Il dit ne pas pouvoir confirmer le chiffre de 300 morts.", "reporter", "Le chercheur Paul Diallo"),
    (["A sentence.", "« Nous avons fui », a témoigné un rescapé."],
     "D'après lui, des dizaines d'habitants ont péri.", "Un élu local", "un rescapé"),
    # The sentence speaks: its claimant is not traced here.
    (["A sentence.", "The prosecutor opened an inquiry."],
     "\"Hundreds died,\" a rescuer said.", "a rescuer", "a rescuer"),
])
def test_a_figure_claimant_from_the_sentences_before_is_the_one_they_make_it(before, sentence, model, claimant):
    sentences = {1: before[0], 2: before[1], 3: sentence}
    assert traced_claimant(model, 3, sentences) == claimant


@pytest.mark.parametrize(("by", "sentence"), [
    ("WHO", "The WHO said 3,958 people had died."),
])
def test_an_acronym_written_in_capitals_is_a_claimant_not_a_pronoun(by, sentence):
    assert claimant_problem(by, [1], {1: sentence}) is None
    assert claimant_problem(by.lower(), [1], {1: sentence.replace(by, by.lower())}) is not None  # "who", "us"


def test_a_participle_is_no_party_and_code_reads_the_noun_after_an_article():
    assert party_is_a_participle("identified") and party_is_a_participle("recovered")
    assert not party_is_a_participle("displaced") and not party_is_a_participle("minors")
    assert party_read_beside("dos", "Según el periodista, ya son dos las menores identificadas.") == "menores"


@pytest.mark.parametrize(("party", "figure", "sentence", "among"), [
    ("fighters", "dozens", "The army also took losses among the militia fighters and police, with dozens missing.",
     "militia fighters and police"),
    ("soldats", "au moins dix", "Il y a eu des pertes parmi les soldats maliens, avec au moins dix tués.", "soldats maliens"),
    ("civilians", "12", "There were casualties among the soldiers, with 12 killed.", None),  # not the model's word
    ("soldiers", "12", "Among the soldiers, 12 were killed.", None),  # no "losses among ..., with"
])
def test_losses_among_a_party_give_the_figure_that_whole_party(party, figure, sentence, among):
    assert party_among(party, figure, sentence) == among


@pytest.mark.parametrize(("party", "question"), [
    ("minor", "How many minors were killed?"),
    ("child", "How many children were killed?"),
    ("soldiers", "How many soldiers were killed?"),
    ("Wagner personnel", "How many Wagner personnel were killed?"),
])
def test_a_figure_dispute_asks_of_its_party_in_the_plural(party, question):
    rows = [_row("one", 1, "father"), _row("14", 14, "senator")]
    for row in rows:
        row.party = party
    (dispute,) = figure_disputes(rows)
    assert dispute.question == question


@pytest.mark.parametrize("accusation, denial", [
    ("Des témoins accusent la milice des chasseurs d'avoir incendié le village à l'aube.", "Le groupe nie toute implication."),
    ("Varios testigos acusan a la milicia de haber incendiado la aldea al amanecer.", "El grupo niega cualquier participación."),
    ("Testemunhas acusam a milícia de ter incendiado a aldeia de madrugada.", "O grupo nega qualquer envolvimento."),
    ("Witnesses accuse the hunters' militia of burning the village at dawn.", "The group denies any involvement."),
])
def test_a_denial_in_the_next_sentence_is_checked_against_what_it_denies_in_every_language_read(accusation, denial):
    """A denial shares few words with what it denies ("nie toute implication"): the sentence just
    before it in the same report is asked about all the same, in French, Spanish and Portuguese too."""
    from summarizer.stages.consolidate.claims import MergedClaim, claim_stems
    from summarizer.stages.consolidate.disputes import disagreements
    from summarizer.llm.client import Structured
    from summarizer.schema import DisagreementCheck, Usage

    asked = []

    class Agrees:  # the model seam: records what it is asked, finds no dispute
        def structured(self, response_model, **request):
            asked.append(request["user"])
            value = DisagreementCheck(disagree=False, question="none", kind="other")
            return Structured(value=value, raw=None, usage=Usage(), reasks=0, errors=[], seconds=0.0)

    def claim(text, by, n):
        return MergedClaim(kind="allegation", text=text, by=by, when=None, citations={"a": {n}}, words=claim_stems(text))

    others = [MergedClaim(kind="event", text=t, by="reporter", when=None, citations={"b": {n}}, words=claim_stems(t))
              for n, t in enumerate(["Markets reopened in the capital on Monday.", "The minister travelled abroad for talks.",
                                     "Rain fell over the coast for two days."], start=1)]
    disagreements([claim(accusation, "witnesses", 4), claim(denial, "the group", 5), *others], {}, Agrees())
    assert any(accusation in user and denial in user for user in asked)


def test_a_killed_or_captured_toll_is_set_against_the_partys_killed():
    taken = _row("at least 15", 15, "a local official").model_copy(update={"metric": "killed or captured"})
    (dispute,) = figure_disputes([taken, _row("at least 20", 20, "bloggers")])
    assert dispute.question == "How many soldiers were killed?"
    assert [p.statement for p in dispute.positions] == ["at least 15 killed or captured", "at least 20 killed"]
    # a party with no killed row keeps its own question
    other = taken.model_copy(update={"party": "rebels", "low": 30, "high": 30, "figure": "30", "claimant": "army"})
    (alone,) = figure_disputes([taken.model_copy(update={"party": "rebels"}), other])
    assert alone.question == "How many rebels were killed or captured?"


@pytest.mark.parametrize(("sentence", "some", "party"), [
    ("Des ONG dénoncent au moins quatorze morts, dont plusieurs enfants.", "plusieurs", "enfants"),
    ("Il a affirmé que 174 Peuls avaient été tués, dont de nombreux enfants en bas âge.", "de nombreux", "enfants"),
    ("At least 200 people died, including many children, the mayor said.", "many", "children"),
    ("Al menos 30 muertos, entre ellos varios niños, según la Cruz Roja.", "varios", "niños"),
])
def test_a_vague_part_of_a_toll_is_a_figure_of_its_people_killed(sentence, some, party):
    from summarizer.text.parties import party_read_beside

    assert some in [f for f, _, _ in figure_candidates(sentence)]
    assert (metric_read(some, sentence), party_read_beside(some, sentence)) == ("killed", party)


def test_several_and_many_elsewhere_are_no_figure():
    assert [f for f, _, _ in figure_candidates("Several witnesses said many houses and 12 people burned.")] == ["12"]


@pytest.mark.parametrize(("sentence", "some", "metric", "party"), [
    ("Une source sécuritaire a indiqué que plusieurs militaires étaient portés disparus.", "plusieurs", "missing",
     "militaires"),
    ("Several Malian soldiers were killed, the army said.", "Several", "killed", "Malian soldiers"),
    ("La mort de plusieurs soldats a été confirmée par l'armée.", "plusieurs", "killed", "soldats"),
    ("Según el Ejército, varios guerrilleros fueron capturados.", "varios", "captured", "guerrilleros"),
])
def test_a_vague_count_of_people_a_casualty_word_says_what_befell_is_a_figure(sentence, some, metric, party):
    from summarizer.text.parties import party_read_beside

    assert some in [f for f, _, _ in figure_candidates(sentence)]
    assert (metric_read(some, sentence), party_read_beside(some, sentence)) == (metric, party)


def test_a_vague_count_gets_a_figure_call_only_where_its_sentence_names_who_gives_it():
    from summarizer.stages.extract import casualty_sentences
    from summarizer.stages.load import from_text
    from summarizer.stages.segment import segment

    article = segment(from_text(
        "Attack in the north\n\nFollowing the deaths of numerous soldiers, Mali launched airstrikes on the town. "
        "A security source said several soldiers were missing. Many people fled."))
    texts = {s.n: s.text for s in article.sentences}
    asked = [texts[n] for n in casualty_sentences(article)]
    assert asked == ["A security source said several soldiers were missing."]
