from urllib.parse import unquote

from odoo import http
from odoo.tests import HttpCase, new_test_user, tagged

from .test_french import FrenchReaderMixin


@tagged("post_install", "-at_install")
class TestReportFilenames(FrenchReaderMixin, HttpCase):
    """The files staff download from the back end are named in their
    language: the evaluation report (PDF) and the guide's spreadsheet."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_french()
        groups = "base.group_user,ess_network.group_ess_user"
        cls.fr_staff = new_test_user(
            cls.env, "ess_fn_fr", groups=groups, name="Claire Fichier", lang="fr_FR"
        )
        cls.en_staff = new_test_user(
            cls.env, "ess_fn_en", groups=groups, name="Clara File", lang="en_US"
        )
        Partner = cls.env["res.partner"]
        cls.evaluated = Partner.create({"name": "Association Nom de Fichier", "is_company": True})
        evaluator_org = Partner.create({"name": "Mutuelle Lectrice", "is_company": True})
        cls.evaluation = cls.env["ess.evaluation"].create(
            {
                "partner_id": cls.evaluated.id,
                "evaluator_partner_id": evaluator_org.id,
                "year": 2026,
            }
        )
        cls.guide = cls.env["ess.guide.year"].create({"partner_id": cls.evaluated.id, "year": 2026})

    def _download(self, user, url, kind):
        self.authenticate(user.login, user.login)
        response = self.url_open(
            "/report/download",
            data={
                "data": f'["{url}", "{kind}"]',
                "context": "{}",
                "token": "dummy",
                "csrf_token": http.Request.csrf_token(self),
            },
        )
        self.assertEqual(response.status_code, 200, response.text[:500])
        return unquote(response.headers["Content-Disposition"])

    def test_evaluation_report_file_name_in_the_reader_language(self):
        url = f"/report/pdf/ess_network.report_evaluation/{self.evaluation.id}"
        french = self._download(self.fr_staff, url, "qweb-pdf")
        self.assertIn("Rapport d'évaluation - Association Nom de Fichier.pdf", french)
        english = self._download(self.en_staff, url, "qweb-pdf")
        self.assertIn("Evaluation report - Association Nom de Fichier.pdf", english)

    def test_guide_spreadsheet_file_name_in_the_reader_language(self):
        url = f"/report/xlsx/ess_network.guide_year_xlsx/{self.guide.id}"
        english = self._download(self.en_staff, url, "xlsx")
        self.assertIn("Guide 2026 - Association Nom de Fichier.xlsx", english)
        french = self._download(self.fr_staff, url, "xlsx")
        self.assertIn("Guide 2026 - Association Nom de Fichier.xlsx", french)
        # the name is a translated sentence, in the reader's language
        self.assertEqual(
            self.guide.with_user(self.fr_staff)._ess_report_filename(),
            self.guide.with_context(lang="fr_FR")._ess_filename(),
        )
