"""The Xero sign-in asks for the attachments permission only when Autotask's PDF is attached (issue 24)."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit


def test_attachments_permission_asked_only_when_the_pdf_is_attached(flow, store):
    def scope(login):
        login.receiver.close()
        return parse_qs(urlsplit(login.url).query)["scope"][0]

    assert scope(flow.start_xero_login()) == ("offline_access accounting.invoices accounting.contacts "
                                              "accounting.settings.read")
    store.save_settings(store.settings().with_value("attach_autotask_pdf", "on"))
    assert scope(flow.start_xero_login()) == ("offline_access accounting.invoices accounting.contacts "
                                              "accounting.settings.read accounting.attachments")
