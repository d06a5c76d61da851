"""A network at scale, built from the demo data outward (``./dev populate``,
the benchmarks, ``tests/test_scale.py``).

Each step takes ``env`` and a :class:`Network` (the organisations made so
far, the years, the random generator) and returns how many records it made.
The bulky rows (organisations, membership files, guide years, their themes
and question lines, self-assessments and their scores, evaluations, actions,
stakeholders) are inserted by SQL ``INSERT … SELECT`` - the ORM would take
hours for 5,000 organisations × 5 years; their stored computed fields are
written by the same SQL with the values the ORM computes (the line's
progress, the guide year's counters and annual figures, the membership
file's funnel rank and first evaluation, the related sequences and
organisation's fields, the partner's commercial entity), and the few that
hold business logic over a handful of rows per organisation (the partner's
membership fields and evaluation flags, the membership file's progress, the
stakeholder's quadrant) are recomputed through the ORM. The smaller sets
(sponsors, sponsorships and their sessions, library sheets, club meetings
and registrations) go through the ORM. Random choices come from a fixed
seed (Python's ``random.Random`` and PostgreSQL's ``setseed``) and
arithmetic on the rows' ids: the same sizes on the same starting database
(the demo's, freshly installed) give the same network.

The network is the current company (the demo's), with its reference data
(guide themes, domains, questions, sponsorship modules, clubs) and users.
Membership files without their checklists (``ess.membership.item``): their
progress is 0.
"""

import random
import statistics
import time
from datetime import date, datetime, timedelta

from odoo import Command

KINDS = ["association", "mutuelle", "cooperative", "scop", "scic", "fondation", "other"]
SECTORS, AREAS = 15, 40
# Stages of the membership files, in thousandths of the organisations: most
# are members, in their three phases; the rest on the way, refused or gone.
STAGES = [
    ("request", 30),
    ("presentation", 20),
    ("validated", 15),
    ("meeting", 15),
    ("signature", 15),
    ("refused", 25),
    ("withdrawn", 40),
    ("member", 840),
]
PREFIX = "Scale org"
QUIET = {
    "tracking_disable": True,
    "mail_create_nolog": True,
    "mail_create_nosubscribe": True,
    "mail_notrack": True,
}


class Network:
    """What the steps share: sizes, years, the organisations made, the seed."""

    def __init__(self, env, orgs, years, last_year=None, seed=13, first_number=1):
        self.env = env(context=dict(env.context, **QUIET))
        self.cr = env.cr
        self.company = env.company
        self.uid = env.uid
        self.orgs = orgs
        self.years = years
        self.last = last_year or date.today().year
        self.first = self.last - years + 1
        self.seed = seed
        self.first_number = first_number
        self.rng = random.Random(seed)
        self.org_ids = []
        self.person_ids = []

    def params(self, **more):
        return {
            "company": self.company.id,
            "uid": self.uid,
            "ids": self.org_ids,
            "first": self.first,
            "last": self.last,
            **more,
        }

    def sql(self, query, **more):
        self.cr.execute(query, self.params(**more))
        return self.cr.rowcount

    def recompute(self, model, field_names, ids):
        """Recompute stored fields through the ORM, then write them."""
        records = self.env[model].browse(ids)
        for name in field_names:
            self.env.add_to_compute(records._fields[name], records)
        records.flush_model(field_names)
        self.env.invalidate_all()


def organisations(net):
    """Organisations (kinds, uneven sectors and employment areas) with one
    contact person each."""
    env = net.env
    sectors = env["res.partner.industry"].search([], order="id", limit=SECTORS)
    if len(sectors) < SECTORS:
        sectors |= env["res.partner.industry"].create(
            [{"name": f"{PREFIX} sector {i}"} for i in range(SECTORS - len(sectors))]
        )
    areas = env["ess.employment.area"].search(
        [("company_id", "in", [net.company.id, False])], order="id", limit=AREAS
    )
    if len(areas) < AREAS:
        areas |= env["ess.employment.area"].create(
            [{"name": f"{PREFIX} area {i}", "code": f"S{i:03d}"} for i in range(AREAS - len(areas))]
        )
    env.flush_all()
    net.cr.execute("SELECT setseed(%s)", [net.seed / 1000])
    net.cr.execute(
        """
        INSERT INTO res_partner (name, complete_name, is_company, active,
               company_id, type, lang, ess_organization_kind, industry_id,
               ess_employment_area_id, email, create_uid, write_uid, create_date, write_date)
        SELECT %(prefix)s || ' ' || lpad(i::text, 5, '0'),
               %(prefix)s || ' ' || lpad(i::text, 5, '0'), TRUE, TRUE, %(company)s, 'contact',
               %(lang)s, (%(kinds)s::varchar[])[1 + i %% 7],
               -- uneven sectors and areas: a few big ones, many small ones
               (%(sectors)s::int[])[1 + floor(power(random(), 2) * %(n_sectors)s)::int],
               (%(areas)s::int[])[1 + floor(power(random(), 3) * %(n_areas)s)::int],
               'contact' || i || '@scale.example', %(uid)s, %(uid)s, now(), now()
          FROM generate_series(%(start)s, %(start)s + %(orgs)s - 1) i
         ORDER BY i
        RETURNING id
        """,
        net.params(
            prefix=PREFIX,
            orgs=net.orgs,
            start=net.first_number,
            lang=env.lang or "en_US",
            kinds=KINDS,
            sectors=sectors.ids,
            n_sectors=len(sectors),
            areas=areas.ids,
            n_areas=len(areas),
        ),
    )
    net.org_ids = sorted(row[0] for row in net.cr.fetchall())
    net.sql("UPDATE res_partner SET commercial_partner_id = id WHERE id = ANY(%(ids)s)")
    net.cr.execute(
        """
        INSERT INTO res_partner (name, complete_name, is_company, active,
               company_id, type, lang, parent_id, commercial_partner_id, email,
               create_uid, write_uid, create_date, write_date)
        SELECT 'Contact ' || o.id, o.name || ', Contact ' || o.id, FALSE, TRUE,
               o.company_id, 'contact', o.lang, o.id, o.id,
               'person' || o.id || '@scale.example', %(uid)s, %(uid)s, now(), now()
          FROM res_partner o WHERE o.id = ANY(%(ids)s)
         ORDER BY o.id
        RETURNING id
        """,
        net.params(),
    )
    net.person_ids = sorted(row[0] for row in net.cr.fetchall())
    net.recompute("res.partner", ["ess_name_key"], net.org_ids)
    return len(net.org_ids) + len(net.person_ids)


