import json

from odoo.tests import new_test_user, tagged

from .common import EssPortalCase


@tagged("post_install", "-at_install")
class TestPracticePrivacy(EssPortalCase):
    """The organisation a sheet comes from never reaches another member's
    browser: over RPC ``read``, ``web_read`` and ``search_read``, a member
    of another organisation reads a published sheet without the name of its
    source, unless the source agreed to be named."""

    org_name = "Scop Lectrice"
    login_prefix = "libpriv"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # the other organisation (Mutuelle Voisine Secrète) writes and
        # proposes a sheet; the staff publish it
        practice = (
            cls.env["ess.practice"]
            .with_user(cls.other_user)
            .sudo()
            .create(
                {
                    "name": "Signer un accord sur l'égalité professionnelle (privé)",
                    "description": "<p>Un accord négocié avec les salariés.</p>",
                    "partner_id": cls.other_org.id,
                }
            )
        )
        practice.action_propose()
        cls.practice = practice.sudo(False).with_user(cls.env.user)
        cls.practice.action_publish()
        cls.secret = cls.other_org.name

    def _reads(self):
        """What the member reads of the sheet, every field it may read, by
        each RPC method, as one text."""
        fields_info = self._call_kw("ess.practice", "fields_get", [], {"attributes": ["type"]})
        self.assertNotIn("partner_id", fields_info)
        self.assertNotIn("search_document", fields_info)
        self.assertNotIn("proposed_by_id", fields_info)
        names = [
            name
            for name, info in fields_info.items()
            if info["type"] not in ("binary",) and not name.startswith("activity_")
        ]
        specification = {
            name: {"fields": {"display_name": {}}}
            if fields_info[name]["type"] in ("many2one", "many2many", "one2many")
            else {}
            for name in names
        }
        results = [
            self._call_kw("ess.practice", "read", [self.practice.ids, names]),
            self._call_kw(
                "ess.practice", "web_read", [self.practice.ids], {"specification": specification}
            ),
            self._call_kw(
                "ess.practice",
                "search_read",
                [[("id", "=", self.practice.id)], names],
            ),
            self._call_kw(
                "ess.practice",
                "web_search_read",
                [],
                {"domain": [("id", "=", self.practice.id)], "specification": specification},
            ),
        ]
        return json.dumps(results, ensure_ascii=False, default=str)

    def test_source_hidden_unless_named(self):
        self._login()
        text = self._reads()
        self.assertIn("Signer un accord sur l'égalité professionnelle (privé)", text)
        self.assertNotIn(self.secret, text)
        # asking for the source organisation, or searching by it, is refused
        self.assertRpcRefused(
            [
                ("ess.practice", "read", [self.practice.ids, ["partner_id"]]),
                ("ess.practice", "read", [self.practice.ids, ["search_document"]]),
                ("ess.practice", "read", [self.practice.ids, ["proposed_by_id"]]),
                ("ess.practice", "search", [[("partner_id", "=", self.other_org.id)]]),
                ("ess.practice", "search", [[("partner_id.name", "ilike", "Voisine")]]),
            ]
        )
        # the source agrees to be named: its name shows
        self.practice.source_named = True
        text = self._reads()
        self.assertIn(self.secret, text)
        read = self._call_kw("ess.practice", "read", [self.practice.ids, ["source_name"]])
        self.assertEqual(read[0]["source_name"], self.secret)

    def test_moderation_mails_are_not_shown_to_other_members(self):
        self._login()
        messages = self._call_kw(
            "mail.message",
            "search_read",
            [[("model", "=", "ess.practice"), ("res_id", "=", self.practice.id)], ["body"]],
        )
        self.assertNotIn(self.secret, json.dumps(messages, ensure_ascii=False))
        self.assertNotIn("Olivier Voisin", json.dumps(messages, ensure_ascii=False))

    def _snapshot(self):
        return self.practice.sudo().read(["state", "source_named", "name"])


@tagged("post_install", "-at_install")
class TestPracticeTour(EssPortalCase):
    """The staff moderate a proposed sheet in their browser."""

    login_prefix = "libtour"

    def test_staff_return_then_publish(self):
        staff = new_test_user(
            self.env,
            "lib_tour_staff",
            name="Camille Bibliothèque",
            groups="base.group_user,ess_network.group_ess_user",
        )
        practice = (
            self.env["ess.practice"]
            .with_user(self.user)
            .sudo()
            .create(
                {
                    "name": "Fiche du parcours",
                    "description": "<p>Une pratique à relire.</p>",
                    "partner_id": self.org.id,
                    "theme_id": self.env.ref("ess_network.ess_guide_theme_1").id,
                }
            )
        )
        practice.action_propose()
        self.start_tour("/odoo", "ess_practice_moderation_tour", login=staff.login)
        practice = practice.sudo(False)
        self.assertEqual(practice.state, "published")
        self.assertFalse(practice.review_comment)
        self.env.flush_all()
        bodies = " ".join(str(m.body) for m in practice.message_ids)
        self.assertIn("Précisez le budget.", bodies)
        self.start_tour("/odoo", "ess_practice_library_tour", login=staff.login)
