from django.urls import path

from . import export_views, import_views, project_exports, report_views, views
from .reports import REPORTS

app_name = "reporting"

urlpatterns = [
    path("", views.index, name="index"),
    path("projecten/", report_views.report_page, {"report": REPORTS["projects"]}, name="projects"),
    path("projecten/excel/", report_views.report_export, {"report": REPORTS["projects"]}, name="projects-export"),
    path("kandidaten/", report_views.report_page, {"report": REPORTS["kandidaten"]}, name="kandidaten"),
    path("kandidaten/excel/", report_views.report_export, {"report": REPORTS["kandidaten"]}, name="kandidaten-export"),
    path("kosten/", report_views.report_page, {"report": REPORTS["kosten"]}, name="kosten"),
    path("kosten/excel/", report_views.report_export, {"report": REPORTS["kosten"]}, name="kosten-export"),
    path("overlappende-inzet/", report_views.report_page, {"report": REPORTS["overlap"]}, name="overlap"),
    path(
        "overlappende-inzet/excel/", report_views.report_export, {"report": REPORTS["overlap"]}, name="overlap-export"
    ),
    path("projecten/<int:pk>/detailoverzicht/", project_exports.project_overview_export, name="project-overview"),
    path("projecten/<int:pk>/akkoordverklaring/", project_exports.project_akkoord_pdf, name="project-akkoord"),
    path("regio-export/", export_views.region_export_start, name="region-export-start"),
    path("regio-import/", import_views.region_import_upload, name="region-import-upload"),
    path("regio-import/<int:pk>/", import_views.region_import_result, name="region-import-result"),
    path("regio-import/<int:pk>/importeren/", import_views.region_import_commit, name="region-import-commit"),
    path("exports/<int:pk>/", export_views.export_detail, name="export-detail"),
    path("exports/<int:pk>/download/", export_views.export_download, name="export-download"),
]
