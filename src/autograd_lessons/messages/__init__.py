"""The message catalogue, one module per area; `autograd_lessons.i18n` merges them.

Every module defines MESSAGES: key -> {language: text}, with the same str.format fields in
every language. Keys start with the area's prefix (graph., draw., claims. …).
"""

AREAS = ("core", "graph", "draw", "steps", "claims", "widgets", "exercises", "editions", "site")
