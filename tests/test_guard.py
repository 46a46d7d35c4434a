"""guard.run: learner code that loops, eats memory or raises anything is stopped and reported,
within its budget, and leaves the interpreter exactly as it found it."""

from __future__ import annotations

import itertools
import os
import signal
import sys
import threading
import time

import pytest
import torch

from autograd_lessons import guard

LIMIT = 0.3  # seconds: a small budget, so that the runaway cases stay quick
MARGIN = 1.5  # seconds allowed on top of the budget for the stop to land on a slow machine
HEADROOM = 256 << 20  # bytes: small enough that the runaway allocations fail fast

needs_memory_limit = pytest.mark.skipif(not guard.MEMORY_LIMIT_SUPPORTED, reason="RLIMIT_AS is Linux only")
# Stopping a loop whose bare except swallows every stop needs the guard's trace function, which it
# does not install over another one (a coverage tool or a debugger running the tests).
ESCALATES = sys.gettrace() is None


def snapshot() -> dict:
    import resource

    return {
        "trace": sys.gettrace(),
        "sigint": signal.getsignal(signal.SIGINT),
        "limit": resource.getrlimit(resource.RLIMIT_AS) if guard.MEMORY_LIMIT_SUPPORTED else None,
        "guards": [t for t in threading.enumerate() if t.name == "autograd-lessons-guard"],
    }


def still_works() -> None:
    """No stray stop fires later: run Python for a while, sleep, allocate, and compute."""
    total = 0
    deadline = time.perf_counter() + 0.2
    while time.perf_counter() < deadline:
        total += 1
    time.sleep(0.2)
    assert sum(range(10_000)) == 49_995_000 and total > 0
    assert float(torch.ones(1000).sum()) == 1000.0
    data = bytearray(64 << 20)  # 64 MiB: the memory limit is gone
    assert len(data) == 64 << 20


@pytest.fixture
def untouched():
    before = snapshot()
    yield
    after = snapshot()
    assert after["trace"] is before["trace"]
    assert after["sigint"] == before["sigint"]
    assert after["limit"] == before["limit"]
    assert not after["guards"], "the watchdog thread must be joined"
    still_works()


# --- the runaways -----------------------------------------------------------------------------
def spin():
    while True:
        pass


def swallow_everything():
    while True:
        try:  # noqa: SIM105 - a learner's loop that swallows everything is the point of the test
            time.sleep(0.01)
        except:  # noqa: E722 - the point of the test
            pass


def swallow_at_every_level():
    while True:
        try:
            try:
                time.sleep(0.01)
            except:  # noqa: E722
                while True:
                    try:  # noqa: SIM105 - the point of the test
                        pass
                    except:  # noqa: E722
                        pass
        except:  # noqa: E722
            continue


def swallow_and_return():
    try:
        spin()
    except BaseException:
        return "I survived"


def grow_a_list():
    data = []
    while True:
        data.append([0] * 1000)


def huge_tensor():
    return torch.empty(10**13)


def doubling_cat():
    t = torch.ones(1000)
    while True:
        t = torch.cat([t, t])


def recurse():
    return recurse()


class Loud(Exception):
    def __str__(self):
        raise ValueError("no text for you")


class Endless(Exception):
    def __str__(self):
        while True:
            pass


@pytest.mark.parametrize(
    "function",
    [
        spin,
        pytest.param(swallow_everything, marks=pytest.mark.skipif(not ESCALATES, reason="traced")),
        pytest.param(swallow_at_every_level, marks=pytest.mark.skipif(not ESCALATES, reason="traced")),
        swallow_and_return,
    ],
)
def test_endless_loops_are_stopped_within_the_budget(function, untouched):
    start = time.perf_counter()
    outcome = guard.run(function, time_limit=LIMIT)
    elapsed = time.perf_counter() - start
    assert not outcome.ok and outcome.failure.kind == "timeout" and outcome.failure.limit == LIMIT
    assert LIMIT <= elapsed < LIMIT + MARGIN, elapsed


