"""Benchmark of the portal's good-practice library at network scale.

Run by ``./dev bench`` inside an Odoo shell on a throwaway database without
demo data. It makes SHEETS published sheets with the library's generator
(``ess.practice._populate``: French words, every domain of action, kinds of
organisation), then times what the portal's
library page does for a member (``/my/library``, as a portal user, record
rules included): count the sheets found, read the page of sheets shown
(80) with their theme, domain and kinds — for a word search and for a
theme filter. Each figure is printed beside its anchor measured in the same
run: one plain SQL query that finds the same page of ids and the count
(the same full-text index, or the theme), without rules nor ORM; and their
ratio. Nothing is committed.

    ESS_BENCH_LIBRARY_SHEETS=5000 ./dev bench
"""

import os
import time

from odoo.addons.ess_network.controllers.portal_library import search_text
from odoo.addons.ess_network.tools import fulltext, scale

# `env` is given by the Odoo shell.
env = globals()["env"]
SHEETS = int(os.environ.get("ESS_BENCH_LIBRARY_SHEETS", "5000"))
PAGE = 80  # the portal's page (CustomerPortal._items_per_page)
RUNS = 5
cr = env.cr


def populate():
    """SHEETS published sheets, through the library's own generator
    (``ess.practice._populate``: words, domains, kinds, keywords)."""
    start = time.perf_counter()
    if not env["ess.organisation.kind"].search_count([]):
        env["ess.organisation.kind"].create(
            [{"name": name} for name in ("Association", "Mutuelle", "Coopérative", "Scop", "SCIC")]
        )
    env["ess.practice"]._populate(SHEETS)
    env.flush_all()
    cr.execute("ANALYZE ess_practice")
    env.invalidate_all()
    print(f"  set-up: {SHEETS} published sheets created in {time.perf_counter() - start:.1f} s")
    return env["ess.guide.theme"].search([])


def member():
    organisation = env["res.partner"].create({"name": "Scop du Banc d'Essai", "is_company": True})
    user = (
        env["res.users"]
        .with_context(no_reset_password=True)
        .create(
            {
                "name": "Marie Banc",
                "login": "bench_library_member",
                "groups_id": [(6, 0, [env.ref("base.group_portal").id])],
            }
        )
    )
    user.partner_id.parent_id = organisation
    return user


def measure(func):
    """Median time and query count of RUNS cold-cache runs of ``func``."""
    return scale.measure(env, func, RUNS)


def library_page(user, search=None, theme=None):
    """What /my/library does for ``user``: the sheets found, counted, and
    the first page of them read as the page shows them."""

    def run():
        Practice = env(user=user)["ess.practice"]
        terms = search_text(Practice.env, search)
        domain = Practice._portal_library_domain(terms, theme)
        total = Practice.search_count(domain)
        Practice.search(domain, limit=PAGE).sudo()._portal_library_rows()
        return total

    return run


def anchor(search=None, theme=None):
    """One plain query: the same page of ids and the count of all found,
    through the same full-text index (or the theme)."""

    def run():
        where, params = ["state = 'published'", "active"], []
        query = fulltext.tsquery(search or "")
        if query:
            where.append("search_vector @@ to_tsquery(%s::regconfig, %s)")
            params += [fulltext.TS_CONFIG, query]
        if theme:
            where.append("theme_id = %s")
            params.append(theme)
        cr.execute(
            f"""
            SELECT id, count(*) OVER ()
              FROM ess_practice
             WHERE {" AND ".join(where)}
             ORDER BY date_published DESC, id DESC
             LIMIT %s
            """,
            [*params, PAGE],
        )
        return cr.fetchall()

    return run


print(f"good-practice library: {SHEETS} published sheets, portal page of {PAGE}")
themes = populate()
user = member()
theme = themes[2].id if len(themes) > 2 else themes[0].id
cases = [
    ("word search “salariés”", {"search": "salariés"}),
    ("two words “circuits courts”", {"search": "circuits courts"}),
    (f"theme filter (theme {themes.browse(theme).code})", {"theme": theme}),
]
for label, params in cases:
    found = library_page(user, **params)()
    page_time, page_queries = measure(library_page(user, **params))
    anchor_time, anchor_queries = measure(anchor(**params))
    print(f"{label}: {found} sheets found")
    page_label, anchor_label = "portal library page (as a member)", "anchor: one plain SQL query"
    print(f"  {page_label:<48} {page_time * 1000:8.1f} ms {page_queries:4d} queries")
    print(f"  {anchor_label:<48} {anchor_time * 1000:8.1f} ms {anchor_queries:4d} queries")
    print(f"  {'ratio page / anchor':<48} {page_time / anchor_time:8.2f} x")
env.cr.rollback()
print("rolled back: nothing was kept")
