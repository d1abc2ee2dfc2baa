from django.urls import path

from .views import contacts, detail, invulbestand, lifecycle, projects, verantwoording

app_name = "projects"

urlpatterns = [
    path("", projects.project_list, name="list"),
    path("afgerond/", projects.project_list_finished, name="finished"),
    path("nieuw/", projects.project_create, name="create"),
    path("<int:pk>/", detail.project_detail, name="detail"),
    path("<int:pk>/bewerken/", projects.project_edit, name="edit"),
    path("<int:pk>/contactpersonen/toevoegen/", contacts.contact_add, name="contact-add"),
    path("<int:pk>/contactpersonen/nieuw/", contacts.contact_invite, name="contact-invite"),
    path("<int:pk>/notities/toevoegen/", contacts.note_add, name="note-add"),
    path("<int:pk>/documenten/toevoegen/", contacts.document_add, name="document-add"),
    path("<int:pk>/documenten/<int:document_pk>/", contacts.document_download, name="document-download"),
    path("<int:pk>/documenten/<int:document_pk>/verwijderen/", contacts.document_delete, name="document-delete"),
    path("<int:pk>/inzet/nieuw/", verantwoording.inzet_create, name="inzet-create"),
    path("<int:pk>/inzet/<int:inzet_pk>/", verantwoording.inzet_detail, name="inzet-detail"),
    path("<int:pk>/inzet/<int:inzet_pk>/bewerken/", verantwoording.inzet_edit, name="inzet-edit"),
    path("<int:pk>/inzet/<int:inzet_pk>/verwijderen/", verantwoording.inzet_delete, name="inzet-delete"),
    path("<int:pk>/inzet/<int:inzet_pk>/valideren/", verantwoording.inzet_validate, name="inzet-validate"),
    path("<int:pk>/inzet/<int:inzet_pk>/terugsturen/", verantwoording.inzet_return, name="inzet-return"),
    path("<int:pk>/invulbestand/", invulbestand.invulbestand_upload, name="invulbestand-upload"),
    path("<int:pk>/invulbestand/sjabloon/", invulbestand.invulbestand_template, name="invulbestand-template"),
    path("<int:pk>/invulbestand/<int:upload_pk>/", invulbestand.invulbestand_result, name="invulbestand-result"),
    path("<int:pk>/invulbestand/<int:upload_pk>/fouten/", invulbestand.invulbestand_errors, name="invulbestand-errors"),
    path(
        "<int:pk>/invulbestand/<int:upload_pk>/toevoegen/", invulbestand.invulbestand_commit, name="invulbestand-commit"
    ),
    path("<int:pk>/goedkeuren/", lifecycle.project_approve, name="approve"),
    path("<int:pk>/afronden/", lifecycle.project_close, name="close"),
    path("<int:pk>/verwijtbaarheid/", lifecycle.verwijtbaarheid, name="verwijtbaarheid"),
    path("kandidaten/", verantwoording.kandidaat_list, name="kandidaat-list"),
    path("kandidaten/nieuw/", verantwoording.kandidaat_create, name="kandidaat-create"),
    path("kandidaten/<int:kandidaat_pk>/bewerken/", verantwoording.kandidaat_edit, name="kandidaat-edit"),
]
