"""Demo data: the ministry of NRW, its 18 providers, three users, two agreements.

The content is plain data; ``load_demo`` writes it in one transaction and
leaves whatever is already there alone, so it can run any number of times.
Facts and figures follow the agreements of Kreis Coesfeld (2014) and Kreis
Borken (2023); every text is written anew for the demo.
"""

import datetime
from dataclasses import asdict, dataclass, replace
from decimal import Decimal

from django.db import transaction

from indicators.demo import load_demo_figures
from indicators.models import DataStatus
from indicators.registry import Unit
from zielsteuerung.accounts.models import (
    Organisation,
    OrganisationKind,
    OrganisationName,
    Role,
    User,
)

from . import dialogue_services, services, wording
from .models import (
    DEFAULT_LEGAL_BASIS,
    Agreement,
    AgreementStatus,
    Comparator,
    FocusArea,
    Goal,
    PartyRole,
    Salutation,
    SteeringDialogue,
    Target,
    TargetKind,
)

DEMO_PASSWORD = "zielsteuerung-demo"  # noqa: S105 - documented demo login


# --- The shapes of the data ---------------------------------------------------


@dataclass(frozen=True)
class OrganisationData:
    name: str
    short_name: str
    regional_key: str
    jobcenter_name: str
    seat: str
    state_name: str = ""
    signatory_salutation: str = ""
    signatory_function: str = ""
    signatory_name: str = ""


@dataclass(frozen=True)
class UserData:
    username: str
    first_name: str
    last_name: str
    regional_key: str  # of the user's organisation
    role: str = Role.EDITOR
    manages_users: bool = False


@dataclass(frozen=True)
class PartyData:
    representative_salutation: str
    representative_name: str
    representative_function: str
    in_representation: bool = False
    signing_place: str = ""
    signing_date: datetime.date | None = None


@dataclass(frozen=True)
class TargetData:
    kind: str
    indicator: str = ""
    local: bool = False
    label: str = ""
    subject: str = ""
    intro: str = ""
    sentence: str = ""
    closing: str = ""
    unit: str = ""
    comparator: str = ""
    target_value: Decimal | None = None
    tolerance: Decimal | None = None
    target_change: Decimal | None = None
    data_status: str = ""
    baseline_value: Decimal | None = None
    baseline_year: int | None = None
    baseline_month: int | None = None
    baseline_data_status: str = ""
    deadline: datetime.date | None = None
    numbers_confirmed_reason: str = ""


@dataclass(frozen=True)
class GoalData:
    number: str
    title: str
    text: str = ""
    local_intro: str = ""
    targets: tuple[TargetData, ...] = ()


@dataclass(frozen=True)
class AgreementData:
    provider_key: str
    year: int
    status: str
    ministry: PartyData
    provider: PartyData
    preamble: str
    references: str
    goals_intro: str
    cooperation: str
    goals: tuple[GoalData, ...]
    focus_areas: tuple[tuple[str, str], ...] = ()
    goals_heading: str = ""
    cooperation_heading: str = ""


def qualitative(sentence, deadline=None):
    """A qualitative target of the Jobcenter, listed among the local targets."""
    return TargetData(
        kind=TargetKind.QUALITATIVE, local=True, sentence=sentence, deadline=deadline
    )


# --- Organisations and users --------------------------------------------------

MINISTRY = OrganisationData(
    name="Ministerium für Arbeit, Gesundheit und Soziales des Landes "
    "Nordrhein-Westfalen",
    short_name="MAGS NRW",
    regional_key="05",
    jobcenter_name="",
    seat="Düsseldorf",
    state_name="Nordrhein-Westfalen",
    signatory_salutation=Salutation.MR,
    signatory_function="Staatssekretär",
    signatory_name="Matthias Heidmeier",
)
MINISTRY_FORMER_NAME = {
    "name": "Ministerium für Arbeit, Integration und Soziales des Landes "
    "Nordrhein-Westfalen",
    "short_name": "MAIS NRW",
    "valid_until": datetime.date(2017, 6, 29),
}


def _kreis(short_name, key, seat, name=None, jobcenter_name=None):
    return OrganisationData(
        name=name or f"Kreis {short_name}",
        short_name=short_name,
        regional_key=key,
        jobcenter_name=jobcenter_name or f"Jobcenter des Kreises {short_name}",
        seat=seat,
    )


def _stadt(short_name, key):
    return OrganisationData(
        name=f"Stadt {short_name}",
        short_name=short_name,
        regional_key=key,
        jobcenter_name=f"Jobcenter {short_name}",
        seat=short_name,
    )


# Regional keys: the official Kreisschlüssel (first five digits of the AGS).
PROVIDERS = (
    replace(
        _kreis("Borken", "05554", "Borken"),
        signatory_salutation=Salutation.MR,
        signatory_function="Landrat",
        signatory_name="Dr. Kai Zwicker",
    ),
    _kreis("Coesfeld", "05558", "Coesfeld"),
    _kreis("Düren", "05358", "Düren"),
    _kreis(
        "Ennepe-Ruhr-Kreis",
        "05954",
        "Schwelm",
        name="Ennepe-Ruhr-Kreis",
        jobcenter_name="Jobcenter des Ennepe-Ruhr-Kreises",
    ),
    _stadt("Essen", "05113"),
    _kreis("Gütersloh", "05754", "Gütersloh"),
    _stadt("Hamm", "05915"),
    _kreis(
        "Hochsauerlandkreis",
        "05958",
        "Meschede",
        name="Hochsauerlandkreis",
        jobcenter_name="Jobcenter des Hochsauerlandkreises",
    ),
    _kreis("Kleve", "05154", "Kleve"),
    _kreis("Lippe", "05766", "Detmold"),
    _kreis("Minden-Lübbecke", "05770", "Minden"),
    _stadt("Mülheim an der Ruhr", "05117"),
    _stadt("Münster", "05515"),
    _kreis("Recklinghausen", "05562", "Recklinghausen"),
    _kreis("Steinfurt", "05566", "Steinfurt"),
    _stadt("Solingen", "05122"),
    _kreis("Warendorf", "05570", "Warendorf"),
    _stadt("Wuppertal", "05124"),
)

