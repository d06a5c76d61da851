"""Figures written for a reader, in the reader's language."""

import ast

from odoo.tools import float_round
from odoo.tools.misc import get_lang

from odoo.addons.base.models.res_lang import intersperse


def format_number(env, number):
    """``number`` in the language of ``env`` (``1 234,5`` in French,
    ``1,234.5`` in English), with the decimals it has (six at most), none
    when whole."""
    return number_formatter(env)(number)


def number_formatter(env):
    """:func:`format_number` for the many figures of one page: the
    language's separators are read once, not for each figure. It writes
    what Odoo's ``formatLang`` writes with the figure's own decimals."""
    lang = get_lang(env)
    grouping = ast.literal_eval(lang.grouping)
    thousands_sep, decimal_point = lang.thousands_sep or "", lang.decimal_point

    def write(number):
        digits = len(f"{number:.6f}".rstrip("0").partition(".")[2])
        rounded = float_round(number, precision_digits=digits, rounding_method="HALF-EVEN")
        parts = f"{rounded:.{digits}f}".split(".")
        parts[0] = intersperse(parts[0], grouping, thousands_sep)[0]
        return decimal_point.join(parts)

    return write
