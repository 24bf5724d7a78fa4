# Issue 15 (national scale): the case list sorted by next deadline reads its first pages from the
# active deadlines in (due_date, case) order (deadlines.selectors.next_due_page_ids) instead of a
# next-deadline subquery for every case the reader may see.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("deadlines", "0011_team_agenda_indexes"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="deadline",
            index=models.Index(
                condition=models.Q(("state__in", ["open", "overdue"])),
                fields=["due_date", "inburgeraar"],
                name="deadline_active_due_case",
            ),
        ),
    ]
