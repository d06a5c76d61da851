"""Files people send: the one place where an uploaded file is judged by
its content — the minutes of a general assembly, the evidence of a
self-assessment, the picture and documents of a good-practice sheet.

A file is taken when it is not empty, not larger than the limit, its
content is one of the kinds allowed (as Odoo's ``guess_mimetype`` finds it
in the bytes, not as the browser says) and its name ends as that kind's do:
a PDF renamed ``.png`` or a program renamed ``.pdf`` is refused. Every
refusal is an :class:`~odoo.addons.ess_network.tools.inputs.InputError`
whose message, in the language of ``env``, names the file.

Nothing here reads a request or writes a record.
"""

from odoo.tools.mimetypes import get_extension, guess_mimetype

from .inputs import InputError

MB = 1024 * 1024
# The largest file a member may send, unless a kind says otherwise.
MAX_SIZE = 10 * MB

_OOXML = "application/vnd.openxmlformats-officedocument."
_ODF = "application/vnd.oasis.opendocument."
PDF = {"application/pdf": (".pdf",)}
PICTURES = {
    "image/png": (".png",),
    "image/jpeg": (".jpg", ".jpeg"),
    "image/webp": (".webp",),
}
TEXT_EXTENSIONS = (".txt", ".csv")


class UploadKind:
    """A kind of file a form accepts: the types found in the content, each
    with the extensions the file's name may have, and what to tell a member
    whose file is of none of them.

    :param dict types: ``{mimetype: (extensions…)}``
    :param refusal: ``refusal(env, filename)``: the message for a file of
        another kind
    """

    def __init__(self, types, refusal):
        self.types = types
        self.refusal = refusal
        self.extensions = tuple(sorted({ext for exts in types.values() for ext in exts}))

    @property
    def accept(self):
        """The ``accept`` attribute of the file input: types and extensions."""
        return ",".join(sorted({*self.types, *self.extensions}))

    def mimetype(self, filename, content):
        """The type of ``content`` when it is one of this kind's and the
        name ``filename`` ends as it should, else None. A text file (when
        the kind takes text) is one that Odoo finds nothing in and that
        holds no NUL byte, as spreadsheets save CSV in other encodings than
        UTF-8."""
        extension = get_extension(filename or "").lower()
        mimetype = guess_mimetype(content or b"", default="application/octet-stream")
        if (
            mimetype == "application/octet-stream"
            and extension in TEXT_EXTENSIONS
            and "text/plain" in self.types
            and b"\0" not in (content or b"")
        ):
            mimetype = "text/plain"
        return mimetype if extension in self.types.get(mimetype, ()) else None

    def check(self, env, filename, content, max_size=MAX_SIZE):
        """The type of the file ``filename`` whose bytes are ``content``
        (read up to one byte over ``max_size``, enough to tell that it is
        too large).

        :raises InputError: when the file is empty, larger than
            ``max_size`` bytes, or not of this kind
        """
        name = filename or "?"
        if not content:
            raise InputError(env._("%s is empty.", name))
        if len(content) > max_size:
            raise InputError(
                env._(
                    "%(file)s is larger than %(size)s MB.",
                    file=name,
                    size=max_size // MB,
                )
            )
        mimetype = self.mimetype(filename, content) if filename else None
        if not mimetype:
            raise InputError(self.refusal(env, name))
        return mimetype


# The minutes of a general assembly (guide year).
MINUTES = UploadKind(
    {
        **PDF,
        _ODF + "text": (".odt",),
        _OOXML + "wordprocessingml.document": (".docx",),
    },
    lambda env, name: env._(
        "%s is not a PDF, ODT or DOCX document: send the minutes in one of these formats.", name
    ),
)

# The evidence of an answer of a self-assessment.
EVIDENCE = UploadKind(
    {
        **PDF,
        **PICTURES,
        "image/gif": (".gif",),
        # an older Office file that Odoo cannot tell apart is "Word"
        "application/msword": (".doc", ".xls", ".ppt"),
        "application/vnd.ms-excel": (".xls",),
        "application/vnd.ms-powerpoint": (".ppt",),
        _OOXML + "wordprocessingml.document": (".docx",),
        _OOXML + "spreadsheetml.sheet": (".xlsx",),
        _OOXML + "presentationml.presentation": (".pptx",),
        _ODF + "text": (".odt",),
        _ODF + "spreadsheet": (".ods",),
        _ODF + "presentation": (".odp",),
        # an office document that Odoo cannot tell from another zip archive
        "application/zip": (".docx", ".xlsx", ".pptx", ".odt", ".ods", ".odp"),
        "text/plain": TEXT_EXTENSIONS,
        "text/csv": (".csv",),
    },
    lambda env, name: env._(
        "%s is not an accepted kind of file: send a PDF, an image (PNG, JPEG, GIF, WebP), an "
        "office document or a text file.",
        name,
    ),
)

# The picture of a good-practice sheet.
PICTURE = UploadKind(
    dict(PICTURES),
    lambda env, name: env._("%s is not a picture: send a PNG, JPEG or WebP image.", name),
)

# The documents of a good-practice sheet, that its readers download.
DOCUMENT = UploadKind(
    {
        **PDF,
        **PICTURES,
        _ODF + "text": (".odt",),
        _OOXML + "wordprocessingml.document": (".docx",),
        _OOXML + "spreadsheetml.sheet": (".xlsx",),
        # an office document that Odoo cannot tell from another zip archive
        "application/zip": (".docx", ".xlsx", ".odt"),
    },
    lambda env, name: env._(
        "%s is not an accepted kind of document: send a PDF, an ODT, DOCX or XLSX document, "
        "or a PNG, JPEG or WebP picture.",
        name,
    ),
)
