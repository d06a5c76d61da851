import base64
import shutil
import subprocess
import tempfile
from datetime import timedelta

from odoo import fields, http
from odoo.tests import Form, HttpCase, JsonRpcException, TransactionCase, new_test_user
from odoo.tools import mute_logger

PDF = base64.b64encode(b"%PDF-1.4\n% signed document\n%%EOF\n")


def pdf_text(pdf):
    """The text of a PDF (bytes) as poppler's pdftotext reads it, its pages
    apart by form feeds."""
    pdftotext = shutil.which("pdftotext")
    assert pdftotext, "poppler-utils (pdftotext) is needed to read the PDF"
    with tempfile.NamedTemporaryFile(suffix=".pdf") as pdf_file:
        pdf_file.write(pdf)
        pdf_file.flush()
        return subprocess.run(
            [pdftotext, "-layout", pdf_file.name, "-"],
            capture_output=True,
            check=True,
            text=True,
        ).stdout


def new_portal_user(env, login, name, organisation):
    """A portal user of ``organisation``; its password is its login."""
    user = new_test_user(env, login, groups="base.group_portal", name=name)
    user.partner_id.parent_id = organisation
    return user


class EssNetworkCase(TransactionCase):
    """Users of each group, two employment areas and an organisation."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=False, mail_notrack=False))
        cls.staff = new_test_user(
            cls.env,
            "ess_staff",
            groups="base.group_user,ess_network.group_ess_user",
            name="Claire Staff",
            email="claire@example.org",
        )
        cls.pole_manager = new_test_user(
            cls.env,
            "ess_pole",
            groups="base.group_user,ess_network.group_ess_sponsorship_manager",
            name="Paul Pole",
        )
        cls.admin = new_test_user(
            cls.env,
            "ess_admin",
            groups="base.group_user,ess_network.group_ess_manager",
            name="Anne Admin",
        )
        cls.internal = new_test_user(cls.env, "ess_internal", groups="base.group_user")
        Area = cls.env["ess.employment.area"]
        cls.area_nantes = Area.create({"name": "Nantes (test)", "code": "T5213"})
        cls.area_angers = Area.create(
            {"name": "Angers (test)", "code": "T5203", "neighbour_ids": [(4, cls.area_nantes.id)]}
        )
        cls.industry = cls.env.ref("base.res_partner_industry_Q")
        cls.org = cls._create_org("Association Test Solidaire")
        cls.org_contact = cls.env["res.partner"].create(
            {"name": "Marie Test", "parent_id": cls.org.id, "email": "marie@test-solidaire.example"}
        )
        cls.other_org = cls._create_org("Coopérative Autre")
        cls.portal_user = cls._portal_user("ess_portal", "Marie Portal", cls.org)
        cls.other_portal_user = cls._portal_user(
            "ess_portal_other", "Olivier Portal", cls.other_org
        )

    @classmethod
    def _portal_user(cls, login, name, organisation):
        return new_portal_user(cls.env, login, name, organisation)

    @classmethod
    def _create_org(cls, name, **vals):
        return cls.env["res.partner"].create(
            {
                "name": name,
                "is_company": True,
                "email": f"contact@{name.split()[-1].lower()}.example",
                "ess_organization_kind": "association",
                "industry_id": cls.industry.id,
                "ess_employment_area_id": cls.area_nantes.id,
                **vals,
            }
        )

    def _new_request(self, partner=None, user=None):
        form = Form(self.env["ess.membership"].with_user(user or self.staff))
        form.partner_id = partner or self.org
        form.contact_id = self.org_contact if not partner else self.env["res.partner"]
        form.motivation = "Structurer notre démarche RSE"
        return form.save()

    def _decide(self, membership, decision="accept", **values):
        form = Form(
            self.env["ess.membership.decide"]
            .with_user(values.pop("user", self.staff))
            .with_context(default_membership_id=membership.id)
        )
        form.decision = decision
        form.deciding_body = values.get("deciding_body", "council")
        if decision == "refuse":
            form.refusal_reason = values.get("reason", "Pas de projet RSE")
        wizard = form.save()
        return wizard.action_confirm()

    def _meeting_in_past(self, membership):
        start = fields.Datetime.now() - timedelta(days=2)
        membership.meeting_event_id.write({"start": start, "stop": start + timedelta(hours=2)})

    def _to_member(self, membership):
        membership.action_presentation_done()
        self._decide(membership)
        membership.action_schedule_meeting()
        self._meeting_in_past(membership)
        membership.action_meeting_held()
        today = fields.Date.context_today(membership)
        membership.write(
            {
                "convention_date": today,
                "convention_file": PDF,
                "convention_filename": "c.pdf",
                "charter_date": today,
                "charter_file": PDF,
                "charter_filename": "ch.pdf",
            }
        )
        membership.action_confirm_member()
        return membership


class EssPortalCase(HttpCase):
    """The member portal as two member organisations see it: ``org`` (named
    ``org_name``) with its portal user ``user``, and ``other_org`` with
    ``other_user``, whose records ``user`` must never see nor change.

    A subclass adds its records and says what a member could change in
    ``_snapshot``, for ``assertRefused``."""

    org_name = "Scop Portail"
    # the logins of the two users: <prefix>_member, <prefix>_other
    login_prefix = "portal"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.org = Partner.create({"name": cls.org_name, "is_company": True})
        cls.other_org = Partner.create({"name": "Mutuelle Voisine Secrète", "is_company": True})
        cls.user = cls._member(f"{cls.login_prefix}_member", "Marie Membre", cls.org)
        cls.other_user = cls._member(f"{cls.login_prefix}_other", "Olivier Voisin", cls.other_org)

    @classmethod
    def _member(cls, login, name, organisation):
        return new_portal_user(cls.env, login, name, organisation)

    def _login(self, user=None):
        user = user or self.user
        self.authenticate(user.login, user.login)  # new_test_user's password

    def _csrf(self):
        return http.Request.csrf_token(self)

    def _post(self, url, files=None, **data):
        return self.url_open(url, data={"csrf_token": self._csrf(), **data}, files=files)

    def _call_kw(self, model, method, args, kwargs=None):
        return self.make_jsonrpc_request(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": args, "kwargs": kwargs or {}},
        )

    def _page_queries(self, url, expected):
        """The SQL queries of one request to ``url``, at most ``expected``
        once caches are warm (the test runs under ``@warmup``)."""
        with self.assertQueryCount(expected):
            start = self.cr.sql_log_count
            response = self.url_open(url)
            count = self.cr.sql_log_count - start
        self.assertEqual(response.status_code, 200)
        return count

    def _snapshot(self):
        """Everything a member could change, in both organisations."""
        raise NotImplementedError

    def assertRpcRefused(self, forbidden):
        """Each ``(model, method, args)`` of ``forbidden``, called over
        JSON-RPC by the logged-in user, is refused (access error, or a
        private method) and changes nothing."""
        before = self._snapshot()
        for model, method, args in forbidden:
            with self.subTest(model=model, method=method):
                with self.assertRaises(JsonRpcException) as error, mute_logger("odoo.http"):
                    self._call_kw(model, method, args)
                self.assertRegex(str(error.exception), "AccessError|private methods")
        self.assertEqual(self._snapshot(), before)

    def assertRefused(self, response, message, before):
        self.assertEqual(response.status_code, 400, response.url)
        self.assertIn("Nothing was saved.", response.text)
        self.assertIn(message, response.text)
        self.assertEqual(self._snapshot(), before)


class EssSponsorshipCase(EssNetworkCase):
    """A new member to sponsor (``org``, employment area Nantes, sector
    ``industry``, in its integration phase) and a way to make volunteers
    that pass or fail each of the five rules.

    Areas: Nantes (the new member's), Angers (its neighbour), Cholet (far).
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.area_cholet = cls.env["ess.employment.area"].create(
            {"name": "Cholet (test)", "code": "T5206"}
        )
        cls.other_industry = cls.env.ref("base.res_partner_industry_P")
        cls.third_industry = cls.env.ref("base.res_partner_industry_M")
        cls.membership = cls.env["ess.membership"].create(
            {"partner_id": cls.org.id, "contact_id": cls.org_contact.id}
        )
        # the tests make their own pool and requests: the demo network's
        # volunteers leave the pool, its waiting requests are called off
        cls.env["ess.sponsor"].search([]).write({"active": False})
        cls.env["ess.sponsorship"].search([("state", "=", "requested")]).write(
            {"state": "cancelled", "cancel_reason": "Hors du périmètre des tests"}
        )
        # the organisation the sponsors were evaluated by, and evaluated
        cls.peer_org = cls._create_org("Mutuelle Paire", industry_id=cls.third_industry.id)
        cls.module = {
            key: cls.env.ref(f"ess_network.ess_sponsorship_module_{key}")
            for key in ("self_assessment", "action_plan", "evaluation", "improvement")
        }
        cls.env["res.company"].browse(cls.env.company.id).ess_sponsorship_user_id = cls.pole_manager

    @classmethod
    def _evaluations(cls, evaluated=(), evaluators=()):
        """Completed cross-evaluations: of each of ``evaluated`` by the peer,
        and by each of ``evaluators`` of the peer (their rules 1 and 2)."""
        pairs = [(partner, cls.peer_org) for partner in evaluated]
        pairs += [(cls.peer_org, partner) for partner in evaluators]
        if pairs:
            cls.env["ess.evaluation"].sudo().create(
                [
                    {
                        "partner_id": evaluated_org.id,
                        "evaluator_partner_id": evaluator.id,
                        "year": 2025,
                        "state": "completed",
                    }
                    for evaluated_org, evaluator in pairs
                ]
            )

    @classmethod
    def _sponsor(cls, name, area=None, industry=None, cycle=True, conducted=True, **vals):
        """A volunteer organisation, with a sponsor person; by default it
        meets every rule for ``org`` (neighbouring area, another sector,
        evaluated and evaluator)."""
        partner = cls._create_org(
            name,
            ess_employment_area_id=(area or cls.area_angers).id,
            industry_id=(industry or cls.other_industry).id,
        )
        person = cls.env["res.partner"].create(
            {
                "name": f"Parrain {name.split()[-1]}",
                "parent_id": partner.id,
                "email": f"parrain@{name.split()[-1].lower()}.example",
            }
        )
        cls._evaluations(
            evaluated=[partner] if cycle else [], evaluators=[partner] if conducted else []
        )
        return cls.env["ess.sponsor"].create(
            {"partner_id": partner.id, "person_ids": [(6, 0, person.ids)], **vals}
        )

    def _request(self, partner=None, modules=("self_assessment", "action_plan"), user=None):
        return (
            self.env["ess.sponsorship"]
            .with_user(user or self.staff)
            .create(
                {
                    "partner_id": (partner or self.org).id,
                    "contact_ids": [(6, 0, self.org_contact.ids)] if not partner else [],
                    "needs": "Être aidés pour notre première autoévaluation",
                    "module_line_ids": [
                        (0, 0, {"module_id": self.module[key].id}) for key in modules
                    ],
                }
            )
        )
