"""AutotaskClient: retries, back-off, error mapping, and secrets never leaking into errors."""

from __future__ import annotations

import httpx2
import pytest
from autotask_stubs import CREDS, HOST, SECRET, make_client, page, reply

from depot_gui.autotask import (
    AutotaskAuthError,
    AutotaskError,
    AutotaskNetworkError,
    AutotaskPermissionError,
    AutotaskProtocolError,
    AutotaskQueryError,
    AutotaskRateLimited,
    AutotaskServerError,
    AutotaskZoneError,
)


def sequence(*answers):
    """Handler returning the given answers in order (exceptions are raised); zone lookups 404."""
    queue = list(answers)

    def handler(req):
        if "zoneInformation" in req.url.path:
            return reply(404, text="no")
        item = queue.pop(0)
        if isinstance(item, Exception):
            raise item
        return item

    return handler


def entity_requests(client):
    return [r for r in client.rec.requests if "zoneInformation" not in r.url.path]


def test_429_honours_retry_after():
    client = make_client(
        sequence(reply(429, {"errors": ["slow down"]}, {"Retry-After": "7"}), reply(body=page([{"id": 1}])))
    )
    assert client.query("Invoices", []) == [{"id": 1}]
    assert client.sleeps == [7.0]
    assert client.waits == [("Waiting for Autotask rate limit", 7.0)]
    assert client.calls == 2


def test_gateway_errors_back_off_exponentially():
    client = make_client(
        sequence(reply(503, text="down"), reply(502, text="bad"), reply(504, text="x"), reply(body=page([])))
    )
    assert client.query("Invoices", []) == []
    assert client.sleeps == [1.0, 2.0, 4.0]


def test_backoff_is_capped_at_60_seconds():
    client = make_client(sequence(*[reply(503, text="down")] * 9, reply(body=page([]))), max_attempts=10)
    client.query("Invoices", [])
    assert client.sleeps == [1, 2, 4, 8, 16, 32, 60, 60, 60]


def test_thread_limit_error_is_retried():
    thread_error = {
        "errors": [
            "Thread Threshold Exceeded - The Autotask API thread threshold of 3 threads has been exceeded. Itgenatr005"
        ]
    }
    client = make_client(sequence(reply(500, thread_error), reply(body=page([{"id": 2}]))))
    assert client.query("Invoices", []) == [{"id": 2}]
    assert client.waits[0][0] == "Waiting for Autotask thread limit"


def test_rate_limit_gives_up_after_max_attempts():
    client = make_client(sequence(*[reply(429, {"errors": ["limit"]})] * 5))
    with pytest.raises(AutotaskRateLimited):
        client.query("Invoices", [])
    assert client.calls == 5 and len(client.sleeps) == 4


def test_huge_retry_after_is_not_slept():
    client = make_client(sequence(reply(429, {"errors": ["limit"]}, {"Retry-After": "3600"})))
    with pytest.raises(AutotaskRateLimited):
        client.query("Invoices", [])
    assert client.sleeps == []


@pytest.mark.parametrize(
    ("answer", "error", "phrase"),
    [
        (
            reply(401, {"errors": ["Unauthorized"]}),
            AutotaskAuthError,
            "check the username, secret and integration code",
        ),
        (reply(500, {"errors": ["IntegrationCode is invalid."]}), AutotaskAuthError, "integration code"),
        (reply(403, {"errors": ["Forbidden"]}), AutotaskPermissionError, "security level"),
        (
            reply(
                500,
                {
                    "errors": [
                        "The logged in Resource does not have the adequate permissions to query this entity type."
                    ]
                },
            ),
            AutotaskPermissionError,
            "security level",
        ),
        (
            reply(500, {"errors": ["Unable to find foo in the Invoice Entity."]}),
            AutotaskQueryError,
            "Unable to find foo",
        ),
        (reply(400, {"errors": ["bad value"]}), AutotaskQueryError, "bad value"),
        (reply(200, text="<html>not json"), AutotaskProtocolError, "could not understand"),
        (reply(200, text='{"items": [1, 2'), AutotaskProtocolError, "could not understand"),
    ],
)
def test_error_mapping_without_retry(answer, error, phrase):
    client = make_client(sequence(answer, answer))
    with pytest.raises(error) as info:
        client.query("Invoices", [])
    assert phrase in info.value.user_message
    assert len(entity_requests(client)) == 1
    assert client.sleeps == []


