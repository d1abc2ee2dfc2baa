"""One-time links for activation (welkomstmail) and Wachtwoord vergeten.

Django's token generator, keyed on the password hash and the security stamp: the link dies
as soon as it has been used (either changes) and after its own timeout.
"""

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.utils.crypto import constant_time_compare
from django.utils.http import base36_to_int

from .models import User


class AccountTokenGenerator(PasswordResetTokenGenerator):
    def __init__(self, *, purpose: str, timeout_setting: str) -> None:
        super().__init__()
        self.key_salt = f"accounts.tokens.{purpose}"
        self.timeout_setting = timeout_setting

    def _make_hash_value(self, user: User, timestamp: int) -> str:
        return f"{user.pk}:{user.password}:{user.security_stamp}:{user.email}:{timestamp}"

    def check_token(self, user: User | None, token: str | None) -> bool:
        if not (user and token):
            return False
        try:
            timestamp = base36_to_int(token.split("-")[0])
        except ValueError:
            return False
        if self._num_seconds(self._now()) - timestamp > getattr(settings, self.timeout_setting):
            return False
        return any(
            constant_time_compare(self._make_token_with_timestamp(user, timestamp, secret), token)
            for secret in [self.secret, *self.secret_fallbacks]
        )


activation_tokens = AccountTokenGenerator(purpose="activation", timeout_setting="ACCOUNT_ACTIVATION_TIMEOUT")
reset_tokens = AccountTokenGenerator(purpose="password-reset", timeout_setting="PASSWORD_RESET_TIMEOUT")

TOKENS = {"activation": activation_tokens, "reset": reset_tokens}
