import re
from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import HttpCase, TransactionCase, new_test_user, tagged

YEAR = 2031
STAFF = "base.group_user,ess_network.group_ess_user"
ADMIN = "base.group_user,ess_network.group_ess_manager"


class TwoNetworksCase(TransactionCase):
    """A federation of two regional networks in one database, each a company
    with its staff, administrator and members."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Company = cls.env["res.company"]
        cls.net_a = Company.create({"name": "CRESS Pays de la Loire (test)"})
        cls.net_b = Company.create({"name": "CRESS Bretagne (test)"})
        cls.staff_a = cls._user("ess_mc_staff_a", STAFF, cls.net_a, "Anaïs Staff A")
        cls.staff_b = cls._user("ess_mc_staff_b", STAFF, cls.net_b, "Brieuc Staff B")
        cls.admin_a = cls._user("ess_mc_admin_a", ADMIN, cls.net_a, "Alice Admin A")
        cls.admin_b = cls._user("ess_mc_admin_b", ADMIN, cls.net_b, "Bruno Admin B")
        # works for the federation: allowed in both networks
        cls.federation = cls._user(
            "ess_mc_federation",
            STAFF + ",base.group_multi_company",
            cls.net_a,
            "Fanny Fédération",
            company_ids=[Command.set((cls.net_a | cls.net_b).ids)],
        )
        Partner = cls.env["res.partner"]
        # organisations that phone in: no network until their file is opened
        cls.org_a = Partner.create({"name": "Scop Ligérienne MC", "is_company": True})
        cls.org_a2 = Partner.create({"name": "Mutuelle Angevine MC", "is_company": True})
        cls.org_b = Partner.create({"name": "Association Bretonne MC", "is_company": True})
        cls.org_b2 = Partner.create({"name": "Coopérative Rennaise MC", "is_company": True})
        cls.contact_a = Partner.create({"name": "Aude Contact A", "parent_id": cls.org_a.id})
        Membership = cls.env["ess.membership"]
        cls.file_a = Membership.with_user(cls.staff_a).create({"partner_id": cls.org_a.id})
        cls.file_a2 = Membership.with_user(cls.staff_a).create({"partner_id": cls.org_a2.id})
        cls.file_b = Membership.with_user(cls.staff_b).create({"partner_id": cls.org_b.id})
        cls.file_b2 = Membership.with_user(cls.staff_b).create({"partner_id": cls.org_b2.id})
        cls.contact_b = Partner.create({"name": "Bleuenn Contact B", "parent_id": cls.org_b.id})
        cls.a = cls._records(cls.staff_a, cls.org_a, cls.org_a2, cls.file_a)
        cls.b = cls._records(cls.staff_b, cls.org_b, cls.org_b2, cls.file_b)

    @classmethod
    def _user(cls, login, groups, company, name, **vals):
        return new_test_user(
            cls.env, login, groups=groups, company_id=company.id, name=name, **vals
        )

    @classmethod
    def _records(cls, staff, org, peer, membership):
        """A guide year, an action, a self-assessment, a cross-evaluation
        with its points and a stakeholder of ``org``, made by ``staff``."""
        env = cls.env(user=staff)
        guide = env["ess.guide.year"].create({"partner_id": org.id, "year": YEAR})
        action = env["ess.action"].create(
            {"name": f"Action de {org.name}", "partner_id": org.id, "guide_year_id": guide.id}
        )
        assessment = env["ess.assessment"].create({"partner_id": org.id, "year": YEAR})
        evaluation = env["ess.evaluation"].create(
            {
                "partner_id": org.id,
                "evaluator_partner_id": peer.id,
                "year": YEAR,
                "point_ids": [Command.create({"kind": "strong", "name": "Gouvernance"})],
            }
        )
        stakeholder = env["ess.stakeholder"].create(
            {"partner_id": org.id, "name": f"Salariés de {org.name}"}
        )
        # the library: a sheet the organisation proposed; the network's club,
        # a meeting, a registration of a person of the organisation, a
        # working group and its deliverable
        practice = env["ess.practice"].create(
            {"name": f"Fiche de {org.name}", "partner_id": org.id, "source_named": True}
        )
        person = env["res.partner"].create({"name": f"Personne de {org.name}", "parent_id": org.id})
        club = env["ess.club"].create(
            {"name": f"Club RSE de {staff.name}", "member_ids": [Command.set(org.ids)]}
        )
        meeting = env["ess.club.meeting"].create(
            {
                "name": f"Rencontre de {staff.name}",
                "club_id": club.id,
                "start": fields.Datetime.now() + timedelta(days=5),
            }
        )
        registration = env["ess.club.registration"].create(
            {"meeting_id": meeting.id, "person_id": person.id}
        )
        group = env["ess.club.group"].create(
            {
                "name": f"Groupe de {staff.name}",
                "club_id": club.id,
                "participant_ids": [Command.set(person.ids)],
                "deliverable_ids": [Command.create({"name": "Livrable"})],
            }
        )
        return {
            "res.partner": org | peer,
            "ess.membership": membership,
            "ess.membership.item": membership.item_ids,
            "ess.guide.year": guide,
            "ess.guide.year.theme": guide.theme_line_ids,
            "ess.guide.year.line": guide.line_ids,
            "ess.guide.year.step": guide.step_ids,
            "ess.action": action,
            "ess.assessment": assessment | evaluation.assessment_id,
            "ess.assessment.answer": assessment.answer_ids,
            "ess.assessment.score": assessment.score_ids,
            "ess.evaluation": evaluation,
            "ess.evaluation.point": evaluation.point_ids,
            "ess.stakeholder": stakeholder,
            "ess.practice": practice,
            "ess.club": club,
            "ess.club.meeting": meeting,
            "ess.club.registration": registration,
            "ess.club.group": group,
            "ess.club.deliverable": group.deliverable_ids,
        }


@tagged("post_install", "-at_install")
class TestMultiCompany(TwoNetworksCase):
    # ------------------------------------------------------------ members
    def test_a_file_puts_its_organisation_and_contacts_in_the_network(self):
        self.assertEqual(self.file_a.company_id, self.net_a)
        self.assertEqual(self.org_a.company_id, self.net_a)
        self.assertEqual(self.contact_a.company_id, self.net_a, "contacts follow")
        self.assertEqual(self.org_b.company_id, self.net_b)
        self.assertEqual(self.contact_b.company_id, self.net_b, "a new contact joins too")
        for records in (self.a, self.b):
            for model, recs in records.items():
                if model != "res.partner":
                    self.assertTrue(recs, model)
                    self.assertEqual(len(recs.company_id), 1, model)

    def test_an_organisation_of_both_networks_stays_shared(self):
        shared = self.env["res.partner"].create(
            {"name": "Fondation Commune MC", "is_company": True}
        )
        guide = (
            self.env["ess.guide.year"]
            .with_user(self.staff_b)
            .create({"partner_id": shared.id, "year": YEAR})
        )
        self.assertEqual(guide.company_id, self.net_b)
        self.env["ess.membership"].with_user(self.staff_a).create({"partner_id": shared.id})
        self.assertFalse(shared.company_id, "network B uses it too: it stays shared")
        self.assertIn(shared, self.env["res.partner"].with_user(self.staff_b).search([]))

    # ------------------------------------------------------------ visibility
    def test_staff_sees_only_its_network(self):
        for model in self.a:
            for staff, own, other in (
                (self.staff_a, self.a[model], self.b[model]),
                (self.staff_b, self.b[model], self.a[model]),
            ):
                Model = self.env[model].with_user(staff).with_context(active_test=False)
                found = Model.search([("id", "in", (own | other).ids)])
                self.assertEqual(found, own.with_user(staff), f"{model} as {staff.name}")

    def test_other_network_records_cannot_be_read_or_changed_by_id(self):
        writes = {
            "ess.membership": {"motivation": "Lu ?"},
            "ess.guide.year": {"method": "<p>Lu ?</p>"},
            "ess.action": {"name": "Changée"},
            "ess.assessment": {"state": "done"},
            "ess.evaluation": {"summary": "Changée"},
            "ess.stakeholder": {"name": "Changé"},
            "res.partner": {"name": "Changée"},
        }
        for model, records in self.b.items():
            record = records[:1].with_user(self.staff_a)
            with self.assertRaises(AccessError, msg=model):
                record.read(["display_name"])
            if model in writes:
                with self.assertRaises(AccessError, msg=model):
                    record.write(writes[model])

    def test_name_search_and_read_group_stay_in_the_network(self):
        Partner = self.env["res.partner"].with_user(self.staff_a)
        self.assertFalse(Partner.name_search("Bretonne"))
        self.assertTrue(Partner.name_search("Ligérienne"))
        Guide = self.env["ess.guide.year"].with_user(self.staff_a)
        names = [name for _id, name in Guide.name_search("Guide")]
        self.assertIn(self.a["ess.guide.year"].display_name, names)
        self.assertFalse([name for name in names if "Bretonne" in name])
        for model, field in (
            ("ess.action", "partner_id"),
            ("ess.membership", "partner_id"),
            ("ess.assessment.score", "partner_id"),
            ("ess.guide.year.line", "partner_id"),
        ):
            groups = (
                self.env[model].with_user(self.staff_a).read_group([], [field], [field], lazy=False)
            )
            partners = {group[field][0] for group in groups if group[field]}
            self.assertTrue(partners, model)
            self.assertFalse(partners & set(self.b["res.partner"].ids), model)

    def test_a_user_of_both_networks_sees_the_selected_ones(self):
        Guide = self.env["ess.guide.year"].with_user(self.federation)
        both = self.a["ess.guide.year"] | self.b["ess.guide.year"]
        self.assertEqual(Guide.search([("id", "in", both.ids)]), both)
        only_b = Guide.with_context(allowed_company_ids=self.net_b.ids)
        self.assertEqual(only_b.search([("id", "in", both.ids)]), self.b["ess.guide.year"])
        Partner = self.env["res.partner"].with_user(self.federation)
        self.assertTrue(Partner.search([("id", "=", self.org_b.id)]))
        only_a = Partner.with_context(allowed_company_ids=self.net_a.ids)
        self.assertFalse(only_a.search([("id", "=", self.org_b.id)]))

    def test_portal_user_sees_its_organisation_only(self):
        member = new_test_user(
            self.env,
            "ess_mc_portal_a",
            groups="base.group_portal",
            company_id=self.net_a.id,
            name="Paule Portail",
        )
        member.partner_id.parent_id = self.org_a
        for model in ("ess.guide.year", "ess.action", "ess.membership", "ess.stakeholder"):
            every = self.env[model].search([])
            found = self.env[model].with_user(member).search([("id", "in", every.ids)])
            self.assertEqual(found.partner_id, self.org_a, model)

    def test_library_shared_sheets_and_each_network_s_own(self):
        seed = self.env.ref("ess_network.ess_practice_001")
        self.assertFalse(seed.company_id, "the seed's sheets are shared")
        for staff, own, other in (
            (self.staff_a, self.a, self.b),
            (self.staff_b, self.b, self.a),
        ):
            Practice = self.env["ess.practice"].with_user(staff)
            found = Practice.search(
                [("id", "in", (seed | own["ess.practice"] | other["ess.practice"]).ids)]
            )
            self.assertEqual(found, (seed | own["ess.practice"]).with_user(staff))
        # the sheet a network's member proposed is published: the other
        # network's members do not read it, the shared sheets they do
        self.a["ess.practice"].with_user(self.staff_a).action_publish()
        member_b = new_test_user(
            self.env, "ess_mc_portal_b", groups="base.group_portal", company_id=self.net_b.id
        )
        member_b.partner_id.parent_id = self.org_b
        Practice = self.env["ess.practice"].with_user(member_b)
        self.assertEqual(
            Practice.search([("id", "in", (seed | self.a["ess.practice"]).ids)]),
            seed.with_user(member_b),
        )

    # ----------------------------------------------------- company consistency
    def test_other_network_partners_cannot_be_attached(self):
        cases = [
            (self.a["ess.guide.year"], {"working_group_ids": [Command.link(self.contact_b.id)]}),
            (self.a["ess.guide.year"], {"pilot_ids": [Command.link(self.contact_b.id)]}),
            (self.file_a, {"contact_id": self.contact_b.id}),
            (self.a["ess.evaluation"], {"evaluator_partner_id": self.org_b.id}),
            (
                self.a["ess.evaluation"],
                {
                    "evaluator_partner_id": self.org_b.id,
                    "evaluator_ids": [Command.set(self.contact_b.ids)],
                },
            ),
            (self.a["ess.stakeholder"], {"contact_ids": [Command.link(self.contact_b.id)]}),
            (self.a["ess.action"], {"user_id": self.staff_b.id}),
        ]
        for record, vals in cases:
            # network A's staff don't even see network B's people
            with (
                self.subTest(model=record._name, vals=vals, user="staff"),
                self.assertRaises(UserError),  # AccessError is one too
                self.env.cr.savepoint(),
            ):
                record.with_user(self.staff_a).write(vals)
            # a user of both networks sees them, but cannot mix the networks
            with (
                self.subTest(model=record._name, vals=vals, user="federation"),
                self.assertRaisesRegex(UserError, "Incompatible companies"),
                self.env.cr.savepoint(),
            ):
                record.with_user(self.federation).write(vals)
        with self.assertRaisesRegex(UserError, "Incompatible companies"):
            self.env["ess.guide.year"].with_user(self.federation).create(
                {"partner_id": self.org_b.id, "company_id": self.net_a.id, "year": YEAR + 1}
            )

    # -------------------------------------------------------------- reference
    def _own_question(self, admin, code="1.3.50"):
        return (
            self.env["ess.guide.question"]
            .with_user(admin)
            .create(
                {
                    "domain_id": self.env.ref("ess_network.ess_guide_domain_1_3").id,
                    "code": code,
                    "name": f"Question propre au réseau de {admin.name} ?",
                }
            )
        )

    def test_shared_reference_and_a_network_own_question(self):
        shipped = self.env.ref("ess_network.ess_guide_question_1_3_1")
        self.assertFalse(shipped.company_id, "the shipped reference is shared")
        for staff in (self.staff_a, self.staff_b):
            self.assertTrue(shipped.with_user(staff).read(["name"]))
        own = self._own_question(self.admin_a)
        self.assertEqual(own.company_id, self.net_a)
        Question = self.env["ess.guide.question"]
        self.assertIn(own, Question.with_user(self.staff_a).search([]))
        self.assertNotIn(own, Question.with_user(self.staff_b).search([]))
        with self.assertRaises(AccessError):
            own.with_user(self.staff_b).read(["name"])
        # new records of network A ask it, those of network B never do
        org_a3 = self.env["res.partner"].create({"name": "Scop Nouvelle MC", "is_company": True})
        org_b3 = self.env["res.partner"].create({"name": "Scic Nouvelle MC", "is_company": True})
        for staff, org, asked in ((self.staff_a, org_a3, True), (self.staff_b, org_b3, False)):
            self.env["ess.membership"].with_user(staff).create({"partner_id": org.id})
            guide = self.env["ess.guide.year"].with_user(staff).create({"partner_id": org.id})
            assessment = self.env["ess.assessment"].with_user(staff).create({"partner_id": org.id})
            self.assertEqual(own in guide.sudo().line_ids.question_id, asked, staff.name)
            self.assertEqual(own in assessment.sudo().answer_ids.question_id, asked, staff.name)
            self.assertIn(shipped, guide.line_ids.question_id)
        # network B cannot use it
        with self.assertRaisesRegex(UserError, "Incompatible companies"):
            self.b["ess.action"].with_user(self.federation).write({"question_id": own.id})
        # each network numbers its own questions; a shared one must not clash
        self.assertEqual(self._own_question(self.admin_b).company_id, self.net_b)
        with self.assertRaisesRegex(ValidationError, "already used"):
            self.env["ess.guide.question"].create(
                {
                    "domain_id": own.domain_id.id,
                    "code": "1.3.50",
                    "name": "Partagée ?",
                    "company_id": False,
                }
            )

    def test_network_own_checklist_items_modes_and_areas(self):
        item = (
            self.env["ess.phase.item"]
            .with_user(self.admin_a)
            .create({"name": "Visite du tiers-lieu", "phase": "integration"})
        )
        mode = self.env["ess.dialogue.mode"].with_user(self.admin_a).create({"name": "Forum A"})
        area = (
            self.env["ess.employment.area"]
            .with_user(self.admin_a)
            .create({"name": "Saumur (réseau A)", "code": "MC49"})
        )
        for record in (item, mode, area):
            self.assertEqual(record.company_id, self.net_a)
            self.assertIn(record, record.with_user(self.staff_a).search([]))
            self.assertNotIn(record, record.with_user(self.staff_b).search([]))
        org_a3 = self.env["res.partner"].create({"name": "Scop Nouvelle MC", "is_company": True})
        org_b3 = self.env["res.partner"].create({"name": "Scic Nouvelle MC", "is_company": True})
        file_a3 = (
            self.env["ess.membership"].with_user(self.staff_a).create({"partner_id": org_a3.id})
        )
        file_b3 = (
            self.env["ess.membership"].with_user(self.staff_b).create({"partner_id": org_b3.id})
        )
        self.assertIn(item, file_a3.item_ids.phase_item_id)
        self.assertNotIn(item, file_b3.sudo().item_ids.phase_item_id)
        self.assertEqual(
            len(file_b3.item_ids),
            len(self.env["ess.phase.item"].search([("company_id", "=", False)])),
        )
        with self.assertRaisesRegex(UserError, "Incompatible companies"):
            self.b["ess.stakeholder"].sudo().write({"dialogue_mode_ids": [Command.link(mode.id)]})
        # network B may have its own area with the same INSEE code
        self.env["ess.employment.area"].with_user(self.admin_b).create(
            {"name": "Saumur (réseau B)", "code": "MC49"}
        )

    # -------------------------------------------------------------- benchmark
    def _completed(self, staff, name, level):
        org = self.env["res.partner"].create(
            {"name": name, "is_company": True, "company_id": staff.company_id.id}
        )
        assessment = (
            self.env["ess.assessment"].with_user(staff).create({"partner_id": org.id, "year": 2032})
        )
        question = self.env.ref("ess_network.ess_guide_question_1_3_1")
        answer = assessment.answer_ids.filtered(lambda a: a.question_id == question)
        answer.level_id = self.env.ref(f"ess_network.ess_maturity_level_{level}")
        assessment.action_done()
        return assessment

    def test_benchmark_of_a_network_ignores_the_other(self):
        mine = self._completed(self.staff_a, "Scop Mesurée MC", 2)
        theirs = [self._completed(self.staff_b, f"Membre B{n} MC", 4) for n in range(5)]
        row_a = next(r for r in mine._benchmark() if r["theme"].code == "1")
        self.assertEqual(row_a["score"], 50)
        self.assertEqual(row_a["count"], 0, "alone in its network: nothing to compare with")
        row_b = next(r for r in theirs[0]._benchmark() if r["theme"].code == "1")
        self.assertEqual((row_b["count"], row_b["average"]), (5, 100))

    # --------------------------------------------------------------- settings
    def test_settings_are_per_network(self):
        for company, user, days in ((self.net_a, self.staff_a, 30), (self.net_b, self.staff_b, 3)):
            settings = (
                self.env["res.config.settings"]
                .with_company(company)
                .create({"ess_request_user_id": user.id, "ess_action_reminder_days": days})
            )
            settings.execute()
        self.assertEqual(
            (self.net_a.ess_request_user_id, self.net_a.ess_action_reminder_days),
            (self.staff_a, 30),
        )
        self.assertEqual(
            (self.net_b.ess_request_user_id, self.net_b.ess_action_reminder_days),
            (self.staff_b, 3),
        )
        shown = self.env["res.config.settings"].with_company(self.net_b).create({})
        self.assertEqual(shown.ess_request_user_id, self.staff_b)
        Membership = self.env["ess.membership"]
        self.assertEqual(Membership._default_request_user(self.net_a), self.staff_a)
        self.assertEqual(Membership._default_request_user(self.net_b), self.staff_b)
        # both deadlines in ten days: network A reminds 30 days ahead, B 3 days
        deadline = fields.Date.context_today(self.env["ess.action"]) + timedelta(days=10)
        actions = self.a["ess.action"] | self.b["ess.action"]
        actions.sudo().write({"date_deadline": deadline})
        reminded = self.env["ess.action"]._cron_remind_deadlines()
        self.assertIn(self.a["ess.action"], reminded)
        self.assertNotIn(self.b["ess.action"], reminded)

    def test_request_responsible_works_in_the_network(self):
        Membership = self.env["ess.membership"]
        self.assertEqual(Membership._default_request_user(self.net_a), self.admin_a)
        self.assertEqual(Membership._default_request_user(self.net_b), self.admin_b)
        self.net_a.ess_request_user_id = self.staff_a
        self.assertEqual(Membership._default_request_user(self.net_a), self.staff_a)


@tagged("post_install", "-at_install")
class TestMultiCompanyAdhesion(HttpCase):
    def _ask(self, area, **values):
        """Post the public adhesion form for the employment area ``area``."""
        page = self.url_open("/adhesion")
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        data = {
            "csrf_token": csrf,
            "kind": "association",
            "industry_id": str(self.env.ref("base.res_partner_industry_Q").id),
            "employment_area_id": str(area.id),
            "accept": "on",
            **values,
        }
        return self.url_open("/adhesion", data=data)

    def test_public_request_goes_to_the_network_of_its_area(self):
        net_b = self.env["res.company"].create({"name": "CRESS Bretagne (test)"})
        staff_b = new_test_user(
            self.env, "ess_mc_resp_b", groups=STAFF, company_id=net_b.id, name="Bleuenn Resp B"
        )
        net_b.ess_request_user_id = staff_b
        area = self.env["ess.employment.area"].create(
            {"name": "Brest (test)", "code": "MC29", "company_id": net_b.id}
        )
        page = self.url_open("/adhesion")
        self.assertIn("Brest (test)", page.text, "the public form lists every network's areas")
        response = self._ask(
            area,
            name="Association Finistérienne MC",
            city="Brest",
            contact_name="Gwen Le Gall",
            email="gwen@finisterienne.example",
        )
        self.assertEqual(response.status_code, 200, response.text[:500])
        membership = self.env["ess.membership"].search(
            [("partner_id.name", "=", "Association Finistérienne MC")]
        )
        self.assertEqual(membership.company_id, net_b)
        self.assertEqual(membership.user_id, staff_b)
        self.assertEqual(membership.partner_id.company_id, net_b)
        self.assertEqual(membership.contact_id.company_id, net_b)

    def test_a_member_of_another_network_may_ask_to_join_this_one(self):
        """A member of network B asking to join network A is not told that
        it is "already a member of the network"; asking B again, it is."""
        net_b = self.env["res.company"].create({"name": "CRESS Bretagne (test)"})
        area_a = self.env["ess.employment.area"].create({"name": "Cholet (test)", "code": "MC49"})
        area_b = self.env["ess.employment.area"].create(
            {"name": "Quimper (test)", "code": "MC29Q", "company_id": net_b.id}
        )
        org = self.env["res.partner"].create(
            {"name": "Scop Armoricaine MC", "is_company": True, "email": "scop@armor.example"}
        )
        self.env["ess.membership"].create(
            {"partner_id": org.id, "company_id": net_b.id, "state": "member"}
        )
        self.assertEqual(org.company_id, net_b)

        def ask(area):
            return self._ask(
                area,
                name="SCOP  armoricaine mc",
                kind="scop",
                city="Cholet",
                contact_name="Yann Le Goff",
                email="scop@armor.example",
            )

        response = ask(area_b)
        self.assertEqual(response.status_code, 400)
        self.assertIn("already a member", response.text)
        response = ask(area_a)
        self.assertEqual(response.status_code, 200, response.text[:500])
        requests = self.env["ess.membership"].search(
            [("partner_id.ess_name_key", "=", org.ess_name_key)]
        )
        self.assertEqual(len(requests), 2)
        self.assertEqual(
            (requests - org.ess_membership_ids).company_id, self.env.ref("base.main_company")
        )
