"""Bad input (issue #8): every form of the portal, fed Hypothesis-made values through its real view.

Each `Case` below is one form as one user meets it: the URL, data the form accepts, and the
kind of every field. `strategies.submission` spoils that data — arbitrary unicode with control
characters and NUL, 10,000-character values, negative, huge and malformed amounts, impossible
dates, the end before the start, missing fields, ids outside the user's scope and tampered
hidden revisions — and the request goes through the test client, as a browser's would. Then:

- never a 500 (the client re-raises any exception of the view);
- refused (the form comes back): at least one error, every field error in Dutch at its field
  (in the field's error element, which the input names in `aria-describedby`), form-wide errors
  in the error summary, and the database exactly as before — every table's content, the
  pghistory events included;
- accepted (a redirect): the stored object holds exactly the values that were sent.

Every example runs in a savepoint that is rolled back, so examples don't see each other's data.
`test_every_form_of_the_portal_is_fuzzed` fails when a form class appears that no case covers.
Set SRM_FUZZ_EXAMPLES (and SRM_FUZZ_RANDOM=1 for fresh random examples) to explore further.
"""

import copy
import importlib
import io
import os
import pkgutil
import re
import time
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import lxml.html
import pytest
from django import forms
from django.apps import apps
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from hypothesis import HealthCheck, currently_in_test_context, event, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from pypdf.generic import NameObject

from accounts.admin import RegionAddForm
from accounts.forms import (
    CodeForm,
    CurrentPasswordForm,
    EmailForm,
    HelpForm,
    LoginForm,
    NewPasswordForm,
    PasswordChangeForm,
    UserCreateForm,
)
from accounts.models import Organisation, OrganisationKind, Region, User
from accounts.sessions import ACCOUNT_LINK, ACCOUNT_SETUP, PENDING_LOGIN
from accounts.tokens import activation_tokens
from core.forms import RevisionCheckForm
from notifications.models import Mail
from policy.forms.beleid import (
    PolicyPublishForm,
    PolicyTextForm,
    PolicyUploadPublishForm,
    PolicyWorkbookForm,
    RekenhulpForm,
)
from policy.forms.content import (
    ContactDetailsForm,
    InfoPageEditForm,
    InfoPageForm,
    NewsItemEditForm,
    NewsItemForm,
)
from policy.models import InfoPage, NewsItem, PolicyUpload, PolicyVersion
from policy.workbook import policy_workbook
from projects.filters import ProjectFilterForm
from projects.forms.contacts import ContactAddForm, ContactInviteForm, DocumentForm, NoteForm
from projects.forms.lifecycle import ApproveForm, VerwijtbaarheidForm
from projects.forms.projects import ProjectEditForm, ProjectForm
from projects.forms.verantwoording import (
    InvulbestandForm,
    InzetForm,
    InzetReturnForm,
    KandidaatEditForm,
    KandidaatForm,
    MoneyField,
    RevisionOnlyForm,
    SoortChoiceForm,
)
from projects.models import (
    Contact,
    Document,
    Invulbestand,
    Inzet,
    InzetStatus,
    Kandidaat,
    Note,
    Project,
    ProjectStatus,
)
from reporting.filters import ReportFilterForm
from reporting.forms import RegionExportForm, RegionImportForm
from reporting.models import Export, RegionImport, RegionImportStatus
from tests import lanes
from tests.conftest import Client, current_code, login
from tests.factories import PASSWORD, UserFactory
from tests.pages import messages_of
from tests.pdfs import action, js, padded_pdf, pdf_with, plain_pdf, root
from tests.projects.cast import brug_veenhoven, invulbestand_csv, make_inzet, make_kandidaat, projects_cast
from tests.reporting.test_region_import_projects import midden_utrecht_workbook
from tests.security.strategies import Spec, submission, texts

pytestmark = pytest.mark.django_db

# Every run, the same 3 fixed examples per form (a deep run 8, a nightly exploration hundreds of random ones: README).
EXAMPLES = lanes.examples(8)
# A filter or search page: fewer fields, and nothing is saved.
FILTER_EXAMPLES = lanes.examples(5)
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,  # no .hypothesis/ folder in the checkout
    derandomize=not os.environ.get("SRM_FUZZ_RANDOM"),  # the suite runs the same examples every time
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)

# The apps whose forms the portal serves.
APPS = ("accounts", "policy", "projects", "notifications", "reporting", "srmonitor")
# Tables a request may always write: the session, django-axes' counters of login attempts.
ALWAYS_WRITTEN = {"django_session", "axes_accessattempt", "axes_accessfailurelog", "axes_accesslog"}
# A wrong code is audited (SPEC §3: every failure is logged), throttled by the device and, at login,
# counted on the account, which locks after OTP_FAILURE_LIMIT in a row.
CODE_AUDIT = frozenset({"accounts_authevent", "otp_totp_totpdevice"})
LOGIN_CODE_AUDIT = CODE_AUDIT | {"accounts_user"}
# Six digits, the wrong ones.
WRONG_CODES = ["000000", " 123456 ", "999999"]
# English as Django (or we) would write it: an error in it means a message missed its translation.
ENGLISH = re.compile(
    r"\b(this field|enter a|ensure|select a|is required|not allowed|valid|invalid|must|characters|please|value)\b",
    re.IGNORECASE,
)
TODAY = timezone.localdate


def dutch(day: date) -> str:
    return f"{day:%d-%m-%Y}"


# --- The world every case plays in ---------------------------------------------------------------


@pytest.fixture
def world(olga, otto, wim, cora, gerda, admin_user) -> dict[str, Any]:
    """The cast of tests/projects/cast.py plus what the end-of-project forms and the account steps need."""
    today = TODAY()
    w: dict[str, Any] = {**projects_cast(olga=olga, otto=otto, wim=wim, gerda=gerda)}
    w |= {"olga": olga, "otto": otto, "wim": wim, "cora": cora, "gerda": gerda, "admin": admin_user}
    drenthe, groningen = olga.region, gerda.region
    w["drenthe"], w["groningen"] = drenthe, groningen
    w["neighbour"] = w["project_other_org"].opdrachtgever
    w["neighbour_user"] = UserFactory(name="Nina Buur", organisation=w["neighbour"])
    w["colleague"] = UserFactory(name="Carla Collega", organisation=olga.organisation)
    w["groningen_wsp"] = w["project_groningen"].accountmanager
    w["groningen_coordinatiepunt"] = Organisation.objects.get(kind=OrganisationKind.COORDINATIEPUNT, region=groningen)
    w["groningen_kandidaat"] = make_kandidaat(w["project_groningen"].opdrachtnemer, surname="Noord")
    w["fresh_kandidaat"] = make_kandidaat(otto.organisation, surname="Vers", initials="V.")
    # Ended, every line validated: the accountmanager may approve it.
    approvable = brug_veenhoven(
        olga,
        otto,
        wim,
        name="Sluis Approve",
        contacts=[olga, otto, wim],
        start_date=today - timedelta(days=300),
        end_date=today - timedelta(days=5),
    )
    line = make_inzet(approvable, w["kandidaat"])
    Inzet.objects.filter(pk=line.pk).update(status=InzetStatus.GEVALIDEERD, validated_by=wim)
    w["approvable"] = approvable
    # Approved with a shortfall: the coördinatiepunt judges whether it is verwijtbaar.
    w["judged"] = brug_veenhoven(
        olga,
        otto,
        wim,
        name="Dijk Oordeel",
        contacts=[olga, otto, wim],
        start_date=today - timedelta(days=300),
        end_date=today - timedelta(days=5),
        status=ProjectStatus.GOEDGEKEURD,
    )
    w["version"] = PolicyVersion.objects.get(region=drenthe)
    w["version_groningen"] = PolicyVersion.objects.get(region=groningen)
    w["news"] = NewsItem.objects.create(region=drenthe, title="Nieuws Drenthe", body="Tekst")
    w["info"] = InfoPage.objects.create(region=drenthe, title="Handleiding Drenthe", body="Tekst")
    w["newcomer"] = UserFactory(organisation=olga.organisation, authenticator=False)
    w["newcomer"].set_unusable_password()
    w["newcomer"].save()
    # Knows the password, lost the authenticator (after a reset): may skip to pairing.
    w["returner"] = UserFactory(organisation=olga.organisation, authenticator=False)
    return w


def start_step(client: Client, key: str, user: User, **extra: Any) -> None:
    session = client.session
    session[key] = {"user": user.pk, "stamp": user.security_stamp, "at": time.time(), **extra}
    session.save()


