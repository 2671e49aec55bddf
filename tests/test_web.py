"""The address ``serve`` and ``class serve`` print and give browsers (``blitzgame.web``)."""

import ipaddress

import pytest

from blitzgame.web import WebError, checked_public_url, lan_address, public_url


def test_every_interface_means_the_lan_address_never_0_0_0_0():
    address = lan_address()
    assert address not in ("0.0.0.0", "::")
    url = public_url("0.0.0.0", 8700)
    assert url.startswith("http://") and url.endswith(":8700") and "0.0.0.0" not in url
    try:
        assert not ipaddress.ip_address(address).is_loopback  # a network address when there is one ...
    except ValueError:
        pass  # ... or the machine's name


def test_the_loopback_is_localhost_and_a_named_host_stays():
    assert public_url("127.0.0.1", 8000) == "http://localhost:8000"
    assert public_url("10.0.0.5", 8001) == "http://10.0.0.5:8001"
    assert public_url("0.0.0.0", 8002, "https://class.example.org") == "https://class.example.org:8002"
    assert public_url("0.0.0.0", 8002, "http://lab-pc:9000") == "http://lab-pc:9000"
    assert public_url("0.0.0.0", 8003, "https://proxy.example/class") == "https://proxy.example:8003/class"


@pytest.mark.parametrize("url, words", [("lab-pc:8000", "give a web address"), ("http://0.0.0.0:8000", "not an address"),
                                        ("ftp://lab-pc", "give a web address"),
                                        ("http://lab-pc:port", "not a number")])
def test_a_public_url_a_browser_cannot_use_is_refused(url, words):
    with pytest.raises(WebError, match=words):
        checked_public_url(url)


def test_class_serve_takes_the_address_without_a_port():
    assert checked_public_url("http://10.0.0.5/", with_port=False) == "http://10.0.0.5"
    with pytest.raises(WebError, match="each team gets its own port"):
        checked_public_url("http://10.0.0.5:8000", with_port=False)
