"""The main flows with the keyboard only (WCAG 2.1.1, 2.1.2, 2.4.1, 2.4.3, 2.4.7).

Nothing is clicked or filled: focus moves with Tab and Shift+Tab, choices with the arrow keys and
Space, links and buttons go with Enter or Space, and text is typed into the field that has the
focus. Every control the flow reaches must show a focus indicator; the skip link must lead to the
main content; and on the busiest pages Tab must visit every control once, in reading order, and
come round again (no keyboard trap), with Shift+Tab the same way back.
"""

import itertools
import re
from datetime import date

from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Locator, Page, expect

from accounts.models import Organisation, OrganisationKind, User
from projects.models import Inzet, InzetStatus, Project, ProjectStatus
from tests.factories import PASSWORD, OpdrachtnemerFactory, UserFactory, coordinatiepunt

PROJECT = "Fietsbrug Veenhoven"
WERK = "Werk (uitbesteed aan SW-bedrijf of sociale onderneming)"

# A short description of the focused element, to show where focus went when a test fails.
DESCRIBE_FOCUS = """() => {
  const e = document.activeElement;
  if (!e || e === document.body) return '(body)';
  const name = (e.getAttribute('aria-label') || (e.labels && e.labels[0] && e.labels[0].textContent)
    || e.textContent || e.value || '').trim().replace(/\\s+/g, ' ').slice(0, 50);
  return `${e.tagName.toLowerCase()}${e.type ? '[' + e.type + ']' : ''} "${name}"`;
}"""
# The focused element matches :focus-visible and draws an outline or a box-shadow for it.
FOCUS_STYLE = """() => {
  const e = document.activeElement;
  const style = getComputedStyle(e);
  const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
  return {
    visible: e.matches(':focus-visible') && (outline || style.boxShadow !== 'none'),
    style: `outline: ${style.outlineStyle} ${style.outlineWidth} ${style.outlineColor}; box-shadow: ${style.boxShadow}`,
  };
}"""
# Numbers every tab stop of the page in document order (a radio group is one stop) and returns how
# many there are; `data-tab-stop` is then what the focused element is.
NUMBER_TAB_STOPS = """() => {
  const selector = 'a[href], button, input:not([type=hidden]), select, textarea, summary, [tabindex]';
  const stops = [...document.querySelectorAll(selector)].filter(e =>
    !e.disabled && e.tabIndex >= 0 && e.checkVisibility({visibilityProperty: true}) && !e.closest('[inert]'));
  const groups = new Map();
  let count = 0;
  for (const e of stops) {
    const group = e.type === 'radio' ? `${[...document.forms].indexOf(e.form)}/${e.name}` : null;
    if (group && groups.has(group)) { e.dataset.tabStop = groups.get(group); continue; }
    e.dataset.tabStop = String(count);
    if (group) groups.set(group, String(count));
    count += 1;
  }
  return count;
}"""
CURRENT_STOP = f"""() => document.activeElement === document.body ? '(body)'
  : document.activeElement.dataset.tabStop ?? 'not a counted stop: ' + ({DESCRIBE_FOCUS})()"""


def focused(target: Locator) -> bool:
    return target.evaluate("element => element === document.activeElement")


def assert_focus_visible(page: Page) -> None:
    focus = page.evaluate(FOCUS_STYLE)
    assert focus["visible"], f"no visible focus on {page.evaluate(DESCRIBE_FOCUS)}: {focus['style']}"


# Where the focus is after a Tab: nothing when it is on the element marked as the target, else a description.
FOCUS_NOT_ON = f"""token => document.activeElement?.dataset.tabTarget === token ? null : ({DESCRIBE_FOCUS})()"""
_targets = itertools.count()


def tab_to(page: Page, target: Locator, *, max_tabs: int = 80) -> None:
    """Tab until `target` has the focus, and see that it shows; fail after `max_tabs`, saying where focus went.
    The target is marked once, so that each Tab asks the browser one question (is the focus on the mark?)."""
    expect(target).to_have_count(1)
    token = str(next(_targets))
    target.evaluate("(element, token) => { element.dataset.tabTarget = token; }", token)
    path: list[str] = []
    for tabs in range(max_tabs + 1):
        where = page.evaluate(FOCUS_NOT_ON, token)
        if where is None:  # also when it is there already (autofocus)
            assert_focus_visible(page)
            return
        if tabs:
            path.append(where)
        if tabs < max_tabs:
            page.keyboard.press("Tab")
    raise AssertionError(f"{target} not reached with {max_tabs} × Tab; focus went {path}")