def activation_link(name: str) -> Callable[[Client, dict], None]:
    """The one-time link of the welkomstmail, opened: the step the set-password form belongs to."""

    def prepare(client: Client, w: dict) -> None:
        session = client.session
        token = activation_tokens.make_token(w[name])
        session[ACCOUNT_LINK] = {"uid": w[name].pk, "token": token, "purpose": "activation"}
        session.save()

    return prepare


# --- What a stored object must hold --------------------------------------------------------------


def text_of(data: Mapping[str, Any], name: str) -> str:
    """What a Django CharField makes of a posted value: stripped; absent is empty."""
    return str(data.get(name, "")).strip()


def parse_date(value: str) -> date:
    return forms.DateField().clean(value)


def parse_int(value: str) -> int:
    return forms.IntegerField().clean(value)


def parse_amount(value: str) -> Decimal:
    return MoneyField(localize=True).clean(value)


def redirected_to(response: HttpResponse, name: str, **kwargs: Any) -> bool:
    return response.status_code == 302 and response["Location"].split("#")[0] == reverse(name, kwargs=kwargs)


# --- Cases ---------------------------------------------------------------------------------------


@dataclass
class Case:
    id: str
    forms: tuple[type[forms.BaseForm], ...]
    user: str | None  # key in the world; None is anonymous
    url: Callable[[dict], str]
    valid: Callable[[dict], dict[str, Any]]
    spec: Callable[[dict], Spec]
    method: str = "POST"
    prepare: Callable[[Client, dict], None] | None = None
    # The form on the page that comes back, from the template context.
    form: Callable[[Any, dict], forms.BaseForm | None] = lambda context, data: context["form"]
    # Whether the response means the input was accepted, and what must then be stored.
    accepted: Callable[[HttpResponse, dict], bool] = lambda response, w: response.status_code == 302
    saved: Callable[[dict, dict, HttpResponse], None] | None = None
    may_write: frozenset[str] = frozenset()
    # A page that is shown again without an error is fine (filters, a preview, a step that asked nothing).
    quiet_ok: Callable[[dict], bool] = lambda data: False


CASES: list[Case] = []


def case(**kwargs: Any) -> None:
    CASES.append(Case(**kwargs))


# Accounts -----------------------------------------------------------------------------------------
case(
    id="login",
    forms=(LoginForm,),
    user=None,
    url=lambda w: reverse("accounts:login"),
    valid=lambda w: {"email": w["cora"].email, "password": PASSWORD},
    spec=lambda w: Spec({"email": "email", "password": "text"}),
    saved=lambda w, data, response: _password_checked(w, data, response),
    accepted=lambda response, w: redirected_to(response, "accounts:login-code"),
    may_write=frozenset({"accounts_authevent"}),
)
case(
    id="login-code",
    forms=(CodeForm,),
    user=None,
    prepare=lambda client, w: start_step(client, PENDING_LOGIN, w["cora"], next=""),
    url=lambda w: reverse("accounts:login-code"),
    valid=lambda w: {"code": current_code(w["cora"])},
    spec=lambda w: Spec({"code": "text"}, foreign={"code": WRONG_CODES}),
    accepted=lambda response, w: redirected_to(response, "home"),
    saved=lambda w, data, response: _logged_in(w, data, response),
    may_write=LOGIN_CODE_AUDIT,
)


def _logged_in(w: dict, data: dict, response: HttpResponse) -> None:
    assert response.wsgi_request.user.pk == w["cora"].pk
    assert data["code"].strip() == current_code(w["cora"])


def _password_checked(w: dict, data: dict, response: HttpResponse) -> None:
    assert response.wsgi_request.session[PENDING_LOGIN]["user"] == w["cora"].pk
    assert data["email"].strip().lower() == w["cora"].email and data["password"] == PASSWORD


def _pairing(client: Client, w: dict) -> None:
    start_step(client, ACCOUNT_SETUP, w["returner"])
    client.get(reverse("accounts:totp-setup"))  # makes the unconfirmed device whose code is valid


