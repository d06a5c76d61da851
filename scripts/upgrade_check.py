"""Check that upgrading the add-on loses or changes no stored value.

Run by ``./dev upgrade-check`` with the virtualenv's Python; the database is
reached through the PG* environment variables.

    python scripts/upgrade_check.py snapshot DB FILE   # before odoo-bin -u ess_network
    python scripts/upgrade_check.py compare DB FILE    # after it

The snapshot holds every stored record of the add-on, value by value:

- every table of a (non-transient) model named ``ess.*``: all rows, all columns
  but the bookkeeping ones (BOOKKEEPING);
- the columns the add-on adds to other models' tables (``res_partner.ess_*``, …);
- the many2many relation tables of those fields (pairs of ids);
- the attachments, messages, activities and followers of ``ess.*`` records.

The comparison wants every table, row and column of the snapshot back with the
same value: new tables, rows and columns are fine, a lost or changed value is
not. A column that the new code moved or renamed is followed to its new place
through MOVED; a value the new code computes instead of storing is listed in
DERIVED. Both are empty until a version moves something: each entry says why.
Exits 1 on any lost or changed value.
"""

import argparse
import datetime
import decimal
import hashlib
import json
import sys

import psycopg2

# Columns that change on every write: not data.
BOOKKEEPING = {"write_date", "write_uid"}

# Records of other models that belong to ess.* records: (table, model column).
ATTACHED = [
    ("ir_attachment", "res_model"),
    ("mail_message", "model"),
    ("mail_activity", "res_model"),
    ("mail_followers", "res_model"),
]

# A field the new code moved or renamed, from its old column to its new one:
#   (old_table, old_column): (new_table, new_column, key_sql)
# key_sql runs on the upgraded database and returns (old row id, new row id)
# pairs; None when the row keeps its id (same table, or a table keyed alike).
# Example: a guide year's "pilot" moved to its organisation:
#   ("ess_guide_year", "pilot_id"): ("res_partner", "ess_pilot_id",
#       "SELECT id, partner_id FROM ess_guide_year"),
MOVED = {}

# A field the old code stored and the new code computes from other stored values
# (its column may go): (table, column): "why nothing is lost".
DERIVED = {}

# How many examples of one problem on one column to print.
EXAMPLES = 5


def plain(value):
    """A JSON value standing for a database value, comparable across versions."""
    if isinstance(value, decimal.Decimal):
        return float(value)
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, memoryview | bytes):
        return "sha256:" + hashlib.sha256(bytes(value)).hexdigest()
    if isinstance(value, list | dict | str | int | float | bool) or value is None:
        return value
    return str(value)


def same(old, new):
    if old == new:
        return True
    # a text that became translatable is kept as its en_US value
    if isinstance(old, str) and isinstance(new, dict):
        return new.get("en_US") == old
    return False


def empty(value):
    return value in (None, False, "", {}, [])


def table_exists(cr, table):
    cr.execute(
        "SELECT 1 FROM information_schema.tables WHERE table_schema = 'public'"
        " AND table_name = %s AND table_type = 'BASE TABLE'",
        [table],
    )
    return bool(cr.fetchone())


def columns_of(cr, table):
    """The columns of ``table`` that hold data: not the generated ones
    (``GENERATED ALWAYS AS … STORED``, e.g. the library's full-text
    ``search_vector``), which PostgreSQL derives from the others."""
    cr.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_schema = 'public'"
        " AND table_name = %s AND is_generated = 'NEVER' ORDER BY ordinal_position",
        [table],
    )
    return [c for (c,) in cr.fetchall()]


def stored_fields(cr):
    """{(model, field)} of the stored fields and {relation table} of the stored
    many2many fields, as the upgraded registry left them."""
    cr.execute("SELECT model, name FROM ir_model_fields WHERE store")
    fields = set(cr.fetchall())
    cr.execute("SELECT relation_table FROM ir_model_fields WHERE store AND ttype = 'many2many'")
    return fields, {table for (table,) in cr.fetchall()}