def arrow_to(page: Page, target: Locator, *, max_presses: int = 12) -> None:
    """In a radio group, ArrowDown until `target` has the focus (and is chosen)."""
    for _ in range(max_presses):
        if focused(target):
            expect(target).to_be_checked()
            assert_focus_visible(page)
            return
        page.keyboard.press("ArrowDown")
    raise AssertionError(f"{target} not reached with the arrow keys; at {page.evaluate(DESCRIBE_FOCUS)}")


def type_into(page: Page, target: Locator, text: str) -> None:
    tab_to(page, target)
    page.keyboard.type(text)


def type_date(page: Page, target: Locator, day: date) -> None:
    """The digits into a date field. Chromium orders its parts by its own locale (mm-dd or dd-mm, the
    year last), so the flow uses dates whose day and month are the same number."""
    assert day.day == day.month, day
    type_into(page, target, day.strftime("%d%m%Y"))
    expect(target).to_have_value(day.isoformat())


def press_on(page: Page, target: Locator, key: str = "Enter") -> None:
    """Tab to a link or button and activate it with `key`."""
    tab_to(page, target)
    page.keyboard.press(key)


def to_top(page: Page) -> None:
    """Tab on until the focus leaves the page after its last stop, so that the next Tab goes to its first.
    (Focus on the body says nothing: after a link to #section, Tab goes on from the section.)"""
    for _ in range(200):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement === document.body"):
            return
    raise AssertionError(f"Tab never left the page: stuck at {page.evaluate(DESCRIBE_FOCUS)}")


def assert_skip_link_leads_to_main(page: Page) -> None:
    """The first Tab stop is the skip link, visible when focused; Enter puts focus on the main content."""
    to_top(page)
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Direct naar de inhoud")
    assert focused(skip), f"first Tab stop is {page.evaluate(DESCRIBE_FOCUS)}"
    assert_focus_visible(page)
    box = skip.bounding_box()
    assert box and box["width"] > 1 and box["height"] > 1 and box["y"] >= 0, f"skip link not visible: {box}"
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "main"
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.closest('main') !== null"), page.evaluate(DESCRIBE_FOCUS)


def tab_round(page: Page, key: str, stops: int) -> list[str]:
    """The tab stops `key` visits until the focus leaves the page or comes round to where it started
    (a date field is one stop for its three parts)."""
    visited: list[str] = []
    for _ in range(4 * stops + 8):
        page.keyboard.press(key)
        stop = page.evaluate(CURRENT_STOP)
        if stop == "(body)" or (len(visited) > 1 and stop == visited[0]):
            return visited
        if not visited or visited[-1] != stop:
            visited.append(stop)
    raise AssertionError(f"keyboard trap: {key} never came round; it went {visited}")


def assert_tab_cycle(page: Page) -> None:
    """Tab visits every tab stop once, in document order, and then leaves the page: no trap, no
    control out of reach. Shift+Tab goes the same way back."""
    stops = page.evaluate(NUMBER_TAB_STOPS)
    to_top(page)
    forward = tab_round(page, "Tab", stops)
    assert forward == [str(stop) for stop in range(stops)], forward
    backward = tab_round(page, "Shift+Tab", stops)
    assert backward == forward[::-1], backward


def error_summary(page: Page) -> Locator:
    return page.get_by_role("alert").filter(has=page.get_by_role("heading", name="Controleer het formulier"))


def log_in(page: Page, user: User) -> None:
    """Inloggen: e-mail and password, the Login button, then the code from the authenticator and Enter."""
    page.goto("/inloggen/")
    type_into(page, page.get_by_label("E-mailadres"), user.email)
    type_into(page, page.get_by_label("Wachtwoord"), PASSWORD)
    press_on(page, page.get_by_role("button", name="Login"))
    expect(page.get_by_role("heading", name="Authenticatiecode")).to_be_visible()
    code = f"{totp(TOTPDevice.objects.get(user=user).bin_key):06d}"
    type_into(page, page.get_by_label("Authenticatiecode"), code)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name=f"Welkom, {user.name}")).to_be_visible()


