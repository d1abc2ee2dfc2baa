"""Dutch text that depends on its content: counted phrases and sentences that end in a name.

Every count shown to a user (pages, mails, exports, messages) is written with one of the
phrases below, through Django's plural machinery, so "1 regel" and "2 regels" come from one
place; `tests/core/test_text.py` renders each at 0, 1 and 2.
"""

from django.utils.functional import Promise
from django.utils.translation import ngettext_lazy


def format_count(number: int) -> str:
    """A whole number with Dutch thousands separators: 12.345."""
    return f"{number:,}".replace(",", ".")


# "count" picks the form; "n" is what is shown (with thousands separators). The phrases are written out
# in full in each call, so that makemessages finds them for the nl catalogue (locale/nl).
PHRASES: dict[str, Promise] = {
    "regels": ngettext_lazy("%(n)s regel", "%(n)s regels", "count"),
    "regels_te_valideren": ngettext_lazy("%(n)s regel te valideren", "%(n)s regels te valideren", "count"),
    "regels_teruggestuurd": ngettext_lazy(
        "%(n)s teruggestuurde regel om te corrigeren", "%(n)s teruggestuurde regels om te corrigeren", "count"
    ),
    "regels_teruggestuurd_kort": ngettext_lazy("%(n)s teruggestuurde regel", "%(n)s teruggestuurde regels", "count"),
    "regels_niet_gevalideerd": ngettext_lazy(
        "Er is nog %(n)s regel die niet is gevalideerd.", "Er zijn nog %(n)s regels die niet zijn gevalideerd.", "count"
    ),
    "regels_gevalideerd_van": ngettext_lazy("van %(n)s regel gevalideerd", "van %(n)s regels gevalideerd", "count"),
    "regels_toegevoegd": ngettext_lazy("%(n)s regel toegevoegd", "%(n)s regels toegevoegd", "count"),
    "regels_gewijzigd": ngettext_lazy("%(n)s regel gewijzigd", "%(n)s regels gewijzigd", "count"),
    "rijen_niet_opgeslagen": ngettext_lazy("%(n)s rij niet opgeslagen", "%(n)s rijen niet opgeslagen", "count"),
    "projecten": ngettext_lazy("%(n)s project", "%(n)s projecten", "count"),
    "projecten_actief": ngettext_lazy("%(n)s actief project", "%(n)s actieve projecten", "count"),
    "projecten_goed_te_keuren": ngettext_lazy(
        "%(n)s project waarvan de verantwoording goedgekeurd kan worden",
        "%(n)s projecten waarvan de verantwoording goedgekeurd kan worden",
        "count",
    ),
    "projecten_af_te_ronden": ngettext_lazy(
        "%(n)s goedgekeurd project om af te ronden", "%(n)s goedgekeurde projecten om af te ronden", "count"
    ),
    "projecten_andere": ngettext_lazy(
        "Deze kandidaat is in dezelfde periode ook ingezet op een ander project.",
        "Deze kandidaat is in dezelfde periode ook ingezet op %(n)s andere projecten.",
        "count",
    ),
    "kandidaten": ngettext_lazy("%(n)s kandidaat", "%(n)s kandidaten", "count"),
    "rijen": ngettext_lazy("%(n)s rij", "%(n)s rijen", "count"),
    "emails": ngettext_lazy("%(n)s e-mail", "%(n)s e-mails", "count"),
    "wijzigingen_laatste": ngettext_lazy("De laatste wijziging.", "De laatste %(n)s wijzigingen.", "count"),
    "dagen": ngettext_lazy("%(n)s dag", "%(n)s dagen", "count"),
    "seconden": ngettext_lazy("%(n)s seconde", "%(n)s seconden", "count"),
}


def counted(phrase: str, count: int) -> str:
    """The phrase named `phrase` for `count`: counted("regels", 1) == "1 regel"."""
    return PHRASES[phrase] % {"count": count, "n": format_count(count)}


SENTENCE_ENDS = (".", "!", "?", "…")


def sentence(text: str) -> str:
    """`text` closed with a full stop, unless it already ends in one ("… Hunzebouw B.V." stays as it is)."""
    text = text.rstrip()
    return text if not text or text.endswith(SENTENCE_ENDS) else text + "."
