"""The scheduled follow-up of sponsorships (seed 000, issue 9).

Four scheduled actions (data/ess_sponsorship_cron.xml), each run daily:

- ``ess.sponsorship._cron_waiting_requests``: a request still without a
  sponsor after the network's number of days is brought to the pole;
- ``ess.sponsorship._cron_idle_sponsorships``: a sponsorship with no session
  for the network's number of days: its sponsor is reminded by e-mail and the
  pole gets an activity;
- ``ess.sponsorship._cron_propose_end``: when every module chosen is done or
  has reached its guideline, the pole is asked to record the end;
- ``ess.sponsor.meeting._cron_sponsor_meetings``: a network with sponsors and
  no meeting of them planned in the coming months gets an activity to plan
  one; the persons invited to a meeting are reminded a few days before it.

How they work, the Odoo 18.0 way:

- **Idempotent.** What an action did is marked on the record
  (``wait_alert_date``, ``idle_alert_date``, ``end_proposed_date``,
  ``reminder_date``, the network's ``ess_sponsor_meeting_alert_date``), and
  the search of what is due leaves marked records out: a second run finds
  nothing, and a run that stopped half-way starts again where it stopped.
- **Batched.** Each call handles at most ``CRON_BATCH_SIZE`` records and tells
  the scheduler how many remain (``ir.cron._notify_progress``); the scheduler
  commits the batch, then calls the action again while some remain (ten
  batches a run, then again as soon as a worker is free). A batch writes its
  marks in the same transaction as its activities and e-mails: a failure
  loses the batch entirely or not at all. Called by hand (a shell, a
  benchmark, a test), an action handles every batch in the current
  transaction.
- **Queries do not grow with a batch.** What is due is found by one query;
  a batch's activities are created together (one search of those already
  planned, one create) and its e-mails are generated together
  (``mail.template.send_mail_batch``, which renders a batch of records at once
  and leaves each e-mail in the record's chatter).
- **The delays are the network's settings** (``res.company``, Settings >
  Sponsorship); a delay of 0 turns that follow-up off for the network.
"""

from datetime import timedelta

from markupsafe import Markup

from odoo import api, fields, models
from odoo.osv import expression
from odoo.tools import SQL, format_date

from ..tools.formats import format_number
from ..tools.scheduling import CRON_BATCH_SIZE, plan_activities, run_in_batches
from .ess_sponsor import ACTIVE_STATES


class ResCompany(models.Model):
    _inherit = "res.company"

    # what _cron_sponsor_meetings already did (so that a second run does nothing)
    ess_sponsor_meeting_alert_date = fields.Date(
        "Sponsors' meeting last asked for",
        readonly=True,
        help="When the pole was last asked to plan a meeting of the sponsors' network; it is "
        "asked again once a meeting has taken place since.",
    )