@needs_memory_limit
@pytest.mark.parametrize("function", [grow_a_list, huge_tensor, doubling_cat])
def test_runaway_memory_is_stopped(function, untouched):
    start = time.perf_counter()
    outcome = guard.run(function, time_limit=10, memory_headroom=HEADROOM)
    assert not outcome.ok and outcome.failure.kind == "memory", outcome.failure
    assert outcome.failure.limit == HEADROOM
    assert time.perf_counter() - start < 10


def test_huge_tensor_is_a_memory_failure_even_without_a_limit(untouched):
    outcome = guard.run(huge_tensor, memory_headroom=0)
    assert outcome.failure.kind == "memory" and outcome.failure.limit is None


def test_recursion_without_end_is_reported(untouched):
    outcome = guard.run(recurse, time_limit=5)
    assert outcome.failure.kind == "raised" and outcome.failure.exception_type == "RecursionError"


@pytest.mark.parametrize(
    "error, kind",
    [
        (SystemExit(3), "SystemExit"),
        (BaseException("base"), "BaseException"),
        (KeyboardInterrupt(), "KeyboardInterrupt"),
        (GeneratorExit(), "GeneratorExit"),
        (ValueError("bad"), "ValueError"),
        (Loud(), "Loud"),
    ],
)
def test_anything_raised_is_reported_not_raised(error, kind, untouched):
    def raising():
        raise error

    outcome = guard.run(raising)
    assert outcome.failure.kind == "raised" and outcome.failure.exception_type == kind
    if kind == "Loud":
        assert outcome.failure.detail == ""


def test_an_exception_whose_text_never_ends_is_stopped(untouched):
    def raising():
        raise Endless

    assert guard.run(raising, time_limit=LIMIT).failure.kind == "timeout"


def test_values_and_arguments_pass_through(untouched):
    outcome = guard.run(lambda a, b=0: a + b, 2, b=3)
    assert outcome.ok and outcome.value == 5 and outcome.failure is None and outcome.seconds >= 0


def test_defaults_are_read_at_call_time(monkeypatch, untouched):
    monkeypatch.setattr(guard, "TIME_LIMIT_SECONDS", 0.2)
    start = time.perf_counter()
    assert guard.run(spin).failure.limit == 0.2
    assert time.perf_counter() - start < 0.2 + MARGIN


def test_calls_that_end_at_the_deadline_leave_no_stray_stop(untouched):
    """The race: many calls ending right when the watchdog fires; none may fire later."""

    def busy(seconds):
        end = time.perf_counter() + seconds
        while time.perf_counter() < end:
            pass
        return "done"

    kinds = set()
    for i in range(120):
        outcome = guard.run(busy, 0.0005 * i, time_limit=0.02)
        kinds.add("value" if outcome.ok else outcome.failure.kind)
        total = sum(range(2000))  # Python code right after: a stray stop would land here
        assert total == 1_999_000
    assert kinds == {"value", "timeout"}, "the durations must straddle the deadline"


@pytest.mark.skipif(threading.current_thread() is not threading.main_thread(), reason="signals need the main thread")
@pytest.mark.skipif(not ESCALATES, reason="the stubborn loop needs the guard's trace function")
def test_ctrl_c_in_a_loop_that_swallows_it_still_interrupts_at_once(untouched):
    """Ctrl-C pressed while the learner's loop swallows every exception, the KeyboardInterrupt
    included: the guard stops the loop at once (not after its time limit) and raises it."""
    # Python's own handler, as in a kernel, whatever handler the process running the tests set
    # (a runner that ignores SIGINT in its workers would otherwise make this test wait 30 s and fail)
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    press = threading.Timer(0.1, os.kill, (os.getpid(), signal.SIGINT))  # inside the loop, not before it
    try:
        start = time.perf_counter()
        press.start()
        with pytest.raises(KeyboardInterrupt):
            guard.run(swallow_everything, time_limit=30)
        assert time.perf_counter() - start < MARGIN
    finally:
        press.join()
        signal.signal(signal.SIGINT, previous)