def _pairing_code(w: dict) -> dict[str, Any]:
    device = TOTPDevice.objects.get(user=w["returner"], confirmed=False)
    return {"code": f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"}


def _paired(w: dict, data: dict, response: HttpResponse) -> None:
    assert TOTPDevice.objects.get(user=w["returner"]).confirmed


case(
    id="totp-setup",
    forms=(CodeForm,),
    user=None,
    prepare=_pairing,
    url=lambda w: reverse("accounts:totp-setup"),
    valid=_pairing_code,
    spec=lambda w: Spec({"code": "text"}, foreign={"code": WRONG_CODES}),
    accepted=lambda response, w: redirected_to(response, "accounts:login"),
    saved=_paired,
    may_write=CODE_AUDIT,
)
case(
    id="password-forgotten",
    forms=(EmailForm,),
    user=None,
    url=lambda w: reverse("accounts:password-forgotten"),
    valid=lambda w: {"email": w["cora"].email},
    spec=lambda w: Spec({"email": "email"}),
    # The same answer whether or not the address has an account: the page that says a mail is on its way.
    accepted=lambda response, w: "accounts/password_forgotten_sent.html" in [t.name for t in response.templates],
    saved=lambda w, data, response: _reset_mailed(w, data),
)


def _reset_mailed(w: dict, data: dict) -> None:
    to = [message.to for message in mail.outbox]
    assert to == ([[w["cora"].email]] if text_of(data, "email").lower() == w["cora"].email else [])


def _password_set(w: dict, data: dict, response: HttpResponse) -> None:
    assert redirected_to(response, "accounts:totp-setup")
    # Fetched, not refreshed: the world's objects must not carry state of a rolled-back example.
    assert User.objects.get(pk=w["newcomer"].pk).check_password(data["new_password2"])


case(
    id="set-password",
    forms=(NewPasswordForm,),
    user=None,
    prepare=activation_link("newcomer"),
    url=lambda w: reverse("accounts:set-password"),
    valid=lambda w: {
        "action": "new",
        "new_password1": "Een-nieuw-wachtwoord-2026",
        "new_password2": "Een-nieuw-wachtwoord-2026",
    },
    spec=lambda w: Spec({"new_password1": "text", "new_password2": "text"}),
    form=lambda context, data: context["new_form"],
    saved=_password_set,
)
case(
    id="set-password-keep",
    forms=(CurrentPasswordForm,),
    user=None,
    prepare=activation_link("returner"),
    url=lambda w: reverse("accounts:set-password"),
    valid=lambda w: {"action": "keep", "current_password": PASSWORD},
    spec=lambda w: Spec({"current_password": "text", "action": "choice"}),
    form=lambda context, data: context["new_form"] if data.get("action", "new") == "new" else context["keep_form"],
    saved=lambda w, data, response: None,
    accepted=lambda response, w: redirected_to(response, "accounts:totp-setup"),
    # A tampered button name (neither "new" nor "keep") submits no form at all: the page is shown again.
    quiet_ok=lambda data: data.get("action", "new") not in ("new", "keep"),
)


def _user_created(w: dict, data: dict, response: HttpResponse) -> None:
    user = User.objects.get(email=text_of(data, "email").lower())
    assert redirected_to(response, "accounts:user-detail", pk=user.pk)
    assert (user.name, user.phone, user.organisation_id) == (
        text_of(data, "name"),
        text_of(data, "phone"),
        int(data["organisation"]),
    )
    assert user.organisation.region_id == w["drenthe"].pk
    assert [m.to for m in mail.outbox] == [[user.email]]


case(
    id="user-create",
    forms=(UserCreateForm,),
    user="cora",
    url=lambda w: reverse("accounts:user-create"),
    valid=lambda w: {
        "name": "Nieuwe Collega",
        "email": "nieuw@veenhoven.invalid",
        "phone": "06 1234 5678",
        "organisation": w["olga"].organisation.pk,
    },
    spec=lambda w: Spec(
        {"name": "text", "email": "email", "phone": "text", "organisation": "id"},
        foreign={
            "organisation": [
                w["gerda"].organisation.pk,
                w["groningen_coordinatiepunt"].pk,
                w["groningen_wsp"].organisation_id,
            ]
        },
    ),
    saved=_user_created,
)
case(
    id="user-create-by-opdrachtgever",
    forms=(UserCreateForm,),
    user="olga",
    url=lambda w: reverse("accounts:user-create"),
    valid=lambda w: {
        "name": "Collega",
        "email": "c@veenhoven.invalid",
        "phone": "",
        "organisation": w["olga"].organisation.pk,
    },
    spec=lambda w: Spec(
        {"name": "text", "email": "email", "organisation": "id"},
        foreign={"organisation": [w["neighbour"].pk, w["otto"].organisation.pk, w["cora"].organisation_id]},
    ),
    saved=lambda w, data, response: User.objects.get(
        email=text_of(data, "email").lower(), organisation=w["olga"].organisation
    ),
)


def _help_sent(w: dict, data: dict, response: HttpResponse) -> None:
    assert redirected_to(response, "accounts:login")
    sent = Mail.objects.filter(template="hulp_nodig")
    if text_of(data, "website"):  # the honeypot: pretend, send nothing
        assert not sent.exists()
    else:
        assert sent.count() == 1 and text_of(data, "message") in sent.get().text


case(
    id="help",
    forms=(HelpForm,),
    user=None,
    url=lambda w: reverse("accounts:help"),
    valid=lambda w: {
        "region": w["drenthe"].pk,
        "name": "Piet",
        "email": "piet@voorbeeld.invalid",
        "phone": "",
        "message": "Ik kan niet inloggen.",
        "website": "",
    },
    spec=lambda w: Spec(
        {"region": "id", "name": "text", "email": "email", "phone": "text", "message": "text", "website": "text"}
    ),
    saved=_help_sent,
)


def _password_changed(w: dict, data: dict, response: HttpResponse) -> None:
    assert redirected_to(response, "accounts:profile")
    assert User.objects.get(pk=w["olga"].pk).check_password(data["new_password2"])
    assert [m.to for m in mail.outbox] == [[w["olga"].email]]


case(
    id="password-change",
    forms=(PasswordChangeForm,),
    user="olga",
    url=lambda w: reverse("accounts:password-change"),
    valid=lambda w: {
        "current_password": PASSWORD,
        "new_password1": "Een-nieuw-wachtwoord-2026",
        "new_password2": "Een-nieuw-wachtwoord-2026",
    },
    spec=lambda w: Spec({"current_password": "text", "new_password1": "text", "new_password2": "text"}),
    saved=_password_changed,
    # A wrong current password is audited (django-axes counts it too, in tables always written).
    may_write=frozenset({"accounts_authevent"}),
)

# Policy and content -----------------------------------------------------------------------------


def _revisions(current: int) -> list[int]:
    """Revisions someone else's save has made stale, or that never existed."""
    return [current - 1, current + 1, 0]


def _text_saved(w: dict, data: dict, response: HttpResponse) -> None:
    version = PolicyVersion.objects.get(pk=w["version"].pk)
    assert redirected_to(response, "policy:beleid-version", pk=version.pk)
    assert version.text == text_of(data, "text")
    assert version.revision == parse_int(data["revision"]) + 1


case(
    id="beleid-text",
    forms=(PolicyTextForm, RevisionCheckForm),  # the shared revision check, with no model of its own
    user="cora",
    url=lambda w: reverse("policy:beleid-edit", kwargs={"pk": w["version"].pk}),
    valid=lambda w: {"text": "## Nieuwe tekst", "revision": w["version"].revision},
    spec=lambda w: Spec(
        {"text": "text", "revision": "revision"}, foreign={"revision": _revisions(w["version"].revision)}
    ),
    saved=_text_saved,
)


def _publish_valid(w: dict) -> dict[str, Any]:
    base = PolicyVersion.objects.filter(region=w["drenthe"]).with_rules().order_by("-valid_from").first()
    form = PolicyPublishForm(base.to_rules())
    data: dict[str, Any] = {}
    for name, bound in form.fields.items():
        value = bound.initial
        data[name] = str(value).replace(".", ",") if isinstance(value, Decimal) else value
    return data | {"title": "Versie 2027", "valid_from": dutch(TODAY() + timedelta(days=40)), "text": "Tekst"}


def _publish_spec(w: dict) -> Spec:
    numbers = [name for name in _publish_valid(w) if "__" in name]
    kinds = {"title": "text", "valid_from": "date", "text": "text"}
    # Every sixth number: enough to meet each kind of rule without spoiling all forty at once.
    for name in numbers[::6]:
        kinds[name] = "amount" if "months" not in name and "doelgroep" not in name else "int"
    return Spec(kinds)


def _published(w: dict, data: dict, response: HttpResponse) -> None:
    version = PolicyVersion.objects.filter(region=w["drenthe"]).order_by("-valid_from").first()
    assert redirected_to(response, "policy:beleid-version", pk=version.pk)
    assert (version.title, version.text, version.valid_from) == (
        text_of(data, "title"),
        text_of(data, "text"),
        parse_date(data["valid_from"]),
    )


case(
    id="beleid-publish",
    forms=(PolicyPublishForm,),
    user="cora",
    url=lambda w: reverse("policy:beleid-publish"),
    valid=_publish_valid,
    spec=_publish_spec,
    saved=_published,
)


def _drenthe_workbook(w: dict) -> bytes:
    return policy_workbook(
        PolicyVersion.objects.with_rules().filter(region=w["drenthe"]).latest("valid_from").to_rules()
    )


def _workbook_kept(w: dict, data: dict, response: HttpResponse) -> None:
    kept = PolicyUpload.objects.latest("pk")
    assert redirected_to(response, "policy:beleid-workbook-preview", pk=kept.pk)
    assert (kept.region_id, kept.uploaded_by_id, kept.published_id) == (w["drenthe"].pk, w["cora"].pk, None)


case(
    id="beleid-workbook-upload",
    forms=(PolicyWorkbookForm,),
    user="cora",
    url=lambda w: reverse("policy:beleid-workbook-upload"),
    valid=lambda w: {"file": SimpleUploadedFile("beleid.xlsx", _drenthe_workbook(w))},
    spec=lambda w: Spec({"file": "file"}),
    saved=_workbook_kept,
)


def _policy_upload(client: Client, w: dict) -> None:
    """An upload of Cora's not published yet, in the world of this example."""
    content = _drenthe_workbook(w)
    w["policy_upload"] = PolicyUpload.objects.create(
        region=w["drenthe"], uploaded_by=w["cora"], file_name="beleid.xlsx", sha256="0" * 64, content=content
    )


case(
    id="beleid-workbook-publish",
    forms=(PolicyUploadPublishForm,),
    user="cora",
    prepare=_policy_upload,
    url=lambda w: reverse("policy:beleid-workbook-preview", kwargs={"pk": w["policy_upload"].pk}),
    valid=lambda w: {"title": "Versie 2027", "valid_from": dutch(TODAY() + timedelta(days=40)), "text": "Tekst"},
    spec=lambda w: Spec({"title": "text", "valid_from": "date", "text": "text"}),
    saved=_published,
)


def _region_export_queued(w: dict, data: dict, response: HttpResponse) -> None:
    export = Export.objects.get(user=w["cora"], report="regio")
    assert redirected_to(response, "reporting:export-detail", pk=export.pk)
    assert export.params == {"region": w["drenthe"].pk}


case(
    id="region-export",
    forms=(RegionExportForm,),
    user="cora",
    url=lambda w: reverse("reporting:region-export-start"),
    valid=lambda w: {"region": w["drenthe"].pk},
    spec=lambda w: Spec({"region": "id"}, foreign={"region": [w["groningen"].pk]}),
    saved=_region_export_queued,
)


def _region_workbook_kept(w: dict, data: dict, response: HttpResponse) -> None:
    kept = RegionImport.objects.latest("pk")
    assert redirected_to(response, "reporting:region-import-result", pk=kept.pk)
    assert (kept.by_id, kept.file_name) == (w["admin"].pk, data["file"].name)
    assert kept.status in (RegionImportStatus.CHECKING, RegionImportStatus.CHECKED, RegionImportStatus.REFUSED)


case(
    id="region-import-upload",
    forms=(RegionImportForm,),
    user="admin",
    url=lambda w: reverse("reporting:region-import-upload"),
    valid=lambda w: {"file": SimpleUploadedFile("regio.xlsx", midden_utrecht_workbook())},
    spec=lambda w: Spec({"file": "file"}),
    saved=_region_workbook_kept,
)


def _region_added(w: dict, data: dict, response: HttpResponse) -> None:
    region = Region.objects.get(slug=text_of(data, "slug"))
    assert response.status_code == 302 and region.name == text_of(data, "name")
    user = User.objects.get(email=text_of(data, "user_email").lower())
    assert user.organisation.region == region and user.organisation.kind == OrganisationKind.COORDINATIEPUNT
    assert [message.to for message in mail.outbox] == [[user.email]]


case(
    id="region-add",
    forms=(RegionAddForm,),
    user="admin",
    url=lambda w: reverse("admin:accounts_region_add"),
    valid=lambda w: {
        "name": "Midden-Utrecht",
        "slug": "midden-utrecht",
        "coordinatiepunt": "Coördinatiepunt Midden-Utrecht",
        "email": "sr@midden-utrecht.invalid",
        "phone": "030 123 45 67",
        "contact_name": "",
        "website": "",
        "user_name": "Ursula Utrecht",
        "user_email": "ursula@midden-utrecht.invalid",
    },
    spec=lambda w: Spec(
        {
            "name": "text",
            "slug": "text",
            "coordinatiepunt": "text",
            "email": "email",
            "phone": "text",
            "user_name": "text",
            "user_email": "email",
        }
    ),
    form=lambda context, data: context["adminform"].form if "adminform" in context else None,
    saved=_region_added,
)


def _rekenhulp_valid(w: dict) -> dict[str, Any]:
    today = TODAY()
    return {
        "soort": "stage",
        "doelgroep": "stagiair",
        "start": dutch(today - timedelta(days=60)),
        "end": dutch(today + timedelta(days=60)),
        "project_start": "",
        "project_end": "",
        "amount": "400,00",
        "hours_per_week": "",
        "niveau": "mbo",
        "description": "",
        "first_workday": "",
        "birth_date": "",
        "unemployed_since": "",
        "scholing_already_counted": "",
    }


REKENHULP_KINDS = {
    "soort": "choice",
    "doelgroep": "choice",
    "start": "date",
    "end": "date",
    "project_start": "date",
    "project_end": "date",
    "amount": "amount",
    "hours_per_week": "amount",
    "niveau": "choice",
    "description": "text",
    "first_workday": "date",
    "birth_date": "date",
    "unemployed_since": "date",
    "scholing_already_counted": "amount",
}
case(
    id="rekenhulp",
    forms=(RekenhulpForm,),
    user="otto",
    method="GET",
    url=lambda w: reverse("policy:rekenhulp"),
    valid=_rekenhulp_valid,
    spec=lambda w: Spec(
        REKENHULP_KINDS | {"regio": "choice"},
        foreign={
            "soort": ["baan", "anders", "begeleiding", "scholing"],
            "doelgroep": ["ww", "jongere", "wsw"],
            "regio": ["groningen", "fryslan", "drenthe"],
        },
        pairs=[("start", "end"), ("project_start", "project_end")],
    ),
    accepted=lambda response, w: False,
    quiet_ok=lambda data: True,
)


def _news_saved(w: dict, data: dict, response: HttpResponse) -> None:
    item = NewsItem.objects.get(pk=w["news"].pk) if "revision" in data else NewsItem.objects.latest("pk")
    assert redirected_to(response, "policy:news-detail", pk=item.pk)
    assert (item.title, item.body, item.publish_date) == (
        text_of(data, "title"),
        text_of(data, "body"),
        parse_date(data["publish_date"]),
    )


NEWS_KINDS = {"title": "text", "body": "text", "publish_date": "date"}
case(
    id="news-create",
    forms=(NewsItemForm,),
    user="cora",
    url=lambda w: reverse("policy:news-create"),
    valid=lambda w: {
        "title": "Nieuwe Menukaart",
        "body": "De bedragen zijn **verhoogd**.",
        "publish_date": dutch(TODAY()),
    },
    spec=lambda w: Spec(NEWS_KINDS),
    saved=_news_saved,
)
case(
    id="news-edit",
    forms=(NewsItemEditForm,),
    user="cora",
    url=lambda w: reverse("policy:news-edit", kwargs={"pk": w["news"].pk}),
    valid=lambda w: {
        "title": "Ander nieuws",
        "body": "Tekst",
        "publish_date": dutch(TODAY()),
        "revision": w["news"].revision,
    },
    spec=lambda w: Spec(NEWS_KINDS | {"revision": "revision"}, foreign={"revision": _revisions(w["news"].revision)}),
    saved=_news_saved,
)


def _info_saved(w: dict, data: dict, response: HttpResponse) -> None:
    page = InfoPage.objects.get(pk=w["info"].pk) if "revision" in data else InfoPage.objects.latest("pk")
    assert redirected_to(response, "policy:info-detail", pk=page.pk)
    assert (page.kind, page.title, page.body, page.order) == (
        data["kind"],
        text_of(data, "title"),
        text_of(data, "body"),
        parse_int(data["order"]),
    )


INFO_KINDS = {"kind": "choice", "title": "text", "body": "text", "order": "int"}
case(
    id="info-create",
    forms=(InfoPageForm,),
    user="cora",
    url=lambda w: reverse("policy:info-create"),
    valid=lambda w: {"kind": "faq", "title": "Wat telt?", "body": "Uitleg", "order": "3"},
    spec=lambda w: Spec(INFO_KINDS),
    saved=_info_saved,
)
case(
    id="info-edit",
    forms=(InfoPageEditForm,),
    user="cora",
    url=lambda w: reverse("policy:info-edit", kwargs={"pk": w["info"].pk}),
    valid=lambda w: {
        "kind": "handleiding",
        "title": "Handleiding",
        "body": "Tekst",
        "order": "0",
        "revision": w["info"].revision,
    },
    spec=lambda w: Spec(INFO_KINDS | {"revision": "revision"}, foreign={"revision": _revisions(w["info"].revision)}),
    saved=_info_saved,
)


def _contact_saved(w: dict, data: dict, response: HttpResponse) -> None:
    organisation = Organisation.objects.get(pk=w["cora"].organisation_id)
    assert redirected_to(response, "policy:contact-details")
    assert (organisation.contact_name, organisation.email, organisation.phone, organisation.opening_hours) == (
        text_of(data, "contact_name"),
        text_of(data, "email"),
        text_of(data, "phone"),
        text_of(data, "opening_hours"),
    )


case(
    id="contact-details-edit",
    forms=(ContactDetailsForm,),
    user="cora",
    url=lambda w: reverse("policy:contact-details-edit"),
    valid=lambda w: {
        "contact_name": "Team SR",
        "email": "sr@csr-drenthe.invalid",
        "phone": "0592 123 456",
        "opening_hours": "ma-do 9-12",
        "website": "https://drenthe.invalid/sr",
        "revision": w["cora"].organisation.revision,
    },
    spec=lambda w: Spec(
        {
            "contact_name": "text",
            "email": "email",
            "phone": "text",
            "opening_hours": "text",
            "website": "text",
            "revision": "revision",
        },
        foreign={
            "revision": _revisions(w["cora"].organisation.revision),
            "website": ["javascript:alert(1)", "ftp://x"],
        },
    ),
    saved=_contact_saved,
)

# Projects ---------------------------------------------------------------------------------------
FILTER_KINDS = {
    "projectnaam": "text",
    "opdrachtnemer": "text",
    "opdrachtgever": "text",
    "contractafspraak": "choice",
    "sort": "choice",
    "pagina": "int",
}
for name in ("projects:list",):  # the afgeronde list is the same view and form
    case(
        id=name.replace(":", "-"),
        forms=(ProjectFilterForm,),
        user="cora",
        method="GET",
        url=lambda w, name=name: reverse(name),
        valid=lambda w: {"projectnaam": "brug", "sort": "-verplichting", "contractafspraak": "sr_verplichting"},
        spec=lambda w: Spec(FILTER_KINDS, foreign={"sort": ["percentage", "-name", "pk", "password"]}),
        accepted=lambda response, w: False,
        quiet_ok=lambda data: True,
    )


def _project_valid(w: dict, opdrachtgever: str = "olga") -> dict[str, Any]:
    today = TODAY()
    return {
        "name": "Fietspad Zuidlaren",
        "kenmerk": "AB-2026-014",
        "description": "Aanleg van een fietspad.",
        "opdrachtgever": w[opdrachtgever].organisation.pk,
        "opdrachtnemer": w["otto"].organisation.pk,
        "new_opdrachtnemer_name": "",
        "new_opdrachtnemer_kvk_number": "",
        "new_opdrachtnemer_address": "",
        "start_date": dutch(today),
        "end_date": dutch(today + timedelta(days=365)),
        "contract_type": "sr_verplichting",
        "opdrachtsom": "",
        "sr_percentage": "",
        "verplichting": "25.000,00",
        "verplichting_vastgesteld": "",
        "accountmanager": w["wim"].pk,
    }


PROJECT_KINDS = {
    "name": "text",
    "kenmerk": "text",
    "description": "text",
    "opdrachtgever": "id",
    "opdrachtnemer": "id",
    "new_opdrachtnemer_name": "text",
    "new_opdrachtnemer_kvk_number": "text",
    "new_opdrachtnemer_address": "text",
    "start_date": "date",
    "end_date": "date",
    "contract_type": "choice",
    "opdrachtsom": "amount",
    "sr_percentage": "amount",
    "verplichting": "amount",
    "verplichting_vastgesteld": "amount",
    "accountmanager": "id",
}


def _project_spec(w: dict) -> Spec:
    return Spec(
        PROJECT_KINDS,
        foreign={
            "opdrachtgever": [w["neighbour"].pk, w["gerda"].organisation.pk, w["otto"].organisation.pk],
            "opdrachtnemer": [w["olga"].organisation.pk, w["wim"].organisation_id],
            "accountmanager": [w["groningen_wsp"].pk, w["olga"].pk, w["cora"].pk],
            "contract_type": ["raamovereenkomst", "inspanningsverplichting"],
            "new_opdrachtnemer_kvk_number": [w["otto"].organisation.kvk_number, "1234567", "123456789"],
        },
        pairs=[("start_date", "end_date")],
    )


def _project_saved(w: dict, data: dict, response: HttpResponse) -> None:
    project = Project.objects.get(pk=w["project"].pk) if "revision" in data else Project.objects.latest("pk")
    assert redirected_to(response, "projects:detail", pk=project.pk)
    assert (project.name, project.kenmerk, project.description) == (
        text_of(data, "name"),
        text_of(data, "kenmerk"),
        text_of(data, "description"),
    )
    assert (project.start_date, project.end_date) == (parse_date(data["start_date"]), parse_date(data["end_date"]))
    assert project.start_date <= project.end_date
    assert project.opdrachtgever.region_id == project.region_id == w["drenthe"].pk
    assert project.accountmanager.organisation.kind == OrganisationKind.WSP
    assert project.accountmanager.organisation.region_id == project.region_id
    assert project.opdrachtnemer.kind == OrganisationKind.OPDRACHTNEMER
    if text_of(data, "new_opdrachtnemer_name"):
        assert project.opdrachtnemer.name == text_of(data, "new_opdrachtnemer_name")
    else:
        assert project.opdrachtnemer_id == int(data["opdrachtnemer"])
    if text_of(data, "verplichting"):
        assert project.verplichting == parse_amount(data["verplichting"])
    assert project.verplichting >= 0


case(
    id="project-create",
    forms=(ProjectForm,),
    user="olga",
    url=lambda w: reverse("projects:create"),
    valid=_project_valid,
    spec=_project_spec,
    saved=_project_saved,
)
case(
    id="project-create-by-coordinatiepunt",
    forms=(ProjectForm,),
    user="cora",
    url=lambda w: reverse("projects:create"),
    valid=_project_valid,
    spec=_project_spec,
    saved=_project_saved,
)
case(
    id="project-edit",
    forms=(ProjectEditForm,),
    user="olga",
    url=lambda w: reverse("projects:edit", kwargs={"pk": w["project"].pk}),
    valid=lambda w: _project_valid(w) | {"revision": w["project"].revision},
    spec=lambda w: Spec(
        {**_project_spec(w).kinds, "revision": "revision"},
        foreign={**_project_spec(w).foreign, "revision": _revisions(w["project"].revision)},
        pairs=[("start_date", "end_date")],
    ),
    saved=_project_saved,
)

KANDIDAAT_KINDS = {
    "initials": "text",
    "surname": "text",
    "birth_date": "date",
    "doelgroep": "choice",
    "unemployed_since": "date",
}


def _kandidaat_saved(w: dict, data: dict, response: HttpResponse) -> None:
    kandidaat = (
        Kandidaat.objects.get(pk=w["fresh_kandidaat"].pk) if "revision" in data else Kandidaat.objects.latest("pk")
    )
    assert redirected_to(response, "projects:kandidaat-list")
    assert kandidaat.opdrachtnemer_id == w["otto"].organisation_id
    assert (kandidaat.initials, kandidaat.surname, kandidaat.doelgroep, kandidaat.birth_date) == (
        text_of(data, "initials"),
        text_of(data, "surname"),
        data["doelgroep"],
        parse_date(data["birth_date"]),
    )
    assert kandidaat.birth_date.year >= 1900 and kandidaat.birth_date <= TODAY()


def _kandidaat_valid(w: dict) -> dict[str, Any]:
    return {
        "initials": "J.P.",
        "surname": "de Vries",
        "birth_date": "01-05-2004",
        "doelgroep": "stagiair",
        "unemployed_since": "",
    }


KANDIDAAT_FOREIGN = {"doelgroep": ["ww", "jongere", "beschut", "onbekend"]}
case(
    id="kandidaat-create",
    forms=(KandidaatForm,),
    user="otto",
    url=lambda w: reverse("projects:kandidaat-create"),
    valid=_kandidaat_valid,
    spec=lambda w: Spec(
        KANDIDAAT_KINDS | {"next": "text"},
        foreign=KANDIDAAT_FOREIGN | {"next": ["https://evil.invalid/", "//evil.invalid", "javascript:alert(1)"]},
        pairs=[("unemployed_since", "birth_date")],
    ),
    # With a local `next` the kandidaat goes back to the inzet form it came from.
    accepted=lambda response, w: response.status_code == 302,
    saved=lambda w, data, response: (
        _kandidaat_saved(w, data, response) if response["Location"] == reverse("projects:kandidaat-list") else None
    ),
)
case(
    id="kandidaat-edit",
    forms=(KandidaatEditForm,),
    user="otto",
    url=lambda w: reverse("projects:kandidaat-edit", kwargs={"kandidaat_pk": w["fresh_kandidaat"].pk}),
    valid=lambda w: _kandidaat_valid(w) | {"revision": w["fresh_kandidaat"].revision},
    spec=lambda w: Spec(
        KANDIDAAT_KINDS | {"revision": "revision"},
        foreign=KANDIDAAT_FOREIGN | {"revision": _revisions(w["fresh_kandidaat"].revision)},
    ),
    saved=_kandidaat_saved,
)
case(
    id="inzet-soort-choice",
    forms=(SoortChoiceForm,),
    user="otto",
    method="GET",
    url=lambda w: reverse("projects:inzet-create", kwargs={"pk": w["project"].pk}),
    # Step 1 (pick a soort), or step 2 with a kandidaat preselected (back from Nieuwe kandidaat).
    valid=lambda w: {"soort": "stage", "kandidaat": w["kandidaat"].pk},
    spec=lambda w: Spec(
        {"soort": "choice", "kies": "text", "stap": "text", "kandidaat": "id"},
        foreign={"soort": ["baan", "anders", "scholing"], "kandidaat": [w["other_kandidaat"].pk]},
    ),
    form=lambda context, data: context.get("choice_form") or context.get("form"),
    accepted=lambda response, w: False,
    quiet_ok=lambda data: True,
)


def _inzet_valid(w: dict, soort: str) -> dict[str, Any]:
    project = w["project"]
    return {
        "kandidaat": w["kandidaat"].pk if soort != "anders" else "",
        "start_date": dutch(project.start_date + timedelta(days=220)),
        "end_date": dutch(project.start_date + timedelta(days=300)),
        "amount": "400,00" if soort != "baan" else "2.800,00",
        "hours_per_week": "32",
        "niveau": "mbo",
        "description": "Inhuur via sociale onderneming",
        "actie": "opslaan",
    }


def _inzet_spec(w: dict) -> Spec:
    return Spec(
        {
            "kandidaat": "id",
            "start_date": "date",
            "end_date": "date",
            "amount": "amount",
            "hours_per_week": "amount",
            "niveau": "choice",
            "description": "text",
            "actie": "choice",
        },
        foreign={
            "kandidaat": [w["other_kandidaat"].pk, w["groningen_kandidaat"].pk],
            "actie": ["bereken"],
            "niveau": ["wo", "vmbo", "MBO"],
        },
        pairs=[("start_date", "end_date")],
    )


def _inzet_saved(soort: str) -> Callable[[dict, dict, HttpResponse], None]:
    def check(w: dict, data: dict, response: HttpResponse) -> None:
        inzet = Inzet.objects.get(pk=w["inzet_open"].pk) if "revision" in data else Inzet.objects.latest("pk")
        assert redirected_to(response, "projects:inzet-detail", pk=w["project"].pk, inzet_pk=inzet.pk)
        assert (inzet.project_id, inzet.soort, inzet.status) == (w["project"].pk, soort, InzetStatus.INGEVOERD)
        assert (inzet.start_date, inzet.end_date) == (parse_date(data["start_date"]), parse_date(data["end_date"]))
        assert inzet.amount == parse_amount(data["amount"]) and inzet.amount >= 0
        kandidaat = text_of(data, "kandidaat")
        assert inzet.kandidaat_id == (int(kandidaat) if kandidaat else None)
        if inzet.kandidaat_id:
            assert inzet.kandidaat.opdrachtnemer_id == w["otto"].organisation_id
        if soort == "anders":
            assert inzet.description == text_of(data, "description")
        if soort == "stage":
            assert inzet.niveau == data["niveau"]

    return check


for soort in ("stage", "baan", "anders"):
    case(
        id=f"inzet-create-{soort}",
        forms=(InzetForm,),
        user="otto",
        url=lambda w, soort=soort: reverse("projects:inzet-create", kwargs={"pk": w["project"].pk}) + f"?soort={soort}",
        valid=lambda w, soort=soort: _inzet_valid(w, soort),
        spec=_inzet_spec,
        saved=_inzet_saved(soort),
        quiet_ok=lambda data: data.get("actie") == "bereken",
    )
case(
    id="inzet-edit",
    forms=(InzetForm,),
    user="otto",
    url=lambda w: reverse("projects:inzet-edit", kwargs={"pk": w["project"].pk, "inzet_pk": w["inzet_open"].pk}),
    valid=lambda w: _inzet_valid(w, "stage") | {"revision": w["inzet_open"].revision},
    spec=lambda w: Spec(
        {**_inzet_spec(w).kinds, "revision": "revision"},
        foreign={**_inzet_spec(w).foreign, "revision": _revisions(w["inzet_open"].revision)},
        pairs=[("start_date", "end_date")],
    ),
    saved=_inzet_saved("stage"),
    # A stale revision is refused before the form: back to the line with the reason.
    accepted=lambda response, w: response.status_code == 302 and not messages_of(response)[0].startswith("Iemand"),
    quiet_ok=lambda data: data.get("actie") == "bereken",
)


def _returned(w: dict, data: dict, response: HttpResponse) -> None:
    inzet = Inzet.objects.get(pk=w["inzet_open"].pk)
    if inzet.status == InzetStatus.INGEVOERD:  # a stale revision: refused, nothing changed
        assert messages_of(response) and str(data.get("revision")) != str(w["inzet_open"].revision)
        return
    assert redirected_to(response, "projects:detail", pk=w["project"].pk)
    assert (inzet.status, inzet.return_reason) == (InzetStatus.TERUGGESTUURD, text_of(data, "reason"))
    assert parse_int(data["revision"]) == w["inzet_open"].revision


case(
    id="inzet-return",
    forms=(InzetReturnForm,),
    user="wim",
    url=lambda w: reverse("projects:inzet-return", kwargs={"pk": w["project"].pk, "inzet_pk": w["inzet_open"].pk}),
    valid=lambda w: {"reason": "Het bedrag klopt niet met de loonstrook.", "revision": w["inzet_open"].revision},
    spec=lambda w: Spec(
        {"reason": "text", "revision": "revision"}, foreign={"revision": _revisions(w["inzet_open"].revision)}
    ),
    saved=_returned,
)


def _validated(w: dict, data: dict, response: HttpResponse) -> None:
    """Always a redirect: validated only with the revision that was shown, else a message and nothing changed."""
    inzet = Inzet.objects.get(pk=w["inzet_open"].pk)
    if inzet.status == InzetStatus.GEVALIDEERD:
        assert redirected_to(response, "projects:detail", pk=w["project"].pk)
        assert parse_int(data["revision"]) == w["inzet_open"].revision
    else:
        assert inzet.revision == w["inzet_open"].revision and inzet.validated_by_id is None
        assert messages_of(response), "refused without saying why"


case(
    id="inzet-validate",
    forms=(RevisionOnlyForm,),
    user="wim",
    url=lambda w: reverse("projects:inzet-validate", kwargs={"pk": w["project"].pk, "inzet_pk": w["inzet_open"].pk}),
    valid=lambda w: {"revision": w["inzet_open"].revision},
    spec=lambda w: Spec({"revision": "revision"}, foreign={"revision": _revisions(w["inzet_open"].revision)}),
    saved=_validated,
)


def _contact_added(w: dict, data: dict, response: HttpResponse) -> None:
    if data.get("user") == "nieuw":
        assert redirected_to(response, "projects:contact-invite", pk=w["project"].pk)
        return
    assert redirected_to(response, "projects:detail", pk=w["project"].pk)
    assert Contact.objects.filter(project=w["project"], user_id=int(data["user"])).exists()
    # An opdrachtgever adds people of its own organisation and of the project's opdrachtnemer (SPEC §2).
    added = User.objects.get(pk=int(data["user"]))
    assert added.organisation_id in (w["olga"].organisation_id, w["otto"].organisation_id) and added.is_active


case(
    id="contact-add",
    forms=(ContactAddForm,),
    user="olga",
    url=lambda w: reverse("projects:contact-add", kwargs={"pk": w["project"].pk}),
    valid=lambda w: {"user": w["colleague"].pk},
    spec=lambda w: Spec(
        {"user": "id"},
        foreign={"user": [w["neighbour_user"].pk, w["gerda"].pk, w["olga"].pk, w["cora"].pk, "nieuw", w["admin"].pk]},
    ),
    saved=_contact_added,
)


def _invited(w: dict, data: dict, response: HttpResponse) -> None:
    assert redirected_to(response, "projects:detail", pk=w["project"].pk)
    user = User.objects.get(email=text_of(data, "email").lower())
    assert (user.name, user.phone, user.organisation_id) == (
        text_of(data, "name"),
        text_of(data, "phone"),
        int(data["organisation"]),
    )
    assert user.organisation_id in (w["olga"].organisation.pk, w["otto"].organisation.pk)
    assert Contact.objects.filter(project=w["project"], user=user).exists()


case(
    id="contact-invite",
    forms=(ContactInviteForm,),
    user="olga",
    url=lambda w: reverse("projects:contact-invite", kwargs={"pk": w["project"].pk}),
    valid=lambda w: {
        "organisation": w["olga"].organisation.pk,
        "name": "Nieuwe Persoon",
        "email": "persoon@veenhoven.invalid",
        "phone": "",
    },
    spec=lambda w: Spec(
        {"organisation": "id", "name": "text", "email": "email", "phone": "text"},
        foreign={
            "organisation": [w["neighbour"].pk, w["gerda"].organisation.pk, w["wim"].organisation_id],
            "email": [w["cora"].email, w["olga"].email.upper()],
        },
    ),
    saved=_invited,
)


def _note_added(w: dict, data: dict, response: HttpResponse) -> None:
    assert redirected_to(response, "projects:detail", pk=w["project"].pk)
    note = Note.objects.latest("pk")
    assert (note.project_id, note.author_id, note.text) == (
        w["project"].pk,
        w["olga"].pk,
        text_of(data, "notitie-text"),
    )


case(
    id="note-add",
    forms=(NoteForm,),
    user="olga",
    url=lambda w: reverse("projects:note-add", kwargs={"pk": w["project"].pk}),
    valid=lambda w: {"notitie-text": "Aannemer gebeld over de planning."},
    spec=lambda w: Spec({"notitie-text": "text"}),
    form=lambda context, data: context["note_form"],
    saved=_note_added,
)

PDF = plain_pdf()
# Contents by name, so a failing example prints the name rather than a megabyte of bytes.
CONTENTS = {
    "plain pdf": PDF,
    "empty": b"",
    "over 1 MB": padded_pdf(1024 * 1024 + 1),
    "pdf with JavaScript": pdf_with(
        lambda writer: root(writer).update({NameObject("/OpenAction"): action("/JavaScript", JS=js())})
    ),
    "html": b"<html><script>alert(1)</script></html>",
}


@st.composite
def uploads(draw: st.DrawFn) -> SimpleUploadedFile:
    name = draw(st.one_of(st.just("plan.pdf"), texts, st.sampled_from(["../../etc/passwd.pdf", "a\\b.pdf", ".."])))
    kind = draw(st.sampled_from([*CONTENTS, "random bytes", "broken pdf"]))
    if kind == "random bytes":
        content = draw(st.binary(max_size=200))
    elif kind == "broken pdf":
        content = PDF[:200] + draw(st.binary(max_size=300))
    else:
        content = CONTENTS[kind]
    upload = SimpleUploadedFile("upload.pdf", content, content_type="application/pdf")
    upload._name = name  # as sent, past the checks SimpleUploadedFile makes on a name it is given
    return upload


def _document_saved(w: dict, data: dict, response: HttpResponse) -> None:
    assert redirected_to(response, "projects:detail", pk=w["project"].pk)
    document = Document.objects.latest("pk")
    upload = data["file"]
    assert document.project_id == w["project"].pk and document.size == upload.size <= 1024 * 1024
    assert document.original_name and "/" not in document.original_name and "\x00" not in document.original_name
    with document.file.open("rb") as handle:
        assert handle.read(5) == b"%PDF-"


case(
    id="document-add",
    forms=(DocumentForm,),
    user="olga",
    url=lambda w: reverse("projects:document-add", kwargs={"pk": w["project"].pk}),
    valid=lambda w: {"file": SimpleUploadedFile("plan.pdf", PDF, content_type="application/pdf")},
    spec=lambda w: Spec({"file": "file"}),
    saved=_document_saved,
)


def _invulbestand_checked(w: dict, data: dict, response: HttpResponse) -> None:
    """Accepted is checked and kept for its uploader; not a line or kandidaat is saved from it (issue #29)."""
    checked = Invulbestand.objects.latest("pk")
    assert redirected_to(response, "projects:invulbestand-result", pk=w["project"].pk, upload_pk=checked.pk)
    upload = data["file"]
    upload.seek(0)
    assert (checked.project_id, checked.uploaded_by_id, bytes(checked.content)) == (
        w["project"].pk,
        w["otto"].pk,
        upload.read(),
    )
    assert upload.name.lower().endswith((".xlsx", ".csv")) and checked.rows >= 1


case(
    id="invulbestand-upload",
    forms=(InvulbestandForm,),
    user="otto",
    url=lambda w: reverse("projects:invulbestand-upload", kwargs={"pk": w["project"].pk}),
    valid=lambda w: {"file": SimpleUploadedFile("regels.csv", invulbestand_csv(w["project"]), content_type="text/csv")},
    spec=lambda w: Spec({"file": "file"}),
    saved=_invulbestand_checked,
)


def _approved(w: dict, data: dict, response: HttpResponse) -> None:
    assert redirected_to(response, "projects:detail", pk=w["approvable"].pk)
    assert Project.objects.get(pk=w["approvable"].pk).status == ProjectStatus.GOEDGEKEURD
    # Django reads any value of a checkbox as ticked but "" and "false" (a browser sends "on").
    assert str(data.get("approve-confirmed", "")).lower() not in ("", "false")


case(
    id="approve",
    forms=(ApproveForm,),
    user="wim",
    url=lambda w: reverse("projects:approve", kwargs={"pk": w["approvable"].pk}),
    valid=lambda w: {"approve-confirmed": "on"},
    spec=lambda w: Spec({"approve-confirmed": "bool"}),
    form=lambda context, data: context["lifecycle"]["approve_form"],
    saved=_approved,
)


def _judged(w: dict, data: dict, response: HttpResponse) -> None:
    assert redirected_to(response, "projects:detail", pk=w["judged"].pk)
    project = Project.objects.get(pk=w["judged"].pk)
    assert (project.verwijtbaar, project.verwijtbaarheid_argument) == (
        data["oordeel"] == "verwijtbaar",
        text_of(data, "argument"),
    )


case(
    id="verwijtbaarheid",
    forms=(VerwijtbaarheidForm,),
    user="cora",
    url=lambda w: reverse("projects:verwijtbaarheid", kwargs={"pk": w["judged"].pk}),
    valid=lambda w: {"oordeel": "verwijtbaar", "argument": "Geen inzet gepleegd ondanks herinneringen."},
    spec=lambda w: Spec({"oordeel": "choice", "argument": "text"}, foreign={"oordeel": ["niet_verwijtbaar", "ja"]}),
    saved=_judged,
)

# Reports ----------------------------------------------------------------------------------------
REPORT_KINDS = {
    "regio": "id",
    "opdrachtgever": "id",
    "opdrachtnemer": "id",
    "van": "date",
    "tot": "date",
    "status": "choice",
    "soort": "choice",
    "doelgroep": "choice",
    "sort": "choice",
    "pagina": "int",
}


def _report_spec(w: dict) -> Spec:
    return Spec(
        REPORT_KINDS,
        foreign={
            "opdrachtgever": [w["gerda"].organisation.pk, w["neighbour"].pk],
            "opdrachtnemer": [w["project_groningen"].opdrachtnemer_id],
            "regio": [w["groningen"].pk],
            "sort": ["-name", "project", "password"],
        },
        pairs=[("van", "tot")],
    )


def _workbook(response: HttpResponse) -> None:
    """An export for any filters: a workbook a spreadsheet program opens."""
    content = b"".join(response.streaming_content) if response.streaming else response.content
    assert load_workbook(io.BytesIO(content)).worksheets


for report in ("projects", "kandidaten", "kosten", "overlap"):
    # The WSP's overlap report covers all projects of its region: its own scope.
    for user in ("cora", "wim") if report == "overlap" else ("cora",):
        case(
            id=f"report-{report}-{user}",
            forms=(ReportFilterForm,),
            user=user,
            method="GET",
            url=lambda w, report=report: reverse(f"reporting:{report}"),
            valid=lambda w: {"van": "01-01-2025", "tot": "31-12-2027", "status": "actief"},
            spec=_report_spec,
            accepted=lambda response, w: False,
            quiet_ok=lambda data: True,
        )
    case(
        id=f"report-{report}-export",
        forms=(ReportFilterForm,),
        user="cora",
        method="GET",
        url=lambda w, report=report: reverse(f"reporting:{report}-export"),
        valid=lambda w: {"van": "01-01-2025", "tot": "31-12-2027"},
        spec=_report_spec,
        accepted=lambda response, w: response["Content-Type"].startswith("application/vnd.openxmlformats"),
        saved=lambda w, data, response: _workbook(response),
    )

# Search fields and pickers that are not Form classes: the same promise holds.
for name, user, kinds in [
    ("accounts:user-list", "cora", {"q": "text", "pagina": "int"}),
    ("projects:kandidaat-list", "otto", {"q": "text", "pagina": "int"}),
    ("notifications:outbox", "cora", {"status": "choice", "pagina": "int"}),
    ("policy:news", "otto", {"regio": "choice", "pagina": "int"}),
    ("policy:beleid", "otto", {"regio": "choice"}),
]:
    case(
        id=f"query-{name.replace(':', '-')}",
        forms=(),
        user=user,
        method="GET",
        url=lambda w, name=name: reverse(name),
        valid=lambda w: {},
        spec=lambda w, kinds=kinds: Spec(
            kinds, foreign={"regio": ["groningen", "drenthe"], "status": ["failed", "sent"]}
        ),
        form=lambda context, data: None,
        accepted=lambda response, w: False,
        quiet_ok=lambda data: True,
    )


# --- Running one example -------------------------------------------------------------------------


def _tables() -> list[str]:
    models = apps.get_models(include_auto_created=True)
    # Tables only: pghistory's aggregate `Events` is a view over the event tables.
    names = {model._meta.db_table for model in models if model._meta.managed and not model._meta.proxy}
    return sorted(names - ALWAYS_WRITTEN)


def snapshot(tables: list[str]) -> dict[str, str]:
    """Every table's content as a hash: any insert, update or delete shows, not only new rows."""
    # Table names come from the models, not from input.
    digest = "SELECT %s, md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) FROM {} t"
    parts = [digest.format(connection.ops.quote_name(table)) for table in tables]
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), tables)
        return dict(cursor.fetchall())


