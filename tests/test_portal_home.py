from lxml import etree, html

from odoo.tests import HttpCase, new_test_user, tagged

ESS_TILES = (
    "/my/membership",
    "/my/guide",
    "/my/actions",
    "/my/assessments",
    "/my/stakeholders",
    "/my/evaluations",
    "/my/library",
    "/my/clubs",
    "/my/groups",
)


@tagged("post_install", "-at_install")
class TestPortalHome(HttpCase):
    """The add-on's tiles on the portal home look like Odoo's own: a 64-px
    pictogram beside the title, not the 256-px app icon squeezing the
    text."""

    def _icon_size(self, src):
        response = self.url_open(src)
        self.assertEqual(response.status_code, 200, src)
        self.assertTrue(src.endswith(".svg"), f"{src}: Odoo's tiles use SVG pictograms")
        svg = etree.fromstring(response.content)
        return svg.get("width"), svg.get("height")

    def test_tiles_have_pictograms_sized_like_odoos(self):
        organisation = self.env["res.partner"].create(
            {"name": "Association Tuiles", "is_company": True}
        )
        user = new_test_user(self.env, "ess_tiles", groups="base.group_portal")
        user.partner_id.parent_id = organisation
        self.authenticate(user.login, user.login)
        page = html.fromstring(self.url_open("/my").text)
        odoo_icon = page.xpath("//a[@href='/my/security']//img/@src")
        self.assertTrue(odoo_icon, "Odoo's own tile is on the page")
        odoo_size = self._icon_size(odoo_icon[0])
        for url in ESS_TILES:
            icons = page.xpath(f"//div[hasclass('o_portal_index_card')]/a[@href='{url}']//img/@src")
            self.assertEqual(len(icons), 1, url)
            self.assertNotIn("/static/description/", icons[0], f"{url}: not the app icon")
            self.assertEqual(self._icon_size(icons[0]), odoo_size, url)
