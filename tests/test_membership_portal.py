from odoo.tests import new_test_user, tagged
from odoo.tests.common import JsonRpcException
from odoo.tools import mute_logger

from .common import EssPortalCase


@tagged("post_install", "-at_install")
class TestMembershipPortal(EssPortalCase):
    """A member follows its organisation's membership files on the portal
    (``org``, its ``user``), never another organisation's (``other_org``)."""

    org_name = "Scop Portail Test"
    login_prefix = "membership"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.membership = cls.env["ess.membership"].create({"partner_id": cls.org.id})
        cls.other_membership = cls.env["ess.membership"].create({"partner_id": cls.other_org.id})
        cls.lonely_user = new_test_user(cls.env, "portal_lonely", groups="base.group_portal")

    def test_member_sees_its_membership(self):
        self._login()
        response = self.url_open("/my/membership")
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.url.endswith(f"/my/membership/{self.membership.id}"))
        self.assertIn("Scop Portail Test", response.text)
        self.assertIn(self.membership.name, response.text)
        self.assertIn("Present the approach and the tools", response.text)
        self.assertNotIn("Mutuelle Voisine Secrète", response.text)

    def test_member_cannot_open_another_membership(self):
        self._login()
        response = self.url_open(f"/my/membership/{self.other_membership.id}")
        self.assertTrue(response.url.endswith("/my"), response.url)
        self.assertNotIn("Mutuelle Voisine Secrète", response.text)
        response = self.url_open("/my/membership/99999999")
        self.assertTrue(response.url.endswith("/my"), response.url)

    def test_member_cannot_read_another_membership_by_rpc(self):
        self._login()
        response = self.make_jsonrpc_request(
            "/web/dataset/call_kw/ess.membership/search_read",
            {
                "model": "ess.membership",
                "method": "search_read",
                "args": [[]],
                "kwargs": {"fields": ["name", "partner_id"]},
            },
        )
        self.assertEqual([r["id"] for r in response], [self.membership.id])
        with self.assertRaises(JsonRpcException) as error:
            self.make_jsonrpc_request(
                "/web/dataset/call_kw/ess.membership/read",
                {
                    "model": "ess.membership",
                    "method": "read",
                    "args": [[self.other_membership.id], ["partner_id"]],
                    "kwargs": {},
                },
            )
        self.assertIn("AccessError", str(error.exception))

    def test_portal_home_counts_the_file(self):
        self._login()
        response = self.make_jsonrpc_request("/my/counters", {"counters": ["ess_membership_count"]})
        self.assertEqual(response["ess_membership_count"], 1)
        self._login(self.lonely_user)
        response = self.make_jsonrpc_request("/my/counters", {"counters": ["ess_membership_count"]})
        self.assertEqual(response["ess_membership_count"], 0)

    def test_user_without_organisation_file(self):
        self._login(self.lonely_user)
        response = self.url_open("/my/membership")
        self.assertEqual(response.status_code, 200)
        self.assertIn("no membership file yet", response.text)

    def test_anonymous_is_sent_to_login(self):
        response = self.url_open(f"/my/membership/{self.membership.id}")
        self.assertIn("/web/login", response.url)

    def test_previous_and_next_files(self):
        older = self.env["ess.membership"].create(
            {
                "partner_id": self.org.id,
                "state": "refused",
                "request_date": "2020-01-15",
                "refusal_reason": "Dossier incomplet",
            }
        )
        self._login()
        page = self.url_open("/my/membership").text
        self.assertIn(f'href="/my/membership/{older.id}"', page)
        self.assertIn(f'href="/my/membership/{self.membership.id}"', page)
        # newest first: the current file, then the older one
        page = self.url_open(f"/my/membership/{self.membership.id}").text
        self.assertIn("record_pager", page)
        self.assertIn(f'href="/my/membership/{older.id}?access_token=', page)
        page = self.url_open(f"/my/membership/{older.id}").text
        self.assertIn("record_pager", page)
        self.assertIn(f'href="/my/membership/{self.membership.id}?access_token=', page)
        self.assertNotIn(f"/my/membership/{self.other_membership.id}", page)

    def _post_message(self, body):
        return self.make_jsonrpc_request(
            "/mail/message/post",
            {
                "thread_model": "ess.membership",
                "thread_id": self.membership.id,
                # as the portal's composer posts
                "post_data": {
                    "body": body,
                    "message_type": "comment",
                    "subtype_xmlid": "mail.mt_comment",
                },
            },
        )

    def _fetch_messages(self):
        return self.make_jsonrpc_request(
            "/mail/chatter_fetch",
            {"thread_model": "ess.membership", "thread_id": self.membership.id},
        )

    def test_member_posts_in_the_chatter_without_a_token(self):
        self._login()
        page = self.url_open(f"/my/membership/{self.membership.id}").text
        self.assertIn('id="discussion"', page)
        self.assertIn('data-allow_composer="1"', page)
        self._post_message("Quand signons-nous la convention ?")
        self.env.invalidate_all()
        self.assertFalse(self.membership.access_token, "reading the file is enough to post")
        message = self.membership.message_ids[0]
        self.assertIn("Quand signons-nous la convention ?", message.body)
        self.assertEqual(message.author_id, self.user.partner_id)
        self.membership.message_post(
            body="La convention est prête.", message_type="comment", subtype_xmlid="mail.mt_comment"
        )
        # the member reads the thread in the page's chatter, without a token
        messages = str(self._fetch_messages())
        self.assertIn("Quand signons-nous la convention ?", messages)
        self.assertIn("La convention est prête.", messages)

    def test_member_of_another_organisation_cannot_post_nor_read_the_chatter(self):
        self.membership.message_post(
            body="Message réservé au membre",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        count = len(self.membership.message_ids)
        self._login(self.other_user)
        with self.assertRaises(JsonRpcException), mute_logger("odoo.http"):
            self._post_message("Intrusion")
        self.assertNotIn("Message réservé au membre", str(self._fetch_messages()))
        self.env.invalidate_all()
        self.assertEqual(len(self.membership.message_ids), count)
