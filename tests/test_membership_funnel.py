import importlib.util
from datetime import date
from pathlib import Path

from odoo import fields
from odoo.tests import tagged

from .common import EssNetworkCase


def _post_migrate_4():
    path = Path(__file__).parent.parent / "migrations" / "18.0.4.0.0" / "post-migrate.py"
    spec = importlib.util.spec_from_file_location("ess_network_post_migrate_4", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@tagged("post_install", "-at_install")
class TestMembershipFunnel(EssNetworkCase):
    """The adhesion funnel as a staff member reads it: stages in process
    order, files that reached each one, conversion from the previous one."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.orgs = [cls._create_org(f"Association Entonnoir {n}") for n in range(6)]

    def _funnel(self, files, groupby=("stage",)):
        groups = (
            self.env["ess.membership.funnel"]
            .with_user(self.staff)
            .read_group(
                [("membership_id", "in", files.ids)],
                ["reached:sum", "conversion_rate:avg"],
                list(groupby),
                lazy=False,
            )
        )
        return groups

    def _files_at_various_stages(self):
        request_only = self._new_request(self.orgs[0])
        refused_after_presentation = self._new_request(self.orgs[1])
        refused_after_presentation.action_presentation_done()
        self._decide(refused_after_presentation, "refuse")
        member = self._to_member(self._new_request(self.orgs[2]))
        meeting = self._new_request(self.orgs[3])
        meeting.action_presentation_done()
        self._decide(meeting)
        meeting.action_schedule_meeting()
        refused_at_once = self._new_request(self.orgs[4])
        self._decide(refused_at_once, "refuse")
        files = request_only | refused_after_presentation | member | meeting | refused_at_once
        self.env.flush_all()
        return files

    def test_files_reaching_each_stage_in_process_order(self):
        files = self._files_at_various_stages()
        groups = self._funnel(files)
        self.assertEqual(
            [group["stage"] for group in groups],
            [
                "1_request",
                "2_presentation",
                "3_validated",
                "4_meeting",
                "5_signature",
                "6_member",
                "7_operational",
            ],
            "the stages come in the order of the process, not of their names",
        )
        self.assertEqual([group["reached"] for group in groups], [5, 3, 2, 2, 1, 1, 0])
        # the refused file counts as having reached the presentation
        self.assertEqual(
            [round(group["conversion_rate"], 1) for group in groups],
            [100.0, 60.0, 66.7, 100.0, 50.0, 100.0, 0.0],
        )
        reached_by_files = (
            self.env["ess.membership.funnel"]
            .with_user(self.staff)
            .search([("membership_id", "in", files.ids), ("reached", "=", 1)])
        )
        self.assertTrue(all(reached_by_files.mapped("date_reached")))

    def test_funnel_per_period_of_the_request(self):
        files = self._files_at_various_stages()
        # the request of the file that went furthest was made in 2024
        member = files.filtered(lambda m: m.state == "member")
        member.sudo().with_context(ess_membership_transition=True).write(
            {"request_date": date(2024, 3, 1)}
        )
        self.env.flush_all()
        groups = self._funnel(files, ("request_date:year", "stage"))
        by_year = {}
        for group in groups:
            by_year.setdefault(group["request_date:year"], {})[group["stage"]] = group["reached"]
        self.assertEqual(by_year["2024"]["6_member"], 1)
        this_year = str(date.today().year)
        self.assertEqual(by_year[this_year]["1_request"], 4)
        self.assertEqual(by_year[this_year].get("6_member", 0), 0)

    def test_files_give_the_numbers_of_the_lines(self):
        """The pivot and the graph read the files grouped by their furthest
        stage: the same groups, in the same order, with the same numbers as
        the lines (read with a limit, which the files do not answer)."""
        files = self._files_at_various_stages()
        files[:2].sudo().with_context(ess_membership_transition=True).write(
            {"request_date": date(2023, 5, 2)}
        )
        self.env.flush_all()
        Funnel = self.env["ess.membership.funnel"].with_user(self.staff)
        mine = [("membership_id", "in", files.ids)]
        aggregates = ["__count", "reached:sum", "conversion_rate:avg"]
        for domain, groupby in [
            (mine, []),
            (mine, ["stage"]),
            (mine, ["request_date:year"]),
            (mine, ["stage", "request_date:year"]),
            (mine, ["request_date:month", "stage"]),
            ([*mine, ("state", "=", "refused")], ["organization_kind", "stage"]),
            ([("membership_id", "=", 0)], []),
            ([("membership_id", "=", 0)], ["stage"]),
        ]:
            for order in (None, ",".join(groupby) or None):
                with self.subTest(domain=domain, groupby=groupby, order=order):
                    self.assertEqual(
                        Funnel._read_group(domain, groupby, aggregates, order=order),
                        Funnel._read_group(domain, groupby, aggregates, order=order, limit=1000),
                    )
        # one query, whatever the number of files
        Funnel._read_group(mine, ["stage"], aggregates)
        with self.assertQueryCount(1):
            Funnel._read_group(mine, ["stage", "request_date:year"], aggregates)

    def test_stage_written_directly_is_dated(self):
        membership = self._new_request(self.orgs[5])
        self.assertFalse(membership.presentation_date)
        membership.with_user(self.staff).state = "presentation"
        self.assertEqual(membership.presentation_date, date.today())

    def test_dates_of_existing_files_are_backfilled_from_their_history(self):
        meeting = self._new_request(self.orgs[3])
        meeting.action_presentation_done()
        self._decide(meeting)
        meeting.action_schedule_meeting()
        # the history of a file as the chatter kept it: its stage tracked,
        # with the label in the language of whom changed it
        field = self.env["ir.model.fields"]._get("ess.membership", "state")
        for label, day in (
            ("Approach presented", "2025-01-10"),
            ("Réunion d'intégration", "2025-02-03"),
        ):
            self.env["mail.message"].create(
                {
                    "model": "ess.membership",
                    "res_id": meeting.id,
                    "message_type": "notification",
                    "date": f"{day} 09:00:00",
                    "tracking_value_ids": [
                        fields.Command.create(
                            {"field_id": field.id, "new_value_char": label, "old_value_char": ""}
                        )
                    ],
                }
            )
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE ess_membership SET meeting_scheduled_date = NULL, presentation_date = NULL, "
            "meeting_event_id = NULL WHERE id = %s",
            [meeting.id],
        )
        meeting.invalidate_recordset()
        _post_migrate_4().migrate(self.env.cr, "18.0.3.0.0")
        self.assertEqual(meeting.presentation_date, date(2025, 1, 10))
        # the French label counts too (French is loaded in the test database)
        if "Réunion d'intégration" in _post_migrate_4()._stage_labels(self.env.cr, "meeting"):
            self.assertEqual(meeting.meeting_scheduled_date, date(2025, 2, 3))
