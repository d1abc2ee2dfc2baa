from django.urls import path

from . import views

app_name = "policy"

urlpatterns = [
    path("beleid/", views.section, {"section": "beleid"}, name="beleid"),
    path("nieuws/", views.section, {"section": "news"}, name="news"),
    path("informatie/", views.section, {"section": "info"}, name="info"),
    path("contact/", views.section, {"section": "contact"}, name="contact"),
]
