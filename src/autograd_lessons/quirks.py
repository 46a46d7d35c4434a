"""Library behaviour that must not show in a lesson's outputs, silenced where it arises.

Each function here names the versions it concerns and why hiding the behaviour is safe.
"""

from __future__ import annotations

import contextlib
import importlib
import warnings

# Forward-mode AD (torch.func.jvp, jacfwd, torch.autograd.forward_ad) imports this module the first
# time it is used; at import, the module builds its decompositions with torch.jit.script.
FORWARD_MODE_DECOMPOSITIONS = "torch._decomp.decompositions_for_jvp"
JIT_SCRIPT_DEPRECATED = r"`torch\.jit\.script` is deprecated"


def load_forward_mode() -> None:
    """Import torch's forward-mode decompositions now, hiding only the deprecation their import raises.

    torch 2.13 raises it as a DeprecationWarning (hidden in notebooks), torch 2.14 as a FutureWarning
    (printed under the learner's first `jvp` cell, which changes a stored output). It is about how
    torch builds its own internals, not about anything in the lesson. Once the module is imported,
    later forward-mode calls do not import it again, so they stay silent; a learner's own call to
    torch.jit.script still warns, because the filter lasts only for this import.
    """
    with warnings.catch_warnings():
        for category in (DeprecationWarning, FutureWarning):
            warnings.filterwarnings("ignore", message=JIT_SCRIPT_DEPRECATED, category=category)
        # A torch that no longer has the module does not raise the warning either.
        with contextlib.suppress(ImportError):
            importlib.import_module(FORWARD_MODE_DECOMPOSITIONS)
