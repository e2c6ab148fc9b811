"""Outlet registry: which outlet publishes under a web domain, with its country and language.

Data, not code (data/outlet_domains.toml), so adding an outlet is one entry. A page's outlet
is decided by its address before its text: a domain is what the publisher controls. Unknown
domains get their host name, so every fetched article has an outlet and nothing crashes.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from urllib.parse import urlsplit


@dataclass(frozen=True, slots=True)
class OutletInfo:
    name: str
    host: str  # the registered host that matched, or the page's own host
    country: str | None = None  # ISO 3166-1 alpha-2
    language: str | None = None  # ISO 639-1
    known: bool = True  # False: not in the registry; the name is the host name


@lru_cache(maxsize=1)
def _registry() -> dict[str, OutletInfo]:
    text = resources.files("storyline.data").joinpath("outlet_domains.toml").read_text("utf-8")
    entries = tomllib.loads(text).get("domain", [])
    return {
        str(e["host"]).lower(): OutletInfo(
            name=str(e["outlet"]),
            host=str(e["host"]).lower(),
            country=e.get("country"),
            language=e.get("language"),
        )
        for e in entries
    }


def host_of(url: str) -> str:
    """The host of a URL, lower-cased, without a leading "www."; "" when there is none."""
    try:
        host = urlsplit(url.strip()).hostname or ""
    except ValueError:
        return ""
    return host.lower().removeprefix("www.").rstrip(".")


def outlet_for_url(url: str) -> OutletInfo | None:
    """The outlet publishing at `url`: the registry's entry for its domain (or a parent
    domain), else its host name; None only when the URL has no host at all."""
    host = host_of(url)
    if not host:
        return None
    registry = _registry()
    labels = host.split(".")
    for start in range(len(labels) - 1):
        found = registry.get(".".join(labels[start:]))
        if found is not None:
            return found
    return OutletInfo(name=host, host=host, known=False)


def known_outlet_for_url(url: str) -> OutletInfo | None:
    """Only a registry entry (for inputs whose outlet the text may still reveal)."""
    found = outlet_for_url(url)
    return found if found is not None and found.known else None


def registry_entries() -> list[OutletInfo]:
    return sorted(_registry().values(), key=lambda o: (o.name, o.host))
