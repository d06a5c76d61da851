"""Reading what people type: the one place where a text, a number, a date,
a tick box or a choice typed in a portal form, the public adhesion form or a
spreadsheet cell becomes a typed value — or is refused with a clear,
translated message.

Every function raises :class:`InputError` (a ``ValueError``) whose first
argument is the message, in the language of ``env``; a caller that has a
better message for its context (a spreadsheet cell, say) catches it and
says its own. Nothing here reads a request or writes a record.
"""

import datetime
import math
import re
import unicodedata

# A number as people write it: 12, 12.5, 12,5, -3, .5, 1e3; spaces (also
# non-breaking, as French thousands separators) are dropped first.
NUMBER_RE = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d{1,3})?$")
# Beyond this, a figure of the guide is a typing accident.
NUMBER_MAX = 1e15
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y")
CHECKED = ("1", "on", "true", "yes")
UNCHECKED = ("", "0", "off", "false", "no")
# A record id: ASCII digits, within PostgreSQL's integer.
ID_RE = re.compile(r"^[0-9]{1,10}\Z")
ID_MAX = 2**31 - 1

# Characters that show nothing and are not spaces: fillers of some scripts,
# the combining grapheme joiner, the braille blank. Format characters
# (zero-width spaces and joiners, bidirectional marks, soft hyphens: Unicode
# category Cf) are found by their category.
INVISIBLE = frozenset("\u034f\u115f\u1160\u17b4\u17b5\u2800\u3164\uffa0")
LINE_SEPARATORS = ("\u2028", "\u2029", "\u0085")

# Letters of other scripts drawn like Latin ones ("Scop" with a Cyrillic
# "о"): compared as the Latin letter they imitate. Full-width and
# mathematical letters are already folded by NFKC.
CONFUSABLES = str.maketrans(
    {
        # Cyrillic capitals and small letters
        "А": "A",
        "В": "B",
        "Е": "E",
        "К": "K",
        "М": "M",
        "Н": "H",
        "О": "O",
        "Р": "P",
        "С": "C",
        "Т": "T",
        "У": "Y",
        "Х": "X",
        "Ѕ": "S",
        "І": "I",
        "Ј": "J",
        "Ԛ": "Q",
        "Ԝ": "W",
        "а": "a",
        "е": "e",
        "о": "o",
        "р": "p",
        "с": "c",
        "у": "y",
        "х": "x",
        "ѕ": "s",
        "і": "i",
        "ј": "j",
        "һ": "h",
        "ԁ": "d",
        "ԛ": "q",
        "ԝ": "w",
        "ӏ": "l",
        # Greek capitals and small letters
        "Α": "A",
        "Β": "B",
        "Ε": "E",
        "Ζ": "Z",
        "Η": "H",
        "Ι": "I",
        "Κ": "K",
        "Μ": "M",
        "Ν": "N",
        "Ο": "O",
        "Ρ": "P",
        "Τ": "T",
        "Υ": "Y",
        "Χ": "X",
        "ο": "o",
        "α": "a",
        "ν": "v",
        "ρ": "p",
        "ι": "i",
        "κ": "k",
        "υ": "u",
        "χ": "x",
        "ϲ": "c",
        # Latin look-alikes
        "ı": "i",
        "ȷ": "j",
        "ɡ": "g",
    }
)


class InputError(ValueError):
    """A value that cannot be taken as it is; ``args[0]`` says why."""


def _is_invisible(char):
    return char in INVISIBLE or unicodedata.category(char) == "Cf"


def clean_text(env, raw, limit=None, multiline=False, required=False, label=None):
    """A text typed by someone, ready to be stored: Unicode composed (NFC),
    invisible characters removed, blanks trimmed; on one line, runs of
    spaces (non-breaking ones too) become one space.

    Refused: what is not text, a NUL byte or another control character, a
    line break in a one-line text, a text longer than ``limit`` characters,
    and an empty text when ``required`` (a text made only of invisible
    characters is empty).

    :param label: what the text is ("The name of the organisation"), to say
        it in the messages; without it they speak of "this field"
    :return: the text, or False when empty
    :raises InputError: with the reason
    """
    if raw is None or raw is False:
        raw = ""
    if not isinstance(raw, str):
        raise InputError(
            env._("%s is not valid.", label) if label else env._("This value is not valid.")
        )
    text = unicodedata.normalize("NFC", raw)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    for separator in LINE_SEPARATORS:
        text = text.replace(separator, "\n")
    text = "".join(char for char in text if not _is_invisible(char))
    allowed = "\n\t" if multiline else "\t"
    if any(unicodedata.category(char) in ("Cc", "Cs") and char not in allowed for char in text):
        if multiline:
            raise InputError(
                env._("%s holds control characters, which are not allowed.", label)
                if label
                else env._("This text holds control characters, which are not allowed.")
            )
        raise InputError(
            env._("%s must be a single line, without control characters.", label)
            if label
            else env._("A single line is expected, without control characters.")
        )
    if multiline:
        text = "\n".join(line.rstrip() for line in text.split("\n")).strip()
    else:
        text = " ".join(text.split())
    if required and not text:
        raise InputError(
            env._("%s is required.", label) if label else env._("This field is required.")
        )
    if limit and len(text) > limit:
        raise InputError(
            env._("%(label)s is too long (%(limit)s characters at most).", label=label, limit=limit)
            if label
            else env._("At most %s characters.", limit)
        )
    return text or False


