from allauth.account.forms import SignupForm as AllauthSignupForm
from django.core.validators import MaxLengthValidator

# The user's column (and allauth's EmailAddress) holds 254 characters; Django's e-mail
# check alone lets 320 through.
EMAIL_MAX_LENGTH = 254


class SignupForm(AllauthSignupForm):
    """allauth's sign-up with the address checked whole: longer than the column is a field
    error, never an address cut short on save. No maxlength on the input either, so the
    browser does not cut it silently (and lose the "@") before we can say so."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].validators.append(MaxLengthValidator(EMAIL_MAX_LENGTH))