def addon_tables(cr):
    """What the snapshot covers: [(table, model, columns, key columns, where)]."""
    found = []
    cr.execute("SELECT model FROM ir_model WHERE model LIKE 'ess.%' AND NOT transient")
    for (model,) in sorted(cr.fetchall()):
        table = model.replace(".", "_")
        if table_exists(cr, table):
            columns = [c for c in columns_of(cr, table) if c not in BOOKKEEPING]
            found.append((table, model, columns, ["id"], None))
    # the add-on's stored fields on other models (res.partner's ess_* fields…)
    cr.execute(
        """SELECT f.model, f.name, f.ttype, f.relation_table, f.column1, f.column2
             FROM ir_model_fields f
             JOIN ir_model m ON m.model = f.model AND NOT m.transient
             JOIN ir_model_data d ON d.model = 'ir.model.fields' AND d.res_id = f.id
            WHERE d.module = 'ess_network' AND f.store
              AND (f.model NOT LIKE 'ess.%' OR f.ttype = 'many2many')
            ORDER BY f.model, f.name"""
    )
    extra, relations = {}, {}
    for model, name, ttype, relation, column1, column2 in cr.fetchall():
        if ttype == "many2many":
            if relation and table_exists(cr, relation):
                relations[relation] = [column1, column2]
        elif ttype != "one2many":
            extra.setdefault(model, []).append(name)
    for model, names in sorted(extra.items()):
        table = model.replace(".", "_")
        present = set(columns_of(cr, table))
        columns = ["id"] + [n for n in names if n in present]
        found.append((table, model, columns, ["id"], None))
    for relation, columns in sorted(relations.items()):
        found.append((relation, None, columns, columns, None))
    for table, model_column in ATTACHED:
        columns = [c for c in columns_of(cr, table) if c not in BOOKKEEPING]
        found.append((table, None, columns, ["id"], f"{model_column} LIKE 'ess.%'"))
    return found


def read_rows(cr, table, columns, key, where=None):
    """{key: {column: value}} of a table."""
    sql = "SELECT {} FROM {}{}".format(
        ", ".join(f'"{c}"' for c in columns),
        f'"{table}"',
        f" WHERE {where}" if where else "",
    )
    cr.execute(sql)
    rows = {}
    for record in cr.fetchall():
        values = dict(zip(columns, map(plain, record), strict=True))
        rows[json.dumps([values[k] for k in key])] = values
    return rows


def snapshot(cr):
    tables = {}
    for table, model, columns, key, where in addon_tables(cr):
        if where:
            label = f"{table} (of ess.* records)"
        elif model and not model.startswith("ess."):
            label = f"{table} (add-on fields)"
        else:
            label = table
        tables[label] = {
            "table": table,
            "model": model,
            "key": key,
            "where": where,
            "columns": columns,
            "rows": read_rows(cr, table, columns, key, where),
        }
    return {"tables": tables}


class Report:
    def __init__(self):
        self.problems = []
        self.notes = []

    def problem(self, text):
        self.problems.append(text)

    def note(self, text):
        self.notes.append(text)


def moved_values(cr, old_table, column, rows):
    """{old key: new value} of a column that moved, following MOVED."""
    new_table, new_column, key_sql = MOVED[(old_table, column)]
    new_ids = None
    if key_sql:
        cr.execute(key_sql)
        new_ids = dict(cr.fetchall())
    cr.execute(f'SELECT id, "{new_column}" FROM "{new_table}"')
    new_values = {row_id: plain(value) for row_id, value in cr.fetchall()}
    found = {}
    for key, values in rows.items():
        new_id = values["id"] if new_ids is None else new_ids.get(values["id"])
        if new_id in new_values:
            found[key] = new_values[new_id]
    return found


def show_key(key):
    values = json.loads(key)
    return str(values[0]) if len(values) == 1 else str(tuple(values))


