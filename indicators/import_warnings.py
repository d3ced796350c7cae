"""What an import may only do with a reason: the grid's rules for files.

- A value that moves more than 30 % against the month before or the same
  month a year earlier (``validation.implausible_jumps``, as in the grid):
  one warning per value.
- t-0 values over a month that is already final (t-3): one warning per
  month.

A warning is explained by its own reason or by one reason for the whole
file; the real import refuses to write while any is unexplained. Pure
functions over the import's plan: no ORM.
"""

from django.utils.translation import gettext as _

from zielsteuerung.numbers import format_decimal

from . import validation
from .importing import ImportWarning
from .models import DataStatus, Sex
from .months import add_months, month_key


def jump_warnings(plan, references):
    """A warning for each planned value that jumps more than 30 %.

    ``references`` maps (provider id, month, element id, sex) to the value
    that will stand there once the file is applied.
    """
    warnings, earlier = [], {}
    for change in plan:
        row = change.row
        if change.old_value == row.value:
            continue  # only its data status moves
        provider, month, element, sex = row.key
        if month not in earlier:
            earlier[month] = (add_months(month, -1), add_months(month, -12))
        before, year_before = earlier[month]
        jumps = validation.jumps_against(
            row.value,
            references.get((provider, before, element, sex)),
            references.get((provider, year_before, element, sex)),
        )
        if jumps:
            warnings.append(
                ImportWarning(
                    f"z{row.line}",
                    row.line,
                    row.provider,
                    row.month,
                    _("%(element)s (%(sex)s): %(value)s, %(jumps)s")
                    % {
                        "element": row.element.label,
                        "sex": Sex(row.sex).label,
                        "value": format_decimal(row.value),
                        "jumps": "; ".join(str(jump) for jump in jumps),
                    },
                )
            )
    return warnings


def downgrade_warnings(plan, final_months):
    """A warning for each month the file would set from t-3 back to t-0.

    ``final_months`` holds the (provider id, month) that are t-3 now.
    """
    first = {}
    for change in plan:
        row = change.row
        key = row.key[:2]
        final = change.old_status == DataStatus.FINAL or key in final_months
        old = DataStatus.FINAL if final else change.old_status
        if validation.downgrade_needs_reason(old, row.status, has_values=True):
            first.setdefault(key, row)
    return [
        ImportWarning(
            f"s-{row.provider.regional_key}-{month_key(row.month)}",
            row.line,
            row.provider,
            row.month,
            _(
                "%(month)s ist schon endgültig (t-3); die Datei bringt vorläufige "
                "Werte (t-0)."
            )
            % {"month": month_key(row.month)},
        )
        for row in first.values()
    ]


def explain(warnings, reasons, file_reason):
    """({warning key: reason}, [unexplained warnings]).

    ``reasons`` maps warning keys to the reason given for each; the
    ``file_reason`` explains every warning without a reason of its own.
    """
    file_reason = (file_reason or "").strip()
    given = {}
    for warning in warnings:
        text = ((reasons or {}).get(warning.key) or "").strip() or file_reason
        if text:
            given[warning.key] = text
    return given, [w for w in warnings if w.key not in given]


def row_reasons(plan, warnings, given, reason):
    """{line: (comment, history reason)} of each planned value.

    The reason for a value's jump becomes its comment (as in the grid); a
    value whose number stays keeps its comment. The history gets the jump's
    reason, the reason for its month's t-3 → t-0 and the ministry's reason
    for the correction.
    """
    by_line = {w.line: given.get(w.key, "") for w in warnings if w.key[0] == "z"}
    by_month = {
        (w.provider.pk, w.month): given.get(w.key, "")
        for w in warnings
        if w.key[0] == "s"
    }
    if not by_line and not by_month:  # no warning: the correction's reason
        return {
            change.row.line: (
                change.old_comment if change.old_value == change.row.value else "",
                reason,
            )
            for change in plan
        }
    result = {}
    for change in plan:
        row = change.row
        jump = by_line.get(row.line, "")
        month = by_month.get(row.key[:2], "")
        parts = [text for text in (jump, month, reason) if text]
        kept = change.old_comment if change.old_value == row.value else ""
        result[row.line] = (jump or kept, "; ".join(dict.fromkeys(parts)))
    return result
