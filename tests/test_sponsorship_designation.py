import itertools
import random

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import BaseCase, Form, tagged, warmup

from ..tools.assignment import best_assignment
from .common import EssSponsorshipCase


class DesignationCase(EssSponsorshipCase):
    """New members to sponsor besides ``org``, sponsorships under way (a
    sponsor's load) and ended (its experience), and the designation wizard
    as the pole manager opens it."""

    @classmethod
    def _new_member(cls, name, area=None, industry=None):
        """An organisation in its integration phase, which may ask for a
        sponsor (by default: in Nantes, the sector of ``org``)."""
        partner = cls._create_org(
            name,
            ess_employment_area_id=(area or cls.area_nantes).id,
            industry_id=(industry or cls.industry).id,
        )
        cls.env["ess.membership"].create({"partner_id": partner.id})
        return partner

    @classmethod
    def _past_sponsorship(cls, sponsor, state="designated"):
        """A sponsorship of ``sponsor`` already designated (its load) or
        ended (its experience), for an organisation of its own."""
        partner = cls._create_org(f"Filleul {sponsor.partner_id.name} {state}")
        return (
            cls.env["ess.sponsorship"]
            .sudo()
            .create(
                {
                    "partner_id": partner.id,
                    "sponsor_id": sponsor.id,
                    "state": state,
                    "designation_date": fields.Datetime.now(),
                }
            )
        )

    def _wizard(self, sponsorship, user=None):
        return (
            self.env["ess.sponsorship.designate"]
            .with_user(user or self.pole_manager)
            .create({"sponsorship_id": sponsorship.id})
        )

    def _line(self, wizard, sponsor):
        return wizard.line_ids.filtered(lambda line: line.sponsor_id == sponsor)


