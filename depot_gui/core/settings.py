"""Every user setting declared once: key, type, default, label, parser."""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from datetime import date
from decimal import ROUND_DOWN, Decimal, InvalidOperation
from typing import Any, Callable, Iterable


class SettingError(ValueError):
    """A setting key or value the user gave is not acceptable (``key`` names it when known)."""

    key: str = ""


MAX_TOLERANCE = Decimal("1000000")  # the Settings dialog's widgets take exactly these ranges
MAX_FRESH_MINUTES = 24 * 60


def _decimal_non_negative(text: str) -> Decimal:
    try:
        if not str(text).isascii():  # Decimal() reads other scripts' digits; a stored amount is plain 0-9
            raise InvalidOperation
        value = Decimal(str(text).strip())
    except InvalidOperation:
        raise SettingError(f"{text!r} is not a number; use a value like 3.00") from None
    if not value.is_finite() or value < 0 or value > MAX_TOLERANCE:
        raise SettingError("the maximum rounding difference (tolerance) must be an amount from 0.00 to 1,000,000.00, like 3.00")
    if value != value.quantize(Decimal("0.01"), rounding=ROUND_DOWN):
        raise SettingError(f"{text!r} has more than 2 decimals; money is compared to the cent")
    return value.quantize(Decimal("0.01")).copy_abs()  # -0 is 0.00 (only 0 passes the sign check)


def _on_off(text: str) -> bool:
    t = str(text).strip().lower()
    if t in ("on", "true", "yes", "1"):
        return True
    if t in ("off", "false", "no", "0"):
        return False
    raise SettingError(f"{text!r} is not on or off")


def _choice(*allowed: str) -> Callable[[str], str]:
    def parse(text: str) -> str:
        t = str(text).strip().upper()
        if t not in allowed:
            raise SettingError(f"{text!r} must be one of: {', '.join(a.lower() for a in allowed)}")
        return t

    return parse


def _text(text: str) -> str:
    return str(text).strip()


# Status of new Xero invoices: what the user may type (Xero's names too) -> Xero's status.
STATUS_WORDS = {"draft": "DRAFT", "submitted": "SUBMITTED", "awaiting_approval": "SUBMITTED",
                "authorised": "AUTHORISED", "authorized": "AUTHORISED", "approved": "AUTHORISED"}

# Xero's status -> the word `settings show` prints (the words `settings set` asks for).
STATUS_SHOWN = {"DRAFT": "draft", "SUBMITTED": "awaiting_approval", "AUTHORISED": "approved"}

# The words both UIs show for the status of new Xero invoices (Settings, the setup wizard), with its value.
XERO_STATUS_CHOICES = (("Draft (review in Xero before approving)", "draft"),
                       ("Awaiting approval (submitted)", "awaiting_approval"), ("Approved (authorised)", "approved"))
NUMBERING_CHOICES = (("Autotask's number", "autotask"), ("The prefix and Autotask's number", "autotask_prefix"),
                     ("Xero's own sequence", "xero"))
SEND_CHOICES = (("Off (finance sends them)", "off"), ("Xero emails them, after you confirm", "email"),
                ("Only mark them as sent in Xero", "mark_sent"))


def _xero_status(text: str) -> str:
    word = "_".join(str(text).strip().lower().replace("-", " ").split())
    if word not in STATUS_WORDS:
        raise SettingError(f"{text!r} must be one of: draft, awaiting_approval (Xero: submitted), "
                           "approved (Xero: authorised)")
    return STATUS_WORDS[word]


MAX_NUMBER_PREFIX = 10


def _number_prefix(text: str) -> str:
    """What goes before Autotask's number in Xero's InvoiceNumber: up to 10 printable characters, no spaces."""
    prefix = str(text).strip()
    if len(prefix) > MAX_NUMBER_PREFIX or any(not ch.isprintable() or ch.isspace() for ch in prefix):
        shown = prefix if len(prefix) <= 20 else prefix[:20] + "…"
        raise SettingError(f"{shown!r} is not a number prefix (up to {MAX_NUMBER_PREFIX} characters without "
                           "spaces, like AT-)")
    return prefix


