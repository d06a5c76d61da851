from odoo import models
from odoo.tools import float_round


class EssGuideYear(models.Model):
    """What the general assembly report (``ess_guide_year_ag_report``)
    shows of a guide year, read in batch, and its file name."""

    _inherit = "ess.guide.year"

    def _ess_ag_report_filename(self):
        """``Rapport à l'assemblée générale 2026 - Scop Impulsion`` for a
        French reader, without characters a file name cannot hold."""
        self.ensure_one()
        guide = self.with_context(lang=self.env.user.lang or self.env.lang)
        name = "".join(" " if char in '\\/:*?"<>|' else char for char in self.partner_id.name or "")
        return guide.env._(
            "General assembly report %(year)s - %(organisation)s",
            year=self.year,
            organisation=" ".join(name.split()),
        )

    def _ag_report_data(self):
        """The values of the general assembly report, by guide year id.

        Reads every part of the guide in batch (its steps, themes, lines,
        actions and their related records are prefetched together), then
        the organisation's stakeholders, self-assessment and latest
        completed cross-evaluation with one search each: the number of
        queries does not grow with the number of questions or actions."""
        Stakeholder = self.env["ess.stakeholder"]
        Assessment = self.env["ess.assessment"]
        Evaluation = self.env["ess.evaluation"]
        # prefetch of the lines and actions of all the guides at once, with
        # what the report reads of them
        lines = self.line_ids
        lines.question_id.domain_id.mapped("code")
        lines.mapped("baseline_display")
        actions = self.action_ids
        actions.pilot_id.mapped("name")
        self.theme_line_ids.theme_id.mapped("name")
        self.step_ids.step_id.mapped("name")
        (self.pilot_ids | self.working_group_ids).mapped("name")
        stakeholders = Stakeholder.search([("partner_id", "in", self.partner_id.ids)])
        assessments = Assessment.search(
            [
                ("partner_id", "in", self.partner_id.ids),
                ("year", "in", self.mapped("year")),
                ("kind", "=", "self"),
            ]
        )
        evaluations = Evaluation.search(
            [
                ("partner_id", "in", self.partner_id.ids),
                ("state", "=", "completed"),
                ("year", "<=", max(self.mapped("year"), default=0)),
            ],
            order="date_completed desc, id desc",
        )
        action_states = dict(actions._fields["state"]._description_selection(self.env))
        result = {}
        for guide in self:
            theme_lines = guide.theme_line_ids
            in_scope = guide.line_ids.filtered("in_scope")
            by_theme = {}
            for line in in_scope:
                by_theme.setdefault(line.theme_line_id, []).append(line)
            own_stakeholders = stakeholders.filtered(
                lambda s, g=guide: s.partner_id == g.partner_id
            )
            assessment = assessments.filtered(
                lambda a, g=guide: a.partner_id == g.partner_id and a.year == g.year
            )[:1]
            evaluation = evaluations.filtered(
                lambda e, g=guide: e.partner_id == g.partner_id and e.year <= g.year
            )[:1]
            result[guide.id] = {
                "retained": theme_lines.filtered(lambda t: t.decision == "retained"),
                "not_retained": theme_lines.filtered(lambda t: t.decision == "not_retained"),
                "pending": theme_lines.filtered(lambda t: t.decision == "pending"),
                "sections": [
                    (theme_line, by_theme[theme_line])
                    for theme_line in theme_lines
                    if theme_line in by_theme
                ],
                "practices": theme_lines.filtered(
                    lambda t: (t.good_practices or "").strip() or (t.progress_areas or "").strip()
                ),
                "steps_done": len(guide.step_ids.filtered("done")),
                "actions": guide.action_ids,
                "action_states": action_states,
                "stakeholders": own_stakeholders,
                "matrix": Stakeholder._matrix(own_stakeholders) if own_stakeholders else None,
                "legend": Stakeholder._matrix_legend(own_stakeholders),
                "assessment": assessment,
                "benchmark": assessment._benchmark() if assessment else [],
                "evaluation": evaluation,
            }
        return result

    def _ag_format_percent(self, value):
        """A share as the report shows it: ``75 %``, halves rounded up, or
        a dash when there is none."""
        if value is None or value is False:
            return "–"
        return f"{float_round(value, 0, rounding_method='HALF-UP'):.0f} %"
