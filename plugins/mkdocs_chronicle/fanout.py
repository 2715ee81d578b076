"""Run one function over many items on every core: the calling process and forked workers
share the items out in chunks and the results come back in the items' order.

Forking is used only where it is safe: where the platform has it and while the process
runs a single thread (a fork copies only the thread that forks, so a lock another thread
holds, in logging or an allocator, would stay locked in the child for ever). Otherwise,
with one core, or for few items, everything runs in the calling process. The function is
not sent anywhere (a forked worker already has it); its results must pickle.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import threading
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")

CHUNK = 128  # items per share: small enough that no process waits long for the last one


def workers_for(count: int, at_least: int) -> int:
    """How many processes to fork for `count` items: none below `at_least` items, when
    forking is not safe here, or with a single core."""
    if count < at_least or threading.active_count() != 1:
        return 0
    if multiprocessing.current_process().daemon:  # (which may not start processes)
        return 0
    if "fork" not in multiprocessing.get_all_start_methods():
        return 0
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        cores = os.cpu_count() or 1
    return min(cores - 1, count // CHUNK)


def map_ordered(func: Callable[[Item], Result], items: Sequence[Item], workers: int) -> list[Result]:
    """`[func(item) for item in items]`, with `workers` forked processes helping the calling
    one. A chunk a worker took but did not give back (it died, or `func` raised there) is
    done again here, so a failure looks exactly as it would without workers."""
    if workers <= 0:
        return [func(item) for item in items]
    context = multiprocessing.get_context("fork")
    taken = context.Value("q", 0)  # the next chunk to take, shared by every process
    chunks = (len(items) + CHUNK - 1) // CHUNK

    def take() -> int:
        with taken.get_lock():
            index: int = taken.value
            taken.value = index + 1
        return index

    def work(sender: Any) -> None:
        try:
            done: list[tuple[int, bytes]] = []
            while (index := take()) < chunks:
                part = [func(item) for item in items[index * CHUNK : (index + 1) * CHUNK]]
                done.append((index, pickle.dumps(part, pickle.HIGHEST_PROTOCOL)))
            for index, payload in done:
                sender.send_bytes(index.to_bytes(8, "little"))
                sender.send_bytes(payload)
        except BaseException:  # the calling process does this worker's chunks again
            pass
        finally:
            sender.close()

    processes = []
    receivers = []
    try:
        for _ in range(workers):
            receiver, sender = context.Pipe(duplex=False)
            process = context.Process(target=work, args=(sender,), daemon=True)
            try:
                process.start()
            except OSError:  # no more processes to be had: do with those started
                receiver.close()
                break
            finally:
                sender.close()  # only the worker writes: its exit then ends our reading
            processes.append(process)
            receivers.append(receiver)
        results: list[list[Result] | None] = [None] * chunks
        while (index := take()) < chunks:
            results[index] = [func(item) for item in items[index * CHUNK : (index + 1) * CHUNK]]
        for receiver in receivers:
            try:
                while True:
                    index = int.from_bytes(receiver.recv_bytes(), "little")
                    results[index] = pickle.loads(receiver.recv_bytes())
            except EOFError:
                pass
            receiver.close()
        for process in processes:
            process.join()
        merged: list[Result] = []
        for index, part in enumerate(results):
            if part is None:  # lost with a worker
                part = [func(item) for item in items[index * CHUNK : (index + 1) * CHUNK]]
            merged.extend(part)
        return merged
    finally:
        for process in processes:
            if process.is_alive():
                process.terminate()
                process.join()
