"""Autotask value types: the API user's credentials and the tenant's zone."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlsplit, urlunsplit

API_SEGMENT = "ATServicesRest"
API_VERSION = "V1.0"


@dataclass(frozen=True)
class AutotaskCredentials:
    """The API user's username, secret and integration code (tracking identifier)."""

    username: str
    secret: str = field(repr=False)
    integration_code: str

    def __repr__(self) -> str:
        return (
            f"AutotaskCredentials(username={self.username!r}, secret='***', integration_code='***')"
        )

    __str__ = __repr__


@dataclass(frozen=True)
class Zone:
    """Where a tenant lives, as answered by zoneInformation."""

    name: str
    url: str
    web_url: str
    ci: int | None
    api_base: str

    @classmethod
    def from_json(cls, data: dict) -> Zone:
        """Build from a zoneInformation response (raises KeyError/ValueError if unusable)."""
        url = data["url"]
        if not isinstance(url, str) or not url.strip():
            raise ValueError("zoneInformation has no url")
        ci = data.get("ci")
        return cls(
            name=str(data.get("zoneName") or ""),
            url=url.strip(),
            web_url=str(data.get("webUrl") or ""),
            ci=int(ci) if ci is not None else None,
            api_base=normalise_api_base(url),
        )

    @property
    def zone_name(self) -> str:
        """Alias of ``name`` (the zoneInformation key is ``zoneName``)."""
        return self.name

    @property
    def origin(self) -> tuple[str, str]:
        """(scheme, host[:port]) of the REST base, lower-cased, for same-origin checks."""
        return url_origin(self.api_base)


def url_origin(url: str) -> tuple[str, str]:
    """(scheme, netloc) of a URL, lower-cased, with default ports made explicit-free."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    port = parts.port
    if port is not None and (scheme, port) not in {("https", 443), ("http", 80)}:
        host = f"{host}:{port}"
    return scheme, host


def normalise_api_base(url: str) -> str:
    """Turn a zone url (with or without ATServicesRest, trailing slash) into .../ATServicesRest/V1.0/."""
    parts = urlsplit(url.strip())
    if parts.scheme.lower() not in {"http", "https"} or not parts.netloc:
        raise ValueError(f"zone url is not an http(s) URL: {url!r}")
    segments = [s for s in parts.path.split("/") if s]
    lowered = [s.lower() for s in segments]
    if API_SEGMENT.lower() in lowered:
        segments = segments[: lowered.index(API_SEGMENT.lower())]
    path = "/" + "/".join([*segments, API_SEGMENT, API_VERSION]) + "/"
    return urlunsplit((parts.scheme.lower(), parts.netloc, path, "", ""))
