"""The screens of the add-on as the web client and the portal load them: the
calls of each back-end list, pivot and graph on opening (the window
actions of ``ess_network``, their views, default filters, group-bys and
order), and the portal pages of a member with one of their records each.

One description for the scale benchmark (``scripts/bench_scale.py``, which
sends the calls over JSON-RPC and the pages over HTTP to a running server)
and for the query-count tests (``tests/test_scale_screens.py``, which makes
the same calls in the test's transaction): what one times, the other
counts.
"""

from collections import namedtuple
from datetime import date, datetime, time

from dateutil.relativedelta import relativedelta
from lxml import etree

from odoo.tools.safe_eval import safe_eval

MODULE = "ess_network"
LIST_LIMIT = 80  # the web client's page of a list
COUNT_LIMIT = 10001  # its count of the records beyond (RelationalModel.DEFAULT_COUNT_LIMIT + 1)

# A call of the web client: ``getattr(env[model], method)(*args, **kwargs)``.
Call = namedtuple("Call", "model method args kwargs")
# A screen: the action (xml id), the view type, and the calls that load it.
Screen = namedtuple("Screen", "name model view_type context calls")

# The portal pages of a member (those a GET shows; not the downloads): path,
# and the model of the record in it (``{}`` in the path): the member's most
# recent one, as their access finds it.
PORTAL_PAGES = [
    ("/my/home", None),
    ("/my/membership", None),
    ("/my/membership/{}", "ess.membership"),
    ("/my/guide", None),
    # the forms of its implementation and of its publication are in this page
    # (their /implementation and /publication addresses take their POST only)
    ("/my/guide/{}", "ess.guide.year"),
    ("/my/actions", None),
    ("/my/actions/{}", "ess.action"),
    ("/my/actions/new", None),
    ("/my/assessments", None),
    ("/my/assessments/{}", "ess.assessment"),
    ("/my/evaluations", None),
    ("/my/evaluations/{}", "ess.evaluation"),
    ("/my/stakeholders", None),
    ("/my/stakeholders/{}", "ess.stakeholder"),
    ("/my/sponsor", None),
    ("/my/sponsorships", None),
    ("/my/sponsorships/{}", "ess.sponsorship"),
    ("/my/sponsorships/request", None),
    ("/my/library", None),
    ("/my/library/{}", "ess.practice"),
    ("/my/library/propose", None),
    ("/my/clubs", None),
    ("/my/clubs/{}", "ess.club"),
    ("/my/clubs/meeting/{}", "ess.club.meeting"),
    ("/my/groups", None),
    ("/my/groups/{}", "ess.club.group"),
]
# Odoo's own page of the portal, the anchor of the pages above.
PORTAL_ANCHOR = "/my/account"


def _eval_context(env):
    """What the web client gives a domain or a context of a view: the user,
    today (``context_today``) and the date helpers."""
    return {
        "uid": env.uid,
        "context_today": lambda: date.today(),
        "current_date": date.today().strftime("%Y-%m-%d"),
        "datetime": datetime,
        "time": time,
        "relativedelta": relativedelta,
        "allowed_company_ids": env.companies.ids,
        "active_id": False,
        "active_ids": [],
    }


def _evaluate(env, text, default):
    if not text:
        return default
    if not isinstance(text, str):
        return text
    return safe_eval(text, _eval_context(env))


