"""Messages about the package itself (the language switch)."""

MESSAGES: dict[str, dict[str, str]] = {
    "language.unknown": {
        "pt": 'Idioma desconhecido: {value!r}. Use set_language("pt") para português '
        'ou set_language("en") para inglês.',
        "en": 'Unknown language: {value!r}. Use set_language("pt") for Portuguese or set_language("en") for English.',
    },
    "language.bad_code": {
        "pt": "O código de um idioma novo tem duas letras minúsculas e não é um dos que já existem ({shipped}); recebi {value!r}.",
        "en": "A new language's code is two lower-case letters and not one of those shipped ({shipped}); got {value!r}.",
    },
    "language.bad_fallback": {
        "pt": "fallback deve ser um destes idiomas: {valid} (recebi {value!r}).",
        "en": "fallback must be one of these languages: {valid} (got {value!r}).",
    },
    "language.unknown_keys": {
        "pt": "{code}: estas chaves não existem no catálogo de mensagens: {keys}. Confira a grafia.",
        "en": "{code}: these keys are not in the message catalogue: {keys}. Check their spelling.",
    },
    "language.fields": {
        "pt": "{code}: a tradução de {name!r} deve usar exatamente os campos {fields}.",
        "en": "{code}: the translation of {name!r} must use exactly the fields {fields}.",
    },
}
