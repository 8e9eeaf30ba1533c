"""First-run setup, UI-agnostic: the flow state, validation, verification steps, saving, CLI.

The Qt wizard (``depot_gui.ui.wizard``) and ``depot-sync connect`` both drive this module.
Network steps are plain functions taking plain inputs and returning plain results (they never
raise for the failures a user can fix); ``SetupFlow`` holds what the user chose and decides
which page comes next. Secrets go to the keyring only (``SecretStore``), never to the store.

One module per step: ``common`` (constants, ``Page``, ``Endpoints``, ``keyring_problem``),
``autotask_step``, ``lob_step``, ``xero_step``, ``mapping_step``, ``flow`` (``SetupFlow``), ``jobs``
(``Job``, ``Tagged``, ``XeroSignIn``, the flow's new tokens and token store) and ``commit``
(``SetupCommit``, which ``SetupFlow.commit`` uses); ``depot-sync connect`` lives in the CLI. Everything is re-exported here; a test that monkeypatches a
name must patch the submodule that looks it up.
"""

from __future__ import annotations

from depot_gui.sync.setup.autotask_step import AutotaskCheck, describe_autotask_error, validate_autotask_input, verify_autotask
from depot_gui.sync.setup.common import (
    AUTOTASK_USER_PATH,
    BIND_HOST,
    CONTACT_RULES,
    DEFAULT_CALLBACK_PORT,
    K_MAPPING_ACCOUNTS,
    K_MAPPING_TAX_TYPES,
    K_MAPPING_TRACKING,
    REDIRECT_HOST,
    Endpoints,
    Page,
    keyring_problem,
)
from depot_gui.sync.setup.flow import Job, SetupFlow, Tagged, XeroSignIn
from depot_gui.sync.setup.lob_step import LobVerdict, check_lines_of_business, lob_fix_steps, security_fix_steps
from depot_gui.sync.mapping.mapping_step import (
    MappingChoice,
    MappingData,
    load_mapping_data,
    load_mapping_overrides,
    mapping_settings,
    rate_key,
    save_mapping,
)
from depot_gui.sync.mapping.tracking_step import proposed_option
from depot_gui.sync.setup.xero_step import Organisation, XeroLogin, fetch_organisations, sandbox_browser, xero_problem_message

__all__ = [
    "AutotaskCheck", "Endpoints", "LobVerdict", "MappingData", "MappingChoice", "Organisation", "Page",
    "SetupFlow", "XeroLogin", "Job", "Tagged", "XeroSignIn", "K_MAPPING_ACCOUNTS", "K_MAPPING_TAX_TYPES", "K_MAPPING_TRACKING",
    "CONTACT_RULES",
    "check_lines_of_business", "describe_autotask_error", "fetch_organisations",
    "keyring_problem", "load_mapping_data", "proposed_option", "load_mapping_overrides", "sandbox_browser", "verify_autotask",
]