def test_every_outcome_says_how_long_the_call_ran(untouched):
    def nap_then(what):
        time.sleep(0.05)
        if what == "raise":
            raise ValueError("bad shape")
        if what == "memory":
            raise MemoryError("no room")
        return what

    for what, kind in (("value", None), ("raise", "raised"), ("memory", "memory")):
        outcome = guard.run(nap_then, what, time_limit=5)
        assert 0.05 <= outcome.seconds < 0.05 + MARGIN, (what, outcome.seconds)
        assert (outcome.failure.kind if outcome.failure else None) == kind
    stopped = guard.run(spin, time_limit=LIMIT)
    assert LIMIT <= stopped.seconds < LIMIT + MARGIN


def test_a_failure_names_the_exception_and_its_message(untouched):
    def raising(error):
        raise error

    raised = guard.run(raising, ValueError("bad shape")).failure
    assert (raised.kind, raised.exception_type, raised.detail, raised.limit) == (
        "raised",
        "ValueError",
        "bad shape",
        None,
    )
    memory = guard.run(raising, MemoryError("no room"), memory_headroom=HEADROOM).failure
    assert (memory.kind, memory.exception_type, memory.detail) == ("memory", "MemoryError", "no room")


@needs_memory_limit
def test_a_headroom_of_one_byte_is_a_limit_and_none_is_no_limit(untouched):
    """memory_headroom=0 sets no limit; 1 byte is a limit, right at the edge: nothing more fits."""

    def allocate():  # 256 MiB, never touched: more than any freed block the allocator keeps
        return torch.empty(1 << 26).numel()

    assert guard.run(allocate, memory_headroom=0).value == 1 << 26
    tight = guard.run(allocate, memory_headroom=1)
    assert tight.failure is not None and tight.failure.kind == "memory" and tight.failure.limit == 1.0


def test_the_watchdog_is_a_named_daemon_thread_that_ends_with_the_call(untouched):
    """A debugger's thread list shows it by name, and it never keeps Python from exiting."""

    def watchdogs():
        return [(t.name, t.daemon) for t in threading.enumerate() if t.name == "autograd-lessons-guard"]

    assert guard.run(watchdogs).value == [("autograd-lessons-guard", True)]
    assert not watchdogs()


@pytest.mark.skipif(threading.current_thread() is not threading.main_thread(), reason="signals need the main thread")
def test_the_interrupt_handler_is_taken_for_the_call_and_given_back(untouched):
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        during = guard.run(signal.getsignal, signal.SIGINT).value
        assert getattr(during, "__func__", None) is guard._State.on_interrupt, during
        assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
    finally:
        signal.signal(signal.SIGINT, previous)


@pytest.mark.skipif(threading.current_thread() is not threading.main_thread(), reason="signals need the main thread")
def test_winding_down_twice_restores_everything_once(untouched):
    """wind_down may run again when a stop lands during it: the second time changes nothing."""
    import resource

    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    limit = resource.getrlimit(resource.RLIMIT_AS) if guard.MEMORY_LIMIT_SUPPORTED else None
    try:
        state = guard._State(1.0, HEADROOM if guard.MEMORY_LIMIT_SUPPORTED else None)
        state.start()
        state.wind_down()
        state.wind_down()
        assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
        if guard.MEMORY_LIMIT_SUPPORTED:
            assert resource.getrlimit(resource.RLIMIT_AS) == limit
    finally:
        signal.signal(signal.SIGINT, previous)


def test_winding_down_keeps_a_trace_that_is_not_the_guards(untouched):
    state = guard._State(1.0, None)
    state.start()
    state.escalated = True  # the escalation ran, then a debugger took over the trace
    debugger = lambda frame, event, arg: None  # noqa: E731
    before = sys.gettrace()
    sys.settrace(debugger)
    try:
        state.wind_down()
        assert sys.gettrace() is debugger
    finally:
        sys.settrace(before)


