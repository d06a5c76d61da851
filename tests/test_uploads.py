import io

from PIL import Image

from odoo.tests import TransactionCase, tagged

from ..tools.inputs import InputError
from ..tools.uploads import DOCUMENT, EVIDENCE, MB, MINUTES, PICTURE
from .test_guide_portal_year import docx_bytes

PDF = b"%PDF-1.4\n% a document\n%%EOF\n"
PROGRAM = b"MZ\x90\x00" + b"\x00" * 200


def png():
    stream = io.BytesIO()
    Image.new("RGB", (4, 4)).save(stream, "PNG")
    return stream.getvalue()


@tagged("post_install", "-at_install")
class TestUploadKinds(TransactionCase):
    """The one rule for the files members send (tools/uploads.py): judged
    by their content, their name ending as their kind's do."""

    def test_kinds(self):
        cases = [
            # (kind, name, content, taken)
            (PICTURE, "logo.png", png(), True),
            (PICTURE, "LOGO.PNG", png(), True),
            (PICTURE, "logo.jpg", png(), False),  # a PNG named as a JPEG
            (PICTURE, "logo.png", PDF, False),  # a PDF named as a picture
            (PICTURE, "logo.svg", b"<svg></svg>", False),
            (DOCUMENT, "plan.pdf", PDF, True),
            (DOCUMENT, "plan.docx", docx_bytes(), True),
            (DOCUMENT, "photo.png", png(), True),
            (DOCUMENT, "setup.exe", PROGRAM, False),
            (DOCUMENT, "plan.pdf", PROGRAM, False),
            (DOCUMENT, "notes.txt", b"du texte", False),
            (MINUTES, "pv.pdf", PDF, True),
            (MINUTES, "pv.docx", docx_bytes(), True),
            (MINUTES, "pv.png", png(), False),
            (EVIDENCE, "notes.csv", "Thème;Note\n1;2\n".encode("cp1252"), True),
            (EVIDENCE, "notes.csv", b"a\x00b", False),
            (EVIDENCE, "page.html", b"<script>alert(1)</script>", False),
        ]
        for kind, name, content, taken in cases:
            with self.subTest(name=name, kind=kind.extensions):
                if taken:
                    self.assertTrue(kind.check(self.env, name, content))
                else:
                    with self.assertRaises(InputError):
                        kind.check(self.env, name, content)

    def test_messages_name_the_file(self):
        for content, size, message in (
            (b"", 10 * MB, "vide.pdf is empty."),
            (PDF + b"0" * MB, MB, "vide.pdf is larger than 1 MB."),
            (PROGRAM, 10 * MB, "vide.pdf is not an accepted kind of document"),
        ):
            with self.assertRaises(InputError) as error:
                DOCUMENT.check(self.env, "vide.pdf", content, size)
            self.assertIn(message, error.exception.args[0])
        with self.assertRaises(InputError) as error:
            PICTURE.check(self.env, "", png())
        self.assertIn("? is not a picture", error.exception.args[0])
        self.assertIn(".webp", PICTURE.accept)
        self.assertIn("image/webp", PICTURE.accept)
