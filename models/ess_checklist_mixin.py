from markupsafe import Markup

from odoo import api, fields, models


class EssChecklistMixin(models.AbstractModel):
    """A line of the checklist of an organisation's record, ticked by
    someone on some day: a membership phase item, a step of a guide year.
    Ticking or unticking lines posts one message on the chatter of each
    record (``_organisation_parent``)."""

    _name = "ess.checklist.mixin"
    _inherit = ["ess.organisation.line.mixin"]
    _description = "Checklist line"

    done = fields.Boolean()
    done_date = fields.Date("Done on")
    done_by_id = fields.Many2one("res.users", "Done by")
    note = fields.Char()

    def _checklist_check_editable(self, parents, vals=None):
        """Raise when the lines of ``parents`` may not change any more;
        ``vals`` are the values written, None on create."""

    def _checklist_message(self, status):
        """The heading of the chatter message, ``status`` being "done" or
        "to do again"."""
        return self.env._("Checklist updated (%s):", status)

    @api.model_create_multi
    def create(self, vals_list):
        parent_model = self.env[self._fields[self._organisation_parent].comodel_name]
        self._checklist_check_editable(
            parent_model.browse(
                [
                    v[self._organisation_parent]
                    for v in vals_list
                    if v.get(self._organisation_parent)
                ]
            )
        )
        for vals in vals_list:
            if vals.get("done"):
                vals.setdefault("done_date", fields.Date.context_today(self))
                vals.setdefault("done_by_id", self.env.user.id)
        return super().create(vals_list)

    def write(self, vals):
        self._checklist_check_editable(self[self._organisation_parent], vals)
        changed = self.browse()
        if "done" in vals:
            if vals["done"]:
                vals.setdefault("done_date", fields.Date.context_today(self))
                vals.setdefault("done_by_id", self.env.user.id)
            else:
                vals.update(done_date=False, done_by_id=False)
            changed = self.filtered(lambda line: line.done != bool(vals["done"]))
        res = super().write(vals)
        if changed:
            status = self.env._("done") if vals["done"] else self.env._("to do again")
            heading = self._checklist_message(status)
            for parent in changed[self._organisation_parent]:
                names = changed.filtered(
                    lambda line, p=parent: line[self._organisation_parent] == p
                ).mapped("name")
                parent.message_post(
                    body=Markup("%s<ul>%s</ul>")
                    % (heading, Markup().join(Markup("<li>%s</li>") % name for name in names)),
                    message_type="notification",
                )
        return res