@tagged("post_install", "-at_install")
class TestDesignationRules(DesignationCase):
    """The five rules beyond what ``TestSponsorshipRules`` checks: the
    reasons of the rules that hold, a commercial relationship declared by
    the sponsor, a profile not filled in, nearness and capacity."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.good = cls._sponsor("Coopérative Voisine")
        cls.same_area = cls._sponsor("Association Nantaise", area=cls.area_nantes)
        cls.far = cls._sponsor("Coopérative Lointaine", area=cls.area_cholet)
        cls.seller = cls._sponsor("Scop Vendeuse")
        cls.seller.partner_id.ess_commercial_relation_ids = [(4, cls.org.id)]
        cls.no_sector = cls._sponsor("Association Sans Secteur")
        cls.no_sector.partner_id.industry_id = False
        cls.no_area = cls._sponsor("Association Sans Bassin")
        cls.no_area.partner_id.ess_employment_area_id = False
        cls.sponsorship = (
            cls.env["ess.sponsorship"].with_user(cls.staff).create({"partner_id": cls.org.id})
        )

    def _candidates(self):
        return {c["sponsor"]: c for c in self.sponsorship._candidates()}

    def test_rules_that_hold_say_why(self):
        rules = self._candidates()[self.good]["rules"]
        self.assertEqual(
            list(rules), ["full_cycle", "conducted", "no_trade", "other_sector", "near"]
        )
        expected = {
            "full_cycle": "Has had a completed cross-evaluation \\(full cycle\\)",
            "conducted": "Has conducted 1 completed evaluation\\(s\\) at other members",
            "no_trade": "No declared commercial relationship with Association Test Solidaire",
            "other_sector": "Another sector of activity: .+ \\(new member: .+\\)",
            "near": "Neighbouring employment area: Angers \\(test\\), next to Nantes \\(test\\)",
        }
        for rule, reason in expected.items():
            passes, text = rules[rule]
            self.assertTrue(passes, rule)
            self.assertRegex(text, reason)

    def test_commercial_relationship_declared_by_the_sponsor(self):
        passes, reason = self._candidates()[self.seller]["rules"]["no_trade"]
        self.assertFalse(passes)
        self.assertEqual(
            reason,
            "Scop Vendeuse declared a commercial relationship with Association Test Solidaire.",
        )

    def test_a_profile_not_filled_in_fails_its_rule(self):
        candidates = self._candidates()
        passes, reason = candidates[self.no_sector]["rules"]["other_sector"]
        self.assertFalse(passes)
        self.assertIn(
            "sector of activity of the organisation “Association Sans Secteur” is not filled in",
            reason,
        )
        passes, reason = candidates[self.no_area]["rules"]["near"]
        self.assertFalse(passes)
        self.assertIn(
            "employment area of the organisation “Association Sans Bassin” is not filled in", reason
        )
        self.assertFalse(candidates[self.no_area]["eligible"])

    def test_same_area_neighbouring_area_far_area(self):
        candidates = self._candidates()
        same, near, far = (candidates[s] for s in (self.same_area, self.good, self.far))
        self.assertEqual((same["nearness"], same["eligible"]), (60, True))
        self.assertEqual(same["rules"]["near"][1], "Same employment area: Nantes (test).")
        self.assertEqual((near["nearness"], near["eligible"]), (30, True))
        self.assertEqual((far["nearness"], far["eligible"]), (0, False))
        self.assertGreater(same["score"], near["score"])

    def test_the_wizard_shows_every_rule_and_its_reason(self):
        wizard = self._wizard(self.sponsorship)
        # at first the volunteers for which the five rules hold
        self.assertEqual(wizard.line_ids.sponsor_id, self.good | self.same_area)
        self.assertEqual((wizard.volunteer_count, wizard.hidden_count), (6, 4))
        self.assertFalse(wizard.show_all)
        self.assertFalse(self._line(wizard, self.far))
        action = wizard.action_show_all()
        self.assertEqual((action["res_model"], action["res_id"]), (wizard._name, wizard.id))
        self.assertTrue(wizard.show_all)
        self.assertEqual((wizard.candidate_count, wizard.hidden_count), (6, 0))
        self.assertEqual(wizard.line_ids.mapped("rank"), list(range(1, 7)))
        line = self._line(wizard, self.far)
        self.assertEqual(line.status, "ineligible")
        self.assertEqual(
            [
                line[f"rule_{rule}"]
                for rule in ("full_cycle", "conducted", "no_trade", "other_sector", "near")
            ],
            [True, True, True, True, False],
        )
        self.assertIn("is far from the new member's", line.reasons)
        details = line.rules_text.splitlines()
        self.assertEqual(len(details), 6)  # the five rules and the load
        self.assertTrue(details[0].startswith("✔ Full cycle: "))
        self.assertTrue(details[4].startswith("✘ Nearby employment area: "))
        self.assertEqual(details[5], "Sponsorships under way: 0 (capacity: 1).")
        good = self._line(wizard, self.good)
        self.assertEqual(good.status, "eligible")
        self.assertIn("Neighbouring employment area", good.reasons)


@tagged("post_install", "-at_install")
class TestDesignationRanking(DesignationCase):
    """A hand-checked ranking: nearness (same area 60, neighbouring 30),
    availability (20 × the free share of the capacity) and experience (3
    per evaluation conducted or sponsorship ended, at most 9)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Nantes, 1 sponsorship of 2 → 60 + round(20 × 1/2) + 3 × 1 evaluation = 73
        cls.alpha = cls._sponsor("Coopérative Alpha", area=cls.area_nantes, capacity=2)
        cls._past_sponsorship(cls.alpha)
        # Angers, free → 30 + 20 + 3 × 3 evaluations = 59
        cls.beta = cls._sponsor("Scop Beta")
        cls._evaluations(evaluators=[cls.beta.partner_id, cls.beta.partner_id])
        # Nantes, free → 60 + 20 + 3 × 1 evaluation = 83
        cls.gamma = cls._sponsor("Scic Gamma", area=cls.area_nantes)
        # Angers, 1 sponsorship of 4, 1 ended → 30 + round(20 × 3/4) + 3 × (1 + 1) = 51
        cls.delta = cls._sponsor("Mutuelle Delta", capacity=4)
        cls._past_sponsorship(cls.delta)
        cls._past_sponsorship(cls.delta, state="ended")
        # Nantes, but at its capacity: shown, not eligible
        cls.full = cls._sponsor("Association Complète", area=cls.area_nantes)
        cls._past_sponsorship(cls.full)
        # Cholet: far
        cls.far = cls._sponsor("Coopérative Lointaine", area=cls.area_cholet)
        # paused: not listed
        cls.paused = cls._sponsor(
            "Association En Pause",
            area=cls.area_nantes,
            paused_until=fields.Date.add(fields.Date.today(), days=30),
        )

    def test_ranking_and_the_parts_of_the_score(self):
        wizard = self._wizard(self._request())
        parts = [
            (line.sponsor_id, line.nearness, line.availability, line.experience, line.score)
            for line in wizard.line_ids
        ]
        self.assertEqual(
            parts[:4],
            [
                (self.gamma, 60, 20, 3, 83),
                (self.alpha, 60, 10, 3, 73),
                (self.beta, 30, 20, 9, 59),
                (self.delta, 30, 15, 6, 51),
            ],
        )
        # the five rules hold for the one at capacity: shown, last
        self.assertEqual(wizard.line_ids.mapped("rank"), list(range(1, 6)))
        self.assertEqual(wizard.line_ids[4].sponsor_id, self.full)
        self.assertEqual(wizard.eligible_count, 4)
        self.assertEqual((wizard.candidate_count, wizard.volunteer_count), (5, 6))
        self.assertNotIn(self.paused, wizard.line_ids.sponsor_id)
        wizard.action_show_all()
        self.assertEqual(wizard.line_ids.mapped("rank"), list(range(1, 7)))
        self.assertEqual(set(wizard.line_ids[4:].sponsor_id), {self.full, self.far})
        self.assertEqual(wizard.line_ids[:4].mapped("score"), [83, 73, 59, 51])
        self.assertNotIn(self.paused, wizard.line_ids.sponsor_id)
        delta = self._line(wizard, self.delta)
        self.assertEqual((delta.load, delta.capacity, delta.evaluations, delta.ended), (1, 4, 1, 1))

    def test_at_capacity_is_shown_and_can_only_be_forced(self):
        sponsorship = self._request()
        wizard = self._wizard(sponsorship)
        line = self._line(wizard, self.full)
        self.assertEqual(line.status, "at_capacity")
        self.assertTrue(line.at_capacity)
        self.assertFalse(line.eligible)
        self.assertEqual((line.load, line.capacity), (1, 1))
        self.assertIn("At capacity: 1 under way, for a capacity of 1.", line.reasons)
        with self.assertRaisesRegex(UserError, "write why you designate it anyway"):
            line.action_designate()
        wizard.justification = "Le seul parrain du bassin qui connaît le secteur."
        line.action_designate()
        self.assertEqual(sponsorship.sponsor_id, self.full)
        self.assertTrue(sponsorship.forced)
        self.assertIn("At capacity", sponsorship.designation_report)
        self.full.invalidate_recordset(["load"])
        self.assertEqual(self.full.load, 2)

    def test_paused_or_withdrawn_sponsors_cannot_be_designated(self):
        sponsorship = self._request().with_user(self.pole_manager)
        with self.assertRaisesRegex(UserError, "has paused its sponsorships until"):
            sponsorship._designate(self.paused, justification="Il veut bien quand même.")
        self.gamma.action_withdraw()
        with self.assertRaisesRegex(UserError, "has withdrawn from the pool of sponsors"):
            sponsorship._designate(self.gamma)
        self.assertNotIn(self.gamma, self._wizard(sponsorship).line_ids.sponsor_id)
        self.assertEqual(sponsorship.state, "requested")


