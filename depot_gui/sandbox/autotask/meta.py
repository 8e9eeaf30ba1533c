"""What the simulated Autotask knows about its entities: fields, types, picklists, capabilities."""

from __future__ import annotations

from decimal import Decimal

from depot_gui.sandbox.clock import is_iso_datetime

# Standard entities (served even when the scenario has no rows) and their documented fields.
FIELDS = {
    "Invoices": "id:long batchID:integer comments:string companyID:integer createDateTime:datetime "
                "creatorResourceID:integer dueDate:datetime fromDate:datetime toDate:datetime "
                "invoiceDateTime:datetime invoiceEditorTemplateID:integer invoiceNumber:string "
                "invoiceTotal:double isVoided:boolean orderNumber:string paidDate:datetime "
                "paymentTerm:integer taxGroup:integer taxRegionName:string totalTaxValue:double "
                "voidedByResourceID:integer voidedDate:datetime webServiceDate:datetime "
                "invoiceStatus:integer invoiceTaxMethodExternalCode:string",
    "BillingItems": "id:long accountManagerWhenApprovedID:integer billingCodeID:integer taxCategoryID:integer "
                    "billingItemType:integer subType:integer companyID:integer configurationItemID:long "
                    "contractBlockID:integer contractChargeID:long contractID:integer "
                    "contractServiceAdjustmentID:long contractServiceBundleAdjustmentID:long "
                    "contractServiceBundleID:long contractServiceBundlePeriodID:long contractServiceID:long "
                    "contractServicePeriodID:long description:string expenseItemID:long extendedPrice:double "
                    "internalCurrencyExtendedPrice:double internalCurrencyRate:double "
                    "internalCurrencyTaxDollars:double internalCurrencyTotalAmount:double invoiceID:integer "
                    "itemApproverID:integer itemDate:datetime itemName:string lineItemFullDescription:string "
                    "lineItemGroupDescription:string lineItemID:long milestoneID:long nonBillable:integer "
                    "organizationalLevelAssociationID:integer ourCost:double postedDate:datetime "
                    "postedOnTime:datetime projectChargeID:long projectID:integer purchaseOrderNumber:string "
                    "quantity:double rate:double roleID:integer serviceBundleID:long serviceID:long "
                    "sortOrderID:long taskID:integer taxDollars:double ticketChargeID:long ticketID:integer "
                    "timeEntryID:long totalAmount:double vendorID:long webServiceDate:datetime",
    "Companies": "id:long companyName:string companyNumber:string companyType:integer isActive:boolean "
                 "parentCompanyID:integer currencyID:integer taxRegionID:integer isTaxExempt:boolean taxID:string "
                 "invoiceTemplateID:integer invoiceMethod:integer invoiceEmailMessageID:integer "
                 "invoiceNonContractItemsToParentCompany:boolean billToAddressToUse:integer billToAttention:string "
                 "billingAddress1:string billingAddress2:string billToCity:string billToState:string "
                 "billToZipCode:string billToCountryID:integer address1:string address2:string city:string "
                 "state:string postalCode:string countryID:integer phone:string webAddress:string",
    "BillingCodes": "id:long name:string description:string billingCodeType:integer useType:integer "
                    "externalNumber:string generalLedgerAccount:integer taxCategoryID:integer unitPrice:double "
                    "unitCost:double isActive:boolean department:integer afterHoursWorkType:integer",
    "TaxCategories": "id:long name:string description:string isActive:boolean",
    "Taxes": "id:long taxRegionID:integer taxCategoryID:integer taxName:string taxRate:double isCompounded:boolean",
    "TaxRegions": "id:long name:string isActive:boolean",
    "PaymentTerms": "id:long name:string description:string paymentDueInDays:integer isActive:boolean",
    "Resources": "id:long userName:string email:string firstName:string lastName:string isActive:boolean "
                 "licenseType:integer resourceType:string userType:integer locationID:integer",
    "OrganizationalLevel1s": "id:long name:string description:string isActive:boolean",
    "OrganizationalLevel2s": "id:long name:string description:string isActive:boolean",
    "OrganizationalLevelAssociations": "id:long organizationalLevel1ID:integer organizationalLevel2ID:integer isActive:boolean",
    "OrganizationalResources": "id:long resourceID:integer organizationalLevelAssociationID:integer",
    "Currencies": "id:long name:string description:string displaySymbol:string exchangeRate:double "
                  "isActive:boolean isInternalCurrency:boolean currencyNegativeFormat:string "
                  "currencyPositiveFormat:string lastModifiedDateTime:datetime updateResourceID:integer",
    "Contracts": "id:long companyID:integer billToCompanyID:integer billToCompanyContactID:integer "
                 "contractName:string contractNumber:string contractType:integer contractCategory:integer "
                 "status:integer startDate:datetime endDate:datetime billingPreference:integer "
                 "organizationalLevelAssociationID:integer purchaseOrderNumber:string setupFee:double "
                 "setupFeeBillingCodeID:integer",
}
STANDARD_ENTITIES = tuple(FIELDS)
# Entities whose rows carry a line of business the API user may not see (scenario.md).
LOB_ENTITIES = ("BillingItems", "Contracts")
# Fields that exist but cannot be used in a filter (the real API errors).
NON_QUERYABLE = {
    "Invoices": {"dueDate", "taxRegionID"},
    "BillingItems": {"lineItemFullDescription", "lineItemGroupDescription"},
}
# The only fields the sandbox lets an API user change.
WRITABLE = {"Invoices": {"webServiceDate"}, "BillingItems": {"webServiceDate"}}
# Invoices.paidDate: probably writable (reference 3.1, uncertain); option autotask_paid_date_writable.
DATE_ONLY = {"Invoices": {"paidDate"}}


