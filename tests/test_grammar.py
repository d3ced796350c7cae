"""Declined organisation names: pure cases, no database."""

import pytest

from zielsteuerung.accounts.grammar import forms, guess


@pytest.mark.parametrize(
    ("name", "nominative", "dative", "accusative"),
    [
        (
            "Kreis Coesfeld",
            "der Kreis Coesfeld",
            "dem Kreis Coesfeld",
            "den Kreis Coesfeld",
        ),
        ("Stadt Essen", "die Stadt Essen", "der Stadt Essen", "die Stadt Essen"),
        (
            "Hochsauerlandkreis",
            "der Hochsauerlandkreis",
            "dem Hochsauerlandkreis",
            "den Hochsauerlandkreis",
        ),
        (
            "Ennepe-Ruhr-Kreis",
            "der Ennepe-Ruhr-Kreis",
            "dem Ennepe-Ruhr-Kreis",
            "den Ennepe-Ruhr-Kreis",
        ),
        (
            "Region Hannover",
            "die Region Hannover",
            "der Region Hannover",
            "die Region Hannover",
        ),
        (
            "Landkreis Miesbach",
            "der Landkreis Miesbach",
            "dem Landkreis Miesbach",
            "den Landkreis Miesbach",
        ),
        (
            "Ministerium für Arbeit, Gesundheit und Soziales des Landes Nordrhein-Westfalen",
            "das Ministerium für Arbeit, Gesundheit und Soziales des Landes Nordrhein-Westfalen",
            "dem Ministerium für Arbeit, Gesundheit und Soziales des Landes Nordrhein-Westfalen",
            "das Ministerium für Arbeit, Gesundheit und Soziales des Landes Nordrhein-Westfalen",
        ),
        (
            "Bayerisches Staatsministerium für Familie, Arbeit und Soziales",
            "das Bayerische Staatsministerium für Familie, Arbeit und Soziales",
            "dem Bayerischen Staatsministerium für Familie, Arbeit und Soziales",
            "das Bayerische Staatsministerium für Familie, Arbeit und Soziales",
        ),
        (
            "Hessisches Ministerium für Soziales und Integration",
            "das Hessische Ministerium für Soziales und Integration",
            "dem Hessischen Ministerium für Soziales und Integration",
            "das Hessische Ministerium für Soziales und Integration",
        ),
        (
            "Sächsische Staatskanzlei",
            "die Sächsische Staatskanzlei",
            "der Sächsischen Staatskanzlei",
            "die Sächsische Staatskanzlei",
        ),
    ],
)
def test_guessed_forms_after_the_article(name, nominative, dative, accusative):
    names = guess(name)
    assert [names.with_article(case) for case in (0, 1, 2)] == [
        nominative,
        dative,
        accusative,
    ]


def test_stored_forms_win_over_the_guess():
    names = forms("Städteregion Aachen", gender="f", dative="StädteRegion Aachen")
    assert names.with_article(1) == "der StädteRegion Aachen"
    assert names.with_article(0) == "die Städteregion Aachen"
