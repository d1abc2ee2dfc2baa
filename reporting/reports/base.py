"""What every report has: a scope, columns, filters, a sort, and one source of rows.

The page and the Excel file read the same rows (`Report.results` filtered and sorted in the
database, `Report.row` turning one result into values), so the file holds exactly what the page
shows, on all pages. `Report.rows(user, params)` is the entry point for anything that is not a
request, such as a background export.
"""

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, ClassVar, TypeVar

from django.db.models import OrderBy, QuerySet

from accounts.models import OrganisationKind, User
from policy.valuation import format_number
from projects.models import Project, ProjectQuerySet

from ..excel import Column, Sheet
from ..filters import ReportFilterForm

PAGE_SIZE = 50
CHUNK = 2000
NUMERIC = ("money", "int", "percent")  # right-aligned on the page, so that the digits line up

T = TypeVar("T")


@dataclass(frozen=True)
class ReportColumn:
    key: str  # also the sort key when the report sorts on it
    label: str
    kind: str = "text"  # as in reporting.excel.Column: text, date, money, int, percent
    width: int = 18
    link: bool = False  # on the page, the cell links to the row's project


@dataclass(frozen=True)
class Cell:
    """One value on the page, rendered by its kind (`templates/reporting/_cell.html`)."""

    value: Any
    kind: str
    url: str = ""
    label: str = ""  # the column's name, shown beside the value where the table is drawn as cards

    @property
    def is_numeric(self) -> bool:
        return self.kind in NUMERIC

    @property
    def is_figure(self) -> bool:
        """A date or a number: short, so that two fit side by side on a phone."""
        return self.kind != "text"

    @property
    def percent(self) -> str:
        """A fraction as Dutch percentage: 0.4567 → `45,7 %`."""
        shown = (Decimal(self.value) * 100).quantize(Decimal("0.1"), ROUND_HALF_UP)
        return f"{format_number(shown)} %"


@dataclass(frozen=True)
class Header:
    label: str
    sort: str  # the sort a click on the header asks for ("" when the column doesn't sort)
    aria_sort: str  # "ascending", "descending" or ""
    is_numeric: bool = False


def own_kandidaten(lines: QuerySet, user: User) -> QuerySet:
    """Inzet lines with a kandidaat this user may read: an opdrachtnemer only its own kandidaten,
    also on a project of another opdrachtnemer where it happens to be contactpersoon."""
    lines = lines.filter(kandidaat__isnull=False)
    if not user.is_superuser and user.role == OrganisationKind.OPDRACHTNEMER:
        lines = lines.filter(kandidaat__opdrachtnemer_id=user.organisation_id)
    return lines


def ordered(results: QuerySet, expressions: Sequence[Any], descending: bool, *tiebreak: str) -> QuerySet:
    """Order by a whitelisted sort, with a tiebreak so pages don't overlap."""
    order = [OrderBy(expression, descending=descending, nulls_last=True) for expression in expressions]
    return results.order_by(*order, *tiebreak)


