"""Run one function over many items on every core: the calling process and forked workers
share the items out in chunks, the function makes the results of a chunk at a time, and
they come back in the items' order.

Forking is used only where it is safe: where the platform has it and while the process
runs a single thread (a fork copies only the thread that forks, so a lock another thread
holds, in logging or an allocator, would stay locked in the child for ever). Otherwise,
with one core, or for few items, everything runs in the calling process. The function is
not sent anywhere (a forked worker already has it); its results must pickle.
"""

from __future__ import annotations

import dataclasses
import io
import multiprocessing
import os
import pickle
import threading
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")

CHUNK = 128  # items per share: small enough that no process waits long for the last one

_BY_DICT: dict[type, bool] = {}  # whether `_Pickler` may pickle a class's instances by their dict


class _Pickler(pickle.Pickler):
    """Pickles a dataclass instance that has only its `__dict__` to give as `object.__new__`
    and that dict, which is what pickle's general way gives (and unpickles the same), at two
    thirds of its cost: workers send back many small model objects."""

    def reducer_override(self, obj: Any) -> Any:
        cls = type(obj)
        plain = _BY_DICT.get(cls)
        if plain is None:
            plain = _BY_DICT[cls] = _pickles_by_dict(cls)
        if plain:
            return object.__new__, (cls,), obj.__dict__
        return NotImplemented


def _pickles_by_dict(cls: type) -> bool:
    return (
        dataclasses.is_dataclass(cls)
        and all("__slots__" not in vars(base) for base in cls.__mro__[:-1])
        and cls.__new__ is object.__new__
        and cls.__reduce_ex__ is object.__reduce_ex__
        and cls.__reduce__ is object.__reduce__
        and cls.__getstate__ is object.__getstate__
        and not hasattr(cls, "__getnewargs_ex__")
        and not hasattr(cls, "__getnewargs__")
    )


def _dumps(obj: object) -> bytes:
    buffer = io.BytesIO()
    _Pickler(buffer, pickle.HIGHEST_PROTOCOL).dump(obj)
    return buffer.getvalue()


PIPE_BYTES = 1 << 20  # what Linux lets any process ask for (/proc/sys/fs/pipe-max-size)


def _widen(connection: Any) -> None:
    """Let the pipe under `connection` hold PIPE_BYTES where the platform allows it (Linux):
    a worker's results then wait in the pipe, not in the worker, until they are read."""
    try:
        import fcntl  # (POSIX only)

        fcntl.fcntl(connection.fileno(), fcntl.F_SETPIPE_SZ, PIPE_BYTES)
    except (ImportError, AttributeError, OSError):  # pragma: no cover - not Linux, or a lower limit
        pass


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


def map_ordered(
    func: Callable[[Sequence[Item]], list[Result]],
    items: Sequence[Item],
    workers: int,
    use: Callable[[int, list[Result]], None] | None = None,
) -> list[Result]:
    """`func(items)`, with `workers` forked processes helping the calling one: `func` makes a
    list of one result for each of the items it is given, and is given them a chunk at a
    time (so that it can do each step for the whole chunk before the next). A chunk a
    worker took but did not give back (it died, or `func` raised there) is done again
    here, so a failure looks exactly as it would without workers.

    With `use`, the calling process also gives each chunk's results to `use(start, results)`
    the moment it has them (`results[i]` is for `items[start + i]`; the chunks come in no set
    order): what it does with them then runs while the workers are still busy, and on results
    the processor has just made or unpickled, still in its caches."""
    if workers <= 0:
        everything = func(items)
        if use is not None:
            use(0, everything)
        return everything
    context = multiprocessing.get_context("fork")
    taken = context.Value("q", 0)  # the next chunk to take, shared by every process
    chunks = (len(items) + CHUNK - 1) // CHUNK

    def take() -> int:
        with taken.get_lock():
            index: int = taken.value
            taken.value = index + 1
        return index

    def work(sender: Any) -> None:
        # Each chunk is sent the moment it is done: the pipe holds several (see _widen), so
        # sending does not wait while the calling process does a chunk of its own. (No thread
        # is needed to send them, which would also need the interpreter lock between the two
        # writes of each chunk, leaving the calling process waiting half-way through one.)
        try:
            while (index := take()) < chunks:
                sender.send_bytes(_dumps((index, func(items[index * CHUNK : (index + 1) * CHUNK]))))
        except BaseException:  # the calling process does the chunk this worker failed
            pass
        finally:
            sender.close()

    processes = []
    receivers = []
    try:
        for _ in range(workers):
            receiver, sender = context.Pipe(duplex=False)
            _widen(sender)
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

        def receive(wait: bool) -> None:
            """Take in what the workers have sent; with `wait`, all they will send."""
            for receiver in list(receivers):
                try:
                    while wait or receiver.poll():
                        index, part = pickle.loads(receiver.recv_bytes())
                        results[index] = part
                        if use is not None:
                            use(index * CHUNK, part)
                except EOFError:  # the worker has finished (or died, maybe mid-chunk)
                    receivers.remove(receiver)
                    receiver.close()

        while (index := take()) < chunks:
            done = func(items[index * CHUNK : (index + 1) * CHUNK])
            results[index] = done
            if use is not None:
                use(index * CHUNK, done)
            receive(wait=False)
        receive(wait=True)
        for process in processes:
            process.join()
        merged: list[Result] = []
        for index, part in enumerate(results):
            if part is None:  # lost with a worker
                part = func(items[index * CHUNK : (index + 1) * CHUNK])
                if use is not None:
                    use(index * CHUNK, part)
            merged.extend(part)
        return merged
    finally:
        for process in processes:
            if process.is_alive():
                process.terminate()
                process.join()
