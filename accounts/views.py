"""The account's own pages: login with the second factor (django-two-factor-auth's wizard:
password, then the TOTP code or a recovery code, in our own page layout) and the language
switch that keeps the choice on the user."""

from django.utils.translation import check_for_language
from django.views.i18n import set_language as django_set_language
from two_factor.views import LoginView as TwoFactorLoginView


class LoginView(TwoFactorLoginView):
    template_name = "two_factor/core/login.html"
    redirect_authenticated_user = True

    def get(self, request, *args, **kwargs):
        if self.redirect_authenticated_user and request.user.is_authenticated:
            from django.shortcuts import redirect

            return redirect(self.get_success_url())
        return super().get(request, *args, **kwargs)

    def get_context_data(self, form, **kwargs):
        return {"next": self.get_redirect_url(), **super().get_context_data(form, **kwargs)}


def empty_login_form(request):
    """The context of the login page's first step, for the lockout answer."""
    from django.contrib.auth.forms import AuthenticationForm

    redirect_to = request.POST.get("next", "")
    return {"form": AuthenticationForm(request, prefix="auth"), "next": redirect_to}


def set_language(request):
    """Django's language switch (cookie, safe `next`), and the choice kept on the user too: what
    is made for them outside a page, such as the calendar feed, follows it."""
    response = django_set_language(request)
    language = request.POST.get("language")
    user = request.user
    if (
        request.method == "POST"
        and user.is_authenticated
        and language
        and check_for_language(language)
        and language != user.language
    ):
        user.language = language
        user.save(update_fields=["language"])
    return response
