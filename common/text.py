"""Text keys for searching and sorting names.

`search_key` lowercases, removes accents (so 'Şahin' is found by 'sahin') and folds the letters
that Unicode does not decompose into a base letter and an accent: 'ı' (dotless i), 'ø', 'ł', 'đ',
'ß', 'æ', 'œ', 'þ' and friends, so 'yilmaz' finds 'Yılmaz' and 'sorensen' finds 'Sørensen'.
The key is stored on the row (`Inburgeraar.search_name`), so the search is a plain LIKE on SQLite
and PostgreSQL alike.
"""

import unicodedata

# Letters without a canonical decomposition, after casefold() (which already turns 'ß' into 'ss').
# Each maps to what a Dutch caseworker would type on a keyboard without them.
_UNDECOMPOSED = str.maketrans(
    {
        "ı": "i",  # Turkish dotless i (Yılmaz)
        "ø": "o",  # Danish/Norwegian (Sørensen)
        "ł": "l",  # Polish (Łukasz, Michał)
        "đ": "d",  # Croatian/Serbian/Vietnamese (Đorđević)
        "ð": "d",  # Icelandic eth
        "þ": "th",  # Icelandic thorn
        "æ": "ae",
        "œ": "oe",
        "ß": "ss",  # casefold() does this already; kept for clarity
        "ħ": "h",  # Maltese
        "ŧ": "t",
        "ƚ": "l",
        "ƀ": "b",
        "ɨ": "i",
        "ĸ": "k",
        "ŋ": "n",
        "ɖ": "d",
        "ƒ": "f",
        "ʼ": "'",
    }
)


def fold(text: str) -> str:
    """Lowercase, without accents, with the undecomposed letters folded; spacing kept."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return stripped.casefold().translate(_UNDECOMPOSED)


def search_key(text: str) -> str:
    return " ".join(fold(text).split())
