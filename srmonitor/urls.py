from django.conf import settings
from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.generic import RedirectView
from django_otp.admin import OTPAdminSite

from reporting import handleiding as reporting_handleiding
from reporting import views as reporting_views

from .health import health

# Functioneel beheer uses the Django admin, reachable only after our two-factor login.
admin.site.__class__ = OTPAdminSite
admin.site.site_header = "Social Return Monitor — functioneel beheer"
admin.site.site_title = "Functioneel beheer"

urlpatterns = [
    path("", reporting_views.home, name="home"),
    path("", include("accounts.urls")),
    path("projecten/", include("projects.urls")),
    path("rapportage/", include("reporting.urls")),
    path("mail/", include("notifications.urls")),
    path("", include("policy.urls")),
    # The handleiding as PDF sits beside its page under Algemene informatie (policy), but PDFs are made in
    # reporting, which policy may not import: so, like the home page, a reporting view at the root.
    path("informatie/handleiding/<slug:role>.pdf", reporting_handleiding.handleiding_pdf, name="handleiding-pdf"),
    path(
        "beheer/login/",
        login_not_required(RedirectView.as_view(pattern_name="accounts:login", query_string=True)),
        name="admin-login",
    ),
    path("beheer/", admin.site.urls),
    path("gezond/", health, name="health"),
]

# The mail preview shows every mail text with example data; it exists only in development.
if settings.DEBUG:
    urlpatterns.append(path("__mail__/", include("reporting.mail_preview")))