def log_out(page: Page) -> None:
    press_on(page, page.get_by_role("button", name="Uitloggen"))
    expect(page.get_by_role("heading", name="Inloggen")).to_be_visible()


def open_project(page: Page) -> None:
    """Menu (Enter opens it), Projecten, then the project."""
    press_on(page, page.locator("summary", has_text="Menu"))
    press_on(page, page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Projecten", exact=True))
    expect(page.get_by_role("heading", name="Projecten", level=1)).to_be_visible()
    press_on(page, page.get_by_role("link", name=PROJECT))
    expect(page.get_by_role("heading", name=PROJECT, level=1)).to_be_visible()


def test_login_page_has_a_skip_link_and_no_keyboard_trap(page: Page):
    page.goto("/inloggen/")
    expect(page.get_by_label("E-mailadres")).to_be_focused()  # autofocus: the one thing to do here
    assert_tab_cycle(page)
    assert_skip_link_leads_to_main(page)


def test_project_from_creation_to_afgerond_with_the_keyboard_only(page: Page):
    region = coordinatiepunt("drenthe").region
    wsp = Organisation.objects.create(name="WSP Drenthe", kind=OrganisationKind.WSP, region=region)
    wim = UserFactory(name="Wim Werkgeversservicepunt", email="wim@wsp-drenthe.invalid", organisation=wsp)
    gemeente = Organisation.objects.create(
        name="Gemeente Veenhoven", kind=OrganisationKind.OPDRACHTGEVER, region=region
    )
    olga = UserFactory(name="Olga Opdracht", email="olga@veenhoven.invalid", organisation=gemeente)
    aannemer = OpdrachtnemerFactory(name="Bouwbedrijf Hunze B.V.", regions=[region])
    otto = UserFactory(name="Otto Nemer", email="otto@hunze.invalid", organisation=aannemer)
    cora = UserFactory(
        name="Cora Coördinator", email="cora@csr-drenthe.invalid", organisation=coordinatiepunt("drenthe")
    )
    # The project ran last year, so it can be approved and closed today.
    year = timezone.localdate().year - 1
    start, end = date(year, 1, 1), date(year, 12, 12)

    # 1. Olga logs in and makes the project: Menu → Projecten → Nieuw project.
    log_in(page, olga)
    assert_skip_link_leads_to_main(page)
    press_on(page, page.locator("summary", has_text="Menu"))
    press_on(page, page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Projecten", exact=True))
    press_on(page, page.get_by_role("link", name="Nieuw project"))
    expect(page.get_by_role("heading", name="Nieuw project", level=1)).to_be_visible()
    assert_tab_cycle(page)
    # Sent empty first: the error summary takes the focus, and its first link takes it to the field.
    press_on(page, page.get_by_role("button", name="Opslaan"))
    expect(error_summary(page)).to_be_focused()
    press_on(page, error_summary(page).get_by_role("link", name="Projectnaam: Dit veld is verplicht."))
    expect(page.get_by_label("Projectnaam")).to_be_focused()
    type_into(page, page.get_by_label("Projectnaam"), PROJECT)
    type_into(page, page.get_by_label("Kenmerk"), "FB-2025-004")
    type_date(page, page.get_by_label("Startdatum"), start)
    type_date(page, page.get_by_label("Einddatum"), end)
    type_into(page, page.get_by_label("Accountmanager"), "Wim")  # a select chooses as you type
    expect(page.get_by_label("Accountmanager")).to_have_value(str(wim.pk))
    type_into(page, page.get_by_label("Bestaande opdrachtnemer"), "Bouw")
    expect(page.get_by_label("Bestaande opdrachtnemer")).to_have_value(str(aannemer.pk))
    tab_to(page, page.get_by_label("SR verplichting", exact=True))  # the radio group, on its first choice
    page.keyboard.press("Space")
    expect(page.get_by_label("SR verplichting", exact=True)).to_be_checked()
    type_into(page, page.get_by_label("Opdrachtsom (€)"), "40.000,00")
    type_into(page, page.get_by_label("SR-percentage"), "5")
    press_on(page, page.get_by_role("button", name="Opslaan"))
    expect(page.get_by_text(f"Het project {PROJECT} is aangemaakt.")).to_be_visible()
    project = Project.objects.get(name=PROJECT)
    assert (project.opdrachtnemer, project.accountmanager, project.verplichting) == (aannemer, wim, 2000)

    # 2. Olga adds Otto of the opdrachtnemer as contactpersoon.
    press_on(page, page.get_by_role("link", name="Contactpersoon toevoegen"))
    type_into(page, page.get_by_label("Contactpersoon"), "Otto")
    expect(page.get_by_label("Contactpersoon")).to_have_value(str(otto.pk))
    press_on(page, page.get_by_role("button", name="Opslaan"))
    expect(page.get_by_role("table", name=f"Contactpersonen van {PROJECT}")).to_contain_text("Otto Nemer")
    assert_tab_cycle(page)
    log_out(page)

    # 3. Otto adds a werk line: Inzet toevoegen, the soort with the arrow keys, then the amounts.
    log_in(page, otto)
    open_project(page)
    press_on(page, page.get_by_role("link", name="Inzet toevoegen"))
    expect(page.get_by_role("heading", name="Inzet toevoegen", level=1)).to_be_visible()
    press_on(page, page.get_by_role("button", name="Verder"))  # nothing chosen yet: say so
    expect(error_summary(page)).to_be_focused()
    press_on(page, error_summary(page).get_by_role("link", name="Soort inzet: Dit veld is verplicht."))
    page.keyboard.press("Tab")  # the link went to the group: the next Tab is on its first choice
    expect(page.get_by_role("radio").first).to_be_focused()
    arrow_to(page, page.get_by_label(WERK, exact=True))
    press_on(page, page.get_by_role("button", name="Verder"))
    expect(page.get_by_text(f"Stap 2 van 2: {WERK}.")).to_be_visible()
    assert_tab_cycle(page)
    type_date(page, page.get_by_label("Startdatum"), date(year, 3, 3))
    type_date(page, page.get_by_label("Einddatum"), date(year, 6, 6))
    type_into(page, page.get_by_label("Uitvoeringskosten (€)"), "2.500,00")
    press_on(page, page.get_by_role("button", name="Opslaan"))
    expect(page.get_by_text("De regel is opgeslagen.")).to_be_visible()
    inzet = Inzet.objects.get(project=project)
    assert (inzet.soort, inzet.status) == ("werk", InzetStatus.INGEVOERD)
    log_out(page)

    # 4. Wim validates the line: from the Verantwoording table to the line, Space on the button.
    log_in(page, wim)
    open_project(page)
    press_on(page, page.get_by_role("link", name=re.compile(rf"^{re.escape(WERK)}\s*, regel")))
    expect(page.get_by_role("heading", name=f"Inzet: {WERK}", level=1)).to_be_visible()
    press_on(page, page.get_by_role("button", name="Gevalideerd door WSP"), key="Space")
    expect(page.get_by_text("De regel is gevalideerd.")).to_be_visible()
    inzet.refresh_from_db()
    assert inzet.status == InzetStatus.GEVALIDEERD
    log_out(page)

    # 5. Cora approves the verantwoording (a checkbox, with Space) and closes the project.
    log_in(page, cora)
    open_project(page)
    assert_tab_cycle(page)
    tab_to(page, page.get_by_label("Ik heb beoordeeld of aan de SR verplichting is voldaan"))
    page.keyboard.press("Space")
    press_on(page, page.get_by_role("button", name="SR verantwoording goedkeuren"))
    expect(page.get_by_role("status").filter(has_text="De SR verantwoording is goedgekeurd.")).to_be_visible()
    press_on(page, page.get_by_role("button", name="Project afgerond"))
    expect(page.get_by_text("Het project is afgerond.")).to_be_visible()
    project.refresh_from_db()
    assert project.status == ProjectStatus.AFGEROND
