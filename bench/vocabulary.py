"""Word frequencies like a real news cache's, for ``seed.py``: Zipf-like, with names, rare words
and four languages.

Each language has its function words (the, of, und, les...) at the top ranks, then real content
words, then people and places (as in a week's headlines: a few names in 5–20 % of articles), then
a long tail of made-up words that each occur in a handful of articles. Token ``rank`` is drawn with
probability ∝ 1 / rank (Zipf, s = 1), so with ~700 words an article the top ~20 words are in
nearly every article of their language, rank ~300 in about a fifth, rank ~6,000 in about 1 %.
``bench/search.py`` does not rely on these estimates: it reads each word's document count from the
index and picks words near 1 %, 20 % and 95 %.
"""

from __future__ import annotations

import itertools
import random
from bisect import bisect
from dataclasses import dataclass

_FUNCTION = {
    "en": "the of and to in a is that for on it with as was at by be from this have are an not "
    "but has its they said he were more their will would which after been about over also new",
    "fr": "le la les de des du et à un une est en que qui pour dans sur par pas au plus ne se "
    "avec ce son sont été aux leurs elle il ont mais",
    "de": "der die das und in zu den von mit ist des sich dem nicht ein eine auf für als auch "
    "es an werden aus er hat dass sie nach bei wird",
    "es": "el la de que y en los las del se por un una con para es al como más pero sus le ya "
    "fue este sobre entre cuando también",
}
_CONTENT = {
    "en": "market climate policy election council budget river harbour school museum festival "
    "archive library station bridge garden theatre orchestra village county ministry court senate "
    "league season storm drought harvest winter summer engineer teacher nurse farmer painter "
    "writer mayor minister judge reporter scientist student volunteer researcher startup railway "
    "airport battery solar turbine reactor satellite telescope vaccine hospital clinic software "
    "kernel database compiler network protocol browser terminal keyboard printer camera recipe "
    "bakery coffee vineyard fishery forest glacier mountain valley coast island desert canal "
    "tunnel highway bicycle tram ferry housing rent wages pension tax tariff trade export import "
    "deficit inflation interest bank currency report survey study review interview analysis "
    "opinion letter essay profile guide history future debate protest strike reform plan vote "
    "deal announces rejects approves delays expands cuts opens closes wins loses faces backs "
    "questions reveals plans tests launches revives rethinks funds blocks explains defends warns "
    "welcomes local national quiet long short hidden public private early late rural urban small "
    "large first final second open secret fragile resilient costly cheap surprising familiar",
    "fr": "marché climat politique élection conseil budget rivière école musée festival archives "
    "bibliothèque gare pont jardin théâtre village ministère tribunal sénat saison tempête "
    "sécheresse récolte hiver été ingénieur enseignant infirmière médecin maire ministre juge "
    "journaliste étudiant chercheur chemin aéroport batterie réacteur vaccin hôpital logiciel "
    "réseau café forêt glacier montagne vallée côte île désert canal tunnel vélo loyer salaires "
    "retraite impôt commerce déficit inflation banque enquête étude débat grève réforme vote",
    "de": "Markt Klima Politik Wahl Rat Haushalt Fluss Hafen Schule Museum Archiv Bibliothek "
    "Bahnhof Brücke Garten Theater Dorf Ministerium Gericht Saison Sturm Dürre Ernte Winter "
    "Sommer Ingenieur Lehrer Pflegerin Bürgermeister Minister Richter Straßenbahn Flughafen "
    "Batterie Reaktor Impfstoff Krankenhaus Software Netzwerk Kaffee Wald Gletscher Berg Tal "
    "Küste Insel Wüste Kanal Fahrrad Fähre Miete Löhne Rente Steuer Zölle Handel Defizit "
    "Inflation Bank Umfrage Studie Debatte Streik Reform Abstimmung Grüße",
    "es": "mercado clima política elección consejo presupuesto río puerto escuela museo archivo "
    "biblioteca estación puente jardín teatro pueblo ministerio tribunal senado temporada "
    "tormenta sequía cosecha invierno verano ingeniero maestro enfermera alcalde ministro juez "
    "periodista estudiante investigador ferrocarril aeropuerto batería reactor vacuna hospital "
    "café bosque glaciar montaña valle costa isla desierto canal túnel bicicleta alquiler "
    "salarios pensión impuesto comercio déficit inflación banco encuesta estudio huelga reforma",
}
NAMES = (
    "Okonkwo Lindqvist Müller Dvořák Nakamura Fernández Kowalski Haddad Oyelaran Srinivasan "
    "Brennan Castellanos Novák Tanaka Ivanova Mbeki Østergaard Çelik Nguyen Petrović Zhou "
    "Gallagher Achterberg Moreau Lefèvre Rossi Bianchi Schäfer Jansen Kaczmarek Yilmaz Abara "
    "Quispe Ramírez Håkansson Eriksen Papadopoulos Kuznetsov Adeyemi Sørensen Villeneuve Dubois "
    "Genève Köln Zürich Kraków Łódź Málaga Reykjavík Tromsø Cádiz Nantes Lyon Valparaíso Oaxaca "
    "Mombasa Kigali Tbilisi Yerevan Almaty Busan Osaka Hobart Dunedin Tórshavn"
).split()

