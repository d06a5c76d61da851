import os

import polib

from odoo.modules.module import get_module_path
from odoo.tests import TransactionCase, tagged
from odoo.tools.translate import TranslationModuleReader


@tagged("post_install", "-at_install")
class TestFrenchTranslation(TransactionCase):
    def test_every_term_has_a_french_translation(self):
        po_path = os.path.join(get_module_path("ess_network"), "i18n", "fr.po")
        catalogue = {
            entry.msgid: entry.msgstr
            for entry in polib.pofile(po_path)
            if not entry.obsolete and "fuzzy" not in entry.flags
        }
        reader = TranslationModuleReader(self.env.cr, ["ess_network"])
        missing = sorted(
            {term[4] for term in reader if term[0] == "ess_network" and not catalogue.get(term[4])}
        )
        self.assertFalse(
            missing, f"{len(missing)} term(s) without French translation: {missing[:20]}"
        )

    def test_french_users_see_french(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.module.module"].search([("name", "=", "ess_network")])._update_translations(
            ["fr_FR"]
        )
        Membership = self.env["ess.membership"].with_context(lang="fr_FR")
        states = dict(Membership._fields["state"]._description_selection(Membership.env))
        self.assertEqual(states["request"], "Demande d'adhésion")
        self.assertEqual(states["member"], "Membre")
        self.assertEqual(
            self.env.ref("ess_network.ess_membership_action").with_context(lang="fr_FR").name,
            "Adhésions",
        )
        self.assertEqual(
            self.env.ref("ess_network.ess_network_menu_root").with_context(lang="fr_FR").name,
            "Réseau ESS",
        )
