from django import forms
from django.utils.translation import gettext_lazy as _


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("CSV-bestand met DUO-kennisgevingen"),
        help_text=_("Komma- of puntkommagescheiden, UTF-8 of Windows-1252, ten hoogste 20 MB."),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".csv,text/csv", "class": "utrecht-file-input"}
        ),
    )
