from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.osv import expression
from odoo.tools import email_normalize
from odoo.tools.sql import create_index

from ..tools import inputs

ORGANIZATION_KINDS = [
    ("association", "Association"),
    ("mutuelle", "Mutual society (mutuelle)"),
    ("cooperative", "Cooperative"),
    ("scop", "Scop"),
    ("scic", "SCIC"),
    ("fondation", "Foundation"),
    ("other", "Other ESS company"),
]
ORGANIZATION_SIZES = [
    ("0", "No employee"),
    ("1_9", "1 to 9 employees"),
    ("10_49", "10 to 49 employees"),
    ("50_249", "50 to 249 employees"),
    ("250", "250 employees or more"),
]
MEMBER_STATES = [
    ("none", "Not a member"),
    ("candidate", "Candidate"),
    ("member", "Member"),
    ("refused", "Refused"),
    ("former", "Former member"),
]


class ResPartner(models.Model):
    _inherit = "res.partner"

    ess_organization_kind = fields.Selection(
        ORGANIZATION_KINDS, "Kind of organisation", tracking=True
    )
    ess_employment_area_id = fields.Many2one(
        "ess.employment.area", "Employment area", tracking=True, index="btree_not_null"
    )
    ess_size = fields.Selection(ORGANIZATION_SIZES, "Size", tracking=True)
    ess_membership_ids = fields.One2many(
        "ess.membership",
        "partner_id",
        "Membership files",
        context={"active_test": False},
    )
    ess_membership_id = fields.Many2one(
        "ess.membership",
        "Current membership file",
        compute="_compute_ess_membership",
        store=True,
        index="btree_not_null",
    )
    ess_member_state = fields.Selection(
        MEMBER_STATES,
        "Membership",
        compute="_compute_ess_membership",
        store=True,
        index=True,
        tracking=True,
    )
    ess_membership_stage = fields.Selection(related="ess_membership_id.state", string="Stage")
    ess_phase = fields.Selection(related="ess_membership_id.phase", string="Phase", store=True)
    ess_member_since = fields.Date(related="ess_membership_id.member_since", store=True)

    def _auto_init(self):
        res = super()._auto_init()
        # the members' pivot (filter "Network members", rows by employment
        # area, columns by phase) with what the multi-company rule reads,
        # from the index alone
        create_index(
            self.env.cr,
            "res_partner_ess_member_pivot_index",
            self._table,
            ["ess_employment_area_id", "ess_phase", "company_id", "partner_share"],
            where="ess_member_state = 'member' AND is_company AND active",
        )
        return res

    # ---------------------------------------------------------------- network
    @api.model_create_multi
    def create(self, vals_list):
        # A contact belongs to the network of its organisation, as when it is
        # added from the organisation's form: the staff of other networks
        # don't see the people of a member.
        parents = self.browse(
            [vals["parent_id"] for vals in vals_list if vals.get("parent_id")]
        ).sudo()
        companies = {parent.id: parent.company_id.id for parent in parents}
        for vals in vals_list:
            if companies.get(vals.get("parent_id")) and "company_id" not in vals:
                vals["company_id"] = companies[vals["parent_id"]]
        return super().create(vals_list)

    def _ess_join_network(self, company):
        """Make this organisation, when it has no company yet, belong to the
        network ``company`` (its contacts follow, as Odoo propagates a
        company to the children), so that the staff of other networks don't
        see it. An organisation some records of another network use already
        stays shared: both networks keep seeing it."""
        for partner in self.sudo().filtered(lambda p: not p.company_id):
            networks = set()
            for model in self.env.registry.descendants(["ess.organisation.mixin"], "_inherit"):
                if not self.env[model]._abstract:
                    networks.update(
                        network
                        for [network] in self.env[model]
                        .sudo()
                        .with_context(active_test=False)
                        ._read_group([("partner_id", "=", partner.id)], ["company_id"])
                    )
            if networks <= {company}:
                partner.company_id = company

    @api.depends("ess_membership_ids.state", "ess_membership_ids.request_date")
    def _compute_ess_membership(self):
        for partner in self:
            files = partner.ess_membership_ids.sorted(
                lambda m: (m.request_date, m.id), reverse=True
            )
            current = files[:1]
            partner.ess_membership_id = current
            state = current.state
            partner.ess_member_state = (
                "none"
                if not current
                else "member"
                if state == "member"
                else "refused"
                if state == "refused"
                else "former"
                if state == "withdrawn"
                else "candidate"
            )

    def _ess_records_window(self, xmlid, **context):
        """The window ``xmlid`` showing the records of this organisation (of
        the person's organisation), new ones created for it."""
        self.ensure_one()
        organisation = self.commercial_partner_id
        action = self.env["ir.actions.act_window"]._for_xml_id(xmlid)
        action["domain"] = [("partner_id", "=", organisation.id)]
        action["context"] = {"default_partner_id": organisation.id, **context}
        return action

    def action_view_ess_memberships(self):
        return self._ess_records_window("ess_network.ess_membership_action", active_test=False)

    # ---------------------------------------------------- organisation identity
    ess_name_key = fields.Char(
        "Name key",
        compute="_compute_ess_name_key",
        store=True,
        index="btree_not_null",
        help="The name of an organisation as compared to find it again: without case, accents, "
        "spaces, punctuation nor invisible characters.",
    )
    # searched exactly to recognise an organisation by its e-mail address
    email_normalized = fields.Char(index="btree_not_null")

    @api.depends("name", "is_company")
    def _compute_ess_name_key(self):
        for partner in self:
            partner.ess_name_key = (
                inputs.comparable(partner.name) or False if partner.is_company else False
            )

    @api.constrains("name", "is_company")
    def _check_ess_organisation_name(self):
        """An organisation's name is one line of text: it goes in the
        subject of the e-mails sent to it."""
        for partner in self.filtered("is_company"):
            try:
                inputs.clean_text(
                    self.env, partner.name, label=self.env._("The name of the organisation")
                )
            except inputs.InputError as error:
                raise ValidationError(error.args[0]) from None

    @api.model
    def _ess_find_organisations(self, name, email=False):
        """The organisations known by this name or this e-mail address.

        Both are compared whole, never as a pattern: the name as its
        :func:`~odoo.addons.ess_network.tools.inputs.comparable` key (so
        case, accents, spaces, invisible characters and look-alike letters
        do not count), the e-mail address normalised.
        """
        conditions = []
        key = inputs.comparable(name)
        if key:
            conditions.append([("ess_name_key", "=", key)])
        email = email_normalize(email or "", strict=True)
        if email:
            conditions.append([("is_company", "=", True), ("email_normalized", "=", email)])
        if not conditions:
            return self.browse()
        return self.sudo().search(expression.OR(conditions))

    @api.model
    def _ess_create_organisation(self, values):
        """Create an organisation of the social and solidarity economy and
        its contact person from typed values (as read by a form).

        :param dict values: ``name``, ``kind``, ``industry_id``,
            ``employment_area_id`` (records), ``size``, ``street``, ``zip``,
            ``city``, ``website``, ``email``, ``phone``; for the contact
            person ``contact_name`` and ``function`` (it shares the e-mail
            address and phone)
        :return: the organisation and its contact person
        """
        organisation = self.create(
            {
                "name": values["name"],
                "is_company": True,
                "street": values.get("street") or False,
                "zip": values.get("zip") or False,
                "city": values.get("city") or False,
                "country_id": self.env.ref("base.fr").id,
                "email": values["email"],
                "phone": values.get("phone") or False,
                "website": values.get("website") or False,
                "industry_id": values.get("industry_id", self.env["res.partner.industry"]).id,
                "ess_organization_kind": values["kind"],
                "ess_size": values.get("size") or False,
                "ess_employment_area_id": values.get(
                    "employment_area_id", self.env["ess.employment.area"]
                ).id,
            }
        )
        contact = self.create(
            {
                "name": values["contact_name"],
                "parent_id": organisation.id,
                "type": "contact",
                "function": values.get("function") or False,
                "email": values["email"],
                "phone": values.get("phone") or False,
            }
        )
        return organisation, contact

    # ------------------------------------------------------------------ guide
    ess_guide_year_ids = fields.One2many("ess.guide.year", "partner_id", "Guides of good practices")
    ess_guide_year_count = fields.Integer(compute="_compute_ess_guide_counts", string="Guide years")
    ess_action_count = fields.Integer(compute="_compute_ess_guide_counts", string="Actions")

    def _compute_ess_guide_counts(self):
        years = dict(
            self.env["ess.guide.year"]._read_group(
                [("partner_id", "in", self.ids)], ["partner_id"], ["__count"]
            )
        )
        actions = dict(
            self.env["ess.action"]._read_group(
                [("partner_id", "in", self.ids)], ["partner_id"], ["__count"]
            )
        )
        for partner in self:
            partner.ess_guide_year_count = years.get(partner, 0)
            partner.ess_action_count = actions.get(partner, 0)

    def _ess_current_guide_year(self):
        """The guide year an organisation works on: the latest one not closed,
        else the latest one."""
        self.ensure_one()
        guides = self.env["ess.guide.year"].search(
            [("partner_id", "=", self.commercial_partner_id.id)], order="year desc"
        )
        return guides.filtered(lambda g: g.state != "closed")[:1] or guides[:1]

    def action_view_ess_guide_years(self):
        return self._ess_records_window("ess_network.ess_guide_year_action")

    def action_view_ess_actions(self):
        return self._ess_records_window("ess_network.ess_action_action")

    # ------------------------------------------------- evaluation and stakeholders
    ess_commercial_relation_ids = fields.Many2many(
        "res.partner",
        "ess_partner_commercial_relation_rel",
        "partner_id",
        "related_partner_id",
        "Declared commercial relationships",
        domain="[('is_company', '=', True), ('id', '!=', id)]",
        help="Organisations this one trades with: they cannot cross-evaluate each other.",
    )
    ess_assessment_ids = fields.One2many("ess.assessment", "partner_id", "Assessments")
    ess_evaluation_ids = fields.One2many("ess.evaluation", "partner_id", "Evaluations received")
    ess_evaluation_given_ids = fields.One2many(
        "ess.evaluation", "evaluator_partner_id", "Evaluations conducted"
    )
    ess_has_completed_evaluation = fields.Boolean(
        "Has had a completed cross-evaluation",
        compute="_compute_ess_evaluation_flags",
        store=True,
    )
    ess_has_conducted_evaluation = fields.Boolean(
        "Has conducted an evaluation at another member",
        compute="_compute_ess_evaluation_flags",
        store=True,
    )
    ess_stakeholder_ids = fields.One2many("ess.stakeholder", "partner_id", "Stakeholders")
    ess_stakeholder_matrix = fields.Html(
        "Stakeholder map", compute="_compute_ess_stakeholder_matrix", sanitize=False
    )

    @api.depends("ess_evaluation_ids.state", "ess_evaluation_given_ids.state")
    def _compute_ess_evaluation_flags(self):
        for partner in self:
            partner.ess_has_completed_evaluation = any(
                e.state == "completed" for e in partner.ess_evaluation_ids
            )
            partner.ess_has_conducted_evaluation = any(
                e.state == "completed" for e in partner.ess_evaluation_given_ids
            )

    @api.depends(
        "ess_stakeholder_ids.influence",
        "ess_stakeholder_ids.importance",
        "ess_stakeholder_ids.name",
        "ess_stakeholder_ids.scope",
    )
    @api.depends_context("lang")
    def _compute_ess_stakeholder_matrix(self):
        for partner in self:
            partner.ess_stakeholder_matrix = self.env["ess.stakeholder"]._matrix_with_legend_html(
                partner.ess_stakeholder_ids, partner
            )
