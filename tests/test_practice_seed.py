from odoo.tests import tagged
from odoo.tools import html2plaintext

from .common import EssNetworkCase

# The titles of the sheets of seed 004, verbatim and in the seed's order
# (typographic apostrophes and the seed's spelling kept: "Elargir", "adhoc").
SEED_TITLES = [
    "Favoriser la participation aux instances",
    "Construire le projet collectivement",
    "Optimiser le potentiel de contribution de l’assemblée délibérante",
    "Entretenir la vie démocratique hors AG",
    "Former ses élus",
    "Une plateforme de ressources et d’échanges au service des administrateurs",
    "Veiller à la représentativité de ses administrateurs",
    "Mettre en mouvement des jeunes élus pour favoriser leur expression",
    "Se doter d’un CA junior",
    "Créer les conditions d’insertion optimale de ses bénéficiaires dans ses instances statutaires",
    "Elargir son actionnariat aux acteurs du territoire",
    "Elargir son CA à ses différentes parties prenantes, internes et externes",
    "Fonder son actionnariat sur les parties prenantes citoyennes",
    "Une charte pour aller au-delà de la gouvernance formelle en termes de culture",
    "Ouvrir et organiser ses instances selon ses différents métiers",
    "Associer différentes parties prenantes à sa stratégie",
    "Associer les parties prenantes sur le territoire à la construction des projets",
    "Accueillir ponctuellement des experts extérieurs dans son CA",
    "S’adjoindre un comité consultatif expert permanent",
    "Consulter les permanents en amont des décisions",
    "Associer les salariés aux instances dirigeantes",
    "Animer un réseau d’alliés autour de son entreprise",
    "Mutualiser des réflexions/actions avec ses pairs",
    "Créer des instances de concertation adhoc",
    "Associer ses bénéficiaires aux instances de gouvernance",
    "Mener une démarche d’évaluation avec ses parties prenantes",
    "Avoir recours aux ressources locales",
    "Contribuer au dynamisme du territoire par son offre de biens/services",
    "Soutenir des filières locales",
    "Mutualiser des ressources",
    "Favoriser la coopération entre acteurs (PTCE)",
    "Favoriser la coopération entre acteurs (Think tank)",
    "Entretenir la proximité avec les membres à l’échelon local",
    "Créer un espace de rencontre pour les acteurs locaux",
    "Identifier les besoins non ou mal couverts (approche territoriale)",
    "Identifier les besoins non ou mal couverts (approche thématique)",
    "Répondre aux besoins grâce à l’amélioration des biens/services",
    "Répondre aux besoins grâce à la création de biens/services",
    "Répondre aux besoins grâce à un modèle économique alternatif",
    "Répondre aux besoins grâce à un processus alternatif",
    "Garantir la qualité des biens/services",
    "Permettre la participation des parties prenantes tout au long du processus de production",
    "Evaluer et valoriser l’impact social des biens/services de l’entreprise",
    "Mettre en œuvre une démarche de tutorat",
    "Développer le dialogue social au-delà des obligations légales",
    "Signer un accord sur l’égalité professionnelle entre les hommes et les femmes",
    "Se mobiliser pour obtenir le label Diversité",
    "Déployer un dispositif de facilitation de la vie des salariés en situation d’aidants familiaux",  # noqa: E501
    "Signature d’un accord intergénérationnel",
    "Développement durable et coopération territoriale",
    "Initiatives de la transition énergétique citoyennes",
    "Création d’un outil ANAP sur la RSE",
]


