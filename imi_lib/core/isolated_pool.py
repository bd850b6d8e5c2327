"""Run a function over many inputs in long-lived child processes, each call bounded.

    pool = IsolatedPool(extract_pdf, workers=2, timeout_s=60, max_memory_mb=2048)
    for outcome in pool.map_unordered([(key, (arg1, arg2)), ...]):
        outcome.ok, outcome.value, outcome.reason

Why not multiprocessing.Pool or ProcessPoolExecutor: neither can stop one
stuck call. A call that hangs, or a child that is killed (segfault, out of
memory), must cost that input only. Here each worker is a spawned process with
its address space capped (RLIMIT_AS); a call past its deadline gets its worker
killed, and a dead worker is replaced, while the other workers carry on.
Workers live across calls, so the interpreter start (~0.3 s with pymupdf) is
paid once per worker, not once per input.
"""

from __future__ import annotations

import importlib
import multiprocessing as mp
import os
import signal
import time
from collections import deque
from dataclasses import dataclass
from multiprocessing.connection import wait
from typing import Any, Callable, Iterable, Iterator


@dataclass
class Outcome:
    key: Any
    ok: bool
    value: Any = None  # the function's return value when ok
    reason: str = ""  # "timeout: ...", "memory: ...", "crashed: ...", "error: ..." when not ok
    seconds: float = 0.0


