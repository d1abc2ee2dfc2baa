"""Projects for the cast: what each role may see is decided by these objects.

- `project`: Drenthe, opdrachtgever Gemeente Veenhoven (Olga), opdrachtnemer Hunzebouw (Otto),
  accountmanager Wim (WSP Drenthe); contactpersonen Olga, Otto and Wim. Ended ten days ago, with
  one line ingevoerd (`inzet_open`) and one gevalideerd (`inzet_validated`) for `kandidaat`.
- `project_other_org`: Drenthe, but other organisations and none of our people as contact: only
  the coördinatiepunt of Drenthe (and beheer) sees it.
- `project_groningen`: another region: only beheer sees it.
"""

from datetime import date, timedelta
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone

from accounts.models import OrganisationKind
from projects.models import (
    Contact,
    ContractType,
    Document,
    Invulbestand,
    Inzet,
    InzetStatus,
    Kandidaat,
    Note,
    Project,
)
from projects.services.valuation import inzet_value, project_values_refresh
from tests.factories import OpdrachtnemerFactory, OrganisationFactory, UserFactory
from tests.pdfs import plain_pdf


def make_project(*, opdrachtgever, opdrachtnemer, accountmanager, contacts=(), **fields) -> Project:  # type: ignore[no-untyped-def]
    today = timezone.localdate()
    values = {
        "name": "Project",
        "start_date": today - timedelta(days=400),
        "end_date": today + timedelta(days=200),
        "contract_type": ContractType.SR_VERPLICHTING,
        "verplichting": Decimal("50000.00"),
        **fields,
    }
    project = Project.objects.create(
        opdrachtgever=opdrachtgever,
        opdrachtnemer=opdrachtnemer,
        accountmanager=accountmanager,
        region=opdrachtgever.region,
        **values,
    )
    for user in contacts:
        Contact.objects.create(project=project, user=user)
    return project


def brug_veenhoven(olga, otto, wim, **fields) -> Project:  # type: ignore[no-untyped-def]
    """The project most tests act on: Olga's municipality in Drenthe orders, Otto's firm delivers, Wim is the
    accountmanager, and the three are contactpersoon; `fields` change it."""
    values = {"name": "Brug Veenhoven", "contacts": [olga, otto, wim], **fields}
    return make_project(opdrachtgever=olga.organisation, opdrachtnemer=otto.organisation, accountmanager=wim, **values)


def ended(**fields) -> dict:  # type: ignore[no-untyped-def]
    """The dates of a project whose einddatum passed ten days ago, after more than a year."""
    today = timezone.localdate()
    return {"start_date": today - timedelta(days=400), "end_date": today - timedelta(days=10), **fields}


def make_inzet(project: Project, kandidaat: Kandidaat | None = None, **fields) -> Inzet:  # type: ignore[no-untyped-def]
    values = {
        "soort": "stage",
        "start_date": project.start_date + timedelta(days=10),
        "end_date": project.start_date + timedelta(days=100),
        "amount": Decimal("400.00"),
        "niveau": "mbo",
        **fields,
    }
    inzet = Inzet(project=project, kandidaat=kandidaat, **values)
    errors = inzet_value(inzet)
    assert not errors, errors
    inzet.save()
    project_values_refresh(project)
    return inzet


def make_kandidaat(opdrachtnemer, **fields) -> Kandidaat:  # type: ignore[no-untyped-def]
    values = {"initials": "J.", "surname": "Jansen", "birth_date": date(2004, 5, 1), "doelgroep": "stagiair", **fields}
    return Kandidaat.objects.create(opdrachtnemer=opdrachtnemer, **values)


def invulbestand_csv(project: Project, soort: str = "stage") -> bytes:
    """An invulbestand of one line for `project` (a soort its policy doesn't know makes the row fail)."""
    start = project.start_date
    return (
        "Voorletters;Achternaam;Geboortedatum;Doelgroep;Soort inzet;Startdatum;Einddatum;Bedrag;Niveau\r\n"
        f"P.;Puk;01-01-2003;stagiair;{soort};{start:%d-%m-%Y};{start:%d-%m-%Y};300;mbo\r\n"
    ).encode()


def checked_invulbestand(project: Project, by) -> Invulbestand:  # type: ignore[no-untyped-def]
    """A check of `by` on `project` whose one row failed, as the service keeps it (without running it)."""
    content = invulbestand_csv(project, "vliegles")
    problem = {
        "row": 2,
        "column": "Soort inzet",
        "message": "Onbekende soort inzet ‘vliegles’: kies er een uit de lijst.",
    }
    return Invulbestand.objects.create(
        project=project,
        uploaded_by=by,
        file_name="regels.csv",
        sha256="0" * 64,
        content=content,
        rows=1,
        problems=[problem],
    )


def projects_cast(*, olga, otto, wim, gerda) -> dict:  # type: ignore[no-untyped-def]
    today = timezone.localdate()
    project = make_project(
        name="Brug Veenhoven",
        opdrachtgever=olga.organisation,
        opdrachtnemer=otto.organisation,
        accountmanager=wim,
        contacts=[olga, otto, wim],
        start_date=today - timedelta(days=400),
        end_date=today - timedelta(days=10),
    )
    kandidaat = make_kandidaat(otto.organisation)
    inzet_open = make_inzet(project, kandidaat)
    inzet_validated = make_inzet(
        project,
        kandidaat,
        start_date=project.start_date + timedelta(days=120),
        end_date=project.start_date + timedelta(days=200),
    )
    Inzet.objects.filter(pk=inzet_validated.pk).update(status=InzetStatus.GEVALIDEERD, validated_by=wim)
    note = Note.objects.create(project=project, text="Interne notitie over de aannemer", author=olga)
    content = plain_pdf("Plan")
    document = Document(project=project, original_name="plan.pdf", size=len(content), uploaded_by=olga)
    document.file.save("plan.pdf", ContentFile(content), save=False)
    document.save()
    neighbour = OrganisationFactory(
        name="Gemeente Brinkerveld", kind=OrganisationKind.OPDRACHTGEVER, region=olga.region
    )
    other_on = OpdrachtnemerFactory(name="Andere Aannemer")
    project_other_org = make_project(
        name="Kade Brinkerveld",
        opdrachtgever=neighbour,
        opdrachtnemer=other_on,
        accountmanager=UserFactory(organisation=wim.organisation),
    )
    groningen_wsp = OrganisationFactory(name="WSP Groningen", kind=OrganisationKind.WSP, region=gerda.region)
    project_groningen = make_project(
        name="Haven Noorderdal",
        opdrachtgever=gerda.organisation,
        opdrachtnemer=OpdrachtnemerFactory(name="Noordbouw"),
        accountmanager=UserFactory(organisation=groningen_wsp),
        contacts=[gerda],
    )
    return {
        "project": project,
        "kandidaat": kandidaat,
        "other_kandidaat": make_kandidaat(other_on, surname="Ander"),
        "inzet_open": inzet_open,
        "inzet_validated": inzet_validated,
        "note": note,
        "document": document,
        "project_other_org": project_other_org,
        "project_groningen": project_groningen,
    }
