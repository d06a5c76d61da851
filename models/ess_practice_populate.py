import random

from markupsafe import Markup

from odoo import api, fields, models

# Odoo 18's ``odoo-bin populate`` duplicates existing rows (the seed sheets
# shipped with the add-on: ``--models ess.practice --factors 100`` makes
# about 5,000); the sizes below are for benchmarks and tests that want
# sheets of their own, varied in theme, domain, kind, keywords and words.
POPULATE_SIZES = {"small": 100, "medium": 1000, "large": 5000}
POPULATE_WORDS = (
    "gouvernance participation instances conseil administration assemblée générale salariés "
    "bénévoles usagers territoire emploi local achats responsables filières circuits courts "
    "égalité professionnelle femmes hommes diversité handicap insertion formation santé "
    "sécurité travail dialogue social rémunération transparence environnement énergie "
    "déchets mobilité carbone biodiversité éthique déontologie coopération mutualisation"
).split()


class EssPracticePopulate(models.Model):
    """Many sheets for benchmarks (``_populate``): Odoo 18 no longer has
    ``_populate_factories``, so the library brings its own generator, with
    the sizes of the former framework."""

    _inherit = "ess.practice"

    _populate_sizes = POPULATE_SIZES

    @api.model
    def _populate(self, size, seed=12):
        """Create ``size`` published sheets (a key of ``_populate_sizes``,
        or a number), spread over the guide's domains, the kinds of
        organisation and the keywords, with French words drawn at random
        (``seed``: the same sheets every time).

        :return: the sheets created
        """
        count = self._populate_sizes.get(size, size) if isinstance(size, str) else int(size)
        rng = random.Random(seed)
        domains = self.env["ess.guide.domain"].search([])
        kinds = self.env["ess.organisation.kind"].search([])
        keywords = self.env["ess.keyword"].search([])
        today = fields.Date.context_today(self)
        vals_list = []
        for number in range(count):
            domain = domains[number % len(domains)] if domains else domains
            words = rng.sample(POPULATE_WORDS, 12)
            vals_list.append(
                {
                    "name": f"Fiche {number + 1} : {' '.join(words[:4])}",
                    "description": Markup("<p>%s</p>") % " ".join(words),
                    "domain_id": domain.id,
                    "theme_id": domain.theme_id.id,
                    "kind_ids": [fields.Command.set(kinds[number % len(kinds)].ids)]
                    if kinds
                    else [],
                    "keyword_ids": [fields.Command.set(keywords[number % len(keywords)].ids)]
                    if keywords
                    else [],
                    "state": "published",
                    "date_published": today,
                }
            )
        Practice = self.with_context(
            tracking_disable=True, mail_create_nolog=True, mail_notrack=True
        )
        practices = self.browse()
        for start in range(0, len(vals_list), 1000):
            practices |= Practice.create(vals_list[start : start + 1000])
        return practices
