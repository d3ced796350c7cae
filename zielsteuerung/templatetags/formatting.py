"""Template filters for German number formats: {% load formatting %}."""

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from zielsteuerung.numbers import format_decimal

register = template.Library()


@register.filter
def de_number(value, places=None):
    """``3489`` → ``3.489``; ``25.40`` → ``25,4``; ``{{ x|de_number:1 }}``."""
    return format_decimal(value, None if places in (None, "") else int(places))


@register.filter
def de_signed(value, places=None):
    """Like ``de_number`` with a leading ``+`` for positive values."""
    return format_decimal(
        value, None if places in (None, "") else int(places), sign=True
    )


@register.filter(needs_autoescape=True)
def paragraphs(text, autoescape=True):
    """Plain text → ``<p>`` paragraphs (blank line) and ``<ul>`` lists (``- ``)."""
    esc = conditional_escape if autoescape else (lambda value: value)
    blocks = []
    for block in str(text or "").replace("\r\n", "\n").split("\n\n"):
        lines = [line.strip() for line in block.split("\n") if line.strip()]
        if not lines:
            continue
        if all(line.startswith(("- ", "• ")) for line in lines):
            items = "".join(f"<li>{esc(line[2:].strip())}</li>" for line in lines)
            blocks.append(f"<ul>{items}</ul>")
        else:
            blocks.append("<p>" + "<br>".join(esc(line) for line in lines) + "</p>")
    return mark_safe("".join(blocks))  # noqa: S308 - every piece is escaped above


@register.filter(needs_autoescape=True)
def keep_hyphenated(text, autoescape=True):
    """Names with hyphenated words (Nordrhein-Westfalen) never break inside them."""
    esc = conditional_escape if autoescape else (lambda value: value)
    words = [
        f'<span class="nobr">{esc(word)}</span>' if "-" in word[1:-1] else esc(word)
        for word in str(text or "").split(" ")
    ]
    return mark_safe(" ".join(words))  # noqa: S308 - every word is escaped above
