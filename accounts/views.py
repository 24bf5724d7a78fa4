from django.utils.translation import check_for_language
from django.views.i18n import set_language as django_set_language


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
