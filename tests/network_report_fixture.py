"""A network with members in two sectors (6 and 3 organisations), their
guide years, self-assessments and evaluations of one year: the fixture of
the network annual report's tests."""

from datetime import date

from odoo.tests import new_test_user

YEAR = 2025


class NetworkReportFixture:
    @classmethod
    def _setup_network(cls):
        env = cls.env
        # a network of its own: nothing else in the database counts
        cls.company = env["res.company"].create({"name": "Réseau Rapport Annuel"})
        cls.staff = new_test_user(
            env,
            "ess_netreport_staff",
            groups="base.group_user,ess_network.group_ess_user",
            name="Nina Rapport",
            company_id=cls.company.id,
            company_ids=[cls.company.id],
        )
        Industry = env["res.partner.industry"]
        cls.big_sector = Industry.create({"name": "Secteur Grand Groupe"})
        cls.small_sector = Industry.create({"name": "Secteur Minuscule"})
        cls.area = env["ess.employment.area"].create(
            {"name": "Bassin Rapport", "code": "NR01", "company_id": cls.company.id}
        )
        cls.big = cls._members(6, cls.big_sector, "association", "Asso Grande", date(2024, 6, 1))
        cls.small = cls._members(3, cls.small_sector, "scop", "Scop Petite", date(YEAR, 3, 1))
        cls.level = env.ref("ess_network.ess_maturity_level_3")
        cls.question_1 = env.ref("ess_network.ess_guide_question_1_1_1")
        cls.question_2 = env.ref("ess_network.ess_guide_question_2_1_1")
        cls._guides(cls.big | cls.small, not_retained=cls.small)
        # the 6 of the big sector evaluated by the 3 small ones
        env["ess.evaluation"].create(
            [
                {
                    "partner_id": org.id,
                    "evaluator_partner_id": cls.small[index % 3].id,
                    "year": YEAR,
                    "state": "completed",
                    "date_completed": date(YEAR, 5, 1),
                }
                for index, org in enumerate(cls.big)
            ]
        )

    @classmethod
    def _members(cls, count, industry, kind, prefix, since):
        env = cls.env
        orgs = env["res.partner"].create(
            [
                {
                    "name": f"{prefix} {index}",
                    "is_company": True,
                    "industry_id": industry.id,
                    "ess_organization_kind": kind,
                    "ess_employment_area_id": cls.area.id,
                    "company_id": cls.company.id,
                }
                for index in range(count)
            ]
        )
        env["ess.membership"].create(
            [
                {
                    "partner_id": org.id,
                    "state": "member",
                    "request_date": since,
                    "member_since": since,
                }
                for org in orgs
            ]
        )
        return orgs

    @classmethod
    def _guides(cls, orgs, not_retained):
        """A guide year for each of ``orgs``: theme 1 retained by all, theme
        2 not retained by ``not_retained``; a completed self-assessment each
        (theme 1 answered by all, theme 2 by ``not_retained`` only)."""
        env = cls.env
        theme_1, theme_2 = cls.question_1.theme_id, cls.question_2.theme_id
        guides = env["ess.guide.year"].create(
            [{"partner_id": org.id, "year": YEAR} for org in orgs]
        )
        guides.theme_line_ids.filtered(lambda t: t.theme_id == theme_1).write(
            {"decision": "retained"}
        )
        guides.filtered(lambda g: g.partner_id in not_retained).theme_line_ids.filtered(
            lambda t: t.theme_id == theme_2
        ).write({"decision": "not_retained", "reason": "Question non traitée car petite"})
        guides.line_ids.filtered(
            lambda line: line.question_id == cls.question_1 and line.in_scope
        ).write({"achievement_1y": "met"})
        assessments = env["ess.assessment"].create(
            [{"partner_id": org.id, "year": YEAR} for org in orgs]
        )
        answered = (cls.question_1,)
        for assessment in assessments:
            questions = answered + (
                (cls.question_2,) if assessment.partner_id in not_retained else ()
            )
            assessment.answer_ids.filtered(lambda a, q=questions: a.question_id in q).write(
                {"level_id": cls.level.id}
            )
        assessments.action_done()
        return guides
