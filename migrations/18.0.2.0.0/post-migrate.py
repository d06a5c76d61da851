"""18.0.2.0.0, after the update: the settings move from the database to each
network.

The responsible for adhesion requests and the number of days before an
action's deadline when its pilot is reminded were ``ir.config_parameter``s
of the whole database; they are now fields of each network (company). Every
existing company receives the values the database had, then the parameters
go."""

import logging

from odoo import SUPERUSER_ID, api

_logger = logging.getLogger(__name__)

REQUEST_USER = "ess_network.request_user_id"
REMINDER_DAYS = "ess_network.action_reminder_days"


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    params = env["ir.config_parameter"].sudo()
    vals = {}
    user_param, days_param = params.get_param(REQUEST_USER), params.get_param(REMINDER_DAYS)
    if user_param:
        user = env["res.users"].browse(int(user_param)).exists() if user_param.isdigit() else None
        if user:
            vals["ess_request_user_id"] = user.id
        else:
            _logger.warning("%s=%r names no user: not carried", REQUEST_USER, user_param)
    if days_param:
        try:
            vals["ess_action_reminder_days"] = int(days_param)
        except ValueError:
            _logger.warning("%s=%r is not a number: not carried", REMINDER_DAYS, days_param)
    companies = env["res.company"].with_context(active_test=False).search([])
    if vals:
        companies.write(vals)
        _logger.info("settings %s carried into the companies %s", vals, companies.ids)
    params.search([("key", "in", (REQUEST_USER, REMINDER_DAYS))]).unlink()
