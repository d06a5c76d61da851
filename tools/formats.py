"""Figures written for a reader, in the reader's language."""

from odoo.tools import formatLang


def format_number(env, number):
    """``number`` in the language of ``env`` (``1 234,5`` in French,
    ``1,234.5`` in English), with the decimals it has (six at most), none
    when whole."""
    decimals = f"{number:.6f}".rstrip("0").partition(".")[2]
    return formatLang(env, number, digits=len(decimals))
