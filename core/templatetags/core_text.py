"""{{ count|counted:"regels" }} and {% sentence %}…{% endsentence %}: the template side of core.text."""

from django import template
from django.template.base import Parser, Token
from django.template.context import Context
from django.utils.safestring import SafeString, mark_safe

from core.text import counted as counted_phrase
from core.text import sentence as close_sentence

register = template.Library()


@register.filter
def counted(count: int, phrase: str) -> str:
    return counted_phrase(phrase, int(count or 0))


class SentenceNode(template.Node):
    def __init__(self, nodelist: template.NodeList) -> None:
        self.nodelist = nodelist

    def render(self, context: Context) -> SafeString:
        # The content is rendered (and escaped) first; only a full stop is added.
        return mark_safe(close_sentence(self.nodelist.render(context)))  # noqa: S308


@register.tag
def sentence(parser: Parser, token: Token) -> SentenceNode:
    """Close the sentence inside with one full stop, also when it ends in a name that has one (B.V.)."""
    nodelist = parser.parse(("endsentence",))
    parser.delete_first_token()
    return SentenceNode(nodelist)
