"""Verantwoording: the opdrachtnemer's kandidaten and inzet lines, validated or returned by the WSP (SPEC §5)."""

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.forms import BaseForm
from django.http import Http404, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from accounts.http import AuthenticatedHttpRequest
from core.forms import search_param
from policy import valuation as v
from policy.selectors import rules_for_opdrachtnemer, rules_in_force, version_with_rules

from ..access import line_view, project_view, refuse
from ..forms.verantwoording import (
    INCOMPLETE,
    InzetForm,
    InzetReturnForm,
    KandidaatEditForm,
    KandidaatForm,
    RevisionOnlyForm,
    SoortChoiceForm,
)
from ..models import ZERO, Inzet, InzetStatus, Kandidaat, Project
from ..permissions import (
    can_download_invulbestand,
    can_edit_inzet,
    can_edit_verantwoording,
    can_manage_kandidaten,
    can_validate_inzet,
    is_opdrachtnemer_of,
    is_validator,
)
from ..selectors import get_kandidaat_for, overlap_warnings
from ..services import ConcurrentEditError, ProjectError
from ..services import verantwoording as services
from ..services.verantwoording import inzet_fill

# Two people acted on the same line at once (two WSP users, or a WSP user and the opdrachtnemer).
CONFLICT = (
    "Iemand anders heeft deze regel intussen gewijzigd, gevalideerd of teruggestuurd. Er is niets opgeslagen: "
    "bekijk de regel opnieuw."
)


# --- Rules and texts --------------------------------------------------------------------------


def inputs_text(line: Inzet, soort: v.SoortInzet | None) -> str:
    """Bedrag and uren of a line in words with their unit: `€ 400,00 per maand`, `8 uur per week`."""
    parts = []
    if line.amount is not None:
        per_month = soort is not None and soort.calculation is v.Calculation.PER_MONTH
        parts.append(v.format_euro(line.amount) + (" per maand" if per_month else ""))
    if line.hours_per_week is not None:
        parts.append(f"{v.format_number(line.hours_per_week)} uur per week")
    return ", ".join(parts) or "—"


def _add_service_errors(form: BaseForm, error: ValidationError) -> None:
    """A service's ValidationError on the form: per field where the form has it, else on top."""
    if hasattr(error, "error_dict"):
        for field, field_messages in error.message_dict.items():
            for message in field_messages:
                form.add_error(field if field in form.fields else None, message)
    elif isinstance(form, InzetForm):
        form.add_engine_errors(error.messages)
    else:
        for message in error.messages:
            form.add_error(None, message)


def _stale(request: AuthenticatedHttpRequest, inzet: Inzet) -> bool:
    """The form was opened on an older revision of the line: someone else acted in between."""
    posted = request.POST.get("revision")
    return request.method == "POST" and posted is not None and posted != str(inzet.revision)


# --- The Verantwoording section of the project page ---------------------------------------------


def verantwoording_context(request: AuthenticatedHttpRequest, project: Project) -> dict[str, Any]:
    """The project's lines for `projects/_verantwoording.html`, in a fixed number of queries."""
    user = request.user
    lines = list(
        Inzet.objects.for_user(user).filter(project=project).select_related("kandidaat").order_by("start_date", "pk")
    )
    rules = rules_in_force(project.region)
    for line in lines:
        soort = rules.soort(line.soort) if rules else None
        line.soort_label = soort.label if soort else line.soort
        line.inputs_text = inputs_text(line, soort)
    validated = [line for line in lines if line.status == InzetStatus.GEVALIDEERD]
    may_add = can_edit_verantwoording(user, project)
    return {
        "verantwoording": {
            "lines": lines,
            "prognose": sum((line.value_prognose for line in lines), ZERO),
            "actueel": sum((line.value_actueel for line in lines), ZERO),
            "prognose_gevalideerd": sum((line.value_prognose for line in validated), ZERO),
            "actueel_gevalideerd": sum((line.value_actueel for line in validated), ZERO),
            "validated_count": len(validated),
            "returned_count": sum(line.status == InzetStatus.TERUGGESTUURD for line in lines),
            "may_add": may_add,
            "may_download_invulbestand": bool(can_download_invulbestand(user, project)),
            "show_kandidaten": is_opdrachtnemer_of(user, project),
        }
    }


# --- Kandidaten ---------------------------------------------------------------------------------