class Report:
    slug: ClassVar[str]  # the URL name: reporting:<slug>, reporting:<slug>-export
    title: ClassVar[str]
    sheet_title: ClassVar[str]  # at most 31 characters (Excel's limit for a sheet name)
    filename: ClassVar[str]
    description: ClassVar[str]
    caption: ClassVar[str]  # what the table holds (the page's h1 already names the report)
    columns: ClassVar[tuple[ReportColumn, ...]]
    filters: ClassVar[tuple[str, ...]]
    # Sort key -> what is ordered by (database expressions; the overlap report sorts its pairs itself).
    sorts: ClassVar[Mapping[str, Any]]
    default_sort: ClassVar[str]
    # Columns that share one column on the page, one value under the other, so that the table fits
    # a laptop screen (the Excel file keeps them apart): runs of keys of `columns`, in their order.
    page_groups: ClassVar[tuple[tuple[str, ...], ...]] = ()
    empty: ClassVar[str] = "Niets gevonden."
    unit: ClassVar[str] = "rijen"  # what the count on the page counts: a phrase of core.text

    @property
    def url_name(self) -> str:
        return f"reporting:{self.slug}"

    @property
    def export_url_name(self) -> str:
        return f"reporting:{self.slug}-export"

    # --- scope and filters ----------------------------------------------------------------

    def scope(self, user: User) -> ProjectQuerySet:
        """The projects this report reads; the filters offer choices from these only."""
        return Project.objects.for_user(user)

    def scope_text(self, user: User) -> str:
        if user.is_superuser:
            return "Alle projecten"
        if user.role == OrganisationKind.COORDINATIEPUNT:
            return f"Projecten van regio {user.region} en projecten waaraan u bent gekoppeld"
        return "Projecten waaraan u bent gekoppeld"

    def form(self, user: User, params: Mapping[str, Any] | None) -> ReportFilterForm:
        return ReportFilterForm(self, user, params)

    @property
    def sort_keys(self) -> tuple[str, ...]:
        return tuple(self.sorts)

    def column_label(self, key: str) -> str:
        return next(column.label for column in self.columns if column.key == key)

    def on_page(self, items: Sequence[T]) -> list[list[T]]:
        """`items`, one per column in the order of `columns`, grouped as the page's columns (`page_groups`)."""
        keys = [column.key for column in self.columns]
        groups = {group[0]: group for group in self.page_groups}
        page: list[list[T]] = []
        start = 0
        while start < len(keys):
            group = groups.get(keys[start], (keys[start],))
            if tuple(keys[start : start + len(group)]) != group:
                raise ValueError(f"{self.slug}: page group {group} is not a run of its columns")
            page.append(list(items[start : start + len(group)]))
            start += len(group)
        return page

    def headers(self, form: ReportFilterForm) -> list[list[Header]]:
        """The page's column headers: each a list of the columns it shows."""
        current = form.current_sort
        headers = []
        for column in self.columns:
            numeric = column.kind in NUMERIC
            if column.key not in self.sorts:
                headers.append(Header(column.label, "", "", numeric))
            elif current == column.key:
                headers.append(Header(column.label, f"-{column.key}", "ascending", numeric))
            elif current == f"-{column.key}":
                headers.append(Header(column.label, column.key, "descending", numeric))
            else:
                headers.append(Header(column.label, column.key, "", numeric))
        return self.on_page(headers)

    # --- the rows -------------------------------------------------------------------------

    def results(self, user: User, form: ReportFilterForm) -> QuerySet | Sequence[Any]:
        """Everything the report shows for these filters, sorted: a queryset, or a list when small."""
        raise NotImplementedError

    def row(self, result: Any) -> tuple[Any, ...]:
        """The values of one result, in the order of `columns` (dates as date, money as Decimal)."""
        raise NotImplementedError

    def url(self, result: Any) -> str:
        """Where a linked cell of this row goes on the page."""
        return ""

    def cells(self, result: Any) -> list[list[Cell]]:
        """One row of the page: per column of the page, the values it shows."""
        url = self.url(result)
        return self.on_page(
            [
                Cell(value, column.kind, url if column.link else "", column.label)
                for column, value in zip(self.columns, self.row(result), strict=True)
            ]
        )

    def _all(self, results: QuerySet | Sequence[Any]) -> Iterable[Any]:
        return results.iterator(chunk_size=CHUNK) if isinstance(results, QuerySet) else results

    def rows(self, user: User, params: Mapping[str, Any] | None) -> Iterator[tuple[Any, ...]]:
        """All rows for these filter parameters (a request's GET or a plain dict), sorted."""
        return self._rows(self.results(user, self.form(user, params)))

    def _rows(self, results: QuerySet | Sequence[Any]) -> Iterator[tuple[Any, ...]]:
        for result in self._all(results):
            yield self.row(result)

    def count(self, user: User, params: Mapping[str, Any] | None) -> int:
        results = self.results(user, self.form(user, params))
        return results.count() if isinstance(results, QuerySet) else len(results)

    def sheet(self, user: User, params: Mapping[str, Any] | None) -> Sheet:
        """The Excel sheet: these rows, typed, with the filters as lines under the title."""
        form = self.form(user, params)
        columns = [Column(column.label, column.kind, column.width) for column in self.columns]
        return Sheet(self.sheet_title, columns, self._rows(self.results(user, form)), about=form.about())

    def export(self, user: User, params: Mapping[str, Any] | None) -> tuple[int, list[Sheet]]:
        """(row count, sheets): what a background export needs."""
        return self.count(user, params), [self.sheet(user, params)]