USERS = (
    UserData(
        "ministerium", "Maria", "Schneider", MINISTRY.regional_key, manages_users=True
    ),
    UserData("coesfeld", "Thomas", "Becker", "05558"),
    UserData("borken", "Sabine", "Wessels", "05554"),
)


# --- Kreis Coesfeld 2014 ------------------------------------------------------

COESFELD_2014_PREAMBLE = """\
Mit dieser Vereinbarung wollen die Partner die Ziele, die das SGB II vorgibt, \
im Kreis Coesfeld verwirklichen. Der Grundsatz des Förderns und Forderns soll so \
umgesetzt werden, dass die Leistungsberechtigten ihn nachvollziehen können. Er soll \
vor allem dazu beitragen,

- eine Erwerbstätigkeit aufzunehmen und dauerhaft auszuüben,
- die Beschäftigungsfähigkeit zu sichern, zu stärken oder wiederzugewinnen,
- ein Leben ohne staatliche Unterstützung zu führen und
- am gesellschaftlichen Leben teilzuhaben.

So viele Leistungsberechtigte wie möglich sollen auf Dauer eine Arbeit finden, \
von der sie leben können. Außerdem soll die Hilfebedürftigkeit sinken, \
Langzeitarbeitslosigkeit verhindert werden, und auch Schritte, die einer \
Integration den Weg bereiten, sollen gelingen."""

COESFELD_2014_REFERENCES = """\
Die Partner arbeiten eng zusammen. Sie stützen sich dabei auf die vom \
Bund-Länder-Ausschuss verabschiedeten Papiere „Gemeinsame Grundlagen der \
Zielsteuerung SGB II“ und „Gemeinsames Planungsdokument für die Zielsteuerung \
2014 im SGB II“. Hinzu kommt die für 2014 nach § 18b SGB II geschlossene \
Vereinbarung zwischen dem Bundesministerium für Arbeit und Soziales und dem MAIS \
NRW, die Ziele und Schwerpunkte der Arbeitsmarkt- und Integrationspolitik in der \
Grundsicherung für Arbeitsuchende in Nordrhein-Westfalen festlegt.

Als Anlage gehört das „Lokale Planungsdokument 2014 für den dezentralen \
Planungsprozess im SGB II des Jobcenters des Kreises Coesfeld“ zu dieser \
Vereinbarung."""

COESFELD_2014_FOCUS_AREAS = (
    (
        "Nachhaltige Integrationen, die den Lebensunterhalt sichern",
        "Hilfebedürftigkeit lässt sich nur mit einer Arbeit überwinden, deren "
        "Einkommen zum Leben reicht. Darauf richten alle Beteiligten ihre "
        "Anstrengungen vorrangig aus. Dazu gehört auch, berufliche Kompetenzen zu "
        "stärken – bis hin zu einer Qualifizierung mit Abschluss für junge "
        "Erwachsene, die noch keinen Berufsabschluss haben.",
    ),
    (
        "Langzeitleistungsbeziehende aktivieren und ihre Chancen auf Arbeit erhöhen",
        "Vor allem sollen Strategien entstehen und besser werden, mit denen "
        "Langzeitleistungsbeziehende mit vielfältigen Hürden auf dem Weg in den "
        "Arbeitsmarkt aktiviert und integriert werden. Menschen in besonderen "
        "sozialen Problemlagen gilt dabei besondere Aufmerksamkeit.",
    ),
    (
        "Kommunale Eingliederungsleistungen nach § 16a SGB II besser erbringen",
        "Zum einen soll die Organisation der kommunalen Eingliederungsleistungen "
        "besser werden. Zum anderen sollen diese Leistungen vor Ort enger mit den "
        "Leistungen des Bundes verzahnt werden, damit die sozialpolitischen und die "
        "arbeitsmarktpolitischen Ziele des SGB II besser ineinandergreifen.",
    ),
    (
        "Zusammenarbeit bei der Integration junger Menschen stärken",
        "Alle Stellen, die junge Menschen auf dem Weg in Ausbildung und Arbeit "
        "begleiten – aus den Rechtskreisen SGB II, SGB III und SGB VIII –, sollen "
        "ihre Zusammenarbeit weiterentwickeln.",
    ),
)