@needs_memory_limit
def test_a_limit_that_cannot_be_set_is_not_restored_later(monkeypatch, untouched):
    import resource

    real = resource.setrlimit

    def refuse(which, limits):
        raise ValueError("not allowed here")

    monkeypatch.setattr(guard.resource, "setrlimit", refuse)
    assert guard.run(lambda: 7, memory_headroom=HEADROOM).value == 7, "the call runs without the limit"
    monkeypatch.setattr(guard.resource, "setrlimit", real)


def swallow_once_then_spin():
    try:  # noqa: SIM105 - the learner's first except swallows the stop
        spin()
    except BaseException:
        pass
    spin()


def test_under_a_debugger_the_stop_is_sent_again_until_the_call_ends(untouched):
    """With a debugger's trace installed the guard adds none of its own, so a loop that survives
    the first stop is stopped by the next one, REFIRE_SECONDS later."""
    before = sys.gettrace()
    sys.settrace(lambda frame, event, arg: None)  # a debugger that traces calls only
    try:
        start = time.perf_counter()
        outcome = guard.run(swallow_once_then_spin, time_limit=LIMIT)
        elapsed = time.perf_counter() - start
    finally:
        sys.settrace(before)
    assert outcome.failure.kind == "timeout"
    assert elapsed < LIMIT + guard.REFIRE_SECONDS + MARGIN, elapsed


def test_under_a_debugger_the_stop_is_sent_again_no_sooner_than_refire_seconds(monkeypatch, untouched):
    """The stop is sent again every REFIRE_SECONDS, not in a tight loop: while a loop swallows
    three stops, the watchdog sends at most one stop per REFIRE_SECONDS after the time limit
    (counted where it sends them, so a loaded machine's late deliveries do not matter)."""
    sent = []
    real = guard._set_async_exc

    def counting(thread_id, exception):
        if threading.current_thread().name == "autograd-lessons-guard":
            sent.append(time.perf_counter())
        return real(thread_id, exception)

    monkeypatch.setattr(guard, "_set_async_exc", counting)
    caught = []

    def swallow_three_then_spin():
        while len(caught) < 3:
            try:  # the learner's loop swallows the stop
                spin()
            except BaseException:
                caught.append(time.perf_counter())
        spin()

    before = sys.gettrace()
    sys.settrace(lambda frame, event, arg: None)  # a debugger: the guard adds no trace of its own
    try:
        outcome = guard.run(swallow_three_then_spin, time_limit=0.1)
    finally:
        sys.settrace(before)
    assert outcome.failure.kind == "timeout" and len(caught) == 3
    gaps = [later - earlier for earlier, later in itertools.pairwise(sent)]
    assert len(sent) >= 4 and min(gaps) >= 0.9 * guard.REFIRE_SECONDS, (len(sent), gaps[:5])  # 0.9: clock granularity


def test_a_ctrl_c_swallowed_under_a_debugger_does_not_stop_the_stops():
    """A real Ctrl-C wakes the watchdog but does not end the call: if the learner's loop swallows
    it (and a debugger keeps the guard from adding its trace), the watchdog goes on sending the
    stop, and the call ends with the interrupt raised. In a subprocess: signals and the main
    thread are its own, and a regression (the loop never stopped) fails instead of hanging."""
    import subprocess

    code = (
        "import os, signal, sys\n"
        "from autograd_lessons import guard\n"
        "def stubborn():\n"
        "    caught = 0\n"
        "    while caught < 2:  # the first stop, then the Ctrl-C it sends itself\n"
        "        try:\n"
        "            if caught == 1:\n"
        "                os.kill(os.getpid(), signal.SIGINT)\n"
        "            while True:\n"
        "                pass\n"
        "        except BaseException:\n"
        "            caught += 1\n"
        "    while True:\n"
        "        pass\n"
        "signal.signal(signal.SIGINT, signal.default_int_handler)  # as in a kernel, even if started ignoring it\n"
        "sys.settrace(lambda *args: None)\n"
        "try:\n"
        "    guard.run(stubborn, time_limit=0.2)\n"
        "except KeyboardInterrupt:\n"
        "    print('interrupted')\n"
    )
    try:
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=30)
    except subprocess.TimeoutExpired:
        pytest.fail("after a swallowed Ctrl-C the watchdog stopped sending the stop: the loop ran on")
    assert done.returncode == 0 and done.stdout.strip() == "interrupted", done.stderr