@tagged("post_install", "-at_install")
class TestDesignation(DesignationCase):
    """Designating: as the pole, forced with a justification, never twice,
    never the new member itself; who is told, what is planned."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.good = cls._sponsor("Coopérative Voisine")
        cls.far = cls._sponsor("Coopérative Lointaine", area=cls.area_cholet)

    def test_the_wizard_opens_with_its_candidates(self):
        sponsorship = self._request()
        action = sponsorship.with_user(self.pole_manager).action_designate()
        wizard = self.env["ess.sponsorship.designate"].browse(action["res_id"])
        self.assertEqual(wizard.sponsorship_id, sponsorship)
        self.assertEqual(wizard.line_ids.sponsor_id, self.good)
        self.assertEqual(wizard.hidden_count, 1)
        wizard.action_show_all()
        self.assertEqual(wizard.line_ids[0].sponsor_id, self.good)
        self.assertEqual(wizard.line_ids.sponsor_id, self.good | self.far)

    def test_every_volunteer_at_once_when_none_meets_the_rules(self):
        self.good.action_withdraw()
        wizard = self._wizard(self._request())
        self.assertTrue(wizard.show_all)
        self.assertEqual(wizard.line_ids.sponsor_id, self.far)
        self.assertEqual((wizard.eligible_count, wizard.hidden_count), (0, 0))

    def test_staff_cannot_designate(self):
        sponsorship = self._request()
        with self.assertRaises(AccessError):
            self._wizard(sponsorship, user=self.staff)
        with self.assertRaisesRegex(AccessError, "Only the sponsorship pole designates"):
            sponsorship.with_user(self.staff)._designate(self.good)
        with self.assertRaisesRegex(AccessError, "Only the sponsorship pole designates"):
            sponsorship.with_user(self.staff)._designate(self.far, justification="Pourquoi pas")
        self.assertEqual(sponsorship.state, "requested")

    def test_forced_designation(self):
        sponsorship = self._request()
        self.env.cr.flush()  # the request was recorded in an earlier transaction
        wizard = self._wizard(sponsorship)
        wizard.action_show_all()
        line = self._line(wizard, self.far)
        with self.assertRaisesRegex(UserError, "write why you designate it anyway"):
            line.action_designate()
        wizard.justification = "   "
        with self.assertRaisesRegex(UserError, "write why you designate it anyway"):
            line.action_designate()
        self.assertEqual(sponsorship.state, "requested")
        justification = "Seule organisation du réseau qui connaît ce secteur."
        wizard.justification = justification
        line.action_designate()
        self.assertEqual(sponsorship.state, "designated")
        self.assertEqual(sponsorship.sponsor_id, self.far)
        self.assertTrue(sponsorship.forced)
        self.assertEqual(sponsorship.forced_justification, justification)
        self.assertEqual(sponsorship.designation_failed_rules, "near")
        self.assertEqual(sponsorship.designated_by_id, self.pole_manager)
        note = sponsorship.message_ids.filtered(lambda m: "Forced designation" in m.body)
        self.assertEqual(len(note), 1)
        self.assertIn(justification, note.body)
        self.assertIn("is far from the new member", note.body)
        self.env.cr.flush()  # tracking values are written by the pre-commit hooks
        tracked = self.env["mail.tracking.value"].search(
            [
                ("mail_message_id.model", "=", "ess.sponsorship"),
                ("mail_message_id.res_id", "=", sponsorship.id),
                ("field_id.name", "in", ("forced", "forced_justification")),
            ]
        )
        self.assertEqual(
            sorted(tracked.mapped("field_id.name")), ["forced", "forced_justification"]
        )
        forced = tracked.filtered(lambda t: t.field_id.name == "forced")
        self.assertEqual((forced.old_value_integer, forced.new_value_integer), (0, 1))

    def test_an_eligible_designation_is_not_forced(self):
        sponsorship = self._request()
        wizard = self._wizard(sponsorship)
        wizard.justification = "Inutile ici"
        self._line(wizard, self.good).action_designate()
        self.assertFalse(sponsorship.forced)
        self.assertFalse(sponsorship.forced_justification)
        self.assertFalse(sponsorship.designation_failed_rules)
        self.assertTrue(sponsorship.designation_date)

    def test_designating_twice_is_refused(self):
        sponsorship = self._request()
        wizard = self._wizard(sponsorship)
        other_wizard = self._wizard(sponsorship)
        other_wizard.action_show_all()
        self._line(wizard, self.good).action_designate()
        # a second wizard opened before the first designation
        other_wizard.justification = "Deuxième essai"
        with self.assertRaisesRegex(UserError, "cannot be designated twice"):
            self._line(other_wizard, self.far).action_designate()
        # and a wizard opened afterwards
        with self.assertRaisesRegex(UserError, "no longer waiting for a sponsor"):
            self._wizard(sponsorship)
        self.assertEqual(sponsorship.sponsor_id, self.good)

    def test_the_new_member_cannot_sponsor_itself(self):
        itself = self.env["ess.sponsor"].create({"partner_id": self.org.id})
        sponsorship = self._request()
        self.assertNotIn(itself, self._wizard(sponsorship).line_ids.sponsor_id)
        with self.assertRaisesRegex(
            UserError, "Association Test Solidaire cannot be its own sponsor"
        ):
            sponsorship.with_user(self.pole_manager)._designate(itself, justification="Essai")
        self.assertEqual(sponsorship.state, "requested")

    def test_a_line_of_another_wizard_is_refused(self):
        sponsorship = self._request()
        other = self._request(partner=self._new_member("Scop Autre Demande"))
        line = self._line(self._wizard(other), self.good)
        with self.assertRaisesRegex(UserError, "not proposed for this request"):
            self._wizard(sponsorship)._designate(line)

    def test_designation_notifies_both_sides_and_plans_the_first_session(self):
        sponsorship = self._request()
        self._line(self._wizard(sponsorship), self.good).action_designate()
        person = self.good.person_ids
        sent = self.env["mail.message"].search(
            [
                ("model", "=", "ess.sponsorship"),
                ("res_id", "=", sponsorship.id),
                ("message_type", "!=", "user_notification"),
                ("partner_ids", "!=", False),
            ]
        )
        self.assertEqual(len(sent), 2)
        to_sponsor = sent.filtered(lambda m: person in m.partner_ids)
        to_member = sent.filtered(lambda m: self.org_contact in m.partner_ids)
        self.assertEqual(to_sponsor.partner_ids, person)
        self.assertEqual(to_member.partner_ids, self.org_contact)
        self.assertIn("Parrainage de Association Test Solidaire", to_sponsor.subject)
        self.assertIn("Coopérative Voisine", to_member.subject)
        mails = self.env["mail.mail"].sudo().search([("mail_message_id", "in", sent.ids)])
        # (the followers of the sponsorship get them too)
        self.assertLessEqual(person | self.org_contact, mails.recipient_ids)
        self.assertEqual(
            mails.filtered(lambda m: person in m.recipient_ids).mail_message_id, to_sponsor
        )
        session = self.env.ref("ess_network.mail_activity_type_sponsorship_session")
        planned = sponsorship.activity_ids.filtered(lambda a: a.activity_type_id == session)
        self.assertEqual(len(planned), 1)
        self.assertEqual(planned.user_id, self.pole_manager)
        self.assertEqual(
            planned.date_deadline, fields.Date.add(fields.Date.context_today(planned), days=7)
        )
        # the request's own activity is done
        designate = self.env.ref("ess_network.mail_activity_type_sponsorship_designate")
        self.assertFalse(
            sponsorship.activity_ids.filtered(lambda a: a.activity_type_id == designate)
        )


@tagged("post_install", "-at_install")
class TestRuleAlert(DesignationCase):
    """A rule that stops holding during a sponsorship flags it, once, and
    gives the pole an activity."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.good = cls._sponsor("Coopérative Voisine")
        cls.second = cls._sponsor("Scop Seconde")
        cls.alert = cls.env.ref("ess_network.mail_activity_type_sponsorship_alert")

    def _designated(self, sponsor=None, partner=None):
        sponsorship = self._request(partner=partner)
        sponsorship.with_user(self.pole_manager)._designate(sponsor or self.good)
        self.assertFalse(sponsorship.rule_alert)
        return sponsorship

    def _alerts(self, sponsorship):
        return sponsorship.activity_ids.filtered(lambda a: a.activity_type_id == self.alert)

    def _alert_notes(self, sponsorship):
        return sponsorship.message_ids.filtered(lambda m: "no longer holds" in (m.body or ""))

    def assertFlaggedOnce(self, sponsorship, reason):
        self.assertTrue(sponsorship.rule_alert)
        self.assertIn(reason, sponsorship.rule_alert_reason)
        activity = self._alerts(sponsorship)
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.pole_manager)
        self.assertIn(reason, activity.note)
        self.assertEqual(len(self._alert_notes(sponsorship)), 1)

    def test_the_new_member_declares_a_commercial_relationship(self):
        sponsorship = self._designated()
        self.org.with_user(self.staff).write(
            {"ess_commercial_relation_ids": [(4, self.good.partner_id.id)]}
        )
        reason = (
            "Association Test Solidaire declared a commercial relationship with "
            "Coopérative Voisine."
        )
        self.assertFlaggedOnce(sponsorship, reason)
        # the same trigger again: nothing more
        self.org.with_user(self.staff).write(
            {"ess_commercial_relation_ids": [(4, self.good.partner_id.id)]}
        )
        sponsorship._check_rules_still_hold()
        self.assertFlaggedOnce(sponsorship, reason)

    def test_the_sponsor_declares_a_commercial_relationship(self):
        sponsorship = self._designated()
        self.good.partner_id.with_user(self.staff).write(
            {"ess_commercial_relation_ids": [(4, self.org.id)]}
        )
        self.assertFlaggedOnce(
            sponsorship,
            "Coopérative Voisine declared a commercial relationship with "
            "Association Test Solidaire.",
        )

    def test_sector_or_area_changes(self):
        sponsorship = self._designated()
        self.good.partner_id.with_user(self.staff).industry_id = self.industry
        self.assertFlaggedOnce(sponsorship, "Same sector of activity as the new member")
        # the new member moves far away: a new reason, told once more; the
        # activity still to do is not planned twice
        self.org.with_user(self.staff).ess_employment_area_id = self.area_cholet
        self.assertIn("is far from the new member's", sponsorship.rule_alert_reason)
        self.assertEqual(len(self._alerts(sponsorship)), 1)
        self.assertEqual(len(self._alert_notes(sponsorship)), 2)

    def test_a_change_that_breaks_no_rule_flags_nothing(self):
        sponsorship = self._designated()
        self.good.partner_id.with_user(self.staff).write(
            {"industry_id": self.third_industry.id, "ess_employment_area_id": self.area_nantes.id}
        )
        self.org.with_user(self.staff).write(
            {"ess_commercial_relation_ids": [(4, self.second.partner_id.id)]}
        )
        self.assertFalse(sponsorship.rule_alert)
        self.assertFalse(self._alerts(sponsorship))

    def test_one_write_checks_every_sponsorship_concerned(self):
        first = self._designated()
        other_member = self._new_member("Scop Deuxième Filleule")
        second = self._designated(sponsor=self.second, partner=other_member)
        (self.good.partner_id | self.second.partner_id).with_user(self.staff).write(
            {"industry_id": self.industry.id}
        )
        self.assertTrue(first.rule_alert)
        self.assertTrue(second.rule_alert)

    def test_the_sponsor_withdraws(self):
        sponsorship = self._designated()
        self.good.action_withdraw()
        self.assertFlaggedOnce(sponsorship, "Coopérative Voisine has withdrawn from the pool")
        sponsorship._check_rules_still_hold()
        self.assertFlaggedOnce(sponsorship, "Coopérative Voisine has withdrawn from the pool")

    def test_a_forced_rule_does_not_flag_again(self):
        far = self._sponsor("Coopérative Lointaine", area=self.area_cholet)
        sponsorship = self._request()
        sponsorship.with_user(self.pole_manager)._designate(far, justification="Choix du pôle")
        sponsorship._check_rules_still_hold()
        self.org.with_user(self.staff).industry_id = self.third_industry
        self.assertFalse(sponsorship.rule_alert)

    def test_the_pole_keeps_the_sponsor(self):
        sponsorship = self._designated()
        self.good.partner_id.with_user(self.staff).industry_id = self.industry
        sponsorship.with_user(self.pole_manager).action_clear_rule_alert()
        self.assertFalse(sponsorship.rule_alert)
        self.assertFalse(self._alerts(sponsorship))