COESFELD_2014_GOAL_I = GoalData(
    number="I",
    title="Verringerung der Hilfebedürftigkeit",
    text="Das Ziel macht sichtbar, in welchem Maß erwerbsfähige Leistungsberechtigte "
    "ihren Lebensunterhalt selbst sichern können, ohne auf die Grundsicherung "
    "angewiesen zu sein, und wie weit die Hilfebedürftigkeit insgesamt abnimmt.",
    local_intro="Um die Hilfebedürftigkeit zu verringern, setzt sich das Jobcenter "
    "des Kreises Coesfeld außerdem dieses Ziel:",
    targets=(
        TargetData(
            kind=TargetKind.MONITORING,
            indicator="k1",
            sentence="Ob das Ziel erreicht wird, verfolgen die Partner über ein "
            "Monitoring.",
            closing="Erreicht werden soll das vor allem durch Integrationen in Arbeit, "
            "die von Dauer sind und den Lebensunterhalt decken. Im Jahr {jahr} achtet "
            "das Jobcenter des Kreises Coesfeld besonders darauf, wie sich die "
            "passiven Leistungen entwickeln.",
        ),
        TargetData(
            kind=TargetKind.LEVEL,
            local=True,
            indicator="bg",
            target_value=Decimal(4400),
            comparator=Comparator.AT_MOST,
            sentence="Die Zahl der Bedarfsgemeinschaften im ganzen Kreisgebiet sinkt "
            "im Jahresdurchschnitt {jahr} auf höchstens {zielwert}.",
        ),
    ),
)

COESFELD_2014_GOAL_II = GoalData(
    number="II",
    title="Verbesserung der Integration in Erwerbstätigkeit",
    text="Mit einer Erwerbstätigkeit soll Hilfebedürftigkeit gar nicht erst entstehen "
    "oder wieder beendet werden.",
    local_intro="Um mehr Menschen in Erwerbstätigkeit zu bringen, setzt sich das "
    "Jobcenter des Kreises Coesfeld außerdem diese Ziele:",
    targets=(
        TargetData(
            kind=TargetKind.LEVEL,
            indicator="k2",
            target_value=Decimal("25.4"),
            comparator=Comparator.AT_LEAST,
            data_status=DataStatus.PROVISIONAL,
            baseline_value=Decimal("22.5"),
            baseline_year=2013,
            baseline_month=12,
            baseline_data_status=DataStatus.PROVISIONAL,
            target_change=Decimal("12.9"),
        ),
        TargetData(
            kind=TargetKind.COUNT,
            local=True,
            unit=Unit.PERSONS,
            target_value=Decimal(20),
            comparator=Comparator.UP_TO,
            sentence="Für bis zu {zielwert} arbeitsmarktferne Leistungsbeziehende im "
            "Jahr entstehen niedrigschwellige Beschäftigungsangebote; eine Teilnahme "
            "dauert jeweils höchstens sechs Monate.",
        ),
        TargetData(
            kind=TargetKind.LEVEL,
            local=True,
            indicator="arbeitslose_u25",
            target_value=Decimal(150),
            comparator=Comparator.AT_MOST,
            baseline_value=Decimal(185),
            baseline_year=2013,
            sentence="Die Zahl der arbeitslosen jungen Menschen unter 25 Jahren sinkt "
            "von durchschnittlich {ausgangswert} im Jahr {vorjahr} auf höchstens "
            "{zielwert} im Jahresdurchschnitt {jahr}.",
        ),
        TargetData(
            kind=TargetKind.COUNT,
            local=True,
            unit=Unit.PERSONS,
            target_value=Decimal(20),
            comparator=Comparator.AT_LEAST,
            sentence="Im Projekt „Job-AKTIV“ wird bei mindestens {zielwert} "
            "Teilnehmenden aus einem Minijob eine sozialversicherungspflichtige "
            "Beschäftigung.",
            closing="Dafür werden im Projekt 100 Personen aktiviert.",
            numbers_confirmed_reason="100 ist die Zahl der Personen, die das Projekt "
            "aktiviert, nicht der Zielwert.",
        ),
    ),
)

COESFELD_2014_GOAL_III = GoalData(
    number="III",
    title="Vermeidung von langfristigem Leistungsbezug",
    text="Im Blick stehen hier Leistungsberechtigte, die schon lange Leistungen "
    "beziehen oder wegen besonderer Schwierigkeiten Gefahr laufen, dauerhaft darauf "
    "angewiesen zu bleiben. Das Ziel dient dem allgemeinen Anliegen des SGB II, "
    "Zeiten des Leistungsbezugs abzukürzen und auch Menschen mit schlechteren "
    "Aussichten auf dem Arbeitsmarkt mehr Teilhabe und eine bessere "
    "Beschäftigungsfähigkeit zu ermöglichen.",
    local_intro="Um langen Leistungsbezug zu vermeiden, setzt sich das Jobcenter des "
    "Kreises Coesfeld außerdem diese Ziele:",
    targets=(
        TargetData(
            kind=TargetKind.CHANGE,
            indicator="k3",
            target_value=Decimal("0.5"),
            comparator=Comparator.AT_MOST,
            baseline_value=Decimal(3489),
            baseline_year=2013,
            baseline_month=12,
            intro="Der durchschnittliche Bestand an Langzeitleistungsbeziehenden soll "
            "gegenüber dem Ist-Wert vom {ausgangszeitraum} nahezu gleich bleiben.",
        ),
        qualitative(
            "Die Langzeitleistungsbeziehenden werden danach ausgewertet, ob und wie "
            "sie erwerbstätig sind (geringfügig Beschäftigte, Aufstockende und "
            "Ergänzende, Personen ganz ohne Einkommen). Auf dieser Grundlage "
            "entstehen passende Integrationsangebote.",
        ),
        qualitative(
            "Bis zum {frist} liegt ein Konzept vor, wie Leistungsbeziehende, die schon "
            "seit Jahren im SGB II sind, auf dem ersten Arbeitsmarkt Fuß fassen oder "
            "zumindest leichter vermittelt werden können. Zuerst geht es um "
            "Bedarfsgemeinschaften aus zwei Personen ohne Kinder unter 18 Jahren.",
            deadline=datetime.date(2015, 12, 31),
        ),
        TargetData(
            kind=TargetKind.LEVEL,
            local=True,
            indicator="lzb_anteil",
            target_value=Decimal("40.8"),
            comparator=Comparator.AT_MOST,
            baseline_value=Decimal("40.8"),
            baseline_year=2013,
            baseline_month=12,
            sentence="Der Anteil der Langzeitleistungsbeziehenden an allen "
            "Leistungsbeziehenden im SGB II bleibt stabil: Er steigt im "
            "Jahresdurchschnitt {jahr} nicht über den Wert vom {ausgangszeitraum} "
            "({ausgangswert}).",
        ),
    ),
)

