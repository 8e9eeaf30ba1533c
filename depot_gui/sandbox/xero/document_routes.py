"""Xero invoices and credit notes: the ``/Invoices`` and ``/CreditNotes`` resources."""

from __future__ import annotations

from depot_gui.sandbox.http.messages import Request, Response
from depot_gui.sandbox.xero.contacts import ContactBook
from depot_gui.sandbox.xero.document_rules import Kind, Org, build_document, numbers_of, render_document
from depot_gui.sandbox.xero.wire import TRUE, element_error, not_found, simple_error


class XeroDocuments:
    """Invoices / CreditNotes (mixed into :class:`~.xero_api.XeroAPI`)."""

    def unitdp(self, req: Request) -> int:
        """4 when ``unitdp=4`` was asked for, else 2."""
        return 4 if (req.arg("unitdp", ci=True) or "") == "4" else 2

    def documents(self, req: Request, kind: Kind, sub: str | None, books: dict, now, here: tuple) -> Response:
        """Invoices / CreditNotes: list, get, create (PUT), create-or-update (POST), update (POST /{id}).

        A write names each record it changes on ``req.changed`` (``here``: the tenant's place)."""
        docs = books[kind.plural]
        dp = self.unitdp(req)
        by_id = {c["ContactID"].lower(): c for c in books["Contacts"]}
        render = lambda d, summary=False: render_document(kind, d, dp, by_id, summary)  # noqa: E731
        if req.method == "GET":
            if sub is not None:
                found = self.find_doc(kind, docs, sub)
                if found is None:
                    return not_found()
                return Response.json(200, self.envelope(kind.plural, [render(found)], now))
            rows = list(docs)
            for param, key in (("IDs", kind.id_key), (f"{kind.number_key}s", kind.number_key)):
                wanted = self.csv(req, param)
                if wanted is not None:
                    rows = [d for d in rows if str(d.get(key, "")).lower() in wanted]
            contacts = self.csv(req, "ContactIDs")
            if contacts is not None:
                rows = [d for d in rows if d.get("Contact") and d["Contact"]["ContactID"].lower() in contacts]
            statuses = self.csv(req, "Statuses")
            if statuses is not None:
                rows = [d for d in rows if d["Status"].lower() in statuses]
            term = req.arg("searchTerm", ci=True)
            if term:
                rows = [d for d in rows if term.lower() in str(d.get(kind.number_key) or "").lower()
                        or term.lower() in str(d.get("Reference") or "").lower()]
            rows = self.modified_since(req, rows)
            rows = self.filter_where(req, rows, lambda d: dict(render(d), Date=d.get("Date"),
                                                                DueDate=d.get("DueDate")))
            rows = self.order(req, rows, render)
            rows, pagination = self.page(req, rows)
            summary = (req.arg("summaryOnly", ci=True) or "").lower() in TRUE
            extra = {"pagination": pagination} if pagination else None
            return Response.json(200, self.envelope(kind.plural, [render(d, summary) for d in rows], now, extra))
        if req.method not in ("PUT", "POST"):
            return simple_error(405, 0, "MethodNotAllowed", f"{req.method} is not supported on {kind.plural}.")
        elements, bad = self.elements(req, kind.plural)
        if bad:
            return bad
        if sub is not None:
            if req.method != "POST":
                return simple_error(405, 0, "MethodNotAllowed", f"Use POST to update {kind.plural}.")
            target = self.find_doc(kind, docs, sub)
            if target is None:
                return not_found()
            elements = elements[:1]
            if isinstance(elements[0], dict):
                elements[0] = dict(elements[0])
                elements[0][kind.id_key] = target[kind.id_key]
        book = ContactBook(books, now)
        results, failures = [], []
        req.changed.append(here + ("counters",))  # a new document may take the next number
        numbers = numbers_of(kind, docs)
        for el in elements:
            existing = None
            if isinstance(el, dict) and req.method == "POST":
                if el.get(kind.id_key):
                    existing = self.find_doc(kind, docs, str(el[kind.id_key]))
                    if existing is None:
                        msg = f"{kind.id_key} '{el[kind.id_key]}' could not be found."
                        failures.append(element_error(el, [msg]))
                        results.append(element_error(el, [msg]))
                        continue
                elif el.get(kind.number_key):
                    existing = next((d for d in docs if d.get("Type") == el.get("Type", d.get("Type"))
                                     and str(d.get(kind.number_key, "")).lower() == str(el[kind.number_key]).lower()
                                     and d["Status"] != "DELETED"), None)
            elif isinstance(el, dict) and req.method == "PUT" and el.get(kind.id_key):
                if self.find_doc(kind, docs, str(el[kind.id_key])) is not None:
                    msg = f"{kind.id_key} '{el[kind.id_key]}' already exists; use POST to update it."
                    failures.append(element_error(el, [msg]))
                    results.append(element_error(el, [msg]))
                    continue
            org = Org(books, now, unitdp=dp, options=self.options)
            doc, errs, new_contact = build_document(kind, el, existing, org, docs, book, numbers)
            if errs:
                echo = render(doc) if doc else (el if isinstance(el, dict) else {})
                failures.append(element_error(echo, errs))
                results.append(element_error(echo, errs))
                continue
            if new_contact is not None:
                books["Contacts"].append(new_contact)
                by_id[new_contact["ContactID"].lower()] = new_contact
                req.changed.append(here + ("Contacts", len(books["Contacts"]) - 1))
            if doc["Type"] in ("ACCREC", "ACCRECCREDIT") and doc["Status"] != "DRAFT":
                c = book.by_id(doc["Contact"]["ContactID"])
                if c is not None and not c.get("IsCustomer"):
                    c["IsCustomer"] = True
                    req.changed.append(here + ("Contacts", index_of(books["Contacts"], c)))
            if existing is None:
                docs.append(doc)
                numbers.setdefault(str(doc.get(kind.number_key, "")).lower(), []).append(doc)
                req.changed.append(here + (kind.plural, len(docs) - 1))
            else:
                req.changed.append(here + (kind.plural, index_of(docs, existing)))
                existing.clear()
                existing.update(doc)
                doc = existing
                numbers = numbers_of(kind, docs)  # its number may have changed
            results.append(render(doc))
        return self.write_result(req, kind.plural, results, failures, now)

    @staticmethod
    def find_doc(kind: Kind, docs: list[dict], ref: str) -> dict | None:
        """A document by id, or by number."""
        low = ref.lower()
        return (next((d for d in docs if d[kind.id_key].lower() == low), None)
                or next((d for d in docs if str(d.get(kind.number_key, "")).lower() == low
                         and d["Status"] != "DELETED"), None))


def index_of(records: list[dict], record: dict) -> int:
    """Where ``record`` itself is in ``records`` (by identity: an equal record is another one)."""
    return next(i for i, r in enumerate(records) if r is record)
