"""The page browsers open: ``serve`` and ``class serve`` listening on every interface
(``--host 0.0.0.0``) must print, and put in the page, an address other machines can reach; and
the page needs nothing from outside the room (``local_templates``)."""

import ipaddress
import re
import socket
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

WILDCARDS = ("0.0.0.0", "::", "")


class WebError(ValueError):
    """A --public-url that browsers could not use; the message says why."""


def lan_address() -> str:
    """This machine's address on its network (the interface a route out would use), or its
    hostname if it has none. No packet is sent: connecting a UDP socket only picks a route."""
    for probe, family in (("192.0.2.1", socket.AF_INET), ("2001:db8::1", socket.AF_INET6)):
        try:
            with socket.socket(family, socket.SOCK_DGRAM) as s:
                s.connect((probe, 9))
                address = s.getsockname()[0]
        except OSError:
            continue
        if not ipaddress.ip_address(address).is_loopback:
            return address
    return socket.gethostname()


def checked_public_url(url: str, with_port: bool = True) -> str:
    """``url`` as browsers will be given it (no trailing slash); ``with_port`` False refuses a port
    (``class serve`` gives each team its own)."""
    parts = urlsplit(url)
    try:
        port = parts.port
    except ValueError:
        raise WebError(f"--public-url {url!r}: the port is not a number from 0 to 65535") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise WebError(f"--public-url {url!r}: give a web address such as http://10.0.0.5:8000")
    if parts.hostname in WILDCARDS:
        raise WebError(f"--public-url {url!r}: {parts.hostname} is not an address a browser can open")
    if not with_port and port is not None:
        raise WebError(f"--public-url {url!r}: each team gets its own port; give the address without one, "
                       f"e.g. {parts.scheme}://{parts.hostname}")
    return url.rstrip("/")


def public_url(host: str, port: int, given: str | None = None) -> str:
    """The URL browsers open for a server listening on ``host``:``port``: ``given`` (a checked
    ``--public-url``; without a port, ``port`` is added), else the LAN address when listening
    on every interface, else ``host`` itself ("localhost" for the loopback)."""
    if given is not None:
        parts = urlsplit(given)
        if parts.port is not None:
            return given
        host_part = f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname
        return urlunsplit(parts._replace(netloc=f"{host_part}:{port}"))
    if host in WILDCARDS:
        name = lan_address()
    elif host in ("127.0.0.1", "::1", "localhost"):
        name = "localhost"
    else:
        name = host
    if ":" in name:  # an IPv6 address goes in brackets
        name = f"[{name}]"
    return f"http://{name}:{port}"


# textual-serve's page asks Google Fonts for its typeface: a school network that drops the request
# holds the page blank until the browser gives up, and it tells a third party who is playing
_REMOTE_STYLESHEET = re.compile(r"<link\b[^>]*\bhref=\"https?://[^\"]*\"[^>]*>\s*", re.IGNORECASE)


def local_templates(folder: Path) -> Path:
    """Write into ``folder`` textual-serve's own page templates with every stylesheet fetched from
    another site left out (the page falls back to a local monospace font), and return ``folder``
    for ``Server(templates_path=...)``. The templates are read from the installed textual-serve
    each time, so they stay those of its version."""
    import textual_serve

    source = Path(textual_serve.__file__).parent / "templates"
    for template in source.glob("*.html"):
        (folder / template.name).write_text(_REMOTE_STYLESHEET.sub("", template.read_text("utf-8")), "utf-8")
    return folder


__all__ = ["WebError", "checked_public_url", "lan_address", "local_templates", "public_url"]
