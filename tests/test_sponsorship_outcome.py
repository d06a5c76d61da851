from datetime import date, datetime, timedelta

from odoo import Command, fields
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import EssSponsorshipCase


@tagged("post_install", "-at_install")
class TestSponsorshipOutcome(EssSponsorshipCase):
    """Sponsored new members beside the others: days from membership to the
    operational phase and to the first completed cross-evaluation.

    Hand-checked figures (days):

    ========  ==========  ===========  ===========  ==========  ===============
    member    since       operational  1st eval.    sponsorship sponsored
    ========  ==========  ===========  ===========  ==========  ===============
    Alpha     2024-01-10  05-09: 120   09-07: 241   ended       yes
    Beta      2024-03-01  07-11: 132   –            in progress yes
    Gamma     2024-02-01  11-28: 301   2025-01-31:  cancelled   no
                                       365
    Delta     2025-01-15  –            (2024-12-01, designated  no
                                       before: –)
    Epsilon   2024-06-03  2025-03-10:  (in progress none        no
                          280          only: –)
    ========  ==========  ===========  ===========  ==========  ===============

    Zeta only asked to join (not a member): not counted.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.sponsor = cls._sponsor("Coopérative Marraine")
        cls.alpha = cls._member("Association Alpha", "2024-01-10", "2024-05-09")
        cls.beta = cls._member("Scop Beta", "2024-03-01", "2024-07-11")
        cls.gamma = cls._member("Coopérative Gamma", "2024-02-01", "2024-11-28")
        cls.delta = cls._member("Fondation Delta", "2025-01-15")
        cls.epsilon = cls._member("Association Epsilon", "2024-06-03", "2025-03-10")
        cls.zeta = cls._create_org("Scic Zeta")
        cls.env["ess.membership"].create({"partner_id": cls.zeta.id})
        cls._sponsorship(cls.alpha, "ended")
        cls._sponsorship(cls.beta, "in_progress")
        cls._sponsorship(cls.gamma, "cancelled", sponsor=False)
        cls._sponsorship(cls.delta, "designated")
        cls._evaluation(cls.alpha, "completed", "2024-09-07")
        cls._evaluation(cls.gamma, "completed", "2025-01-31")
        cls._evaluation(cls.delta, "completed", "2024-12-01")
        cls._evaluation(cls.epsilon, "in_progress")
        cls.members = cls.alpha | cls.beta | cls.gamma | cls.delta | cls.epsilon | cls.zeta

    @classmethod
    def _member(cls, name, since, operational=None):
        partner = cls._create_org(name)
        cls.env["ess.membership"].sudo().create(
            {
                "partner_id": partner.id,
                "state": "member",
                "member_since": since,
                "appropriation_date": since,
                "phase": "operational" if operational else "appropriation",
                "operational_date": operational or False,
            }
        )
        return partner

    @classmethod
    def _sponsorship(cls, partner, state, sponsor=True):
        return (
            cls.env["ess.sponsorship"]
            .sudo()
            .create(
                {
                    "partner_id": partner.id,
                    "state": state,
                    "request_date": "2024-03-01",
                    "sponsor_id": cls.sponsor.id if sponsor else False,
                    "cancel_reason": "Le nouveau membre a renoncé"
                    if state == "cancelled"
                    else False,
                }
            )
        )

    @classmethod
    def _evaluation(cls, partner, state, completed=None):
        cls.env["ess.evaluation"].sudo().create(
            {
                "partner_id": partner.id,
                "evaluator_partner_id": cls.peer_org.id,
                "year": int((completed or "2025")[:4]),
                "state": state,
                "date_completed": completed or False,
            }
        )

    def _outcomes(self, user=None, companies=None):
        Outcome = self.env["ess.sponsorship.outcome"].with_user(user or self.staff)
        if companies:
            Outcome = Outcome.with_context(allowed_company_ids=companies.ids)
        return Outcome.search([("partner_id", "in", self.members.ids)])

    def test_one_line_per_member_with_its_delays(self):
        rows = {row.partner_id: row for row in self._outcomes()}
        self.assertEqual(set(rows), set(self.members - self.zeta))
        expected = {
            # sponsored, days to operational, days to the first evaluation, year
            self.alpha: (True, 120, 241, 2024),
            self.beta: (True, 132, None, 2024),
            self.gamma: (False, 301, 365, 2024),
            self.delta: (False, None, None, 2025),
            self.epsilon: (False, 280, None, 2024),
        }
        for partner, (sponsored, operational, evaluation, year) in expected.items():
            row = rows[partner]
            self.assertEqual(row.sponsored, sponsored, partner.name)
            self.assertEqual(row.cohort, "sponsored" if sponsored else "not_sponsored")
            self.assertEqual(row.is_operational, operational is not None, partner.name)
            self.assertEqual(row.days_to_operational, operational or 0, partner.name)
            self.assertEqual(row.is_evaluated, evaluation is not None, partner.name)
            self.assertEqual(row.days_to_first_evaluation, evaluation or 0, partner.name)
            self.assertEqual(row.member_year, year)
            self.assertEqual(row.company_id, self.env.company)
        self.assertEqual(rows[self.alpha].sponsor_partner_id, self.sponsor.partner_id)
        self.assertEqual(rows[self.alpha].first_evaluation_date, date(2024, 9, 7))
        self.assertFalse(rows[self.gamma].sponsorship_id, "a cancelled sponsorship is none")

    def test_averages_sponsored_beside_not_sponsored(self):
        """A member that has not reached a step is left out of that step's
        average; the rates count it."""
        groups = (
            self.env["ess.sponsorship.outcome"]
            .with_user(self.staff)
            .read_group(
                [("partner_id", "in", self.members.ids)],
                [
                    "days_to_operational:avg",
                    "days_to_first_evaluation:avg",
                    "operational_rate:avg",
                    "evaluated_rate:avg",
                ],
                ["cohort"],
            )
        )
        figures = {
            group["cohort"]: (
                group["cohort_count"],
                group["days_to_operational"],
                group["days_to_first_evaluation"],
                round(group["operational_rate"], 2),
                round(group["evaluated_rate"], 2),
            )
            for group in groups
        }
        self.assertEqual(
            figures,
            {
                # (120 + 132) / 2; Alpha only; both operational; one of two
                "sponsored": (2, 126, 241, 100.0, 50.0),
                # (301 + 280) / 2 (Delta not there yet); Gamma only
                "not_sponsored": (3, 290.5, 365, 66.67, 33.33),
            },
        )

    def test_a_designated_sponsorship_that_starts_counts(self):
        self.env["ess.sponsorship"].search([("partner_id", "=", self.delta.id)]).sudo().write(
            {"state": "in_progress"}
        )
        row = self._outcomes().filtered(lambda r: r.partner_id == self.delta)
        self.assertTrue(row.sponsored)

    def test_reporting_views_and_rights(self):
        Outcome = self.env["ess.sponsorship.outcome"]
        action = self.env.ref("ess_network.ess_sponsorship_outcome_action_report")
        self.assertEqual(action.view_mode, "pivot,graph,list")
        self.assertEqual(
            self.env.ref("ess_network.ess_sponsorship_outcome_menu_report").action, action
        )
        views = Outcome.with_user(self.staff).get_views(
            [(False, "pivot"), (False, "graph"), (False, "list"), (False, "search")]
        )
        self.assertIn("days_to_operational", views["views"]["pivot"]["arch"])
        self.assertEqual(len(self._outcomes()), 5)
        # read-only, for the network's staff only
        with self.assertRaises(AccessError):
            Outcome.with_user(self.staff).browse(self._outcomes()[:1].id).write({"sponsored": True})
        for user in (self.portal_user, self.internal):
            with self.assertRaises(AccessError, msg=user.login):
                Outcome.with_user(user).search([])

    def test_each_network_sees_its_members(self):
        other = self.env["res.company"].create({"name": "CRESS Bretagne (test)"})
        breton = self._create_org("Association Bretonne")
        self.env["ess.membership"].sudo().create(
            {
                "partner_id": breton.id,
                "company_id": other.id,
                "state": "member",
                "member_since": "2024-05-01",
                "phase": "appropriation",
            }
        )
        self.members |= breton
        self.assertNotIn(breton, self._outcomes().partner_id)
        federation = new_test_user(
            self.env,
            "ess_outcome_federation",
            groups="base.group_user,ess_network.group_ess_user,base.group_multi_company",
            company_ids=[Command.set((self.env.company | other).ids)],
        )
        self.assertEqual(self._outcomes(federation, other).partner_id, breton)
        self.assertEqual(len(self._outcomes(federation, self.env.company | other)), 6)


@tagged("post_install", "-at_install")
class TestSponsorshipMeasures(EssSponsorshipCase):
    """The delays of the sponsorships report count only the sponsorships
    they apply to: a request still waiting has no delay to designation, a
    sponsorship whose first session is only planned has no delay to it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.sponsor = cls._sponsor("Coopérative Marraine", capacity=3)
        today = fields.Date.today()
        cls.request_date = today - timedelta(days=30)
        cls.first = cls._requested("Association Première")
        cls.second = cls._requested("Association Deuxième")
        cls.waiting = cls._requested("Association Patiente")
        # designated 10 and 4 days after the request
        cls._designated(cls.first, 10)
        cls._designated(cls.second, 4)
        noon = datetime.combine(cls.request_date, datetime.min.time()) + timedelta(hours=12)
        Session = cls.env["ess.sponsorship.session"]
        module = cls.module["self_assessment"]
        # first: a session planned 2 days after the designation that did not
        # take place, then one held 6 days after it
        cls.missed = Session.create(
            {"sponsorship_id": cls.first.id, "start": noon + timedelta(days=12)}
        )
        cls.missed.action_cancel()
        Session.create(
            {
                "sponsorship_id": cls.first.id,
                "start": noon + timedelta(days=16),
                "state": "held",
                "line_ids": [Command.create({"module_id": module.id, "hours": 2})],
            }
        )
        # second: its first session is still to come
        Session.create(
            {"sponsorship_id": cls.second.id, "start": fields.Datetime.now() + timedelta(days=3)}
        )

    @classmethod
    def _requested(cls, name):
        partner = cls._create_org(name)
        cls.env["ess.membership"].create({"partner_id": partner.id})
        return cls.env["ess.sponsorship"].create(
            {"partner_id": partner.id, "request_date": cls.request_date}
        )

    @classmethod
    def _designated(cls, sponsorship, days):
        sponsorship.with_user(cls.pole_manager)._designate(cls.sponsor)
        designated = datetime.combine(
            cls.request_date + timedelta(days=days), datetime.min.time()
        ) + timedelta(hours=9)
        sponsorship.sudo().write({"designation_date": designated})

    def test_delays_of_each_sponsorship(self):
        sponsorships = self.first | self.second | self.waiting
        self.assertEqual(sponsorships.mapped("days_to_designation"), [10, 4, 0])
        self.assertEqual(self.first.first_session_date, self.request_date + timedelta(days=16))
        self.assertFalse(self.second.first_session_date, "a planned session is not held yet")
        self.assertEqual(sponsorships.mapped("days_to_first_session"), [6, 0, 0])
        self.assertEqual(self.second.state, "in_progress")

    def test_averages_leave_out_what_has_not_happened(self):
        Sponsorship = self.env["ess.sponsorship"].with_user(self.staff)
        domain = [("id", "in", (self.first | self.second | self.waiting).ids)]
        [[designation, first_session, most, count]] = Sponsorship._read_group(
            domain,
            [],
            [
                "days_to_designation:avg",
                "days_to_first_session:avg",
                "days_to_designation:max",
                "__count",
            ],
        )
        self.assertEqual((designation, first_session, most, count), (7, 6, 10, 3))
        # per state, in the pivot of the report
        groups = Sponsorship.read_group(domain, ["days_to_designation:avg"], ["state"])
        by_state = {g["state"]: g["days_to_designation"] for g in groups if g["state_count"]}
        self.assertEqual(set(by_state), {"requested", "in_progress"})
        self.assertEqual(by_state["in_progress"], 7)
        self.assertFalse(by_state["requested"], "no request waiting has a delay yet")
        # what the pivot of the report asks for
        self.assertTrue(
            Sponsorship.get_views([(False, "pivot")])["views"]["pivot"]["arch"].count("measure")
        )