MAX_ACCOUNT_CODE = 10  # Xero: "alpha numeric account code e.g 200 or SALES (max length = 10)"


def _account_code(required: bool) -> Callable[[str], str]:
    """A Xero account code as written: up to 10 characters; empty only where it means "Xero's own"."""

    def parse(text: str) -> str:
        code = str(text).strip()
        if not code and required:
            raise SettingError("an account code is needed; give a Xero account code like 200")
        if len(code) > MAX_ACCOUNT_CODE or any(not ch.isprintable() for ch in code):
            shown = code if len(code) <= 20 else code[:20] + "…"
            raise SettingError(f"{shown!r} is not a Xero account code (up to {MAX_ACCOUNT_CODE} letters or digits, "
                               "like 200)")
        return code

    return parse


def _minutes(text: str) -> int:
    try:
        if not str(text).isascii():  # int() reads other scripts' digits; minutes are plain 0-9
            raise ValueError
        value = int(str(text).strip())
    except ValueError:
        raise SettingError(f"{text!r} is not a whole number of minutes") from None
    if value < 0 or value > MAX_FRESH_MINUTES:
        raise SettingError(f"minutes must be between 0 and {MAX_FRESH_MINUTES}")
    return value


def _months(text: str) -> int:
    t = str(text).strip().lower()
    if t == "all":
        return 0
    try:
        value = int(t)
    except ValueError:
        raise SettingError(f"{text!r} is not a number of months (or 'all')") from None
    if value == 0:
        raise SettingError("0 months would audit no dates; give 1 to 120 months, or 'all' for every unsynced invoice")
    if not 1 <= value <= 120:
        raise SettingError("the audit period must be 1 to 120 months, or 'all'")
    return value