def _clean(text: str) -> str:
    """Text as compared on the page: control characters (which HTML can't carry) out, spaces collapsed."""
    return " ".join("".join(c for c in text if c.isprintable() or c.isspace()).split())


def assert_errors_shown(
    response: HttpResponse, form: forms.BaseForm | None, *, required: bool, filters: bool = False
) -> None:
    """Every error of `form` in Dutch, at its field (or in the summary when it concerns the whole form).

    `filters`: a list's filter form, whose hidden sort falls back to the default when tampered with."""
    if form is None or not form.is_bound:
        assert not required, "the page came back without the submitted form"
        return
    errors = form.errors
    assert errors or not required, "the form came back without saying what is wrong"
    if not errors:
        return
    page = lxml.html.fromstring(response.content.decode().replace("\x00", ""))
    summary = page.find_class("srm-error-summary")
    for name, messages in errors.items():
        for message in messages:
            assert not ENGLISH.search(message), f"{name}: {message!r} is not Dutch"
        if name == "__all__":
            assert summary, f"form-wide errors {messages} not in the error summary"
            shown = _clean(summary[0].text_content())
            for message in messages:
                assert _clean(message)[:200] in shown, f"{message!r} not in the error summary"
            continue
        bound = form[name]
        if filters and bound.is_hidden:
            continue
        assert not bound.is_hidden, f"the error of the hidden field {name!r} is shown nowhere: {messages}"
        error_id = f"{bound.auto_id}_error"
        element = page.get_element_by_id(error_id, None)
        assert element is not None, f"no error element #{error_id} for {name}: {messages}"
        shown = _clean(element.text_content())
        for message in messages:
            assert _clean(message)[:200] in shown, f"{message!r} not at field {name}"
        describers = page.xpath(f"//*[contains(concat(' ', @aria-describedby, ' '), ' {error_id} ')]")
        assert describers, f"no input of {name} names #{error_id} in aria-describedby"


