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


def _phrase(singular: str, plural: str) -> Promise:
    # "count" picks the form; "n" is what is shown (with thousands separators).
    return ngettext_lazy(singular, plural, "count")


PHRASES: dict[str, Promise] = {
    "regels": _phrase("%(n)s regel", "%(n)s regels"),
    "regels_te_valideren": _phrase("%(n)s regel te valideren", "%(n)s regels te valideren"),
    "regels_teruggestuurd": _phrase(
        "%(n)s teruggestuurde regel om te corrigeren", "%(n)s teruggestuurde regels om te corrigeren"
    ),
    "regels_teruggestuurd_kort": _phrase("%(n)s teruggestuurde regel", "%(n)s teruggestuurde regels"),
    "regels_niet_gevalideerd": _phrase(
        "Er is nog %(n)s regel die niet is gevalideerd.", "Er zijn nog %(n)s regels die niet zijn gevalideerd."
    ),
    "regels_gevalideerd_van": _phrase("van %(n)s regel gevalideerd", "van %(n)s regels gevalideerd"),
    "projecten": _phrase("%(n)s project", "%(n)s projecten"),
    "projecten_actief": _phrase("%(n)s actief project", "%(n)s actieve projecten"),
    "projecten_goed_te_keuren": _phrase(
        "%(n)s project waarvan de verantwoording goedgekeurd kan worden",
        "%(n)s projecten waarvan de verantwoording goedgekeurd kan worden",
    ),
    "projecten_af_te_ronden": _phrase(
        "%(n)s goedgekeurd project om af te ronden", "%(n)s goedgekeurde projecten om af te ronden"
    ),
    "projecten_andere": _phrase(
        "Deze kandidaat is in dezelfde periode ook ingezet op een ander project.",
        "Deze kandidaat is in dezelfde periode ook ingezet op %(n)s andere projecten.",
    ),
    "kandidaten": _phrase("%(n)s kandidaat", "%(n)s kandidaten"),
    "rijen": _phrase("%(n)s rij", "%(n)s rijen"),
    "emails": _phrase("%(n)s e-mail", "%(n)s e-mails"),
    "wijzigingen_laatste": _phrase("De laatste wijziging.", "De laatste %(n)s wijzigingen."),
    "dagen": _phrase("%(n)s dag", "%(n)s dagen"),
    "seconden": _phrase("%(n)s seconde", "%(n)s seconden"),
}


def counted(phrase: str, count: int) -> str:
    """The phrase named `phrase` for `count`: counted("regels", 1) == "1 regel"."""
    return PHRASES[phrase] % {"count": count, "n": format_count(count)}


SENTENCE_ENDS = (".", "!", "?", "…")


def sentence(text: str) -> str:
    """`text` closed with a full stop, unless it already ends in one ("… Hunzebouw B.V." stays as it is)."""
    text = text.rstrip()
    return text if not text or text.endswith(SENTENCE_ENDS) else text + "."
