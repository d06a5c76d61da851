from datetime import timedelta

from odoo import Command
from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestSponsorshipTour(HttpCase):
    """A sponsorship from the request to its end, in the browsers of the
    people who do each step: the new member asks on its portal, the pole
    manager designates in the back end's wizard, the sponsor logs a session
    on its portal, the pole manager records the end."""

    def test_from_request_to_end(self):
        env = self.env
        Partner = env["res.partner"]
        Area = env["ess.employment.area"]
        nantes = Area.create({"name": "Nantes (tour)", "code": "TT5213"})
        angers = Area.create(
            {"name": "Angers (tour)", "code": "TT5203", "neighbour_ids": [Command.link(nantes.id)]}
        )
        pole = new_test_user(
            env,
            "tour_pole",
            password="tour_pole_pw",
            name="Paul Pôle",
            groups="base.group_user,ess_network.group_ess_sponsorship_manager",
            tz="Europe/Paris",
        )
        env.company.ess_sponsorship_user_id = pole
        new_member = Partner.create(
            {
                "name": "Association Tour Parrainée",
                "is_company": True,
                "ess_employment_area_id": nantes.id,
                "industry_id": env.ref("base.res_partner_industry_Q").id,
            }
        )
        sponsor_org = Partner.create(
            {
                "name": "Coopérative Tour Marraine",
                "is_company": True,
                "ess_employment_area_id": angers.id,
                "industry_id": env.ref("base.res_partner_industry_P").id,
            }
        )
        peer = Partner.create({"name": "Mutuelle Tour Paire", "is_company": True})
        Membership = env["ess.membership"]
        Membership.create(
            {"partner_id": new_member.id, "state": "member", "phase": "appropriation"}
        )
        Membership.create({"partner_id": sponsor_org.id, "state": "member", "phase": "operational"})
        # the sponsor's full cycle: evaluated by a peer, and evaluator of one
        env["ess.evaluation"].create(
            [
                {
                    "partner_id": evaluated.id,
                    "evaluator_partner_id": evaluator.id,
                    "year": 2025,
                    "state": "completed",
                }
                for evaluated, evaluator in ((sponsor_org, peer), (peer, sponsor_org))
            ]
        )
        member_user = new_test_user(
            env, "tour_member", groups="base.group_portal", name="Marie Tour"
        )
        member_user.partner_id.parent_id = new_member
        sponsor_user = new_test_user(
            env, "tour_sponsor", groups="base.group_portal", name="Simone Tour"
        )
        sponsor_user.partner_id.parent_id = sponsor_org
        sponsor = env["ess.sponsor"].create(
            {"partner_id": sponsor_org.id, "person_ids": [Command.set(sponsor_user.partner_id.ids)]}
        )

        # the new member asks for a sponsor on its portal
        self.start_tour("/my", "ess_sponsorship_request_tour", login="tour_member")
        sponsorship = env["ess.sponsorship"].search([("partner_id", "=", new_member.id)])
        self.assertEqual((sponsorship.state, sponsorship.origin), ("requested", "portal"))
        self.assertEqual(len(sponsorship.module_line_ids), 2)

        # the pole manager designates the eligible volunteer in the wizard
        self.start_tour(
            "/odoo/action-ess_network.ess_sponsorship_action",
            "ess_sponsorship_designate_tour",
            login="tour_pole",
        )
        self.assertEqual(sponsorship.state, "designated")
        self.assertEqual(sponsorship.sponsor_id, sponsor)
        self.assertEqual(sponsorship.designated_by_id, pole)
        self.assertFalse(sponsorship.forced)

        # the sponsor meets the new member two days later
        sponsorship.designation_date -= timedelta(days=2)
        self.start_tour("/my", "ess_sponsorship_session_tour", login="tour_sponsor")
        session = sponsorship.session_ids
        self.assertEqual((session.state, session.duration, session.hours), ("held", 2.5, 2.5))
        self.assertEqual(session.logged_by_id, sponsor_user)
        self.assertEqual(sponsorship.state, "in_progress")

        # the pole manager records the end
        self.start_tour(
            "/odoo/action-ess_network.ess_sponsorship_action",
            "ess_sponsorship_end_tour",
            login="tour_pole",
        )
        self.assertEqual(sponsorship.state, "ended")
        self.assertEqual(
            sponsorship.closing_note_sponsor, "Le nouveau membre est autonome sur la grille."
        )
