"""A test double for a SurrealDB server: a loopback websocket server whose database is
the embedded engine.

No SurrealDB server binary can be installed where these tests run, so the ``ws://``
path of :mod:`fluent_ai.memory` is tested against this double instead. It speaks the
server's RPC as the ``surrealdb`` client does: a websocket at ``/rpc``, the ``cbor``
subprotocol, one binary CBOR frame per request (``{id, method, params}``) and one per
answer (``{id, result}`` or ``{id, error: {code, message}}``). Each request frame is
handed, byte for byte, to an embedded ``mem://`` engine (the same Rust engine, through
``AsyncEmbeddedDB.execute``, which takes the client's frames unchanged), and the
engine's answer frame is sent back.

Where it differs from a real server, and so what it does *not* test:

* One embedded session serves every connection. The double keeps each connection's
  ``use`` (namespace, database) and re-issues it when frames from another connection
  came in between, and relays frames one at a time; live queries, ``attach`` sessions
  and client-side transactions are not supported.
* Authentication: the engine is made with a root user (``DEFINE USER … ON ROOT``) for
  the credentials given, so ``signin`` is relayed and checked by the engine itself (a
  wrong password is refused with the engine's own error). The embedded engine does not
  enforce permissions, so the double refuses, itself, every method but ``signin``,
  ``authenticate``, ``use``, ``version`` and ``ping`` on a connection that has not
  signed in, like a server started with ``--user``/``--pass`` and no guest access.
* No HNSW on disk, no TiKV, no network beyond loopback, no TLS (``wss://``).
"""

from __future__ import annotations

import asyncio
import threading
from typing import Any

from surrealdb._surrealdb_ext import AsyncEmbeddedDB
from surrealdb.data.cbor import decode, encode
from websockets.asyncio.server import Server, ServerConnection, serve
from websockets.exceptions import ConnectionClosed
from websockets.typing import Subprotocol

_WITHOUT_SIGNIN = frozenset({"signin", "authenticate", "use", "version", "ping"})
# JSON-RPC error codes, as the server answers them.
_PARSE_ERROR, _METHOD_NOT_FOUND, _NOT_ALLOWED, _THROWN = -32700, -32601, -32002, -32000


class SurrealServerDouble:
    """A loopback ``ws://`` SurrealDB server double, run in its own thread and loop.

    ``with SurrealServerDouble() as url:`` gives ``ws://127.0.0.1:PORT`` (a free port)
    and stops the server and its in-memory database on leaving.
    """

    def __init__(self, username: str = "root", password: str = "root") -> None:
        self.username = username
        self.password = password
        self.url = ""
        self.connections = 0
        """Websocket connections open now (a client that failed to open must close its own)."""
        self.idle = threading.Event()
        """Set while no connection is open: a test waits on it for the server to see a
        close, which arrives a moment after the client sends it."""
        self.idle.set()
        self._ready = threading.Event()
        self._failure: BaseException | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None
        self._thread = threading.Thread(target=self._run, name="surreal-ws-double", daemon=True)
        self._engine_lock: asyncio.Lock | None = None
        self._engine_use: Any = None  # the ``use`` params the engine's session has now
        self._db: AsyncEmbeddedDB | None = None

    def __enter__(self) -> str:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def start(self) -> str:
        """Start serving; the server's ``ws://`` address."""
        self._thread.start()
        if not self._ready.wait(timeout=30):
            raise TimeoutError("the SurrealDB server double did not start within 30 s")
        if self._failure is not None:
            raise RuntimeError("the SurrealDB server double failed to start") from self._failure
        return self.url

    def stop(self) -> None:
        """Stop serving, close every connection and the database; wait for the thread."""
        if self._loop is not None and self._stop is not None:
            self._loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(timeout=30)

    def _run(self) -> None:
        try:
            asyncio.run(self._serve())
        except BaseException as exc:  # reported to start(), which re-raises it
            self._failure = exc
            self._ready.set()

    async def _serve(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._stop = asyncio.Event()
        self._engine_lock = asyncio.Lock()
        self._db = AsyncEmbeddedDB("mem://")
        await self._db.connect()
        try:
            await self._define_root_user()
            server: Server
            async with serve(
                self._handle,
                "127.0.0.1",
                0,
                subprotocols=[Subprotocol("cbor")],
                max_size=None,
            ) as server:
                port = next(iter(server.sockets)).getsockname()[1]
                self.url = f"ws://127.0.0.1:{port}"
                self._ready.set()
                await self._stop.wait()
        finally:
            await self._db.close()

    async def _define_root_user(self) -> None:
        assert self._db is not None
        user, password = _quoted(self.username, "`"), _quoted(self.password, "'")
        frame = {
            "id": "define-root",
            "method": "query",
            "params": [
                f"DEFINE USER {user} ON ROOT PASSWORD {password} ROLES OWNER",
                {},
            ],
        }
        answer = decode(await self._db.execute(encode(frame)))
        statements = answer.get("result") or [{}]
        if "error" in answer or statements[0].get("status") != "OK":
            raise RuntimeError(f"could not define the double's root user: {answer}")

    async def _handle(self, connection: ServerConnection) -> None:
        request = connection.request
        if request is None or request.path != "/rpc":
            await connection.close(code=1008, reason="the RPC endpoint is /rpc")
            return
        state: dict[str, Any] = {"use": None, "signed_in": False}
        self.connections += 1
        self.idle.clear()
        try:
            async for frame in connection:
                if isinstance(frame, str):
                    frame = frame.encode()
                await connection.send(await self._answer(frame, state))
        except ConnectionClosed:
            return
        finally:
            self.connections -= 1
            if self.connections == 0:
                self.idle.set()

    async def _answer(self, frame: bytes, state: dict[str, Any]) -> bytes:
        """The answer frame to one request frame from a connection with ``state``."""
        assert self._db is not None
        assert self._engine_lock is not None
        try:
            request = decode(frame)
        except Exception as exc:  # a frame that is not CBOR: the server's parse error
            return _error(None, _PARSE_ERROR, f"Parse error: {exc}")
        if not isinstance(request, dict):
            return _error(None, _PARSE_ERROR, "Parse error: a request is a CBOR map")
        ident, method = request.get("id"), request.get("method")
        if method not in _WITHOUT_SIGNIN and not state["signed_in"]:
            return _error(ident, _NOT_ALLOWED, "IAM error: Not enough permissions")
        async with self._engine_lock:
            try:
                if method != "use" and state["use"] != self._engine_use:
                    await self._use(state["use"])
                answer = await self._db.execute(frame)
            except Exception as exc:  # the engine's refusal becomes the RPC error answer
                code = _METHOD_NOT_FOUND if "Method not found" in str(exc) else _THROWN
                return _error(ident, code, str(exc))
            if method == "use":
                state["use"] = self._engine_use = request.get("params")
        if method in ("signin", "authenticate"):
            state["signed_in"] = True
        return answer

    async def _use(self, params: Any) -> None:
        """Point the engine's one session at a connection's namespace and database."""
        assert self._db is not None
        if params is not None:
            await self._db.execute(encode({"id": "re-use", "method": "use", "params": params}))
        self._engine_use = params


def _quoted(text: str, quote: str) -> str:
    """``text`` quoted for SurrealQL: an identifier in backticks, a string in ``'``
    (DDL takes no parameters here)."""
    return quote + text.replace("\\", "\\\\").replace(quote, "\\" + quote) + quote


def _error(ident: Any, code: int, message: str) -> bytes:
    return bytes(encode({"id": ident, "error": {"code": code, "message": message}}))
