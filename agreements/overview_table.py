"""The overview page's table, computed again only where its inputs moved.

Computing the overview of all providers takes about half a second at 405
Träger; after one provider's figures change, only that provider's row shows
something new. So the page keeps its table — one ``TableRow`` of plain
values and HTML per provider — in the shared cache per ministry and year,
with the versions it was built from: the agreement side
(``agreement_side_version``: agreements and their parts, assessments,
explanations, Land targets, year-end results, organisations) and each
provider's figures version. On the next request

- when only some providers' figures moved, only their rows are computed
  again (their agreements, results and row HTML);
- when the agreement side moved, or the month every provider has reached
  (``as_of``, which every row's HTML names), the whole table is computed.

The Land rows (from the sums ``indicators.land_pool`` keeps) and the
comparison with the Land's own target are put together on every request.
Both ways assemble the page from the rows with the same functions, and a
test compares them after random changes.
"""

import pickle
import zlib
from collections import Counter
from dataclasses import dataclass, field
from types import SimpleNamespace

from django.core.cache import cache
from django.utils.safestring import mark_safe

from indicators.selectors import figures_versions, figures_versions_within
from zielsteuerung.accounts import policy

from .overview import (
    Overview,
    agreement_side_version,
    as_of_of,
    columns_of,
    comparison_for,
    contributions_of,
    land_rows_for,
    overview_rows,
)

TABLE_CACHE_SECONDS = 24 * 60 * 60


@dataclass(frozen=True)
class TableRow:
    """What the page needs of one provider's row, and the row's HTML."""

    provider_pk: int
    provider_name: str
    regional_key: str
    agreement_pk: int
    as_of: object
    closed: bool
    statuses: dict  # Column → status (the official one in a closed year)
    contributions: dict  # Column → contribution to the implied Land target
    html: str
    attention: tuple = ()  # the start page's lines of targets that need it

    @property
    def provider(self):
        return SimpleNamespace(
            pk=self.provider_pk, name=self.provider_name, regional_key=self.regional_key
        )

    @property
    def cells(self):
        return self.statuses

    def status_of(self, column):
        return self.statuses[column]

    def statuses_shown(self):
        return set(self.statuses.values()) - {None}


@dataclass
class Table:
    agreement_version: str
    figures_versions: dict  # provider pk → figures version the row rests on
    as_of: object
    rows: list = field(default_factory=list)
    columns: list = field(default_factory=list)  # ``columns_of(rows)``


def overview_table(user, year, render_rows):
    """The ``Table`` of ``user``'s ministry for ``year``, from the cache if current.

    ``render_rows(rows, columns, as_of, complete=…)`` renders full ``Row``
    objects: per row its HTML and the start page's lines of its targets that
    need attention; ``complete`` says whether ``rows`` are all the table's.
    """
    key = f"overview-table:v4:{user.organisation_id}:{year}"
    # Versions are read before anything is computed: a change made meanwhile
    # then shows as a newer version on the next request, never as an old one.
    version = agreement_side_version()
    stored = _read(key)
    if stored is not None and stored.agreement_version == version:
        versions = figures_versions(stored.figures_versions)
        table = _updated(stored, versions, user, year, render_rows)
        if table is not None:
            if table is not stored:
                _write(key, table)
            return table
    table = _computed(version, user, year, render_rows)
    _write(key, table)
    return table


# The table is kept compressed: its rows' HTML is ~0.8 MB at 405 Träger,
# ~40 KB compressed, read and written on every change. The cache pickles
# what it keeps anyway; this pickles first so that it can compress.
def _read(key):
    stored = cache.get(key)
    return None if stored is None else pickle.loads(zlib.decompress(stored))  # noqa: S301


def _write(key, table):
    data = zlib.compress(pickle.dumps(table, pickle.HIGHEST_PROTOCOL), 1)
    cache.set(key, data, TABLE_CACHE_SECONDS)


def _computed(version, user, year, render_rows):
    """The whole table, computed afresh."""
    # As in ``overview_table``: the versions first, then what rests on them.
    before = figures_versions_within(policy.providers_visible_to(user))
    rows = overview_rows(user, year)
    versions = {row.provider.pk: before.get(row.provider.pk, 0) for row in rows}
    columns, as_of = columns_of(rows), as_of_of(rows)
    html = render_rows(rows, columns, as_of, complete=True)
    return Table(version, versions, as_of, _table_rows(rows, html, columns), columns)


def _updated(stored, versions, user, year, render_rows):
    """``stored`` with the rows of providers whose figures moved computed again.

    ``None`` when the whole table must be computed: the month every provider
    has reached moved (every row's HTML names it), or the columns did.
    """
    moved = [
        pk for pk, version in versions.items() if stored.figures_versions[pk] != version
    ]
    if not moved:
        return stored
    fresh = {row.provider.pk: row for row in overview_rows(user, year, moved)}
    if set(fresh) != set(moved):
        return None  # a row came or went: not a figures-only change
    kept = [row for row in stored.rows if row.provider_pk not in fresh]
    as_of = min(
        [row.as_of for row in kept if row.as_of]
        + [row.as_of for row in fresh.values() if row.as_of],
        default=None,
    )
    columns = stored.columns
    if as_of != stored.as_of or columns != columns_of([*kept, *fresh.values()]):
        return None
    html = render_rows(list(fresh.values()), columns, as_of, complete=False)
    replaced = dict(
        zip(fresh, _table_rows(list(fresh.values()), html, columns), strict=True)
    )
    rows = [replaced.get(row.provider_pk, row) for row in stored.rows]
    return Table(stored.agreement_version, versions, as_of, rows, columns)


def _table_rows(rows, rendered, columns):
    """The rows as kept; their cells keyed by the table's own ``columns``.

    Every row then refers to the same few column objects, which the cache
    pickles once, not once per row and cell.
    """
    same = {column: column for column in columns}
    return [
        TableRow(
            provider_pk=row.provider.pk,
            provider_name=row.provider.name,
            regional_key=row.provider.regional_key,
            agreement_pk=row.agreement.pk,
            as_of=row.as_of,
            closed=row.closed,
            statuses={same[column]: row.status_of(column) for column in row.cells},
            contributions={
                same[column]: value for column, value in contributions_of(row).items()
            },
            html=str(html),
            attention=tuple(str(line) for line in attention),
        )
        for row, (html, attention) in zip(rows, rendered, strict=True)
    ]


def table_overview(table, user, year):
    """The ``Overview`` the page template shows, assembled from the table's rows.

    Its rows are ``TableRow``s; Land rows and the comparison with the Land's
    own target are computed here, on every request.
    """
    rows = table.rows
    columns = table.columns
    counts = table_counts(rows)
    land_rows = land_rows_for(
        user, columns, [row.provider_pk for row in rows], year, table.as_of
    )
    comparison = comparison_for(
        user, columns, [row.contributions for row in rows], year
    )
    return Overview(year, columns, rows, land_rows, comparison, table.as_of, counts)


def table_counts(rows):
    """How many targets have each status (official ones in closed years)."""
    return Counter(status for row in rows for status in row.statuses.values() if status)


def row_html(row):
    return mark_safe(row.html)  # noqa: S308 - rendered by our own template
