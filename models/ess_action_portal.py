from markupsafe import Markup

from odoo import api, models
from odoo.exceptions import AccessError, UserError, ValidationError


class EssAction(models.Model):
    """An action of a member's action plan as its members work it from the
    portal: creating one in their plan, archiving it (never deleting it) and
    bringing it back.

    The controller turns what a member typed into typed values; these methods
    check again that every record named (pilot, guide year, theme, question)
    is the member's organisation's own, and write nothing when anything is
    refused."""

    _inherit = "ess.action"

    # ------------------------------------------------------------------ state
    def _portal_is_open(self):
        """An archived action is out of the plan: it no longer changes from
        the portal, but can be brought back."""
        return super()._portal_is_open() and self.active

    def _portal_closed_message(self):
        if self.active or self.guide_year_id.state == "closed":
            return super()._portal_closed_message()
        return self.env._("This action is archived: bring it back to change it.")

    # ---------------------------------------------------------------- choices
    @api.model
    def _portal_pilots(self, organisation):
        """The persons of ``organisation`` who may pilot its actions, read
        with sudo."""
        return self._organisation_persons(organisation)

    @api.model
    def _portal_guide_years(self, organisation):
        """The guide years of ``organisation`` a member may add actions to:
        those not closed, the latest first, read with sudo."""
        return (
            self.env["ess.guide.year"]
            .sudo()
            .search(
                [("partner_id", "=", organisation.id), ("state", "!=", "closed")],
                order="year desc, id desc",
            )
        )

    @api.model
    def _portal_theme_lines(self, guides):
        """The themes of ``guides`` an action may be about: all but those
        the organisation decided not to retain."""
        return guides.theme_line_ids.filtered(lambda t: t.decision != "not_retained")

    @api.model
    def _portal_question_lines(self, guides):
        """The questions and indicators of ``guides`` an action may be about:
        those the organisation treats, in a theme it did not set aside."""
        return guides.line_ids.filtered(
            lambda line: line.retained and line.theme_decision != "not_retained"
        )

    @api.model
    def _portal_check_links(self, vals, organisation):
        """The pilot, guide year, theme and question of ``vals`` must be ones
        a member of ``organisation`` may choose.

        :return: the errors by field name
        """
        errors = {}
        env = self.env
        if vals.get("pilot_id") and vals["pilot_id"] not in self._portal_pilots(organisation).ids:
            errors["pilot_id"] = env._("Choose the pilot among the people of your organisation.")
        guide = env["ess.guide.year"]
        if vals.get("guide_year_id"):
            guide = self._portal_guide_years(organisation).filtered(
                lambda g: g.id == vals["guide_year_id"]
            )
            if not guide:
                errors["guide_year_id"] = env._(
                    "Choose one of your organisation's guide years that is not closed."
                )
        theme_id, question_id = vals.get("theme_id"), vals.get("question_id")
        if (theme_id or question_id) and not guide and "guide_year_id" not in errors:
            errors["guide_year_id"] = env._(
                "Choose the guide year whose theme or question the action works on."
            )
        if theme_id and guide:
            if theme_id not in self._portal_theme_lines(guide).theme_id.ids:
                errors["theme_id"] = env._("Choose a theme of this guide year.")
        if question_id and guide:
            line = self._portal_question_lines(guide).filtered(
                lambda line: line.question_id.id == question_id
            )
            if not line:
                errors["question_id"] = env._(
                    "Choose a question or indicator this guide year works on."
                )
            elif theme_id and line.theme_id.id != theme_id and "theme_id" not in errors:
                errors["question_id"] = env._(
                    "This question or indicator belongs to another theme than the one chosen."
                )
        return errors

    # ------------------------------------------------------------------ create
    @api.model
    def _portal_create(self, vals, user):
        """Create an action in the action plan of the organisation of
        ``user``, a member, as they asked from the portal, and tell its
        chatter; nothing is written when anything is refused.

        :param dict vals: typed values by field name: ``name``,
            ``pilot_id``, ``date_start``, ``date_deadline``, ``budget``,
            ``description`` (HTML); optionally ``guide_year_id``,
            ``theme_id``, ``question_id`` (ids)
        :return: ``(action, errors)``: the action created (with sudo), or an
            empty recordset and the errors by field name (``form`` for the
            whole form)
        :raises AccessError: when ``user`` is not a member organisation's user
        """
        organisation = user.commercial_partner_id
        if not user.share or not organisation.is_company:
            raise AccessError(
                self.env._("Only the users of a member organisation can add actions to its plan.")
            )
        empty = self.env["ess.action"].sudo()
        vals = dict(vals)
        if "partner_id" in vals or "company_id" in vals:
            raise AccessError(self.env._("An action is created in your organisation's plan."))
        errors = self._portal_check_links(vals, organisation)
        errors.update(
            {
                name: message[:1].upper() + message[1:]
                for name, message in self._value_problems(vals).items()
                if name not in errors
            }
        )
        if errors:
            return empty, errors
        guide = self.env["ess.guide.year"].sudo().browse(vals.get("guide_year_id") or [])
        vals.update(
            partner_id=organisation.id,
            origin="guide" if guide else "other",
            user_id=guide.user_id.id,
        )
        try:
            with self.env.cr.savepoint():
                action = (
                    self.env["ess.action"]
                    .with_user(user)
                    .sudo()
                    .with_context(mail_create_nolog=True)
                    .create(vals)
                )
                action._portal_post_changes(
                    user, self.env._("Created through the portal by %s.", user.name)
                )
        except (UserError, ValidationError) as error:
            return empty, {"form": str(error.args[0])}
        return empty.browse(action.id), {}

    # ----------------------------------------------------------------- archive
    def _portal_archive(self, reason, user):
        """Archive this action (never delete it) as ``user``, a member, asked
        from the portal, giving ``reason`` in its chatter.

        :return: the errors by form field (``form``), empty when archived
        """
        self.ensure_one()
        errors = self._portal_check_open(user)
        if errors:
            return errors
        if not reason:
            return {"archive_reason": self.env._("Say why the action is archived.")}
        intro = Markup("%s<br/>%s") % (
            self.env._("Archived from the portal by %s.", user.name),
            self.env._("Reason: %s", reason),
        )
        return self._portal_write(
            user,
            {self: {"active": False}},
            post=lambda action: action._portal_post_changes(user, intro, tracked=["active"]),
        )

    def _portal_unarchive(self, user):
        """Bring this archived action back into the plan, as ``user``, a
        member, asked from the portal.

        :return: the errors by form field (``form``), empty when done
        """
        self.ensure_one()
        self._portal_check_organisation(user)
        if self.active:
            return {}
        if self.guide_year_id.state == "closed":
            return {"form": super()._portal_closed_message()}
        return self._portal_write(
            user,
            {self: {"active": True}},
            post=lambda action: action._portal_post_changes(
                user,
                self.env._("Brought back into the action plan from the portal by %s.", user.name),
                tracked=["active"],
            ),
        )
