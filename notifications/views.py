"""E-mail (the outbox) for the coördinatiepunt: what the monitor sent in its region, and resending.

The notifications app depends on no other app of the portal: it reads only the user's
`role` and `region` attributes. Mail bodies are never shown here: they can hold one-time links.
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from .mail import mail_resend, template_label
from .models import Mail, MailQuerySet, MailStatus
from .permissions import can_read_outbox

# The filter offers the statuses in the order a coördinatiepunt looks for them.
STATUS_FILTER = [MailStatus.SENT, MailStatus.PENDING, MailStatus.FAILED]


def mails_for(request: HttpRequest) -> MailQuerySet:
    """The mails the user may read; 404 for who may not read the outbox."""
    if not can_read_outbox(request.user):
        raise Http404
    return Mail.objects.for_user(request.user)


def outbox(request: HttpRequest) -> HttpResponseBase:
    mails = mails_for(request).defer("text", "html").order_by("-created_at", "-pk")
    status = request.GET.get("status", "")
    if status in MailStatus.values:
        mails = mails.filter(status=status)
    else:
        status = ""
    page = Paginator(mails, 50).get_page(request.GET.get("pagina"))
    for mail in page:
        mail.label = template_label(mail.template)
    context = {
        "page": page,
        "status": status,
        "statuses": [(choice.value, choice.label) for choice in STATUS_FILTER],
        "all_regions": request.user.is_superuser,
    }
    return render(request, "notifications/outbox.html", context)


@require_POST
def resend(request: HttpRequest, pk: int) -> HttpResponseBase:
    mail = get_object_or_404(mails_for(request).only("pk", "status", "subject", "to"), pk=pk)
    if mail.status != MailStatus.FAILED:
        messages.error(request, "Alleen een mislukte e-mail kan opnieuw worden verstuurd.")
    else:
        mail_resend(mail=mail)
        messages.success(request, f"De e-mail “{mail.subject}” aan {', '.join(mail.to)} wordt opnieuw verstuurd.")
    return redirect("notifications:outbox")
