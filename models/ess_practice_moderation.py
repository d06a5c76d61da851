from markupsafe import Markup

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError

from ..tools import inputs

MODERATION_ACTIVITY = "ess_network.mail_activity_type_practice_moderation"
TEMPLATE_PUBLISHED = "ess_network.mail_template_practice_published"
TEMPLATE_RETURNED = "ess_network.mail_template_practice_returned"
REVIEW_COMMENT_LIMIT = 5000
# What a sheet says: changing one of them on a returned sheet sends it back
# to moderation (or to draft when the staff take it over).
CONTENT_FIELDS = frozenset(
    {
        "name",
        "description",
        "theme_id",
        "domain_id",
        "kind_ids",
        "keyword_ids",
        "attachment_ids",
        "image_1920",
        "source_named",
    }
)


class EssPracticeModeration(models.Model):
    """The moderation of the library's sheets.

    A sheet is written (draft), then **proposed** by a member organisation
    (from the portal) or by the staff: the proposer's contact follows it and
    the staff member who follows the sheet (else the network's responsible
    for requests) gets an activity to moderate it. The staff **publish** it
    (members read it in the library) or **return** it with a required
    comment. A returned sheet that its organisation changes goes back to
    moderation (proposed); one that the staff change goes back to draft.
    Publishing and returning e-mail the organisation's followers (in
    French), as an internal message: the other members reading the sheet
    never see who proposed it. Sheets are archived, never deleted."""

    _inherit = "ess.practice"

    # who proposed the sheet is a person of its source organisation: the
    # staff's to read, like the organisation itself (``partner_id``)
    proposed_by_id = fields.Many2one(groups="ess_network.group_ess_user")
    action_count = fields.Integer(
        "Actions inspired", compute="_compute_action_count", groups="ess_network.group_ess_user"
    )

    # ------------------------------------------------------------------ computes
    def _compute_action_count(self):
        counts = dict(
            self.env["ess.action"]._read_group(
                [("practice_id", "in", self.ids)], ["practice_id"], ["__count"]
            )
        )
        for practice in self:
            practice.action_count = counts.get(practice, 0)

    # ---------------------------------------------------------------------- CRUD
    def write(self, vals):
        if CONTENT_FIELDS.intersection(vals) and "state" not in vals:
            returned = self.filtered(lambda p: p.state == "returned")
            if returned:
                result = super().write(vals)
                if self.env.user.share:
                    returned._moderation_resubmit()
                else:
                    returned.write({"state": "draft"})
                return result
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        """History is never lost: a sheet is archived, not deleted (only
        a draft never proposed may go)."""
        if self.filtered(lambda p: p.state != "draft" or p.date_proposed):
            raise UserError(
                self.env._(
                    "A sheet that was proposed or published cannot be deleted: archive it instead."
                )
            )

    # ------------------------------------------------------------------- helpers
    def _check_staff(self):
        """Publishing, returning and taking back are the staff's."""
        if not (self.env.su or self.env.user.has_group("ess_network.group_ess_user")):
            raise AccessError(self.env._("Only the network's staff moderate the library."))

    def _not_in_state(self, allowed):
        """The titles of the sheets of ``self`` not in a state of
        ``allowed``, quoted, for a message; empty when all are."""
        wrong = self.filtered(lambda p: p.state not in allowed)
        return ", ".join(f"“{name}”" for name in wrong.mapped("name"))

    def _moderation_responsible(self):
        """Who moderates this sheet: the staff member who follows it, else
        the network's responsible for requests (settings), else one of its
        administrators."""
        self.ensure_one()
        if self.user_id and not self.user_id.share and self.user_id.active:
            return self.user_id
        company = self.company_id or self.env.company
        return self.env["ess.membership"]._default_request_user(company)

    def _moderation_recipients(self):
        """The followers of this sheet of its source organisation: the
        contacts of the organisation that proposed it (subscribed when they
        proposed it)."""
        self.ensure_one()
        source = self.sudo().partner_id
        if not source:
            return self.env["res.partner"]
        followers = self.sudo().message_partner_ids
        return followers.filtered(lambda p: p.commercial_partner_id == source)

    def _moderation_schedule(self):
        """An activity for the moderator of each sheet (once)."""
        activity_type = self.env.ref(MODERATION_ACTIVITY, raise_if_not_found=False)
        for practice in self:
            responsible = practice._moderation_responsible()
            if not responsible or not activity_type:
                continue
            if practice.sudo().activity_ids.filtered(
                lambda a, t=activity_type: a.activity_type_id == t
            ):
                continue
            practice.sudo().activity_schedule(
                MODERATION_ACTIVITY,
                user_id=responsible.id,
                summary=self.env._("Moderate the sheet “%s”", practice.name),
            )

    def _moderation_done(self, feedback):
        self.sudo().activity_feedback([MODERATION_ACTIVITY], feedback=feedback)

    def _moderation_note(self, body):
        """Say ``body`` in the chatter, as an internal note (the source
        organisation is not to be read by other members)."""
        for practice in self:
            practice.message_post(
                body=body, message_type="notification", subtype_xmlid="mail.mt_note"
            )

    def _moderation_mail(self, xmlid):
        """E-mail the source organisation's followers of each sheet with the
        template ``xmlid`` (written in French): an internal message,
        addressed to them only."""
        template = self.env.ref(xmlid, raise_if_not_found=False)
        if not template:
            return
        for practice in self:
            recipients = practice._moderation_recipients()
            if recipients:
                messages = practice.message_post_with_source(
                    template,
                    message_type="comment",
                    subtype_xmlid="mail.mt_note",
                    partner_ids=[Command.set(recipients.ids)],
                )
                # a note already; and hidden from every portal reader
                messages.sudo().is_internal = True

    def _moderation_resubmit(self):
        """A returned sheet its organisation changed: back to moderation."""
        self.write({"state": "proposed", "date_proposed": fields.Datetime.now()})
        self._moderation_note(
            Markup("<p>%s</p>")
            % self.env._("Changed by its organisation after it was returned: to moderate again.")
        )
        self._moderation_schedule()

    # ------------------------------------------------------------------- actions
    def action_propose(self):
        """Propose the sheets (draft or returned) for publication: the staff
        or a member (the portal calls it as the member, with sudo) submit
        them. The proposer follows the sheet; its moderator gets an
        activity. Sheets proposed already are left as they are (calling it
        twice does no harm); a published one is refused."""
        if wrong := self._not_in_state(("draft", "returned", "proposed")):
            raise UserError(self.env._("A published sheet cannot be proposed again: %s.", wrong))
        # proposed already (a returned sheet its organisation just changed
        # comes back to moderation by itself): nothing more to do
        self = self.filtered(lambda p: p.state != "proposed")
        if not self:
            return True
        for practice in self:
            if not inputs.comparable(practice.name or ""):
                raise UserError(self.env._("Give the sheet a title before proposing it."))
            if not inputs.comparable((practice.description and str(practice.description)) or ""):
                raise UserError(
                    self.env._(
                        "Write the text of the sheet “%s” before proposing it.", practice.name
                    )
                )
        user = self.env.user
        self.write(
            {
                "state": "proposed",
                "proposed_by_id": user.id,
                "date_proposed": fields.Datetime.now(),
            }
        )
        self.sudo().message_subscribe(partner_ids=user.partner_id.ids)
        self._moderation_note(Markup("<p>%s</p>") % self.env._("Proposed by %s.", user.name))
        self._moderation_schedule()
        return True

    def action_publish(self):
        """Publish the sheets in the library; their organisation is told."""
        self._check_staff()
        if wrong := self._not_in_state(("draft", "proposed", "returned")):
            raise UserError(self.env._("These sheets are already published: %s.", wrong))
        self.write(
            {
                "state": "published",
                "date_published": fields.Date.context_today(self),
                "review_comment": False,
            }
        )
        self._moderation_done(self.env._("Published."))
        self._moderation_note(
            Markup("<p>%s</p>") % self.env._("Published in the library by %s.", self.env.user.name)
        )
        self._moderation_mail(TEMPLATE_PUBLISHED)
        return True

    def action_return(self, comment):
        """Return the proposed sheets to their organisation with
        ``comment`` (required: what to change)."""
        self._check_staff()
        try:
            comment = inputs.clean_text(
                self.env,
                comment,
                limit=REVIEW_COMMENT_LIMIT,
                multiline=True,
                required=True,
                label=self.env._("The comment"),
            )
        except inputs.InputError as error:
            raise UserError(
                self.env._("Say why the sheet is returned, what to change: %s", error.args[0])
            ) from None
        if wrong := self._not_in_state(("proposed",)):
            raise UserError(self.env._("Only a proposed sheet can be returned: %s.", wrong))
        self.write({"state": "returned", "review_comment": comment})
        self._moderation_done(self.env._("Returned."))
        self._moderation_note(
            Markup("<p>%s</p><blockquote>%s</blockquote>")
            % (self.env._("Returned to its organisation by %s:", self.env.user.name), comment)
        )
        self._moderation_mail(TEMPLATE_RETURNED)
        return True

    def action_open_return(self):
        """The wizard that asks the comment of a return."""
        self._check_staff()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Return the sheet"),
            "res_model": "ess.practice.return",
            "view_mode": "form",
            "target": "new",
            "context": {"default_practice_ids": [Command.set(self.ids)]},
        }

    def action_draft(self):
        """Take published or returned sheets back to draft (out of the
        library) to rework them."""
        self._check_staff()
        if wrong := self._not_in_state(("published", "returned", "proposed")):
            raise UserError(self.env._("These sheets are drafts already: %s.", wrong))
        self.write({"state": "draft"})
        self._moderation_done(self.env._("Taken back to draft."))
        self._moderation_note(
            Markup("<p>%s</p>") % self.env._("Taken back to draft by %s.", self.env.user.name)
        )
        return True

    def action_view_actions(self):
        """The actions of action plans inspired by this sheet."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("ess_network.ess_action_action")
        action.update(
            domain=[("practice_id", "=", self.id)],
            context={"default_practice_id": self.id},
            name=self.env._("Actions inspired by “%s”", self.name),
        )
        return action
