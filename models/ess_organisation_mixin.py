from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

# The guide of good practices exists since the law of 31 July 2014.
FIRST_YEAR, LAST_YEAR = 2014, 2100


class EssOrganisationMixin(models.AbstractModel):
    """A record that belongs to a member organisation of a network: its
    membership file, guide years, self-assessments, evaluations, actions,
    stakeholders, sponsorships…

    It gives the organisation (a company contact), the network it belongs to
    (``company_id``: a federation runs several networks in one database, each
    one's staff sees its own members only), the staff member who follows it,
    and what every portal page of such a record needs: the check that the
    record belongs to the member's organisation, whether the member may
    change it, the write that turns a refused change into form errors, and
    the chatter message that lists what the member changed."""

    _name = "ess.organisation.mixin"
    _description = "Record of a member organisation"
    _check_company_auto = True
    # The organisation's users read such a record (record rules) but change
    # it only through its portal page: reading is enough to post in its
    # chatter, without an access token.
    _mail_post_access = "read"

    partner_id = fields.Many2one(
        "res.partner",
        "Organisation",
        required=True,
        index=True,
        tracking=True,
        ondelete="restrict",
        check_company=True,
        domain="[('is_company', '=', True)]",
    )
    company_id = fields.Many2one(
        "res.company",
        "Network",
        required=True,
        index=True,
        compute="_compute_company_id",
        store=True,
        readonly=False,
        precompute=True,
        help="The network the organisation is a member of.",
    )
    user_id = fields.Many2one(
        "res.users",
        "Followed by",
        tracking=True,
        index="btree_not_null",
        default=lambda self: self.env.user if not self.env.user.share else False,
        domain="[('share', '=', False)]",
        help="The network staff member who follows this record.",
        check_company=True,
    )

    @api.depends("partner_id")
    def _compute_company_id(self):
        for record in self:
            record.company_id = (
                record.partner_id.company_id or record.company_id or self.env.company
            )

    @api.constrains("partner_id")
    def _check_partner_is_organisation(self):
        for record in self:
            if record.partner_id and not record.partner_id.is_company:
                raise ValidationError(
                    self.env._(
                        "%s is not an organisation: the records of the network belong to an "
                        "organisation, not to a person.",
                        record.partner_id.display_name,
                    )
                )

    @api.model
    def _organisation_persons(self, organisation):
        """The persons of ``organisation`` (its contacts that are not
        companies), read with sudo: those a member chooses among on the
        portal, an action's pilot or a stakeholder's contacts."""
        return (
            self.env["res.partner"]
            .sudo()
            .search(
                [
                    ("commercial_partner_id", "=", organisation.id),
                    ("id", "!=", organisation.id),
                    ("is_company", "=", False),
                ],
                order="name, id",
            )
        )

    def _check_persons_of_organisation(self, field_name):
        """Raise ValidationError when a person of the Many2many ``field_name``
        (contacts, sponsor persons…) is not of this record's organisation."""
        for record in self:
            strangers = record[field_name].filtered(
                lambda person, r=record: person.commercial_partner_id != r.partner_id
            )
            if strangers:
                field = self._fields[field_name].get_description(self.env)["string"]
                names = ", ".join(strangers.mapped("name"))
                organisation = record.partner_id.name
                raise ValidationError(
                    self.env._(
                        "%(field)s: %(person)s is not a person of the organisation "
                        "“%(organisation)s”.",
                        field=field,
                        person=names,
                        organisation=organisation,
                    )
                    if len(strangers) == 1
                    else self.env._(
                        "%(field)s: %(persons)s are not persons of the organisation "
                        "“%(organisation)s”.",
                        field=field,
                        persons=names,
                        organisation=organisation,
                    )
                )

    def _locked_for_user(self, is_locked):
        """The records of ``self`` that ``is_locked(record)`` says may no
        longer change (closed, completed…), for the current user: none for
        a network administrator, who may correct anything, nor for the
        superuser."""
        locked = self.filtered(is_locked)
        if locked and (self.env.su or self.env.user.has_group("ess_network.group_ess_manager")):
            return self.browse()
        return locked

    def _action_plan_window(self, domain, **defaults):
        """The window of the action plan showing the actions of ``domain``
        (those made from this record); an action created there belongs to
        this record's organisation and takes ``defaults`` (by field name)."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("ess_network.ess_action_action")
        context = {f"default_{name}": value for name, value in defaults.items()}
        action.update(domain=domain, context={"default_partner_id": self.partner_id.id, **context})
        return action

    # ------------------------------------------------------------------- portal
    def _portal_organisation(self):
        """The organisation whose users may change this record from the
        portal."""
        self.ensure_one()
        return self.partner_id

    def _portal_check_organisation(self, user):
        """Raise AccessError unless this record belongs to the organisation
        of ``user``, a member. The portal controllers check access first;
        this checks again, for a caller that did not."""
        self.ensure_one()
        organisation = user.commercial_partner_id
        if not organisation or self._portal_organisation() != organisation:
            raise AccessError(self.env._("This record belongs to another organisation."))

    def _portal_is_open(self):
        """Whether the record may still change (not closed, not completed…)."""
        return True

    def _portal_closed_message(self):
        """What the portal says when the record may no longer change."""
        return self.env._("This record can no longer be changed.")

    def _portal_check_open(self, user):
        """Check that this record belongs to the organisation of ``user``, a
        member (AccessError otherwise), and may still change.

        :return: the form's error when the record is closed, else nothing
        :rtype: dict
        """
        self.ensure_one()
        self._portal_check_organisation(user)
        return {} if self._portal_is_open() else {"form": self._portal_closed_message()}

    def _portal_is_editable_by(self, user):
        """Whether ``user``, a member, may change this record from the portal."""
        self.ensure_one()
        organisation = user.commercial_partner_id
        return (
            bool(organisation)
            and self._portal_organisation() == organisation
            and self._portal_is_open()
        )

    def _portal_run(self, user, work):
        """Run ``work(record)`` on this record as ``user``, a member, with the
        superuser's rights (members only read), in a savepoint: a change the
        models refuse is rolled back whole and becomes the form's error.

        The ownership is checked first (AccessError otherwise).

        :param work: a function taking the record as the user, with sudo
        :return: ``(result, errors)``: what ``work`` returned, and the errors
            by form field (``form`` for the whole form), empty when done
        """
        self._portal_check_organisation(user)
        record = self.with_user(user).sudo()
        try:
            with self.env.cr.savepoint():
                result = work(record)
        except (UserError, ValidationError) as error:
            return None, {"form": str(error.args[0])}
        return result, {}

    def _portal_write(self, user, changes, post=None):
        """Write ``changes`` (``{record: values}``, records of this record or
        of its lines) as ``user``, a member, then call ``post(record)`` (the
        chatter message); nothing is written when anything is refused.

        Records given the same values are written together.

        :return: the errors by form field (``form``), empty when saved
        """

        def work(record):
            groups = {}
            for target, vals in changes.items():
                try:
                    key = (target._name, tuple(sorted(vals.items())))
                    hash(key)
                except TypeError:  # values that are lists (x2many commands)
                    key = (target._name, target.id)
                groups.setdefault(key, (vals, []))[1].append(target.id)
            for (model, _key), (vals, ids) in groups.items():
                record.env[model].browse(ids).write(vals)
            if post:
                post(record)

        return self._portal_run(user, work)[1]

    def _portal_write_updates(self, user, changes, items):
        """Write ``changes`` as ``_portal_write`` does, then tell the chatter
        that ``user`` updated the record through the portal, listing
        ``items``. Nothing to write: nothing written, nothing said.

        :return: the errors by form field (``form``), empty when saved
        """
        if not changes:
            return {}
        intro = self.env._("Updated through the portal by %s.", user.name)
        return self._portal_write(
            user, changes, post=lambda record: record._portal_post_changes(user, intro, items)
        )

    def _portal_post_changes(self, user, intro, items=(), tracked=(), internal=False):
        """Tell the chatter what ``user``, a member, changed through the
        portal: ``intro`` followed by the list of ``items``.

        When the change wrote tracked fields (``tracked``), the message is the
        one that tracks them, authored by the user; else a message of its own,
        a note for the network's staff when ``internal`` (what other readers
        of the record must not read yet).
        """
        self.ensure_one()
        body = Markup("<p>%s</p>") % intro
        if items:
            body += Markup("<ul>%s</ul>") % Markup().join(
                Markup("<li>%s</li>") % item for item in items
            )
        if set(tracked) & set(self._track_get_fields()):
            self._track_set_author(user.partner_id)
            self._track_set_log_message(body)
            return
        self.message_post(
            body=body,
            author_id=user.partner_id.id,
            message_type="comment",
            subtype_xmlid="mail.mt_note" if internal else "mail.mt_comment",
        )

    @api.model
    def _portal_differences(self, record, vals):
        """The values of ``vals`` that ``record`` does not hold yet (an empty
        text is False; a relation is compared by its ids)."""
        differences = {}
        for name, value in vals.items():
            field = record._fields[name]
            current = record[name]
            if field.type in ("many2one",):
                current = current.id
            elif field.type in ("one2many", "many2many"):
                if isinstance(value, list | tuple) and all(isinstance(v, int) for v in value):
                    if set(value) != set(current.ids):
                        differences[name] = value
                else:
                    differences[name] = value
                continue
            elif field.type not in ("float", "integer", "monetary", "boolean"):
                current = current or False
            if value != current:
                differences[name] = value
        return differences

    @api.model
    def _portal_codes(self, names, limit=20):
        """``names`` joined for a chatter message, the first ``limit`` ones."""
        names = list(names)
        return ", ".join(names[:limit]) + (", …" if len(names) > limit else "")

    @api.model
    def _portal_count_item(self, what, codes):
        """A line of a chatter message: how many ``what`` (themes, answers…)
        changed, and their numbers ``codes``; empty when none did."""
        codes = list(codes)
        if not codes:
            return ""
        return self.env._(
            "%(what)s: %(count)s (%(codes)s)",
            what=what,
            count=len(codes),
            codes=self._portal_codes(codes),
        )


class EssOrganisationLineMixin(models.AbstractModel):
    """A line of a record of a member organisation: an answer or a score of a
    self-assessment, a step or a question of a guide year, a checklist line
    of a membership file, a point of a cross-evaluation. It belongs to the
    organisation and the network of its record, ``_organisation_parent``
    (its Many2one to that record); they are stored for record rules,
    searches and group-bys."""

    _name = "ess.organisation.line.mixin"
    _description = "Line of a record of a member organisation"
    _check_company_auto = True
    # the Many2one to the ess.organisation.mixin record the line belongs to
    _organisation_parent = None

    partner_id = fields.Many2one(
        "res.partner", "Organisation", compute="_compute_organisation", store=True, index=True
    )
    company_id = fields.Many2one(
        "res.company", "Network", compute="_compute_organisation", store=True, index=True
    )

    @api.depends(
        lambda self: [
            f"{self._organisation_parent}.{name}" for name in ("partner_id", "company_id")
        ]
    )
    def _compute_organisation(self):
        for line in self:
            record = line[self._organisation_parent]
            line.partner_id = record.partner_id
            line.company_id = record.company_id


class EssOrganisationProfileMixin(models.AbstractModel):
    """The profile of the organisation (kind, sector, employment area)
    stored on a record of it, for the staff's group-bys and reports (read
    as superuser, as related fields are: the member reads its own
    organisation's profile)."""

    _name = "ess.organisation.profile.mixin"
    _inherit = ["ess.organisation.mixin"]
    _description = "Profile of the organisation, stored on its records"

    organization_kind = fields.Selection(
        related="partner_id.ess_organization_kind", store=True, string="Kind of organisation"
    )
    industry_id = fields.Many2one(
        related="partner_id.industry_id", store=True, string="Sector of activity"
    )
    employment_area_id = fields.Many2one(
        related="partner_id.ess_employment_area_id", store=True, string="Employment area"
    )


class EssOrganisationYearMixin(models.AbstractModel):
    """A record of a member organisation for one year: a guide year, a
    self-assessment, an evaluation. The network follows it in its chatter
    and activities; the organisation's members find it on their portal. The
    latest year comes first."""

    _name = "ess.organisation.year.mixin"
    _inherit = ["ess.organisation.mixin", "portal.mixin", "mail.thread", "mail.activity.mixin"]
    _description = "Yearly record of a member organisation"
    _order = "year desc, partner_id, id desc"

    year = fields.Integer(
        required=True,
        tracking=True,
        default=lambda self: fields.Date.context_today(self).year,
        aggregator=False,
    )

    def _invalid_year_message(self, year):
        return self.env._(
            "%(year)s is not a valid period: choose a year from %(first)s (law of 31 July "
            "2014) to %(last)s.",
            year=year,
            first=FIRST_YEAR,
            last=LAST_YEAR,
        )

    @api.constrains("year")
    def _check_year(self):
        for record in self:
            if not FIRST_YEAR <= record.year <= LAST_YEAR:
                raise ValidationError(record._invalid_year_message(record.year))