LANGUAGES = (("en", 0.90), ("fr", 0.04), ("de", 0.035), ("es", 0.025))
TAIL = 30_000
"""Made-up words per language after the real ones: the long tail of rare words."""

_SYLLABLES = {
    "en": "ba ken tor mi sha lo dre vin ard ul pe ros tam gi nel ox cor fen wy lis".split(),
    "fr": "beau cha ré lou min qué ter vé gne ois ande ron sé pli mé lle çon ier".split(),
    "de": "berg ha ko lin stra sch mü ner wal dorf ke rei tz ung lo pf ach".split(),
    "es": "ca ño ri to lla mar ve sal ar qui bo ña ez ro len ga di".split(),
}


def _made_up(language: str, count: int, seed: int) -> list[str]:
    """``count`` distinct pseudo-words of 2–4 syllables (deterministic)."""
    rng = random.Random(seed)
    syllables = _SYLLABLES[language]
    words: dict[str, None] = {}
    for length in itertools.cycle((2, 3, 3, 4)):
        words["".join(rng.choices(syllables, k=length))] = None
        if len(words) >= count:
            break
    return list(words)


@dataclass
class Language:
    """One language's ranked vocabulary and its cumulative Zipf weights."""

    code: str
    words: list[str]
    cumulative: list[float]
    content_start: int

    def draw(
        self, rng: random.Random, count: int, *, content_only: bool = False, top_rank: int = 0
    ) -> list[str]:
        """``count`` words drawn by Zipf rank (``content_only``: no function words; ``top_rank``:
        only the first ranks, as headlines use few made-up words)."""
        low = self.cumulative[self.content_start - 1] if content_only else 0.0
        top = self.cumulative[top_rank - 1 if top_rank else -1]
        picks = [low + rng.random() * (top - low) for _ in range(count)]
        return [self.words[min(bisect(self.cumulative, p), len(self.words) - 1)] for p in picks]


def language(code: str, seed: int = 7) -> Language:
    """The ranked vocabulary: function words, content words with names mixed in, the tail."""
    function = _FUNCTION[code].split()
    content = _CONTENT[code].split()
    rng = random.Random(seed)
    names = list(NAMES)
    rng.shuffle(names)
    # Names come after the content words (ranks ~290–360 in English): each in 15–20 % of
    # articles, like the week's headlines; the made-up tail follows.
    ranked = function + content + names
    ranked += _made_up(code, TAIL, seed + len(code))
    cumulative = list(itertools.accumulate(1.0 / rank for rank in range(1, len(ranked) + 1)))
    return Language(code, ranked, cumulative, len(function))


def languages() -> dict[str, Language]:
    """Every language of the seed, by code."""
    return {code: language(code) for code, _ in LANGUAGES}


def pick_language(rng: random.Random) -> str:
    """An article's language: mostly English, some French, German and Spanish."""
    roll = rng.random()
    for code, share in LANGUAGES:
        if roll < share:
            return code
        roll -= share
    return LANGUAGES[0][0]