OUTCOMES: Counter[str] = Counter()


def outcome(name: str) -> None:
    """Count how an example ended (printed per case; `pytest -s` shows it) and tell Hypothesis."""
    OUTCOMES[name] += 1
    if currently_in_test_context():
        event(name)


def run_example(c: Case, w: dict, draw: Callable[[dict], dict], tables: list[str], client: Client) -> None:
    """One submission in a savepoint that is rolled back; `draw` spoils the valid data of the prepared step."""
    allowed = [table for table in tables if table not in c.may_write]
    cookies = copy.deepcopy(client.cookies)  # a message or a new session key must not leak into the next example
    with transaction.atomic():
        try:
            if c.prepare:
                c.prepare(client, w)
            data = draw(c.valid(w))
            before = snapshot(allowed)
            mail.outbox.clear()
            send = client.get if c.method == "GET" else client.post
            response = send(c.url(w), data)
            assert response.status_code in (200, 302, 400), f"status {response.status_code}"
            if response.status_code == 400:
                # A body Django won't parse (a file name over its 10 kB header limit) never reaches the form.
                assert "400.html" in [template.name for template in response.templates]
                assert before == snapshot(allowed)
                outcome("400: body not parsed")
                return
            if c.accepted(response, w):
                assert c.saved is not None, f"{c.id}: accepted, but no check of what was stored"
                c.saved(w, data, response)
                outcome("accepted")
                return
            changed = sorted(table for table, digest in snapshot(allowed).items() if before[table] != digest)
            assert not changed, f"refused, but these tables changed: {changed}"
            assert not mail.outbox, "refused, but a mail was sent"
            if response.status_code == 302:
                # Refused with a redirect: only where the view sends the user back with the reason.
                assert c.id in ("inzet-validate", "inzet-edit", "inzet-return") or c.method == "GET", (
                    f"refused with a redirect to {response['Location']}"
                )
                assert messages_of(response), "sent back without a reason"
                outcome("refused: sent back with the reason")
                return
            form = c.form(response.context, data)
            assert_errors_shown(response, form, required=not c.quiet_ok(data), filters=c.method == "GET")
            outcome("refused: form with errors" if form is not None and form.is_bound and form.errors else "shown")
        finally:
            transaction.set_rollback(True)
            client.cookies = cookies