def audit_window(months: int, today: date) -> date | None:
    """The first day an unnamed audit covers: ``months`` back counting this month (None: no limit)."""
    if months <= 0:
        return None
    month_index = today.year * 12 + today.month - 1 - (months - 1)
    return date(month_index // 12, month_index % 12 + 1, 1)


@dataclass(frozen=True)
class SettingSpec:
    key: str
    label: str
    parse: Callable[[str], Any]
    show: Callable[[Any], str]
    help: str


SPECS: dict[str, SettingSpec] = {
    s.key: s
    for s in (
        SettingSpec(
            "tolerance",
            "Maximum rounding difference",
            _decimal_non_negative,
            lambda v: f"{v:.2f}",
            "An invoice whose Xero total differs from Autotask's by more than this is not synced.",
        ),
        SettingSpec(
            "service_adjustments",
            "Service adjustment support",
            _on_off,
            lambda v: "on" if v else "off",
            "Send lines with a negative quantity as quantity 1 at the line's total.",
        ),
        SettingSpec(
            "xero_status",
            "Status of new Xero invoices",
            _xero_status,
            lambda v: STATUS_SHOWN.get(v, v.lower()),
            "draft lets finance review invoices in Xero before approving them; awaiting_approval (Xero: submitted) "
            "waits for approval in Xero; approved (Xero: authorised) posts them to the ledger at once.",
        ),
        SettingSpec(
            "number_prefix",
            "Prefix before Autotask's invoice number",
            _number_prefix,
            str,
            "Used when numbering is autotask_prefix, e.g. AT- makes INV-5001 into AT-INV-5001.",
        ),
        SettingSpec(
            "numbering",
            "Xero invoice numbers",
            _choice("AUTOTASK", "AUTOTASK_PREFIX", "XERO"),
            lambda v: v.lower(),
            "autotask: Autotask's number; autotask_prefix: the prefix and Autotask's number; xero: Xero's own "
            "sequence (Autotask's number goes in Reference). Invoices already in Xero are never renumbered.",
        ),
        SettingSpec(
            "attach_autotask_pdf",
            "Attach Autotask's invoice PDF",
            _on_off,
            lambda v: "on" if v else "off",
            "Attach Autotask's PDF of each synced invoice to the Xero invoice (shown with the online invoice); "
            "needs Xero's attachments permission.",
        ),
        SettingSpec(
            "send_from_xero",
            "Send approved invoices from Xero",
            _choice("OFF", "EMAIL", "MARK_SENT"),
            lambda v: v.lower(),
            "off: leave sending to finance; email: Xero emails each approved invoice to its contact after you "
            "confirm; mark_sent: only mark them sent in Xero.",
        ),
        SettingSpec(
            "default_account",
            "Default sales account code",
            _account_code(required=True),
            str,
            "Used for billing codes without an external number.",
        ),
        SettingSpec(
            "rounding_account",
            "Rounding account code",
            _account_code(required=False),
            str,
            "Empty: the Xero account marked as the rounding system account.",
        ),
        SettingSpec(
            "contact_match",
            "Match Xero contacts by",
            _choice("NAME", "ACCOUNT_NUMBER", "NAME_OR_ACCOUNT_NUMBER"),
            lambda v: v.lower(),
            "How an Autotask company is found among Xero contacts.",
        ),
        SettingSpec(
            "exchange_rate",
            "Exchange rate of invoices in another currency",
            _choice("XERO", "AUTOTASK"),
            lambda v: v.lower(),
            "xero: Xero's rate of the day; autotask: the exchange rate of the currency in Autotask.",
        ),
        SettingSpec(
            "payments_back",
            "Payments back to Autotask",
            _on_off,
            lambda v: "on" if v else "off",
            "Read synced invoices' payment state from Xero and set Autotask's paid date when one is paid in full.",
        ),
        SettingSpec(
            "audit_months",
            "Audit invoices dated in the last (months, this one included)",
            _months,
            lambda v: str(v) if v else "all",
            "2 means this month and the previous one; 'all' audits every unsynced invoice, however old. "
            "Invoices named explicitly are always audited.",
        ),
        SettingSpec(
            "fresh_minutes",
            "Treat invoices younger than (minutes) as still attaching items",
            _minutes,
            str,
            "Autotask may still be attaching billing items to an invoice this new.",
        ),
    )
}


@dataclass(frozen=True)
class Settings:
    """The settings in force for an audit or sync."""

    tolerance: Decimal = Decimal("3.00")
    service_adjustments: bool = False
    xero_status: str = "DRAFT"
    number_prefix: str = ""
    numbering: str = "AUTOTASK"
    attach_autotask_pdf: bool = False
    send_from_xero: str = "OFF"
    default_account: str = "200"
    rounding_account: str = ""
    contact_match: str = "NAME_OR_ACCOUNT_NUMBER"
    fresh_minutes: int = 15
    payments_back: bool = True
    audit_months: int = 2
    exchange_rate: str = "XERO"

    def with_value(self, key: str, text: str) -> "Settings":
        """A copy with one setting parsed from user text (SettingError when invalid)."""
        spec = SPECS.get(key)
        if spec is None:
            raise SettingError(f"unknown setting {key!r}; known: {', '.join(SPECS)}")
        return replace(self, **{key: spec.parse(text)})

    def conflict(self, changed: Iterable[str]) -> SettingError | None:
        """Settings that do not go together, said about the key just ``changed`` (None when they do)."""
        if self.numbering == "AUTOTASK_PREFIX" and not self.number_prefix:
            if "numbering" in changed:
                error = SettingError("autotask_prefix needs a prefix: set number_prefix first (like AT-)")
                error.key = "numbering"
            else:
                error = SettingError("numbering is autotask_prefix, which needs a prefix: set numbering to "
                                     "autotask first to go without one")
                error.key = "number_prefix"
            return error
        return None

    def shown(self) -> dict[str, str]:
        """Each setting as the text `settings show` prints."""
        return {f.name: SPECS[f.name].show(getattr(self, f.name)) for f in fields(self)}

    @classmethod
    def from_texts(cls, texts: dict[str, str], *, strict: bool = False) -> "Settings":
        """Build from stored texts, ignoring unknown keys.

        A bad value keeps its default, or with ``strict`` raises SettingError whose ``key`` names it
        (a stored value that does not parse is reported, never silently replaced).
        """
        s = cls()
        for key, text in texts.items():
            if key in SPECS:
                try:
                    s = s.with_value(key, text)
                except SettingError as exc:
                    if strict:
                        exc.key = key
                        raise
                    continue
        return s