def memberships(net):
    """One membership file per organisation, at every stage (``STAGES``):
    members in their three phases (joined up to 8 years ago), files on the
    way (requested this year), refused, withdrawn during the last year."""
    bounds, total = [], 0
    for stage, share in STAGES:
        total += share
        bounds.append((stage, total))
    # the first organisations at each stage in turn: every stage is there,
    # however small the network
    stages = [stage for stage, _share in STAGES][: len(net.org_ids)]
    for _org in net.org_ids[len(stages) :]:
        draw = net.rng.randrange(1000)
        stages.append(next(stage for stage, bound in bounds if draw < bound))
    days = [net.rng.randrange(0, 3000) for _org in net.org_ids]
    count = net.sql(
        """
        INSERT INTO ess_membership (name, partner_id, company_id, state, phase, active,
               organization_kind, industry_id, employment_area_id, origin, request_date,
               decision_date, member_since, appropriation_date, operational_date,
               withdrawal_date, integration_progress, appropriation_progress,
               operational_progress, create_uid, write_uid, create_date, write_date)
        SELECT 'SCALE/' || p.id, p.id, p.company_id, s.stage,
               CASE WHEN s.stage NOT IN ('member', 'withdrawn') THEN 'integration'
                    WHEN s.days > 730 THEN 'operational'
                    WHEN s.days > 180 THEN 'appropriation' ELSE 'integration' END,
               TRUE, p.ess_organization_kind, p.industry_id, p.ess_employment_area_id,
               (ARRAY['staff', 'staff', 'website'])[1 + p.id %% 3],
               CASE WHEN s.stage IN ('member', 'withdrawn')
                    THEN make_date(%(last)s, 12, 31) - s.days - 90
                    ELSE make_date(%(last)s, 12, 31) - s.days %% 300 END,
               CASE WHEN s.stage IN ('member', 'withdrawn', 'refused')
                    THEN make_date(%(last)s, 12, 31) - CASE WHEN s.stage = 'refused'
                         THEN s.days %% 300 ELSE s.days + 30 END END,
               CASE WHEN s.stage IN ('member', 'withdrawn')
                    THEN make_date(%(last)s, 12, 31) - s.days END,
               CASE WHEN s.stage IN ('member', 'withdrawn') AND s.days > 180
                    THEN make_date(%(last)s, 12, 31) - s.days + 180 END,
               CASE WHEN s.stage IN ('member', 'withdrawn') AND s.days > 730
                    THEN make_date(%(last)s, 12, 31) - s.days + 730 END,
               CASE WHEN s.stage = 'withdrawn' THEN make_date(%(last)s, 1, 1) + s.days %% 300 END,
               0, 0, 0, %(uid)s, %(uid)s, now(), now()
          FROM unnest(%(ids)s::int[], %(stages)s::varchar[], %(days)s::int[]) AS s(id, stage, days)
          JOIN res_partner p ON p.id = s.id
        """,
        stages=stages,
        days=days,
    )
    # the furthest stage of the adhesion funnel, as the ORM computes it
    # (ess.membership._compute_funnel_rank): the current stage, or a later
    # one that has its date
    net.sql(
        """
        UPDATE ess_membership m
           SET funnel_rank = GREATEST(
                   CASE m.state WHEN 'request' THEN 1 WHEN 'presentation' THEN 2
                        WHEN 'validated' THEN 3 WHEN 'meeting' THEN 4 WHEN 'signature' THEN 5
                        WHEN 'member' THEN CASE WHEN m.phase = 'operational' THEN 7 ELSE 6 END
                        ELSE 1 END,
                   CASE WHEN m.operational_date IS NOT NULL THEN 7
                        WHEN m.member_since IS NOT NULL THEN 6
                        WHEN m.meeting_held_date IS NOT NULL THEN 5
                        WHEN m.meeting_scheduled_date IS NOT NULL THEN 4
                        WHEN m.decision_date IS NOT NULL AND m.state != 'refused' THEN 3
                        WHEN m.presentation_date IS NOT NULL THEN 2 ELSE 1 END)
         WHERE m.partner_id = ANY(%(ids)s)
        """
    )
    net.recompute(
        "res.partner",
        ["ess_membership_id", "ess_member_state", "ess_phase", "ess_member_since"],
        net.org_ids,
    )
    return count


