"""The words every format prints around a brief's content, in the brief's language.

A brief in French says "Résumé", "Victimes", "selon l'armée", "morts"; the reports' own
sentences, names and figures are never translated here (translations of cited sentences are
the run's, labelled, beside the original). A language without a column below is printed in
English, as is any label it lacks.
"""

from __future__ import annotations

from functools import cache

from babel import Locale, UnknownLocaleError
from babel.numbers import format_decimal, format_percent

from summarizer.text.language import NAMES, metric_name

LANGUAGES = ("fr", "es", "pt")  # the brief languages with words of their own; English is the key

# English (with its {placeholders}) -> French, Spanish, Portuguese.
WORDS: dict[str, tuple[str, str, str]] = {
    # headings
    "Incident brief": ("Fiche d'incident", "Informe del incidente", "Relatório do incidente"),
    "Summary": ("Résumé", "Resumen", "Resumo"),
    "Casualties": ("Victimes", "Víctimas", "Vítimas"),
    "Casualties, per party and claimant": ("Victimes, par partie et par déclarant", "Víctimas, por parte y declarante",
                                           "Vítimas, por parte e declarante"),
    "Casualty figures at a glance": ("Les bilans d'un coup d'œil", "Las cifras de víctimas de un vistazo",
                                     "Os números de vítimas num relance"),
    "Casualty claims": ("Bilans déclarés", "Cifras declaradas", "Números declarados"),
    "one row per claimant": ("une ligne par déclarant", "una fila por declarante", "uma linha por declarante"),
    "Lowest and highest figure per party:": ("Chiffre le plus bas et le plus haut par partie :",
                                             "Cifra más baja y más alta por parte:", "Número mais baixo e mais alto por parte:"),
    "Disputes": ("Divergences", "Discrepancias", "Divergências"),
    "click a side to see its sentences": ("cliquez sur une position pour voir ses phrases",
                                          "haga clic en una posición para ver sus frases",
                                          "clique numa posição para ver as suas frases"),
    "Compare sides": ("Comparer les positions", "Comparar posiciones", "Comparar posições"),
    "Highlight every side's sentences, each in its colour": (
        "Surligner les phrases de chaque position, chacune de sa couleur",
        "Resaltar las frases de cada posición, cada una en su color",
        "Realçar as frases de cada posição, cada uma na sua cor"),
    "Actors": ("Acteurs", "Actores", "Atores"),
    "Actors, most named ({shown} of {total})": ("Acteurs les plus cités ({shown} sur {total})",
                                                "Actores más nombrados ({shown} de {total})",
                                                "Atores mais citados ({shown} de {total})"),
    "Claims": ("Affirmations", "Afirmaciones", "Afirmações"),
    "Most corroborated claims ({shown} of {total})": ("Affirmations les plus corroborées ({shown} sur {total})",
                                                      "Afirmaciones más corroboradas ({shown} de {total})",
                                                      "Afirmações mais corroboradas ({shown} de {total})"),
    "who says what": ("qui dit quoi", "quién dice qué", "quem diz o quê"),
    "Timeline": ("Chronologie", "Cronología", "Cronologia"),
    "Sources": ("Sources", "Fuentes", "Fontes"),
    "Source reports": ("Les reportages", "Los reportajes", "As reportagens"),
    "Open questions": ("Questions ouvertes", "Preguntas abiertas", "Questões em aberto"),
    # column heads and facts
    "Party": ("Partie", "Parte", "Parte"),
    "Metric": ("Bilan", "Balance", "Balanço"),
    "Figure": ("Chiffre", "Cifra", "Número"),
    "Claimant": ("Déclarant", "Declarante", "Declarante"),
    "Range": ("Fourchette", "Rango", "Intervalo"),
    "Actor": ("Acteur", "Actor", "Ator"),
    "Side": ("Camp", "Bando", "Lado"),
    "Also written": ("Aussi écrit", "También escrito", "Também escrito"),
    "Named in": ("Cité dans", "Nombrado en", "Citado em"),
    "Statement": ("Affirmation", "Afirmación", "Afirmação"),
    "Status": ("Statut", "Estado", "Estado"),
    "Independent sources": ("Sources indépendantes", "Fuentes independientes", "Fontes independentes"),
    "Date": ("Date", "Fecha", "Data"),
    "Event": ("Événement", "Evento", "Evento"),
    "Source": ("Source", "Fuente", "Fonte"),
    "Published": ("Publié", "Publicado", "Publicado"),
    "Flags": ("Signalements", "Alertas", "Alertas"),
    "Adds": ("Apporte", "Aporta", "Acrescenta"),
    "When": ("Quand", "Cuándo", "Quando"),
    "Where": ("Où", "Dónde", "Onde"),
    "undated": ("non daté", "sin fecha", "sem data"),
    "Clear": ("Effacer", "Borrar", "Limpar"),
    # phrases around content
    "by {claimant}": ("selon {claimant}", "según {claimant}", "segundo {claimant}"),
    # an actor's side (stages/consolidate/actors.py writes these words)
    "government": ("gouvernement", "gobierno", "governo"),
    "civilians": ("civils", "civiles", "civis"),
    "separatist": ("séparatiste", "separatista", "separatista"),
    "jihadist": ("djihadiste", "yihadista", "jihadista"),
    "armed group": ("groupe armé", "grupo armado", "grupo armado"),
    "also: {aliases}": ("aussi : {aliases}", "también: {aliases}", "também: {aliases}"),
    "of {n}": ("de {n}", "de {n}", "de {n}"),
    "copy of {n}": ("copie de {n}", "copia de {n}", "cópia de {n}"),
    "Source {n}": ("Source {n}", "Fuente {n}", "Fonte {n}"),
    "Unknown source": ("Source inconnue", "Fuente desconocida", "Fonte desconhecida"),
    "{n} sources ({k} independent)": ("{n} sources ({k} indépendantes)", "{n} fuentes ({k} independientes)",
                                      "{n} fontes ({k} independentes)"),
    "{n} sources, {k} independent": ("{n} sources, {k} indépendantes", "{n} fuentes, {k} independientes",
                                     "{n} fontes, {k} independentes"),
    "{k} independent": ("{k} indépendantes", "{k} independientes", "{k} independentes"),
    "{n} disputed points": ("{n} points contestés", "{n} puntos en disputa", "{n} pontos contestados"),
    "{n} claim": ("{n} déclaration", "{n} declaración", "{n} declaração"),
    "{n} claims": ("{n} déclarations", "{n} declaraciones", "{n} declarações"),
    "{n} independent source": ("{n} source indépendante", "{n} fuente independiente", "{n} fonte independente"),
    "{n} independent sources": ("{n} sources indépendantes", "{n} fuentes independientes", "{n} fontes independentes"),
    "{model} via {endpoint}": ("{model} via {endpoint}", "{model} vía {endpoint}", "{model} via {endpoint}"),
    "{n} call": ("{n} appel", "{n} llamada", "{n} chamada"),
    "{n} calls": ("{n} appels", "{n} llamadas", "{n} chamadas"),
    "{prompt} prompt + {completion} completion tokens": ("{prompt} jetons lus + {completion} générés",
                                                         "{prompt} tokens leídos + {completion} generados",
                                                         "{prompt} tokens lidos + {completion} gerados"),
    "{seconds} s": ("{seconds} s", "{seconds} s", "{seconds} s"),
    "{n} re-ask": ("{n} nouvelle demande", "{n} nueva solicitud", "{n} novo pedido"),
    "{n} re-asks": ("{n} nouvelles demandes", "{n} nuevas solicitudes", "{n} novos pedidos"),
    "{n} dropped": ("écartés : {n}", "descartados: {n}", "descartados: {n}"),
    "sentence": ("phrase", "frase", "frase"),
    "sentences": ("phrases", "frases", "frases"),
    "{n} sentences": ("{n} phrases", "{n} frases", "{n} frases"),
    "{n} item dropped by verification": ("{n} élément écarté par la vérification", "{n} elemento descartado por la verificación",
                                         "{n} item descartado pela verificação"),
    "{n} items dropped by verification": ("{n} éléments écartés par la vérification",
                                          "{n} elementos descartados por la verificación",
                                          "{n} itens descartados pela verificação"),
    "Not shown: {rest}.": ("Non affiché : {rest}.", "No se muestra: {rest}.", "Não mostrado: {rest}."),
    "{n} more actors": ("{n} autres acteurs", "{n} actores más", "mais {n} atores"),
    "{n} more claims": ("{n} autres affirmations", "{n} afirmaciones más", "mais {n} afirmações"),
    "{n} timeline events": ("{n} événements de la chronologie", "{n} eventos de la cronología", "{n} eventos da cronologia"),
    "For everything, add --full; for the report with every sentence, --format html -o brief.html (or --format md).": (
        "Pour tout voir, ajoutez --full ; pour le rapport avec chaque phrase, --format html -o brief.html (ou --format md).",
        "Para verlo todo, añada --full; para el informe con cada frase, --format html -o brief.html (o --format md).",
        "Para ver tudo, acrescente --full; para o relatório com cada frase, --format html -o brief.html (ou --format md)."),
    "Click a marker, claim or dispute side to see the sentences behind it.": (
        "Cliquez sur un renvoi, une affirmation ou une position pour voir les phrases qui la fondent.",
        "Haga clic en una referencia, una afirmación o una posición para ver las frases en que se basa.",
        "Clique numa referência, numa afirmação ou numa posição para ver as frases em que se baseia."),
    "Reads as an instruction to a model: treated as text, never as a claim": (
        "Se lit comme une consigne donnée à un modèle : traitée comme du texte, jamais comme une affirmation",
        "Se lee como una instrucción a un modelo: tratada como texto, nunca como una afirmación",
        "Lê-se como uma instrução a um modelo: tratada como texto, nunca como uma afirmação"),
    "machine translation from {language}": ("traduction automatique, original en {language}",
                                            "traducción automática, original en {language}",
                                            "tradução automática, original em {language}"),
    "No summary was drafted.": ("Aucun résumé n'a été rédigé.", "No se redactó ningún resumen.", "Nenhum resumo foi redigido."),
    "No summary: {n} drafted sentences stated what their cited sentences do not hold and were left out (see the dropped items).": (
        "Pas de résumé : {n} phrases rédigées affirmaient ce que leurs phrases citées ne disent pas et ont été écartées (voir les éléments écartés).",
        "Sin resumen: {n} frases redactadas afirmaban lo que sus frases citadas no dicen y se descartaron (ver los elementos descartados).",
        "Sem resumo: {n} frases redigidas afirmavam o que as frases citadas não dizem e foram descartadas (ver os itens descartados)."),
    "No summary: the one drafted sentence stated what its cited sentences do not hold and was left out (see the dropped items).": (
        "Pas de résumé : la seule phrase rédigée affirmait ce que ses phrases citées ne disent pas et a été écartée (voir les éléments écartés).",
        "Sin resumen: la única frase redactada afirmaba lo que sus frases citadas no dicen y se descartó (ver los elementos descartados).",
        "Sem resumo: a única frase redigida afirmava o que as frases citadas não dizem e foi descartada (ver os itens descartados)."),
    "The figures and claims below are each checked against their sources.": (
        "Chaque chiffre et chaque affirmation ci-dessous est vérifié dans ses sources.",
        "Cada cifra y cada afirmación de abajo se comprueba en sus fuentes.",
        "Cada número e cada afirmação abaixo é verificado nas suas fontes."),
    # the values of the brief's fields: claim status, dispute kind, source flags
    "corroborated": ("corroborée", "corroborada", "corroborada"),
    "single-source": ("source unique", "fuente única", "fonte única"),
    "disputed": ("contestée", "disputada", "contestada"),
    "denied": ("démentie", "desmentida", "desmentida"),
    "figure": ("chiffre", "cifra", "número"),
    "cause": ("cause", "causa", "causa"),
    "date": ("date", "fecha", "data"),
    "characterisation": ("qualification", "caracterización", "caracterização"),
    "other": ("autre", "otra", "outra"),
    "copy": ("copie", "copia", "cópia"),
    "internal-error": ("erreur interne", "error interno", "erro interno"),
    "prompt-injection": ("injection de consigne", "inyección de instrucciones", "injeção de instruções"),
    "boilerplate-removed": ("texte type retiré", "texto repetitivo eliminado", "texto padrão removido"),
    "ai-generated-notice": ("mention de texte généré par IA", "aviso de texto generado por IA", "aviso de texto gerado por IA"),
    "opinion-notice": ("mention d'opinion", "aviso de opinión", "aviso de opinião"),
    "no-date": ("sans date", "sin fecha", "sem data"),
    "bad-date": ("date invalide", "fecha no válida", "data inválida"),
    "{flag}: {detail}": ("{flag} : {detail}", "{flag}: {detail}", "{flag}: {detail}"),  # a source's note, its flag first
    "it states more than one answer to '{question}'": ("il donne plus d'une réponse à « {question} »",
                                                        "da más de una respuesta a «{question}»",
                                                        "dá mais de uma resposta a «{question}»"),
    "{n} claim no other source carries, e.g. {id}: {statement}": (
        "{n} affirmation qu'aucune autre source ne porte, p. ex. {id} : {statement}",
        "{n} afirmación que ninguna otra fuente recoge, p. ej. {id}: {statement}",
        "{n} afirmação que nenhuma outra fonte traz, p. ex. {id}: {statement}"),
    "{n} claims no other source carries, e.g. {id}: {statement}": (
        "{n} affirmations qu'aucune autre source ne porte, p. ex. {id} : {statement}",
        "{n} afirmaciones que ninguna otra fuente recoge, p. ej. {id}: {statement}",
        "{n} afirmações que nenhuma outra fonte traz, p. ex. {id}: {statement}"),
    "'{date}' is not a date": ("« {date} » n'est pas une date", "«{date}» no es una fecha", "«{date}» não é uma data"),
    "'{date}' is later than today": ("« {date} » est postérieure à aujourd'hui", "«{date}» es posterior a hoy",
                                     "«{date}» é posterior a hoje"),
    "far-date": ("date éloignée des autres", "fecha lejana de las demás", "data distante das outras"),
    "off-topic": ("hors sujet", "fuera de tema", "fora do tema"),
    "in": ("dans", "en", "em"),
    # a source's notes: why each of its flags was raised
    "copy: {share} of its 6-word runs appear in {other}": (
        "copie : {share} de ses suites de 6 mots figurent dans {other}",
        "copia: {share} de sus secuencias de 6 palabras aparecen en {other}",
        "cópia: {share} das suas sequências de 6 palavras aparecem em {other}"),
    "prompt-injection: contains '{words}', treated as text only": (
        "injection de consigne : contient « {words} », traité comme du texte seulement",
        "inyección de instrucciones: contiene «{words}», tratado solo como texto",
        "injeção de instruções: contém «{words}», tratado apenas como texto"),
    "no-date: the report carries no publication date; its relative dates are not resolved": (
        "sans date : le reportage ne porte pas de date de publication ; ses dates relatives ne sont pas résolues",
        "sin fecha: el reportaje no lleva fecha de publicación; sus fechas relativas no se resuelven",
        "sem data: a reportagem não tem data de publicação; as suas datas relativas não são resolvidas"),
    "far-date: published {date}, {days} days from the other reports' (median {median}); check its date, or whether it reports this incident": (
        "date éloignée : publié le {date}, à {days} jours de celle des autres reportages (médiane {median}) ; vérifiez sa date, ou s'il traite de cet incident",
        "fecha lejana: publicado el {date}, a {days} días de la de los demás reportajes (mediana {median}); compruebe su fecha, o si trata de este incidente",
        "data distante: publicado em {date}, a {days} dias da das outras reportagens (mediana {median}); verifique a sua data, ou se trata deste incidente"),
    "off-topic: shares {coverage} of the words the other reports have in common ({purity} of its own); left out of claims, figures and disputes": (
        "hors sujet : partage {coverage} des mots communs aux autres reportages ({purity} des siens) ; exclu des affirmations, des chiffres et des divergences",
        "fuera de tema: comparte {coverage} de las palabras comunes a los demás reportajes ({purity} de las suyas); excluido de afirmaciones, cifras y discrepancias",
        "fora do tema: partilha {coverage} das palavras comuns às outras reportagens ({purity} das suas); excluído das afirmações, números e divergências"),
    "off-topic: its most written names ({names}) are none of those the other reports share ({shared}, ...); left out of claims, figures and disputes": (
        "hors sujet : ses noms les plus écrits ({names}) ne sont aucun de ceux que partagent les autres reportages ({shared}, ...) ; exclu des affirmations, des chiffres et des divergences",
        "fuera de tema: sus nombres más escritos ({names}) no son ninguno de los que comparten los demás reportajes ({shared}, ...); excluido de afirmaciones, cifras y discrepancias",
        "fora do tema: os seus nomes mais escritos ({names}) não são nenhum dos que as outras reportagens partilham ({shared}, ...); excluído das afirmações, números e divergências"),
    "off-topic: of all the reports it shares the fewest names with the others ({share} on average); left out of claims, figures and disputes": (
        "hors sujet : de tous les reportages, c'est celui qui partage le moins de noms avec les autres ({share} en moyenne) ; exclu des affirmations, des chiffres et des divergences",
        "fuera de tema: de todos los reportajes, es el que comparte menos nombres con los demás ({share} de media); excluido de afirmaciones, cifras y discrepancias",
        "fora do tema: de todas as reportagens, é a que partilha menos nomes com as outras ({share} em média); excluída das afirmações, números e divergências"),
    "source": ("source", "fuente", "fonte"),
    "sources": ("sources", "fuentes", "fontes"),
    "Summary sentence {i}": ("Phrase {i} du résumé", "Frase {i} del resumen", "Frase {i} do resumo"),
    "every claim": ("toutes les déclarations", "todas las declaraciones", "todas as declarações"),
    "unquantified": ("non chiffré", "sin cifra", "sem número"),
    "another language": ("une autre langue", "otro idioma", "outra língua"),
}


