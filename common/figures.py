"""Counting per category for figures and charts: one GROUP BY, zeros included."""

from django.db.models import Count


def counts(cases, field: str, labels: dict) -> list[tuple[str, int]]:
    """[(label, count)] for each value of `field`, in the order of `labels`, zeros included."""
    return labelled(dict(cases.order_by().values_list(field).annotate(n=Count("pk"))), labels)


def labelled(found: dict, labels: dict) -> list[tuple[str, int]]:
    """[(label, count)] from {value: count}, in the order of `labels`, zeros included, values
    without a label after them."""
    found = dict(found)
    rows = [(str(label), found.pop(value, 0)) for value, label in labels.items()]
    rows.extend((str(value), n) for value, n in found.items())
    return rows