@tagged("post_install", "-at_install")
class TestDesignationQueries(DesignationCase):
    """The rules are read for the whole pool at once: opening the wizard
    costs as many queries with 10 candidates as with 100."""

    def _cheap_sponsors(self, count, start=0):
        """``count`` eligible volunteers, made in a few queries."""
        partners = self.env["res.partner"].create(
            [
                {
                    "name": f"Bénévole {start + index:03d}",
                    "is_company": True,
                    "ess_employment_area_id": self.area_angers.id,
                    "industry_id": self.other_industry.id,
                }
                for index in range(count)
            ]
        )
        # Rules 1 and 2 read the two stored flags of the organisation, which
        # completed evaluations compute; a hundred evaluations would make the
        # test slow for nothing, so the flags are set directly (as superuser).
        self.env.flush_all()
        self.env.cr.execute(
            """
            UPDATE res_partner
               SET ess_has_completed_evaluation = TRUE, ess_has_conducted_evaluation = TRUE
             WHERE id = ANY(%s)
            """,
            [partners.ids],
        )
        partners.invalidate_recordset(
            ["ess_has_completed_evaluation", "ess_has_conducted_evaluation"]
        )
        self.env["ess.sponsor"].with_context(tracking_disable=True).create(
            [{"partner_id": partner.id, "capacity": 2} for partner in partners]
        )

    def _open(self, sponsorship, budget):
        # what the set-up left to write (tracking values) is written first,
        # and nothing is known before the wizard opens
        self.env.flush_all()
        self.env.cr.flush()
        self.env.invalidate_all()
        Wizard = self.env["ess.sponsorship.designate"].with_user(self.pole_manager)
        with self.assertQueryCount(budget):
            wizard = Wizard.create({"sponsorship_id": sponsorship.id})
            self.env.flush_all()
        return wizard

    @warmup
    def test_query_count_does_not_grow_with_candidates(self):
        # a few candidates of every kind, for every rule to be read
        self._sponsor("Coopérative Voisine")
        self._sponsor("Coopérative Lointaine", area=self.area_cholet)
        sponsorship = self._request()
        self._cheap_sponsors(8)
        wizard = self._open(sponsorship, 9)
        self.assertEqual((len(wizard.line_ids), wizard.volunteer_count), (9, 10))
        self._cheap_sponsors(90, start=8)
        wizard = self._open(sponsorship, 9)
        self.assertEqual((len(wizard.line_ids), wizard.volunteer_count), (99, 100))
        self.assertEqual(wizard.eligible_count, 99)

    @warmup
    def test_cohort_query_count_does_not_grow_with_requests(self):
        """The cohort reads the rules of every request at once."""
        self._sponsor("Coopérative Voisine")
        self._cheap_sponsors(10)
        members = [self.org] + [self._new_member(f"Scop Filleule {n}") for n in range(7)]
        Cohort = self.env["ess.sponsorship.cohort"].with_user(self.pole_manager)
        for count in (2, 8):
            requests = self.env["ess.sponsorship"].browse(
                [self._request(partner=member).id for member in members[:count]]
            )
            self.env.flush_all()
            self.env.cr.flush()
            self.env.invalidate_all()
            with self.assertQueryCount(9):
                cohort = Cohort.create({"sponsorship_ids": requests.ids})
                self.env.flush_all()
            self.assertEqual(len(cohort.line_ids), count)
            self.assertEqual(len(cohort.line_ids.filtered("sponsor_id")), count)
            for sponsorship in requests:
                sponsorship.with_user(self.pole_manager)._record_cancel("Mesure")