COESFELD_2014_GOAL_IV = (
    GoalData(
        number="IV",
        title="Verbesserung von Leistungsprozessen",
        text="Um seine Leistungsprozesse zu verbessern, hat sich das Jobcenter des "
        "Kreises Coesfeld die folgenden Ziele gesetzt.",
    ),
    GoalData(
        number="IV-A",
        title="Strategische Ziele",
        targets=(
            TargetData(
                kind=TargetKind.LEVEL,
                local=True,
                indicator="alq_sgb2",
                target_value=Decimal("1.7"),
                comparator=Comparator.ABOUT,
                tolerance=Decimal("0.2"),
                sentence="Die Arbeitslosenquote im SGB II bleibt im Durchschnitt "
                "des Jahres {jahr} stabil bei ungefähr {zielwert} (± {toleranz}).",
            ),
        ),
    ),
    GoalData(
        number="IV-B",
        title="Verbesserung der Geschäftsprozesse",
        targets=(
            qualitative(
                "Die gemeinsam mit den Städten und Gemeinden erarbeiteten Eckpunkte "
                "für das Zusammenspiel von gemeindlichem Fallmanagement und der "
                "Hilfeplanung des Kreises werden umgesetzt. Klarere Zuständigkeiten "
                "und eine engere Zusammenarbeit sollen Aktivierung und Vermittlung "
                "der Leistungsberechtigten effizienter machen."
            ),
            qualitative(
                "Für Arbeitgeberservice und Vermittlung werden 2014 Mindeststandards, "
                "die im ganzen Kreis gelten, weiterentwickelt und mit den "
                "kreisangehörigen Städten und Gemeinden verbindlich vereinbart."
            ),
            qualitative(
                "Zusammen mit den Jugendämtern und dem Kreisgesundheitsamt, vor allem "
                "dessen sozialpsychiatrischem Dienst, entsteht ein "
                "Integrationskonzept, das junge Menschen unter 25 Jahren umfassend "
                "begleitet."
            ),
            qualitative(
                "Die Abläufe bei den kommunalen Leistungen nach § 16a SGB II werden "
                "besonders in den Blick genommen. Mit den Städten und Gemeinden "
                "werden Unterstützungsangebote abgesprochen, damit im ganzen Kreis "
                "Coesfeld einheitlich gearbeitet wird."
            ),
        ),
    ),
    GoalData(
        number="IV-C",
        title="Fokussierung auf spezielle Zielgruppen",
        targets=(
            qualitative(
                "Alle arbeitslosen jungen Leistungsbeziehenden im Kreisgebiet "
                "erhalten rasch ein Angebot, das sie aktiviert oder ihnen den Weg in "
                "den Arbeitsmarkt öffnet."
            ),
            qualitative(
                "Die Daten zu den Alleinerziehenden im Kreis werden ausgewertet und "
                "in feinere Gruppen gegliedert; für erste dieser Gruppen entstehen "
                "Angebote zur Aktivierung und Integration."
            ),
            qualitative(
                "Eine Auswertung der Leistungsbeziehenden unter 25 Jahren mit und "
                "ohne Schul- oder Berufsabschluss klärt, ob fördernde Angebote ihre "
                "Chancen auf Integration verbessern können."
            ),
            qualitative(
                "Das Jobcenter des Kreises Coesfeld wirkt aktiv an der Schnittstelle "
                "zur Landesinitiative „Kein Abschluss ohne Anschluss“ mit."
            ),
        ),
    ),
)

COESFELD_2014_GOAL_V = GoalData(
    number="V",
    title="Unterstützungsangebote",
    text="Auch 2014 bietet das MAIS NRW den Jobcentern in Nordrhein-Westfalen "
    "Unterstützung an, damit sie ihre Ziele erreichen. Das Programm läuft von Juni "
    "2014 bis Juni 2015; alle Jobcenter erhalten es Ende April 2014.\n\n"
    "Einzelheiten zu den Angeboten erscheinen nach und nach auf www.arbeit.nrw.de "
    "im Bereich „Grundsicherung/Steuerung SGB II“.",
)

