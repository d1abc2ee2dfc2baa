"""SR-rekenhulp: what a planned placement is worth, by the same engine that values real lines."""

from django.http import HttpResponseBase
from django.shortcuts import render
from django.utils import timezone

from accounts.http import AuthenticatedHttpRequest

from .. import valuation as v
from ..forms.beleid import RekenhulpForm
from ..models import PolicyVersion
from ._region import region_context


def rekenhulp(request: AuthenticatedHttpRequest) -> HttpResponseBase:
    context = region_context(request)
    today = timezone.localdate()
    # Valued under the version in force at the line's start, like a real line; the form's choices
    # come from today's version.
    versions = PolicyVersion.objects.for_user(request.user).with_rules()
    current = versions.in_force(region=context["region"], day=today)
    if current is None:
        return render(request, "policy/rekenhulp.html", {**context, "form": None})
    submitted = "soort" in request.GET
    form = RekenhulpForm(current.to_rules(), request.GET if submitted else None)
    result = None
    if submitted and form.is_valid():
        line = form.line()
        version = versions.in_force(region=context["region"], day=line.start) or current
        rules = version.to_rules()
        errors = v.validate_line(line, rules)
        if errors:
            for error in errors:
                form.add_error(None, error)
        else:
            result = {
                "version": version,
                "prognose": v.value_line(line=line, rules=rules, peildatum=line.end),
                "actueel": v.value_line(line=line, rules=rules, peildatum=today),
                "soort": rules.soort(line.soort),
                "today": today,
            }
    return render(request, "policy/rekenhulp.html", {**context, "form": form, "result": result})
