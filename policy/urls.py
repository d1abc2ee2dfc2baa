from django.urls import path

from .views import beleid, content, handleiding, rekenhulp

app_name = "policy"

urlpatterns = [
    path("beleid/", beleid.beleid, name="beleid"),
    path("beleid/versies/<int:pk>/", beleid.version_detail, name="beleid-version"),
    path("beleid/versies/<int:pk>/tekst-bewerken/", beleid.text_edit, name="beleid-edit"),
    path("beleid/nieuwe-versie/", beleid.version_publish, name="beleid-publish"),
    path("beleid/werkmap/", beleid.workbook_download, name="beleid-workbook"),
    path("beleid/werkmap/uploaden/", beleid.workbook_upload, name="beleid-workbook-upload"),
    path("beleid/werkmap/<int:pk>/", beleid.workbook_preview, name="beleid-workbook-preview"),
    path("rekenhulp/", rekenhulp.rekenhulp, name="rekenhulp"),
    path("nieuws/", content.news_list, name="news"),
    path("nieuws/nieuw/", content.news_create, name="news-create"),
    path("nieuws/<int:pk>/", content.news_detail, name="news-detail"),
    path("nieuws/<int:pk>/bewerken/", content.news_edit, name="news-edit"),
    path("informatie/", content.info_list, name="info"),
    path("informatie/nieuw/", content.info_create, name="info-create"),
    path("informatie/<int:pk>/", content.info_detail, name="info-detail"),
    path("informatie/<int:pk>/bewerken/", content.info_edit, name="info-edit"),
    path("informatie/handleiding/<slug:role>/", handleiding.handleiding, name="handleiding"),
    path("contact/", content.contact_details, name="contact-details"),
    path("contact/bewerken/", content.contact_details_edit, name="contact-details-edit"),
]