def _guide_org_ids(net):
    """Organisations that keep a guide: members and former members."""
    net.sql(
        "SELECT partner_id FROM ess_membership WHERE partner_id = ANY(%(ids)s) "
        "AND state IN ('member', 'withdrawn') ORDER BY partner_id"
    )
    return [row[0] for row in net.cr.fetchall()]


def guide_years(net):
    """A guide year per member (or former member) and year: closed before the
    last year, a third of the last year's closed too; half with their
    general assembly."""
    return net.sql(
        """
        INSERT INTO ess_guide_year (partner_id, company_id, year, state, name,
               general_assembly_date, theme_retained_count, theme_pending_count,
               line_retained_count, step_progress,
               create_uid, write_uid, create_date, write_date)
        SELECT p.id, p.company_id, y,
               CASE WHEN y < %(last)s OR p.id %% 3 = 0 THEN 'closed' ELSE 'in_progress' END,
               'Guide ' || y || ' – ' || p.name,
               CASE WHEN p.id %% 2 = 0 THEN make_date(y, 6, 15) END, 0, 0, 0, 0,
               %(uid)s, %(uid)s, now(), now()
          FROM res_partner p
         CROSS JOIN generate_series(%(first)s, %(last)s) y
         WHERE p.id = ANY(%(guides)s)
        """,
        guides=_guide_org_ids(net),
    )


def guide_themes(net):
    """Every theme of the reference in every guide year: three in four retained."""
    count = net.sql(
        """
        INSERT INTO ess_guide_year_theme (year_id, partner_id, company_id, year, theme_id,
               theme_sequence, decision, reason, retained_count, not_retained_count,
               create_uid, write_uid, create_date, write_date)
        SELECT g.id, g.partner_id, g.company_id, g.year, t.id, t.sequence,
               d.decision, CASE WHEN d.decision = 'not_retained' THEN 'Not this year.' END,
               (d.decision = 'retained')::int, (d.decision = 'not_retained')::int,
               %(uid)s, %(uid)s, now(), now()
          FROM ess_guide_year g
         CROSS JOIN ess_guide_theme t
         CROSS JOIN LATERAL (
               SELECT CASE WHEN (g.partner_id * 8 + g.year + t.id) %% 4 = 0 THEN 'not_retained'
                           ELSE 'retained' END AS decision
         ) d
         WHERE g.partner_id = ANY(%(ids)s) AND t.active
           AND (t.company_id = %(company)s OR t.company_id IS NULL)
        """
    )
    net.sql(
        """
        UPDATE ess_guide_year g
           SET theme_retained_count = c.retained, theme_pending_count = c.pending
          FROM (SELECT year_id, COUNT(*) FILTER (WHERE decision = 'retained') AS retained,
                       COUNT(*) FILTER (WHERE decision IS NULL) AS pending
                  FROM ess_guide_year_theme WHERE partner_id = ANY(%(ids)s)
                 GROUP BY year_id) c
         WHERE c.year_id = g.id
        """
    )
    return count


