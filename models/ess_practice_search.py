from odoo import api, fields, models
from odoo.tools import SQL, html2plaintext

from ..tools import fulltext

# The column PostgreSQL derives from ``search_document`` (GENERATED ALWAYS,
# created in ``init``), and its GIN index.
SEARCH_VECTOR = "search_vector"
SEARCH_INDEX = "ess_practice_search_vector_gin"


class EssPracticeSearch(models.Model):
    """The full-text search of the library: every sheet keeps its words
    (title, text, keywords, kinds of organisation), folded as
    ``tools/fulltext`` does (no case, no accents, look-alike letters read as
    Latin ones), in ``search_document``; PostgreSQL derives a tsvector
    column from it (generated, GIN-indexed). A search requires every typed
    word, each as a prefix: "égal particip" finds "Favoriser la
    participation… égalité"."""

    _inherit = "ess.practice"

    search_document = fields.Text(
        "Words of the sheet",
        compute="_compute_search_document",
        store=True,
        copy=False,
        groups="ess_network.group_ess_user",
        help="The words the library's search looks into: title, text, keywords and kinds of "
        "organisation, without case nor accents.",
    )
    search_terms = fields.Char(
        "Words",
        compute="_compute_search_terms",
        search="_search_search_terms",
        help="Sheets whose title, text, keywords or kinds of organisation hold every word typed "
        "(the beginning of a word is enough; case and accents do not matter).",
    )

    def init(self):
        result = super().init()
        cr = self.env.cr
        cr.execute(
            """SELECT 1 FROM information_schema.columns
                WHERE table_name = 'ess_practice' AND column_name = %s""",
            [SEARCH_VECTOR],
        )
        if not cr.fetchone():
            cr.execute(
                SQL(
                    "ALTER TABLE ess_practice ADD COLUMN %s tsvector GENERATED ALWAYS AS "
                    "(to_tsvector(%s::regconfig, coalesce(search_document, ''))) STORED",
                    SQL.identifier(SEARCH_VECTOR),
                    fulltext.TS_CONFIG,
                )
            )
        cr.execute(
            SQL(
                "CREATE INDEX IF NOT EXISTS %s ON ess_practice USING gin (%s)",
                SQL.identifier(SEARCH_INDEX),
                SQL.identifier(SEARCH_VECTOR),
            )
        )
        return result

    @api.depends("name", "description", "keyword_ids.name", "kind_ids.name")
    def _compute_search_document(self):
        for practice in self:
            practice.search_document = fulltext.document(
                practice.name,
                html2plaintext(practice.description or ""),
                *practice.keyword_ids.mapped("name"),
                *practice.kind_ids.mapped("name"),
            )

    def _compute_search_terms(self):
        self.search_terms = False

    @api.model
    def _search_search_terms(self, operator, value):
        """The sheets holding every word of ``value`` (typed text), through
        the GIN index. Nothing searchable typed (only signs): no sheet; no
        text at all: every sheet. ``!=`` / ``not ilike``: the other sheets."""
        if operator not in ("=", "ilike", "like", "!=", "not ilike", "not like"):
            return [("id", "=", False)]
        negative = operator in ("!=", "not ilike", "not like")
        text = value if isinstance(value, str) else ""
        if not text.strip():
            return [("id", "=", False)] if negative else []
        query = fulltext.tsquery(text)
        if not query:
            return [] if negative else [("id", "=", False)]
        # the words are those of the last flushed values
        self.flush_model(["search_document"])
        matching = SQL(
            "(SELECT id FROM ess_practice WHERE %s @@ to_tsquery(%s::regconfig, %s))",
            SQL.identifier(SEARCH_VECTOR),
            fulltext.TS_CONFIG,
            query,
        )
        return [("id", "not in" if negative else "in", matching)]