def test_flushing_sends_this_thread_a_flush_and_returns_even_if_it_never_lands(monkeypatch):
    sent = []

    def spy(thread_id, exception):
        sent.append((thread_id.value, exception.value))
        return real(thread_id, exception)

    real = guard._set_async_exc
    monkeypatch.setattr(guard, "_set_async_exc", spy)
    guard._flush_pending()  # the flush lands at once and is taken
    assert sent == [(threading.get_ident(), guard._Flush)]
    total = sum(range(2000))  # Python code right after: a stray exception would land here
    assert total == 1_999_000

    monkeypatch.setattr(guard, "_set_async_exc", lambda thread_id, exception: 1)
    assert guard._flush_pending() is None  # never delivered: the wait ends all the same


def test_should_propagate_only_the_guards_own_exceptions():
    assert guard.should_propagate(MemoryError())
    assert guard.should_propagate(
        RuntimeError("DefaultCPUAllocator: can't allocate memory: you tried to allocate 4 bytes")
    )
    assert not guard.should_propagate(RuntimeError("shapes do not match"))
    assert not guard.should_propagate(KeyboardInterrupt())  # no real Ctrl-C arrived
    assert not guard.should_propagate(SystemExit())


def test_only_a_real_interrupt_of_this_threads_call_propagates(monkeypatch):
    """A Ctrl-C that reached the guarded call of this thread is the learner's to see; one that
    reached a guarded call in another thread is not this thread's, and a learner's own
    KeyboardInterrupt is theirs to catch (is_memory_error: messages that are not text)."""
    monkeypatch.setattr(guard, "_ACTIVE", [])
    elsewhere: list = []
    thread = threading.Thread(target=lambda: elsewhere.append(guard._State(1.0, None)))
    thread.start()
    thread.join()
    (other,) = elsewhere
    other.interrupted = True
    guard._ACTIVE.append(other)
    assert not guard.should_propagate(KeyboardInterrupt()), "another thread's Ctrl-C"
    mine = guard._State(1.0, None)
    guard._ACTIVE.append(mine)
    assert not guard.should_propagate(KeyboardInterrupt()), "no Ctrl-C reached this thread's call"
    mine.interrupted = True
    assert guard.should_propagate(KeyboardInterrupt())
    for error in (RuntimeError(), RuntimeError(42), RuntimeError(None, "out of memory")):
        assert not guard.should_propagate(error), repr(error)


def test_an_interrupt_goes_on_to_the_handler_it_replaced(monkeypatch):
    state = guard._State(1.0, None)
    heard = []
    state.saved_handler = lambda signum, frame: heard.append((signum, frame))
    frame = sys._getframe()
    try:
        state.on_interrupt(signal.SIGINT, frame)
    except KeyboardInterrupt:  # caught here: a KeyboardInterrupt would stop the whole test run
        pytest.fail("the handler it replaced was not called")
    assert heard == [(signal.SIGINT, frame)] and state.interrupted and state.wake.is_set()
    bare = guard._State(1.0, None)  # Python's own handler was not callable (ignored, or C's default)
    with pytest.raises(KeyboardInterrupt):
        bare.on_interrupt(signal.SIGINT, frame)
    assert bare.interrupted


class Probe:
    """Stands in for the escalator: false at every event, so that an installed trace is harmless."""

    def __bool__(self) -> bool:
        return False


