"""Which addresses a connection made in the browser may use: public ones, an allowed private range, never metadata."""
from __future__ import annotations

import pytest

from app.url_safety import UnsafeUrl, check_url, parse_network, resolve_host


def names(mapping: dict[str, list[str]]):
    """A resolver answering from a table, standing in for DNS so that a name's addresses are known."""
    return lambda host, port: mapping[host]


@pytest.mark.parametrize("url", ["https://93.184.215.14/api", "http://[2606:4700::1111]:8080/x"])
def test_public_addresses_pass(url):
    """Does a public IPv4 or IPv6 address pass with no range allowed?"""
    check_url(url)


@pytest.mark.parametrize("url, reason", [
    ("http://127.0.0.1:8101", "loopback"),
    ("http://10.1.2.3", "private or reserved"),
    ("http://192.168.0.10", "private or reserved"),
    ("http://169.254.10.1", "link-local"),
    ("http://[fe80::1]", "link-local"),
    ("http://[::1]", "loopback"),
    ("http://0.0.0.0", "unspecified"),
    ("http://[::ffff:10.0.0.1]", "private or reserved"),
])
def test_private_addresses_need_their_range(url, reason):
    """Is each kind of non-public address refused, named, with the range that would allow it suggested?"""
    with pytest.raises(UnsafeUrl, match=f"is a private address( \\(.*\\))?: {reason}. .*Allowed private network"):
        check_url(url)


def test_an_allowed_range_lets_its_addresses_in_and_no_others():
    """Does 10.20.0.0/16 allow 10.20.3.4 but not 10.30.0.1 or 192.168.1.1?"""
    check_url("http://10.20.3.4:8443", "10.20.0.0/16")
    for url in ("http://10.30.0.1", "http://192.168.1.1"):
        with pytest.raises(UnsafeUrl, match="outside the allowed private network 10.20.0.0/16"):
            check_url(url, "10.20.0.0/16")


@pytest.mark.parametrize("url", ["http://169.254.169.254/latest/meta-data", "http://[fd00:ec2::254]/",
                                 "http://100.100.100.200/", "http://metadata.google.internal/computeMetadata/v1/"])
def test_metadata_services_are_refused_whatever_is_allowed(url):
    """Is every cloud metadata address refused even with a private range allowed?"""
    with pytest.raises(UnsafeUrl, match="metadata"):
        check_url(url, "10.0.0.0/8")


def test_a_name_is_judged_by_every_address_it_resolves_to():
    """Is a name with one public and one private address refused, and one resolving to metadata refused outright?"""
    table = names({"mixed.example.com": ["93.184.215.14", "10.0.0.5"],
                   "sneaky.example.com": ["169.254.169.254"],
                   "inside.example.com": ["10.0.0.5"]})
    with pytest.raises(UnsafeUrl, match=r"mixed.example.com is a private address \(10.0.0.5\): private or reserved"):
        check_url("https://mixed.example.com", resolver=table)
    with pytest.raises(UnsafeUrl, match="cloud metadata address"):
        check_url("https://sneaky.example.com", "10.0.0.0/8", resolver=table)
    check_url("https://inside.example.com", "10.0.0.0/24", resolver=table)


@pytest.mark.parametrize("url, message", [
    ("ftp://files.example.com", "http:// or https://"),
    ("javascript:alert(1)", "http:// or https://"),
    ("https://", "has no host"),
    ("https://admin:pw@93.184.215.14", "Leave credentials out"),
    ("http://[::1", "not a URL"),
])
def test_malformed_and_other_schemes_are_refused(url, message):
    """Are other schemes, a missing host, credentials in the URL and broken URLs refused with the reason?"""
    with pytest.raises(UnsafeUrl, match=message):
        check_url(url)


def test_a_name_that_does_not_resolve_is_refused():
    """Is a host that does not resolve refused, saying so?"""
    with pytest.raises(UnsafeUrl, match="does not resolve from this machine"):
        resolve_host("no-such-host.invalid", 443)


@pytest.mark.parametrize("text, message", [("8.8.8.0/24", "public range"), ("169.254.0.0/16", "metadata"),
                                           ("not-a-net", "not a network")])
def test_allowed_network_must_be_a_private_range_without_metadata(text, message):
    """Is an allowed network refused when public, holding a metadata address, or not a network?"""
    with pytest.raises(UnsafeUrl, match=message):
        parse_network(text)
    assert parse_network("") is None and str(parse_network("10.20.3.4/16")) == "10.20.0.0/16"