@tagged("post_install", "-at_install")
class TestCohort(DesignationCase):
    """Proposing sponsors for the whole cohort of waiting requests."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # the new members: org (Nantes, the oldest request), then two others
        cls.bretonne = cls._new_member("Scop Bretonne")
        cls.isolated = cls._new_member("Association Isolée", area=cls.area_cholet)
        # Alpha (Nantes) is the best sponsor for org and the only eligible
        # one of Bretonne, which trades with Beta (Angers)
        cls.alpha = cls._sponsor("Coopérative Alpha", area=cls.area_nantes)
        cls.beta = cls._sponsor("Scop Beta")
        cls.bretonne.ess_commercial_relation_ids = [(4, cls.beta.partner_id.id)]
        cls.far = cls._sponsor("Coopérative Lointaine", area=cls.area_cholet, industry=cls.industry)

    def setUp(self):
        super().setUp()
        self.first = self._request()
        self.first.request_date = fields.Date.add(fields.Date.today(), days=-10)
        self.second = self._request(partner=self.bretonne)
        self.second.request_date = fields.Date.add(fields.Date.today(), days=-5)
        self.third = self._request(partner=self.isolated)

    def _cohort(self, sponsorships=None):
        Cohort = self.env["ess.sponsorship.cohort"].with_user(self.pole_manager)
        action = Cohort._action_open(sponsorships)
        return Cohort.browse(action["res_id"])

    def _by_request(self, cohort):
        return {line.sponsorship_id: line for line in cohort.line_ids}

    def test_the_optimum_beats_first_come_first_served(self):
        # one request after the other, each its best sponsor: org takes
        # Alpha, and Bretonne is left without a sponsor
        self.assertEqual(self.first._candidates()[0]["sponsor"], self.alpha)
        self.assertEqual(
            [c["sponsor"] for c in self.second._candidates() if c["eligible"]], [self.alpha]
        )
        cohort = self._cohort()
        lines = self._by_request(cohort)
        self.assertEqual(list(lines), [self.first, self.second, self.third])
        self.assertEqual(lines[self.first].sponsor_id, self.beta)
        self.assertEqual(lines[self.second].sponsor_id, self.alpha)
        self.assertEqual(lines[self.first].status, "proposed")
        self.assertEqual(
            (
                lines[self.first].nearness,
                lines[self.first].availability,
                lines[self.first].experience,
                lines[self.first].score,
            ),
            (30, 20, 3, 53),
        )
        self.assertEqual(lines[self.first].eligible_sponsor_ids, self.alpha | self.beta)
        # no eligible sponsor for the isolated member: shown as such
        self.assertFalse(lines[self.third].sponsor_id)
        self.assertEqual(lines[self.third].status, "none")
        self.assertEqual(
            (cohort.request_count, cohort.proposed_count, cohort.unmatched_count), (3, 2, 1)
        )

    def test_capacity_is_respected(self):
        # Alpha takes two, Beta is away: both requests go to Alpha
        self.alpha.capacity = 2
        self.beta.paused_until = fields.Date.add(fields.Date.today(), days=10)
        lines = self._by_request(self._cohort())
        self.assertEqual(lines[self.first].sponsor_id, self.alpha)
        self.assertEqual(lines[self.second].sponsor_id, self.alpha)
        # with a sponsorship already under way, Alpha has room for one only
        self._past_sponsorship(self.alpha)
        lines = self._by_request(self._cohort())
        self.assertEqual((lines[self.first] | lines[self.second]).sponsor_id, self.alpha)
        left = (lines[self.first] | lines[self.second]).filtered(lambda line: not line.sponsor_id)
        self.assertEqual(len(left), 1)
        self.assertEqual(left.status, "waiting")

    def test_the_selected_requests_only(self):
        cohort = self._cohort(self.second | self.third)
        self.assertEqual(cohort.line_ids.sponsorship_id, self.second | self.third)
        self.assertEqual(self._by_request(cohort)[self.second].sponsor_id, self.alpha)
        self.second.with_user(self.pole_manager)._designate(self.alpha)
        with self.assertRaisesRegex(UserError, "None of the selected sponsorships is waiting"):
            self._cohort(self.second)

    def test_confirm_designates_them_all(self):
        cohort = self._cohort()
        cohort.action_confirm()
        self.assertEqual(self.first.sponsor_id, self.beta)
        self.assertEqual(self.second.sponsor_id, self.alpha)
        for sponsorship in self.first | self.second:
            self.assertEqual(sponsorship.state, "designated")
            self.assertFalse(sponsorship.forced)
            self.assertEqual(sponsorship.designated_by_id, self.pole_manager)
            self.assertTrue(sponsorship.designation_report)
        self.assertEqual(self.third.state, "requested")

    def test_forcing_a_sponsor_in_the_form(self):
        cohort = self._cohort()
        form = Form(cohort)
        with form.line_ids.edit(2) as line:
            self.assertEqual(line.status, "none")
            line.force = True
            line.sponsor_id = self.far
            self.assertTrue(line.forced)
            self.assertEqual(line.status, "forced")
            line.justification = "Le pôle assume ce choix."
        self.assertEqual(form.forced_count, 1)
        form.save()
        line = self._by_request(cohort)[self.third]
        self.assertEqual(line.sponsor_id, self.far)
        self.assertTrue(line.forced)

    def test_a_forced_line_needs_its_justification(self):
        cohort = self._cohort()
        lines = self._by_request(cohort)
        lines[self.third].sponsor_id = self.far
        self.assertTrue(lines[self.third].forced)
        self.assertEqual(cohort.forced_count, 1)
        with self.assertRaisesRegex(UserError, "write why for each of them.*Association Isolée"):
            cohort.action_confirm()
        self.assertEqual((self.first | self.second | self.third).mapped("state"), ["requested"] * 3)
        lines[self.third].justification = "Même bassin que son futur client, le pôle assume."
        cohort.action_confirm()
        self.assertEqual(self.third.sponsor_id, self.far)
        self.assertTrue(self.third.forced)
        self.assertIn("le pôle assume", self.third.forced_justification)
        self.assertFalse(self.first.forced)

    def test_a_sponsor_chosen_beyond_its_room_is_forced(self):
        cohort = self._cohort()
        lines = self._by_request(cohort)
        # Alpha has room for one: choosing it for org as well is forced
        lines[self.first].sponsor_id = self.alpha
        self.assertEqual(lines[self.first].status, "changed")
        self.assertTrue(lines[self.second].forced)
        with self.assertRaisesRegex(UserError, "Scop Bretonne"):
            cohort.action_confirm()
        lines[self.second].justification = "Alpha accepte exceptionnellement un deuxième filleul."
        cohort.action_confirm()
        self.assertFalse(self.first.forced)
        self.assertTrue(self.second.forced)
        self.alpha.invalidate_recordset(["load"])
        self.assertEqual(self.alpha.load, 2)

    def test_a_request_can_keep_waiting(self):
        cohort = self._cohort()
        lines = self._by_request(cohort)
        lines[self.first].sponsor_id = False
        self.assertEqual(lines[self.first].status, "waiting")
        cohort.action_confirm()
        self.assertEqual(self.first.state, "requested")
        self.assertEqual(self.second.state, "designated")

    def test_only_the_pole(self):
        with self.assertRaises(AccessError):
            self.env["ess.sponsorship.cohort"].with_user(self.staff)._action_open()
        action = self.env.ref("ess_network.ess_sponsorship_cohort_action_server")
        self.assertEqual(
            action.groups_id, self.env.ref("ess_network.group_ess_sponsorship_manager")
        )
        self.assertEqual(action.binding_model_id.model, "ess.sponsorship")

    def test_the_menu_opens_every_waiting_request(self):
        action = self.env.ref("ess_network.ess_sponsorship_cohort_action_server")
        result = action.with_user(self.pole_manager).with_context(active_model=None).run()
        cohort = self.env["ess.sponsorship.cohort"].browse(result["res_id"])
        self.assertEqual(cohort.line_ids.sponsorship_id, self.first | self.second | self.third)
        nothing = self.env["ess.sponsorship"]
        for sponsorship in self.first | self.second | self.third:
            sponsorship.with_user(self.pole_manager)._record_cancel("Plus de besoin")
        with self.assertRaisesRegex(UserError, "No request is waiting for a sponsor"):
            self.env["ess.sponsorship.cohort"].with_user(self.pole_manager)._action_open(nothing)


@tagged("post_install", "-at_install")
class TestAssignment(BaseCase):
    """``tools.assignment.best_assignment`` alone: plain Python."""

    def test_greedy_leaves_a_row_out_the_optimum_does_not(self):
        values = {("r1", "A"): 10, ("r1", "B"): 5, ("r2", "A"): 10}
        capacities = {"A": 1, "B": 1}
        # first come first served: r1 takes its best, A; r2 gets nothing
        self.assertEqual(best_assignment(values, capacities), {"r1": "B", "r2": "A"})

    def test_greedy_is_further_the_optimum_is_nearer(self):
        # r1 is as near to A as to B; r2 is near A only: r1 must take B
        values = {("r1", "A"): 60, ("r1", "B"): 60, ("r2", "A"): 60, ("r2", "B"): 30}
        result = best_assignment(values, {"A": 1, "B": 1})
        self.assertEqual(result, {"r1": "B", "r2": "A"})
        self.assertEqual(sum(values[pair] for pair in result.items()), 120)

    def test_capacity(self):
        values = {(row, "A"): 10 for row in range(5)}
        values.update({(row, "B"): 1 for row in range(5)})
        result = best_assignment(values, {"A": 2, "B": 1})
        self.assertEqual(sorted(result.values()), ["A", "A", "B"])
        self.assertEqual(best_assignment(values, {"A": 0}), {})
        self.assertEqual(best_assignment({}, {"A": 3}), {})

    def test_slot_values_spread_the_load(self):
        # A is a little better for both, but its second slot is worth less
        values = {("r1", "A"): 11, ("r2", "A"): 11, ("r1", "B"): 10, ("r2", "B"): 10}
        spread = best_assignment(values, {"A": 2, "B": 2}, {"A": [20, 10], "B": [20, 10]})
        self.assertEqual(sorted(spread.values()), ["A", "B"])
        together = best_assignment(values, {"A": 2, "B": 2})
        self.assertEqual(sorted(together.values()), ["A", "A"])
        with self.assertRaises(ValueError):
            best_assignment(values, {"A": 2}, {"A": [0, 5]})

    def test_ties_follow_the_order_given(self):
        values = {("r1", "A"): 1, ("r1", "B"): 1}
        self.assertEqual(best_assignment(values, {"A": 1, "B": 1}), {"r1": "A"})

    def test_as_good_as_every_assignment_tried(self):
        """Against all assignments of small random cases: as many rows
        assigned, and the same best total value."""
        rng = random.Random(9)
        for _case in range(150):
            rows, columns = range(rng.randint(1, 5)), range(rng.randint(1, 4))
            values = {
                (row, column): rng.choice((0, 30, 60, 63, 90))
                for row in rows
                for column in columns
                if rng.random() < 0.6
            }
            capacities = {column: rng.randint(0, 3) for column in columns}
            slots = {
                column: sorted(
                    (rng.randint(0, 20) for _s in range(capacities[column])), reverse=True
                )
                for column in columns
            }
            result = best_assignment(values, capacities, slots)
            self.assertEqual(
                self._measure(result, values, capacities, slots),
                self._best(rows, values, capacities, slots),
            )

    @staticmethod
    def _measure(assignment, values, capacities, slots):
        used = {}
        total = 0
        for row, column in assignment.items():
            if (row, column) not in values:
                return None
            slot = used.get(column, 0)
            if slot >= capacities.get(column, 0):
                return None
            used[column] = slot + 1
            total += values[row, column] + slots[column][slot]
        return len(assignment), total

    def _best(self, rows, values, capacities, slots):
        choices = [[None] + [c for (r, c) in values if r == row] for row in rows]
        best = (0, 0)
        for combination in itertools.product(*choices):
            assignment = {row: c for row, c in zip(rows, combination, strict=True) if c is not None}
            measure = self._measure(assignment, values, capacities, slots)
            if measure and measure > best:
                best = measure
        return best