def comparable(text):
    """A name reduced to what a reader sees in it, to find duplicates: the
    same for "Scop Impulsion", "SCOP  IMPULSION", "Scop\u200bImpulsion",
    "Scop Impulsión" (decomposed or not) and "Scop Imрulsion" (a Cyrillic
    "р"). Letters and digits only, without accents nor case.
    """
    text = unicodedata.normalize("NFKC", text or "")
    text = "".join(char for char in text if not _is_invisible(char))
    text = text.translate(CONFUSABLES)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(char for char in text if not unicodedata.combining(char))
    return "".join(char for char in text.casefold() if char.isalnum())


def parse_number(env, raw):
    """A number typed as text, "12,5" as well as "12.5" or "1 200"; an int or
    float passes as it is.

    :return: the number as a float, or None when empty
    :raises InputError: when it is not a finite number of reasonable size
    """
    if isinstance(raw, bool):
        raise InputError(env._("Enter a number, for example 12.5."))
    if isinstance(raw, int | float):
        number = float(raw)
    else:
        text = "".join(str(raw if raw is not None else "").split())
        if not text:
            return None
        if not NUMBER_RE.match(text):
            raise InputError(env._("Enter a number, for example 12.5."))
        number = float(text.replace(",", "."))
    if not math.isfinite(number) or abs(number) >= NUMBER_MAX:
        raise InputError(env._("Enter a number, for example 12.5."))
    return number


def parse_integer(env, raw, minimum=None, maximum=None):
    """A whole number between ``minimum`` and ``maximum`` (both included).

    :return: the int, or None when empty
    :raises InputError: when it is not such a number
    """
    try:
        number = parse_number(env, raw)
    except InputError:
        number = math.nan
    if number is None:
        return None
    if (
        not float(number).is_integer()
        or (minimum is not None and number < minimum)
        or (maximum is not None and number > maximum)
    ):
        if minimum is not None and maximum is not None:
            raise InputError(
                env._(
                    "Enter a whole number from %(minimum)s to %(maximum)s.",
                    minimum=minimum,
                    maximum=maximum,
                )
            )
        raise InputError(env._("Enter a whole number."))
    return int(number)


def parse_checkbox(env, raw):
    """A tick box as posted: "1", "on" or "true" when ticked; "", "0" or
    "off" when not (a hidden "0" stands before the box in the forms)."""
    flag = raw.strip().lower() if isinstance(raw, str) else raw
    if flag in CHECKED or flag is True:
        return True
    if flag in UNCHECKED or flag is None or flag is False:
        return False
    raise InputError(env._("Tick or untick the box."))


def parse_date(env, raw):
    """A date: a date (or datetime) value, or text as 2026-12-31 (the
    browser's date field) or 31/12/2026.

    :return: the date, or False when empty
    :raises InputError: when it is not a date
    """
    if isinstance(raw, datetime.datetime):
        return raw.date()
    if isinstance(raw, datetime.date):
        return raw
    if raw is None or raw is False:
        return False
    text = raw.strip() if isinstance(raw, str) else None
    if text == "":
        return False
    for date_format in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, date_format).date()
        except ValueError:
            continue
    raise InputError(env._("“%s” is not a date; write it as dd/mm/yyyy.", raw))


def parse_choice(env, raw, choices, required=False):
    """The key of a choice among ``choices`` (keys, or ``(key, label)``
    pairs).

    :return: the key, or False when empty and not ``required``
    :raises InputError: when it is not one of the choices
    """
    keys = {choice[0] if isinstance(choice, tuple | list) else choice for choice in choices}
    key = raw.strip() if isinstance(raw, str) else raw
    if not key and not required:
        return False
    if key not in keys:
        raise InputError(env._("Choose a value in the list."))
    return key


def parse_ids(env, raw):
    """Record ids posted as text: one, or several (a list of boxes ticked).

    :return: the set of ids
    :raises InputError: when one of them is not an id
    """
    values = [raw] if isinstance(raw, str) else raw
    if not isinstance(values, list | tuple) or not all(isinstance(v, str) for v in values):
        raise InputError(env._("Choose a value in the list."))
    values = [value.strip() for value in values if value.strip()]
    if not all(ID_RE.match(value) and int(value) <= ID_MAX for value in values):
        raise InputError(env._("Choose a value in the list."))
    return {int(value) for value in values}


TIME_RE = re.compile(r"^([01]?\d|2[0-3])\s*[:hH]\s*([0-5]\d)?$")


def parse_time(env, raw):
    """A time of day: a time value, or text as 14:30 (the browser's time
    field), 14h30 or 14h.

    :return: the time, or False when empty
    :raises InputError: when it is not a time of day
    """
    if isinstance(raw, datetime.time):
        return raw
    if raw is None or raw is False:
        return False
    text = raw.strip() if isinstance(raw, str) else None
    if text == "":
        return False
    match = TIME_RE.match(text) if text is not None else None
    if not match:
        raise InputError(env._("“%s” is not a time of day; write it as hh:mm.", raw))
    return datetime.time(int(match.group(1)), int(match.group(2) or 0))
