from odoo import api, fields, models
from odoo.exceptions import ValidationError


class EssReferenceMixin(models.AbstractModel):
    """Reference data that a network edits: the guide of good practices
    (themes, domains of action, questions and indicators, the twelve steps),
    the phase checklists of membership files, the dialogue modes of the
    stakeholder map, the employment areas.

    A federation runs several networks (several CRESS) in one database, each
    network being a company. A reference record without network
    (``company_id`` empty) is **shared** by every network: so is the
    reference shipped with the add-on (records loaded from data files) and
    everything that existed before 18.0.2. What a network adds belongs to it
    (the network its author works in): only its staff and its members see
    it, and only its own records use it. New guide years, self-assessments
    and membership checklists take the shared records plus their network's
    own (``_network_domain``), so that one network's scores are never mixed
    with another's.

    The fields named in ``_reference_unique`` (codes) are unique among what
    one network sees: two networks may each add their own question 1.3.5,
    but none beside a shared 1.3.5.

    The maturity scale (``ess.maturity.level``) is not such a record: it is
    one scale for the whole database, so that a level means the same
    everywhere and a stored score never changes meaning."""

    _name = "ess.reference.mixin"
    _description = "Reference data of a network"
    _check_company_auto = True
    # fields whose value is unique among the records one network sees
    _reference_unique = ()

    name = fields.Char(required=True)
    company_id = fields.Many2one(
        "res.company",
        "Network",
        index=True,
        default=lambda self: self._default_reference_company(),
        help="Empty: shared by every network of the database. Else only this network sees "
        "and uses it.",
    )
    # archived: the records that use it keep it, new ones no longer take it
    active = fields.Boolean(default=True)

    @api.model
    def _default_reference_company(self):
        """The network of whoever adds the record; none (shared) for the
        records of a module's data files."""
        if self.env.context.get("install_module"):
            return self.env["res.company"]
        return self.env.company

    @api.model
    def _network_domain(self, companies):
        """The reference ``companies`` use: the shared records and their own."""
        return [("company_id", "in", [False, *companies.ids])]

    @api.model
    def _network_search(self, companies, domain=()):
        """The records of ``domain`` in the reference ``companies`` use."""
        return self.search([*domain, *self._network_domain(companies)])

    @api.constrains(lambda self: ("company_id", *self._reference_unique))
    def _check_unique_in_network(self):
        for name in self._reference_unique:
            for record in self.filtered(name):
                domain = [(name, "=", record[name]), ("id", "!=", record.id)]
                if record.company_id:
                    # a shared record is seen by every network: it may
                    # clash with any other record
                    domain += self._network_domain(record.company_id)
                if self.sudo().with_context(active_test=False).search_count(domain, limit=1):
                    raise ValidationError(
                        self.env._(
                            "%(field)s “%(value)s” is already used in the reference of this "
                            "network or, for a shared record, of any network: choose another one.",
                            field=self._fields[name].get_description(self.env)["string"],
                            value=record[name],
                        )
                    )
