from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import plaintext2html


class EssEvaluationPoint(models.Model):
    """A strong point or an improvement point of a cross-evaluation.

    The portal users of both organisations read the points of their
    evaluations (record rules): the evaluator organisation reads them as well
    as the evaluated one. What the evaluated organisation made of a point (its
    action, the action's status) belongs to its action plan, which the
    evaluator must not read: those fields are for the network's staff only
    (``groups``), as a many2one shows its record's name and a related field
    is read as superuser whatever the record rules of the action. The portal
    page and the report, rendered after their own access check, show the
    action to the evaluated organisation only."""

    _name = "ess.evaluation.point"
    _inherit = ["ess.organisation.line.mixin", "ess.guide.topic.mixin"]
    _description = "Cross-evaluation point"
    _order = "evaluation_id, kind, sequence, id"
    _organisation_parent = "evaluation_id"

    evaluation_id = fields.Many2one(
        "ess.evaluation", "Cross-evaluation", required=True, ondelete="cascade", index=True
    )
    partner_id = fields.Many2one(string="Evaluated organisation")
    evaluation_state = fields.Selection(related="evaluation_id.state", string="Evaluation status")
    kind = fields.Selection(
        [("strong", "Strong point"), ("improvement", "Improvement point")],
        required=True,
        default="improvement",
    )
    sequence = fields.Integer(default=10)
    name = fields.Char("Point", required=True)
    description = fields.Text()
    action_id = fields.Many2one(
        "ess.action",
        readonly=True,
        copy=False,
        index="btree_not_null",
        check_company=True,
        groups="ess_network.group_ess_user",
    )
    action_state = fields.Selection(
        related="action_id.state", string="Action status", groups="ess_network.group_ess_user"
    )

    @api.constrains("theme_id", "domain_id")
    def _check_domain_theme(self):
        for point in self:
            if point.domain_id and point.domain_id.theme_id != point.theme_id:
                raise ValidationError(
                    self.env._(
                        "The domain of action %(domain)s is not in the theme %(theme)s.",
                        domain=point.domain_id.display_name,
                        theme=point.theme_id.display_name,
                    )
                )

    # ---------------------------------------------------------------------- CRUD
    def _check_editable(self, vals=None):
        """The points of a completed evaluation are its report: they stay as
        they were, but for network administrators. Turning one into an action
        stays possible."""
        if vals is not None and set(vals) <= {"action_id", "sequence"}:
            return
        locked = self.evaluation_id._locked_for_user(
            lambda e: e.state in ("completed", "cancelled")
        )
        if locked:
            raise UserError(
                self.env._(
                    "%(name)s is %(state)s: its points can no longer be changed.",
                    name=locked[0].name,
                    state=locked[0]._state_label(),
                )
            )

    @api.model_create_multi
    def create(self, vals_list):
        points = super().create(vals_list)
        points._check_editable()
        return points

    def write(self, vals):
        self._check_editable(vals)
        res = super().write(vals)
        if "evaluation_id" in vals:
            self._check_editable()
        return res

    @api.ondelete(at_uninstall=False)
    def _unlink_if_editable(self):
        self._check_editable()
        with_action = self.filtered("action_id")
        if with_action:
            raise UserError(
                self.env._(
                    "The point “%(point)s” became the action “%(action)s”: it cannot be deleted.",
                    point=with_action[0].name,
                    action=with_action[0].action_id.name,
                )
            )

    # ------------------------------------------------------------------- actions
    def action_create_action(self):
        """Turn an improvement point into an action of the evaluated
        organisation's action plan (origin: evaluation), linked back to it."""
        self.ensure_one()
        if self.kind != "improvement":
            raise UserError(self.env._("Only an improvement point becomes an action."))
        if self.action_id:
            raise UserError(
                self.env._("This point already has its action: %s.", self.action_id.name)
            )
        evaluation = self.evaluation_id
        if evaluation.state == "cancelled":
            raise UserError(
                self.env._("%s is cancelled: its points do not become actions.", evaluation.name)
            )
        description = Markup("<p>%s</p>") % self.env._(
            "Improvement point of the cross-evaluation %(year)s (evaluator: %(evaluator)s).",
            year=evaluation.year,
            evaluator=evaluation.evaluator_partner_id.name,
        )
        if self.description:
            description += plaintext2html(self.description)
        action = self.env["ess.action"]._create_from_origin(
            evaluation,
            {
                "name": self.name,
                "partner_id": evaluation.partner_id.id,
                "theme_id": self.theme_id.id,
                "domain_id": self.domain_id.id,
                "origin": "evaluation",
                "evaluation_point_id": self.id,
                "description": description,
            },
            self.env._("Action created from the improvement point “%s”.", self.name),
        )
        self.action_id = action
        return action.get_formview_action()
