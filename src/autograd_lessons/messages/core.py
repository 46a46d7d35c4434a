"""Messages about the package itself (the language switch)."""

MESSAGES: dict[str, dict[str, str]] = {
    "language.unknown": {
        "pt": 'Idioma desconhecido: {value!r}. Use set_language("pt") para português '
        'ou set_language("en") para inglês.',
        "en": 'Unknown language: {value!r}. Use set_language("pt") for Portuguese '
        'or set_language("en") for English.',
    },
}
