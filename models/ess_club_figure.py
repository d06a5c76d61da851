from odoo import api, fields, models, tools

STAFF = "ess_network.group_ess_user"


class EssClubFigure(models.Model):
    """The figures of a club per year, as the seed tells them ("près de 40
    structures et 45 participants lors des trois rencontres"): the club's
    meetings held that year, the organisations (structures) and the persons
    (participants) that attended at least one, counted once each, and the
    registrations. Working groups' meetings are counted apart.

    Computed from the attendance recorded on held meetings. Read-only: a
    PostgreSQL view (the multi-company record rule keeps each staff to its
    networks). The distinct counts are per club and year: summed over
    several years or clubs, an organisation that came each time counts
    each time."""

    _name = "ess.club.figure"
    _description = "Club figures per year"
    _auto = False
    _order = "year desc, club_id"
    _rec_name = "club_id"
    _depends = {
        "ess.club.meeting": ["club_id", "group_id", "company_id", "start", "state"],
        "ess.club.registration": ["meeting_id", "person_id", "partner_id", "state", "attended"],
    }

    club_id = fields.Many2one("ess.club", readonly=True)
    company_id = fields.Many2one("res.company", "Network", readonly=True)
    year = fields.Integer(readonly=True, aggregator=False)
    meeting_count = fields.Integer("Meetings held", readonly=True)
    structure_count = fields.Integer(
        "Structures",
        readonly=True,
        help="The organisations of which at least one person attended a meeting of the club "
        "that year, each counted once.",
    )
    participant_count = fields.Integer(
        "Participants",
        readonly=True,
        help="The persons who attended at least one meeting of the club that year, each "
        "counted once.",
    )
    attendance_count = fields.Integer(
        "Attendances", readonly=True, help="The persons present, meeting by meeting."
    )
    registration_count = fields.Integer(
        "Registrations",
        readonly=True,
        help="The persons registered to the meetings held (unregistered ones left out).",
    )
    group_meeting_count = fields.Integer("Working group meetings held", readonly=True)

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            tools.SQL(
                """
                CREATE OR REPLACE VIEW %(view)s AS (
                    SELECT m.club_id * 10000 + m.year AS id,
                           m.club_id,
                           MIN(m.company_id) AS company_id,
                           m.year,
                           COUNT(DISTINCT m.id) FILTER (WHERE m.group_id IS NULL)
                               AS meeting_count,
                           COUNT(DISTINCT r.partner_id) FILTER (
                               WHERE r.attended AND m.group_id IS NULL) AS structure_count,
                           COUNT(DISTINCT r.person_id) FILTER (
                               WHERE r.attended AND m.group_id IS NULL) AS participant_count,
                           COUNT(r.id) FILTER (
                               WHERE r.attended AND m.group_id IS NULL) AS attendance_count,
                           COUNT(r.id) FILTER (
                               WHERE r.state = 'registered' AND m.group_id IS NULL)
                               AS registration_count,
                           COUNT(DISTINCT m.id) FILTER (WHERE m.group_id IS NOT NULL)
                               AS group_meeting_count
                      FROM (
                            SELECT id, club_id, group_id, company_id,
                                   EXTRACT(YEAR FROM start)::integer AS year
                              FROM ess_club_meeting
                             WHERE state = 'held'
                      ) m
                      LEFT JOIN ess_club_registration r ON r.meeting_id = m.id
                     GROUP BY m.club_id, m.year
                )
                """,
                view=tools.SQL.identifier(self._table),
            )
        )


class EssClub(models.Model):
    """The figures of the current year on the club's form."""

    _inherit = "ess.club"

    year_meeting_count = fields.Integer(
        "Meetings held this year", compute="_compute_year_figures", groups=STAFF
    )
    year_structure_count = fields.Integer(
        "Structures this year", compute="_compute_year_figures", groups=STAFF
    )
    year_participant_count = fields.Integer(
        "Participants this year", compute="_compute_year_figures", groups=STAFF
    )
    meeting_count = fields.Integer("Number of meetings", compute="_compute_meeting_count")

    @api.depends_context("uid")
    def _compute_year_figures(self):
        year = fields.Date.context_today(self).year
        figures = {
            figure["club_id"][0]: figure
            for figure in self.env["ess.club.figure"].search_read(
                [("club_id", "in", self.ids), ("year", "=", year)],
                ["club_id", "meeting_count", "structure_count", "participant_count"],
            )
        }
        for club in self:
            figure = figures.get(club.id, {})
            club.year_meeting_count = figure.get("meeting_count", 0)
            club.year_structure_count = figure.get("structure_count", 0)
            club.year_participant_count = figure.get("participant_count", 0)

    def _compute_meeting_count(self):
        meetings = dict(
            self.env["ess.club.meeting"]._read_group(
                [("club_id", "in", self.ids)], ["club_id"], ["__count"]
            )
        )
        for club in self:
            club.meeting_count = meetings.get(club, 0)

    def action_view_figures(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("ess_network.ess_club_figure_action")
        action["domain"] = [("club_id", "=", self.id)]
        action["context"] = {"search_default_group_year": 1}
        return action

    def action_view_meetings(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "ess_network.ess_club_meeting_action"
        )
        action["domain"] = [("club_id", "=", self.id)]
        action["context"] = {"default_club_id": self.id}
        return action

    def action_view_groups(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("ess_network.ess_club_group_action")
        action["domain"] = [("club_id", "=", self.id)]
        action["context"] = {"default_club_id": self.id}
        return action
