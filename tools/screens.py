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

import json
from collections import namedtuple
from datetime import date, datetime, time

from dateutil.relativedelta import relativedelta
from lxml import etree

from odoo.tools.safe_eval import safe_eval

MODULE = "ess_network"
LIST_LIMIT = 80  # the web client's page of a list
COUNT_LIMIT = 10001  # its count of the records beyond (RelationalModel.DEFAULT_COUNT_LIMIT + 1)
KANBAN_LIMIT = 40  # the cards of a kanban, or of one of its columns
OPENED_GROUPS = 10  # the kanban columns it opens at once (RelationalModel.MAX_NUMBER_OPENED_GROUPS)

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


def _read_spec(Model, nodes):
    """What the web client reads of each record for the ``<field>`` nodes of
    a view: the value, or the display name of a relation."""
    spec = {}
    for node in nodes:
        field = Model._fields.get(node.get("name"))
        if field is not None:
            relational = field.type in ("many2one", "many2many", "one2many")
            spec[field.name] = {"fields": {"display_name": {}}} if relational else {}
    return spec


def _list_calls(Model, arch, domain, groupbys, context):
    root = etree.fromstring(arch)
    spec = _read_spec(Model, root.iterchildren("field"))
    aggregates = []
    for node in root.iterchildren("field"):
        name = node.get("name")
        if name not in spec:
            continue
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


def _kanban_calls(Model, arch, domain, groupbys, context):
    """The web client's kanban: its cards, or, grouped (by the search's
    default group-by or the view's ``default_group_by``), its columns, the
    counts of its progress bar, and the cards of each column it opens (the
    first ten not folded, as found when the screen is described)."""
    root = etree.fromstring(arch)
    spec = _read_spec(Model, root.iter("field"))
    limit = int(root.get("limit") or KANBAN_LIMIT)
    order = root.get("default_order") or ""

    def cards(cards_domain):
        kwargs = {
            "offset": 0,
            "limit": limit,
            "order": order,
            "count_limit": COUNT_LIMIT,
            "context": context,
        }
        return Call(Model._name, "web_search_read", [cards_domain, spec], kwargs)

    groupby = groupbys[:1] or [name for name in [root.get("default_group_by")] if name]
    if not groupby:
        return [cards(domain)]
    # the fields the web client is told it may aggregate (stored, or read
    # from a stored one)
    aggregators = {name: Model._fields[name]._description_aggregator(Model.env) for name in spec}
    aggregates = [
        f"{name}:{aggregator}"
        for name, aggregator in aggregators.items()
        if aggregator and name != groupby[0]
    ]
    read_group = Call(
        Model._name,
        "web_read_group",
        [domain, aggregates, groupby],
        {"offset": 0, "lazy": True, "context": context},
    )
    calls = [read_group]
    bar = root.find("progressbar")
    if bar is not None:
        progress_bar = {
            "colors": json.loads(bar.get("colors") or "{}"),
            "field": bar.get("field"),
            "help": bar.get("help"),
        }
        kwargs = {
            "domain": domain,
            "group_by": groupby[0],
            "progress_bar": progress_bar,
            "context": context,
        }
        calls.append(Call(Model._name, "read_progress_bar", [], kwargs))
    groups = run(Model.env, Screen("", Model._name, "kanban", context, [read_group]))[0]
    field = Model._fields[groupby[0].split(":")[0]]
    opened = 0
    for group in groups["groups"]:
        # the unset group of a relation is folded, as the web client does
        unset = field.type in ("many2one", "many2many") and not group[groupby[0]]
        if group.get("__fold", unset) or not group.get(f"{field.name}_count"):
            continue
        opened += 1
        if opened > OPENED_GROUPS:
            break
        calls.append(cards(group["__domain"]))
    return calls


BUILDERS = {
    "list": _list_calls,
    "pivot": _pivot_calls,
    "graph": _graph_calls,
    "kanban": _kanban_calls,
}


def backend_screens(env, view_types=("list", "kanban", "pivot", "graph")):
    """The list, kanban, pivot and graph views of the window actions of the add-on,
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


def anchor_screen(env, view_type="list", groupby=None):
    """Odoo's own contacts (``contacts.action_contacts``, its default filters
    and order) in their list of 80 rows, the anchor of the back end; or in
    ``view_type`` (their kanban, the first view of Odoo's Contacts), grouped
    by ``groupby`` if given (a grouped kanban opens its first ten columns)."""
    action = env.ref("contacts.action_contacts").sudo()
    Partner = env["res.partner"]
    action_context = _evaluate(env, action.context, {})
    context = {
        "lang": env.lang,
        "tz": env.user.tz,
        "uid": env.uid,
        "allowed_company_ids": env.companies.ids,
    }
    views = Partner.get_views([(False, view_type), (action.search_view_id.id, "search")])["views"]
    domain, groupbys = _search_defaults(env, Partner, views["search"]["arch"], action_context)
    groupbys = [groupby] if groupby else groupbys
    calls = BUILDERS[view_type](Partner, views[view_type]["arch"], domain, groupbys, context)
    name = "contacts.action_contacts" + (f" grouped by {groupby}" if groupby else "")
    return Screen(name, "res.partner", view_type, context, calls)


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