COESFELD_2014 = AgreementData(
    provider_key="05558",
    year=2014,
    status=AgreementStatus.FINAL,
    ministry=PartyData(
        representative_salutation=Salutation.MR,
        representative_name="Dr. Wilhelm Schäffer",
        representative_function="Staatssekretär",
        in_representation=True,
        signing_place="Düsseldorf",
        signing_date=datetime.date(2014, 6, 2),
    ),
    provider=PartyData(
        representative_salutation=Salutation.MR,
        representative_name="Konrad Püning",
        representative_function="Landrat",
        signing_place="Coesfeld",
        signing_date=datetime.date(2014, 5, 9),
    ),
    preamble=COESFELD_2014_PREAMBLE,
    references=COESFELD_2014_REFERENCES,
    goals_intro="Beide Partner wirken gemeinsam darauf hin, dass das Jobcenter des "
    "Kreises Coesfeld die folgenden Ziele im Jahr 2014 erreicht.",
    goals_heading="1. Ziele für das {jobcenter} {jahr}",
    cooperation_heading="2. Dialoge zur Zielsteuerung",
    cooperation="Üblicherweise führen die Partner zwei Dialoge zur Zielsteuerung im "
    "Jahr.\n\n"
    "Ändern sich die Rahmenbedingungen im Laufe des Jahres, fließt das in die "
    "Beurteilung ein, ob die Ziele erreicht wurden.",
    focus_areas=COESFELD_2014_FOCUS_AREAS,
    goals=(
        COESFELD_2014_GOAL_I,
        COESFELD_2014_GOAL_II,
        COESFELD_2014_GOAL_III,
        *COESFELD_2014_GOAL_IV,
        COESFELD_2014_GOAL_V,
    ),
)


# --- Kreis Borken 2023 --------------------------------------------------------

BORKEN_2023_PREAMBLE = """\
Ein Leben in Würde für alle Leistungsberechtigten – das ist der Auftrag der \
Grundsicherung für Arbeitsuchende. Das SGB II sichert das soziokulturelle \
Existenzminimum, stärkt die Beschäftigungsfähigkeit und hilft dabei, eine Arbeit \
aufzunehmen und zu behalten. So sollen Menschen von Transferleistungen unabhängig \
werden und am gesellschaftlichen Leben teilhaben.

Diese Vereinbarung verfolgt deshalb vor allem die Absicht,

- möglichst viele Arbeitsuchende auf Dauer in eine Arbeit zu bringen, von der sie \
leben können,
- langen Leistungsbezug und Langzeitarbeitslosigkeit zu verhindern und abzubauen,
- die Hilfebedürftigkeit insgesamt zu senken,
- Teilhabe am gesellschaftlichen Leben zu sichern, wo eine Arbeitsaufnahme vorerst \
nicht in Reichweite ist, und
- den Leistungsberechtigten mehr Wege zu eröffnen, ihre Hilfebedürftigkeit selbst \
zu überwinden.

Frauen und Männer sollen gleichgestellt werden; nach § 1 Abs. 2 S. 3 SGB II ist \
das eine Aufgabe, die alle Handlungsfelder durchzieht.

2023 wird für die Jobcenter erneut ein anspruchsvolles Jahr. Das Bürgergeld hat \
die Grundsicherung für Arbeitsuchende reformiert; die neuen Regeln müssen gut \
umgesetzt und vor Ort fest verankert werden. Zugleich belasten der Krieg in der \
Ukraine und die Energiekrise, die er ausgelöst hat, weiterhin stark.

Wie viele Schutzsuchende noch nach Deutschland kommen und wie sich Wirtschaft und \
Beschäftigung entwickeln, lässt sich nicht vorhersagen. Voraussichtlich werden \
aber mehr Menschen auf die Grundsicherung angewiesen sein. Die Jobcenter müssen \
ihr Ankommen begleiten und ihnen nach und nach Qualifizierung und Vermittlung \
anbieten. Hinzu kommen die gestiegenen Energiekosten, die die Arbeit der Jobcenter \
spürbar prägen werden, und die noch nicht überwundenen Folgen der \
Corona-Pandemie."""

BORKEN_2023_REFERENCES = """\
Zusätzlich orientieren sich die zugelassenen kommunalen Träger bei der Umsetzung \
des SGB II an der „Vereinbarung zu den Schwerpunkten in der Grundsicherung für \
Arbeitsuchende im Jahr 2023 zwischen MAGS NRW und Regionaldirektion NRW der BA“. \
Die unterschiedlichen Ausgangslagen der Träger in Nordrhein-Westfalen werden dabei \
beachtet.

Das „Lokale Planungsdokument 2023 des Jobcenters des Kreises Borken“ ist Teil \
dieser Vereinbarung."""

BORKEN_2023_COOPERATION = """\
Das MAGS NRW und der Kreis Borken arbeiten gemeinsam darauf hin, die vereinbarten \
Ziele zu erreichen und das SGB II in Nordrhein-Westfalen erfolgreich umzusetzen.

Im Jahr 2023 führen die Partner in vertrauensvoller Zusammenarbeit zwei \
Steuerungsdialoge. Grundlage sind die Jahresfortschrittswerte, der Inhalt dieser \
Vereinbarung und das Lokale Planungsdokument. Bei der Bewertung der Zielerreichung \
werden der Verlauf der Pandemie im Jahr ebenso einbezogen wie konjunkturelle und \
strukturelle Besonderheiten des Arbeitsmarkts vor Ort. Gegenstand der Dialoge sind:

- die Beobachtung und Steuerung der vereinbarten quantitativen Ziele,
- die Umsetzung des Lokalen Planungsdokuments,
- der Einsatz der Mittel im Jahr 2023 und
- der Austausch über neue Ideen und Handlungsansätze vor Ort.

Auch 2023 lädt das MAGS NRW zu themenbezogenen Gesprächsrunden und Veranstaltungen \
ein. Sie dienen dem Austausch von Erfahrungen, sollen Handlungsansätze, Abläufe und \
Dienstleistungen der Jobcenter weiterentwickeln, die Umsetzung der „Gemeinsamen \
Schwerpunkte“ begleiten und der Grundsicherung für Arbeitsuchende neue Impulse \
geben."""

