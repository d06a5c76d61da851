"""PEP 517 build backend of the add-on: OCA's whool, always named ess_network.

whool (https://pypi.org/project/whool/) builds the wheel odoo-addon-<name> of the
Odoo add-on in the current directory, <name> being that directory's name. This
repository is the add-on itself and may be cloned under any name (CI clones it
into a temporary directory), so every hook below runs whool on a path named
after the add-on: the clone itself when it is already named so, else a symbolic
link to it in a temporary directory. Everything else is whool's: the files (those
under git), the version (the manifest's, plus the number of commits since it
changed), the dependencies (from the manifest).

pyproject.toml pins whool to the 1.3 series: these hooks call its functions that
take the add-on directory (build_wheel and friends read the current directory).
`./dev package` builds the wheel and checks it.
"""

import contextlib
import tempfile
from pathlib import Path

from whool import buildapi as whool

ADDON = "ess_network"


@contextlib.contextmanager
def _addon_dir():
    here = Path.cwd()
    if here.name == ADDON:
        yield here
        return
    with tempfile.TemporaryDirectory(prefix="ess_network_build_") as tmp:
        link = Path(tmp, ADDON)
        link.symlink_to(here, target_is_directory=True)
        yield link


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    with _addon_dir() as addon:
        return whool._build_wheel(addon, Path(wheel_directory), editable=False)


def build_editable(wheel_directory, config_settings=None, metadata_directory=None):
    here = Path.cwd()
    with _addon_dir() as addon:
        name = whool._build_wheel(addon, Path(wheel_directory), editable=True)
    # whool links build/__editable__/odoo/addons/<name> to the directory it was
    # given, which may be the temporary link: point it at the clone.
    link = here / "build" / "__editable__" / "odoo" / "addons" / ADDON
    if link.is_symlink() and link.resolve() != here.resolve():
        link.unlink()
        link.symlink_to(here, target_is_directory=True)
    return name


def build_sdist(sdist_directory, config_settings=None):
    with _addon_dir() as addon:
        return whool._build_sdist(addon, Path(sdist_directory))


def prepare_metadata_for_build_wheel(metadata_directory, config_settings=None):
    with _addon_dir() as addon:
        return whool._make_dist_info(whool._get_metadata(addon), Path(metadata_directory))


prepare_metadata_for_build_editable = prepare_metadata_for_build_wheel