def _opdrachtnemer_only(request: AuthenticatedHttpRequest) -> None:
    """Kandidaten are the opdrachtnemer's own records; to anyone else these pages don't exist."""
    if not can_manage_kandidaten(request.user):
        raise Http404


def _next_url(request: AuthenticatedHttpRequest) -> str | None:
    """Where to go after creating a kandidaat from the inzet form: a local URL only."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    # A path, not a relative name: `redirect()` would take "0" for a view name and fail.
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return None


def _with_param(url: str, **params: object) -> str:
    parts = urlsplit(url)
    query = "&".join(filter(None, [parts.query, urlencode(params)]))
    return urlunsplit(parts._replace(query=query))


def kandidaat_list(request: AuthenticatedHttpRequest) -> HttpResponseBase:
    _opdrachtnemer_only(request)
    query = search_param(request)
    kandidaten = Kandidaat.objects.for_user(request.user).annotate(lines=Count("inzet")).order_by("surname", "initials")
    if query:
        kandidaten = kandidaten.filter(Q(surname__icontains=query) | Q(initials__icontains=query))
    page = Paginator(kandidaten, 50).get_page(request.GET.get("pagina"))
    rules = rules_for_opdrachtnemer(request.user.organisation)
    labels = {d.code: d.label for d in rules.doelgroepen} if rules else {}
    for kandidaat in page:
        kandidaat.doelgroep_label = labels.get(kandidaat.doelgroep, kandidaat.doelgroep)
    return render(request, "projects/kandidaat_list.html", {"page": page, "query": query})


def _kandidaat_saved(
    request: AuthenticatedHttpRequest, form: BaseForm, kandidaat: Kandidaat | None
) -> Kandidaat | None:
    """Save a valid kandidaat form (a new kandidaat when `kandidaat` is None); a refusal, a conflict with
    someone else's edit or the service's own checks land on the form instead (None)."""
    revision = form.cleaned_data.get("revision") if kandidaat else None
    try:
        return services.kandidaat_save(kandidaat=kandidaat, data=form.cleaned_data, by=request.user, revision=revision)
    except (ConcurrentEditError, ProjectError) as error:
        form.add_error(None, str(error))
    except ValidationError as error:
        _add_service_errors(form, error)
    return None


@require_http_methods(["GET", "POST"])
def kandidaat_create(request: AuthenticatedHttpRequest) -> HttpResponseBase:
    _opdrachtnemer_only(request)
    rules = rules_for_opdrachtnemer(request.user.organisation)
    form = KandidaatForm(rules.doelgroepen if rules else (), request.POST if request.method == "POST" else None)
    next_url = _next_url(request)
    if request.method == "POST" and form.is_valid() and (kandidaat := _kandidaat_saved(request, form, None)):
        messages.success(request, f"Kandidaat {kandidaat} is opgeslagen.")
        if next_url:
            return redirect(_with_param(next_url, kandidaat=kandidaat.pk))
        return redirect("projects:kandidaat-list")
    context: dict[str, object] = {"form": form, "kandidaat": None, "next_url": next_url, "lines": []}
    return render(request, "projects/kandidaat_form.html", context)


@require_http_methods(["GET", "POST"])
def kandidaat_edit(request: AuthenticatedHttpRequest, kandidaat_pk: int) -> HttpResponseBase:
    _opdrachtnemer_only(request)
    kandidaat = get_kandidaat_for(request.user, kandidaat_pk)
    name = str(kandidaat)  # the form writes the typed values onto the instance
    rules = rules_for_opdrachtnemer(request.user.organisation)
    form = KandidaatEditForm(
        rules.doelgroepen if rules else (), request.POST if request.method == "POST" else None, instance=kandidaat
    )
    if request.method == "POST" and form.is_valid() and _kandidaat_saved(request, form, kandidaat):
        messages.success(request, f"Kandidaat {kandidaat} is opgeslagen.")
        return redirect("projects:kandidaat-list")
    # Only lines on projects this user sees: a colleague's project stays out of view.
    lines = Inzet.objects.for_user(request.user).filter(kandidaat_id=kandidaat.pk).select_related("project")
    context = {"form": form, "kandidaat": kandidaat, "name": name, "next_url": None, "lines": lines}
    return render(request, "projects/kandidaat_form.html", context)


# --- Inzet lines --------------------------------------------------------------------------------


def _initial(inzet: Inzet | None, request: AuthenticatedHttpRequest) -> dict[str, Any]:
    if inzet is None:
        return {"kandidaat": request.GET.get("kandidaat")}
    return {
        "kandidaat": inzet.kandidaat_id,
        "start_date": inzet.start_date,
        "end_date": inzet.end_date,
        "amount": inzet.amount,
        "hours_per_week": inzet.hours_per_week,
        "niveau": inzet.niveau,
        "description": inzet.description,
    }


def _preview(project: Project, inzet: Inzet | None, data: dict[str, Any]) -> tuple[Inzet, list[str]]:
    """Value the line as typed, without saving: Bereken."""
    line = Inzet(pk=inzet.pk if inzet else None)
    return line, inzet_fill(project, line, data)


def _inzet_form(request: AuthenticatedHttpRequest, project: Project, inzet: Inzet | None) -> HttpResponseBase:
    """Step 1 (no soort chosen): pick the soort with a GET form. Step 2: that soort's inputs."""
    rules = rules_in_force(project.region)
    if rules is None:
        return refuse(request, project, "Voor de regio van dit project is geen beleid gepubliceerd.")
    code = request.GET.get("soort") or (inzet.soort if inzet and "kies" not in request.GET else "")
    soort = rules.soort(code) if code else None
    context: dict[str, Any] = {"project": project, "inzet": inzet, "soort": soort, "rules": rules}
    if soort is None:
        # `stap`: Verder was pressed, also with no soort chosen (an unchecked radio sends nothing).
        chosen = "soort" in request.GET or "stap" in request.GET
        context["choice_form"] = SoortChoiceForm(
            rules, request.GET if chosen else None, initial={"soort": inzet.soort if inzet else None}
        )
        return render(request, "projects/inzet_form.html", context)
    revision = inzet.revision if inzet else None
    form = InzetForm(
        soort,
        request.user,
        request.POST if request.method == "POST" else None,
        initial=_initial(inzet, request),
        revision=revision,
    )
    result, overlaps = None, []
    if request.method == "POST" and form.is_valid():
        data = form.service_data()
        overlaps = overlap_warnings(
            user=request.user,
            project=project,
            kandidaat=data["kandidaat"],
            start=data["start_date"],
            end=data["end_date"],
        )
        if request.POST.get("actie") == "bereken":
            preview, errors = _preview(project, inzet, data)
            form.add_engine_errors(errors)
            result = None if errors else preview
        else:
            try:
                saved = services.inzet_save(
                    project=project, inzet=inzet, data=data, by=request.user, revision=form.cleaned_data.get("revision")
                )
            except ConcurrentEditError as error:
                form.add_error(None, str(error))
            except ProjectError as error:
                return refuse(request, project, str(error))
            except ValidationError as error:
                _add_service_errors(form, error)
            else:
                was_returned = inzet is not None and inzet.status == InzetStatus.TERUGGESTUURD
                messages.success(
                    request,
                    "De regel is opgeslagen en staat weer op ingevoerd: het WSP beoordeelt hem opnieuw."
                    if was_returned
                    else "De regel is opgeslagen.",
                )
                return redirect("projects:inzet-detail", pk=project.pk, inzet_pk=saved.pk)
    next_url = request.get_full_path()
    context |= {
        "form": form,
        "result": result,
        "overlaps": overlaps,
        "today": timezone.localdate(),
        "kandidaat_create_url": _with_param(reverse("projects:kandidaat-create"), next=next_url),
    }
    return render(request, "projects/inzet_form.html", context)


