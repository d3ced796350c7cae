"""Forms that tell what to fix (the GOV.UK / KERN error summary pattern).

``{% error_summary form formset … %}`` lists every error at the top of the
page with a link to its field; ``static/js/forms.js`` moves the focus to it.
``{% error_title_prefix form … %}`` puts "Fehler: " in front of the page
title when anything is wrong, so screen reader users hear it first.
"""

from django import forms, template
from django.utils.translation import gettext as _

register = template.Library()


def _forms(items):
    for item in items:
        if isinstance(item, forms.BaseFormSet):
            yield item, None
            yield from ((None, form) for form in item.forms)
        elif item is not None:
            yield None, item


def error_entries(*items):
    """``[(anchor or None, message)]`` in the order the fields appear."""
    entries = []
    for formset, form in _forms(items):
        if formset is not None:
            entries += [(None, error) for error in formset.non_form_errors()]
            continue
        entries += [(None, error) for error in form.non_field_errors()]
        for name, field in form.fields.items():
            if name in form.errors and not field.widget.is_hidden:
                bound = form[name]
                anchor = bound.id_for_label or bound.auto_id
                entries += [
                    (anchor, f"{bound.label}: {error}") for error in bound.errors
                ]
    return entries


@register.inclusion_tag("_error_summary.html")
def error_summary(*items):
    return {"entries": error_entries(*items)}


@register.simple_tag
def error_title_prefix(*items):
    return _("Fehler: ") if error_entries(*items) else ""