class Labels:
    """``labels("by {claimant}", claimant="l'armée")`` in the brief's language; English where it has no word."""

    def __init__(self, language: str | None):
        self.language = language if language in LANGUAGES else "en"

    def __call__(self, english: str, **values: object) -> str:
        words = WORDS.get(english)
        text = words[LANGUAGES.index(self.language)] if words and self.language != "en" else english
        return text.format(**values) if values else text

    def count(self, n: int, one: str, many: str, **values: object) -> str:
        """``one`` or ``many`` as ``n`` asks, with ``n`` filled in: "1 claim", "3 déclarations"."""
        return self(one if n == 1 else many, n=n, **values)

    def number(self, value: float, pattern: str = "#,##0") -> str:
        """A count as the brief's language writes it: "2,778" in English, "2 778" in French (Babel's CLDR)."""
        return format_decimal(value, format=pattern, locale=self.language)

    def percent(self, share: float) -> str:
        """A share as the brief's language writes it: "85%" in English, "85 %" in French."""
        return format_percent(share, locale=self.language)

    def metric(self, metric: str) -> str:
        """A casualty metric as the brief's language writes it: "killed" is "morts" in French."""
        return metric_name(metric, self.language)

    def language_name(self, code: str | None) -> str:
        """A language's name in the brief's language ("anglais" for "en" in French), from Babel's CLDR data."""
        return language_name(code, self.language)


@cache
def language_name(code: str | None, brief: str = "en") -> str:
    """``language_name("en", "fr")`` -> ``'anglais'``; the English name, or the code, where CLDR has none."""
    if not code:
        return Labels(brief)("another language")
    try:
        name = Locale.parse(brief).languages.get(code)
    except (UnknownLocaleError, ValueError):
        name = None
    return name or NAMES.get(code, code)
