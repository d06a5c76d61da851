from odoo import api, fields, models
from odoo.osv import expression

from .res_partner import ORGANIZATION_KINDS

PRACTICE_STATES = [
    ("draft", "Draft"),
    ("proposed", "Submitted"),
    ("returned", "Returned"),
    ("published", "Published"),
]


class EssOrganisationKind(models.Model):
    """A kind of organisation of the social and solidarity economy that a
    good-practice sheet speaks of: association, mutuelle, coopérative,
    Scop, SCIC, fondation…

    A kind with a ``code`` is the kind of organisation of a member's profile
    (``res.partner.ess_organization_kind``): the library proposes a member
    the sheets of its own kind. A network may add kinds of its own (a
    federation, say), without code."""

    _name = "ess.organisation.kind"
    _inherit = ["ess.reference.mixin"]
    _description = "Kind of ESS organisation"
    _order = "sequence, name, id"

    sequence = fields.Integer(default=10)
    code = fields.Selection(
        ORGANIZATION_KINDS,
        "Kind in the member profiles",
        help="The kind of organisation of the members' profiles this kind stands for.",
    )

    _sql_constraints = [
        (
            "code_uniq",
            "unique(code)",
            "One kind of organisation stands for each kind of the member profiles.",
        ),
    ]

    @api.model
    def _for_partner(self, partner):
        """The kind of organisation of ``partner``'s profile (or none)."""
        code = partner.commercial_partner_id.ess_organization_kind
        return self.search([("code", "=", code)], limit=1) if code else self.browse()


class EssKeyword(models.Model):
    """A keyword of the network: it tags good-practice sheets, and names the
    themes of clubs and of their meetings."""

    _name = "ess.keyword"
    _inherit = ["ess.reference.mixin"]
    _description = "Keyword"
    _order = "name, id"

    color = fields.Integer()

    _sql_constraints = [
        ("name_company_uniq", "unique(name, company_id)", "This keyword exists already."),
    ]


class EssPractice(models.Model):
    """A sheet of the network's good-practice library (seed 004): what an
    organisation of the social and solidarity economy did, the guide theme
    (and domain of action) it illustrates, the kinds of organisation it
    speaks of, keywords.

    The network's staff write and publish sheets; a member organisation
    proposes one (often one of the good practices of its guide year), which
    the staff publish or return with a comment. A sheet is archived, never
    deleted.

    The sheets shipped with the add-on are shared by every network
    (``company_id`` empty); a network's own sheets are its own. The
    organisation a sheet comes from (``partner_id``: the one that proposed
    it) is read by the network's staff only; readers see its name only when
    it agrees to be named (``source_name``)."""

    _name = "ess.practice"
    _description = "Good-practice sheet"
    _inherit = [
        "ess.organisation.mixin",
        "ess.guide.topic.mixin",
        "image.mixin",
        "portal.mixin",
        "mail.thread",
        "mail.activity.mixin",
    ]
    _order = "date_published desc, id"

    name = fields.Char("Title", required=True, tracking=True)
    description = fields.Html("Text", sanitize_style=True)
    theme_id = fields.Many2one(tracking=True)
    domain_id = fields.Many2one(tracking=True)
    kind_ids = fields.Many2many(
        "ess.organisation.kind",
        string="Kinds of organisation",
        help="The kinds of organisation the sheet speaks of.",
    )
    keyword_ids = fields.Many2many("ess.keyword", string="Keywords")
    state = fields.Selection(
        PRACTICE_STATES, "Status", required=True, default="draft", tracking=True, index=True
    )
    active = fields.Boolean(default=True, tracking=True)
    attachment_ids = fields.Many2many(
        "ir.attachment",
        "ess_practice_attachment_rel",
        "practice_id",
        "attachment_id",
        "Documents",
        help="Documents the readers of the sheet can open.",
    )
    # the organisation the sheet comes from (the one that proposed it): the
    # staff's to read; readers see ``source_name`` only
    partner_id = fields.Many2one(
        string="Source organisation",
        required=False,
        groups="ess_network.group_ess_user",
    )
    company_id = fields.Many2one(
        required=False,
        help="Empty: shared by every network of the database. Else only this network's "
        "staff and members see it.",
    )
    source_named = fields.Boolean(
        "The source organisation agrees to be named",
        tracking=True,
        help="Readers of the sheet see the name of the organisation it comes from only "
        "when it agrees.",
    )
    source_name = fields.Char("Source", compute="_compute_source_name")
    guide_year_theme_id = fields.Many2one(
        "ess.guide.year.theme",
        "Proposed from",
        index="btree_not_null",
        readonly=True,
        copy=False,
        ondelete="set null",
        groups="ess_network.group_ess_user",
        help="The theme of the guide year whose good practices the organisation proposed.",
    )
    proposed_by_id = fields.Many2one("res.users", "Proposed by", readonly=True, copy=False)
    # who created the sheet and who last changed it name a person of the
    # source organisation: the staff's to read, like the source itself
    create_uid = fields.Many2one(
        "res.users", "Created by", readonly=True, groups="ess_network.group_ess_user"
    )
    write_uid = fields.Many2one(
        "res.users", "Last Updated by", readonly=True, groups="ess_network.group_ess_user"
    )
    date_proposed = fields.Datetime("Proposed on", readonly=True, copy=False)
    date_published = fields.Date("Published on", readonly=True, copy=False, index=True)
    review_comment = fields.Text(
        "Moderator's comment",
        tracking=True,
        help="Why the sheet was returned to the organisation that proposed it, what to change.",
    )

    @api.depends("source_named")
    @api.depends_context("uid")
    def _compute_source_name(self):
        for practice in self:
            source = practice.sudo().partner_id
            practice.source_name = source.name if source and practice.source_named else False

    @api.depends("partner_id")
    def _compute_company_id(self):
        # a sheet of an organisation belongs to its network, or to the
        # network it is written in: never shared by every network; a sheet
        # without source organisation keeps its network, or none (shared)
        # when it is shipped with the add-on
        for practice in self:
            source = practice.sudo().partner_id
            if source:
                practice.company_id = source.company_id or practice.company_id or self.env.company
            elif not practice.company_id and not self.env.context.get("install_module"):
                practice.company_id = self.env.company

    def _portal_organisation(self):
        return self.sudo().partner_id

    def _compute_access_url(self):  # pylint: disable=missing-return
        super()._compute_access_url()
        for practice in self:
            practice.access_url = f"/my/library/{practice.id}"

    @api.model
    def _library_domain(self, terms=None, theme=None, domain=None, kind=None, keyword=None):
        """The domain of the sheets matching what a reader searched: words
        (``terms``, text as typed), a guide theme, a domain of action, a kind
        of organisation, a keyword (ids). Both the back end's search and the
        portal's library use it.

        The words go through the full-text search (``search_terms``, see
        models/ess_practice_search.py): every word required, each as a
        prefix, without case nor accents; text made only of signs matches
        nothing, hostile text (quotes, ``%``, tsquery syntax, control or
        invisible characters, look-alike letters, any length) is folded to
        words and never reaches SQL as syntax."""
        parts = []
        if theme:
            parts.append([("theme_id", "=", int(theme))])
        if domain:
            parts.append([("domain_id", "=", int(domain))])
        if kind:
            parts.append([("kind_ids", "in", [int(kind)])])
        if keyword:
            parts.append([("keyword_ids", "in", [int(keyword)])])
        if isinstance(terms, str) and terms.strip():
            parts.append([("search_terms", "=", terms)])
        return expression.AND(parts) if parts else []
