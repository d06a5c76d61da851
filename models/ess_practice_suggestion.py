from odoo import api, models
from odoo.tools import SQL


class EssPracticeSuggestion(models.Model):
    """Suggested reading: the published sheets of the library that speak of
    what an organisation has to work on, weakest first.

    What it has to work on comes from what is already computed elsewhere:
    the progress areas of its self-assessment (``progress_area_ids``: its
    weakest domains of action, weakest first), and the themes of its latest
    guide year where it wrote progress areas (weakest theme score first).
    The sheets of each weak domain come first, then those of each theme."""

    _inherit = "ess.practice"

    @api.model
    def _suggestion_reasons(self, organisation, assessment=None):
        """Why sheets are suggested to ``organisation``, most urgent first:
        a list of ``(domain, theme, reason)``, ``domain`` empty for a theme.

        :param assessment: the self-assessment to read the weak domains
            from; by default the organisation's latest one with answers
        """
        if assessment is None:
            assessment = self.env["ess.assessment"].search(
                [
                    ("partner_id", "=", organisation.id),
                    ("kind", "=", "self"),
                    ("answered_count", ">", 0),
                ],
                order="year desc, id desc",
                limit=1,
            )
        Domain = self.env["ess.guide.domain"]
        reasons = []
        theme_scores = {score.theme_id: score.score for score in assessment.theme_score_ids}
        for score in assessment.progress_area_ids:
            reasons.append(
                (
                    score.domain_id,
                    score.theme_id,
                    self.env._(
                        "Progress area of the self-assessment %(year)s: %(domain)s (%(score)s %%)",
                        year=assessment.year,
                        domain=score.domain_id.display_name,
                        score=round(score.score),
                    ),
                )
            )
        year = self.env["ess.guide.year"].search(
            [("partner_id", "=", organisation.id)], order="year desc, id desc", limit=1
        )
        themes = year.theme_line_ids.filtered(lambda line: (line.progress_areas or "").strip())
        for line in themes.sorted(
            lambda t: (theme_scores.get(t.theme_id, 101.0), t.theme_sequence, t.theme_id.id)
        ):
            reasons.append(
                (
                    Domain,
                    line.theme_id,
                    self.env._(
                        "Progress areas of the guide year %(year)s: %(theme)s",
                        year=year.year,
                        theme=line.theme_id.display_name,
                    ),
                )
            )
        # then the other sheets of the weak domains' themes
        for score in assessment.progress_area_ids:
            reasons.append(
                (
                    Domain,
                    score.theme_id,
                    self.env._(
                        "Theme of the progress area %(domain)s: %(theme)s",
                        domain=score.domain_id.display_name,
                        theme=score.theme_id.display_name,
                    ),
                )
            )
        return reasons

    @api.model
    def _suggested_for(self, organisation, limit=6, assessment=None):
        """The published sheets to suggest to ``organisation`` (a company
        contact), at most ``limit``, each once, most urgent first, with why.

        The queries do not grow with the number of sheets: one for all the
        reasons at once (a UNION of one limited search per reason, under the
        reader's access rules).

        :param assessment: the self-assessment whose progress areas count
            (by default the organisation's latest one with answers)
        :return: a list of dicts ``{"practice": ess.practice, "domain":
            ess.guide.domain (empty for a theme), "theme": ess.guide.theme,
            "reason": str}``
        """
        if not organisation or not limit:
            return []
        reasons = self._suggestion_reasons(organisation, assessment=assessment)
        if not reasons:
            return []
        parts = []
        for rank, (domain, theme, _reason) in enumerate(reasons):
            condition = [("domain_id", "=", domain.id)] if domain else [("theme_id", "=", theme.id)]
            query = self._search(
                [("state", "=", "published"), *condition],
                limit=limit,
                order="date_published desc, id desc",
            )
            parts.append(SQL("(SELECT %s AS rank, sub.id FROM (%s) AS sub)", rank, query.select()))
        rows = self.env.execute_query(SQL(" UNION ALL ").join(parts))
        chosen = {}
        for rank, practice_id in sorted(rows):
            if practice_id not in chosen and len(chosen) < limit:
                chosen[practice_id] = rank
        practices = self.browse(list(chosen))
        return [
            {
                "practice": practice,
                "domain": reasons[chosen[practice.id]][0],
                "theme": reasons[chosen[practice.id]][1],
                "reason": reasons[chosen[practice.id]][2],
            }
            for practice in practices
        ]

    @api.model
    def _suggested_practices(self, organisation, limit=6, assessment=None):
        """The sheets of ``_suggested_for``, as a recordset in their order."""
        suggestions = self._suggested_for(organisation, limit=limit, assessment=assessment)
        return self.browse([suggestion["practice"].id for suggestion in suggestions])
