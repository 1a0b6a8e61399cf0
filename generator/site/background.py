"""Work a build starts early and collects later (PBKDF2 derivations, opening the last state), on daemon threads.

ThreadPoolExecutor's threads are joined when the interpreter exits, so one still deriving, or stuck on a read,
kept a stopped build (SIGTERM, Ctrl+C) alive after it had cleaned up. A daemon thread does not: the process ends
when the main thread is done, and the result nobody asked for is dropped.
"""

from __future__ import annotations

import threading
from concurrent.futures import Future
from typing import Any, Callable


def in_background(calls: list[tuple[Callable[..., Any], tuple]], name: str = "jingfang") -> list[Future]:
    """Run each (function, arguments) one after another on one daemon thread; their futures, in the same order.

    A future cancelled before its turn is skipped (so leaving early costs at most the call under way).
    """
    futures: list[Future] = [Future() for _ in calls]

    def work() -> None:
        for (function, args), future in zip(calls, futures):
            if not future.set_running_or_notify_cancel():
                continue
            try:
                future.set_result(function(*args))
            except BaseException as exc:  # handed to whoever asks for the result
                future.set_exception(exc)

    threading.Thread(target=work, name=name, daemon=True).start()
    return futures
