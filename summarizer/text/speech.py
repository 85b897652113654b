"""The shapes of speech a sentence attributes by, in the languages read: verbs of saying, "according
to X", "X said" before and after, documents, pronouns and appositions; and their wider forms
(``Wide``) that the claim re-reading uses. Patterns only: ``attribution`` reads sentences with them.
"""

from __future__ import annotations

import re


ATTRIBUTION = re.compile(
    r"\b(said|says|say|claimed|claims|claim|according to|reported|reports|stated|announced|confirmed|"
    r"told|estimated|acknowledged|asserts|revealed|citing)\b", re.I)
UNNAMED_REPORTS = "unnamed reports"
UNNAMED = re.compile(r"\b(reports (indicate|suggest|say|said)|according to (media )?reports|reportedly|it was reported)\b", re.I)
ATTRIBUTION_WORDS = re.compile(r"^(?:according to|selon|d['’]après|según|segundo|de acordo com)\s+", re.I)
LOOKBACK = 2  # "the statement said ..." may name its source up to two sentences earlier


# Who a sentence says is speaking, where its own words say it plainly: "..., according to X.",
# "[Late on Tuesday,] X said/confirmed/claimed that ...", "..., X said." or "..., said X.", and the
# same shapes in French, Spanish and Portuguese ("selon X", "X a déclaré", "según X", "dijo X").
# A pronoun, an anaphora ("the agency", "its statement") or a document ("the statement", "le
# communiqué") is left to the model, which sees the sentences before.
SPEECH_VERBS = {
    "en": r"said|says|stated|confirmed|claimed|claims|announced|told|denied|denies|insisted that|"
          r"characteri[sz]ed|acknowledged|asserts|asserted|alleges|alleged|maintains|maintained|insists|"
          r"(?:warned|warns|added|adds|noted|notes|reiterated)(?= that\b|[,.:])|reported that|"  # not "added two more"
          r"denounced|condemned|accused|wrote|writes|revealed|spoke|found that|quoted|"
          r"(?:declared|declares)(?= that\b| victory\b| defeat\b|[,:])|"  # "declared a state of emergency" is an act
          r"(?:issued|released|published|put out)(?: [\w-]+){0,2}? (?:a |an |the |its |their )?(?:new )?(?:statement|communiqué|message)|"
          r"(?:put|puts|putting)(?= the (?:death |casualty )?(?:toll|number|figure|count|tally)\b)",  # "X put the toll at"
    "fr": r"(?:(?:a|ont|avait|avaient) (?:(?:aussi|également|en outre|au contraire|d['’]abord|ensuite|encore|déjà|"
          r"pour sa part|pour leur part|quant à lui|quant à elle|(?:lui|elle|eux|elles) (?:aussi|également|même)) )?)?"
          r"(?:déclaré|affirmé|indiqué|annoncé|assuré|estimé|dénoncé|confirmé|démenti|"
          r"nié|précisé|expliqué|souligné|reconnu|rapporté|raconté|ajouté|averti|dit|exhorté|promis|rappelé|"
          r"revendiqué|désigné|retenu|évoqué|accusé|confié|recensé|dénombré|compté|témoigné|fait état|écrit|résumé)|"
          r"(?:fait|font|faisait|faisaient) (?:(?:aussi|également|encore|déjà|pour sa part) )?état|"
          r"déclare|affirme|indique|annonce|assure|estime|dénonce|confirme|dément|nie|précise|explique|souligne|"
          r"reconnaît|ajoute|dit|disent|affirment|évoque|évoquent|parle|parlent|fait état|font état|rapporte|"
          r"dénoncent|déplorent|estiment|assurent|indiquent|précisent|expliquent|soulignent|confirment|annoncent|"
          r"déclarent|reconnaissent|démentent|"
          r"rapportent|accuse|accusent|revendique|confiait|raconte|écrit|résume|"
          r"(?:(?:a|ont|avait|avaient) )?(?:diffusé|publié|rendu public)(?: [\w'’-]+){0,2}? (?:un |une |le |la |son |sa |leur )?"
          r"(?:nouveau |nouvelle )?(?:communiqué|déclaration|message)",
    "es": r"(?:ha |han |había |habían )?(?:dicho|afirmado|asegurado|declarado|informado|señalado|confirmado|"
          r"denunciado|negado|reconocido|anunciado)|dijo|dijeron|afirmó|afirmaron|aseguró|aseguraron|declaró|"
          r"informó|señaló|indicó|confirmó|denunció|negó|explicó|reconoció|sostuvo|anunció|advirtió|agregó|añadió|"
          r"dice|afirma|asegura|denuncia|niega|sostiene|escribió|resumió|"
          r"(?:emitió|publicó|difundió)(?: [\w-]+){0,2}? (?:un |una |el |su )?(?:nuevo )?(?:comunicado|declaración|mensaje)",
    "pt": r"disse|disseram|afirmou|afirmaram|declarou|informou|confirmou|denunciou|negou|anunciou|escreveu",
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
# (a possessive too: "On Monday, its spokesman, X, said" is the spokesman's, not Monday's)
SPEAKER_NAME = r"(?P<who>(?:[A-ZÀ-Ý]|the |a |an |le |la |les |l['’]|un |une |el |los |las |una? |o |os |as |" \
               r"its |his |her |their |son |sa |ses |leur |leurs |su |sus |seu |sua |" \
               r"spokes(?:person|man|woman) |porte-parole |portavoz |porta-voz )[\w'’.-]*(?: [\w'’.-]+){0,8}?" \
               r"(?: \([A-ZÀ-Ý][\w'’.-]*\))?)"  # "Le Collectif Justice pour Barsalogho (CJB)"
# A finite verb's auxiliary, opening a clause: "ont été évacués", "were taken", "fueron trasladados".
AUXILIARY = (r"(?:ont|a été|est|sont|était|étaient|avait|avaient|were|was|have|has|had|is|are|fue|fueron|ha|han|"
             r"había|habían|es|son|foi|foram|tem|têm)\b")
SPEAKER_FIRST = re.compile(
    r"^(?:[A-ZÀ-Ý][^,]{0,60}, )?" + SPEAKER_NAME +
    # an apposition or relative clause between speaker and verb: "Le ministre, Mahamadou Sana, a déclaré",
    # "The army, which lost two men, said"
    # Neither opens on a verb: in "Deux soldats, blessés, ont été évacués, a indiqué l'armée" the soldiers
    # are what the army speaks of, not its speaker.
    r"(?:, (?!(?:and|et|y|e|but|mais|pero)\b)(?!" + AUXILIARY + r")(?P<apposition>[^,\"“”«»]{2,80})"
    r"(?:, (?!(?:and|et|y|e|but|mais|pero)\b)(?!" + AUXILIARY + r")[^,\"“”«»]{2,80})?,)?"  # "The group, called X, or CSP for short,"
    r"(?: (?:also|later|earlier|previously|again|separately|officially|aussi|également|también|además|"
    r"pour sa part|pour leur part|quant à lui|quant à elle))?"
    r" (?:has |have |had )?" + SPEECH_VERB + r"(?!\w)")
# "..., the army said." / "“...,” said the army." / "« ... », a déclaré X, ..." / "«...», dijo el ministro."
# A verb before its speaker only after a closing quote: elsewhere "..., dénoncé le massacre" has an object.
INVERTED = r"said|says|" + "|".join(v for k, v in SPEECH_VERBS.items() if k != "en")
SPEAKER_AFTER = re.compile(
    r"(?:,\s*" + SPEAKER_NAME + r" (?:said|says)|[»”\"],?\s*(?:" + INVERTED + r") " + SPEAKER_NAME.replace("who", "who2") + r")"
    r"(?:,[^.]*| (?:on|in|at|to|en|à|au|lors|devant|depuis|durante|ante|a los|a las|ce|este|esta|el pasado|mardi|lundi)\b[^.]*)?\.?$"
    # "..., précise la mission.", "..., ajoute le maire de Bankass.": a present-tense verb of saying closing
    # the sentence, its speaker after it (a participle there may have an object: "..., dénoncé le massacre")
    r"|,\s*(?:précise|affirme|indique|ajoute|explique|souligne|rapporte|assure|déclare|estime|confie|poursuit|"
    r"relève|raconte|afirma|asegura|explica|añade|agrega|señala|indica|acrescenta|"
    # and Spanish and Portuguese past tenses, which put the speaker after the verb as often: "..., informó la cartera"
    r"informó|dijo|afirmó|aseguró|señaló|indicó|explicó|añadió|agregó|precisó|detalló|sostuvo|anunció|"
    r"informaron|dijeron|afirmaron|aseguraron|señalaron|indicaron|informou|disse|afirmou|acrescentou|declarou) "
    r"(?P<who3>(?:le |la |les |l['’]|un |une |el |los |las |una? |o |os |as |[A-ZÀ-Ý])[^,.;:]{1,80})\.?$")
# A speaker set between commas inside the sentence: "Hasty burials, the agency said, caused ...",
# "Ce décompte, précise le texte, comprend ...", "La cifra, dijo el ministro, es provisional".
INCISE = re.compile(
    r"^[^,«»“”\"]{3,120}, (?:(?P<who>(?:the |a |an )[^,]{2,60}?) (?:said|says|added|noted|wrote)|"
    r"(?:précise|ajoute|indique|souligne|affirme|explique|dit|estime|note|écrit|poursuit|rapporte|"
    r"dijo|afirmó|añadió|agregó|explicó|señaló|precisó|disse|afirmou|acrescentou) "
    r"(?P<who4>(?:le |la |les |l['’]|un |une |el |los |las |o |a |os |as )[^,]{2,60}?)), ")
NOT_A_SPEAKER = re.compile(
    r"^(?:(?:media )?reports?$|sources?$|(?-i:(?![A-Z]{2,}\b))(?:he|she|it|they|we|i|this|that|which|who|many of them|il|elle|ils|elles|"
    r"lui|eux|él|ella|ellos|ellas|ele|ela|eles)\b|"
    r"(?:the|a|an|its|their|le|la|les|l['’]|un|une|son|sa|ses|leur|el|los|las|una?|su|sus|o|os|as) ?"
    r"(?:same )?(?:statement|report|update|agency|text|document|testimony|mission|communiqué|déclaration|rapport|"
    r"bilan|décompte|texte|témoignage|comunicado|informe|balance|declaración|nota|testimonio|cartera)s?\b)", re.I)
# "the statement released by the separatist coalition" speaks for the coalition.
STATEMENT_BY = re.compile(
    r"^(?:the|a|an|le|la|un|une|el|los) (?:\d{4} )?(?:statement|communiqué|comunicado|declaración|déclaration|"
    r"report|rapport|informe|relatório)s? "
    r"(?:released |issued |published |publié |publiée |diffusé |diffusée |emitido |publicado )?"
    r"(?:by|from|of|de la|de l['’]|du|des|de los|del|de) (?P<who>.+)$", re.I)
# An apposition that gives the speaker's name: "called X", "known as X", "appelé X", "llamado X".
CALLED = re.compile(r"^(?:called|known as|named|dubbed|appelée?s?|dite?s?|connue?s? sous le nom d['’e]\s*|"
                    r"llamad[oa]s?|conocid[oa]s? como|denominad[oa]s?|chamad[oa]s?|conhecid[oa]s? como)\s+(?P<name>.+)$", re.I)
# "Initial reports, citing the defence ministry, said ...": the one cited is who asserts it.
CITING = re.compile(r"^(?:citing|quoting|citant|citando)\s+(?:al\s+|a\s+(?=(?:la|los|las|o|os|as)\s))?(?P<name>.+)$", re.I)
NOT_IN_A_NAME = {"has", "have", "had", "not", "never", "did", "does", "do", "was", "were", "is", "are", "would",
                 "will", "could", "may", "might", "also", "he", "she", "they", "them", "it", "we", "of them",
                 "n'a", "ne", "pas", "no", "nunca", "n'ont"}


# A toll is the word of whose toll it is: "le bilan officiel des forces armées", "The army's toll
# stood at ..." (a possessive only as the sentence's subject: in a list of figures it names no speaker).
TOLL = r"(?:bilan|toll|tally|count|balance|recuento|décompte|cifra)"
BODY = (r"(?:forces armées|armée|army|armed forces|military|police|gendarmerie|ministry|ministère|ministerio|"
         r"government|gouvernement|gobierno|governo|authorities|autorités|autoridades|ejército|"
         r"fuerzas (?:militares|armadas)|protection civile|defensa civil|civil defen[cs]e)")
TOLL_OWNER = re.compile(
    r"(?<!\w)" + TOLL + r"(?:\s+(?:officiel|provisoire|official|oficial|provisional|final|définitif))?\s+"
    r"(?:des|du|de la|de l['’]|of the|del|de los|de las|da|do|dos)\s*(?P<who>" + BODY + r"(?:\s+[^\W\d_]+)??)"
    r"(?=\s+(?:s['’]|se |is |was |stands|stood|est |était |es |era |fait|put|puts|reached|atteint|establece|"
    r"ascend|sube|asciende)|[,.;:])"
    r"|^(?P<who2>(?:the |(?-i:[A-ZÀ-Ý])[\w-]*\s)?" + BODY + r"|(?-i:[A-ZÀ-Ý])[\w-]*(?:\s(?-i:[A-ZÀ-Ý])[\w-]*)*)['’]s (?:own )?"
    r"(?:toll|tally|count)(?!\w)", re.I)


# A speaker that stands for one named before: a pronoun, or "the agency", "la cartera", "the mission".
ANAPHOR = re.compile(r"^(?:he|she|it|they|him|her|them|il|elle|ils|elles|lui|eux|él|ella|ellos|ellas|ele|ela|eles)$|"
                     r"^(?:the|le|la|les|l['’]|el|los|las|o|os|as) ?(?:same )?[^\W\d_]+$", re.I)


# Any word that may attribute a sentence to someone: when none is there, the sentence is the reporter's.
ATTRIBUTION_CUE = re.compile(
    r"[«»“”\"]|(?<!\w)(?:" + SPEECH_VERB + r"|according|selon|d['’]après|según|segundo|de acordo|"
    r"claim\w*|report\w*|statement\w*|alleg\w*|accus\w*|den(?:y|ied|ies)|quot\w*|cit(?:ed|ing)|told|"
    r"communiqu\w*|comunicad\w*|déclar\w*|declar\w*|revendi\w*|reivindic\w*|affirm\w*|afirm\w*|"
    r"témoign\w*|testimon\w*|version|account|sources?|fuentes?|fontes?|"
    r"toll|tally|count|bilan|décompte|recuento|balance)(?!\w)", re.I)  # "le bilan des forces armées": someone's count


# "By Tuesday, he said, ...", "a-t-il ajouté": the speaker is the one the sentences before name.
PRONOUN_SPEAKER = re.compile(
    r"(?:(?<!\w)(?:he|she)\s+(?:" + SPEECH_VERB + r")|(?<!\w)(?:said|says|added|told)\s+(?:he|she)|-t-(?:il|elle)|"
    r"(?<!\w)(?:il|elle)\s+(?:a|avait)\s+(?:dit|déclaré|affirmé|ajouté|précisé|indiqué|expliqué)|"
    r"(?<!\w)(?:il|elle|ils|elles)\s+(?:dit|disent|affirme|affirment|déclare|déclarent|estime|estiment|indique|"
    r"ajoute|précise|explique|assure|souligne|raconte))(?!\w)", re.I)
# A sentence that opens on a name and a comma or a verb of saying: "Hichem Abu Chkiouat, the minister, ..."
LEADING_NAME = re.compile(r"^(?:[A-ZÀ-Ý][\w'’-]+\s+){1,4}[A-ZÀ-Ý][\w'’-]+(?=,|\s+(?:" + SPEECH_VERB + r")(?!\w))")
SPEECH = re.compile(r"[«»“”\"]|(?<!\w)(?:" + SPEECH_VERB + r")(?!\w)", re.I)


def widened(pattern: str, *changes: tuple[str, str]) -> str:
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
        "fr": widened(
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
    NAME = widened(SPEAKER_NAME, ("|une |", "|une |des |du |cet |cette |ces |"),
                    (r"(?: [\w'’.-]+){0,8}?", r"(?: \(?[\w'’.-]+\)?){0,8}?"))  # "La Mission ... au Mali (MINUSMA)"
    # An apposition is a phrase or a relative clause, not a clause of its own.
    APPOSITION = (r"(?:(?:qui|which|who|whose|dont|quien|quienes|que)\b[^,\"“”«»]{2,100}|"
                  r"(?![^,]*\b(?:a été|ont été|avait été|est|sont|était|étaient|was|were|is|are|has been|have been|"
                  r"had been|fue|fueron|ha sido|han sido|es|son)\b)[^,\"“”«»]{2,100})")
    FIRST = re.compile(widened(
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
        (SPEAKER_NAME, NAME)))
    AFTER = re.compile(widened(
        SPEAKER_AFTER.pattern,
        (SPEAKER_NAME.replace("who", "who2") + r")", NAME.replace("who", "who2") +
         # "“We are digging with our hands,” an ambulance worker said in footage ...", "..., the statement read."
         r"|[»”\"]\s*" + NAME.replace("who", "who4") + r" (?:said|says|added|told|wrote|explained|insisted|recalled|"
         r"read|reads))"),
        # a compound past that takes no object there: "..., a précisé le ministère."
        (r"acrescenta|", r"acrescenta|(?:a|ont) (?:précisé|indiqué|ajouté|affirmé|déclaré|expliqué|souligné|assuré|"
                         r"raconté|confié|poursuivi|témoigné|insisté|rapporté)|")))
    # "as noted by regional expert X in comments to ...": noted, quoted and cited by someone too
    REPORTED_BY = re.compile(widened(REPORTED_BY.pattern, ("|asserted|", "|asserted|noted|quoted|cited|")), re.I)
    # "cet élu", "ce dernier": one named before
    NOT_A_SPEAKER = re.compile(widened(
        NOT_A_SPEAKER.pattern, ("|ele|ela|eles)", "|ele|ela|eles|cet|cette|ces|ce|the latter|este|esta|estos|estas)")),
        re.I)
    STATEMENT_BY = re.compile(widened(
        STATEMENT_BY.pattern, ("(?:by|from|of|", "(?:by|from|of|on behalf of|au nom d[eu]|de la part d[eu]|en nombre de|"),
        ("|publié |", "|read out |lu |publié |")), re.I)
    SPEECH = re.compile(r"[«»“”\"]|(?<!\w)(?:" + VERB + r")(?!\w)", re.I)
    CUE = re.compile(widened(ATTRIBUTION_CUE.pattern, (SPEECH_VERB, VERB)), re.I)
    LEADING_NAME = re.compile(widened(LEADING_NAME.pattern, (SPEECH_VERB, VERB)))
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
FR_SAID = (r"(?:dit|déclaré|affirmé|ajouté|précisé|indiqué|expliqué|raconté|promis|assuré|souligné|estimé|reconnu|"
            r"laissé entendre|confié|annoncé|dénoncé|accusé|démenti|nié|répondu|qualifié|averti|évoqué|rapporté|témoigné)")
PRONOUN_SAYS = re.compile(widened(
    PRONOUN_SPEAKER.pattern,
    (r"(?:he|she)\s+(?:" + SPEECH_VERB + ")", r"(?:he|she|it|they)\s+(?:also\s+|later\s+)?(?:" + Wide.VERB + ")"),
    (r"-t-(?:il|elle)|", r"-t-(?:il|elle|ils|elles)|"),
    (r"(?:il|elle)\s+(?:a|avait)\s+(?:dit|déclaré|affirmé|ajouté|précisé|indiqué|expliqué)",
     r"(?:il|elle|ils|elles)\s+(?:a|ont|avait|avaient|aurait|auraient)\s+"
     r"(?:(?:aussi|également|encore|ensuite|enfin|déjà|par ailleurs)\s+)?" + FR_SAID)), re.I)
# "One of its helicopters crashed on a routine mission, but no one was killed, it said.": the pronoun
# closing the sentence is its speaker, named before.
TRAILING_PRONOUN = re.compile(r",\s*(?:he|she|it|they)\s+(?:said|says|added|adds|noted|stated)\.?$", re.I)
# "By his own estimate", "selon son décompte", "según su recuento": the speaker is one named before.
POSSESSIVE_SOURCE = re.compile(
    r"(?<!\w)(?:by|in|according to|on) (?:his|her|their|its) (?:own )?(?:estimate|count|account|reckoning|tally|words)\b|"
    r"(?<!\w)(?:selon|d['’]après) (?:son|sa|leur|ses) (?:propre )?(?:estimation|décompte|bilan|récit|avis|chiffres?)\b|"
    r"(?<!\w)(?:según|de acuerdo con) (?:su|sus) (?:propio |propia )?(?:estimación|recuento|balance|cálculo|cifras?)\b",
    re.I)
QUOTE_ONLY = re.compile(r'^\s*[«“"][^«»“”"]{8,}[»”"]\s*[.!?…]?\s*$|^\s*[«“"][^«»“”"]{8,}[.!?…]\s*[»”"]\s*$')
DOCUMENT = re.compile(r"(?<!\w)(?:statement|communiqué|comunicado|declaración|déclaration|texte|text|report|rapport|"
                      r"informe|document|documento)s?(?!\w)", re.I)
OPENING_PREPOSITION = re.compile(r"^(?:in|at|on|by|for|from|after|before|since|during|à|au|aux|en|dans|depuis|après|"
                                  r"avant|selon|pour|sur|por|para|desde|tras|durante|según|no|na|em)\b", re.I)
SUBJECT_APPOSITION = re.compile(r"^[^,]{2,60}, (?P<name>(?-i:[A-ZÀ-Ý])[^,]{2,50}), (?-i:[a-zà-ÿ])")
# "Selon l'armée, la jeune fille s'est rendue. Elle a raconté ...": "elle" may be the girl.
DETERMINER = r"(?:le|la|les|l['’]|un|une|the|a|an|el|los|las|una?)"
OPENING_SOURCE = re.compile(
    r"^(?:selon|d['’]après|according to|según|segundo) [^,]+, (?=(?P<det>" + DETERMINER + r")(?:\s|(?<=['’])))"
    r"(?P<subject>" + DETERMINER + r"\s?[^\W\d_]+(?: [^\W\d_]+)?"
    r"(?= (?:s['’]|se |a |est |ont |sont |was |has |had |is |were |fue |ha |había )))?", re.I)
AGREES = {"il": {"le", "un", "l'", "el"}, "elle": {"la", "une", "l'", "una"}, "ils": {"les"}, "elles": {"les"},
           "he": {"the", "a", "an"}, "she": {"the", "a", "an"}, "they": {"the"}}


# Words that open a clause of the sentence's own: a pronoun after them may stand for its subject
# ("Une délégation ... s'est rendue à X, où elle a dénoncé ...": "elle" is the delegation).
CLAUSE = re.compile(r"(?<!\w)(?:où|where|qui|que|qu['’]|which|who|whom|and|et|y|when|quand|lorsque|because|parce|but|mais|"
                     r"pero|while|alors|donde|cuando|whereas)(?!\w)", re.I)
