"""18.0.2.0.0, before the models load: the reference data becomes per network.

The reference models (guide themes, domains, questions and steps, phase
checklist items, dialogue modes, employment areas) get an optional network
(``company_id``). Created here, empty, the column keeps every existing record
shared by every network, as all of them were: the ORM would otherwise fill it
with the default, the current company."""

from odoo.tools import sql

REFERENCE_TABLES = (
    "ess_guide_theme",
    "ess_guide_domain",
    "ess_guide_question",
    "ess_guide_step",
    "ess_phase_item",
    "ess_dialogue_mode",
    "ess_employment_area",
)


def migrate(cr, version):
    for table in REFERENCE_TABLES:
        if sql.table_exists(cr, table) and not sql.column_exists(cr, table, "company_id"):
            sql.create_column(cr, table, "company_id", "int4")