def guide_lines(net):
    """Every question of the guide in every guide year: a few not treated
    (with their reason); quantitative indicators with a baseline, objectives
    at 1 and 3 years and the value measured (most); qualitative questions
    with their objective met, partly met or not. Progress as the ORM
    computes it (``ess.guide.year.line._compute_progress``)."""
    count = net.sql(
        """
        INSERT INTO ess_guide_year_line (year_id, partner_id, company_id, year,
               question_id, domain_id, theme_id, theme_sequence, domain_sequence,
               question_sequence, theme_line_id, retained, reason, in_scope,
               baseline_year, baseline, objective_1y, objective_3y, value, has_value,
               achievement_1y, achievement_3y, progress_1y, progress_3y,
               create_uid, write_uid, create_date, write_date)
        SELECT g.id, g.partner_id, g.company_id, g.year, q.id, q.domain_id, q.theme_id,
               q.theme_sequence, q.domain_sequence, q.sequence, gt.id,
               v.retained, CASE WHEN NOT v.retained THEN 'Not relevant for us.' END,
               v.retained AND gt.decision = 'retained',
               CASE WHEN v.quanti THEN %(first)s END,
               CASE WHEN v.quanti THEN v.base END,
               CASE WHEN v.quanti THEN v.base + 10 END,
               CASE WHEN v.quanti THEN v.base + 30 END,
               CASE WHEN v.quanti AND v.measured THEN v.base + v.gain END,
               v.quanti AND v.measured,
               CASE WHEN NOT v.quanti THEN v.ach1 END,
               CASE WHEN NOT v.quanti THEN v.ach3 END,
               CASE WHEN v.quanti THEN CASE WHEN v.measured
                         THEN GREATEST(0, LEAST(100, 100.0 * v.gain / 10)) ELSE 0 END
                    ELSE CASE v.ach1 WHEN 'met' THEN 100 WHEN 'partly_met' THEN 50 ELSE 0 END
               END,
               CASE WHEN v.quanti THEN CASE WHEN v.measured
                         THEN GREATEST(0, LEAST(100, 100.0 * v.gain / 30)) ELSE 0 END
                    ELSE CASE v.ach3 WHEN 'met' THEN 100 WHEN 'partly_met' THEN 50 ELSE 0 END
               END,
               %(uid)s, %(uid)s, now(), now()
          FROM ess_guide_year g
         CROSS JOIN ess_guide_question q
          JOIN ess_guide_year_theme gt ON gt.year_id = g.id AND gt.theme_id = q.theme_id
         -- a key of the guide year that does not depend on the order of its id
         CROSS JOIN LATERAL (SELECT g.partner_id * 8 + g.year AS gk) k
         CROSS JOIN LATERAL (
               SELECT q.kind = 'quantitative' AS quanti,
                      (gk * 7 + q.id * 13) %% 17 != 0 AS retained,
                      (gk + q.id) %% 5 != 0 AS measured,
                      ((gk * 3 + q.id) %% 50)::float AS base,
                      ((gk * 11 + q.id * 7) %% 41 - 5)::float AS gain,
                      (ARRAY['met', 'partly_met', 'not_met'])[1 + (gk + q.id) %% 3] AS ach1,
                      (ARRAY['partly_met', 'not_met', 'met'])[1 + (gk + q.id) %% 3] AS ach3
         ) v
         WHERE g.partner_id = ANY(%(ids)s) AND q.active
        """
    )
    net.sql(
        """
        UPDATE ess_guide_year g SET line_retained_count = c.retained
          FROM (SELECT year_id, COUNT(*) FILTER (WHERE in_scope) AS retained
                  FROM ess_guide_year_line WHERE partner_id = ANY(%(ids)s)
                 GROUP BY year_id) c
         WHERE c.year_id = g.id
        """
    )
    return count


def actions(net):
    """About two actions per guide year, on a question worked on: done in
    the years past, to do or in progress (some late) this year."""
    return net.sql(
        """
        INSERT INTO ess_action (name, guide_year_id, partner_id, company_id, theme_id,
               question_id, date_start, date_deadline, state, progress, origin, priority,
               active, create_uid, write_uid, create_date, write_date)
        SELECT left('Action: ' || q.name, 120), l.year_id, l.partner_id, l.company_id,
               l.theme_id, l.question_id, make_date(l.year, 1, 15), make_date(l.year, 11, 30),
               CASE WHEN l.year < %(last)s THEN 'done'
                    ELSE (ARRAY['todo', 'in_progress', 'in_progress', 'done'])
                         [1 + l.question_id %% 4] END,
               CASE WHEN l.year < %(last)s THEN 100 ELSE (l.question_id * 7) %% 100 END,
               'guide', (l.question_id %% 5 = 0)::int::varchar, TRUE,
               %(uid)s, %(uid)s, now(), now()
          FROM ess_guide_year_line l
          JOIN ess_guide_question q ON q.id = l.question_id
         WHERE l.partner_id = ANY(%(ids)s) AND l.in_scope
           AND (l.partner_id * 31 + l.year * 7 + l.question_id * 3) %% 29 = 0
        """
    )


def assessments(net):
    """A completed self-assessment per guide year, with its answers and its
    scores per theme and domain (``_grids``)."""
    count = net.sql(
        """
        INSERT INTO ess_assessment (partner_id, company_id, year, kind, state,
               date_done, create_uid, write_uid, create_date, write_date)
        SELECT g.partner_id, g.company_id, g.year, 'self', 'done',
               make_date(g.year, 11, 1), %(uid)s, %(uid)s, now(), now()
          FROM ess_guide_year g WHERE g.partner_id = ANY(%(ids)s)
        """
    )
    _grids(net, "self")
    return count


