"""Date arithmetic inside a query, the same on PostgreSQL and SQLite, so a figure over many cases
is one aggregate instead of every row in Python. Django's own `F("day") + timedelta(...)` on SQLite
yields a datetime string ("2026-03-12 00:00:00"), which compares wrongly with a date column."""

from django.db.models import DateField, Func, IntegerField
from django.db.models.functions import Coalesce, Greatest


class AddDays(Func):
    """`expression` plus a whole number of days, as a date (NULL stays NULL)."""

    output_field = DateField()

    def __init__(self, expression, days: int, **extra):
        self.days = int(days)
        super().__init__(expression, **extra)

    def as_postgresql(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"(({sql})::date + %s)", (*params, self.days)

    def as_sqlite(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"date({sql}, %s)", (*params, f"{self.days:+d} days")


class DaysBetween(Func):
    """Whole days from `start` to `end` (end - start), as an integer."""

    output_field = IntegerField()

    def as_postgresql(self, compiler, connection, **extra):
        (end, end_params), (start, start_params) = (
            compiler.compile(expression) for expression in self.source_expressions
        )
        return f"(({end})::date - ({start})::date)", (*end_params, *start_params)

    def as_sqlite(self, compiler, connection, **extra):
        (end, end_params), (start, start_params) = (
            compiler.compile(expression) for expression in self.source_expressions
        )
        return (
            f"CAST(julianday({end}) - julianday({start}) AS INTEGER)",
            (*end_params, *start_params),
        )


def latest_of(*expressions):
    """The latest non-NULL date of the expressions (NULL when all are), on every database:
    PostgreSQL's GREATEST skips NULLs, SQLite's MAX() returns NULL as soon as one is NULL, so
    each argument falls back to the others."""
    if len(expressions) == 1:
        return expressions[0]
    return Greatest(
        *(
            Coalesce(expression, *(other for other in expressions if other is not expression))
            for expression in expressions
        ),
        output_field=DateField(),
    )
