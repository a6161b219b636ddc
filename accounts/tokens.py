from django.contrib.auth.tokens import PasswordResetTokenGenerator

from accounts.models import User


class EmailConfirmationTokenGenerator(PasswordResetTokenGenerator):
    """Tokens for the link in the confirmation email.

    A token stops working once the address is confirmed or changed, and after
    PASSWORD_RESET_TIMEOUT seconds.
    """

    key_salt = "accounts.tokens.EmailConfirmationTokenGenerator"

    def _make_hash_value(self, user: User, timestamp: int) -> str:
        confirmed = user.email_confirmed_at.isoformat() if user.email_confirmed_at else ""
        return f"{user.pk}{user.email}{confirmed}{timestamp}"


email_confirmation_token = EmailConfirmationTokenGenerator()
