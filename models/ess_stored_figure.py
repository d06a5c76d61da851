from odoo import api, fields, models
from odoo.osv import expression
from odoo.tools import SQL

# The operators of a domain on the keys of stored figures that the figures
# answer as the rows they count would.
KEY_OPERATORS = ("=", "!=", "<", "<=", ">", ">=", "in", "not in")


class EssStoredFigure(models.AbstractModel):
    """Figures stored per key (network, year, and a theme or a sector),
    summed over the many rows they count, that the staff's pivots and
    graphs read instead of those rows: the one way of the add-on to hold
    network figures at scale (``ess.guide.theme.figure``,
    ``ess.network.figure.total``).

    Kept up to date without slowing down the writes: a write of a counted
    row only notes its key in the table ``_change_table`` (a plain insert,
    never waiting for another transaction); before a report reads the
    figures, :meth:`_refresh` recomputes the noted keys from their rows in
    one query (``_refresh_sql``); :meth:`_stored_domain` and
    :meth:`_read_group_sums` answer a report's ``_read_group`` from the
    figures when they give exactly the same result."""

    _name = "ess.stored.figure"
    _description = "Figures stored per key"

    # the table of the keys noted, and its columns (the key of a figure)
    _change_table = None
    _change_columns = ()

    def init(self):  # pylint: disable=missing-return
        super().init()
        if self._change_table:
            # once the tables of the rows counted are there
            self.pool.post_init(self._init_stored_figures)

    def _init_stored_figures(self):
        cr = self.env.cr
        # the keys noted by the writes since the last report (no Odoo model:
        # rows inserted and deleted by SQL only, never read by a user)
        cr.execute(
            SQL(
                "CREATE TABLE IF NOT EXISTS %s (%s)",
                SQL.identifier(self._change_table),
                SQL(", ").join(
                    SQL("%s integer NOT NULL", SQL.identifier(column))
                    for column in self._change_columns
                ),
            )
        )
        self._init_figure_indexes()
        # a new table (install, upgrade from a version without it): every
        # figure from its rows at once
        cr.execute(SQL("SELECT 1 FROM %s LIMIT 1", SQL.identifier(self._table)))
        if not cr.rowcount:
            self._refresh_all()

    def _init_figure_indexes(self):
        """Create the indexes the recomputation of a figure reads its rows
        from."""

    @api.model
    def _refresh_all(self):
        """Recompute every figure from its rows (installation, upgrade, the
        scale database's SQL steps)."""
        raise NotImplementedError

    @api.model
    def _refresh_sql(self, keys):
        """The query writing the figures of the keys of the common table
        ``keys`` (an ``SQL`` defining ``keys AS (…)``) from their rows."""
        raise NotImplementedError

    @api.model
    def _write_figures_sql(self, keys, sources, values, joins):
        """The query writing the figures of the keys of the common table
        ``keys`` over the ones stored (``_refresh_sql``'s): ``WITH keys,
        sources INSERT … SELECT … ON CONFLICT … DO UPDATE``.

        :param sources: ``SQL`` of the common tables the figures are
            computed in (their rows grouped by key)
        :param values: ``{column: SQL}``, the figures (besides the key
            columns ``_change_columns``, read from ``keys k``) and how each
            is read from the sources
        :param joins: ``SQL`` joining the sources to ``keys k``
        """
        keys_out = [SQL.identifier(column) for column in self._change_columns]
        columns = [SQL.identifier(column) for column in values]
        audit = [SQL.identifier(name) for name in ("create_uid", "create_date")]
        update = [*columns, SQL.identifier("write_uid"), SQL.identifier("write_date")]
        uid, now = self.env.uid, fields.Datetime.now()
        return SQL(
            """
            WITH %(keys)s, %(sources)s
            INSERT INTO %(table)s (%(insert)s)
            SELECT %(select)s
              FROM keys k %(joins)s
            ON CONFLICT (%(conflict)s) DO UPDATE SET %(set)s
            """,
            keys=keys,
            sources=sources,
            table=SQL.identifier(self._table),
            insert=SQL(", ").join([*keys_out, *columns, *audit, *update[-2:]]),
            select=SQL(", ").join(
                [
                    *(SQL.identifier("k", column) for column in self._change_columns),
                    *values.values(),
                    SQL("%s, %s, %s, %s", uid, now, uid, now),
                ]
            ),
            joins=joins,
            conflict=SQL(", ").join(keys_out),
            set=SQL(", ").join(SQL("%s = EXCLUDED.%s", column, column) for column in update),
        )

    @api.model
    def _refresh(self):
        """Recompute the figures of the keys noted since the last report, in
        one query (none noted: the query reads an empty table).

        On a read-only cursor (a replica, for a read-only RPC), only when a
        key is noted: the write fails there and Odoo runs the request again
        on the primary (ReadOnlySqlTransaction)."""
        cr = self.env.cr
        table = SQL.identifier(self._change_table)
        if cr.readonly:
            cr.execute(SQL("SELECT 1 FROM %s LIMIT 1", table))
            if not cr.rowcount:
                return
        columns = SQL(", ").join(SQL.identifier(column) for column in self._change_columns)
        cr.execute(
            self._refresh_sql(
                SQL(
                    """
                    noted AS (DELETE FROM %(table)s RETURNING %(columns)s),
                    keys AS MATERIALIZED (SELECT DISTINCT %(columns)s FROM noted)
                    """,
                    table=table,
                    columns=columns,
                )
            )
        )

    @api.model
    def _stored_domain(self, domain, groupby, aggregates, having, order, keys, measures, scope=()):
        """The domain on the figures that gives the rows of ``domain``, or
        None when the figures cannot answer ``_read_group(domain, groupby,
        aggregates, having, order)`` exactly: they answer a domain of
        conditions on their ``keys`` and of the conditions ``scope``
        (``(field, value)``: the rows they count, which the domain must
        hold), grouped by keys, for the aggregates of ``measures``, as an
        internal user reads them (the figures' multi-company rule is the
        rows'; a portal user has rules of their own: the rows answer)."""
        if having or any(spec not in keys for spec in groupby):
            return None
        if order and order.replace(" ", "") != ",".join(groupby):
            return None
        if not (self.env.su or self.env.user._is_internal()):
            return None
        if any(spec not in measures for spec in aggregates):
            return None
        scope = set(scope)
        stored, scoped = [], set()
        for leaf in expression.normalize_domain(domain):
            if leaf == "&":
                continue
            if not isinstance(leaf, list | tuple) or len(leaf) != 3:
                return None
            if tuple(leaf) == expression.TRUE_LEAF:
                continue
            name, operator, value = leaf
            if operator == "=" and (name, value) in scope:
                scoped.add((name, value))
            elif name in keys and operator in KEY_OPERATORS:
                stored.append((name, operator, value))
            else:
                return None
        if scoped != scope:
            return None
        return stored

    @api.model
    def _read_group_sums(self, domain, groupby, aggregates, measures, empty=None, **kw):
        """``_read_group`` rows of ``aggregates`` from the figures of
        ``domain`` grouped by ``groupby``: ``measures`` gives, per
        aggregate, one figure (its sum) or two (the ratio of their sums, an
        average; ``empty`` when the second is 0); ``__count``, the figure
        counting the rows. The figures counting no row are no group."""
        domain = [*domain, (measures["__count"][0], ">", 0)]
        sums = sorted({name for spec in aggregates for name in measures[spec]})
        rows = self._read_group(domain, groupby, [f"{name}:sum" for name in sums], **kw)
        result = []
        for row in rows:
            groups, totals = row[: len(groupby)], dict(zip(sums, row[len(groupby) :], strict=True))
            values = []
            for spec in aggregates:
                names = measures[spec]
                if spec == "__count":
                    values.append(totals[names[0]] or 0)
                elif len(names) == 1:
                    values.append(totals[names[0]])
                else:
                    total, count = totals[names[0]], totals[names[1]]
                    values.append(total / count if count else empty)
            result.append((*groups, *values))
        return result