@pytest.mark.skipif(not guard._ESCALATION_SUPPORTED, reason="the escalation needs CPython's C trace hook")
def test_the_escalation_is_installed_only_for_an_expired_call_in_its_own_untraced_thread():
    """escalate() puts the trace that stops a loop which swallows every stop; only once the call's
    time is up, while it still runs, once, in the guarded thread, and never over a debugger's."""
    before = sys.gettrace()
    sys.settrace(None)
    try:

        def ready() -> guard._State:
            state = guard._State(1.0, None)
            state.escalator, state.expired = Probe(), True
            return state

        cases = {"not expired": {"expired": False}, "the call has ended": {"stopping": True}}
        cases["escalated already"] = {"escalated": True}
        for case, changed in cases.items():
            state = ready()
            vars(state).update(changed)
            state.escalate()
            assert sys.gettrace() is None, case
        state = ready()
        worker = threading.Thread(target=state.escalate)
        worker.start()
        worker.join()
        assert sys.gettrace() is None and not state.escalated, "from another thread"
        debugger = lambda frame, event, arg: None  # noqa: E731
        sys.settrace(debugger)
        try:
            ready().escalate()
            assert sys.gettrace() is debugger, "a debugger's trace is kept"
        finally:
            sys.settrace(None)
        state = ready()
        state.escalate()
        installed = sys.gettrace()
        sys.settrace(None)
        assert installed is state.escalator and state.escalated
    finally:
        sys.settrace(before)


def test_failures_read_as_what_happened():
    assert str(guard.Failure("raised", "ValueError", "bad shape")) == "ValueError: bad shape"
    assert str(guard.Failure("raised", "KeyError")) == "KeyError"
    assert str(guard.Failure("timeout", limit=2.0)) == "timeout (2.0)"
    assert str(guard.Failure("memory")) == "memory"


@pytest.mark.skipif(not os.path.exists("/proc/self/status"), reason="Linux reports the address space in /proc")
def test_the_address_space_is_the_mapped_size_not_the_resident_one():
    def status(field: str) -> int:
        with open("/proc/self/status", encoding="ascii") as lines:
            return next(int(line.split()[1]) << 10 for line in lines if line.startswith(field + ":"))

    mapped = guard._address_space_bytes()
    assert abs(mapped - status("VmSize")) <= 1 << 20 and mapped > status("VmRSS") + (16 << 20)


@needs_memory_limit
def test_the_memory_target_leaves_the_headroom_and_never_loosens_a_limit(monkeypatch):
    import resource

    infinite = resource.RLIM_INFINITY
    monkeypatch.setattr(guard, "_address_space_bytes", lambda: 4096)
    limits = {"now": (infinite, infinite)}
    monkeypatch.setattr(guard.resource, "getrlimit", lambda which: limits["now"])
    assert guard._memory_target(10) == 4106
    assert guard._memory_target(0) == guard._memory_target(-5) == 4096, "no headroom: what is used now"
    limits["now"] = (infinite, 5000)
    assert guard._memory_target(10_000) == 5000, "never above the hard limit"
    limits["now"] = (4100, 5000)
    assert guard._memory_target(10) is None, "a tighter limit is left as it is"
    assert guard._memory_target(4) is None, "and so is one exactly as tight"
    assert guard._memory_target(3) == 4099
    monkeypatch.setattr(guard, "_address_space_bytes", lambda: None)
    assert guard._memory_target(10) is None


class Nameless(type):
    """A learner's metaclass whose classes fail to say their name."""

    @property
    def __name__(cls):
        raise AttributeError("no name")