@require_http_methods(["GET", "POST"])
@project_view(can_edit_verantwoording)
def inzet_create(request: AuthenticatedHttpRequest, project: Project) -> HttpResponseBase:
    return _inzet_form(request, project, None)


@require_http_methods(["GET", "POST"])
@line_view(can_edit_inzet)
def inzet_edit(request: AuthenticatedHttpRequest, project: Project, inzet: Inzet) -> HttpResponseBase:
    return _inzet_form(request, project, inzet)


def _line_facts(project: Project, inzet: Inzet) -> dict[str, Any]:
    """What every page about one line shows of it (`projects/_inzet_facts.html`): its soort as the policy
    version that values it describes it, and its amounts in words."""
    version = version_with_rules(inzet.policy_version_id)
    soort = version.to_rules().soort(inzet.soort)
    return {
        "project": project,
        "inzet": inzet,
        "version": version,
        "soort": soort,
        "soort_label": soort.label if soort else inzet.soort,
        "inputs_text": inputs_text(inzet, soort),
    }


@line_view()
def inzet_detail(request: AuthenticatedHttpRequest, project: Project, inzet: Inzet) -> HttpResponseBase:
    overlaps = overlap_warnings(
        user=request.user, project=project, kandidaat=inzet.kandidaat, start=inzet.start_date, end=inzet.end_date
    )
    context = _line_facts(project, inzet) | {
        "overlaps": overlaps,
        "may_edit": can_edit_inzet(request.user, inzet),
        "may_validate": can_validate_inzet(request.user, inzet),
        "is_opdrachtnemer": is_opdrachtnemer_of(request.user, project),
        # A validated line's value beside what the rules would now give: for who validates it.
        "show_rules_difference": is_validator(request.user, project),
        "today": timezone.localdate(),
    }
    return render(request, "projects/inzet_detail.html", context)


