from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from .ess_sponsor import MAX_CAPACITY


class EssSponsor(models.Model):
    """A member organisation's volunteer profile on its portal: volunteer,
    change it, pause, withdraw and come back."""

    _inherit = "ess.sponsor"

    def _compute_access_url(self):  # pylint: disable=missing-return
        super()._compute_access_url()
        for sponsor in self:
            sponsor.access_url = "/my/sponsor"

    @api.model
    def _portal_profile(self, organisation):
        """The volunteer profile of ``organisation``, withdrawn or not, read
        with sudo; empty when it never volunteered."""
        return (
            self.sudo()
            .with_context(active_test=False)
            .search([("partner_id", "=", organisation.id)], order="active desc, id desc", limit=1)
        )

    @api.model
    def _portal_check_profile(self, values, organisation, company):
        """The errors of the typed ``values`` of a volunteer profile of
        ``organisation`` in the network ``company``, by form field."""
        env = self.env
        errors = {}
        if "person_ids" in values:
            persons = env["ess.sponsorship"]._portal_persons(organisation)
            if not set(values["person_ids"]) <= set(persons.ids):
                errors["person_ids"] = env._(
                    "Choose the sponsor persons among the people of your organisation."
                )
            elif not values["person_ids"]:
                errors["person_ids"] = env._(
                    "Name at least one person of your organisation who will meet the new members."
                )
        if "capacity" in values:
            capacity = values["capacity"]
            if capacity is None or not 1 <= capacity <= MAX_CAPACITY:
                errors["capacity"] = env._(
                    "Enter a whole number from %(minimum)s to %(maximum)s.",
                    minimum=1,
                    maximum=MAX_CAPACITY,
                )
        if "module_ids" in values:
            modules = env["ess.sponsorship"]._portal_modules(company)
            if not set(values["module_ids"]) <= set(modules.ids):
                errors["module_ids"] = env._("Choose modules in the list.")
        if values.get("paused_until") and values["paused_until"] < fields.Date.context_today(self):
            errors["paused_until"] = env._(
                "A pause ends on a date to come: leave it empty when your organisation is "
                "available."
            )
        return errors

    @api.model
    def _portal_volunteer(self, user, values):
        """Create or update the volunteer profile of ``user``'s
        organisation from typed ``values``, bringing it back to the pool when
        it had withdrawn; nothing is written when a value is refused.

        :param dict values: the values the member gave (all of them for a
            new profile): ``person_ids`` (ids of persons of the
            organisation, one at least), ``capacity`` (int), ``module_ids``
            (ids of modules of its network; none: every module),
            ``paused_until`` (a date to come, or False), ``note`` (text or
            False)
        :return: ``(profile, errors)``: the profile (with sudo) and the
            errors by form field (``form`` for the whole form)
        """
        organisation = user.commercial_partner_id
        if not user.share or not organisation.is_company:
            raise AccessError(
                self.env._("Only the users of a member organisation volunteer as sponsors.")
            )
        profile = self._portal_profile(organisation)
        is_member = organisation.sudo().ess_member_state == "member"
        if not is_member and not profile.active:
            return profile, {
                "form": self.env._("Only a member organisation can volunteer as a sponsor.")
            }
        company = profile.company_id or organisation.sudo().ess_membership_id.company_id
        errors = self._portal_check_profile(values, organisation, company)
        if errors:
            return profile, errors
        vals = {
            name: [Command.set(sorted(value))] if name in ("person_ids", "module_ids") else value
            for name, value in values.items()
        }
        if not profile:
            try:
                with self.env.cr.savepoint():
                    profile = (
                        self.with_user(user)
                        .sudo()
                        .with_context(mail_create_nolog=True)
                        .create({"partner_id": organisation.id, "company_id": company.id, **vals})
                    )
                    profile._portal_post_changes(
                        user, self.env._("Volunteered through the portal by %s.", user.name)
                    )
            except (UserError, ValidationError) as error:
                return self.sudo().browse(), {"form": str(error.args[0])}
            return self.sudo().browse(profile.id), {}
        changes = {
            name: vals[name]
            for name in self._portal_differences(
                profile,
                {
                    name: sorted(value) if name in ("person_ids", "module_ids") else value
                    for name, value in values.items()
                },
            )
        }
        if not profile.active:
            changes.update(active=True, withdrawal_date=False, withdrawal_reason=False)
            intro = self.env._("Back in the pool of sponsors through the portal by %s.", user.name)
        else:
            intro = self.env._("Volunteer profile updated through the portal by %s.", user.name)
        if not changes:
            return profile, {}
        labels = [
            self._fields[name].get_description(self.env)["string"]
            for name in changes
            if name not in ("active", "withdrawal_date", "withdrawal_reason")
        ]
        errors = profile._portal_write(
            user,
            {profile: changes},
            post=lambda record: record._portal_post_changes(
                user, intro, labels, tracked=list(changes)
            ),
        )
        return profile, errors

    def _portal_withdraw(self, user, reason):
        """Withdraw from the pool, as ``user`` of the organisation, with the
        reason (text); the sponsorships it leads are flagged for the pole.

        :return: the errors by form field; empty when done
        """
        self.ensure_one()
        self._portal_check_organisation(user)
        if not self.active:
            return {"form": self.env._("Your organisation has already withdrawn from the pool.")}
        if not reason:
            return {"withdrawal_reason": self.env._("Write why your organisation withdraws.")}
        return self._portal_write(
            user,
            {
                self: {
                    "active": False,
                    "withdrawal_date": fields.Date.context_today(self),
                    "withdrawal_reason": reason,
                }
            },
            post=lambda record: record._portal_post_changes(
                user,
                self.env._("Withdrawn from the pool through the portal by %s.", user.name),
                [reason],
                tracked=("active",),
            ),
        )
