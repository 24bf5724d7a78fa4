"""Demo data for WerkSaam: a handful of cases per municipality shared on the benefit basis, with
a few of WerkSaam's records, so werksaam.medewerker's dashboard has something to show.

Idempotent: a case that already has a share is left alone.
"""

from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from accounts.models import User
from cases.models import CaseStatus, Inburgeraar
from municipalities.selectors import municipalities

from . import services
from .models import Activity, Benefit, MapProgress, MapStatus, Share, Unburdening

SHARED_PER_MUNICIPALITY = 3


def seed_werksaam() -> int:
    """Returns the number of cases newly shared."""
    worker = User.objects.filter(username="werksaam.medewerker").first()
    if worker is None:
        return 0
    today = date.today()
    shared = 0
    for org in municipalities().order_by("name"):
        caseworker = User.objects.filter(username=f"klantmanager.{org.slug}").first()
        if caseworker is None:
            continue
        candidates = Inburgeraar.objects.filter(
            municipality=org,
            status__in=[CaseStatus.PIP, CaseStatus.UITVOERING, CaseStatus.INTAKE],
        ).order_by("bsn")[:SHARED_PER_MUNICIPALITY]
        for index, case in enumerate(candidates):
            if Share.objects.filter(inburgeraar=case).exists():
                continue
            start = today - timedelta(days=60 + 20 * index)
            ending_soon = org.slug == "hoorn" and index == 0
            if ending_soon:
                # Six months of ontzorgen that end within four weeks.
                start = today - relativedelta(months=6) + timedelta(days=10)
            services.start_share(caseworker, case, basis=Share.Basis.BENEFIT, start_date=start)
            services.add_record(worker, case, Benefit, start_date=start)
            if index == 0:
                services.add_record(
                    worker,
                    case,
                    Unburdening,
                    machtiging_date=start,
                    start_date=start,
                    planned_end=start + relativedelta(months=6 if ending_soon else 12),
                    rent=True,
                    energy_water=True,
                    health_insurance=True,
                )
            if index < 2:
                services.add_record(
                    worker,
                    case,
                    MapProgress,
                    status=MapStatus.BEZIG if index == 0 else MapStatus.NIET_GESTART,
                    hours_done=16 if index == 0 else 0,
                )
            if index == 1:
                services.add_record(
                    worker,
                    case,
                    Activity,
                    kind=Activity.Kind.WERKPLEK,
                    name="Werkervaringsplaats magazijn",
                    provider="Groothandel Westfriesland",
                    start_date=today - timedelta(days=14),
                    hours_per_week=16,
                )
            shared += 1
    return shared
