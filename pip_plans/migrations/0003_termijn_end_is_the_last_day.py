"""Issue 10: the inburgeringstermijn's last day is the first PIP's dagtekening three years on, not
one day later. Correct the stored ends that the old rule computed (an end that differs, such as a
verlenging, is left alone), move their "Einde inburgeringstermijn" deadline with them and cancel a
voortgangsgesprek that now falls after the last day. The next recompute of a case derives the same
rows; this only spares waiting for one."""

from django.db import migrations
from django.utils import timezone

from common.dates import add_years


def correct_termijn_ends(apps, schema_editor):
    from pip_plans.rules import termijn

    Pip = apps.get_model("pip_plans", "Pip")
    Deadline = apps.get_model("deadlines", "Deadline")
    today = timezone.localdate()
    pips = Pip.objects.filter(dagtekening_initiele_pip__isnull=False, termijn_end__isnull=False)
    for pip in pips.iterator():
        start, end = termijn(pip.dagtekening_initiele_pip)
        old_end = add_years(start, 3)
        if pip.termijn_end != old_end or old_end == end:
            continue
        pip.termijn_end = end
        pip.save(update_fields=["termijn_end"])
        active = Deadline.objects.filter(
            inburgeraar_id=pip.inburgeraar_id, state__in=["open", "overdue"]
        )
        active.filter(kind="termijn", due_date=old_end).update(
            due_date=end, next_reminder_on=today, updated_at=timezone.now()
        )
        active.filter(kind="voortgang", due_date__gt=end).update(
            state="cancelled", next_reminder_on=None, updated_at=timezone.now()
        )


class Migration(migrations.Migration):
    dependencies = [
        ("pip_plans", "0002_adopted_versions_immutable"),
        ("deadlines", "0003_reminder_claimed_at"),
    ]

    operations = [migrations.RunPython(correct_termijn_ends, migrations.RunPython.noop)]
