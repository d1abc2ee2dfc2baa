"""The Rapportage menu (SPEC §7, manual §4): four reports, each a page and an Excel export."""

from .base import PAGE_SIZE, Cell, Header, Report, ReportColumn
from .kandidaten import KandidatenReport
from .kosten import KostenReport
from .overlap import OverlapReport
from .projecten import ProjectenReport

PROJECTEN = ProjectenReport()
KANDIDATEN = KandidatenReport()
KOSTEN = KostenReport()
OVERLAP = OverlapReport()

# In the order of the menu; keyed by URL name (reporting:<slug>).
REPORTS: dict[str, Report] = {report.slug: report for report in (PROJECTEN, KANDIDATEN, KOSTEN, OVERLAP)}

__all__ = ["PAGE_SIZE", "REPORTS", "Cell", "Header", "Report", "ReportColumn"]