@pytest.mark.parametrize("c", CASES, ids=[c.id for c in CASES])
def test_bad_input_never_breaks_a_form(c: Case, world: dict) -> None:
    tables = _tables()
    spec = c.spec(world)
    client = Client()
    if c.user:
        login(client, world[c.user])

    @settings(FUZZ, max_examples=EXAMPLES if c.method == "POST" else FILTER_EXAMPLES)
    @given(data=st.data())
    def examples(data: st.DataObject) -> None:
        def draw(valid: dict) -> dict:
            return data.draw(submission(spec, valid) if "file" not in spec.kinds else _file_submission())

        run_example(c, world, draw, tables, client)

    OUTCOMES.clear()
    examples()
    print(f"{c.id}: {sum(OUTCOMES.values())} examples, {dict(OUTCOMES)}")


# The first and last day a date can have, where the engine's month arithmetic overflowed (a 500)
# until the engine refused years outside 1900-2199: each runs every time, not only when drawn.
Y1, Y9999 = "01-01-0001", "31-12-9999"
CALENDAR_ENDS = [
    ("inzet-create-stage", {"start_date": Y9999, "end_date": Y9999}),
    ("inzet-create-baan", {"start_date": Y1, "end_date": Y9999}),
    ("inzet-edit", {"start_date": Y1, "end_date": Y1}),
    ("rekenhulp", {"start": Y1, "end": Y9999, "soort": "begeleiding", "hours_per_week": "8", "project_start": Y1}),
    ("rekenhulp", {"start": Y9999, "end": Y9999, "soort": "begeleiding", "hours_per_week": "8", "doelgroep": "wsw"}),
    (
        "rekenhulp",
        {"start": Y1, "end": Y1, "soort": "baan", "hours_per_week": "40", "doelgroep": "ww", "unemployed_since": Y9999},
    ),
    ("rekenhulp", {"soort": "baan", "hours_per_week": "40", "doelgroep": "jongere", "birth_date": Y9999}),
    ("rekenhulp", {"start": Y1, "end": Y9999, "soort": "scholing", "project_start": Y1, "first_workday": Y1}),
    ("kandidaat-create", {"birth_date": Y1}),
    ("project-create", {"start_date": Y1, "end_date": Y9999}),
    ("beleid-publish", {"valid_from": Y9999}),
    ("beleid-workbook-publish", {"valid_from": Y9999}),
    ("news-create", {"publish_date": Y1}),
    ("report-kosten-export", {"van": Y1, "tot": Y9999}),
]


