"""A BSN never goes into a URL (and so never into an access log): a search form posts, and a BSN
in it is replaced by a reference, kept in the session, in the address that follows. Used by the
case list and by WerkSaam's dashboard."""

import hashlib
import hmac

from django.conf import settings
from django.http import QueryDict

from common.bsn import looks_like_bsn, normalise_bsn

SEARCH_REFERENCE = "zoek"
SESSION_SEARCHES = "case_searches"


def search_reference(bsn: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), bsn.encode(), hashlib.sha256).hexdigest()[:16]


def public_query(request, data) -> QueryDict:
    """The query for the address bar: a BSN-like `q` becomes `zoek=<reference>`."""
    query = QueryDict(mutable=True)
    for key in data:
        if key not in ("csrfmiddlewaretoken", "page"):
            query.setlist(key, data.getlist(key))
    q = query.get("q", "").strip()
    if looks_like_bsn(q):
        reference = search_reference(normalise_bsn(q))
        searches = request.session.get(SESSION_SEARCHES, {})
        searches[reference] = normalise_bsn(q)
        request.session[SESSION_SEARCHES] = dict(list(searches.items())[-20:])
        query.pop("q")
        query[SEARCH_REFERENCE] = reference
    return query


def filter_data(request, query: QueryDict) -> QueryDict:
    """The form's data: the reference looked up again in this session (another session's
    reference finds nothing)."""
    data = query.copy()
    reference = data.pop(SEARCH_REFERENCE, [None])[-1]
    if reference:
        data["q"] = request.session.get(SESSION_SEARCHES, {}).get(reference, "")
    return data
