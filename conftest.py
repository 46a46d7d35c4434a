"""What every test process and every process the tests start share, notebooks included.

- torch gets one thread (TORCH_THREADS) in every process the tests start: nbval's kernels, the
  lesson build's kernels, JupyterLab, the site build. The test command already runs one worker per
  core (tasks.py PARALLEL); torch's default, one thread per core in every worker and every kernel,
  would ask for several times more threads than there are cores, and the lessons' tensors are far
  too small for a second thread to help even in a serial run. Results do not depend on it: strict
  nbval passes on every notebook with one thread. An OMP_NUM_THREADS set by the tester is kept.
- nbval's kernels come warm from tools/warm_kernel.py (torch already imported: about 3 s of CPU
  less per notebook); AUTOGRAD_LESSONS_FRESH_KERNELS=1 starts each one fresh instead.
"""

import os
import sys
from pathlib import Path

TORCH_THREADS = 1
WARM_KERNEL = Path(__file__).resolve().parent / "tools" / "warm_kernel.py"

os.environ.setdefault("OMP_NUM_THREADS", str(TORCH_THREADS))


def pytest_configure(config):
    if not sys.platform.startswith("linux"):  # the launcher forks and reads /proc; elsewhere nbval's own kernels
        return
    try:
        from nbval import kernel
    except ImportError:
        return

    class WarmKernelspecManager(kernel.NbvalKernelspecManager):
        """nbval's kernel of the tests' own environment, started through the warm launcher."""

        def get_kernel_spec(self, kernel_name):
            spec = super().get_kernel_spec(kernel_name)
            if kernel_name == kernel.CURRENT_ENV_KERNEL_NAME and spec.argv[1:3] == ["-m", "ipykernel_launcher"]:
                spec.argv = [spec.argv[0], str(WARM_KERNEL), *spec.argv[3:]]
            return spec

    kernel.NbvalKernelspecManager = WarmKernelspecManager
