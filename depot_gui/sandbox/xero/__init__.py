"""The simulated Xero: Accounting API resources (invoices, credit notes, contacts, accounts, payments, tracking) and identity."""
