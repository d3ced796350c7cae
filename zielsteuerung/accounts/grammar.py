"""German grammar of organisation names: gender, articles and declined forms.

Agreements decline their parties: "zwischen dem Bayerischen
Staatsministerium …", "Für das Bayerische Staatsministerium …", "Für den
Kreis Coesfeld", "mit der Stadt Essen". Official names without an article use
the strong adjective ending ("Bayerisches Staatsministerium"); after a
definite article the adjective takes the weak ending ("das Bayerische …",
"dem Bayerischen …"). The organisation stores its gender and the three
forms that follow the article; ``guess`` pre-fills them from the name, and
people correct them where the guess is wrong. Pure functions, no Django.
"""

from dataclasses import dataclass

MASCULINE, FEMININE, NEUTER = "m", "f", "n"

# nominative, dative, accusative article for each gender
ARTICLES = {
    MASCULINE: ("der", "dem", "den"),
    FEMININE: ("die", "der", "die"),
    NEUTER: ("das", "dem", "das"),
}

# Head nouns by gender; a word *ending* in one of them counts (Landkreis,
# Hochsauerlandkreis, Staatsministerium, Städteregion …).
_HEADS = (
    (NEUTER, ("ministerium", "amt")),
    (FEMININE, ("stadt", "region", "verwaltung", "gemeinde", "behörde", "kanzlei")),
    (MASCULINE, ("kreis", "senat", "verband", "träger")),
)
_STRONG_ENDINGS = ("es", "er", "e")


@dataclass(frozen=True)
class NameForms:
    """An organisation's name as an agreement declines it."""

    gender: str
    nominative: str  # the name after "der/die/das"
    dative: str  # after "dem/der"
    accusative: str  # after "den/die/das"

    def with_article(self, case):
        """``case`` 0 nominative, 1 dative, 2 accusative: ``dem Kreis Borken``."""
        article = ARTICLES[self.gender][case]
        name = (self.nominative, self.dative, self.accusative)[case]
        return f"{article} {name}"


def _head(words):
    """(index, gender) of the first word that is a known head noun."""
    for index, word in enumerate(words):
        lowered = word.lower().strip(",")
        for gender, heads in _HEADS:
            if lowered.endswith(heads):
                return index, gender
    return None, MASCULINE


def _weak(adjective, gender, case):
    """``Bayerisches`` → ``Bayerische`` / ``Bayerischen`` after an article."""
    stem = adjective
    for ending in _STRONG_ENDINGS:
        if adjective.endswith(ending):
            stem = adjective[: -len(ending)]
            break
    if case == 1 or (case == 2 and gender == MASCULINE):
        return stem + "en"
    return stem + "e"


def guess(name):
    """NameForms for ``name``: the head noun gives the gender, adjectives decline."""
    words = name.split(" ")
    index, gender = _head(words)
    forms = []
    for case in (0, 1, 2):
        declined = [
            _weak(word, gender, case)
            if index is not None
            and position < index
            and word[:1].isupper()
            and word.endswith(_STRONG_ENDINGS)
            else word
            for position, word in enumerate(words)
        ]
        forms.append(" ".join(declined))
    return NameForms(gender, *forms)


def forms(name, gender="", nominative="", dative="", accusative=""):
    """NameForms from stored values, each blank one filled by ``guess``."""
    guessed = guess(name)
    return NameForms(
        gender or guessed.gender,
        nominative or guessed.nominative,
        dative or guessed.dative,
        accusative or guessed.accusative,
    )
