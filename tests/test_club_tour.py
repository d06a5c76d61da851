from datetime import timedelta

from odoo import fields
from odoo.tests import HttpCase, tagged

from .common import new_portal_user


@tagged("post_install", "-at_install")
class TestClubTour(HttpCase):
    """A member registers to a club meeting in its browser, then
    unregisters: the seats left follow."""

    def test_register_then_unregister(self):
        env = self.env
        Partner = env["res.partner"]
        organisation = Partner.create({"name": "Association Tour Club", "is_company": True})
        neighbour = Partner.create({"name": "Scop Tour Voisine", "is_company": True})
        user = new_portal_user(env, "club_tour_member", "Marie Tour", organisation)
        person = Partner.create({"name": "Victor Voisin", "parent_id": neighbour.id})
        club = env["ess.club"].create(
            {"name": "Club RSE Tour", "member_ids": [(6, 0, (organisation | neighbour).ids)]}
        )
        meeting = env["ess.club.meeting"].create(
            {
                "name": "Rencontre Tour gouvernance",
                "club_id": club.id,
                "start": fields.Datetime.now() + timedelta(days=7),
                "location": "Nantes",
                "capacity": 5,
            }
        )
        env["ess.club.registration"].create({"meeting_id": meeting.id, "person_id": person.id})
        self.start_tour("/my", "ess_club_register_tour", login=user.login)
        registration = env["ess.club.registration"].search(
            [("meeting_id", "=", meeting.id), ("person_id", "=", user.partner_id.id)]
        )
        self.assertEqual(registration.state, "cancelled")
