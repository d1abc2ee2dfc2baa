"""What the bench scripts share. Import it after `django.setup()`."""

from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import User


def logged_in(user: User) -> Client:
    """A client logged in as after both factors: the user's session with a verified authenticator."""
    client = Client()
    client.force_login(user, backend="accounts.backends.EmailBackend")
    device, _ = TOTPDevice.objects.get_or_create(user=user, defaults={"name": "bench", "confirmed": True})
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client
