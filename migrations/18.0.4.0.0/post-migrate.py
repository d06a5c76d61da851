"""18.0.4.0.0, after the update: the adhesion funnel dates each stage reached.

A membership file now stores the day its first integration meeting was
scheduled (``meeting_scheduled_date``, new), and every stage written
directly (as by the kanban) is dated. Existing files get the day they
entered each stage from their history: the first change of their stage to
it in the chatter (``mail.tracking.value``, whose stage labels are matched
in every language installed). A meeting scheduled before the history was
kept is dated by the creation of its calendar event. Only empty dates are
filled."""

import logging

from odoo import SUPERUSER_ID, api

_logger = logging.getLogger(__name__)

# the stage entered and the field holding its day
STAGE_DATES = {
    "presentation": "presentation_date",
    "meeting": "meeting_scheduled_date",
    "signature": "meeting_held_date",
    "member": "member_since",
}


def _stage_labels(cr, stage):
    """Every label of ``stage`` in every language: tracking values hold the
    label in the language of whom made the change."""
    cr.execute(
        """
        SELECT DISTINCT label.value
          FROM ir_model_fields_selection sel
          JOIN ir_model_fields f ON f.id = sel.field_id
         CROSS JOIN LATERAL jsonb_each_text(sel.name) AS label
         WHERE f.model = 'ess.membership' AND f.name = 'state' AND sel.value = %s
        """,
        [stage],
    )
    return [row[0] for row in cr.fetchall()]


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    filled = 0
    for stage, column in STAGE_DATES.items():
        labels = _stage_labels(cr, stage)
        if not labels:
            continue
        cr.execute(
            f"""
            UPDATE ess_membership m
               SET {column} = t.first_date
              FROM (
                    SELECT msg.res_id, MIN(msg.date)::date AS first_date
                      FROM mail_tracking_value v
                      JOIN mail_message msg ON msg.id = v.mail_message_id
                      JOIN ir_model_fields f ON f.id = v.field_id
                     WHERE msg.model = 'ess.membership'
                       AND f.model = 'ess.membership' AND f.name = 'state'
                       AND v.new_value_char = ANY(%s)
                     GROUP BY msg.res_id
              ) t
             WHERE t.res_id = m.id AND m.{column} IS NULL
            """,
            [labels],
        )
        filled += cr.rowcount
    # meetings scheduled before their history was kept: the event's creation
    cr.execute(
        """
        UPDATE ess_membership m
           SET meeting_scheduled_date = e.create_date::date
          FROM calendar_event e
         WHERE e.id = m.meeting_event_id AND m.meeting_scheduled_date IS NULL
        """
    )
    filled += cr.rowcount
    env["ess.membership"].invalidate_model()
    _logger.info("adhesion funnel: %s stage dates filled from the files' history", filled)
