"""Plain-text helpers for the simple search of the embedded database.

SQLite has no Russian stemming and compares Cyrillic case-sensitively, so the
text is stored lower-cased and queries are cut to word stems by
``stem_of``: a rough rule that drops the changeable endings of Russian words.
"""

import re

WORD = re.compile(r"[0-9a-zа-яё]+", re.IGNORECASE)

# Russian inflectional endings, longest first.
_ENDINGS = sorted(
    [
        "ыми",
        "ими",
        "ого",
        "его",
        "ому",
        "ему",
        "ая",
        "яя",
        "ое",
        "ее",
        "ые",
        "ие",
        "ый",
        "ий",
        "ой",
        "ую",
        "юю",
        "ам",
        "ям",
        "ах",
        "ях",
        "ов",
        "ев",
        "ей",
        "ом",
        "ем",
        "ами",
        "ями",
        "ию",
        "ия",
        "ии",
        "ью",
        "ья",
        "ых",
        "их",
        "ым",
        "им",
        "а",
        "я",
        "о",
        "е",
        "ы",
        "и",
        "у",
        "ю",
        "ь",
    ],
    key=len,
    reverse=True,
)


def words_of(text: str) -> list[str]:
    return [word.lower().replace("ё", "е") for word in WORD.findall(text)]


def stem_of(word: str) -> str:
    """Return ``word`` without its inflectional ending, keeping 4+ letters."""
    for ending in _ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 4:
            return word[: -len(ending)]
    return word


def search_text_of(*parts: str) -> str:
    """Return the lower-cased words of ``parts`` joined by spaces."""
    return " " + " ".join(words_of(" ".join(p for p in parts if p))) + " "
