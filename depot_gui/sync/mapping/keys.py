"""Where the mapping is kept: the setting keys, and the contact-matching rules the user chooses from."""

K_MAPPING_ACCOUNTS = "mapping.accounts"  # JSON {"<billing code id>": "<Xero account code>"}
K_MAPPING_TAX_TYPES = "mapping.tax_types"  # JSON {"<Autotask rate, e.g. 10>": "<Xero TaxType>"}
# JSON {"category": "<Xero tracking category>", "options": {"<association id>": "<option name>"}}
K_MAPPING_TRACKING = "mapping.tracking"
# The rules (setting `contact_match`) in the words the Settings dialog and the setup wizard both show.
CONTACT_RULES = {
    "name_or_account_number": "Name or account number",
    "name": "Name",
    "account_number": "Account number",
}


def tenant_key(key: str, tenant: str | None) -> str:
    """The setting key of ``key`` for one organisation's own mapping (``key`` itself for the saved one)."""
    return f"{key}@{tenant.lower()}" if tenant else key