def _grids(net, kind):
    """The answers of the organisations' assessments of ``kind`` to every
    question of the guide: about 60 % answered at a level, a few not
    applicable, the rest not answered yet; then their scores per theme and
    domain and overall, as ``ess.assessment._update_scores`` computes them."""
    net.sql(
        """
        INSERT INTO ess_assessment_answer (assessment_id, partner_id, company_id,
               question_id, domain_id, theme_id, theme_sequence, domain_sequence,
               question_sequence, level_id, not_applicable, is_answered, score,
               create_uid, write_uid, create_date, write_date)
        SELECT a.id, a.partner_id, a.company_id, q.id, q.domain_id, q.theme_id,
               q.theme_sequence, q.domain_sequence, q.sequence,
               CASE WHEN v.answered THEN l.id END, v.not_applicable,
               v.answered OR v.not_applicable,
               CASE WHEN v.answered THEN 100.0 * l.value / top.value ELSE 0 END,
               %(uid)s, %(uid)s, now(), now()
          FROM ess_assessment a
         CROSS JOIN ess_guide_question q
         CROSS JOIN LATERAL (
               SELECT (a.partner_id * 7 + a.year + q.id * 3) %% 17 < 10 AS answered,
                      (a.partner_id * 7 + a.year + q.id * 3) %% 17 = 16 AS not_applicable,
                      (a.partner_id + a.year * 3 + q.id) %% 5 AS rank
         ) v
          JOIN LATERAL (SELECT id, value FROM ess_maturity_level
                         ORDER BY value, id OFFSET v.rank LIMIT 1) l ON TRUE
         CROSS JOIN LATERAL (SELECT max(value) AS value FROM ess_maturity_level) top
         WHERE a.partner_id = ANY(%(ids)s) AND a.kind = %(kind)s AND q.active
           AND (q.company_id = %(company)s OR q.company_id IS NULL)
        """,
        kind=kind,
    )
    # per theme, then per domain: the average score of the answered
    # questions, the answered and the applicable ones
    for scope, target in (("theme", "theme_id"), ("domain", "domain_id")):
        net.sql(
            f"""
            INSERT INTO ess_assessment_score (assessment_id, partner_id, company_id, year,
                   kind, state, scope, theme_id, domain_id, theme_sequence, domain_sequence,
                   score, answered_count, applicable_count,
                   create_uid, write_uid, create_date, write_date)
            SELECT a.id, a.partner_id, a.company_id, a.year, a.kind, a.state, %(scope)s,
                   min(s.theme_id), {"NULL" if scope == "theme" else "s.domain_id"},
                   min(s.theme_sequence),
                   {"0" if scope == "theme" else "min(s.domain_sequence)"},
                   COALESCE(avg(s.score) FILTER (WHERE s.is_answered AND NOT s.not_applicable),
                            0),
                   count(*) FILTER (WHERE s.is_answered AND NOT s.not_applicable),
                   count(*) FILTER (WHERE NOT s.not_applicable),
                   %(uid)s, %(uid)s, now(), now()
              FROM ess_assessment a
              JOIN ess_assessment_answer s ON s.assessment_id = a.id
             WHERE a.partner_id = ANY(%(ids)s) AND a.kind = %(kind)s
             GROUP BY a.id, s.{target}
            """,
            kind=kind,
            scope=scope,
        )
    net.sql(
        """
        UPDATE ess_assessment a
           SET score = c.score, question_count = c.questions, answered_count = c.answered
          FROM (SELECT assessment_id,
                       COALESCE(avg(score) FILTER (WHERE is_answered AND NOT not_applicable),
                                0) AS score,
                       count(*) AS questions, count(*) FILTER (WHERE is_answered) AS answered
                  FROM ess_assessment_answer
                 WHERE partner_id = ANY(%(ids)s)
                 GROUP BY assessment_id) c
         WHERE c.assessment_id = a.id AND a.kind = %(kind)s
        """,
        kind=kind,
    )


def theme_figures(net):
    """The figures of the guide's themes by year and network
    (``ess.guide.theme.figure``) over the themes, lines and scores the SQL
    steps above inserted (their ``_create`` notes them, not SQL): one
    ``INSERT … SELECT``."""
    net.env["ess.guide.theme.figure"]._refresh_all()
    net.cr.execute("SELECT count(*) FROM ess_guide_theme_figure")
    return net.cr.fetchone()[0]


def evaluations(net):
    """About a third of the guide years has its completed cross-evaluation,
    led by another member (the next one), with its peer grid answered
    (``_grids``)."""
    count = net.sql(
        """
        INSERT INTO ess_evaluation (partner_id, evaluator_partner_id, company_id, year,
               state, date_completed, visit_duration,
               create_uid, write_uid, create_date, write_date)
        SELECT g.partner_id, e.id, g.company_id, g.year, 'completed',
               make_date(g.year, 10, 1), 3, %(uid)s, %(uid)s, now(), now()
          FROM ess_guide_year g
         CROSS JOIN LATERAL (
               SELECT m.partner_id AS id FROM ess_guide_year m
                WHERE m.year = g.year AND m.partner_id > g.partner_id
                  AND m.partner_id = ANY(%(ids)s)
                ORDER BY m.partner_id LIMIT 1) e
         WHERE g.partner_id = ANY(%(ids)s) AND (g.partner_id + g.year) %% 3 = 0
        """
    )
    net.sql(
        """
        INSERT INTO ess_assessment (partner_id, company_id, year, kind, state, date_done,
               evaluation_id, create_uid, write_uid, create_date, write_date)
        SELECT e.partner_id, e.company_id, e.year, 'peer', 'done', e.date_completed, e.id,
               %(uid)s, %(uid)s, now(), now()
          FROM ess_evaluation e WHERE e.partner_id = ANY(%(ids)s)
        """
    )
    net.sql(
        """
        UPDATE ess_evaluation e SET assessment_id = a.id
          FROM ess_assessment a
         WHERE a.evaluation_id = e.id AND e.partner_id = ANY(%(ids)s)
        """
    )
    _grids(net, "peer")
    # the guide years' annual figures, from their themes, lines,
    # self-assessments and evaluations (ess.guide.year._write_figures), and
    # the membership files' first evaluation since membership
    # (ess.membership._compute_first_evaluation_date)
    net.env["ess.guide.year"]._write_figures(net.org_ids)
    net.env["ess.network.figure.total"]._refresh()
    net.sql(
        """
        UPDATE ess_membership m SET first_evaluation_date = e.first_date
          FROM (SELECT m2.id, MIN(e.date_completed) AS first_date
                  FROM ess_membership m2
                  JOIN ess_evaluation e ON e.partner_id = m2.partner_id
                   AND e.company_id = m2.company_id AND e.state = 'completed'
                   AND e.date_completed >= m2.member_since
                 WHERE m2.partner_id = ANY(%(ids)s)
                 GROUP BY m2.id) e
         WHERE e.id = m.id
        """
    )
    net.recompute(
        "res.partner", ["ess_has_completed_evaluation", "ess_has_conducted_evaluation"], net.org_ids
    )
    return count