class EssSponsorship(models.Model):
    _inherit = "ess.sponsorship"

    # --------------------------------------------------- requests that wait
    @api.model
    def _cron_waiting_requests(self, batch_size=CRON_BATCH_SIZE):
        """Bring to the pole the requests waiting for a sponsor for more than
        their network's ``ess_sponsorship_wait_days`` days, once each."""
        today = fields.Date.context_today(self)
        companies = self.env["res.company"].sudo().search([("ess_sponsorship_wait_days", ">", 0)])
        if not companies:
            return 0
        waiting = self.sudo().search(
            [
                ("state", "=", "requested"),
                ("wait_alert_date", "=", False),
                *expression.OR(
                    [
                        [
                            ("company_id", "=", company.id),
                            (
                                "request_date",
                                "<",
                                today - timedelta(days=company.ess_sponsorship_wait_days),
                            ),
                        ]
                        for company in companies
                    ]
                ),
            ],
            order="request_date, id",
        )
        return run_in_batches(waiting, lambda batch: batch._alert_waiting(today), batch_size)

    def _alert_waiting(self, today):
        plan_activities(
            self.env.ref("ess_network.mail_activity_type_sponsorship_alert"),
            [(sponsorship, sponsorship._pole_user()) for sponsorship in self],
            lambda s: s.env._(
                "%(member)s has been waiting for a sponsor for %(days)s days",
                member=s.partner_id.name,
                days=(today - s.request_date).days,
            ),
            note=lambda s: Markup("<p>%s</p>")
            % s.env._(
                "Requested on %(date)s: designate its sponsor, or cancel the request with its "
                "reason.",
                date=format_date(s.env, s.request_date),
            ),
            date=today,
        )
        self.write({"wait_alert_date": today})

    # ----------------------------------------------- sponsorships without a session
    @api.model
    def _cron_idle_sponsorships(self, batch_size=CRON_BATCH_SIZE):
        """Remind the sponsor, and tell the pole, of each sponsorship under
        way with no session for its network's ``ess_sponsorship_idle_days``
        days: since the last session (held, or planned and not cancelled),
        else since the designation. A session planned in the future is
        activity: its sponsorship is not idle.

        Once per idle period: after an alert, a sponsorship is alerted again
        only when a session has moved its last activity and the delay has
        passed again since."""
        today = fields.Date.context_today(self)
        idle = self.sudo().browse(self._idle_sponsorship_ids(today))
        return run_in_batches(idle, lambda batch: batch._alert_idle(today), batch_size)

    @api.model
    def _idle_sponsorship_ids(self, today):
        """The ids of the sponsorships due for an idle alert on ``today``,
        in one query, whatever their number."""
        self.env["ess.sponsorship"].flush_model(
            ["state", "company_id", "designation_date", "idle_alert_date"]
        )
        self.env["ess.sponsorship.session"].flush_model(["sponsorship_id", "state", "start"])
        self.env["res.company"].flush_model(["ess_sponsorship_idle_days"])
        # the day the delay runs out: the last activity's day + the delay
        self.env.cr.execute(
            SQL(
                """
                SELECT sponsorship.id
                  FROM ess_sponsorship sponsorship
                  JOIN res_company company ON company.id = sponsorship.company_id
             LEFT JOIN LATERAL (
                       SELECT max(session.start) AS start
                         FROM ess_sponsorship_session session
                        WHERE session.sponsorship_id = sponsorship.id
                          AND session.state != 'cancelled'
                       ) last_session ON TRUE
            CROSS JOIN LATERAL (
                       SELECT greatest(sponsorship.designation_date, last_session.start)::date
                              + company.ess_sponsorship_idle_days AS day
                       ) idle_from
                 WHERE sponsorship.state IN %(states)s
                   AND company.ess_sponsorship_idle_days > 0
                   AND idle_from.day <= %(today)s
                   AND (sponsorship.idle_alert_date IS NULL
                        OR sponsorship.idle_alert_date < idle_from.day)
              ORDER BY idle_from.day, sponsorship.id
                """,
                states=ACTIVE_STATES,
                today=today,
            )
        )
        return [row[0] for row in self.env.cr.fetchall()]

    def _alert_idle(self, today):
        reminded = self.filtered(lambda s: s._idle_reminder_recipients())
        if reminded:
            self.env.ref("ess_network.mail_template_sponsorship_idle").send_mail_batch(reminded.ids)
        # an activity of the same type as "plan the first session": a new
        # session marks it done (see _session_started)
        plan_activities(
            self.env.ref("ess_network.mail_activity_type_sponsorship_session"),
            [(sponsorship, sponsorship._pole_user()) for sponsorship in self],
            lambda s: s.env._(
                "No session with %(sponsor)s for %(days)s days",
                sponsor=s.sponsor_partner_id.name,
                days=s.company_id.ess_sponsorship_idle_days,
            ),
            note=lambda s: Markup("<p>%s</p>")
            % (
                s.env._("The sponsor has been reminded by e-mail.")
                if s in reminded
                else s.env._("The sponsor has no e-mail address: contact it.")
            ),
            date=today,
        )
        self.write({"idle_alert_date": today})

    def _idle_reminder_recipients(self):
        """Who the idle reminder goes to: the sponsor's persons with an
        e-mail address, else the sponsor organisation (as its template
        says)."""
        self.ensure_one()
        return (self.sponsor_person_ids or self.sponsor_partner_id).filtered("email")

    # ------------------------------------------------------ proposing the end
    @api.model
    def _cron_propose_end(self, batch_size=CRON_BATCH_SIZE):
        """Ask the pole to record the end of each sponsorship under way whose
        chosen modules are all done or have reached their guideline hours,
        once. A sponsorship none of whose sessions was held is left out: its
        end could not be recorded (see ``_record_end``)."""
        today = fields.Date.context_today(self)
        finished = self.sudo().browse(self._finished_sponsorship_ids())
        return run_in_batches(finished, lambda batch: batch._propose_end(today), batch_size)

    @api.model
    def _finished_sponsorship_ids(self):
        self.env["ess.sponsorship"].flush_model(["state", "end_proposed_date", "last_session_date"])
        self.env["ess.sponsorship.module.line"].flush_model(
            ["sponsorship_id", "module_id", "done", "hours"]
        )
        self.env["ess.sponsorship.module"].flush_model(["guideline_hours"])
        self.env.cr.execute(
            SQL(
                """
                SELECT sponsorship.id
                  FROM ess_sponsorship sponsorship
                 WHERE sponsorship.state IN %(states)s
                   AND sponsorship.end_proposed_date IS NULL
                   AND sponsorship.last_session_date IS NOT NULL
                   AND EXISTS (
                       SELECT FROM ess_sponsorship_module_line line
                        WHERE line.sponsorship_id = sponsorship.id)
                   AND NOT EXISTS (
                       SELECT FROM ess_sponsorship_module_line line
                         JOIN ess_sponsorship_module module ON module.id = line.module_id
                        WHERE line.sponsorship_id = sponsorship.id
                          AND line.done IS NOT TRUE
                          AND coalesce(line.hours, 0) < module.guideline_hours)
              ORDER BY sponsorship.id
                """,
                states=ACTIVE_STATES,
            )
        )
        return [row[0] for row in self.env.cr.fetchall()]

    def _propose_end(self, today):
        plan_activities(
            self.env.ref("ess_network.mail_activity_type_sponsorship_end"),
            [(sponsorship, sponsorship._pole_user()) for sponsorship in self],
            lambda s: s.env._("Record the end of the sponsorship of “%s”?", s.partner_id.name),
            note=lambda s: Markup("<p>%s</p>")
            % s.env._(
                "Every module chosen is done or has reached its guideline (%(hours)s hours "
                "spent): record the end with the closing notes of both sides.",
                hours=format_number(s.env, s.hours_total),
            ),
            date=today,
        )
        self.write({"end_proposed_date": today})


