"""Scheduled work done the Odoo 18.0 way: in batches that tell the
scheduler their progress, and activities planned together, once."""

from odoo import fields
from odoo.tools import split_every

# How many records one call of a scheduled action handles at most.
CRON_BATCH_SIZE = 100


def run_in_batches(records, process, batch_size=CRON_BATCH_SIZE):
    """Hand ``records`` to ``process`` batch by batch, telling the scheduler
    how many remain after each.

    In a scheduled job (the scheduler puts ``ir_cron_progress_id`` in the
    context) only the first batch is handled: the scheduler commits it and
    calls the action again, whose search no longer finds what ``process``
    marked. Outside a job, every batch is handled.

    :param records: the records due, in the order to handle them
    :param process: called with each batch (a recordset prefetching only it)
    :return: the number of records handled
    """
    env = records.env
    total, done = len(records), 0
    for batch in split_every(max(batch_size, 1), records.ids, records.browse):
        process(batch)
        done += len(batch)
        env["ir.cron"]._notify_progress(done=done, remaining=total - done)
        if env.context.get("ir_cron_progress_id"):
            break
    return done


def plan_activities(activity_type, plans, summary, note=None, date=None):
    """Plan an activity of ``activity_type`` on each record of ``plans`` for
    its user, all at once: one search for those already planned, one create.

    A record that already has an activity of this type to do for that user
    gets none (the pole is not told twice the same thing), nor does a record
    without a user.

    The summary and note are written in the user's language. No e-mail is
    sent per activity (a run can plan many): the user finds them among their
    activities.

    :param plans: ``[(record, user)]``, the records having a
        ``mail.activity.mixin``
    :param summary: ``summary(record)`` gives the activity's summary, the
        record being in the user's language
    :param note: ``note(record)`` likewise gives its note (HTML)
    :param date: the activities' due date (default: today), or
        ``date(record)`` gives each one's
    :return: the activities created
    """
    Activity = activity_type.env["mail.activity"].sudo()
    plans = [(record, user) for record, user in plans if user]
    if not plans:
        return Activity
    planned = {
        (activity.res_model, activity.res_id, activity.user_id.id)
        for activity in Activity.search_fetch(
            [
                ("activity_type_id", "=", activity_type.id),
                ("res_model", "in", list({record._name for record, _user in plans})),
                ("res_id", "in", list({record.id for record, _user in plans})),
            ],
            ["res_model", "res_id", "user_id"],
        )
    }
    today = fields.Date.context_today(activity_type)
    IrModel = activity_type.env["ir.model"]
    vals_list = []
    for record, user in plans:
        if (record._name, record.id, user.id) in planned:
            continue
        planned.add((record._name, record.id, user.id))
        in_lang = record.with_context(lang=user.lang or record.env.lang)
        vals_list.append(
            {
                "activity_type_id": activity_type.id,
                "res_model_id": IrModel._get_id(record._name),
                "res_id": record.id,
                "user_id": user.id,
                "summary": summary(in_lang),
                "note": note(in_lang) if note else False,
                "date_deadline": (date(record) if callable(date) else date) or today,
                "automated": True,
            }
        )
    return Activity.with_context(mail_activity_quick_update=True).create(vals_list)