def test_network_error_on_read_is_retried_then_reported():
    fail = httpx2.ConnectError("[Errno 111] Connection refused")
    client = make_client(sequence(fail, fail, fail), max_attempts=3)
    with pytest.raises(AutotaskNetworkError) as info:
        client.query("Invoices", [])
    assert info.value.user_message.startswith(f"Could not reach Autotask at {HOST}: ")
    assert info.value.user_message.endswith("Check the internet connection or proxy.")
    assert client.calls == 3


def test_network_error_then_success():
    client = make_client(sequence(httpx2.ReadTimeout("timed out"), reply(body=page([{"id": 3}]))))
    assert client.query("Invoices", []) == [{"id": 3}]
    assert client.waits[0][0] == "Autotask did not answer; retrying"


def test_network_error_on_patch_is_not_retried():
    client = make_client(sequence(httpx2.ReadTimeout("timed out"), reply(body={"itemId": 1})))
    with pytest.raises(AutotaskNetworkError):
        client.patch("Invoices", {"id": 1, "webServiceDate": "2024-05-31T00:00:00"})
    assert client.calls == 1


def test_gateway_error_on_patch_is_not_retried():
    client = make_client(sequence(reply(503, text="down"), reply(body={"itemId": 1})))
    with pytest.raises(AutotaskServerError):
        client.patch("Invoices", {"id": 1})
    assert client.calls == 1


def _all_failures():
    """One (answer, expected error class) per error type the client can raise."""
    leak = f"echo of {SECRET}"
    return [
        (reply(401, {"errors": [leak]}), AutotaskAuthError),
        (reply(500, {"errors": ["IntegrationCode is invalid " + SECRET]}), AutotaskAuthError),
        (reply(500, {"errors": ["Zone information could not be determined " + SECRET]}), AutotaskZoneError),
        (reply(403, {"errors": [leak]}), AutotaskPermissionError),
        (reply(429, {"errors": [leak]}, {"Retry-After": "99999"}), AutotaskRateLimited),
        (reply(503, text=leak), AutotaskServerError),
        (reply(500, {"errors": [leak]}), AutotaskQueryError),
        (reply(200, text=leak), AutotaskProtocolError),
        (
            reply(200, {"items": [], "pageDetails": {"nextPageUrl": "https://elsewhere.test/x?" + SECRET}}),
            AutotaskProtocolError,
        ),
        (httpx2.ConnectError(leak), AutotaskNetworkError),
        (httpx2.ConnectError("SSL: CERTIFICATE_VERIFY_FAILED " + SECRET), AutotaskNetworkError),
    ]


@pytest.mark.parametrize(("answer", "error"), _all_failures())
def test_secret_never_in_errors(answer, error):
    client = make_client(sequence(*[answer] * 5), max_attempts=1)
    with pytest.raises(AutotaskError) as info:
        client.query("Invoices", [])
    exc = info.value
    assert type(exc) is error
    assert client.rec.requests[0].headers["Secret"] == SECRET
    for text in (str(exc), repr(exc), exc.user_message, exc.detail, str(exc.args)):
        assert SECRET not in text
    assert exc.user_message.endswith(".")
    assert SECRET not in repr(client) and SECRET not in repr(CREDS) and SECRET not in str(CREDS)


def test_a_sandbox_on_this_computer_that_does_not_answer_is_not_blamed_on_the_internet():
    """The demo's sandbox (a child process on 127.0.0.1) gone: the advice is about it, not the network."""
    from depot_gui.autotask._mapping import network_error
    from depot_gui.xero._mapping import transport_error

    refused = httpx2.ConnectError("[Errno 111] Connection refused")
    at = network_error(refused, "http://127.0.0.1:41235/atservicesrest/v1.0/Invoices/query", lambda t: t)
    assert at.user_message == ("Could not reach Autotask at 127.0.0.1: [Errno 111] Connection refused. It is a "
                               "sandbox on this computer: start the sandbox again (the demo: restart Depot GUI).")
    xero = transport_error(refused, "http://localhost:41235/api.xro/2.0/Invoices", write=False, scrub=lambda t: t)
    assert xero.user_message == ("Could not reach Xero at localhost: [Errno 111] Connection refused. It is a "
                                 "sandbox on this computer: start the sandbox again (the demo: restart Depot GUI).")
    remote = network_error(refused, "https://webservices6.autotask.net/atservicesrest/v1.0/Invoices", lambda t: t)
    assert remote.user_message.endswith("Connection refused. Check the internet connection or proxy.")
