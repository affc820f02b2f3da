"""Which addresses a connection made in the browser may point Flightdeck at: public ones, or a private range an admin
named explicitly, and never a cloud metadata service."""
from __future__ import annotations

import ipaddress
import socket
from typing import Callable, Iterable
from urllib.parse import urlsplit

IpAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str, int], Iterable[str]]

# Instance metadata services hand out the machine's cloud credentials: no connection may reach them, whatever range
# an admin allows (AWS, GCP, Azure and OpenStack share 169.254.169.254; AWS also answers on IPv6; Alibaba Cloud).
METADATA_ADDRESSES = frozenset(ipaddress.ip_address(a) for a in (
    "169.254.169.254", "169.254.170.2", "fd00:ec2::254", "100.100.100.200"))
METADATA_HOSTS = frozenset({"metadata.google.internal", "metadata.goog", "metadata"})


class UnsafeUrl(ValueError):
    """The URL may not be used; the message says why and, where it helps, what would allow it."""


def resolve_host(host: str, port: int) -> list[str]:
    """Every address the host resolves to here (a name with one public and one private address is private)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise UnsafeUrl(f"{host} does not resolve from this machine ({error}).") from None
    return sorted({info[4][0] for info in infos})


def parse_network(text: str) -> ipaddress.IPv4Network | ipaddress.IPv6Network | None:
    """The allowed private range an admin typed (CIDR, e.g. 10.20.0.0/16), None when empty."""
    text = (text or "").strip()
    if not text:
        return None
    try:
        network = ipaddress.ip_network(text, strict=False)
    except ValueError:
        raise UnsafeUrl(f"{text!r} is not a network: write it as an address and prefix, e.g. 10.20.0.0/16.") from None
    if network.is_global:
        raise UnsafeUrl(f"{network} is a public range; only private ranges need allowing.")
    if any(address in network for address in METADATA_ADDRESSES):
        raise UnsafeUrl(f"{network} holds a cloud metadata address, which no connection may reach.")
    return network


def check_url(url: str, allowed_network: str = "", resolver: Resolver = resolve_host) -> None:
    """Raise UnsafeUrl unless `url` is http(s) with a host whose every address is public or inside the allowed range.

    Why every address: a host that resolves to a private address would let an admin form reach inside the network
    (or the metadata service) from the server, which is what request forgery through a settings page looks like.
    """
    network = parse_network(allowed_network)
    try:
        parts = urlsplit(url.strip())
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise UnsafeUrl("That is not a URL.") from None
    if parts.scheme not in ("http", "https"):
        raise UnsafeUrl("Use an http:// or https:// URL.")
    host = (parts.hostname or "").rstrip(".").lower()
    if not host:
        raise UnsafeUrl("The URL has no host.")
    if parts.username or parts.password:
        raise UnsafeUrl("Leave credentials out of the URL; put them in the connection's secret fields.")
    if host in METADATA_HOSTS:
        raise UnsafeUrl(f"{host} is a cloud metadata service, which no connection may reach.")
    for text in resolver(host, port):
        address = _unmapped(ipaddress.ip_address(text.split("%")[0]))
        if address in METADATA_ADDRESSES:
            raise UnsafeUrl(f"{host} is a cloud metadata address ({address}), which no connection may reach.")
        if address.is_global:
            continue
        if network is None:
            named = f"{host} is a private address" + ("" if host.strip("[]") == str(address) else f" ({address})")
            raise UnsafeUrl(f"{named}: {_kind(address)}. To allow it, name the private range it is in under "
                            f"\"Allowed private network\", e.g. {_suggested(address)}.")
        if address.version != network.version or address not in network:
            raise UnsafeUrl(f"{host} is {address}, outside the allowed private network {network}.")


def _unmapped(address: IpAddress) -> IpAddress:
    """An IPv4-mapped IPv6 address (::ffff:10.0.0.1) is judged as the IPv4 address it is."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def _kind(address: IpAddress) -> str:
    if address.is_loopback:
        return "loopback"
    if address.is_link_local:
        return "link-local"
    if address.is_unspecified:
        return "unspecified"
    if address.is_multicast:
        return "multicast"
    return "private or reserved"


def _suggested(address: IpAddress) -> str:
    prefix = 8 if address.version == 4 and address.is_loopback else 24 if address.version == 4 else 64
    return str(ipaddress.ip_network(f"{address}/{prefix}", strict=False))