def _search_defaults(env, model, search_arch, context):
    """The domain and the group-bys of the search view's defaults
    (``search_default_<name>`` of the action's context): filters of one
    group (between separators) are or-ed, groups and fields and-ed."""
    defaults = {
        key[len("search_default_") :]: value
        for key, value in context.items()
        if key.startswith("search_default_") and value
    }
    domains, groupbys, current = [], [], []
    for node in etree.fromstring(search_arch).iter():
        if node.tag == "separator" or (node.tag == "field" and current):
            if current:
                domains.append(current)
            current = []
        if node.tag == "filter" and node.get("name") in defaults:
            filter_context = _evaluate(env, node.get("context"), {})
            if filter_context.get("group_by"):
                group_by = filter_context["group_by"]
                groupbys += group_by if isinstance(group_by, list) else [group_by]
            elif node.get("domain"):
                current.append(_evaluate(env, node.get("domain"), []))
        elif node.tag == "field" and node.get("name") in defaults:
            value = defaults[node.get("name")]
            if node.get("filter_domain"):
                domain = safe_eval(
                    node.get("filter_domain"), dict(_eval_context(env), self=value, raw_value=value)
                )
            else:
                domain = [(node.get("name"), "=", value)]
            domains.append([domain])
    if current:
        domains.append(current)
    domain = []
    for group in domains:
        if len(group) > 1:
            domain += ["|"] * (len(group) - 1)
        for part in group:
            domain += part
    return domain, groupbys


def _groupby(Model, name):
    """A group-by as the pivot and the graph send it: dates by month."""
    field = Model._fields[name.split(":")[0]]
    if field.type in ("date", "datetime") and ":" not in name:
        return f"{name}:month"
    return name


def _list_calls(Model, arch, domain, groupbys, context):
    root = etree.fromstring(arch)
    spec, aggregates = {}, []
    for node in root.iterchildren("field"):
        name = node.get("name")
        field = Model._fields.get(name)
        if field is None:
            continue
        if field.type in ("many2one", "many2many", "one2many"):
            spec[name] = {"fields": {"display_name": {}}}
        else:
            spec[name] = {}
        for aggregate in ("sum", "avg"):
            if node.get(aggregate):
                aggregates.append(f"{name}:{aggregate}")
    if groupbys:
        kwargs = {"limit": LIST_LIMIT, "lazy": True, "context": context}
        return [Call(Model._name, "web_read_group", [domain, aggregates, groupbys[:1]], kwargs)]
    kwargs = {
        "offset": 0,
        "limit": LIST_LIMIT,
        "order": root.get("default_order") or "",
        "count_limit": COUNT_LIMIT,
        "context": context,
    }
    return [Call(Model._name, "web_search_read", [domain, spec], kwargs)]


def _typed_fields(Model, arch, kinds):
    result = {kind: [] for kind in kinds}
    for node in etree.fromstring(arch).iter("field"):
        kind = node.get("type") or "row"
        if kind in result and node.get("name") in Model._fields and not node.get("invisible"):
            # a date's interval, as the web client's pivot and graph read it
            interval = node.get("interval") if kind != "measure" else None
            result[kind].append(f"{node.get('name')}:{interval}" if interval else node.get("name"))
    return result


def _measures(Model, names):
    measures = []
    for name in names:
        field = Model._fields[name]
        measures.append(f"{name}:{field.aggregator or 'sum'}")
    return measures or ["__count"]


def _pivot_calls(Model, arch, domain, groupbys, context):
    """The web client's pivot: one read_group per pair of the prefixes of
    its row and column group-bys (the totals, the headers, the cells)."""
    fields = _typed_fields(Model, arch, ("row", "col", "measure"))
    measures = _measures(Model, context.get("pivot_measures") or fields["measure"])
    rows = groupbys or context.get("pivot_row_groupby") or fields["row"]
    cols = context.get("pivot_column_groupby") or fields["col"]
    rows = [_groupby(Model, name) for name in rows]
    cols = [_groupby(Model, name) for name in cols]
    calls = []
    for row_count in range(len(rows) + 1):
        for col_count in range(len(cols) + 1):
            groupby = rows[:row_count] + cols[:col_count]
            kwargs = {"lazy": False, "context": context}
            calls.append(Call(Model._name, "read_group", [domain, measures, groupby], kwargs))
    return calls


