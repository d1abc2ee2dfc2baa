"""Authorization expectations for the dashboard and background exports (merged into the walk).

The dashboard has no URLs of its own (it is on the home and Rapportage pages). Exports are
personal: only the user who asked for one sees it (Olga's `export` in the cast, built and
done); an unknown id is 404 for everyone.
"""

from types import ModuleType


def expectations(walk: ModuleType) -> dict:
    nobody = walk.portal(**dict.fromkeys(walk.ALL_LOGGED_IN, 404))
    unknown = walk.Case(nobody, lambda cast: {"pk": 999_999}, "does not exist")
    olga_only = walk.portal(opdrachtnemer=404, wsp=404, coordinatiepunt=404, superuser=404)
    own = walk.Case(olga_only, walk.obj("export"), "Olga's export")
    return {"reporting:export-detail": [own, unknown], "reporting:export-download": [own, unknown]}
