from datetime import timedelta

from odoo import Command, fields
from odoo.tests import tagged

from .accessibility import AccessibilityMixin
from .common import new_portal_user
from .test_sponsorship_portal import SponsorshipPortalCase


@tagged("post_install", "-at_install")
class TestAccessibility(AccessibilityMixin, SponsorshipPortalCase):
    """Every portal page of the add-on and the public adhesion form, as
    their users see them, meet WCAG 2.1 AA as far as axe-core can tell.

    The sponsorship portal's fixture (a new member ``org`` with its
    ``user``, sponsored by ``sponsor_org`` and its ``sponsor_user``; a new
    organisation ``new_user`` asking for a sponsor; ``operational_user``,
    a volunteer to be) plus, for ``org``, a guide year with an action, a
    self-assessment, a stakeholder and a completed cross-evaluation by
    ``sponsor_org``."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        pilot = Partner.create({"name": "Paula Pilote", "parent_id": cls.org.id})
        question = cls.env.ref("ess_network.ess_guide_question_1_3_2")
        cls.guide = cls.env["ess.guide.year"].create(
            {
                "partner_id": cls.org.id,
                "year": 2025,
                "state": "in_progress",
                "pilot_ids": [Command.set(pilot.ids)],
            }
        )
        cls.action = cls.env["ess.action"].create(
            {
                "name": "Former les administrateurs",
                "partner_id": cls.org.id,
                "guide_year_id": cls.guide.id,
                "question_id": question.id,
                "pilot_id": pilot.id,
            }
        )
        cls.archived_action = cls.env["ess.action"].create(
            {
                "name": "Ancienne action",
                "partner_id": cls.org.id,
                "guide_year_id": cls.guide.id,
                "active": False,
            }
        )
        cls.assessment = cls.env["ess.assessment"].create({"partner_id": cls.org.id, "year": 2025})
        level = cls.env.ref("ess_network.ess_maturity_level_2")
        cls.assessment.answer_ids[:3].write({"level_id": level.id, "comment": "Un début"})
        cls.stakeholder = cls.env["ess.stakeholder"].create(
            {
                "name": "Salariés",
                "partner_id": cls.org.id,
                "scope": "internal",
                "category": "employees",
                "influence": 4,
                "importance": 5,
            }
        )
        peer = Partner.create({"name": "Paul Pair", "parent_id": cls.sponsor_org.id})
        cls.evaluation = cls.env["ess.evaluation"].create(
            {
                "partner_id": cls.org.id,
                "evaluator_partner_id": cls.sponsor_org.id,
                "evaluator_ids": [Command.set(peer.ids)],
                "year": 2025,
            }
        )
        cls.evaluation.action_start()
        cls.evaluation.assessment_id.answer_ids[:3].write({"level_id": level.id})
        Point = cls.env["ess.evaluation.point"]
        Point.create({"evaluation_id": cls.evaluation.id, "kind": "strong", "name": "Accueil"})
        Point.create({"evaluation_id": cls.evaluation.id, "name": "Former les élus"})
        cls.evaluation.action_complete()
        # an evaluation that ``sponsor_user`` fills in as its evaluator
        cls.evaluation_open = cls.env["ess.evaluation"].create(
            {
                "partner_id": cls.org.id,
                "evaluator_partner_id": cls.sponsor_org.id,
                "evaluator_ids": [Command.set(cls.sponsor_user.partner_id.ids)],
                "year": 2026,
            }
        )
        cls.evaluation_open.action_start()
        cls.evaluation_open.assessment_id.answer_ids[:2].write({"level_id": level.id})
        Point.create({"evaluation_id": cls.evaluation_open.id, "name": "Associer les salariés"})
        # a session held, one planned: both parts of the sponsorship's page
        Session = cls.env["ess.sponsorship.session"]
        Session.create(
            {
                "sponsorship_id": cls.sponsorship.id,
                "start": fields.Datetime.now() - timedelta(days=2),
                "state": "held",
                "notes": "Grille remplie ensemble.",
                "line_ids": [
                    Command.create({"module_id": cls.module["self_assessment"].id, "hours": 1})
                ],
            }
        )
        Session.create(
            {
                "sponsorship_id": cls.sponsorship.id,
                "start": fields.Datetime.now() + timedelta(days=2),
            }
        )
        # a message the member sees in the chatter of its membership file
        cls.env["ess.membership"].search([("partner_id", "=", cls.org.id)]).message_post(
            body="Bienvenue dans le réseau !",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
            author_id=cls.env.company.partner_id.id,
        )
        # two membership files: the list instead of the file
        cls.env["ess.membership"].create(
            {
                "partner_id": cls.operational_org.id,
                "state": "refused",
                "refusal_reason": "Pas encore de projet RSE",
            }
        )

        # the guide year's commitments published: its public page
        cls.org.ess_public_opt_in = True
        cls.guide.write(cls.guide._public_values(True, cls.user))

        # the good-practice library: a published sheet with a document, a
        # sheet of the organisation returned by the network, good practices
        # of the guide year to propose
        Practice = cls.env["ess.practice"]
        cls.practice = Practice.create(
            {
                "name": "Se doter d'un CA junior",
                "description": "<p>Des jeunes salariés siègent dans un conseil miroir.</p>",
                "theme_id": question.theme_id.id,
                "domain_id": question.domain_id.id,
                "state": "published",
                "date_published": fields.Date.today(),
            }
        )
        cls.practice.attachment_ids = [
            Command.create({"name": "charte.pdf", "raw": b"%PDF-1.4\n%%EOF\n"})
        ]
        cls.returned_practice = Practice.create(
            {
                "name": "Associer les salariés aux décisions",
                "description": "<p>Un comité de salariés.</p>",
                "partner_id": cls.org.id,
                "state": "returned",
                "review_comment": "Précisez combien de salariés y participent.",
            }
        )
        cls.theme_line = cls.guide.theme_line_ids[:1]
        cls.theme_line.good_practices = "Un conseil d'administration junior"
        # a club with a meeting to come (3 seats), a held one with its minutes
        # and document, and a working group of ``org`` with a deliverable
        now = fields.Datetime.now()
        keyword = cls.env["ess.keyword"].create({"name": "Gouvernance (a11y)"})
        cls.club = cls.env["ess.club"].create(
            {
                "name": "Club RSE (a11y)",
                "description": "<p>Partager nos pratiques.</p>",
                "rules": "<p>Trois rencontres par an.</p>",
                "keyword_ids": [Command.set(keyword.ids)],
                "partner_ids": [Command.set(cls.sponsor_org.ids)],
                "member_ids": [Command.set((cls.org | cls.sponsor_org).ids)],
            }
        )
        Meeting = cls.env["ess.club.meeting"]
        cls.club_meeting = Meeting.create(
            {
                "name": "Indicateurs de gouvernance",
                "club_id": cls.club.id,
                "host_partner_id": cls.sponsor_org.id,
                "start": now + timedelta(days=10),
                "location": "Nantes",
                "capacity": 3,
                "agenda": "<p>Tour de table.</p>",
                "keyword_ids": [Command.set(keyword.ids)],
            }
        )
        cls.env["ess.club.registration"].create(
            {"meeting_id": cls.club_meeting.id, "person_id": cls.user.partner_id.id}
        )
        attachment = cls.env["ir.attachment"].create(
            {"name": "compte-rendu.pdf", "raw": b"%PDF-1.4 compte rendu"}
        )
        cls.club_meeting_held = Meeting.create(
            {
                "name": "Capital humain",
                "club_id": cls.club.id,
                "start": now - timedelta(days=30),
                "state": "held",
                "minutes": "<p>Compte rendu.</p>",
                "attachment_ids": [Command.set(attachment.ids)],
            }
        )
        cls.club_group = cls.env["ess.club.group"].create(
            {
                "name": "Impact biodiversité",
                "club_id": cls.club.id,
                "participant_ids": [Command.set(cls.user.partner_id.ids)],
            }
        )
        deliverable = cls.env["ess.club.deliverable"].create(
            {
                "name": "Guide des matières premières",
                "group_id": cls.club_group.id,
                "date_due": fields.Date.today() + timedelta(days=30),
            }
        )
        deliverable.attachment_id = attachment.copy(
            {"res_model": deliverable._name, "res_id": deliverable.id}
        )

        # a person whose organisation is not a member: the portal home invites it to join
        cls.outsider = new_portal_user(
            cls.env,
            "a11y_outsider",
            "Olga Extérieure",
            Partner.create({"name": "Scop Pas Encore Membre", "is_company": True}),
        )

    def test_pages_meet_wcag_21_aa(self):
        membership = self.env["ess.membership"].search([("partner_id", "=", self.org.id)])
        member, sponsor = self.user.login, self.sponsor_user.login
        pages = [
            (None, "/adhesion", None),
            # the login page links to the form
            (None, "/web/login", None),
            (self.outsider.login, "/my", None),
            # the form sent with its required fields empty, the e-mail wrong
            (None, "/adhesion", {"name": "", "city": "", "email": "nobody", "accept": None}),
            (member, "/my", None),
            (member, f"/my/membership/{membership.id}", None),
            (self.operational_user.login, "/my/membership", None),
            (member, "/my/guide", None),
            (member, f"/my/guide/{self.guide.id}", None),
            # the public page of the guide year's commitments (no login)
            (None, f"/engagements/{self.guide.public_token}", None),
            (member, "/my/actions", None),
            (member, f"/my/actions/{self.action.id}", None),
            (member, "/my/actions/new", None),
            (member, f"/my/actions/{self.archived_action.id}", None),
            (member, "/my/assessments", None),
            (member, f"/my/assessments/{self.assessment.id}", None),
            (member, "/my/stakeholders", None),
            (member, f"/my/stakeholders/{self.stakeholder.id}", None),
            (member, "/my/evaluations", None),
            (member, f"/my/evaluations/{self.evaluation.id}", None),
            (sponsor, f"/my/evaluations/{self.evaluation.id}", None),
            # the evaluator's form, and the evaluated organisation waiting
            (sponsor, f"/my/evaluations/{self.evaluation_open.id}", None),
            (member, f"/my/evaluations/{self.evaluation_open.id}", None),
            (member, "/my/sponsorships", None),
            (member, f"/my/sponsorships/{self.sponsorship.id}", None),
            (sponsor, "/my/sponsorships", None),
            (sponsor, f"/my/sponsorships/{self.sponsorship.id}", None),
            (sponsor, "/my/sponsor", None),
            (self.operational_user.login, "/my/sponsor", None),
            (self.new_user.login, "/my/sponsorships/request", None),
            (member, "/my/library", None),
            (member, "/my/library?tab=mine", None),
            (member, f"/my/library/{self.practice.id}", None),
            (member, f"/my/library/{self.returned_practice.id}", None),
            (member, "/my/library/propose", None),
            (member, f"/my/library/propose?theme_line={self.theme_line.id}", None),
            (member, f"/my/library/{self.returned_practice.id}/edit", None),
            (member, "/my/clubs", None),
            (member, f"/my/clubs/{self.club.id}", None),
            (member, f"/my/clubs/meeting/{self.club_meeting.id}", None),
            (member, f"/my/clubs/meeting/{self.club_meeting_held.id}", None),
            (sponsor, f"/my/clubs/meeting/{self.club_meeting.id}", None),
            (member, "/my/groups", None),
            (member, f"/my/groups/{self.club_group.id}", None),
        ]
        # the error states of portal forms: a refused post shows the form again
        forms = [
            (member, "/my/actions/new", "form.o_ess_action_new_form", {"name": "", "budget": "-5"}),
            (member, "/my/stakeholders", "form.o_ess_stakeholder_form", {"name": ""}),
            (
                member,
                "/my/library/propose",
                "form.o_ess_library_propose_form",
                {"name": "", "description": ""},
            ),
            # the guide year's steps and presentations, and its import
            (
                member,
                f"/my/guide/{self.guide.id}",
                "form.o_ess_guide_implementation_form",
                {"general_assembly_date": "2999-01-01"},
            ),
            (member, f"/my/guide/{self.guide.id}", "form.o_ess_guide_import_form", {"file": None}),
            # publishing without the organisation's consent
            (member, f"/my/guide/{self.guide.id}", "form.o_ess_publication_form", {"opt_in": "0"}),
            (
                sponsor,
                f"/my/sponsorships/{self.sponsorship.id}",
                "form.o_ess_session_log_form",
                {"date": "", "duration": "long"},
            ),
            (
                sponsor,
                f"/my/evaluations/{self.evaluation_open.id}",
                "form.o_ess_evaluation_form",
                {"new_strong_description": "Sans titre"},
            ),
            # registering a person who is not of the organisation
            (
                member,
                f"/my/clubs/meeting/{self.club_meeting.id}",
                "form.o_ess_club_colleague_form",
                {"person_id": "999999999"},
            ),
        ]
        for login, url, post in pages:
            with self.subTest(login=login, url=url, post=bool(post)):
                self.assertAccessible(url, login=login, post=post)
        for login, url, form, post in forms:
            with self.subTest(login=login, url=url, form=form):
                self.assertAccessible(url, login=login, post=post, form=form)
