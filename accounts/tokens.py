from django.contrib.auth.tokens import PasswordResetTokenGenerator

from accounts.models import User


class EmailConfirmationTokenGenerator(PasswordResetTokenGenerator):
    """Tokens for the link in the confirmation email.

    A token stops working when the address changes and after
    PASSWORD_RESET_TIMEOUT seconds. It stays valid after confirmation so that
    a second click can be told the address is already confirmed; the view
    signs the user in only on the first.
    """

    key_salt = "accounts.tokens.EmailConfirmationTokenGenerator"

    def _make_hash_value(self, user: User, timestamp: int) -> str:
        return f"{user.pk}{user.email}{timestamp}"


email_confirmation_token = EmailConfirmationTokenGenerator()
