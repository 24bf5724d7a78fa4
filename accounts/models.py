from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A person who logs in. What they may see follows from their memberships (municipalities)."""

    language = models.CharField(
        _("taal"),
        max_length=8,
        choices=settings.LANGUAGES,
        blank=True,
        help_text=_(
            "De taal die de gebruiker zelf koos (taalkeuze bovenaan de pagina). Leeg: Nederlands."
        ),
    )

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        ordering = ["username"]

    def __str__(self):
        return self.get_full_name() or self.username

    @property
    def language_code(self) -> str:
        """The user's own language, for what is made for them outside a page (the calendar
        feed): not the language of whatever client fetches it."""
        return self.language or settings.LANGUAGE_CODE
