from datetime import timedelta

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_date

from .ess_sponsor import ACTIVE_STATES


class EssSponsorship(models.Model):
    """The designation of a sponsorship's sponsor by the pole (the five
    rules, a forced designation, the e-mails and the first activity), and
    the alerts when a rule stops holding during the sponsorship."""

    _inherit = "ess.sponsorship"

    def _candidates(self, sponsors=None, passing=False):
        self.ensure_one()
        return self.env["ess.sponsor"]._sponsorship_candidates(
            self.partner_id, self.company_id, sponsors=sponsors, passing=passing
        )

    def _designate(self, sponsor, justification=None, candidate=None):
        """Designate ``sponsor`` for this request.

        A sponsor that does not meet every rule (or is at its capacity) is
        a *forced* designation: only the pole's manager may make it, with a
        written justification, and it is flagged and written in the chatter.

        :param candidate: the rules of ``sponsor`` as already checked (see
            ``ess.sponsor._sponsorship_candidates``); checked again if not
        """
        self.ensure_one()
        env = self.env
        self._check_pole(env._("Only the sponsorship pole designates sponsors."))
        if self.state != "requested":
            raise UserError(
                env._(
                    "%(sponsorship)s already has a sponsor (%(sponsor)s) or is no longer "
                    "waiting for one: it cannot be designated twice.",
                    sponsorship=self.display_name,
                    sponsor=self.sponsor_partner_id.name or self._state_label(),
                )
            )
        if not sponsor:
            raise UserError(env._("Choose the sponsor to designate."))
        if sponsor.partner_id == self.partner_id:
            raise UserError(
                env._(
                    "%s cannot be its own sponsor: choose another organisation.",
                    self.partner_id.name,
                )
            )
        if sponsor.company_id != self.company_id:
            raise UserError(env._("The sponsor must volunteer in the network of the new member."))
        if not sponsor.active:
            raise UserError(
                env._(
                    "%s has withdrawn from the pool of sponsors: it can no longer be designated.",
                    sponsor.partner_id.name,
                )
            )
        if sponsor.is_paused:
            raise UserError(
                env._(
                    "%(sponsor)s has paused its sponsorships until %(date)s: it cannot be "
                    "designated before.",
                    sponsor=sponsor.partner_id.name,
                    date=format_date(env, sponsor.paused_until),
                )
            )
        if candidate is None:
            [candidate] = self._candidates(sponsors=sponsor)
        failed = candidate["rules"].failed()
        forced = not candidate["eligible"]
        justification = (justification or "").strip()
        if forced and not justification:
            raise UserError(
                env._(
                    "%s does not meet every rule of sponsorship: write why you designate it "
                    "anyway.",
                    sponsor.partner_id.name,
                )
            )
        report = self._rules_report(candidate)
        self.write(
            {
                "sponsor_id": sponsor.id,
                "state": "designated",
                "designation_date": fields.Datetime.now(),
                "designated_by_id": env.user.id,
                "forced": forced,
                "forced_justification": justification if forced else False,
                "designation_report": report,
                "designation_failed_rules": ",".join(failed) or False,
                "rule_alert": False,
                "rule_alert_reason": False,
            }
        )
        body = Markup("<p>%s</p>") % env._(
            "%(user)s designated %(sponsor)s as sponsor.",
            user=env.user.name,
            sponsor=sponsor.partner_id.name,
        )
        if forced:
            body += Markup("<p><strong>%s</strong> %s</p>") % (
                env._("Forced designation:"),
                justification,
            )
        self.message_post(body=body + report, subtype_xmlid="mail.mt_note")
        # the request's activities are done: designate it, and the alert of a
        # request that waited too long (a request has no other alert)
        self.activity_feedback(
            [
                "ess_network.mail_activity_type_sponsorship_designate",
                "ess_network.mail_activity_type_sponsorship_alert",
            ]
        )
        self._send_designation_mails()
        self._schedule_pole_activity(
            "ess_network.mail_activity_type_sponsorship_session",
            lambda s: s.env._("Plan the first session with %s", s.sponsor_partner_id.name),
            date=fields.Date.context_today(self) + timedelta(days=7),
            user=self.designated_by_id if not self.designated_by_id.share else None,
        )
        return True

    def _rules_report(self, candidate):
        """The rules of a candidate as a list, for the chatter and the record."""
        labels = self.env["ess.sponsor"]._rule_labels()
        items = Markup().join(
            Markup("<li>%s %s : %s</li>") % ("✔" if passes else "✘", labels[rule], reason)
            for rule, (passes, reason) in candidate["rules"].items()
        )
        if candidate["at_capacity"]:
            items += Markup("<li>✘ %s</li>") % self.env["ess.sponsor"]._load_sentence(candidate)
        return Markup("<ul>%s</ul>") % items

    def _send_designation_mails(self):
        for template in (
            "ess_network.mail_template_sponsorship_designated_sponsor",
            "ess_network.mail_template_sponsorship_designated_member",
        ):
            template = self.env.ref(template)
            for sponsorship in self:
                sponsorship.with_context(lang=None).message_post_with_source(
                    template,
                    subtype_xmlid="mail.mt_comment",
                    partner_ids=sponsorship._template_recipients(template).ids,
                )

    def _template_recipients(self, template):
        if template == self.env.ref("ess_network.mail_template_sponsorship_designated_sponsor"):
            persons = self.sponsor_person_ids or self.sponsor_partner_id
        else:
            persons = self.contact_ids or self.partner_id
        return persons.filtered("email")

    def _check_rules_still_hold(self):
        """Flag the sponsorships under way whose sponsor no longer meets a
        rule it met when designated, or has withdrawn from the pool, and
        ask the pole to look at them (once: the same reason again flags
        nothing more, and the pole's activity is not planned twice).

        The rules are read once per sponsor, for all the sponsorships it
        leads at once."""
        today = fields.Date.context_today(self)
        Sponsor = self.env["ess.sponsor"]
        under_way = self.sudo().filtered(lambda s: s.state in ACTIVE_STATES and s.sponsor_id)
        flagged = {}
        for sponsor, sponsorships in under_way.grouped("sponsor_id").items():
            by_member = Sponsor._sponsorship_candidates_many(
                sponsorships.partner_id, sponsor.company_id, sponsors=sponsor
            )
            for sponsorship in sponsorships:
                [candidate] = by_member[sponsorship.partner_id.id]
                reasons = []
                if not sponsor.active:
                    reasons.append(
                        self.env._(
                            "%s has withdrawn from the pool of sponsors.",
                            sponsor.partner_id.name,
                        )
                    )
                already = set((sponsorship.designation_failed_rules or "").split(","))
                rules = candidate["rules"]
                reasons += [rules[rule][1] for rule in rules.failed() if rule not in already]
                reason = "\n".join(reasons)
                if reasons and reason != sponsorship.rule_alert_reason:
                    flagged[sponsorship] = reasons
        if flagged:
            self._flag_rule_alerts(flagged, today)

    @api.model
    def _flag_rule_alerts(self, flagged, today):
        """Flag each sponsorship of ``flagged`` (``{sponsorship: reasons}``),
        say why in its chatter and plan the pole's activities, together."""
        for sponsorship, reasons in flagged.items():
            sponsorship.write({"rule_alert": True, "rule_alert_reason": "\n".join(reasons)})
            sponsorship.message_post(
                body=Markup("<p>%s</p><ul>%s</ul>")
                % (
                    self.env._("A rule of sponsorship no longer holds:"),
                    Markup().join(Markup("<li>%s</li>") % r for r in reasons),
                ),
                subtype_xmlid="mail.mt_note",
            )
        notes = {sponsorship.id: reasons for sponsorship, reasons in flagged.items()}
        self.browse([sponsorship.id for sponsorship in flagged]).sudo()._schedule_pole_activity(
            "ess_network.mail_activity_type_sponsorship_alert",
            lambda s: s.env._("Sponsorship to review: a rule no longer holds"),
            note=lambda s: Markup("<p>%s</p>") % Markup("<br/>").join(notes[s.id]),
            date=today,
        )

    def action_clear_rule_alert(self):
        """The pole has reviewed the alert and keeps the sponsor."""
        self.write({"rule_alert": False})
        self.activity_feedback(["ess_network.mail_activity_type_sponsorship_alert"])

    def action_designate(self):
        """Open the designation wizard with its candidates already listed
        (the wizard is created first, so that its lines are there when it
        opens)."""
        self.ensure_one()
        wizard = self.env["ess.sponsorship.designate"].create({"sponsorship_id": self.id})
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Designate a sponsor"),
            "res_model": "ess.sponsorship.designate",
            "res_id": wizard.id,
            "view_mode": "form",
            "target": "new",
            "context": {"dialog_size": "extra-large"},
        }
