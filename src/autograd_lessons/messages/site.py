"""Messages of site.py: the static website's own words and the build command's output."""

MESSAGES: dict[str, dict[str, str]] = {
    "site.title": {
        "pt": "Diferenciação automática com PyTorch",
        "en": "Automatic differentiation with PyTorch",
    },
    # The name of each language, written in that language (the chooser page lists them).
    "site.language_name": {"pt": "Português (Brasil)", "en": "English"},
    # The twin link's text is the notebooks' own ("editions.this_edition"); its tooltip is the site's.
    "site.read_in.tooltip": {
        "pt": "Esta mesma página, na edição em português",
        "en": "This same page, in the English edition",
    },
    "site.chooser.heading": {"pt": "Escolha o idioma", "en": "Choose a language"},
    "site.toc.lessons": {"pt": "Lições", "en": "Lessons"},
    "site.toc.reference": {"pt": "Para consulta", "en": "Reference"},
    "site.search_placeholder": {"pt": "Buscar nas lições…", "en": "Search the lessons…"},
    # Interface words of the site's theme that its catalogues leave untranslated. The English
    # text is the theme's own, word for word (the site looks each one up by it).
    "site.theme.skip": {"pt": "Pular para o conteúdo principal", "en": "Skip to main content"},
    "site.theme.top": {"pt": "Voltar ao topo", "en": "Back to top"},
    "site.theme.color_mode": {"pt": "Modo de cor", "en": "Color mode"},
    "site.theme.system": {"pt": "Como no sistema", "en": "System Settings"},
    "site.theme.light": {"pt": "Claro", "en": "Light"},
    "site.theme.dark": {"pt": "Escuro", "en": "Dark"},
    "site.theme.previous": {"pt": "página anterior", "en": "previous page"},
    "site.theme.next": {"pt": "próxima página", "en": "next page"},
    "site.theme.version_warning": {"pt": "Aviso de versão", "en": "Version warning"},
    "site.theme.site_navigation": {"pt": "Navegação do site", "en": "Site navigation"},
    "site.theme.section_navigation": {"pt": "Navegação da seção", "en": "Section Navigation"},
    "site.theme.on_this_page": {"pt": "Nesta página", "en": "On this page"},
    "site.theme.breadcrumb": {"pt": "Trilha de navegação", "en": "Breadcrumb"},
    "site.theme.launch_on": {"pt": "Abrir no", "en": "Launch on"},
    "site.theme.launch": {"pt": "Abrir o notebook para executá-lo", "en": "Launch interactive content"},
    "site.cli.description": {
        "pt": "Constrói o site estático do curso (uma edição por idioma) a partir dos notebooks "
        "guardados com suas saídas, sem executá-los.",
        "en": "Build the course's static website (one edition per language) from the notebooks "
        "stored with their outputs, without running them.",
    },
    "site.cli.root": {
        "pt": "pasta do projeto, com notebooks/ e docs/ (padrão: a pasta atual)",
        "en": "the project folder, holding notebooks/ and docs/ (default: the current folder)",
    },
    "site.cli.out": {
        "pt": "pasta do site construído (padrão: {folder} dentro da pasta do projeto)",
        "en": "where the built site goes (default: {folder} inside the project folder)",
    },
    "site.progress.building": {
        "pt": "Construindo o site: {pages} páginas em {languages} idiomas …",
        "en": "Building the site: {pages} pages in {languages} languages …",
    },
    "site.progress.done": {
        "pt": "Site construído em {seconds:.1f} s:",
        "en": "Site built in {seconds:.1f} s:",
    },
    "site.error.no_notebooks": {
        "pt": "Nenhum notebook em {folder}: confira --root (a pasta do projeto).",
        "en": "No notebooks in {folder}: check --root (the project folder).",
    },
    "site.error.no_home": {
        "pt": "Falta a página inicial {path}.",
        "en": "The home page {path} is missing.",
    },
    "site.error.not_a_site": {
        "pt": "{path} já existe e não é um site construído por este comando; escolha outra pasta "
        "com --out ou apague esta.",
        "en": "{path} already exists and is not a site this command built; choose another folder "
        "with --out or delete this one.",
    },
    "site.error.warnings": {
        "pt": "O Sphinx deu {count} aviso(s) na edição {edition}; o site não foi gerado:\n{warnings}",
        "en": "Sphinx gave {count} warning(s) in the {edition} edition; the site was not built:\n{warnings}",
    },
}
