"""Start Jupyter kernels that have torch already imported, for the test run's notebooks.

Every notebook under nbval gets a kernel of its own, and each fresh kernel spends about 3 s of CPU
before its first cell does anything: starting IPython, importing torch, and (in most
lessons, on the first optimizer or torch.func call) torch's compiler stack, which torch imports
lazily. On the two cores the tests share, that start-up was more than half of the notebooks' run.
Here one long-lived process (the *warm server*) imports those modules once and forks a kernel for
each request; a fork takes milliseconds. The notebooks still run top to bottom in a process of
their own, in their own folder, with the tester's environment, and their outputs are compared with
the outputs the build stored from fresh kernels; only modules sit in memory already (no name in the
notebook's namespace, nothing torch computed).

    python tools/warm_kernel.py -f CONNECTION_FILE    (a kernel spec's argv; see conftest.py)

The launcher (this script run as a kernel) asks the server for a kernel, hands it its own standard
streams, forwards every signal the kernel manager sends (interrupt, terminate) to it, and exits
with the kernel's exit status, so that to the kernel manager it *is* the kernel. If the launcher is
killed, the server kills its kernel. The server starts on the first request, serves every process
of the same environment (both test workers), and exits when it has had no kernel for IDLE_SECONDS.

Only where it is safe: on Linux (fork, /proc) and when the server is a single thread after its
imports (torch with several OpenMP threads is not safe to fork). Anywhere else, or when
AUTOGRAD_LESSONS_FRESH_KERNELS is set, or if the server cannot start, the launcher becomes an
ordinary kernel (``python -m ipykernel_launcher``) in place.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import importlib.util
import json
import os
import selectors
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import time
from pathlib import Path

FRESH_VARIABLE = "AUTOGRAD_LESSONS_FRESH_KERNELS"  # set (to anything): every kernel starts fresh
# What the server imports before it forks: the kernel's own machinery, then what every lesson's
# first cells import and what torch imports lazily on the first optimizer step or torch.func call
# (about 1 s of CPU of its own). Not the lessons' package (it may change between two test runs
# while a server lives), nor matplotlib (it reads its backend from the environment when imported,
# and the kernel sets that variable only when it starts), nor ipywidgets (it looks for a running
# kernel when imported).
WARM_MODULES = ("ipykernel.kernelapp", "ipykernel.ipkernel", "torch", "torch._dynamo")
IDLE_SECONDS = 20  # the server exits after this long without a kernel or a request
START_SECONDS = 60  # how long a launcher waits for a server it started (the imports take ~3 s alone)
POLL_SECONDS = 0.5  # the server's loop wakes at least this often to reap kernels that exited
# Variables that differ from one kernel to the next of the same test run: passed on to the kernel,
# but not part of which server serves it.
PER_KERNEL_PREFIXES = ("JPY_", "PYTEST_")
HEADER = struct.Struct("!I")  # every message: its length, then JSON
SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT, signal.SIGUSR1, signal.SIGUSR2)


# --- messages ----------------------------------------------------------------------------------


def send(connection: socket.socket, message: dict, fds: list[int] | None = None) -> None:
    data = json.dumps(message).encode()
    payload = HEADER.pack(len(data)) + data
    if fds:
        socket.send_fds(connection, [payload], fds)
    else:
        connection.sendall(payload)


def receive(connection: socket.socket, with_fds: int = 0) -> tuple[dict | None, list[int]]:
    """One message, and the descriptors sent with it; (None, []) when the other side has gone."""
    fds: list[int] = []
    if with_fds:
        data, fds, _, _ = socket.recv_fds(connection, HEADER.size, with_fds)
    else:
        data = connection.recv(HEADER.size)
    while data and len(data) < HEADER.size:
        more = connection.recv(HEADER.size - len(data))
        if not more:
            return None, fds
        data += more
    if not data:
        return None, fds
    (length,) = HEADER.unpack(data)
    body = b""
    while len(body) < length:
        more = connection.recv(length - len(body))
        if not more:
            return None, fds
        body += more
    return json.loads(body), fds


# --- where the server listens --------------------------------------------------------------------


def server_key(environment: dict[str, str]) -> str:
    """Kernels share a server when everything their imports could depend on is the same: the
    interpreter, its installed packages, this script, and the environment."""
    digest = hashlib.sha256(sys.executable.encode())
    digest.update(Path(__file__).read_bytes())
    for path in sys.path:
        if path and os.path.isdir(path):
            digest.update(f"{path}:{os.stat(path).st_mtime_ns}".encode())
    for name, value in sorted(environment.items()):
        if not name.startswith(PER_KERNEL_PREFIXES):
            digest.update(f"{name}={value}\0".encode())
    return digest.hexdigest()[:16]


def server_folder() -> Path:
    folder = Path(tempfile.gettempdir()) / f"autograd-lessons-kernels-{os.getuid()}"
    folder.mkdir(mode=0o700, exist_ok=True)
    return folder


def connect(path: Path) -> socket.socket | None:
    client = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        client.connect(str(path))
    except OSError:
        client.close()
        return None
    return client


def connect_or_start(key: str) -> socket.socket | None:
    """A connection to the server for `key`, starting it if none runs (one starter at a time)."""
    folder = server_folder()
    path = folder / f"{key}.sock"
    client = connect(path)
    if client:
        return client
    with open(folder / f"{key}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        client = connect(path)
        if client:
            return client
        path.unlink(missing_ok=True)
        subprocess.Popen(
            [sys.executable, __file__, "--serve", str(path)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
            cwd=folder,
        )
        deadline = time.monotonic() + START_SECONDS
        while time.monotonic() < deadline:
            client = connect(path)
            if client:
                return client
            time.sleep(0.05)
    return None


# --- the launcher: what the kernel manager starts -----------------------------------------------


def fresh_kernel(arguments: list[str]) -> None:
    """Become an ordinary kernel, as the kernel spec would have started it."""
    os.execv(sys.executable, [sys.executable, "-m", "ipykernel_launcher", *arguments])


def launch(arguments: list[str]) -> None:
    if os.environ.get(FRESH_VARIABLE) or not sys.platform.startswith("linux"):
        fresh_kernel(arguments)
    try:
        server = connect_or_start(server_key(dict(os.environ)))
        if server is None:
            fresh_kernel(arguments)
        request = {"argv": arguments, "cwd": os.getcwd(), "environment": dict(os.environ)}
        send(server, request, fds=[0, 1, 2])
        reply, _ = receive(server)
    except OSError:
        reply = None
    if not reply or "pid" not in reply:
        fresh_kernel(arguments)  # the server is not safe to fork from, or has gone
    kernel = reply["pid"]

    def forward(signum, _frame):
        with contextlib.suppress(ProcessLookupError):
            os.kill(kernel, signum)

    for signum in SIGNALS:
        signal.signal(signum, forward)
    while True:
        try:
            message, _ = receive(server)
        except InterruptedError:
            continue
        if message is None:  # the server has gone: so has the kernel
            os._exit(1)
        os._exit(message["exit"])


# --- the server -----------------------------------------------------------------------------------


def single_threaded() -> bool:
    return len(os.listdir("/proc/self/task")) == 1


def exit_status(status: int) -> int:
    if os.WIFSIGNALED(status):
        return 128 + os.WTERMSIG(status)
    return os.WEXITSTATUS(status)


def become_kernel(request: dict, fds: list[int], script_folder: str) -> None:
    """In the forked child: take the launcher's streams, folder, environment and arguments, then run
    the kernel as ``python -m ipykernel_launcher`` would."""
    try:
        for target, fd in zip((0, 1, 2), fds, strict=True):
            os.dup2(fd, target)
            os.close(fd)
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["environment"])
        for signum in SIGNALS:
            signal.signal(signum, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        sys.path[:] = [path for path in sys.path if path != script_folder]
        sys.argv = [importlib.util.find_spec("ipykernel_launcher").origin, *request["argv"]]
        if "numpy.random" in sys.modules:
            sys.modules["numpy.random"].seed()  # as a fresh process would (random reseeds itself)
        from ipykernel import kernelapp

        kernelapp.launch_new_instance()
        status = 0
    except SystemExit as stop:
        status = stop.code if isinstance(stop.code, int) else 1
    except BaseException:
        status = 1
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(status)


def serve(path: Path) -> None:
    script_folder = str(Path(__file__).resolve().parent)
    for name in WARM_MODULES:
        with contextlib.suppress(Exception):  # a module that fails to import is imported by the kernel, or not
            __import__(name)
    safe = single_threaded()
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(str(path))
    listener.listen(16)
    selector = selectors.DefaultSelector()
    selector.register(listener, selectors.EVENT_READ)
    # A kernel's exit wakes the loop at once (SIGCHLD written to a pipe it watches).
    wake_read, wake_write = os.pipe()
    os.set_blocking(wake_write, False)
    signal.set_wakeup_fd(wake_write)
    signal.signal(signal.SIGCHLD, lambda _signum, _frame: None)
    selector.register(wake_read, selectors.EVENT_READ, "wake")
    kernels: dict[int, socket.socket] = {}  # pid -> its launcher's connection
    last_busy = time.monotonic()
    while kernels or time.monotonic() - last_busy < IDLE_SECONDS:
        for key, _ in selector.select(timeout=POLL_SECONDS):
            if key.data == "wake":
                os.read(wake_read, 512)
            elif key.fileobj is listener:
                connection, _ = listener.accept()
                try:
                    request, fds = receive(connection, with_fds=3)
                except OSError:
                    request, fds = None, []
                if not request or len(fds) != 3 or not safe:
                    for fd in fds:
                        os.close(fd)
                    with contextlib.suppress(OSError):
                        send(connection, {"fresh": True})
                    connection.close()
                    continue
                pid = os.fork()
                if pid == 0:
                    signal.set_wakeup_fd(-1)
                    selector.close()
                    os.close(wake_read)
                    os.close(wake_write)
                    listener.close()
                    for other in kernels.values():
                        other.close()
                    connection.close()
                    become_kernel(request, fds, script_folder)
                for fd in fds:
                    os.close(fd)
                kernels[pid] = connection
                selector.register(connection, selectors.EVENT_READ, pid)
                send(connection, {"pid": pid})
            else:  # a launcher spoke or went away: its kernel goes with it
                pid = key.data
                selector.unregister(key.fileobj)
                key.fileobj.close()
                kernels.pop(pid, None)
                try:
                    os.kill(pid, signal.SIGKILL)
                    os.waitpid(pid, 0)
                except ChildProcessError:
                    pass
                except ProcessLookupError:
                    pass
        while kernels:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                break
            if pid == 0:
                break
            connection = kernels.pop(pid, None)
            if connection is not None:
                selector.unregister(connection)
                with contextlib.suppress(OSError):
                    send(connection, {"exit": exit_status(status)})
                connection.close()
        if kernels:
            last_busy = time.monotonic()
    path.unlink(missing_ok=True)  # first, so that a launcher now starts a new server
    listener.close()


def main(arguments: list[str]) -> None:
    if arguments[:1] == ["--serve"]:
        serve(Path(arguments[1]))
    else:
        launch(arguments)


if __name__ == "__main__":
    main(sys.argv[1:])
