from odoo import api, fields, models
from odoo.exceptions import UserError


class EssAssessmentScore(models.Model):
    """The score of an assessment for one theme or one domain of action,
    kept up to date from its answers (see ``ess.assessment._update_scores``)
    so that benchmarks and reports read them at once."""

    _name = "ess.assessment.score"
    _inherit = ["ess.assessment.line.mixin", "ess.guide.topic.mixin"]
    _description = "Assessment score"
    _order = "assessment_id, scope, theme_sequence, domain_sequence, id"

    year = fields.Integer(related="assessment_id.year", store=True, aggregator=False)
    kind = fields.Selection(related="assessment_id.kind", store=True)
    state = fields.Selection(related="assessment_id.state", store=True)
    scope = fields.Selection([("theme", "Theme"), ("domain", "Domain of action")], required=True)
    theme_sequence = fields.Integer(related="theme_id.sequence", store=True, string="Theme order")
    domain_sequence = fields.Integer(
        related="domain_id.sequence", store=True, string="Domain order"
    )
    score = fields.Float("Score (%)", aggregator="avg")
    answered_count = fields.Integer("Answered")
    applicable_count = fields.Integer("Applicable questions")

    def init(self):  # pylint: disable=missing-return
        super().init()
        # the network's benchmark of a self-assessment (ess.assessment._benchmark):
        # the done self-assessments' theme scores of a network and year, read
        # from the index alone
        self.env.cr.execute(
            """
            CREATE INDEX IF NOT EXISTS ess_assessment_score_benchmark_index
                ON ess_assessment_score (company_id, year, theme_id)
                INCLUDE (partner_id, score, answered_count)
             WHERE scope = 'theme' AND kind = 'self' AND state = 'done'
            """
        )

    @api.depends("scope", "theme_id", "domain_id", "score")
    def _compute_display_name(self):
        for score in self:
            target = score.domain_id if score.scope == "domain" else score.theme_id
            score.display_name = f"{target.display_name} ({score.score:.0f} %)"

    def action_create_action(self):
        """Turn a weak domain of a self-assessment into an action of the
        organisation's action plan (origin: self-assessment)."""
        self.ensure_one()
        if self.scope != "domain":
            raise UserError(self.env._("Only a domain of action becomes an action."))
        assessment = self.assessment_id
        existing = self.env["ess.action"].search(
            [("assessment_id", "=", assessment.id), ("domain_id", "=", self.domain_id.id)], limit=1
        )
        if existing:
            raise UserError(
                self.env._(
                    "The domain %(domain)s already has its action: %(action)s.",
                    domain=self.domain_id.display_name,
                    action=existing.name,
                )
            )
        action = self.env["ess.action"]._create_from_origin(
            assessment,
            {
                "name": self.env._("Improve: %s", self.domain_id.name),
                "partner_id": assessment.partner_id.id,
                "domain_id": self.domain_id.id,
                "origin": "self_assessment",
                "assessment_id": assessment.id,
                "priority": "1",
                "description": self.env._(
                    "<p>Progress area of the self-assessment %(assessment)s: the domain scored "
                    "%(score)s %%.</p>",
                    assessment=assessment.name,
                    score=round(self.score),
                ),
            },
            self.env._("Action created from the progress area %s.", self.domain_id.display_name),
        )
        return action.get_formview_action()
