"""A form posted from a portal page, read once for every page.

A page renders its form from ``values`` (text by field name) and puts in a
hidden field the fingerprint of each value it showed (``ORIGIN_FIELD``).
When the form comes back, :meth:`PortalForm.changes` keeps only what its
user changed since the page was loaded, so that saving a page opened before
somebody else's save does not revert that save; when both changed the same
value, the post is refused and nothing is written. The page's controller
then turns the changed text into typed values with
:mod:`odoo.addons.ess_network.tools.inputs` and gives them to the model.
"""

import hashlib
import json
import os

from markupsafe import Markup

from odoo.http import request

from ..tools import inputs
from ..tools.inputs import InputError

ORIGIN_FIELD = "ess_form_origin"
FORM_ERROR = "form"
# The longest name of a file sent from a portal form.
UPLOAD_NAME_LIMIT = 200


def fingerprint(value):
    """A short digest of a form value (text, or a list of texts). Line
    breaks and surrounding blanks do not count: a browser posts a text area
    with CRLF line breaks and without its first line break."""
    if isinstance(value, list | tuple):
        value = "\x1f".join(sorted(str(item) for item in value))
    text = str(value or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    return hashlib.blake2s(text.encode(), digest_size=8).hexdigest()


def selection_labels(model, *names):
    """``{value: label}`` of the selection field ``names`` of ``model`` in
    the reader's language, for ``PortalForm(labels=…)``."""
    env = request.env
    return [dict(env[model]._fields[name]._description_selection(env)) for name in names]


def origin_field(values, canonical=None):
    """The hidden input that remembers what the page showed.

    :param canonical: ``canonical(key, value)`` gives the form a value is
        compared in (a number typed "12,5" is "12.5"); see PortalForm
    """
    canonical = canonical or _as_is
    digests = {key: fingerprint(canonical(key, value)) for key, value in values.items()}
    return Markup('<input type="hidden" name="%s" value="%s"/>') % (
        ORIGIN_FIELD,
        json.dumps(digests, separators=(",", ":")),
    )


class PortalForm:
    """What a member posted from a portal page: the values by field name,
    the fingerprints of what the page showed, and the errors found while
    reading them (by field name, ``form`` for the whole form)."""

    def __init__(self, lists=(), canonical=None, labels=None):
        """Read the posted form; a key posted several times (a hidden "0"
        before its tick box) keeps its last value, but the keys of ``lists``
        (boxes ticked in a list) keep them all.

        :param canonical: ``canonical(key, value)``: the value as compared,
            for fields where different texts mean the same (a number typed
            "12,5" or "12.5", an empty figure and 0); as it is by default
        :param dict labels: how to tell a member the value somebody else
            chose, by the end of the field names: ``{suffix: {value: label}}``
            for choices, ``{suffix: None}`` for values that are better not
            quoted (tick boxes); free text and numbers are quoted as they are
        """
        self.env = request.env
        self.canonical = canonical or _as_is
        self.labels = labels or {}
        self.values = {
            key: values if key in lists else values[-1]
            for key, values in request.httprequest.form.lists()
        }
        self.values.pop("csrf_token", None)
        self.origin = self._read_origin(self.values.pop(ORIGIN_FIELD, None))
        self.errors = {}

    @staticmethod
    def _read_origin(raw):
        try:
            origin = json.loads(raw) if isinstance(raw, str) else None
        except ValueError:
            origin = None
        if not isinstance(origin, dict) or not all(
            isinstance(key, str) and isinstance(value, str) for key, value in origin.items()
        ):
            return None
        return origin

    # ------------------------------------------------------------------ errors
    def error(self, key, message):
        self.errors.setdefault(key, message)

    def form_error(self, message):
        self.error(FORM_ERROR, message)

    def typed(self, key, parse, *args, **kwargs):
        """``parse(env, posted value, *args, **kwargs)``, or None after
        recording its error under ``key``."""
        try:
            return parse(self.env, self.values.get(key), *args, **kwargs)
        except InputError as error:
            self.error(key, error.args[0])
            return None

    def read_into(self, vals, key, parse, *args, posted=None, message=None, **kwargs):
        """Put in ``vals[key]`` the value ``parse(env, text, *args, **kwargs)``
        of the text posted under ``key`` (in ``posted``, the changed values
        only, else in every posted value); on bad input record ``message``,
        else the parser's, as the field's error and leave ``vals`` alone."""
        source = self.values if posted is None else posted
        try:
            vals[key] = parse(self.env, source.get(key), *args, **kwargs)
        except InputError as error:
            self.error(key, message or error.args[0])

    def origin_field(self, current):
        """The hidden input of the page shown again after a refused post: it
        keeps what the page showed when first loaded, so that saving again
        still writes only what its user changed."""
        if self.origin is None:
            return origin_field(current, self.canonical)
        return Markup('<input type="hidden" name="%s" value="%s"/>') % (
            ORIGIN_FIELD,
            json.dumps(self.origin, separators=(",", ":")),
        )

    # ----------------------------------------------------------------- changes
    def changes(self, current, linked=None):
        """The posted values their user changed since the page was loaded.

        :param dict current: what the page would show now, by field name
        :param linked: ``linked(key)``: the names of the values that go with
            ``key``'s (an answer's level and its "not applicable" box):
            changing ``key``'s value while somebody else changed one of
            theirs is a conflict too
        :return: the posted values that are to be written, by field name.
            A value left as the page showed it is not, even when somebody
            changed it meanwhile; a value changed both here and by somebody
            else is an error (nothing is written). Without fingerprints (a
            page of an older version, a script), every posted value that
            differs from the record is to be written. Names the page does
            not know are kept, for the caller to refuse them.
        """
        changed = {}
        conflicts = []
        for key, posted in self.values.items():
            if key not in current:
                changed[key] = posted
                continue
            now = fingerprint(self.canonical(key, current[key]))
            mine = fingerprint(self.canonical(key, posted))
            if mine == now:
                continue  # nothing to write: as it is in the record
            shown = self.origin.get(key) if self.origin else None
            if shown is None:
                changed[key] = posted
            elif mine == shown:
                continue  # untouched on this page; keep whatever is there now
            elif now == shown and not self._changed_elsewhere(
                linked(key) if linked else (), current
            ):
                changed[key] = posted
            else:
                conflicts.append(key)
        for key in conflicts:
            now = self._readable(key, current[key])
            self.error(
                key,
                self.env._(
                    "Somebody else changed this value since you opened the page; it is now: “%s”.",
                    now,
                )
                if now
                else self.env._("Somebody else changed this value since you opened the page."),
            )
        if conflicts:
            self.form_error(
                self.env._(
                    "Somebody else saved this page after you opened it, and changed some of the "
                    "values you changed too (marked below). Nothing was saved: reload the page "
                    "to see their changes, then make yours again."
                )
            )
        return changed

    def _readable(self, key, value):
        """``value`` of ``key`` as a member reads it (a choice's label, a
        text cut at 80 characters), or None when it is better not quoted:
        a tick box, a list of ids, an empty value."""
        for suffix, labels in self.labels.items():
            if key.endswith(suffix):
                return labels.get(value) if labels else None
        if isinstance(value, list | tuple) or not value:
            return None
        text = str(value)
        return text if len(text) <= 80 else text[:79] + "…"

    def _changed_elsewhere(self, keys, current):
        """Whether somebody else changed one of the values ``keys`` since
        the page was loaded."""
        return any(
            key in current
            and self.origin.get(key) not in (None, fingerprint(self.canonical(key, current[key])))
            for key in keys
        )


def upload_filename(env, filename):
    """The name of an uploaded file without its client-side path, at most
    ``UPLOAD_NAME_LIMIT`` characters (the end cut off, the extension kept).

    :raises InputError: when the name holds control characters
    """
    name = os.path.basename((filename or "").replace("\\", "/"))
    name = inputs.clean_text(env, name) or ""
    if len(name) > UPLOAD_NAME_LIMIT:
        stem, extension = os.path.splitext(name)
        name = stem[: UPLOAD_NAME_LIMIT - len(extension)] + extension
    return name


def uploaded_files(form, key, limit):
    """``[(filename, content)]``: the files sent as ``key`` (none chosen:
    an empty list), each read up to one byte over ``limit`` (enough for
    :mod:`~odoo.addons.ess_network.tools.uploads` to tell that it is too
    large); a bad name is an error of ``form``. Their content is checked by
    the model that takes them."""
    files = []
    for storage in request.httprequest.files.getlist(key):
        if not storage or not storage.filename:
            continue
        try:
            filename = upload_filename(form.env, storage.filename)
        except InputError as error:
            form.error(key, error.args[0])
            continue
        files.append((filename, storage.stream.read(limit + 1)))
    return files


def _as_is(_key, value):
    return value


def home_count(model, domain):
    """How many records of ``model`` in ``domain`` the portal user reads,
    for the card of the portal home: 0 without the right to read them."""
    Model = request.env[model]
    return Model.search_count(domain) if Model.has_access("read") else 0


def attachment_download(attachment):
    """The response that downloads ``attachment`` (read with sudo, once the
    controller has checked that the member may read the record it belongs
    to): a portal user has no access right on attachments."""
    return request.env["ir.binary"]._get_stream_from(attachment).get_response(as_attachment=True)