BORKEN_2023_GOAL_I = GoalData(
    number="I",
    title="Verringerung der Hilfebedürftigkeit",
    text="Erwerbsfähige Leistungsberechtigte sollen den Lebensunterhalt ihrer "
    "Bedarfsgemeinschaft ohne Leistungen nach dem SGB II selbst sichern können, "
    "sodass die Hilfebedürftigkeit insgesamt abnimmt.",
    targets=(
        TargetData(
            kind=TargetKind.MONITORING,
            indicator="k1",
            sentence="Um zu verfolgen, ob das Ziel erreicht wird, beobachten die "
            "Partner in einem Monitoring, wie sich die Leistungen zum "
            "Lebensunterhalt, die Leistungen für Unterkunft und Heizung und die "
            "Fallzahlen gegenüber dem Vorjahr entwickeln.",
            closing="Wie sich die Zahl der Leistungsbeziehenden und die Ausgaben für "
            "passive Leistungen entwickeln, hängt vor allem ab von\n\n"
            "- der Nachhaltigkeit der Integrationen,\n"
            "- dem Anteil der Integrationen, die den Bedarf vollständig decken,\n"
            "- der Integrationsquote der Langzeitleistungsbeziehenden und\n"
            "- der Zahl der Langzeitleistungsbeziehenden, die seit vier Jahren oder "
            "länger Leistungen nach dem SGB II erhalten.\n\n"
            "Das Monitoring wird deshalb um diese vier Analysefelder erweitert.",
        ),
        TargetData(kind=TargetKind.MONITORING, indicator="kdu"),
    ),
)

BORKEN_2023_GOAL_II = GoalData(
    number="II",
    title="Verbesserung der Integration in Erwerbstätigkeit",
    text="Mehr Integrationen sollen Hilfebedürftigkeit verhindern oder beenden. "
    "Gemessen wird das an der Veränderung der Integrationsquote (K2) und an der "
    "absoluten Zahl der Integrationen.",
    targets=(
        TargetData(
            kind=TargetKind.CHANGE,
            indicator="integrationen",
            label="Veränderung der absoluten Zahl der Integrationen",
            target_value=Decimal("12.6"),
            comparator=Comparator.AT_LEAST,
        ),
        TargetData(
            kind=TargetKind.CHANGE,
            indicator="k2",
            label="Veränderung der Integrationsquote (K2)",
            target_value=Decimal(0),
            comparator=Comparator.AT_LEAST,
        ),
        TargetData(
            kind=TargetKind.CHANGE,
            indicator="k2_abstand",
            label="Abstand der Integrationsquoten von Männern und Frauen",
            intro="{jahr} liegt ein besonderes Gewicht darauf, Frauen und Männer "
            "gleichermaßen zu fördern und in Arbeit zu bringen. Dem "
            "Gleichstellungsgrundsatz des SGB II folgend werden anhand des "
            "Gender-Datenblatts die regionalen Ansätze und Bedarfe untersucht.",
            target_value=Decimal(0),
            comparator=Comparator.AT_MOST,
        ),
    ),
)

BORKEN_2023_GOAL_III = GoalData(
    number="III",
    title="Vermeidung von langfristigem Leistungsbezug",
    text="Das Ziel richtet sich auf Leistungsberechtigte, die schon lange Leistungen "
    "beziehen oder bei denen dieses Risiko besteht. Besonders wichtig sind dabei "
    "eine ganzheitliche Beratung, die Umsetzung des Teilhabechancengesetzes, "
    "soziale Teilhabe für Menschen ohne realistische Aussicht auf Beschäftigung "
    "sowie die Förderung von Arbeitsuchenden mit gesundheitlichen Einschränkungen "
    "oder Behinderungen.\n\n"
    "Langer Leistungsbezug soll vermieden oder verringert und die soziale Teilhabe "
    "gestärkt werden. Gemessen wird das daran, wie sich die Zahl der "
    "Langzeitleistungsbeziehenden im Jahresmittel (K3) und die absolute Zahl ihrer "
    "Integrationen verändern.",
    targets=(
        TargetData(
            kind=TargetKind.CHANGE,
            indicator="k3",
            label="Veränderung des jahresdurchschnittlichen Bestandes an "
            "Langzeitleistungsbeziehenden (K3)",
            target_value=Decimal("-5.2"),
            comparator=Comparator.AT_MOST,
        ),
        TargetData(
            kind=TargetKind.CHANGE,
            indicator="lzb_integrationen",
            label="Veränderung der absoluten Zahl der Integrationen von "
            "Langzeitleistungsbeziehenden",
            target_value=Decimal("6.6"),
            comparator=Comparator.AT_LEAST,
        ),
    ),
)