def _graph_calls(Model, arch, domain, groupbys, context):
    """The web client's graph: one read_group of its measure by its group-bys."""
    fields = _typed_fields(Model, arch, ("row", "col", "measure"))
    measure = context.get("graph_measure")
    measures = _measures(Model, [measure] if measure else fields["measure"][:1])
    rows = groupbys or context.get("graph_groupbys") or (fields["row"] + fields["col"])
    groupby = [_groupby(Model, name) for name in rows]
    kwargs = {"lazy": False, "context": context}
    return [Call(Model._name, "read_group", [domain, measures, groupby], kwargs)]


BUILDERS = {"list": _list_calls, "pivot": _pivot_calls, "graph": _graph_calls}


def backend_screens(env, view_types=("list", "pivot", "graph")):
    """The list, pivot and graph views of the window actions of the add-on,
    each with the calls the web client makes to open it, as ``env``'s user
    (the views as their groups show them to that user)."""
    data = (
        env["ir.model.data"]
        .sudo()
        .search([("module", "=", MODULE), ("model", "=", "ir.actions.act_window")], order="id")
    )
    screens = []
    for xmlid in data:
        action = env["ir.actions.act_window"].sudo().browse(xmlid.res_id)
        if action.target in ("new", "inline") or action.res_model not in env:
            continue
        Model = env[action.res_model]
        if Model._transient or not Model.has_access("read"):
            continue
        action_context = _evaluate(env, action.context, {})
        context = {
            key: value
            for key, value in action_context.items()
            if not key.startswith("search_default_")
        }
        context.update(lang=env.lang, tz=env.user.tz, uid=env.uid)
        context["allowed_company_ids"] = env.companies.ids
        action_domain = _evaluate(env, action.domain, [])
        modes = action.view_mode.split(",")
        view_ids = {view.view_mode: view.view_id.id for view in action.view_ids}
        for view_type in view_types:
            if view_type not in modes:
                continue
            views = Model.with_context(**context).get_views(
                [(view_ids.get(view_type, False), view_type), (action.search_view_id.id, "search")]
            )["views"]
            domain, groupbys = _search_defaults(env, Model, views["search"]["arch"], action_context)
            arch = views[view_type]["arch"]
            calls = BUILDERS[view_type](Model, arch, action_domain + domain, groupbys, context)
            screens.append(Screen(f"{MODULE}.{xmlid.name}", Model._name, view_type, context, calls))
    return screens


def anchor_screen(env):
    """Odoo's own contact list (``contacts.action_contacts``'s list, 80 rows,
    its default filters and order), the anchor of the back end."""
    action = env.ref("contacts.action_contacts").sudo()
    Partner = env["res.partner"]
    action_context = _evaluate(env, action.context, {})
    context = {
        "lang": env.lang,
        "tz": env.user.tz,
        "uid": env.uid,
        "allowed_company_ids": env.companies.ids,
    }
    views = Partner.get_views([(False, "list"), (action.search_view_id.id, "search")])["views"]
    domain, groupbys = _search_defaults(env, Partner, views["search"]["arch"], action_context)
    calls = _list_calls(Partner, views["list"]["arch"], domain, groupbys, context)
    return Screen("contacts.action_contacts", "res.partner", "list", context, calls)


def run(env, screen):
    """Make the calls of ``screen`` as ``env``'s user, like the RPC would."""
    results = []
    for call in screen.calls:
        kwargs = dict(call.kwargs)
        context = kwargs.pop("context", {})
        Model = env[call.model].with_context(**context)
        results.append(getattr(Model, call.method)(*call.args, **kwargs))
    return results


def portal_pages(env):
    """The paths of ``PORTAL_PAGES`` for ``env``'s user (a member): each
    with its record the member's latest one; the pages whose model has no
    record for the member are left out."""
    paths = []
    for path, model in PORTAL_PAGES:
        if model is None:
            paths.append(path)
            continue
        record = env[model].search([], order="id desc", limit=1)
        if record:
            paths.append(path.format(record.id))
    return paths
