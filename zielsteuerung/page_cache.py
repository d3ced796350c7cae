"""Whole signed-in pages from the shared cache, while nothing they show changed.

The overview and the ministry's start page are read far more often than their
inputs change. Their content is cached already (``cached_fragment``); what a
cached request still spent was rendering the page around it: the navigation,
the user's name, the title. ``cached_page`` stores the finished page instead.

The key holds what the caller names (the version of the content's inputs, the
year, the filters) and everything the page's frame shows of the signed-in
user: name, organisation, role, the navigation's entries and section, the
language. A page with messages to show is rendered and never stored (messages
belong to one request). The stored page holds a mark where the CSRF token goes
(the logout form); each response gets its own token there, so no token is ever
stored or handed to someone else.
"""

import functools
import hashlib
import zlib

from django.apps import apps
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils import translation

from indicators.selectors import FIGURE_VERSION_TABLES, highest_ids
from zielsteuerung.context_processors import navigation

# Stands in for the CSRF token in a stored page; no real token looks like it.
CSRF_MARK = "zs-csrf-mark"
PAGE_CACHE_SECONDS = 600


def cached_page(request, parts, render_page):
    """``render_page(extra_context)``'s response, from the cache if ``parts`` hold.

    ``parts`` must name every input of the page's content; the frame's inputs
    (the signed-in user and navigation) are added here.
    """
    if len(get_messages(request)):  # loading them does not mark them as shown
        return render_page({})
    key = page_key(request, parts)
    stored = cache.get(key)
    token = get_token(request).encode()
    if stored is not None:
        return HttpResponse(token.join(_unpacked(stored)))
    response = render_page({"csrf_token": CSRF_MARK})
    if response.status_code == 200:
        cache.set(key, zlib.compress(response.content, 1), PAGE_CACHE_SECONDS)
    response.content = response.content.replace(CSRF_MARK.encode(), token)
    return response


@functools.lru_cache(maxsize=8)
def _unpacked(stored):
    """The stored page's parts between its CSRF marks, kept for the next request.

    Keyed by the stored bytes themselves: a page the cache has dropped or
    replaced is never served from here, and clearing the cache clears this
    too, in effect. Unpacking the national overview (777 kB) and looking
    for its mark took 0.8 ms, a tenth of a cached request.
    """
    return tuple(zlib.decompress(stored).split(CSRF_MARK.encode()))


def page_key(request, parts):
    named = repr([*parts, *frame(request)]).encode()
    return "page:v1:" + hashlib.sha256(named).hexdigest()


def frame(request):
    """What ``base.html`` shows of the signed-in user and the navigation."""
    user = request.user
    organisation = user.organisation
    return [
        user.pk,
        str(user),
        organisation.name if organisation else "",
        organisation.short_name if organisation else "",
        user.get_role_display(),
        user.is_staff,
        translation.get_language(),
        sorted(navigation(request).items()),
    ]


def data_version():
    """Moves whenever anything the application records changes: one query.

    Every model whose changes are kept (agreements and all their parts,
    negotiation, reports, dialogues, results, organisations, users, data
    elements …) writes a history row with each change, and figures add rows
    to their own tables; the highest ids of all of them move on. A page
    keyed by this version is stale for no longer than it takes to read it.
    """
    return "-".join(str(value) for value in highest_ids(_version_tables()))


@functools.cache
def _version_tables():
    """Every history table of the project, and the figure tables (built once)."""
    history = tuple(
        (model, "history_id")
        for model in apps.get_models()
        if model._meta.pk.name == "history_id"
    )
    return history + tuple(FIGURE_VERSION_TABLES)