def test_describe_is_safe_and_short():
    assert guard.describe(ValueError("x" * 1000))[1].endswith("…")
    assert len(guard.describe(ValueError("x" * 1000))[1]) == 300
    assert guard.describe(ValueError("x" * 300)) == ("ValueError", "x" * 300), "300 characters fit"
    assert guard.describe(ValueError("x" * 301)) == ("ValueError", "x" * 299 + "…")
    assert guard.describe(Nameless("Odd", (Exception,), {})("text")) == ("Exception", "text")
    assert guard.describe(Loud()) == ("Loud", "")
    assert guard.describe(RuntimeError("a\n  b")) == ("RuntimeError", "a b")


def test_a_debugger_still_works_afterwards():
    """Clearing a pending stop must not leave CPython's async-exception signal set: with it set,
    the next call under any trace function (pdb, coverage) spins forever. In a subprocess, so
    that a regression fails instead of hanging the test run."""
    import subprocess

    code = (
        "import sys, time\n"
        "from autograd_lessons import guard\n"
        "def spin():\n"
        "    while True:\n"
        "        try:\n"
        "            time.sleep(0.01)\n"
        "        except:\n"
        "            pass\n"
        "assert guard.run(lambda: 1).ok\n"
        "assert guard.run(spin, time_limit=0.2).failure.kind == 'timeout'\n"
        "sys.settrace(lambda *args: None)\n"
        "def g(a, b=2):\n"
        "    return a + b\n"
        "print(g(1, b=3))\n"
        "sys.settrace(None)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and done.stdout.strip() == "4", done.stderr


# --- what counts as library code: never interrupted by the escalation, so its `finally` blocks run


@pytest.fixture
def unjudged(monkeypatch):
    """No answer cached yet: every file is judged afresh (an earlier test may have asked first)."""
    monkeypatch.setattr(guard, "_is_library_cache", {})


def test_library_code_is_python_installed_packages_torch_and_this_package(unjudged):
    import json
    import sysconfig
    from pathlib import Path

    prefixes = guard._library_prefixes()
    assert prefixes == tuple(sorted(prefixes)) and all(prefix.endswith(os.sep) for prefix in prefixes)
    paths = sysconfig.get_paths()
    for wanted in (
        paths["stdlib"],
        paths["platstdlib"],
        paths["purelib"],
        paths["platlib"],
        Path(guard.__file__).parent,
        Path(threading.__file__).parent,
        Path(torch.__file__).parent,
    ):
        assert str(Path(wanted).resolve()) + os.sep in prefixes, wanted
    assert prefixes == guard._LIBRARY
    for filename in (json.__file__, threading.__file__, pytest.__file__, torch.__file__, guard.__file__, "<frozen os>"):
        assert guard._is_library(filename), filename
        assert guard._is_library(filename), f"{filename}, asked again (the answer is cached)"


def test_learner_code_is_everything_else(tmp_path, unjudged):
    from pathlib import Path

    # a folder whose name only starts like the package's: prefixes end with a separator
    neighbour = str(Path(guard.__file__).resolve().parent) + "_not" + os.sep + "m.py"
    for filename in (__file__, str(tmp_path / "notebook_cell.py"), "<string>", "<ipython-input-3-abc>", neighbour):
        assert not guard._is_library(filename), filename
        assert not guard._is_library(filename), f"{filename}, asked again (the answer is cached)"


def test_a_cells_name_is_never_taken_for_a_path_and_a_name_no_path_can_have_is_the_learners(monkeypatch, unjudged):
    """A notebook cell's code comes from "<ipython-input-…>" or "<string>": learner code even when
    the kernel runs inside Python's own folder, where that name read as a path would be library
    code. A name that cannot be a path (a NUL in it) is the learner's too."""
    monkeypatch.chdir(os.path.dirname(threading.__file__))
    for filename in ("<string>", "<ipython-input-3-abc>", "cell\0.py"):
        assert guard._is_library(filename) is False, filename


def test_a_link_to_library_code_is_library_code(tmp_path, unjudged):
    import json
    from pathlib import Path

    link = tmp_path / "looks_like_mine.py"
    link.symlink_to(Path(json.__file__).resolve())
    assert guard._is_library(str(link)), "judged by where the file really is"
