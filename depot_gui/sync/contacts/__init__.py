"""Contacts: which Xero contact each Autotask company goes to, chosen on purpose."""
