"""A finished or stopped stage never waits forever for its worker processes.

`imi` turns SIGTERM into KeyboardInterrupt (so staging directories are removed), and a forked
worker inherits that Python-level handler. A Python handler runs only when the interpreter next
checks for signals, so a SIGTERM from `Pool.terminate` that lands just before a worker blocks on
the pool's queue lock is never acted on, and the parent waits for that worker forever: `imi
prepare` once hung for minutes after writing its output. Workers now take SIGTERM's default
disposition, and a run whose chunks are all back closes its pool instead of terminating it.
"""

import multiprocessing as mp
import os
import subprocess
import sys
import multiprocessing.pool
import signal
import time

import pytest

from imi_lib import cli
from imi_lib.core.isolated_pool import worker_signals
from imi_lib.data import prepare

from imi_lib.core.records import write_jsonl
from test_prepare import hcm, mcq_records, run_prepare


def _dispositions():
    return signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGINT)


def _with_imi_handler(fn):
    old = signal.signal(signal.SIGTERM, cli._interrupt)
    try:
        return fn()
    finally:
        signal.signal(signal.SIGTERM, old)


def test_a_forked_prepare_worker_takes_sigterm_s_default_disposition():
    def check():
        ctx = mp.get_context("fork")
        with ctx.Pool(1, initializer=prepare._init_worker_process, initargs=(None, 42, 0.1, False)) as pool:
            return pool.apply(_dispositions)

    term, interrupt = _with_imi_handler(check)
    assert term == signal.SIG_DFL
    assert interrupt == signal.SIG_IGN  # Ctrl-C reaches the group; the parent terminates the workers


def _report(queue, ignore_interrupt):
    worker_signals(ignore_interrupt)
    queue.put(_dispositions())


def test_worker_signals_reset_the_inherited_handler():
    def check(ignore_interrupt):
        ctx = mp.get_context("fork")
        queue = ctx.SimpleQueue()
        proc = ctx.Process(target=_report, args=(queue, ignore_interrupt))
        proc.start()
        got = queue.get()
        proc.join(10)
        return got

    term, interrupt = _with_imi_handler(lambda: check(True))
    assert (term, interrupt) == (signal.SIG_DFL, signal.SIG_IGN)
    term, interrupt = _with_imi_handler(lambda: check(False))  # collect's shards: Ctrl-C still stops them
    assert term == signal.SIG_DFL and interrupt == signal.getsignal(signal.SIGINT)


def _blocked_on(lock):
    worker_signals()
    lock.acquire()  # held by the parent: the worker waits here, as an idle pool worker waits for the queue


def test_a_worker_blocked_on_a_lock_dies_on_sigterm():
    ctx = mp.get_context("fork")
    lock = ctx.Lock()
    lock.acquire()

    def run():
        proc = ctx.Process(target=_blocked_on, args=(lock,))
        proc.start()
        try:
            time.sleep(0.5)
            proc.terminate()
            proc.join(10)
            return proc.exitcode
        finally:
            if proc.is_alive():
                proc.kill()
                proc.join()

    assert _with_imi_handler(run) == -signal.SIGTERM


def test_a_finished_prepare_lets_its_workers_exit_instead_of_terminating_them(tmp_path, monkeypatch):
    d = tmp_path / "data"
    write_jsonl(d / "raw" / "medqa.jsonl", mcq_records(300))
    write_jsonl(d / "raw" / "healthcaremagic.jsonl",
                [hcm(i, f"Hi doctor, my {i}th visit.", "Hello, take care.") for i in range(100)])
    monkeypatch.setattr(prepare, "CHUNK_BYTES", 4096)  # many chunks: two workers
    at_terminate = []
    terminate = mp.pool.Pool.terminate

    def spy(self):
        at_terminate.append([p.exitcode for p in self._pool])
        terminate(self)

    monkeypatch.setattr(mp.pool.Pool, "terminate", spy)
    stats = _with_imi_handler(lambda: run_prepare(d, workers=2))
    assert stats["split_totals"]["train"] + stats["split_totals"]["val"] == 400
    # leaving the pool still calls terminate; by then both workers have exited on their own (status 0)
    assert at_terminate == [[0, 0]]


def test_imi_prepare_with_two_workers_exits_when_its_work_is_done(tmp_path):
    """The command as users run it (its SIGTERM handler installed), with inputs of two chunks."""
    d = tmp_path / "data"
    rows = [hcm(i, f"Hi doctor, I have had a cough for {i % 30 + 2} days and a mild fever at night. " * 4,
                "Hello, rest, drink fluids and see your doctor if it lasts a week. " * 4) for i in range(9000)]
    write_jsonl(d / "raw" / "healthcaremagic.jsonl", rows)
    assert (d / "raw" / "healthcaremagic.jsonl").stat().st_size > 1.5 * prepare.CHUNK_BYTES
    from test_prepare import seal_inputs

    seal_inputs(d)
    proc = subprocess.Popen([sys.executable, "-m", "imi_lib.cli", "prepare", "--data-dir", str(d), "--workers", "2",
                             "--no-prose-names"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            start_new_session=True)
    try:
        out, _ = proc.communicate(timeout=240)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        raise AssertionError("imi prepare did not exit within 240 s")
    assert proc.returncode == 0, out
    assert "in=9000" in out


def _group_gone(pgid: int, wait_s: float = 10.0) -> bool:
    deadline = time.monotonic() + wait_s
    while time.monotonic() < deadline:
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.1)
    return False


def _interrupt_at_default():
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@pytest.mark.parametrize("how", ["SIGTERM to imi", "Ctrl-C to the group"])
def test_an_interrupted_prepare_stops_its_workers_and_leaves_no_output(tmp_path, how):
    d = tmp_path / "data"
    rows = [hcm(i, f"Hi doctor, my son Arjun has had a cough for {i % 30 + 2} days and a fever at night. " * 6,
                "Hello, rest, drink fluids and see your doctor if it lasts a week. " * 6) for i in range(40000)]
    write_jsonl(d / "raw" / "healthcaremagic.jsonl", rows)
    from test_prepare import seal_inputs

    seal_inputs(d)
    before = sorted(p.name for p in d.iterdir())
    # Ctrl-C at its default, as in a terminal: a test run started in the background (`nohup ... &`) passes an
    # ignored SIGINT down, and Python keeps an ignored SIGINT ignored (a prepare started that way runs on)
    proc = subprocess.Popen([sys.executable, "-m", "imi_lib.cli", "prepare", "--data-dir", str(d), "--workers", "2"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
                            preexec_fn=_interrupt_at_default)
    try:
        deadline = time.monotonic() + 120
        while not list(d.glob(".final.imi-staging-*")) and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.1)
        time.sleep(2.0)  # the workers are at work
        assert proc.poll() is None, "prepare ended before it could be interrupted"
        if how == "SIGTERM to imi":
            proc.send_signal(signal.SIGTERM)
        else:
            os.killpg(proc.pid, signal.SIGINT)
        _, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
    assert proc.returncode == 130, err
    assert "Traceback" not in err, err
    assert _group_gone(proc.pid), "a worker outlived its stage"
    assert sorted(p.name for p in d.iterdir()) == before  # no final/, no staging directory, no lock