@require_http_methods(["GET", "POST"])
@line_view(can_edit_inzet)
def inzet_delete(request: AuthenticatedHttpRequest, project: Project, inzet: Inzet) -> HttpResponseBase:
    if request.method == "POST":
        try:
            services.inzet_delete(inzet=inzet, by=request.user)
        except ProjectError as error:
            return refuse(request, project, str(error))
        messages.success(request, "De regel is verwijderd.")
        return redirect("projects:detail", pk=project.pk)
    return render(request, "projects/inzet_confirm_delete.html", _line_facts(project, inzet))


def _judging(
    view: Callable[[AuthenticatedHttpRequest, Project, Inzet], HttpResponseBase],
) -> Callable[..., HttpResponseBase]:
    """How a WSP's judgement of a line opens: back to the line when it changed since the user saw it (a line
    validated meanwhile is a conflict to look at, not a refusal), then `can_validate_inzet`."""

    @line_view()
    @wraps(view)
    def opened(request: AuthenticatedHttpRequest, project: Project, inzet: Inzet) -> HttpResponseBase:
        if _stale(request, inzet):
            messages.error(request, CONFLICT)
            return redirect("projects:inzet-detail", pk=project.pk, inzet_pk=inzet.pk)
        if not (answer := can_validate_inzet(request.user, inzet)):
            return refuse(request, project, answer.reason)
        return view(request, project, inzet)

    return opened


@require_POST
@_judging
def inzet_validate(request: AuthenticatedHttpRequest, project: Project, inzet: Inzet) -> HttpResponseBase:
    """Gevalideerd door WSP: one button on the line's page, with the revision the user saw."""
    form = RevisionOnlyForm(request.POST)
    if not form.is_valid():
        messages.error(request, INCOMPLETE)
        return redirect("projects:inzet-detail", pk=project.pk, inzet_pk=inzet.pk)
    try:
        services.inzet_validate(inzet=inzet, by=request.user, revision=form.cleaned_data["revision"])
    except ConcurrentEditError:
        messages.error(request, CONFLICT)
        return redirect("projects:inzet-detail", pk=project.pk, inzet_pk=inzet.pk)
    except ProjectError as error:
        return refuse(request, project, str(error))
    messages.success(request, "De regel is gevalideerd. De opdrachtnemer kan hem niet meer wijzigen.")
    return redirect("projects:detail", pk=project.pk)


@require_http_methods(["GET", "POST"])
@_judging
def inzet_return(request: AuthenticatedHttpRequest, project: Project, inzet: Inzet) -> HttpResponseBase:
    """Terugsturen with a reason; the opdrachtnemer's contactpersonen get it by mail."""
    form = InzetReturnForm(request.POST if request.method == "POST" else None, initial={"revision": inzet.revision})
    if request.method == "POST" and form.is_valid():
        try:
            services.inzet_return(
                inzet=inzet, reason=form.cleaned_data["reason"], by=request.user, revision=form.cleaned_data["revision"]
            )
        except ConcurrentEditError:
            form.add_error(None, CONFLICT)
        except ProjectError as error:
            return refuse(request, project, str(error))
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            messages.success(
                request,
                "De regel is teruggestuurd. De contactpersonen van de opdrachtnemer krijgen de reden per e-mail.",
            )
            return redirect("projects:detail", pk=project.pk)
    return render(request, "projects/inzet_return_form.html", _line_facts(project, inzet) | {"form": form})
