"""Messages of editions.py: the cells the build puts at the top of every notebook."""

MESSAGES: dict[str, dict[str, str]] = {
    "editions.open_in_colab": {"pt": "▶ Abrir no Colab", "en": "▶ Open in Colab"},
    "editions.open_in_binder": {"pt": "▶ Abrir no Binder", "en": "▶ Open in Binder"},
    # Shown on the other editions' notebooks and site pages, so written in the language it leads to.
    "editions.this_edition": {"pt": "Ler em português", "en": "Read in English"},
    "editions.colab_setup": {
        "pt": "Só no Google Colab: instala o pacote das lições, usando o torch, o matplotlib e o "
        "ipywidgets que o Colab já tem. Fora do Colab, esta célula não faz nada.",
        "en": "Only on Google Colab: installs the lessons' package, using the torch, matplotlib and "
        "ipywidgets Colab already has. Anywhere else this cell does nothing.",
    },
}
