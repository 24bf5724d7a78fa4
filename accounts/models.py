from django.contrib.auth.models import AbstractUser


class User(AbstractUser):
    """A person who logs in. What they may see follows from their memberships (municipalities)."""

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        ordering = ["username"]

    def __str__(self):
        return self.get_full_name() or self.username
