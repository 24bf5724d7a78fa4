"""Login with the second factor: django-two-factor-auth's wizard (password, then the TOTP code or
a recovery code) in our own page layout."""

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
