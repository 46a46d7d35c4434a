"""Run a learner's code with a time limit and a memory headroom, and say what happened.

    outcome = guard.run(function, *args)          # never raises what `function` raises
    outcome.ok, outcome.value, outcome.seconds
    outcome.failure.kind                          # "timeout", "memory" or "raised"

`check()` calls every piece of learner code through `run`, so an endless loop, a list that
grows forever or a `raise SystemExit` becomes feedback instead of a hung or dead kernel.

Time limit (any OS running CPython). A watchdog thread waits `time_limit` seconds; if the
call is still running it raises a private BaseException subclass in the calling thread with
`PyThreadState_SetAsyncExc`, and raises it again every REFIRE_SECONDS until the call ends. A
bare `except:` in the learner's loop can catch one such exception but not stop the next ones;
besides, the first time the exception is caught, a C-level trace function is installed in
that thread (only if no debugger or coverage tool traces it already) that raises the
exception again at every line of learner code, so handlers that catch it re-raise it at their
first line. Library code (the standard library, site-packages, torch, this package) is never
interrupted by the trace function, so their `finally` blocks run. When the call ends, the
watchdog is stopped and joined, the trace function removed and any exception still pending
for the thread flushed (replaced by a harmless one that is taken at once: clearing it with a
NULL exception would leave CPython's pending-exception signal set, and the next call under a
debugger would spin); a stop that arrives during that wind-down is caught there (at most two
can, which is why the wind-down is attempted three times), so none ever fires later in the
learner's session.

What cannot be stopped: code that never returns to the Python interpreter (one C call such as
`time.sleep(1e6)` or a huge matrix product): the stop is raised when that call returns.

Memory headroom (Linux only). The process's address-space limit (RLIMIT_AS) is lowered to what
it maps now plus `memory_headroom` for the duration of the call and raised back afterwards, so
a runaway allocation fails with MemoryError (or torch's "can't allocate memory" RuntimeError)
instead of waking the kernel's OOM killer. The limit is per process: other threads of the
kernel allocate under it too while the call runs, which is why the headroom is generous. On
macOS and Windows the limit is not enforced reliably, so it is skipped quietly
(`MEMORY_LIMIT_SUPPORTED` is False there) and only the time limit applies.

A real Ctrl-C (the notebook's Stop button) still interrupts: the call is stopped like a timeout
and KeyboardInterrupt is raised again once everything is cleaned up. A KeyboardInterrupt that the
learner's code raises by itself is reported like any other exception.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
import sysconfig
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

try:
    import resource
except ImportError:  # Windows
    resource = None

# Every right answer of the lessons runs in well under a second (the slowest check, exercise
# 4, differentiates sin under torch.func twice in about 0.1 s). Ten seconds leave room for a
# slow shared machine and for torch's first-call warm-up, and are short enough that a learner
# whose loop never ends is told so before reaching for the kernel's Stop button.
TIME_LIMIT_SECONDS = 10.0
# How often the stop is raised again while the call keeps running: often enough that a loop
# that swallows it is stopped within a tenth of a second, rarely enough to cost nothing.
REFIRE_SECONDS = 0.05
# Right answers allocate kilobytes (X1 is 4 kB). One GiB of address space on top of what the
# kernel already maps is 10⁵ times that, leaves room for torch to start its thread pool, and
# stops a runaway list or tensor well before it takes a 2 GB Binder machine's memory.
MEMORY_HEADROOM_BYTES = 1 << 30
MEMORY_LIMIT_SUPPORTED = sys.platform.startswith("linux") and resource is not None
# Part of torch's error text when its CPU allocator fails.
_ALLOCATION_FAILURES = ("can't allocate memory", "not enough memory", "out of memory", "bad_alloc")
_DETAIL_CHARACTERS = 300  # an exception's message is shortened to this in a Failure

_set_async_exc = ctypes.pythonapi.PyThreadState_SetAsyncExc
_set_async_exc.restype = ctypes.c_int
# The escalation trace function (see the module docstring) is PyObject_IsTrue on an object whose
# __bool__ raises: C-level, so the interpreter keeps it installed after it raises (a Python-level
# trace function would be removed). Only on CPython builds where calling a C function with extra
# arguments is harmless (not WebAssembly).
_ESCALATION_SUPPORTED = sys.implementation.name == "cpython" and sys.platform not in ("emscripten", "wasi")
if _ESCALATION_SUPPORTED:
    _set_trace = ctypes.pythonapi.PyEval_SetTrace
    _set_trace.argtypes = [ctypes.c_void_p, ctypes.py_object]
    _set_trace.restype = None
    _IS_TRUE = ctypes.cast(ctypes.pythonapi.PyObject_IsTrue, ctypes.c_void_p).value


def _library_prefixes() -> tuple[str, ...]:
    paths = sysconfig.get_paths()
    found = {paths.get(name) for name in ("stdlib", "platstdlib", "purelib", "platlib")}
    found.add(str(Path(__file__).resolve().parent))
    found.add(str(Path(threading.__file__).resolve().parent))
    torch = sys.modules.get("torch")
    if torch is not None and getattr(torch, "__file__", None):
        found.add(str(Path(torch.__file__).resolve().parent))
    return tuple(sorted(str(Path(p).resolve()) + os.sep for p in found if p))


_LIBRARY = _library_prefixes()
_is_library_cache: dict[str, bool] = {}


def _is_library(filename: str) -> bool:
    """Whether code from `filename` belongs to Python, an installed package or this package."""
    known = _is_library_cache.get(filename)
    if known is None:
        known = filename.startswith(("<frozen", *_LIBRARY))
        if not known and not filename.startswith("<"):
            try:
                known = str(Path(filename).resolve()).startswith(_LIBRARY)
            except (OSError, ValueError):
                known = False
        _is_library_cache[filename] = known
    return known


class _Stop(BaseException):
    """Raised in the guarded thread when its time is up; run() catches it, nothing else should.

    Each call of run() uses its own subclass, which knows the call's state. Creating an instance
    happens in the guarded thread (when the exception is raised or caught), which is where the
    escalation trace function has to be installed.
    """

    _state: _State | None = None

    def __init__(self, *args: object) -> None:
        super().__init__(*args)
        state = type(self)._state
        if state is not None:
            state.escalate()


@dataclass(frozen=True)
class Failure:
    """Why a guarded call did not return a value.

    kind: "timeout" (stopped after `limit` seconds), "memory" (an allocation failed; `limit` is
    the headroom in bytes, or None where no limit was set) or "raised" (the call raised
    `exception_type`, with its message in `detail`).
    """

    kind: str
    exception_type: str = ""
    detail: str = ""
    limit: float | None = None

    def __str__(self) -> str:
        if self.kind == "raised":
            return f"{self.exception_type}: {self.detail}" if self.detail else self.exception_type
        return f"{self.kind} ({self.limit})" if self.limit is not None else self.kind


@dataclass(frozen=True)
class Outcome:
    """What a guarded call gave: its value, or a Failure; and how long it ran, in seconds."""

    value: object = None
    failure: Failure | None = None
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.failure is None


# The mutation benchmark (benchmarks/mutation.py) calls every method through a wrapper of its own,
# so sys._getframe(1) would see the wrapper, never the traced frame, and no loop would ever stop:
# this class is left unmutated.
class _Escalator:  # pragma: no mutate block
    """The object PyObject_IsTrue is called on at every traced event: raises in learner code."""

    def __init__(self, state: _State) -> None:
        self.state = state

    def __bool__(self) -> bool:
        state = self.state
        if state.stopping or not state.expired:
            return False
        if _is_library(sys._getframe(1).f_code.co_filename):
            return False
        raise state.stop_class


class _State:
    """One guarded call: its thread, watchdog, limits and how it ended."""

    def __init__(self, time_limit: float, memory_headroom: int | None) -> None:
        self.thread_id = threading.get_ident()
        self.time_limit = time_limit
        self.memory_headroom = memory_headroom
        self.stop_class = type("TimeLimitReached", (_Stop,), {"_state": self})
        self.lock = threading.Lock()
        self.wake = threading.Event()  # set when the call ends or a real Ctrl-C arrives
        self.stopping = False  # the call has ended: fire nothing more
        self.expired = False  # the stop has been raised at least once
        self.interrupted = False  # a real Ctrl-C arrived during the call
        self.escalated = False
        self.escalator = _Escalator(self)
        self.saved_limit: tuple[int, int] | None = None
        self.saved_handler: object = None
        self.watchdog = threading.Thread(target=self.watch, name="autograd-lessons-guard", daemon=True)

    # -- in the watchdog thread
    def watch(self) -> None:
        if self.wake.wait(self.time_limit) and self.stopping:
            return
        while True:
            with self.lock:
                if self.stopping:
                    return
                self.expired = True
                _set_async_exc(ctypes.c_ulong(self.thread_id), ctypes.py_object(self.stop_class))
            self.wake.clear()
            if self.stopping or (self.wake.wait(REFIRE_SECONDS) and self.stopping):
                return

    # -- in the guarded thread
    def escalate(self) -> None:
        if (
            _ESCALATION_SUPPORTED
            and self.expired
            and not self.stopping
            and not self.escalated
            and threading.get_ident() == self.thread_id
            and sys.gettrace() is None
        ):
            self.escalated = True
            _set_trace(_IS_TRUE, self.escalator)

    def on_interrupt(self, signum: int, frame: object) -> None:
        self.interrupted = True
        self.wake.set()
        handler = self.saved_handler
        if callable(handler):
            handler(signum, frame)
        else:
            raise KeyboardInterrupt

    def start(self) -> None:
        # Each old value is saved before it is changed, so that wind_down restores it whatever
        # happens in between; the watchdog starts first (a thread's stack is address space too).
        self.watchdog.start()
        if threading.current_thread() is threading.main_thread():
            handler = signal.getsignal(signal.SIGINT)
            if callable(handler):
                self.saved_handler = handler
                signal.signal(signal.SIGINT, self.on_interrupt)
        if self.memory_headroom is not None and MEMORY_LIMIT_SUPPORTED:
            target = _memory_target(self.memory_headroom)
            if target is not None:
                self.saved_limit = resource.getrlimit(resource.RLIMIT_AS)
                try:
                    resource.setrlimit(resource.RLIMIT_AS, (target, self.saved_limit[1]))
                except (ValueError, OSError):
                    self.saved_limit = None

    def wind_down(self) -> None:
        """Idempotent: stop the watchdog, restore every limit and hook, clear a pending stop."""
        self.stopping = True
        self.wake.set()
        if self.saved_limit is not None:
            resource.setrlimit(resource.RLIMIT_AS, self.saved_limit)
            self.saved_limit = None
        if self.escalated and sys.gettrace() is self.escalator:
            sys.settrace(None)
        if self.saved_handler is not None:
            signal.signal(signal.SIGINT, self.saved_handler)
            self.saved_handler = None
        if self.watchdog.is_alive():
            self.watchdog.join()
        with self.lock:  # the watchdog has left its last critical section
            pass
        _flush_pending()


class _Flush(BaseException):
    """Sent by a thread to itself to replace a pending stop, and taken at once (see _flush_pending)."""


def _flush_pending() -> None:
    """Drop any asynchronous exception still pending for this thread.

    Not by PyThreadState_SetAsyncExc(id, NULL): in CPython 3.11 that leaves the interpreter's
    "asynchronous exception pending" signal set, and the next function call made under any trace
    function (a debugger, coverage, this module's escalation) then spins forever. Instead a
    harmless _Flush replaces whatever is pending and is delivered right here, which resets it.
    """
    try:
        _set_async_exc(ctypes.c_ulong(threading.get_ident()), ctypes.py_object(_Flush))
        for _ in range(1_000_000):  # delivered at the first check, in practice right after the call
            pass
    except _Flush:
        return


def _address_space_bytes() -> int | None:
    """The process's mapped address space (what RLIMIT_AS counts), or None if unknown."""
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            pages = int(statm.read().split()[0])
    except (OSError, ValueError, IndexError):
        return None
    return pages * os.sysconf("SC_PAGE_SIZE")


def _memory_target(headroom: int) -> int | None:
    """The address-space limit that leaves `headroom` bytes, or None if the current one is tighter."""
    used = _address_space_bytes()
    if used is None:
        return None
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    target = used + max(0, int(headroom))
    if hard != resource.RLIM_INFINITY:
        target = min(target, hard)
    if soft != resource.RLIM_INFINITY and soft <= target:
        return None
    return target


def is_memory_error(error: BaseException) -> bool:
    """Whether `error` says an allocation failed (MemoryError, or torch's allocator RuntimeError)."""
    if isinstance(error, MemoryError):
        return True
    if isinstance(error, RuntimeError):
        text = error.args[0] if error.args and isinstance(error.args[0], str) else ""
        return any(part in text.lower() for part in _ALLOCATION_FAILURES)
    return False


def _current_states() -> list[_State]:
    return [state for state in _ACTIVE if state.thread_id == threading.get_ident()]


_ACTIVE: list[_State] = []


def should_propagate(error: BaseException) -> bool:
    """Whether code that catches everything inside a guarded call must re-raise `error`.

    True for the guard's own stop, a real Ctrl-C and a failed allocation, which `run` reports
    itself; False for everything the learner's code raises on its own.
    """
    if isinstance(error, _Stop) or is_memory_error(error):
        return True
    return isinstance(error, KeyboardInterrupt) and any(s.interrupted for s in _current_states())


def describe(error: BaseException) -> tuple[str, str]:
    """(type name, message) of an exception, safely: a learner's __str__ may fail or be huge."""
    try:
        name = type(error).__name__
    except Exception:
        name = "Exception"
    try:
        detail = str(error)
    except Exception:
        detail = ""
    if not isinstance(detail, str):
        detail = ""
    detail = " ".join(detail.split())
    if len(detail) > _DETAIL_CHARACTERS:
        detail = detail[: _DETAIL_CHARACTERS - 1] + "…"
    return name, detail


def _invoke(function: Callable, args: tuple, kwargs: dict) -> tuple:
    """Call `function`; describe what it raised while still under the limits (its __str__ may loop)."""
    try:
        return ("value", function(*args, **kwargs))
    except _Stop:
        raise
    except BaseException as error:
        if isinstance(error, KeyboardInterrupt) and any(s.interrupted for s in _current_states()):
            raise
        return ("memory" if is_memory_error(error) else "raised", *describe(error))


def run(
    function: Callable,
    /,
    *args: object,
    time_limit: float | None = None,
    memory_headroom: int | None = None,
    **kwargs: object,
) -> Outcome:
    """Call `function(*args, **kwargs)` under a time limit and a memory headroom.

    `time_limit` (seconds) defaults to TIME_LIMIT_SECONDS and `memory_headroom` (bytes) to
    MEMORY_HEADROOM_BYTES, both read when `run` is called; pass memory_headroom=0 for none.
    Returns an Outcome: the value, or a Failure ("timeout", "memory" or "raised"). Never raises
    what the call raises; a real Ctrl-C is raised again after the clean-up.
    """
    limit = TIME_LIMIT_SECONDS if time_limit is None else float(time_limit)
    headroom = MEMORY_HEADROOM_BYTES if memory_headroom is None else int(memory_headroom)
    state = _State(limit, headroom if headroom > 0 else None)
    start = time.perf_counter()
    result: tuple = ("timeout",)
    _ACTIVE.append(state)
    try:
        try:
            state.start()
            result = _invoke(function, args, kwargs)
        finally:
            state.stopping = True  # a plain store: no stop can be delivered before it
            try:
                state.wind_down()
            except _Stop:  # delivered during the wind-down instead of being cleared
                try:
                    state.wind_down()
                except _Stop:
                    state.wind_down()
            _ACTIVE.remove(state)
    except _Stop as stop:
        if not isinstance(stop, state.stop_class):  # an enclosing guard's stop: not ours
            raise
    except KeyboardInterrupt:
        if not state.interrupted:
            raise
    seconds = time.perf_counter() - start
    if state.interrupted:
        raise KeyboardInterrupt
    if state.expired:
        return Outcome(failure=Failure("timeout", limit=limit), seconds=seconds)
    if result[0] == "value":
        return Outcome(value=result[1], seconds=seconds)
    if result[0] == "memory":
        limit_bytes = float(headroom) if MEMORY_LIMIT_SUPPORTED and headroom > 0 else None
        return Outcome(failure=Failure("memory", result[1], result[2], limit_bytes), seconds=seconds)
    return Outcome(failure=Failure("raised", result[1], result[2]), seconds=seconds)


__all__ = [
    "MEMORY_HEADROOM_BYTES",
    "MEMORY_LIMIT_SUPPORTED",
    "REFIRE_SECONDS",
    "TIME_LIMIT_SECONDS",
    "Failure",
    "Outcome",
    "describe",
    "is_memory_error",
    "run",
    "should_propagate",
]
