"""The warm kernels nbval runs the notebooks in (tools/warm_kernel.py, used through conftest.py):
each is a process of its own, in the notebook's folder, with the tester's environment, that
answers the kernel manager like a fresh kernel (interrupt, shutdown, kill), and a kernel starts
fresh wherever forking would not be safe or the tester asks for it."""

import os
import signal
import sys
import time

import pytest
from nbval.kernel import CURRENT_ENV_KERNEL_NAME, start_new_kernel

from tools import warm_kernel

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="warm kernels are forked: Linux only")
TIMEOUT = 60  # seconds for a kernel to start or answer, on a loaded machine


def run(client, code: str) -> tuple[str, dict]:
    """What `code` printed (and the value of its last expression), and its reply's content."""
    printed = []

    def keep(message):
        if message["msg_type"] == "stream":
            printed.append(message["content"]["text"])
        elif message["msg_type"] == "execute_result":  # sent before the reply, unlike buffered stdout
            printed.append(message["content"]["data"]["text/plain"])

    reply = client.execute_interactive(code, timeout=TIMEOUT, output_hook=keep)
    return "".join(printed).strip(), reply["content"]


@pytest.fixture
def kernels(tmp_path):
    """Start kernels as nbval does (its manager, the tests' environment); shut them all down after."""
    started = []

    def start(**environment):
        old = {name: os.environ.get(name) for name in environment}
        os.environ.update(environment)
        try:
            manager, client = start_new_kernel(
                kernel_name=CURRENT_ENV_KERNEL_NAME, startup_timeout=TIMEOUT, cwd=str(tmp_path)
            )
        finally:
            for name, value in old.items():
                if value is None:
                    os.environ.pop(name, None)
                else:
                    os.environ[name] = value
        started.append((manager, client))
        return manager, client

    yield start
    for manager, client in started:
        client.stop_channels()
        if manager.is_alive():
            manager.shutdown_kernel(now=True)


PROBE = (
    "import os, sys; print(sorted(m for m in ('torch', 'torch._dynamo', 'matplotlib') if m in sys.modules),"
    " os.getcwd(), os.environ.get('AUTOGRAD_LESSONS_PROBE'), os.getpid())"
)


def test_a_warm_kernel_has_torch_imported_and_runs_in_the_notebook_folder_with_the_tester_environment(
    kernels, tmp_path
):
    manager, client = kernels(AUTOGRAD_LESSONS_PROBE="seen")
    printed, reply = run(client, PROBE)
    modules, folder, probe, pid = printed.rsplit(" ", 3)
    assert reply["status"] == "ok"
    assert modules == "['torch', 'torch._dynamo']", (
        "torch comes imported; matplotlib must not (its backend comes from the kernel)"
    )
    assert (folder, probe) == (str(tmp_path), "seen")
    assert int(pid) != manager.provisioner.process.pid, "the kernel is forked from the warm server, not the launcher"
    printed, _ = run(client, "import matplotlib; print(matplotlib.get_backend())")
    assert "inline" in printed, "figures show in the notebook as in a fresh kernel"


def test_each_kernel_is_a_process_of_its_own_with_its_own_random_state(kernels):
    first, second = kernels()[1], kernels()[1]
    run(first, "import torch; secret = 41; torch.set_default_dtype(torch.float64)")
    code = (
        "import os, random, numpy, torch; print('secret' in dir(), torch.get_default_dtype(),"
        " random.random(), numpy.random.rand(), os.getpid())"
    )
    one, _ = run(first, code)
    other, _ = run(second, code)
    one, other = one.split(), other.split()
    assert (one[:2], other[:2]) == (["True", "torch.float64"], ["False", "torch.float32"])
    assert one[2] != other[2] and one[3] != other[3], (
        "random and numpy draw differently in each kernel, as in fresh processes"
    )
    assert one[4] != other[4]


def test_an_interrupt_reaches_the_kernel(kernels):
    manager, client = kernels()
    message_id = client.execute("import time; time.sleep(60)")
    started = client.get_iopub_msg(timeout=TIMEOUT)
    while not (started["msg_type"] == "execute_input" and started["parent_header"].get("msg_id") == message_id):
        started = client.get_iopub_msg(timeout=TIMEOUT)  # an interrupt sent before the cell runs would hit the next one
    time.sleep(1)
    manager.interrupt_kernel()
    reply = client.get_shell_msg(timeout=TIMEOUT)
    assert reply["parent_header"]["msg_id"] == message_id
    assert reply["content"]["status"] == "error" and reply["content"]["ename"] == "KeyboardInterrupt"
    assert run(client, "1 + 1")[0] == "2", "the kernel survives its interrupt"


def gone(pid: int, seconds: float = 10) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.05)
    return False


def test_a_shutdown_ends_kernel_and_launcher_and_a_killed_launcher_takes_its_kernel_with_it(kernels):
    manager, client = kernels()
    kernel = int(run(client, PROBE)[0].rsplit(" ", 1)[1])
    manager.shutdown_kernel(now=False)
    assert not manager.is_alive() and gone(kernel)

    manager, client = kernels()
    kernel = int(run(client, PROBE)[0].rsplit(" ", 1)[1])
    os.kill(manager.provisioner.process.pid, signal.SIGKILL)  # the launcher: the server must end its kernel
    assert gone(kernel)


@pytest.mark.parametrize(
    "environment",
    [{warm_kernel.FRESH_VARIABLE: "1"}, {"OMP_NUM_THREADS": "2"}],
    ids=["asked-for", "torch-with-threads-is-not-safe-to-fork"],
)
def test_a_kernel_starts_fresh_when_asked_or_when_forking_is_not_safe(kernels, environment):
    _, client = kernels(**environment)
    printed, reply = run(client, PROBE)
    assert reply["status"] == "ok"
    assert printed.startswith("[]"), "nothing imported beforehand: a fresh interpreter"