BORKEN_2023 = AgreementData(
    provider_key="05554",
    year=2023,
    status=AgreementStatus.NEGOTIATION,
    ministry=PartyData(
        representative_salutation=Salutation.MR,
        representative_name="Matthias Heidmeier",
        representative_function="Staatssekretär",
        in_representation=True,
        signing_place="Düsseldorf",
    ),
    provider=PartyData(
        representative_salutation=Salutation.MR,
        representative_name="Dr. Kai Zwicker",
        representative_function="Landrat",
        signing_place="Borken",
    ),
    preamble=BORKEN_2023_PREAMBLE,
    references=BORKEN_2023_REFERENCES,
    goals_intro="Für das Jahr 2023 verständigen sich das Ministerium für Arbeit, "
    "Gesundheit und Soziales des Landes Nordrhein-Westfalen und das Jobcenter des "
    "Kreises Borken nach § 48b Abs. 3 SGB II auf die folgenden Ziele.",
    cooperation=BORKEN_2023_COOPERATION,
    goals=(BORKEN_2023_GOAL_I, BORKEN_2023_GOAL_II, BORKEN_2023_GOAL_III),
)

AGREEMENTS = (COESFELD_2014, BORKEN_2023)


# --- Loading ------------------------------------------------------------------


def load_demo(*, reset_passwords=False, stdout=None, complete=True):
    """Create whatever of the demo is missing; report each step to ``stdout``.

    ``complete=False`` leaves out the monthly figures and the other
    providers' agreements: the two seed agreements alone, for tests.
    """

    def say(message):
        if stdout is not None:
            stdout.write(message + "\n")

    with transaction.atomic():
        ministry = _load_ministry(say)
        _load_providers(ministry, say)
        if complete:
            load_demo_figures(say=say)
        _load_users(reset_passwords, say)
        for data in AGREEMENTS:
            _load_agreement(data, say)
        if complete:
            _load_sister_agreements(say)
            _load_dialogues(say)


def _ensure_organisation(data, **extra):
    """The organisation with ``data.regional_key``, created if missing."""
    existing = Organisation.objects.filter(regional_key=data.regional_key).first()
    if existing is not None:
        return existing, False
    organisation = Organisation(**asdict(data), **extra)
    organisation.full_clean()
    organisation.save()
    return organisation, True


def _load_ministry(say):
    ministry, created = _ensure_organisation(MINISTRY, kind=OrganisationKind.MINISTRY)
    _, name_created = OrganisationName.objects.get_or_create(
        organisation=ministry,
        valid_until=MINISTRY_FORMER_NAME["valid_until"],
        defaults=MINISTRY_FORMER_NAME,
    )
    state = "angelegt" if created else "schon vorhanden"
    say(f"Ministerium {ministry.short_name}: {state}.")
    if name_created:
        say(f"  Früherer Name {MINISTRY_FORMER_NAME['short_name']} angelegt.")
    return ministry


def _load_providers(ministry, say):
    created_count = 0
    for data in PROVIDERS:
        _, created = _ensure_organisation(
            data, kind=OrganisationKind.PROVIDER, supervisor=ministry
        )
        created_count += created
    existing = len(PROVIDERS) - created_count
    say(f"Träger: {created_count} angelegt, {existing} schon vorhanden.")


def _load_users(reset_passwords, say):
    for data in USERS:
        user = User.objects.filter(username=data.username).first()
        if user is None:
            user = User(
                username=data.username,
                first_name=data.first_name,
                last_name=data.last_name,
                organisation=Organisation.objects.get(regional_key=data.regional_key),
                role=data.role,
                manages_users=data.manages_users,
            )
            state = "angelegt"
        elif reset_passwords:
            state = "schon vorhanden, Passwort zurückgesetzt"
        else:
            say(f"Benutzer {data.username}: schon vorhanden, Passwort unverändert.")
            continue
        user.set_password(DEMO_PASSWORD)
        user.save()
        say(f"Benutzer {data.username}: {state}.")


def _load_agreement(data, say):
    provider = Organisation.objects.get(regional_key=data.provider_key)
    label = f"Zielvereinbarung {data.year} {provider.name}"
    if Agreement.objects.filter(provider=provider, year=data.year).exists():
        say(f"{label}: schon vorhanden, unverändert gelassen.")
        return
    agreement = services.agreement_create(provider=provider, year=data.year)
    agreement.legal_basis = DEFAULT_LEGAL_BASIS
    for name in _TEXT_FIELDS:
        setattr(agreement, name, getattr(data, name))
    agreement.full_clean()
    agreement.save()
    _fill_party(agreement, PartyRole.MINISTRY, data.ministry)
    _fill_party(agreement, PartyRole.PROVIDER, data.provider)
    _load_focus_areas(provider.supervisor, data)
    targets = sum(_create_goal(agreement, goal) for goal in data.goals)
    agreement = _reach_status(agreement, data)
    say(
        f"{label}: angelegt ({len(data.goals)} Ziele, {targets} Zielvorgaben, "
        f"{agreement.get_status_display()})."
    )


def _load_focus_areas(ministry, data):
    """The state's focus areas of the agreement's year, unless it has some."""
    if not data.focus_areas or FocusArea.objects.of(ministry, data.year).exists():
        return
    for position, (title, text) in enumerate(data.focus_areas):
        FocusArea.objects.create(
            ministry=ministry, year=data.year, position=position, title=title, text=text
        )


_TEXT_FIELDS = (
    "preamble",
    "references",
    "goals_heading",
    "goals_intro",
    "cooperation_heading",
    "cooperation",
)


