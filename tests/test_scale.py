from odoo import fields
from odoo.tests import TransactionCase, tagged

from odoo.addons.ess_network.tools import scale

from .common import new_portal_user

# The stored figures of a guide year that tools/scale.py writes by SQL.
GUIDE_FIGURES = [
    "theme_retained_count",
    "theme_not_retained_count",
    "line_retained_count",
    "objective_met_count",
    "progress_1y",
    "organization_kind",
    "industry_id",
    "employment_area_id",
    "self_assessment_count",
    "self_score",
    "evaluation_count",
]
# Those of a membership file.
MEMBERSHIP_FIGURES = ["funnel_rank", "first_evaluation_date", "first_sponsorship_id"]


@tagged("post_install", "-at_install")
class TestScale(TransactionCase):
    """The network at scale (``tools/scale.py``, ``./dev populate``) at a tiny
    size: what it builds, within the models' rules, still isolated."""

    ORGS, YEARS, LAST = 12, 2, 2025

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.before = scale.counts(cls.env)
        cls.net = scale.populate(cls.env, cls.ORGS, cls.YEARS, last_year=cls.LAST)
        cls.after = scale.counts(cls.env)
        cls.orgs = cls.env["res.partner"].browse(cls.net.org_ids)
        cls.guides = cls.env["ess.guide.year"].search([("partner_id", "in", cls.orgs.ids)])

    def made(self, model):
        return self.after[model] - self.before[model]

    def test_counts(self):
        """Each step made what its timing says, per model."""
        by_label = {label: count for label, _seconds, count in self.net.timings}
        self.assertEqual(len(self.orgs), self.ORGS)
        self.assertEqual(by_label["organisations and their persons"], 2 * self.ORGS)
        # the organisations, their persons, and the partner of the staff login
        # (the member's login is one of the persons)
        self.assertEqual(by_label["logins of the benchmark"], 2)
        self.assertEqual(self.made("res.partner"), 2 * self.ORGS + 1)
        self.assertEqual(self.made("ess.membership"), self.ORGS)
        keepers = self.orgs.filtered(lambda p: p.ess_member_state in ("member", "former"))
        self.assertEqual(len(self.guides), len(keepers) * self.YEARS)
        self.assertEqual(self.made("ess.guide.year"), len(self.guides))
        self.assertEqual(set(self.guides.mapped("year")), {2024, 2025})
        themes = self.env["ess.guide.theme"].search([])
        self.assertEqual(self.made("ess.guide.year.theme"), len(self.guides) * len(themes))
        # a self-assessment per guide year, a peer grid per cross-evaluation
        self.assertEqual(
            self.made("ess.assessment"), len(self.guides) + self.made("ess.evaluation")
        )
        evaluations = self.env["ess.evaluation"].search([("partner_id", "in", self.orgs.ids)])
        for evaluation in evaluations:
            self.assertEqual(evaluation.assessment_id.kind, "peer")
            self.assertEqual(evaluation.assessment_id.evaluation_id, evaluation)
            self.assertEqual(len(evaluation.assessment_id.theme_score_ids), len(themes))
        self.assertEqual(by_label["guide years"], len(self.guides))
        self.assertEqual(by_label["membership files"], self.ORGS)
        for model in ("ess.guide.year.line", "ess.action", "ess.evaluation", "ess.stakeholder"):
            self.assertGreater(self.made(model), 0, model)
        self.assertGreater(self.made("ess.practice"), 0)
        self.assertGreater(self.made("ess.sponsor"), 0)
        self.assertGreater(self.made("ess.club.registration"), 0)

    def test_logins(self):
        """The benchmark's logins: a network administrator, and a portal
        login for the person of a member organisation."""
        Users = self.env["res.users"]
        staff = Users.search([("login", "=", scale.STAFF_LOGIN)])
        self.assertTrue(staff.has_group("ess_network.group_ess_manager"))
        self.assertFalse(staff.partner_id & self.orgs)
        member = Users.search([("login", "=", scale.MEMBER_LOGIN)])
        self.assertTrue(member._is_portal())
        self.assertIn(member.partner_id.id, self.net.person_ids)
        self.assertEqual(member.partner_id.parent_id.ess_member_state, "member")
        guides = self.env["ess.guide.year"].with_user(member).search([])
        self.assertEqual(len(guides), self.YEARS)
        self.assertEqual(guides.partner_id, member.partner_id.parent_id)

    def test_every_stage(self):
        """Membership files at every stage, members in their phases."""
        files = (
            self.env["ess.membership"]
            .with_context(active_test=False)
            .search([("partner_id", "in", self.orgs.ids)])
        )
        stages = {key for key, _label in files._fields["state"].selection}
        self.assertEqual(set(files.mapped("state")), stages)
        for record in files:
            self.assertEqual(record.partner_id.ess_membership_id, record)
            self.assertEqual(bool(record.member_since), record.state in ("member", "withdrawn"))

    def test_guide_years_lines(self):
        """Each guide year has a line per question of the guide, and its
        stored figures are the ORM's."""
        questions = self.env["ess.guide.question"].search([])
        for guide in self.guides:
            self.assertEqual(guide.line_ids.question_id, questions)
            self.assertEqual(len(guide.theme_line_ids), len(questions.theme_id))
        lines = self.guides[:2].line_ids
        stored = lines.read(["theme_line_id", "in_scope", "progress_1y", "progress_3y"])
        counts = self.guides.read(GUIDE_FIGURES)
        names = ("theme_line_id", "in_scope", "progress_1y", "progress_3y")
        fields_ = [lines._fields[name] for name in names]
        for field in fields_:
            self.env.add_to_compute(field, lines)
        for name in GUIDE_FIGURES:
            self.env.add_to_compute(self.guides._fields[name], self.guides)
        self.env.flush_all()
        self.env.invalidate_all()
        self.assertEqual(lines.read([f.name for f in fields_]), stored)
        self.assertEqual(self.guides.read(GUIDE_FIGURES), counts)
        for name in ("theme_not_retained_count", "objective_met_count", "evaluation_count"):
            self.assertTrue(any(guide[name] for guide in counts), name)
        quantitative = lines.filtered(lambda line: line.kind == "quantitative" and line.has_value)
        self.assertTrue(quantitative)
        self.assertTrue(all(line.objective_1y > line.baseline for line in quantitative))

    def test_grids(self):
        """Self-assessments and peer grids have their answers to every
        question, and their stored scores are those the ORM computes from
        them; each completed evaluation has its peer grid."""
        evaluations = self.env["ess.evaluation"].search([("partner_id", "in", self.orgs.ids)])
        self.assertTrue(evaluations)
        self.assertEqual(set(evaluations.assessment_id.mapped("kind")), {"peer"})
        self.assertEqual(len(evaluations.assessment_id), len(evaluations))
        self.assertEqual(evaluations.assessment_id.evaluation_id, evaluations)
        questions = self.env["ess.guide.question"].search_count([])
        grids = (
            self.env["ess.assessment"].search(
                [("partner_id", "in", self.orgs.ids)], order="id", limit=6
            )
            | evaluations.assessment_id[:3]
        )
        fields_read = ["score", "question_count", "answered_count"]
        stored = grids.read(fields_read)

        def score_map():
            return {
                (s.assessment_id.id, s.scope, s.theme_id.id, s.domain_id.id): (
                    round(s.score, 6),
                    s.answered_count,
                    s.applicable_count,
                )
                for s in grids.score_ids
            }

        scores = score_map()
        for grid in grids:
            self.assertEqual(len(grid.answer_ids), questions)
            self.assertTrue(0 < grid.answered_count < questions)
        grids._update_scores()
        self.env.flush_all()
        grids.invalidate_recordset()
        self.assertEqual(grids.read(fields_read), stored)
        self.assertEqual(score_map(), scores)

    def test_theme_figures(self):
        """The figures of the guide's themes, made by SQL, give the reports
        the results of the rows the other SQL steps inserted."""
        staff = self.env.ref("base.user_admin")
        reports = [
            ("ess.guide.year.line", [("in_scope", "=", True)], ["progress_1y:avg"]),
            ("ess.guide.year.theme", [], ["retained_count:sum", "not_retained_count:sum"]),
            (
                "ess.assessment.score",
                [("scope", "=", "theme"), ("kind", "=", "self"), ("state", "=", "done")],
                ["score:avg"],
            ),
        ]
        for model, domain, aggregates in reports:
            Model = self.env[model].with_user(staff)
            figures = Model.read_group(domain, aggregates, ["theme_id", "year"], lazy=False)
            rows = Model.read_group(
                [*domain, ("id", "!=", 0)], aggregates, ["theme_id", "year"], lazy=False
            )
            self.assertTrue(rows, model)
            self.assertEqual(len(figures), len(rows), model)
            for by_figures, by_rows in zip(figures, rows, strict=True):
                for key, value in by_rows.items():
                    if key != "__domain":
                        self.assertAlmostEqual(by_figures[key], value, msg=f"{model} {key}")

    def test_network_figure_totals(self):
        """The totals of the annual figures, noted by the SQL step that
        writes the guide years' figures, give the pivot the results of the
        guide years (and the adhesion funnel's files those of its lines)."""
        staff = self.env.ref("base.user_admin")
        for model, aggregates, groupby in [
            (
                "ess.network.figure",
                ["guide_count", "closed_count", "objective_met_count", "self_score"],
                ["industry_id", "year"],
            ),
            (
                "ess.membership.funnel",
                ["reached", "conversion_rate"],
                ["stage", "request_date:year"],
            ),
        ]:
            Model = self.env[model].with_user(staff)
            figures = Model.read_group([], aggregates, groupby, lazy=False)
            rows = Model.read_group([("id", "!=", 0)], aggregates, groupby, lazy=False)
            self.assertTrue(rows, model)
            self.assertEqual(len(figures), len(rows), model)
            for by_figures, by_rows in zip(figures, rows, strict=True):
                for key, value in by_rows.items():
                    if key != "__domain":
                        self.assertAlmostEqual(by_figures[key], value, msg=f"{model} {key}")

    def test_membership_figures(self):
        """The membership files' stored figures (funnel, sponsorship,
        evaluation) are the ORM's."""
        files = (
            self.env["ess.membership"]
            .with_context(active_test=False)
            .search([("partner_id", "in", self.orgs.ids)])
        )
        stored = files.read(MEMBERSHIP_FIGURES)
        for name in MEMBERSHIP_FIGURES:
            self.env.add_to_compute(files._fields[name], files)
        self.env.flush_all()
        self.env.invalidate_all()
        self.assertEqual(files.read(MEMBERSHIP_FIGURES), stored)
        self.assertGreater(len({record["funnel_rank"] for record in stored}), 3)
        self.assertTrue(any(record["first_evaluation_date"] for record in stored))

    def test_designation_agrees_with_the_plain_query(self):
        """For every organisation as a new member, the designation finds the
        eligible volunteers the benchmark's plain query finds; the
        candidates for which the rules hold are those it proposes first, the
        same whether every volunteer is ranked or not."""
        Sponsor = self.env["ess.sponsor"]
        company = self.net.company
        today = fields.Date.context_today(Sponsor)
        members = self.orgs | Sponsor.search([("company_id", "=", company.id)]).partner_id
        found = 0
        for member in members:
            everyone = Sponsor._sponsorship_candidates(member, company)
            passing = Sponsor._sponsorship_candidates(member, company, passing=True)
            eligible = {c["sponsor"].id for c in everyone if c["eligible"]}
            self.assertEqual(eligible, scale.eligible_sponsor_ids(self.env, member, company, today))
            self.assertEqual(
                [c["sponsor"] for c in passing],
                [c["sponsor"] for c in everyone if not c["rules"].failed()],
            )
            found += len(eligible)
        self.assertGreater(found, 0)

    def test_constraints(self):
        """A sample of every model built by SQL passes its model's constraints."""
        for model in (
            "ess.membership",
            "ess.guide.year",
            "ess.guide.year.theme",
            "ess.guide.year.line",
            "ess.action",
            "ess.assessment",
            "ess.evaluation",
            "ess.stakeholder",
        ):
            records = (
                self.env[model]
                .with_context(active_test=False)
                .search([("partner_id", "in", self.orgs.ids)], limit=50)
            )
            self.assertTrue(records, model)
            records._validate_fields(records._fields)
        self.orgs._validate_fields(self.orgs._fields)

    def test_portal_isolation(self):
        """A portal user of one generated organisation reads only its guide years."""
        org = self.guides[0].partner_id
        user = new_portal_user(self.env, "scale_portal", "Scale Portal", org)
        Guide = self.env["ess.guide.year"].with_user(user)
        mine = Guide.search([])
        self.assertEqual(mine.partner_id, org)
        self.assertEqual(mine, self.guides.filtered(lambda g: g.partner_id == org))
        self.assertFalse(Guide.search([("partner_id", "!=", org.id)]))