def stakeholders(net):
    """Three stakeholders per member, of various kinds, influence and importance."""
    net.sql(
        """
        INSERT INTO ess_stakeholder (name, partner_id, company_id, scope, category, influence,
               importance, frequency, active, create_uid, write_uid, create_date, write_date)
        SELECT c.label || ' ' || m.partner_id, m.partner_id, m.company_id,
               CASE WHEN c.category IN ('employees', 'volunteers', 'members', 'governance')
                    THEN 'internal' ELSE 'external' END,
               c.category, 1 + (m.partner_id + n) %% 5, 1 + (m.partner_id * 3 + n) %% 5,
               (ARRAY['continuous', 'monthly', 'quarterly', 'yearly', 'occasional'])
                   [1 + (m.partner_id + n) %% 5],
               TRUE, %(uid)s, %(uid)s, now(), now()
          FROM ess_membership m
         CROSS JOIN generate_series(1, 3) n
         CROSS JOIN LATERAL (
               SELECT (ARRAY['employees', 'users', 'funders', 'local_authorities',
                             'suppliers', 'partners', 'volunteers'])[1 + (m.partner_id + n) %% 7]
                      AS category,
                      (ARRAY['Team', 'Users', 'Funder', 'Town hall', 'Supplier',
                             'Partner', 'Volunteers'])[1 + (m.partner_id + n) %% 7] AS label
         ) c
         WHERE m.partner_id = ANY(%(ids)s) AND m.state = 'member'
        RETURNING id
        """
    )
    ids = [row[0] for row in net.cr.fetchall()]
    net.recompute("ess.stakeholder", ["quadrant"], ids)
    return len(ids)