def _reach_status(agreement, data):
    """Take the agreement through the workflow to the status of the demo."""
    if data.status == AgreementStatus.FINAL:
        editor = User.objects.get(username=USERS[0].username)
        return services.agreement_finalize(agreement=agreement, acting_user=editor)
    agreement.status = data.status
    agreement.save()
    return agreement


def _fill_party(agreement, role, data):
    party = agreement.parties.get(role=role)
    for name, value in asdict(data).items():
        setattr(party, name, value)
    party.full_clean()
    party.save()


def _create_goal(agreement, data):
    """Create the goal with its targets; return the number of targets."""
    goal = Goal(agreement=agreement, number=data.number, title=data.title)
    goal.text = data.text
    goal.local_intro = data.local_intro
    # The database checks the constraints itself; asking it once per object
    # made loading the demo a second slower.
    goal.full_clean(validate_constraints=False)
    services.goal_create(goal=goal)
    for target_data in data.targets:
        target = Target(goal=goal, **asdict(target_data))
        target.full_clean(validate_constraints=False)
        if target.numbers_confirmed_reason:
            target.numbers_confirmed_digest = wording.conflicts_digest(
                target, agreement.year
            )
        services.target_create(target=target)
    return len(data.targets)


# --- The other providers' agreements of 2023 ----------------------------------
# So that the ministry's overview has a row per provider, every other provider
# gets a 2023 agreement shaped like Borken's, with target values of its own.

SISTER_YEAR = 2023
_SISTER_STEPS = {
    "integrationen": (Decimal("4.5"), Decimal("1.3"), 7),
    "k3": (Decimal("-1.5"), Decimal("-0.9"), 5),
    "lzb_integrationen": (Decimal("2.0"), Decimal("1.1"), 6),
}


def sister_target_value(indicator, index):
    """A plausible, deterministic target of provider number ``index``."""
    if indicator not in _SISTER_STEPS:
        return None
    base, step, cycle = _SISTER_STEPS[indicator]
    return base + step * (index % cycle)


def _sister_goal(goal, index):
    targets = []
    for target in goal.targets:
        value = sister_target_value(target.indicator, index)
        if value is not None:
            target = replace(target, target_value=value)
        targets.append(target)
    return replace(goal, targets=tuple(targets))


def _load_sister_agreements(say):
    """Every other provider's 2023 agreement, final or still in negotiation."""
    taken = {data.provider_key for data in AGREEMENTS if data.year == SISTER_YEAR}
    created = 0
    for index, data in enumerate(PROVIDERS):
        provider = Organisation.objects.get(regional_key=data.regional_key)
        if (
            data.regional_key in taken
            or provider.agreements.filter(year=SISTER_YEAR).exists()
        ):
            continue
        agreement = services.agreement_create(provider=provider, year=SISTER_YEAR)
        _fill_party(agreement, PartyRole.MINISTRY, BORKEN_2023.ministry)
        for goal in BORKEN_2023.goals:
            _create_goal(agreement, _sister_goal(goal, index))
        status = (
            AgreementStatus.FINAL if index % 2 == 0 else AgreementStatus.NEGOTIATION
        )
        _reach_status(agreement, replace(BORKEN_2023, status=status))
        created += 1
    say(f"Weitere Zielvereinbarungen {SISTER_YEAR}: {created} angelegt.")


# --- A steering dialogue held (Borken 2023) -----------------------------------
# So that users see a dialogue with its report, minutes and an open action
# before they plan their own: the first of Borken's two dialogues of 2023.


def _load_dialogues(say):
    borken = Agreement.objects.filter(provider__regional_key="05554", year=2023)
    in_force = borken.in_force().first()
    if (
        in_force is None
        or SteeringDialogue.objects.filter(
            agreement__provider=in_force.provider, agreement__year=2023
        ).exists()
    ):
        return
    editor = User.objects.get(username=USERS[0].username)
    dialogue = dialogue_services.dialogue_plan(
        agreement=in_force,
        held_on=datetime.date(2023, 6, 20),
        place="Borken, Kreishaus",
        participants="Maria Schneider, MAGS NRW, Referat Grundsicherung\n"
        "Sabine Wessels, Jobcenter des Kreises Borken, Controlling\n"
        "Leitung des Jobcenters des Kreises Borken",
        acting_user=editor,
    )
    dialogue = dialogue_services.dialogue_prepare(dialogue=dialogue, acting_user=editor)
    dialogue_services.dialogue_minutes_record(
        dialogue=dialogue,
        minutes="Die Zahl der Integrationen liegt unter dem Vorjahr; der Zugang "
        "geflüchteter Menschen aus der Ukraine bindet Beratungskapazität.\n\n"
        "Das Jobcenter stellt im nächsten Dialog vor, wie es Sprachkurs und "
        "Arbeitsaufnahme besser verzahnt.",
        acting_user=editor,
    )
    dialogue_services.action_agree(
        dialogue=dialogue,
        description="Konzept zur Verzahnung von Sprachkurs und Arbeitsaufnahme "
        "vorlegen",
        owner="Jobcenter des Kreises Borken, Bereichsleitung Markt und Integration",
        due_on=datetime.date(2023, 9, 30),
        acting_user=editor,
    )
    say("Steuerungsdialog Borken 2023: ein Dialog mit Bericht, Protokoll und Maßnahme.")
