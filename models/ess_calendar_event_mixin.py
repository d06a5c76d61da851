from odoo import api, fields, models
from odoo.exceptions import ValidationError


class EssCalendarEventMixin(models.AbstractModel):
    """A record that keeps a calendar event in line with itself: a
    sponsorship session, a sponsors' meeting, a club meeting…

    The model says what the event holds (``_event_values``) and which of its
    fields change it (``_event_fields``); creating or writing those fields
    creates or updates the event, without mailing its attendees; a
    cancelled record's event is archived (and comes back if the record is
    planned again)."""

    _name = "ess.calendar.event.mixin"
    _description = "Record kept in line with a calendar event"

    # the fields whose change updates the event; ``state`` cancels it
    _event_fields = ("name", "start", "duration", "state")
    # the value of ``state`` whose event is archived
    _event_cancelled_state = "cancelled"
    # the longest a meeting lasts, in hours (its ``duration``), when the
    # model has no rule of its own
    _event_max_hours = None

    event_id = fields.Many2one(
        "calendar.event", "Calendar event", copy=False, ondelete="set null", readonly=True
    )

    def _event_values(self):
        """The values of this record's calendar event (``name``, ``start``,
        ``stop``, ``partner_ids``…)."""
        raise NotImplementedError

    @api.constrains("duration")
    def _check_event_duration(self):
        if self._event_max_hours is None:
            return
        for record in self:
            if not 0 < record.duration <= self._event_max_hours:
                raise ValidationError(
                    self.env._(
                        "A meeting lasts more than 0 and at most %s hours.", self._event_max_hours
                    )
                )

    def _event_is_cancelled(self):
        return self.state == self._event_cancelled_state

    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        records._sync_events()
        return records

    def write(self, vals):
        res = super().write(vals)
        if set(self._event_fields) & set(vals):
            self._sync_events()
        return res

    def _sync_events(self):
        """Keep each record's calendar event in line with it: created or
        updated from ``_event_values``, archived when the record is
        cancelled; the attendees get no mail."""
        Event = (
            self.env["calendar.event"]
            .sudo()
            .with_context(
                no_mail_to_attendees=True,
                mail_create_nolog=True,
                mail_notrack=True,
                tracking_disable=True,
                active_test=False,
            )
        )
        for record in self.sudo():
            event = Event.browse(record.event_id.id)
            if record._event_is_cancelled():
                if event.active:
                    event.active = False
                continue
            values = record._event_values()
            if event:
                if not event.active:
                    values["active"] = True
                event.write(values)
            else:
                record.event_id = Event.create(values)