def sponsorships(net):
    """Volunteer sponsors among the operational members (about 8 %), and a
    sponsorship for about half the members in their integration or
    appropriation phase: requested, designated, in progress with a session
    held and one planned, ended; each volunteer within its capacity (when
    the pool is full, the request waits). Through the ORM."""
    env, rng = net.env, net.rng
    Partner = env["res.partner"]
    modules = env["ess.sponsorship.module"].search([], order="sequence, id")
    members = Partner.browse(net.org_ids).filtered(lambda p: p.ess_member_state == "member")
    operational = members.filtered(lambda p: p.ess_phase == "operational")
    newer = members.filtered(lambda p: p.ess_phase in ("integration", "appropriation"))
    # at least one volunteer, if there is an operational member (a tiny network may have none)
    volunteer_count = min(max(len(operational) // 12, 1), len(operational))
    volunteers = Partner.browse(sorted(rng.sample(operational.ids, volunteer_count)))
    persons = {p.parent_id.id: p for p in Partner.browse(net.person_ids)}
    today = date.today()
    now = datetime.now().replace(microsecond=0)
    pool = env["ess.sponsor"].create(
        [
            {
                "partner_id": org.id,
                "person_ids": [Command.set(persons[org.id].ids)],
                "capacity": rng.choice([1, 2, 2, 3]),
                "volunteer_date": today - timedelta(days=rng.randint(30, 1500)),
            }
            for org in volunteers
        ]
    )
    if not pool or not modules:
        return 0
    chosen = newer.filtered(lambda p: p.id % 2 == 0)
    kinds = ["requested", "designated", "in_progress", "in_progress", "ended"]
    load = dict.fromkeys(pool.ids, 0)
    plan = [rng.choice(kinds) for _p in chosen]
    values = []
    for index, (partner, kind) in enumerate(zip(chosen, plan, strict=True)):
        # a volunteer with room left, as the designation requires; a full
        # pool leaves the request waiting (an ended sponsorship frees its place)
        free = [s for s in pool if load[s.id] < s.capacity]
        if kind != "requested" and not free:
            kind = plan[index] = "requested"
        vals = {
            "partner_id": partner.id,
            "request_date": today - timedelta(days=rng.randint(1, 30)),
            "module_line_ids": [
                Command.create({"module_id": m.id}) for m in modules[: rng.randint(1, 3)]
            ],
        }
        if kind != "requested":
            sponsor = rng.choice(free)
            if kind != "ended":
                load[sponsor.id] += 1
            designated = now - timedelta(days=rng.randint(20, 300))
            vals.update(
                sponsor_id=sponsor.id,
                designation_date=designated,
                request_date=designated.date() - timedelta(days=rng.randint(3, 40)),
                state="designated" if kind == "designated" else "in_progress",
            )
        values.append(vals)
    records = env["ess.sponsorship"].sudo().create(values)
    sessions = []
    for sponsorship, kind in zip(records, plan, strict=True):
        if kind in ("in_progress", "ended"):
            line = sponsorship.module_line_ids[:1]
            sessions.append(
                {
                    "sponsorship_id": sponsorship.id,
                    "start": now - timedelta(days=rng.randint(3, 15)),
                    "duration": 2.0,
                    "state": "held",
                    "line_ids": [Command.create({"module_id": line.module_id.id, "hours": 2.0})],
                }
            )
        if kind == "in_progress":
            sessions.append(
                {
                    "sponsorship_id": sponsorship.id,
                    "start": now + timedelta(days=rng.randint(5, 30)),
                    "duration": 2.0,
                    "state": "planned",
                }
            )
    env["ess.sponsorship.session"].sudo().create(sessions)
    ended = [s for s, kind in zip(records, plan, strict=True) if kind == "ended"]
    for sponsorship in ended:
        sponsorship.write({"state": "ended", "end_date": today})
    env.flush_all()
    return len(records)


def practices(net):
    """Library sheets (``ess.practice._populate``): one per five organisations."""
    return len(net.env["ess.practice"]._populate(max(net.orgs // 5, 5), seed=net.seed))


def club_registrations(net):
    """Each club of the network meets once a month next year; one person of
    some members registers to each meeting."""
    env, rng = net.env, net.rng
    clubs = env["ess.club"].search([("company_id", "=", net.company.id)])
    if not clubs:
        return 0
    start = datetime(net.last + 1, 1, 15, 14, 0)
    meetings = env["ess.club.meeting"].create(
        [
            {
                "club_id": club.id,
                "name": f"{club.name}: meeting {month:02d}",
                "start": start.replace(month=month),
                "duration": 2.0,
            }
            for club in clubs
            for month in range(1, 13)
        ]
    )
    per_meeting = min(max(len(net.person_ids) // 50, 2), len(net.person_ids))
    registrations = env["ess.club.registration"].create(
        [
            {"meeting_id": meeting.id, "person_id": person_id}
            for meeting in meetings
            for person_id in sorted(rng.sample(net.person_ids, per_meeting))
        ]
    )
    return len(registrations)


# The logins of the benchmark (``scripts/bench_scale.py``): a staff member of
# the network and the contact person of one member organisation (the password
# is the login, as the demo's).
STAFF_LOGIN = "reseau-echelle"
MEMBER_LOGIN = "membre-echelle"


def logins(net):
    """A network administrator (``STAFF_LOGIN``) and a portal login
    (``MEMBER_LOGIN``) for the person of the member with the most to show:
    a sponsorship under way, then the most guide years, actions,
    evaluations and stakeholders."""
    env = net.env
    Users = env["res.users"].with_context(no_reset_password=True)
    made = 0
    if not Users.search_count([("login", "=", STAFF_LOGIN)]):
        Users.create(
            {
                "name": "Réseau Échelle",
                "login": STAFF_LOGIN,
                "password": STAFF_LOGIN,
                "company_id": net.company.id,
                "company_ids": [Command.set(net.company.ids)],
                "groups_id": [
                    Command.set(
                        [env.ref("base.group_user").id, env.ref("ess_network.group_ess_manager").id]
                    )
                ],
            }
        )
        made += 1
    if net.person_ids and not Users.search_count([("login", "=", MEMBER_LOGIN)]):
        net.cr.execute(
            """
            SELECT p.id
              FROM res_partner p
             WHERE p.id = ANY(%(ids)s) AND p.ess_member_state = 'member'
             ORDER BY EXISTS (SELECT 1 FROM ess_sponsorship s
                               WHERE s.partner_id = p.id AND s.state = 'in_progress') DESC,
                      (SELECT count(*) FROM ess_guide_year g WHERE g.partner_id = p.id) DESC,
                      (SELECT count(*) FROM ess_action a WHERE a.partner_id = p.id) DESC,
                      (SELECT count(*) FROM ess_evaluation e WHERE e.partner_id = p.id) DESC,
                      (SELECT count(*) FROM ess_stakeholder k WHERE k.partner_id = p.id) DESC,
                      p.id
             LIMIT 1
            """,
            net.params(),
        )
        row = net.cr.fetchone()
        if row:
            person = env["res.partner"].search([("parent_id", "=", row[0])], order="id", limit=1)
            Users.create(
                {
                    "name": person.name,
                    "login": MEMBER_LOGIN,
                    "password": MEMBER_LOGIN,
                    "partner_id": person.id,
                    "company_id": net.company.id,
                    "company_ids": [Command.set(net.company.ids)],
                    "groups_id": [Command.set([env.ref("base.group_portal").id])],
                }
            )
            made += 1
    return made


STEPS = [
    ("organisations and their persons", organisations),
    ("membership files", memberships),
    ("guide years", guide_years),
    ("guide themes of the years", guide_themes),
    ("question lines of the years", guide_lines),
    ("actions", actions),
    ("self-assessments with their scores", assessments),
    ("figures of the guide's themes", theme_figures),
    ("cross-evaluations", evaluations),
    ("stakeholders", stakeholders),
    ("sponsorships (with sponsors, sessions)", sponsorships),
    ("library sheets", practices),
    ("club registrations (with meetings)", club_registrations),
    ("logins of the benchmark", logins),
]

SQL_STEPS = {
    organisations,
    memberships,
    guide_years,
    guide_themes,
    guide_lines,
    actions,
    assessments,
    evaluations,
    stakeholders,
}

COUNTED = [
    "res.partner",
    "ess.membership",
    "ess.guide.year",
    "ess.guide.year.theme",
    "ess.guide.year.line",
    "ess.action",
    "ess.assessment",
    "ess.assessment.score",
    "ess.evaluation",
    "ess.stakeholder",
    "ess.sponsor",
    "ess.sponsorship",
    "ess.sponsorship.session",
    "ess.practice",
    "ess.club.meeting",
    "ess.club.registration",
]


def populate(env, orgs, years, last_year=None, seed=13, steps=None, log=None, first_number=1):
    """Build the network: ``orgs`` organisations × ``years`` years ending
    with ``last_year`` (default: this year). ``steps``: names of the step
    functions to run (default: all, in order; the first ones are needed by
    the later ones). ``log(label, seconds, count)`` is called after each step.
    ``first_number``: the number of the first organisation (``Scale org
    00001`` by default); a second network in the same database (the
    query-count tests grow the first one) numbers its organisations after
    those of the first, so that no two have the same name.

    :return: the :class:`Network` built, with ``timings`` [(label, seconds, count)]
    """
    net = Network(env, orgs, years, last_year=last_year, seed=seed, first_number=first_number)
    net.timings = []
    env.flush_all()
    # the SQL rows are consistent by construction: when PostgreSQL allows it
    # (a superuser), no foreign-key trigger row by row during their insertion
    env.cr.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
    replica = bool(env.cr.fetchone()[0])
    for label, func in STEPS:
        if steps is not None and func.__name__ not in steps:
            continue
        start = time.perf_counter()
        if replica and func in SQL_STEPS:
            env.cr.execute("SET LOCAL session_replication_role = replica")
        count = func(net)
        net.env.flush_all()
        if replica and func in SQL_STEPS:
            env.cr.execute("SET LOCAL session_replication_role = origin")
        elapsed = time.perf_counter() - start
        net.timings.append((label, elapsed, count))
        if log:
            log(label, elapsed, count)
    env.invalidate_all()
    env.cr.execute("ANALYZE")
    return net


# The anchor of the designation of a sponsor (the benchmarks): the ids of the
# volunteers eligible for a new member under the five rules of seed 000, in
# one plain query, without ranking, reasons, record rules nor ORM.
ELIGIBLE_SQL = """
    WITH member AS (
            SELECT id, industry_id, ess_employment_area_id AS area_id
              FROM res_partner WHERE id = %(member)s),
         near AS (
            SELECT area_id FROM member
             UNION
            SELECT r.neighbour_id FROM ess_employment_area_neighbour_rel r
              JOIN member m ON r.area_id = m.area_id),
         busy AS (
            SELECT sponsor_id, COUNT(*) AS load FROM ess_sponsorship
             WHERE state IN ('designated', 'in_progress') AND sponsor_id IS NOT NULL
             GROUP BY sponsor_id)
    SELECT s.id
      FROM ess_sponsor s
      JOIN res_partner p ON p.id = s.partner_id
      JOIN member m ON m.id != p.id
      LEFT JOIN busy b ON b.sponsor_id = s.id
     WHERE s.company_id = %(company)s AND s.active
       AND (s.paused_until IS NULL OR s.paused_until < %(today)s)
       AND p.ess_has_completed_evaluation                       -- 1. full cycle
       AND p.ess_has_conducted_evaluation                       -- 2. evaluation conducted
       AND NOT EXISTS (                                         -- 3. no trade, either way
            SELECT 1 FROM ess_partner_commercial_relation_rel r
             WHERE (r.partner_id = m.id AND r.related_partner_id = p.id)
                OR (r.partner_id = p.id AND r.related_partner_id = m.id))
       AND p.industry_id != m.industry_id                       -- 4. another sector
       AND p.ess_employment_area_id IN (SELECT area_id FROM near)  -- 5. near
       AND COALESCE(b.load, 0) < s.capacity                     -- not at capacity
"""


def eligible_sponsor_ids(env, member, company, today):
    """The ids of the volunteers eligible as sponsor of ``member``
    (``ELIGIBLE_SQL``)."""
    env.flush_all()
    env.cr.execute(ELIGIBLE_SQL, {"member": member.id, "company": company.id, "today": today})
    return {row[0] for row in env.cr.fetchall()}


def counts(env):
    """How many records of each model the network holds (archived included)."""
    result = {}
    for model in COUNTED:
        Model = env[model].sudo().with_context(active_test=False)
        result[model] = Model.search_count([])
    return result


def measure(env, func, runs=5):
    """The median time (seconds) and the largest query count of ``runs``
    cold-cache runs of ``func``: how the benchmarks time a figure and its
    anchor alike."""
    cr = env.cr
    times, counts = [], []
    for _run in range(runs):
        env.invalidate_all()
        env.registry.clear_cache()
        queries = cr.sql_log_count
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
        counts.append(cr.sql_log_count - queries)
    return statistics.median(times), max(counts)
