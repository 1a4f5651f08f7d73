"""A small, lean HTTP/1.1 load generator for loopback benchmarks and the load-and-kill test.

Keep-alive connections over asyncio streams, no HTTP library: on a 2-core machine the client
must leave the server most of the CPU. Each submission carries its own UUID; with ``retry`` a
submission that met a connection error or a 5xx is sent again with the SAME UUID (as the
kiosk's offline queue does), so "acknowledged" means "stored, exactly once" if the server is
right.
"""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class LoadResult:
    sent: int = 0
    acknowledged: set[str] = field(default_factory=set)
    attempted: set[str] = field(default_factory=set)
    statuses: dict[int, int] = field(default_factory=dict)
    errors: int = 0  # connection failures (each retried when retrying)
    latencies_ms: list[float] = field(default_factory=list)
    seconds: float = 0.0

    def percentile(self, p: float) -> float:
        if not self.latencies_ms:
            return float("nan")
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]

    @property
    def rate(self) -> float:
        return len(self.latencies_ms) / self.seconds if self.seconds else 0.0

    def summary(self) -> dict:
        return {
            "requests": len(self.latencies_ms),
            "acknowledged": len(self.acknowledged),
            "requests_per_second": round(self.rate, 1),
            "p50_ms": round(self.percentile(50), 2),
            "p99_ms": round(self.percentile(99), 2),
            "statuses": {str(k): v for k, v in sorted(self.statuses.items())},
            "connection_errors": self.errors,
            "seconds": round(self.seconds, 2),
        }


async def _request(reader, writer, host: str, path: str, body: bytes) -> int:
    writer.write(
        f"POST {path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\n\r\n".encode() + body
    )
    await writer.drain()
    status_line = await reader.readline()
    if not status_line:
        raise ConnectionError("connection closed")
    status = int(status_line.split()[1])
    length = 0
    while True:
        line = await reader.readline()
        if line in (b"\r\n", b"\n", b""):
            break
        name, _, value = line.decode("latin-1").partition(":")
        if name.strip().lower() == "content-length":
            length = int(value)
    if length:
        await reader.readexactly(length)
    return status


async def run_load(
    host: str,
    port: int,
    path: str | Callable[[int, int], str],
    make_body: Callable[[str], dict],
    *,
    seconds: float,
    concurrency: int = 32,
    retry: bool = False,
    retry_deadline: float = 60.0,
) -> LoadResult:
    """Post for ``seconds`` from ``concurrency`` connections; return what happened.

    ``path`` may be a function of (worker number, submissions so far) to spread the load over
    many sessions, as many families at many sessions would.
    """
    result = LoadResult()
    stop_at = time.monotonic() + seconds

    async def worker(number: int) -> None:
        reader = writer = None
        pending: tuple[str, bytes, str] | None = None
        give_up_at = None
        done = 0
        while True:
            if pending is None:
                if time.monotonic() >= stop_at:
                    break
                submission_id = str(uuid.uuid4())
                target = path(number, done) if callable(path) else path
                done += 1
                pending = (submission_id, json.dumps(make_body(submission_id)).encode(), target)
                result.attempted.add(submission_id)
                give_up_at = time.monotonic() + retry_deadline
            try:
                if writer is None:
                    reader, writer = await asyncio.open_connection(host, port)
                started = time.perf_counter()
                result.sent += 1
                status = await _request(reader, writer, host, pending[2], pending[1])
                result.latencies_ms.append((time.perf_counter() - started) * 1000)
                result.statuses[status] = result.statuses.get(status, 0) + 1
                if 200 <= status < 300:
                    result.acknowledged.add(pending[0])
                    pending = None
                elif status >= 500 and retry and time.monotonic() < give_up_at:
                    await asyncio.sleep(0.05)
                else:
                    pending = None
            except (OSError, ConnectionError, asyncio.IncompleteReadError, ValueError, IndexError):
                result.errors += 1
                if writer is not None:
                    writer.close()
                reader = writer = None
                if not retry or time.monotonic() >= give_up_at:
                    pending = None
                else:
                    await asyncio.sleep(0.1)
        if writer is not None:
            writer.close()

    started = time.monotonic()
    await asyncio.gather(*(worker(i) for i in range(concurrency)))
    result.seconds = time.monotonic() - started
    return result