def writable(entity: str, options: dict) -> set[str] | None:
    """The fields of ``entity`` an API user may change under these options (None: no updates)."""
    fields = WRITABLE.get(entity)
    if fields is None:
        return None
    if entity == "Invoices" and options.get("autotask_paid_date_writable", True):
        return fields | {"paidDate"}
    return set(fields)
# (canCreate, canUpdate, canDelete) per entity; others default to query-only.
_CAPS = {
    "Invoices": (False, True, False), "BillingItems": (False, True, False),
    "Companies": (True, True, False), "BillingCodes": (False, False, False),
    "TaxCategories": (True, True, False), "Taxes": (True, True, False), "TaxRegions": (True, True, False),
    "PaymentTerms": (True, True, False), "Resources": (False, True, False),
    "OrganizationalLevel1s": (True, True, False), "OrganizationalLevel2s": (True, True, False),
    "OrganizationalLevelAssociations": (True, True, False), "OrganizationalResources": (False, False, False),
    "Contracts": (True, True, False), "Currencies": (False, True, False),
}
REQUIRED = {"Invoices": {"invoiceDateTime"}, "BillingItems": {"billingItemType", "subType", "nonBillable"}}
REFERENCES = {
    "companyID": "Companies", "invoiceID": "Invoices", "billingCodeID": "BillingCodes",
    "taxCategoryID": "TaxCategories", "taxRegionID": "TaxRegions", "paymentTerm": "PaymentTerms",
    "resourceID": "Resources", "organizationalLevelAssociationID": "OrganizationalLevelAssociations",
    "organizationalLevel1ID": "OrganizationalLevel1s", "organizationalLevel2ID": "OrganizationalLevel2s",
    "contractID": "Contracts", "creatorResourceID": "Resources", "currencyID": "Currencies",
}
# Picklist labels captured from a live tenant (reference §3.2); numeric codes are assigned in
# list order (uncertain on a real tenant, which is why clients must read them from here).
_BILLING_ITEM_TYPES = ["Labor", "Project Cost", "Ticket Cost", "Expense", "Subscription", "Setup Fee",
                       "Recurring Services", "Recurring Services Adjustment", "Recurring Service Bundle",
                       "Recurring Service Bundle Adjustment", "Milestone", "Contract Block",
                       "Contract Retainer", "Contract Cost", "Contract Incident"]
_BILLING_SUB_TYPES = ["Labor", "Milestone Labor", "Project Cost Deductions", "Project Cost",
                      "Ticket Cost Deductions", "Ticket Cost", "Expense", "Expense Deductions", "Subscription",
                      "Subscription Cost", "Setup Fee", "Recurring Services", "Recurring Services Adjustment",
                      "Recurring Service Bundle", "Recurring Service Bundle Adjustment", "Milestones",
                      "Block Purchase", "Retainer Purchase"]
