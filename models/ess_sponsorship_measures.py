from odoo import models
from odoo.tools import SQL

# The delays of a sponsorship, each with the date without which it does not
# exist yet: a request still waiting has no "days to designation" (stored as
# 0, as every empty integer), which must not pull the average down.
DELAYS = {
    "days_to_designation": "designation_date",
    "days_to_first_session": "first_session_date",
}
AGGREGATES = {"avg": "AVG", "sum": "SUM", "min": "MIN", "max": "MAX"}


class EssSponsorship(models.Model):
    _inherit = "ess.sponsorship"

    def _read_group_select(self, aggregate_spec, query):
        """A delay is aggregated (averaged…) over the sponsorships it
        applies to only: in the pivot and graph views as in any group."""
        select = super()._read_group_select(aggregate_spec, query)
        fname, _sep, func = aggregate_spec.partition(":")
        if fname not in DELAYS or func not in AGGREGATES:
            return select
        return SQL(
            "%s(CASE WHEN %s IS NOT NULL THEN %s END)",
            SQL(AGGREGATES[func]),
            self._field_to_sql(self._table, DELAYS[fname], query),
            self._field_to_sql(self._table, fname, query),
        )
