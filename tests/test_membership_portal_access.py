from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from odoo.addons.mail.tests.common import MockEmail

from .common import EssNetworkCase


@tagged("post_install", "-at_install")
class TestMembershipPortalAccess(MockEmail, EssNetworkCase):
    """Staff give the people of a new member access to the portal from its
    membership file, with Odoo's portal access wizard; the invitation is in
    French; the file lists who has access."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        french = cls.env.ref("base.lang_fr")
        if not french.active:
            french.active = True
            cls.env["ir.module.module"].search(
                [("name", "in", ("base", "mail", "portal", "auth_signup"))]
            )._update_translations(["fr_FR"])
        cls.env.company.partner_id.lang = "fr_FR"
        # a request sent through the public form: the organisation and its
        # contact person in the network's language
        cls.membership = cls.env["ess.membership"]._create_adhesion(
            {
                "name": "Scop Les Portes Ouvertes",
                "kind": "scop",
                "employment_area_id": cls.area_nantes,
                "city": "Nantes",
                "contact_name": "Inès Ouvrard",
                "function": "Gérante",
                "email": "ines@portes-ouvertes.example",
            }
        )
        cls.org = cls.membership.partner_id
        cls.contact = cls.membership.contact_id
        cls.colleague = cls.env["res.partner"].create(
            {
                "name": "Bruno Ouvrard",
                "parent_id": cls.org.id,
                "email": "bruno@portes-ouvertes.example",
            }
        )
        cls.invoice_address = cls.env["res.partner"].create(
            {"name": "Facturation", "parent_id": cls.org.id, "type": "invoice"}
        )

    def _to_member_as_superuser(self):
        self.membership.with_context(ess_membership_transition=True).write(
            {"state": "member", "member_since": fields.Date.today(), "phase": "appropriation"}
        )

    def _open_wizard(self, user=None):
        membership = self.membership.with_user(user or self.staff)
        action = membership.action_grant_portal_access()
        self.assertEqual(action["res_model"], "portal.wizard")
        self.assertEqual(action["target"], "new")
        return self.env["portal.wizard"].with_user(user or self.staff).browse(action["res_id"])

    def test_contacts_created_by_the_adhesion_speak_french(self):
        self.assertEqual(self.org.lang, "fr_FR")
        self.assertEqual(self.contact.lang, "fr_FR")
        self.assertEqual(self.colleague.lang, "fr_FR", "a colleague added later follows")

    def test_staff_grant_access_and_the_invitation_is_french(self):
        self._to_member_as_superuser()
        wizard = self._open_wizard()
        # the organisation's people, not the organisation nor its addresses
        self.assertEqual(wizard.partner_ids, self.contact | self.colleague)
        line = wizard.user_ids.filtered(lambda u: u.partner_id == self.contact)
        self.assertEqual(line.email_state, "ok")
        with self.mock_mail_gateway():  # keeps the e-mails sent
            line.action_grant_access()
        user = self.contact.with_context(active_test=False).user_ids
        self.assertEqual(len(user), 1)
        self.assertTrue(user._is_portal())
        self.assertEqual(user.lang, "fr_FR")
        self.assertEqual(user.login, "ines@portes-ouvertes.example")
        mail = self._new_mails.filtered(lambda m: m.model == "portal.wizard.user")
        self.assertEqual(len(mail), 1)
        self.assertEqual(mail.res_id, line.id)
        self.assertIn("ines@portes-ouvertes.example", mail.email_to)
        self.assertTrue(mail.subject.startswith("Votre compte sur"), mail.subject)
        self.assertNotIn("Your account", mail.body_html)
        # the file shows who has access
        self.membership.invalidate_recordset(["portal_contact_ids", "portal_access_count"])
        self.assertEqual(self.membership.portal_access_count, 1)
        self.assertEqual(
            {p.name: p.ess_portal_status for p in self.membership.portal_contact_ids},
            {"Inès Ouvrard": "portal", "Bruno Ouvrard": "none"},
        )

    def test_access_list_follows_grants_and_revocations(self):
        self._to_member_as_superuser()
        # a person without an e-mail address, and one who works for the network too
        self.env["res.partner"].create({"name": "Claire Sans Courriel", "parent_id": self.org.id})
        self.internal.partner_id.parent_id = self.org
        wizard = self._open_wizard()
        for line in wizard.user_ids.filtered(
            lambda u: u.email_state == "ok" and not (u.is_portal or u.is_internal)
        ):
            line.action_grant_access()
        membership = self.membership.with_user(self.staff)
        statuses = {p.name: p.ess_portal_status for p in membership.portal_contact_ids}
        self.assertEqual(statuses["Inès Ouvrard"], "portal")
        self.assertEqual(statuses["Bruno Ouvrard"], "portal")
        self.assertEqual(statuses["Claire Sans Courriel"], "none", "no e-mail address: no access")
        self.assertEqual(statuses[self.internal.name], "internal")
        self.assertEqual(membership.portal_access_count, 2)
        self.assertNotIn(self.invoice_address, membership.portal_contact_ids)
        # revoked: archived user, no access any more
        line = self._open_wizard().user_ids.filtered(lambda u: u.partner_id == self.colleague)
        line.action_revoke_access()
        membership.invalidate_recordset(["portal_contact_ids", "portal_access_count"])
        self.colleague.invalidate_recordset(["ess_portal_status"])
        self.assertEqual(self.colleague.ess_portal_status, "none")
        self.assertEqual(membership.portal_access_count, 1)

    def test_grant_only_once_the_request_is_validated(self):
        self.assertEqual(self.membership.state, "request")
        with self.assertRaisesRegex(UserError, "once its adhesion request is validated"):
            self.membership.with_user(self.staff).action_grant_portal_access()

    def test_acceptance_proposes_portal_access(self):
        membership = self.membership.with_user(self.staff)
        membership.action_presentation_done()
        form = Form(
            self.env["ess.membership.decide"]
            .with_user(self.staff)
            .with_context(default_membership_id=membership.id)
        )
        self.assertTrue(form.grant_portal_access)
        form.deciding_body = "board"
        action = form.save().action_confirm()
        self.assertEqual(membership.state, "validated")
        self.assertEqual(action["res_model"], "portal.wizard")
        wizard = self.env["portal.wizard"].browse(action["res_id"])
        self.assertEqual(wizard.partner_ids, self.contact | self.colleague)

    def test_acceptance_without_portal_access_closes(self):
        membership = self.membership.with_user(self.staff)
        membership.action_presentation_done()
        form = Form(
            self.env["ess.membership.decide"]
            .with_user(self.staff)
            .with_context(default_membership_id=membership.id)
        )
        form.grant_portal_access = False
        action = form.save().action_confirm()
        self.assertEqual(action, {"type": "ir.actions.act_window_close"})

    def test_membership_form_shows_the_access_to_staff(self):
        self._to_member_as_superuser()
        form = Form(self.membership.with_user(self.staff))
        self.assertEqual(form.portal_access_count, 0)
        self.assertEqual(len(form.portal_contact_ids), 2)

    def test_organisation_without_people_is_told_so(self):
        org = self._create_org("Fondation Sans Personne")
        membership = self.env["ess.membership"].create({"partner_id": org.id, "state": "member"})
        with self.assertRaisesRegex(UserError, "has no contact person yet"):
            membership.with_user(self.staff).action_grant_portal_access()

    def test_only_staff_open_the_wizard(self):
        self._to_member_as_superuser()
        for user in (self.internal, self.portal_user):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.membership.with_user(user).action_grant_portal_access()
        self.assertFalse(
            self.env["portal.wizard"].with_user(self.internal).has_access("create"),
            "Odoo's wizard is for contact managers; network staff are",
        )
        self.assertTrue(self.env["portal.wizard"].with_user(self.staff).has_access("create"))