PICKLISTS = {
    ("BillingItems", "billingItemType"): _BILLING_ITEM_TYPES,
    ("BillingItems", "subType"): _BILLING_SUB_TYPES,
    ("Resources", "licenseType"): ["Full", "Time and Attendance Only", "Dashboard User", "Co-Managed Help Desk",
                                   "Co-Managed Help Desk Plus", "Help Desk", "API User", "Project Contributor"],
}


def infer_type(value: object) -> str | None:
    """Autotask dataType for a JSON value (None for null)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, Decimal):
        return "double"
    if isinstance(value, str):
        return "datetime" if is_iso_datetime(value) and "T" in value else "string"
    return "string"


class EntityMeta:
    """Field list and capabilities of one entity, from the documented fields plus the data."""

    def __init__(self, name: str, rows: list[dict], picklist_overrides: dict | None = None) -> None:
        self.name = name
        self.types: dict[str, str] = {}
        for spec in FIELDS.get(name, "id:long").split():
            field, typ = spec.split(":")
            self.types[field] = typ
        for row in rows:
            for key, value in row.items():
                if key == "userDefinedFields":
                    continue
                if key not in self.types or self.types[key] == "string" and infer_type(value) == "datetime":
                    t = infer_type(value)
                    if t is not None:
                        self.types[key] = t
                    elif key not in self.types:
                        self.types[key] = "string"
        self.by_lower = {k.lower(): k for k in self.types}
        self.udf_names = sorted({u["name"] for r in rows for u in r.get("userDefinedFields", []) or []})
        self.picklists: dict[str, list[dict]] = {}
        for (ent, field), labels in PICKLISTS.items():
            if ent == name:
                self.picklists[field] = [{"value": str(i), "label": lab} for i, lab in enumerate(labels, 1)]
        for field, values in (picklist_overrides or {}).items():
            self.picklists[field] = [{"value": str(v["value"]), "label": v.get("label", str(v["value"]))}
                                     for v in values]
        # values present in the data but absent from the label list still get an entry
        for field, values in self.picklists.items():
            known = {v["value"] for v in values}
            for row in rows:
                v = row.get(field)
                if v is not None and str(v) not in known:
                    known.add(str(v))
                    values.append({"value": str(v), "label": f"{field} {v}"})

    def field(self, name: str) -> str | None:
        """Canonical field name for a case-insensitive ``name`` (None when unknown)."""
        return self.by_lower.get(str(name).lower())

    def queryable(self, field: str) -> bool:
        """Whether ``field`` may appear in a filter."""
        return field not in NON_QUERYABLE.get(self.name, set())

    def info(self, restricted: bool) -> dict:
        """The ``entityInformation`` ``info`` object for the calling API user."""
        create, update, delete = _CAPS.get(self.name, (False, False, False))
        access = "Restricted" if restricted else "All"
        return {
            "name": self.name,
            "canCreate": create, "canDelete": delete, "canQuery": True, "canUpdate": update,
            "hasUserDefinedFields": bool(self.udf_names) or self.name in ("Companies", "Contracts"),
            "supportsWebhookCallouts": self.name in ("Companies", "Contracts", "Resources"),
            "userAccessForCreate": access if create else "None",
            "userAccessForDelete": access if delete else "None",
            "userAccessForQuery": access,
            "userAccessForUpdate": access if update else "None",
        }

    def fields(self, options: dict | None = None) -> list[dict]:
        """The ``entityInformation/fields`` list (``isReadOnly`` under the sandbox options)."""
        can_write = writable(self.name, options or {}) or set()
        out = []
        for name, typ in self.types.items():
            pick = self.picklists.get(name)
            ref = REFERENCES.get(name)
            out.append({
                "name": name,
                "dataType": typ,
                "length": 0 if typ != "string" else 100,
                "isRequired": name in REQUIRED.get(self.name, set()) or name == "id",
                "isReadOnly": name == "id" or name not in can_write,
                "isQueryable": self.queryable(name),
                "isReference": ref is not None,
                "referenceEntityType": ref or "",
                "isPickList": pick is not None,
                "picklistValues": [
                    {"value": v["value"], "label": v["label"], "isDefaultValue": False, "sortOrder": i,
                     "parentValue": "", "isActive": True, "isSystem": True}
                    for i, v in enumerate(pick)
                ] if pick is not None else None,
                "picklistParentValueField": "",
                "isSupportedWebhookField": False,
            })
        return out
