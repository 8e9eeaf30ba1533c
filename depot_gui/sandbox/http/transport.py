"""In-process httpx2 transport: requests go straight to ``Sandbox.handle`` (any host)."""

from __future__ import annotations

import httpx2

from depot_gui.sandbox.http.messages import ConnectionDropped, NoAnswer


class SandboxTransport(httpx2.BaseTransport):
    """Routes every request to the sandbox; faults surface as httpx2's own network errors."""

    def __init__(self, sandbox) -> None:
        self.sandbox = sandbox

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        """Answer ``request`` or raise ReadTimeout / RemoteProtocolError like a real socket would."""
        body = request.read()
        timeout = (request.extensions.get("timeout") or {}).get("read")
        headers = [(k.decode("latin-1"), v.decode("latin-1")) for k, v in request.headers.raw]
        try:
            resp = self.sandbox.handle(request.method, str(request.url), headers, body, read_timeout=timeout)
        except ConnectionDropped:
            raise httpx2.RemoteProtocolError("Server disconnected without sending a response.",
                                             request=request) from None
        except NoAnswer:
            raise httpx2.ReadTimeout("The read operation timed out", request=request) from None
        return httpx2.Response(resp.status, headers=list(resp.headers.items()), content=resp.body,
                               request=request)
