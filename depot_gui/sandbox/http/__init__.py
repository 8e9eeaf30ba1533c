"""The sandbox's HTTP side: request and response types, framing, the in-process transport, the loopback server."""