def default_workers() -> int:
    """CPU cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # macOS
        return max(1, os.cpu_count() or 1)


def _limit_address_space(max_memory_mb: int) -> None:
    try:
        import resource

        _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        limit = max_memory_mb * 1024 * 1024
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    except (ImportError, ValueError, OSError):  # not on this platform: time limits still apply
        pass


def worker_signals(ignore_interrupt: bool = True) -> None:
    """Signal dispositions for a child process that works for a parent: call it first in the child.

    SIGTERM (a pool's terminate) must end the child whatever it is doing: a forked child inherits
    the parent's Python handler (`imi` turns SIGTERM into KeyboardInterrupt), and a Python handler
    runs only when the interpreter next checks for signals. A SIGTERM that lands just before the
    child blocks on the pool's queue lock is never acted on, and the parent's terminate waits for
    that child forever. The default disposition ends the process in the kernel.

    Ctrl-C reaches the whole process group; with `ignore_interrupt` the parent alone decides what
    stops (it terminates the children).
    """
    if ignore_interrupt:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def _worker_main(conn, fn: Callable, max_memory_mb: int, preload: tuple[str, ...]) -> None:
    worker_signals()
    for module in preload:
        importlib.import_module(module)
    if max_memory_mb:
        _limit_address_space(max_memory_mb)
    conn.send("ready")  # deadlines start when a task is sent, so the start-up must not count
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        key, args = message
        start = time.perf_counter()
        recycle = False
        try:
            reply = (key, True, fn(*args), "")
        except MemoryError:
            # the heap may be fragmented now; answer, then let the parent start a fresh worker
            reply = (key, False, None, f"memory: over the {max_memory_mb} MB limit per file")
            recycle = True
        except Exception as e:
            text = str(e)
            kind = "memory" if "malloc" in text.lower() or "out of memory" in text.lower() else "error"
            reply = (key, False, None, f"{kind}: {type(e).__name__}: {text}"[:500])
            recycle = kind == "memory"
        try:
            conn.send(reply + (time.perf_counter() - start, recycle))
        except Exception as e:  # an unpicklable or oversize result
            conn.send((key, False, None, f"error: result could not be returned ({type(e).__name__}: {e})"[:500],
                       time.perf_counter() - start, recycle))
        if recycle:
            return


def _death_reason(exitcode: int | None, max_memory_mb: int) -> str:
    if exitcode is None:
        return "crashed: the worker stopped answering"
    if exitcode < 0:
        try:
            name = signal.Signals(-exitcode).name
        except ValueError:
            name = f"signal {-exitcode}"
        hint = f" (out of memory? the cap is {max_memory_mb} MB)" if name == "SIGKILL" else ""
        return f"crashed: the worker was killed by {name}{hint}"
    return f"crashed: the worker exited with status {exitcode}"


class _Worker:
    def __init__(self, ctx, fn, max_memory_mb: int, preload: tuple[str, ...]):
        self.conn, child_conn = ctx.Pipe(duplex=True)
        self.proc = ctx.Process(target=_worker_main, args=(child_conn, fn, max_memory_mb, preload), daemon=True)
        self.proc.start()
        child_conn.close()
        self.task: tuple[Any, float, float] | None = None  # (key, started, deadline)
        self.retire = False  # replace this worker before its next task
        self.ready = False  # it has imported its modules and waits for tasks

    def kill(self) -> None:
        if self.proc.is_alive():
            self.proc.kill()
        self.proc.join(5)
        if not self.conn.closed:
            self.conn.close()


class IsolatedPool:
    """Map `fn` over inputs in `workers` child processes; see the module docstring.

    `fn` must be importable by name (a module-level function): children are
    spawned, not forked, so no lock or thread state of the parent is copied.
    `preload` modules are imported by each worker before its memory cap is set.
    """

    def __init__(self, fn: Callable, *, workers: int = 0, timeout_s: float = 60.0, max_memory_mb: int = 2048,
                 preload: Iterable[str] = (), start_method: str = "spawn"):
        self.fn = fn
        self.workers = workers or default_workers()
        self.timeout_s = timeout_s
        self.max_memory_mb = max_memory_mb
        self.preload = tuple(preload)
        self.ctx = mp.get_context(start_method)
        self.restarts = 0

    def map_unordered(self, tasks: Iterable[tuple[Any, tuple]]) -> Iterator[Outcome]:
        """Yield one Outcome per (key, args) task, in completion order."""
        pending = deque(tasks)
        workers = [self._start() for _ in range(min(self.workers, len(pending)))]
        try:
            while workers and (pending or any(w.task for w in workers)):
                for w in list(workers):
                    if w.ready and w.task is None and pending:
                        self._dispatch(w, pending, workers)
                watched = [w for w in workers if w.task or not w.ready]
                deadlines = [w.task[2] for w in watched if w.task]
                wait([w.conn for w in watched] + [w.proc.sentinel for w in watched],
                     timeout=max(0.0, min(deadlines) - time.perf_counter()) if deadlines else None)
                for w in list(workers):
                    if not w.ready:
                        self._check_started(w)
                        continue
                    if w.task is None:
                        continue
                    outcome = self._poll(w)
                    if outcome is None:
                        continue
                    if w.retire:  # dead, past its deadline, or asked to be replaced
                        self._replace(w, workers, pending)
                    yield outcome
        finally:
            for w in workers:
                if w.proc.is_alive() and not w.conn.closed:
                    try:
                        w.conn.send(None)
                    except OSError:
                        pass
            for w in workers:
                w.proc.join(2)
                w.kill()

    def _dispatch(self, w: _Worker, pending: deque, workers: list[_Worker]) -> None:
        key, args = pending.popleft()
        try:
            w.conn.send((key, args))
        except OSError:  # the idle worker died (killed from outside): the task goes to a new one
            pending.appendleft((key, args))
            self._replace(w, workers, pending)
            return
        now = time.perf_counter()
        w.task = (key, now, now + self.timeout_s)

    def _replace(self, w: _Worker, workers: list[_Worker], pending: deque) -> None:
        w.kill()
        workers.remove(w)
        if pending:
            workers.append(self._start())
            self.restarts += 1

    def _check_started(self, w: _Worker) -> None:
        if w.conn.poll():
            try:
                if w.conn.recv() == "ready":
                    w.ready = True
                    return
            except (EOFError, OSError):
                pass
        if not w.proc.is_alive():
            w.proc.join(1)
            raise RuntimeError(f"a worker process could not start ({_death_reason(w.proc.exitcode, self.max_memory_mb)})")

    def _start(self) -> _Worker:
        return _Worker(self.ctx, self.fn, self.max_memory_mb, self.preload)

    def _poll(self, w: _Worker) -> Outcome | None:
        """The outcome of `w`'s task if there is one now: a reply, a death or a timeout."""
        key, started, deadline = w.task
        if w.conn.poll():
            try:
                rkey, ok, value, reason, seconds, recycle = w.conn.recv()
                w.task = None
                w.retire = recycle
                return Outcome(rkey, ok, value, reason, round(seconds, 4))
            except (EOFError, OSError):
                pass  # died while answering: a death, below
        if not w.proc.is_alive():
            w.proc.join(1)
            w.task, w.retire = None, True
            return Outcome(key, False, None, _death_reason(w.proc.exitcode, self.max_memory_mb),
                           round(time.perf_counter() - started, 4))
        if time.perf_counter() >= deadline:
            w.task, w.retire = None, True
            return Outcome(key, False, None, f"timeout: no result within {self.timeout_s:g} s",
                           round(time.perf_counter() - started, 4))
        return None
