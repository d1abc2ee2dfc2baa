"""Issues #29 and #30 as the opdrachtnemer does it: download the invulbestand, fill it in (with three bad
rows), upload it, read the errors per row and column, find them marked in the error workbook; then upload
the corrected file, see what will be saved, add the lines, and find that the same file again adds nothing; the
project's Historie shows the file, and the WSP validates one of its lines, with one mail for the file."""

from datetime import timedelta
from decimal import Decimal
from pathlib import Path

from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from notifications.models import Mail
from projects.invulbestand import COLUMNS, kandidaat_label
from projects.models import Inzet, InzetStatus, Kandidaat
from tests.browser.conftest import assert_accessible, sign_in
from tests.projects.cast import brug_veenhoven, make_kandidaat

COLUMN = {c.key: i for i, c in enumerate(COLUMNS, start=1)}


def fill(sheet, row: int, **values: object) -> None:  # type: ignore[no-untyped-def]
    for key, value in values.items():
        sheet.cell(row=row, column=COLUMN[key], value=value)


def test_opdrachtnemer_checks_a_filled_invulbestand_and_finds_the_errors_marked(
    page: Page, olga, otto, wim, tmp_path: Path
):
    project = brug_veenhoven(olga, otto, wim)
    kandidaat = make_kandidaat(otto.organisation)
    sign_in(page, otto)

    page.goto(f"/projecten/{project.pk}/")
    page.get_by_role("link", name="Invulbestand (Excel)").click()
    expect(page.get_by_role("heading", name="Verantwoording met een invulbestand")).to_be_visible()
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download invulbestand (Excel)").click()
    template = tmp_path / download.value.suggested_filename
    download.value.save_as(template)
    assert template.name.startswith("invulbestand-brug-veenhoven-") and template.suffix == ".xlsx"

    book = load_workbook(template)
    sheet = book["Regels"]
    start = project.start_date + timedelta(days=40)
    end = start + timedelta(days=59)
    line = {"soort": "Stage", "start_date": start, "end_date": end, "amount": Decimal("300"), "niveau": "mbo"}
    fill(sheet, 2, kandidaat=kandidaat_label(kandidaat), **line)  # from the drop-down
    new_person = {
        "initials": "P.",
        "surname": "de Vries",
        "birth_date": "03-03-2003",
        "doelgroep": "Stagiair (vmbo, mbo, hbo, wo)",
    }
    fill(sheet, 3, **new_person, **line)
    fill(sheet, 4, **new_person, **(line | {"end_date": start - timedelta(days=1)}))
    fill(sheet, 5, kandidaat=kandidaat_label(kandidaat), **(line | {"soort": "Vliegles"}))
    fill(sheet, 6, kandidaat=kandidaat_label(kandidaat), **(line | {"amount": "veel"}))
    book.save(template)

    page.get_by_label("Invulbestand (.xlsx of .csv)").set_input_files(template)
    page.get_by_role("button", name="Controleren").click()
    expect(page.get_by_role("heading", name="Controle van het invulbestand")).to_be_visible()
    expect(page.get_by_role("alert")).to_contain_text("3 van de 5 rijen hebben fouten.")
    problems = page.get_by_role("table", name="Fouten per rij en kolom")
    expect(problems.get_by_role("row")).to_have_count(4)  # the header and three problems
    expect(problems.get_by_role("row").nth(1)).to_contain_text("4 Einddatum De einddatum ligt voor de startdatum.")
    expect(problems.get_by_role("row").nth(2)).to_contain_text("5 Soort inzet Onbekende soort inzet ‘Vliegles’")
    expect(problems.get_by_role("row").nth(3)).to_contain_text("6 Bedrag")
    assert_accessible(page)
    assert not Inzet.objects.filter(project=project).exists() and Kandidaat.objects.count() == 1, "nothing saved"

    with page.expect_download() as download:
        page.get_by_role("link", name="Download het bestand met de fouten (Excel)").click()
    assert download.value.suggested_filename.endswith("-fouten.xlsx")
    download.value.save_as(tmp_path / "fouten.xlsx")
    errors = load_workbook(tmp_path / "fouten.xlsx")["Regels"]
    error_column = errors.max_column
    assert errors.cell(row=1, column=error_column).value == "Fouten"
    assert [errors.cell(row=r, column=error_column).value is not None for r in range(2, 7)] == [
        False,
        False,
        True,
        True,
        True,
    ]
    marked = errors.cell(row=5, column=COLUMN["soort"])
    assert marked.value == "Vliegles" and marked.fill.fgColor.rgb.endswith("FFC7CE")
    assert "Onbekende soort inzet" in marked.comment.text
    assert errors.cell(row=4, column=COLUMN["end_date"]).fill.fgColor.rgb.endswith("FFC7CE")
    assert not errors.cell(row=2, column=COLUMN["soort"]).fill.fgColor.rgb.endswith("FFC7CE")

    # Corrected: the three bad rows taken out. The preview shows what will be saved; then Regels toevoegen.
    sheet.delete_rows(4, 3)
    book.save(template)
    page.get_by_label("Invulbestand (.xlsx of .csv)").set_input_files(template)
    page.get_by_role("button", name="Controleren").click()
    expect(page.get_by_role("status")).to_contain_text("Alle 2 rijen zijn in orde: 2 nieuwe regels")
    preview = page.get_by_role("table", name="Wat er wordt opgeslagen")
    expect(preview.get_by_role("row")).to_have_count(3)
    expect(preview.get_by_role("row").nth(2)).to_contain_text("P. de Vries nieuw")
    assert_accessible(page)
    page.get_by_role("button", name="Regels toevoegen").click()
    expect(page.get_by_text("2 regels toegevoegd, 0 regels gewijzigd.")).to_be_visible()
    assert_accessible(page)
    assert Inzet.objects.filter(project=project).count() == 2

    # The same file once more: nothing is added, and the page says which rows were there already.
    page.get_by_label("Invulbestand (.xlsx of .csv)").set_input_files(template)
    page.get_by_role("button", name="Controleren").click()
    page.get_by_role("button", name="Regels toevoegen").click()
    expect(page.get_by_text("0 regels toegevoegd, 0 regels gewijzigd; 2 rijen niet opgeslagen")).to_be_visible()
    left = page.get_by_role("table", name="Rijen die niet zijn opgeslagen")
    expect(left.get_by_role("row")).to_have_count(3)
    expect(left).to_contain_text("Staat al zo in de verantwoording")
    assert Inzet.objects.filter(project=project).count() == 2

    # The project shows the lines, and its Historie the file: who, which file, what it did.
    page.goto(f"/projecten/{project.pk}/")
    historie = page.get_by_role("table", name=f"Historie van {project.name}, nieuwste eerst")
    expect(historie).to_contain_text(
        f"Otto Nemer Invulbestand toegevoegd: 2 regels toegevoegd, 0 regels gewijzigd {template.name}"
    )
    assert_accessible(page)

    # The WSP validates one of the lines as usual, and had one mail for the whole file.
    page.context.clear_cookies()
    sign_in(page, wim)
    page.goto(f"/projecten/{project.pk}/")
    vries = Inzet.objects.get(project=project, kandidaat__surname="de Vries")
    page.locator(f"a[href='/projecten/{project.pk}/inzet/{vries.pk}/']").first.click()
    page.get_by_role("button", name="Gevalideerd door WSP").click()
    expect(page.get_by_text("De regel is gevalideerd.")).to_be_visible()
    vries.refresh_from_db()
    assert vries.status == InzetStatus.GEVALIDEERD
    to_wim = Mail.objects.filter(to__contains=[wim.email])
    assert [mail.template for mail in to_wim] == ["invulbestand_toegevoegd"], "one mail for the file, none a line"