def compare_table(cr, label, before, fields, relations, report):
    table, model, key, where = before["table"], before["model"], before["key"], before["where"]
    old_rows = before["rows"]
    summary = {"label": label, "before": len(old_rows), "after": None, "result": "unchanged"}

    def fail(result, text):
        report.problem(text)
        summary["result"] = result

    followed = {c for c in before["columns"] if (table, c) in MOVED or (table, c) in DERIVED}
    present = set(columns_of(cr, table)) if table_exists(cr, table) else set()
    kept_here = [c for c in before["columns"] if c not in followed]
    if not present:
        if not old_rows:
            report.note(f"{label}: table gone; it was empty: nothing lost")
            summary["result"] = "gone (was empty)"
            return summary
        if set(kept_here) - set(key):
            fail("LOST", f"LOST table {label}: its {len(old_rows)} row(s) are gone")
            return summary
    is_relation = model is None and not where
    if is_relation and old_rows and table not in relations:
        fail(
            "UNREACHABLE",
            f"UNREACHABLE {label}: its {len(old_rows)} pair(s) are left in a table that is no"
            " longer the relation of a stored many2many field",
        )
        return summary
    checked = [c for c in kept_here if c in present]
    new_rows = read_rows(cr, table, checked, key, where) if present else {}
    if present:
        summary["after"] = len(new_rows)
        lost_rows = [k for k in old_rows if k not in new_rows]
        if lost_rows:
            fail(
                "LOST rows",
                f"LOST {len(lost_rows)} row(s) of {label} ({', '.join(key)}): "
                + ", ".join(show_key(k) for k in lost_rows[:EXAMPLES])
                + (" …" if len(lost_rows) > EXAMPLES else ""),
            )
    for column in before["columns"]:
        if column in key:
            continue
        old_values = {k: v[column] for k, v in old_rows.items()}
        filled = sum(not empty(v) for v in old_values.values())
        if (table, column) in DERIVED:
            report.note(f"{label}.{column}: not compared, derived: {DERIVED[(table, column)]}")
            continue
        if (table, column) in MOVED:
            new_table, new_column, _key_sql = MOVED[(table, column)]
            now = f" (now {new_table}.{new_column})"
            new_values = moved_values(cr, table, column, old_rows)
        elif column not in present:
            if filled:
                fail(
                    "LOST",
                    f"LOST column {label}.{column}: gone with its {filled} non-empty value(s)"
                    " (moved? say where in MOVED of scripts/upgrade_check.py)",
                )
            else:
                report.note(f"{label}.{column}: column gone; it was empty: nothing lost")
            continue
        else:
            if model and (model, column) not in fields and filled:
                fail(
                    "UNREACHABLE",
                    f"UNREACHABLE {label}.{column}: {filled} non-empty value(s) left in a column"
                    f" that is no longer a stored field of {model}"
                    " (moved? say where in MOVED of scripts/upgrade_check.py)",
                )
                continue
            now = ""
            new_values = {k: v[column] for k, v in new_rows.items()}
        changed = []
        for k, old in old_values.items():
            if k in new_values:
                if not same(old, new_values[k]):
                    changed.append((k, old, new_values[k]))
            elif now and not empty(old):  # a moved value whose new row is missing
                changed.append((k, old, "(nowhere)"))
        if changed:
            fail(
                "CHANGED",
                f"CHANGED {len(changed)} value(s) of {label}.{column}{now}:\n"
                + "\n".join(
                    f"      {', '.join(key)}={show_key(k)}: {short(old)} -> {short(new)}"
                    for k, old, new in changed[:EXAMPLES]
                )
                + ("\n      …" if len(changed) > EXAMPLES else ""),
            )
    return summary


def short(value, limit=120):
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def compare(cr, before, label):
    report = Report()
    fields, relations = stored_fields(cr)
    summaries = [
        compare_table(cr, name, table, fields, relations, report)
        for name, table in before["tables"].items()
    ]
    print(f"Upgrade check: {label}")
    width = max(len(s["label"]) for s in summaries)
    print(f"  {'table':<{width}}  {'before':>7}  {'after':>7}  result")
    for s in summaries:
        after = "-" if s["after"] is None else s["after"]
        print(f"  {s['label']:<{width}}  {s['before']:>7}  {after:>7}  {s['result']}")
    total = sum(s["before"] for s in summaries)
    values = sum(
        len(t["rows"]) * (len(t["columns"]) - len(t["key"])) for t in before["tables"].values()
    )
    print(f"  {len(summaries)} tables, {total} rows, {values} stored values compared")
    unused = [
        f"{t['table']}.{c}"
        for t in before["tables"].values()
        if t["rows"] and not t["where"]
        for c in t["columns"]
        if c not in t["key"] and all(empty(r[c]) for r in t["rows"].values())
    ]
    if unused:
        print(
            f"  {len(unused)} column(s) empty in every row of the old database, so their"
            f" upgrade is not exercised: {', '.join(unused)}"
        )
    for note in report.notes:
        print(f"  note: {note}")
    if report.problems:
        print(f"{len(report.problems)} problem(s): values of the old version lost or changed")
        for problem in report.problems:
            print(f"  - {problem}")
        return 1
    print("upgrade OK: every stored value of the old version is still there, unchanged")
    return 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("action", choices=["snapshot", "compare"])
    parser.add_argument("db")
    parser.add_argument("file")
    parser.add_argument("--label", default="")
    args = parser.parse_args()
    with psycopg2.connect(dbname=args.db) as conn, conn.cursor() as cr:
        if args.action == "snapshot":
            data = snapshot(cr)
            with open(args.file, "w", encoding="utf-8") as f:
                json.dump(data, f, ensure_ascii=False)
            rows = sum(len(t["rows"]) for t in data["tables"].values())
            print(f"snapshot of {args.db}: {len(data['tables'])} tables, {rows} rows")
            return 0
        with open(args.file, encoding="utf-8") as f:
            before = json.load(f)
        return compare(cr, before, args.label or args.db)


if __name__ == "__main__":
    sys.exit(main())
