"""Where the course lives online, and the addresses that open one of its notebooks elsewhere.

The repository's name is written here once: the notebooks' top cells, the README's buttons, the
site's launch buttons and the Colab install line all read it. Paths are the repository-relative,
forward-slash paths of the files, e.g. ``notebooks/pt/01_autograd.ipynb``.
"""

from __future__ import annotations

from urllib.parse import quote

REPOSITORY = "autograd-lessons/autograd-lessons"  # owner/name on GitHub
BRANCH = "main"  # what Colab opens and installs; the site is published from it too
REPOSITORY_URL = f"https://github.com/{REPOSITORY}"
SITE_URL = "https://{owner}.github.io/{name}/".format(owner=REPOSITORY.split("/")[0], name=REPOSITORY.split("/")[1])
COLAB = "https://colab.research.google.com"
BINDER = "https://mybinder.org"


def _checked(path: str) -> str:
    if not path or path.startswith("/") or "\\" in path or ".." in path.split("/"):
        raise ValueError(f"expected a repository-relative path with forward slashes, got {path!r}")
    return path


def colab_url(path: str) -> str:
    """Open the notebook at `path` (as stored on BRANCH) in Google Colab."""
    return f"{COLAB}/github/{REPOSITORY}/blob/{BRANCH}/{quote(_checked(path))}"


def binder_url(path: str) -> str:
    """Start the repository on Binder with JupyterLab open on the notebook at `path`."""
    return f"{BINDER}/v2/gh/{REPOSITORY}/HEAD?urlpath={quote('lab/tree/' + _checked(path), safe='')}"


def install_requirement() -> str:
    """What pip installs on Colab: the package straight from the repository's BRANCH."""
    return f"autograd-lessons @ git+{REPOSITORY_URL}@{BRANCH}"
