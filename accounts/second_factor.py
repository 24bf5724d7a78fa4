"""The second factor's devices: TOTP (an authenticator app) and recovery codes (static tokens),
with django-otp's models. django-two-factor-auth finds them by name: "default" and "backup"."""

from base64 import b32decode

from django.db import transaction
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

TOTP_DEVICE_NAME = "default"
RECOVERY_DEVICE_NAME = "backup"


def hex_key_from_base32(secret: str) -> str:
    """The hex key django-otp stores, from the base32 secret an authenticator app is given."""
    secret = secret.replace(" ", "").upper()
    return b32decode(secret + "=" * (-len(secret) % 8)).hex()


@transaction.atomic
def give_totp_device(user, base32_secret: str) -> TOTPDevice:
    """A confirmed TOTP device with this secret (idempotent): the demo users'."""
    key = hex_key_from_base32(base32_secret)
    device, _ = TOTPDevice.objects.update_or_create(
        user=user, name=TOTP_DEVICE_NAME, defaults={"key": key, "confirmed": True}
    )
    return device


@transaction.atomic
def reset_devices(user) -> int:
    """Removes every device of the user: at the next login they set up a new second factor."""
    removed = 0
    for model in (TOTPDevice, StaticDevice):
        count, _ = model.objects.filter(user=user).delete()
        removed += count
    return removed


def has_devices(user) -> bool:
    return TOTPDevice.objects.filter(user=user).exists() or (
        StaticDevice.objects.filter(user=user).exists()
    )