@pytest.mark.parametrize(("case_id", "values"), CALENDAR_ENDS, ids=[case_id for case_id, _ in CALENDAR_ENDS])
def test_dates_at_the_ends_of_the_calendar(case_id: str, values: dict[str, str], world: dict) -> None:
    c = next(c for c in CASES if c.id == case_id)
    client = Client()
    if c.user:
        login(client, world[c.user])
    run_example(c, world, lambda valid: {**valid, **values}, _tables(), client)


def _file_submission() -> st.SearchStrategy[dict[str, Any]]:
    return st.one_of(
        st.just({}), uploads().map(lambda upload: {"file": upload}), texts.map(lambda text: {"file": text})
    )


def test_the_valid_data_of_every_case_is_accepted(world: dict) -> None:
    """The baseline each case spoils is itself accepted: otherwise the fuzz would only ever meet refusals."""
    for c in CASES:
        if c.saved is None:  # filters and searches: nothing to accept
            continue
        data = c.valid(world) if c.prepare is None else None
        with transaction.atomic():
            mail.outbox.clear()
            client = Client()
            if c.user:
                login(client, world[c.user])
            if c.prepare:
                c.prepare(client, world)
                data = c.valid(world)
            response = client.post(c.url(world), data) if c.method == "POST" else client.get(c.url(world), data)
            assert c.accepted(response, world), f"{c.id}: valid data refused ({response.status_code})"
            c.saved(world, data, response)
            transaction.set_rollback(True)


# --- Coverage ------------------------------------------------------------------------------------


def portal_forms() -> set[type[forms.BaseForm]]:
    """Every form class defined in the portal's apps that can be instantiated (not a mixin without a model)."""
    for app in APPS:
        package = importlib.import_module(app)
        for module in pkgutil.walk_packages(package.__path__, f"{app}."):
            if ".migrations" not in module.name and ".management" not in module.name:
                importlib.import_module(module.name)
    found: set[type[forms.BaseForm]] = set()
    pending = [forms.BaseForm]
    while pending:
        cls = pending.pop()
        for sub in cls.__subclasses__():
            pending.append(sub)
            if sub.__module__.split(".")[0] not in APPS:
                continue
            if issubclass(sub, forms.BaseModelForm) and sub._meta.model is None:
                continue
            found.add(sub)
    return found


def test_every_form_of_the_portal_is_fuzzed() -> None:
    covered = {form for c in CASES for form in c.forms}
    missing = portal_forms() - covered
    assert not missing, f"forms without a fuzz case: {sorted(f'{f.__module__}.{f.__name__}' for f in missing)}"
