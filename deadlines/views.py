from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from audit import events as audit
from common.parsing import parse_ids
from municipalities.selectors import led_municipality_ids

from . import rules, selectors, services
from .models import ACTIVE_STATES, CalendarFeed, Deadline


@login_required
def my_deadlines(request):
    today = timezone.localdate()
    # The municipalities the user leads, read once: the team's rows and "team lead" (the page's
    # text) both follow from them.
    lead_ids = led_municipality_ids(request.user)
    agenda = selectors.agenda(request.user, today=today, lead_ids=lead_ids)
    _add_row_links(agenda.overdue + agenda.this_week + agenda.next_weeks)
    audit.listed(
        request.user,
        agenda.overdue + agenda.this_week + agenda.next_weeks,
        part="mijn termijnen",
        fields=["kind", "due_date", "inburgeraar"],
    )
    context = {
        "agenda": agenda,
        "today": today,
        "team_lead": bool(lead_ids),
        "limit": selectors.LIST_LIMIT,
    }
    return render(request, "deadlines/my_deadlines.html", context)


# A number no id reaches, reversed in place of the id and replaced by each row's own.
_ID = 2_147_483_647


def _add_row_links(rows) -> None:
    """Each row's links and the action it offers, set on the row (`case_url`, `complete_url`,
    `record_url`): one reverse() per kind of link for the page. A reverse() per link in the
    template was 400 calls (12 ms) for the 200 rows of Mijn termijnen; the table also decided each
    row's action from four comparisons in the template language."""
    case_url = reverse("case-deadlines", args=[_ID])
    complete_url = reverse("deadline-complete", args=[_ID])
    record_url = reverse("case-tab", args=[_ID, "uitvoering"])
    marker = str(_ID)
    for row in rows:
        case_id = str(row.inburgeraar_id) if row.inburgeraar_id else None
        row.case_url = case_url.replace(marker, case_id) if case_id else ""
        row.complete_url = row.record_url = ""
        if row.kind in rules.MANUAL:
            row.complete_url = complete_url.replace(marker, str(row.pk))
        elif row.kind in rules.RECORDED_IN_UITVOERING and case_id and row.state in ACTIVE_STATES:
            row.record_url = record_url.replace(marker, case_id)


@login_required
@require_POST
def complete(request, pk):
    deadline = get_object_or_404(Deadline.objects.visible_to(request.user), pk=pk)
    try:
        services.complete_deadline(request.user, deadline)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Termijn afgehandeld."))
    # Back to the page the button was on, but never to another site.
    next_url = request.POST.get("next", "")
    # A path of this site only: redirect() would take a bare word ("0") for a URL name.
    if (
        not next_url.isprintable()
        or not next_url.startswith("/")
        or not url_has_allowed_host_and_scheme(
            next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        next_url = reverse("my-deadlines")
    return HttpResponseRedirect(next_url)


@login_required
def notifications(request):
    if request.method == "POST":
        if request.POST.get("all"):
            services.mark_notifications_read(request.user)
        else:
            ids = parse_ids(request.POST.getlist("notification"))
            services.mark_notifications_read(request.user, ids)
        messages.success(request, _("Gemarkeerd als gelezen."))
        return redirect("notifications")
    items = selectors.notification_items(request.user)
    audit.listed(
        request.user,
        [item.notification for item in items],
        part="meldingen",
        fields=["subject", "text"],
    )
    return render(request, "deadlines/notifications.html", {"items": items})


@login_required
def calendar_settings(request):
    token = None
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            services.revoke_calendar_token(request.user)
            messages.success(
                request, _("Het agenda-adres is ingetrokken; het oude adres werkt niet meer.")
            )
            return redirect("calendar-settings")
        token = services.new_calendar_token(request.user)
    feed_url = request.build_absolute_uri(reverse("calendar-feed", args=[token])) if token else None
    context = {
        "feed_url": feed_url,
        "has_feed": CalendarFeed.objects.filter(user=request.user).exists(),
    }
    return render(request, "deadlines/calendar_settings.html", context)


def calendar_feed(request, token):
    """The user's deadlines as iCalendar (Outlook, Google). The secret address is the
    authentication; events name the dossier number, never the person.

    The feed is in the user's own language (their switch on the site), not in whatever language
    the calendar client asks for. DTSTAMP is the event's last change (RFC 5545 §3.8.7.2, a feed
    without METHOD), so fetching twice gives the same body."""
    user = services.feed_user(token)
    if user is None:
        raise Http404
    language = user.language_code
    with translation.override(language):
        body = _feed_body(request, user)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Language"] = language
    response["Cache-Control"] = "private, no-store"
    response["Content-Disposition"] = 'inline; filename="termijnen.ics"'
    return response


def _feed_body(request, user) -> bytes:
    from icalendar import Calendar, Event

    calendar = Calendar()
    calendar.add("prodid", "-//Inburgering Westfriesland//Termijnen//NL")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", _("Termijnen inburgering"))
    calendar.add("x-wr-timezone", "Europe/Amsterdam")
    for deadline in selectors.feed_deadlines(user):
        event = Event()
        event.add("uid", f"termijn-{deadline.pk}@inburgering-westfriesland")
        event.add("dtstamp", deadline.updated_at)
        event.add("dtstart", deadline.due_date)
        event.add("dtend", deadline.due_date + timedelta(days=1))
        where = (
            _("dossier #%(case)s") % {"case": deadline.inburgeraar_id}
            if deadline.inburgeraar_id
            else str(deadline.municipality)
        )
        event.add("summary", f"{deadline.get_kind_display()} — {where}")
        link = request.build_absolute_uri(
            reverse("case-deadlines", args=[deadline.inburgeraar_id])
            if deadline.inburgeraar_id
            else reverse("my-deadlines")
        )
        event.add("description", f"{deadline.get_state_display()}. {link}")
        event.add("url", link)
        event.add("transp", "TRANSPARENT")
        event.add("last-modified", deadline.updated_at)
        calendar.add_component(event)
    return calendar.to_ical()
