from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError


class EssClub(models.Model):
    """A club is archived, never deleted: its working groups go with it."""

    _inherit = "ess.club"

    group_count = fields.Integer("Number of working groups", compute="_compute_group_count")

    def _compute_group_count(self):
        counts = dict(
            self.env["ess.club.group"]._read_group(
                [("club_id", "in", self.ids)], ["club_id"], ["__count"]
            )
        )
        for club in self:
            club.group_count = counts.get(club, 0)

    @api.constrains("participant_ids")
    def _check_participants_are_persons(self):
        for club in self:
            organisations = club.participant_ids.filtered("is_company")
            if organisations:
                raise ValidationError(
                    self.env._(
                        "%s: the participants are persons; add organisations as member "
                        "organisations.",
                        ", ".join(organisations.mapped("name")),
                    )
                )

    def write(self, vals):
        res = super().write(vals)
        if vals.get("active") is False:
            self.env["ess.club.group"].search([("club_id", "in", self.ids)]).write(
                {"active": False}
            )
        return res

    @api.ondelete(at_uninstall=False)
    def _unlink_never_with_history(self):
        if (
            self.with_context(active_test=False).meeting_ids
            or self.with_context(active_test=False).group_ids
        ):
            raise UserError(
                self.env._("A club with meetings or working groups is archived, not deleted.")
            )


class EssClubGroup(models.Model):
    _inherit = "ess.club.group"

    deliverable_count = fields.Integer("Number of deliverables", compute="_compute_counts")
    meeting_count = fields.Integer("Number of meetings", compute="_compute_counts")

    def _compute_counts(self):
        deliverables = dict(
            self.env["ess.club.deliverable"]._read_group(
                [("group_id", "in", self.ids), ("state", "!=", "cancelled")],
                ["group_id"],
                ["__count"],
            )
        )
        meetings = dict(
            self.env["ess.club.meeting"]._read_group(
                [("group_id", "in", self.ids)], ["group_id"], ["__count"]
            )
        )
        for group in self:
            group.deliverable_count = deliverables.get(group, 0)
            group.meeting_count = meetings.get(group, 0)

    @api.constrains("participant_ids")
    def _check_participants_are_persons(self):
        for group in self:
            organisations = group.participant_ids.filtered("is_company")
            if organisations:
                raise ValidationError(
                    self.env._(
                        "%s: the participants of a working group are persons, not organisations.",
                        ", ".join(organisations.mapped("name")),
                    )
                )

    @api.ondelete(at_uninstall=False)
    def _unlink_never_with_history(self):
        if self.meeting_ids or self.deliverable_ids:
            raise UserError(
                self.env._(
                    "A working group with meetings or deliverables is archived, not deleted."
                )
            )


class EssClubDeliverable(models.Model):
    """A deliverable's document, uploaded in the back end as a file: kept
    as an attachment of the deliverable (members of the group download it
    from the portal)."""

    _inherit = "ess.club.deliverable"

    document = fields.Binary(
        "File", compute="_compute_document", inverse="_inverse_document", attachment=False
    )
    document_name = fields.Char("File name", copy=False)

    @api.depends("attachment_id")
    def _compute_document(self):
        for deliverable in self:
            deliverable.document = deliverable.attachment_id.sudo().datas

    def _inverse_document(self):
        Attachment = self.env["ir.attachment"]
        for deliverable in self:
            if not deliverable.document:
                deliverable.attachment_id = False
                continue
            values = {
                "name": deliverable.document_name or deliverable.name,
                "datas": deliverable.document,
                "res_model": self._name,
                "res_id": deliverable.id,
            }
            if deliverable.attachment_id:
                deliverable.attachment_id.write(values)
            else:
                deliverable.attachment_id = Attachment.create(values)

    @api.constrains("attachment_id")
    def _check_attachment_of_deliverable(self):
        for deliverable in self:
            attachment = deliverable.attachment_id.sudo()
            if attachment and (attachment.res_model, attachment.res_id) != (
                self._name,
                deliverable.id,
            ):
                raise ValidationError(
                    self.env._("The document of a deliverable is a file of that deliverable.")
                )
