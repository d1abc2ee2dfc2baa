"""The load run's users (started by bench/load.py, which prepares their sessions).

Each simulated user is a real bench account with a signed-in, two-factor-verified session; what
it does follows its role: reading lists, projects and reports, and saving (a note on a project,
an opdrachtnemer re-saving one of its lines, which revalues the project). Saves are named
"save: …" so the runner can hold them to their own target.
"""

import itertools
import json
import os
import random
import re

import lxml.html
from locust import HttpUser, between, events, task

ACCOUNTS = json.loads(open(os.environ["SRM_LOAD_ACCOUNTS"], encoding="utf-8").read())  # noqa: SIM115
_next = itertools.count()
_times = open(os.environ["SRM_LOAD_TIMES"], "w", encoding="utf-8")  # noqa: SIM115 - open for the whole run
_times.write("name,ms\n")


@events.request.add_listener
def _record(name: str, response_time: float, **kwargs: object) -> None:
    """Every response time, so the runner can take p95 over pages and over saves."""
    _times.write(f"{name},{response_time}\n")


@events.quitting.add_listener
def _close(**kwargs: object) -> None:
    _times.close()


TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def line_form(html: str) -> tuple[str, dict[str, str]] | None:
    """The action and values of the line's own form (it posts to "?soort=…"), as a browser sends them."""
    for form in lxml.html.fromstring(html).forms:
        if (form.get("action") or "").startswith("?soort="):
            return form.get("action"), dict(form.form_values())
    return None


class PortalUser(HttpUser):
    wait_time = between(1, 3)  # a person reads before clicking on

    def on_start(self) -> None:
        self.account = ACCOUNTS[next(_next) % len(ACCOUNTS)]
        self.client.cookies.set("sessionid", self.account["session"])
        self.role = self.account["role"]

    def project(self) -> int:
        return random.choice(self.account["projects"])  # noqa: S311

    @task(4)
    def home(self) -> None:
        self.client.get("/", name="home (dashboard)")

    @task(5)
    def project_list(self) -> None:
        query = random.choice(["", "?sort=-sr_actueel", "?sort=end_date", "?projectnaam=a"])  # noqa: S311
        self.client.get(f"/projecten/{query}", name="projecten list")

    @task(6)
    def project_detail(self) -> None:
        self.client.get(f"/projecten/{self.project()}/", name="project detail")

    @task(1)
    def beleid(self) -> None:
        self.client.get("/beleid/", name="beleid")

    @task(2)
    def report(self) -> None:
        self.client.get("/rapportage/projecten/", name="rapportage projecten")
        if self.role == "coordinatiepunt" and random.random() < 0.2:  # noqa: S311
            self.client.get("/rapportage/kandidaten/", name="rapportage kandidaten")

    @task(2)
    def role_page(self) -> None:
        if self.role == "opdrachtnemer":
            self.client.get("/projecten/kandidaten/", name="kandidaten list")
        elif self.role == "coordinatiepunt":
            self.client.get("/mail/", name="e-mail outbox")
        else:
            self.client.get("/projecten/afgerond/", name="projecten afgerond")

    @task(2)
    def save_note(self) -> None:
        pk = self.project()
        page = self.client.get(f"/projecten/{pk}/", name="project detail")
        token = TOKEN.search(page.text)
        if token is None:
            return
        self.client.post(
            f"/projecten/{pk}/notities/toevoegen/",
            {"csrfmiddlewaretoken": token.group(1), "text": "Belafspraak gemaakt (load run)."},
            headers={"Referer": page.url},
            name="save: note",
            allow_redirects=False,
        )

    @task(2)
    def save_line(self) -> None:
        if not self.account["lines"]:
            return
        pk, inzet_pk = random.choice(self.account["lines"])  # noqa: S311
        url = f"/projecten/{pk}/inzet/{inzet_pk}/bewerken/"
        page = self.client.get(url, name="inzet edit form")
        found = line_form(page.text)
        if found is None:
            return
        action, values = found
        with self.client.post(
            url + action,
            values,
            headers={"Referer": page.url},
            name="save: inzet line",
            catch_response=True,
            allow_redirects=False,
        ) as r:
            # 302 is saved; 200 is the form again (e.g. a colleague saved the line first): both are answers.
            if r.status_code not in (200, 302):
                r.failure(f"status {r.status_code}")