class EssSponsorMeeting(models.Model):
    _inherit = "ess.sponsor.meeting"

    def write(self, vals):
        # a meeting moved to another date is reminded again before it
        if "start" in vals and "reminder_date" not in vals:
            vals = {**vals, "reminder_date": False}
        return super().write(vals)

    @api.model
    def _cron_sponsor_meetings(self, batch_size=CRON_BATCH_SIZE):
        """Ask the pole of each network with active sponsors and no meeting
        of them planned in its coming ``ess_sponsor_meeting_months`` months
        to plan one; remind the persons invited to a meeting planned within
        ``ess_sponsor_meeting_reminder_days`` days, once per meeting (and
        again if it is moved)."""
        today = fields.Date.context_today(self)
        now = fields.Datetime.now()
        self.sudo()._ask_for_meetings(today, now)
        companies = (
            self.env["res.company"].sudo().search([("ess_sponsor_meeting_reminder_days", ">", 0)])
        )
        if not companies:
            return 0
        coming = self.sudo().search(
            [
                ("state", "=", "planned"),
                ("reminder_date", "=", False),
                ("start", ">=", now),
                *expression.OR(
                    [
                        [
                            ("company_id", "=", company.id),
                            (
                                "start",
                                "<",
                                now + timedelta(days=company.ess_sponsor_meeting_reminder_days),
                            ),
                        ]
                        for company in companies
                    ]
                ),
            ],
            order="start, id",
        )
        return run_in_batches(coming, lambda batch: batch._remind_attendees(today), batch_size)

    def _remind_attendees(self, today):
        reminded = self.filtered(lambda meeting: meeting.attendee_ids.filtered("email"))
        if reminded:
            self.env.ref("ess_network.mail_template_sponsor_meeting_reminder").send_mail_batch(
                reminded.ids
            )
        self.write({"reminder_date": today})

    @api.model
    def _ask_for_meetings(self, today, now):
        """The networks' part of ``_cron_sponsor_meetings``, in the same few
        queries whatever the number of networks.

        The activity needs a record to be opened from: it is planned on the
        network's latest meeting (where the pole finds the last agenda and
        the persons invited, and plans the next one), or, for a network that
        never had one, on the network's own contact."""
        networks = (
            self.env["res.company"]
            .browse(
                [
                    company.id
                    for [company] in self.env["ess.sponsor"].sudo()._read_group([], ["company_id"])
                ]
            )
            .filtered(lambda c: c.ess_sponsor_meeting_months > 0 and c.ess_sponsorship_user_id)
        )
        if not networks:
            return
        self.flush_model(["company_id", "state", "start"])
        self.env.cr.execute(
            SQL(
                """
                SELECT company_id,
                       min(start) FILTER (WHERE state = 'planned' AND start >= %(now)s),
                       max(start) FILTER (WHERE start <= %(now)s),
                       (array_agg(id ORDER BY start DESC, id DESC))[1]
                  FROM ess_sponsor_meeting
                 WHERE company_id IN %(companies)s AND state != 'cancelled'
              GROUP BY company_id
                """,
                now=now,
                companies=tuple(networks.ids),
            )
        )
        meetings = {row[0]: row[1:] for row in self.env.cr.fetchall()}
        plans, months, asked_networks = [], {}, self.env["res.company"]
        for network in networks:
            next_start, last_start, latest_id = meetings.get(network.id, (None, None, None))
            if next_start and next_start <= fields.Datetime.add(
                now, months=network.ess_sponsor_meeting_months
            ):
                continue
            asked = network.ess_sponsor_meeting_alert_date
            # asked already, and no meeting has taken place since
            if asked and not (last_start and asked < last_start.date()):
                continue
            record = self.browse(latest_id) if latest_id else network.partner_id.sudo()
            plans.append((record, network.ess_sponsorship_user_id))
            months[record] = network.ess_sponsor_meeting_months
            asked_networks |= network
        if not plans:
            return
        plan_activities(
            self.env.ref("ess_network.mail_activity_type_sponsor_meeting"),
            plans,
            lambda record: record.env._(
                "Plan a meeting of the sponsors' network: none is planned in the next %s months",
                months[record],
            ),
            date=today,
        )
        asked_networks.sudo().ess_sponsor_meeting_alert_date = today