@tagged("post_install", "-at_install")
class TestPracticeSeed(EssNetworkCase):
    """The good-practice library ships every sheet of seed 004: shared by every
    network, published, each on a guide theme, with its kinds of organisation
    and keywords."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        data = cls.env["ir.model.data"].search(
            [
                ("module", "=", "ess_network"),
                ("model", "=", "ess.practice"),
                ("name", "=like", "ess_practice_0%"),
            ],
            order="name",
        )
        cls.seed = cls.env["ess.practice"].browse(data.mapped("res_id"))
        cls.xml_ids = data.mapped("name")

    def _sheet(self, title):
        sheet = self.seed.filtered(lambda practice: practice.name == title)
        self.assertEqual(len(sheet), 1, title)
        return sheet

    def test_every_sheet_of_the_seed_in_its_order(self):
        self.assertEqual(len(SEED_TITLES), 52)
        self.assertEqual(
            self.xml_ids, [f"ess_practice_{n:03d}" for n in range(1, len(SEED_TITLES) + 1)]
        )
        self.assertEqual(self.seed.mapped("name"), SEED_TITLES)
        # the staff find them all, in the network they work in (record rules)
        found = self.env["ess.practice"].with_user(self.staff).search([("id", "in", self.seed.ids)])
        self.assertEqual(found, self.seed)

    def test_texts_verbatim(self):
        junior = self._sheet("Se doter d’un CA junior")
        self.assertIn("Au nombre de 12 (pour 16 administrateurs)", junior.description)
        self.assertIn(
            "Depuis 1999, 2/3 des administrateurs ont été remplacés, intégralement par des "
            "associés issus du CA junior.",
            junior.description,
        )
        self.assertEqual(junior.description.count("<p>"), 2)
        durable = self._sheet("Développement durable et coopération territoriale")
        self.assertEqual(durable.description.count("<li>"), 4)
        self.assertIn("<li>la formation des acteurs ;</li>", durable.description)
        self.assertNotIn("•", durable.description)
        labo = self._sheet("Initiatives de la transition énergétique citoyennes")
        self.assertIn('href="http://www.lelabo-ess.org/-Initiatives-TEC-.html"', labo.description)
        anap = self._sheet("Création d’un outil ANAP sur la RSE")
        self.assertIn("« Responsabilité Sociétale des Établissements", anap.description)
        for sheet in self.seed:
            self.assertTrue(html2plaintext(sheet.description).strip(), sheet.name)

    def test_each_sheet_on_a_theme_with_keywords(self):
        for sheet in self.seed:
            self.assertTrue(sheet.theme_id, sheet.name)
            if sheet.domain_id:
                self.assertEqual(sheet.domain_id.theme_id, sheet.theme_id, sheet.name)
            self.assertTrue(2 <= len(sheet.keyword_ids) <= 4, sheet.name)
        self.assertEqual(
            self._sheet("Se doter d’un CA junior").domain_id,
            self.env.ref("ess_network.ess_guide_domain_1_2"),
        )
        self.assertEqual(
            self._sheet(
                "Signer un accord sur l’égalité professionnelle entre les hommes et les femmes"
            ).domain_id,
            self.env.ref("ess_network.ess_guide_domain_6_3"),
        )
        # every guide theme but ethics has sheets
        self.assertEqual(
            sorted(set(self.seed.mapped("theme_id.code"))), ["1", "2", "3", "4", "5", "6", "7"]
        )

    def test_kinds_of_organisation_the_text_names(self):
        scic = self.env.ref("ess_network.ess_organisation_kind_scic")
        naming_scic = self.seed.filtered(lambda practice: "SCIC" in practice.description)
        self.assertEqual(len(naming_scic), 3)
        for sheet in naming_scic:
            self.assertIn(scic, sheet.kind_ids, sheet.name)
        self.assertEqual(
            self._sheet("Se doter d’un CA junior").kind_ids,
            self.env.ref("ess_network.ess_organisation_kind_scop"),
        )
        self.assertIn(
            self.env.ref("ess_network.ess_organisation_kind_banque_cooperative"),
            self._sheet("Favoriser la participation aux instances").kind_ids,
        )
        self.assertFalse(
            self._sheet("Initiatives de la transition énergétique citoyennes").kind_ids
        )

    def test_published_and_shared_without_source(self):
        self.assertEqual(set(self.seed.mapped("state")), {"published"})
        self.assertTrue(all(self.seed.mapped("date_published")))
        self.assertTrue(all(self.seed.mapped("active")))
        self.assertFalse(self.seed.company_id)
        self.assertFalse(self.seed.sudo().partner_id)
        self.assertFalse(any(self.seed.mapped("source_name")))
        # their kinds and keywords are shared too
        self.assertFalse(self.seed.kind_ids.company_id)
        self.assertFalse(self.seed.keyword_ids.company_id)
        # a member of any network reads them
        member = self._portal_user(
            "ess_seed_reader", "Lecteur", self._create_org("Association Lectrice")
        )
        found = self.env["ess.practice"].with_user(member).search([("id", "in", self.seed.ids)])
        self.assertEqual(len(found), len(SEED_TITLES))


@tagged("post_install", "-at_install")
class TestPracticeDemo(EssNetworkCase):
    """The demo's moderation story: a proposal from a guide year, a sheet
    returned with a comment, a published sheet with its source named, a
    draft; each member sees the published sheets and its own only."""

    def setUp(self):
        super().setUp()
        self.proposed = self.env.ref("ess_network.ess_practice_demo_accueil_ag", False)
        if not self.proposed:
            self.skipTest("the add-on's demo data is not loaded")
        self.returned = self.env.ref("ess_network.ess_practice_demo_recyclerie_volunteers")
        self.published = self.env.ref("ess_network.ess_practice_demo_energies_neighbourhood")
        self.draft = self.env.ref("ess_network.ess_practice_demo_horizon_users")

    def test_story(self):
        accueil = self.env.ref("ess_network.partner_accueil_partage")
        self.assertEqual(self.proposed.state, "proposed")
        self.assertEqual(self.proposed.partner_id, accueil)
        self.assertEqual(self.proposed.source_name, accueil.name)
        theme_line = self.proposed.guide_year_theme_id
        self.assertEqual(theme_line.year_id.partner_id, accueil)
        self.assertEqual(theme_line.theme_id, self.proposed.theme_id)
        self.assertTrue(theme_line.good_practices)
        self.assertEqual(
            self.proposed.proposed_by_id, self.env.ref("ess_network.user_portal_accueil_partage")
        )
        self.assertEqual(self.returned.state, "returned")
        self.assertIn("Avant de la publier", self.returned.review_comment)
        self.assertFalse(self.returned.source_name)
        self.assertEqual(self.published.state, "published")
        self.assertTrue(self.published.date_published)
        self.assertEqual(self.published.source_name, "SCIC Énergies Citoyennes Vendée")
        self.assertEqual(self.draft.state, "draft")
        self.assertFalse(self.draft.source_name)
        network = self.env.ref("base.main_company")
        for sheet in self.proposed | self.returned | self.published | self.draft:
            self.assertEqual(sheet.company_id, network, sheet.name)
        # the chatter tells the story in French: the member's words, then the staff's
        claire = self.env.ref("ess_network.partner_network_staff")
        self.assertEqual(
            self.proposed.message_ids.author_id,
            self.env.ref("ess_network.partner_accueil_partage_contact"),
        )
        self.assertIn("Nous proposons", self.proposed.message_ids.body)
        self.assertEqual(self.returned.message_ids[0].author_id, claire)
        self.assertIn("Fiche renvoyée", self.returned.message_ids[0].body)
        self.assertEqual(self.published.message_ids.author_id, claire)

    def test_each_member_sees_published_and_its_own(self):
        demo = self.proposed | self.returned | self.published | self.draft
        for login, own in (
            ("ess_network.user_portal_accueil_partage", self.proposed),
            ("ess_network.user_portal_recyclerie_bocage", self.returned),
        ):
            user = self.env.ref(login)
            found = self.env["ess.practice"].with_user(user).search([("id", "in", demo.ids)])
            self.assertEqual(found, self.published | own, login)
