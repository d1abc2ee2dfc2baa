from django.contrib.auth import password_validation


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's rule with a Dutch message: Django 5.2 changed its text and the nl catalogue lags behind."""

    def get_error_message(self) -> str:
        return f"Dit wachtwoord is te kort. Het moet minimaal {self.min_length} tekens bevatten."

    def get_help_text(self) -> str:
        return f"Uw wachtwoord moet minimaal {self.min_length} tekens bevatten."
