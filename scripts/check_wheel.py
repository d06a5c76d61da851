"""Check the wheel built from this repository (run by ``./dev package``).

    python scripts/check_wheel.py --odoo-src ODOO_SRC REPO WHEEL

The wheel must be odoo-addon-ess_network at the manifest's version, hold every
file under git in odoo/addons/ess_network/, and declare each dependency once, as
the manifest says: Odoo 18.0, the add-ons of ``depends`` that are not part of
Odoo (odoo-addon-<name>), the Python packages of ``external_dependencies``.
The manifest's Python packages must be exactly those the add-on's code imports
(tests and dev scripts apart) that are neither the standard library nor Odoo.
Prints what it checked; exits 1 on any difference.
"""

import argparse
import ast
import email.parser
import importlib.metadata
import re
import subprocess
import sys
import zipfile
from collections import Counter
from pathlib import Path

ADDON = "ess_network"
SERIES = "18.0"
NOT_SHIPPED = {"pyproject.toml"}  # whool leaves it out of the wheel
NOT_RUNTIME = ("tests/", "scripts/")  # their imports are not the add-on's


def canonical(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def manifest_of(repo):
    return ast.literal_eval((repo / "__manifest__.py").read_text(encoding="utf-8"))


def odoo_addons(odoo_src):
    found = set()
    for base in (odoo_src / "addons", odoo_src / "odoo" / "addons"):
        found.update(p.parent.name for p in base.glob("*/__manifest__.py"))
    if not found:
        sys.exit(f"no Odoo add-on found in {odoo_src}: is it an Odoo source tree?")
    return found


def imported_packages(repo, files):
    """Top-level names imported by the add-on's runtime code, with where."""
    names = {}
    for rel in files:
        if not rel.endswith(".py") or rel.startswith(NOT_RUNTIME):
            continue
        tree = ast.parse((repo / rel).read_text(encoding="utf-8"), rel)
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and not node.level:
                modules = [node.module]
            else:
                continue
            for module in modules:
                top = module.split(".")[0]
                if top in sys.stdlib_module_names or top == "odoo":
                    continue
                names.setdefault(top, f"{rel}:{node.lineno}")
    return names


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--odoo-src", type=Path, required=True)
    parser.add_argument("repo", type=Path)
    parser.add_argument("wheels", type=Path, nargs="+")
    args = parser.parse_args()
    repo = args.repo.resolve()
    manifest = manifest_of(repo)
    version = manifest["version"]
    problems = []

    if len(args.wheels) != 1:
        sys.exit(f"expected one wheel, found: {', '.join(w.name for w in args.wheels)}")
    wheel = args.wheels[0]
    name_re = re.compile(
        rf"^odoo_addon_{ADDON}-(?P<version>{re.escape(version)}(\.\d+|\.dev\d+)?)-py3-none-any\.whl$"
    )
    if not name_re.match(wheel.name):
        problems.append(
            f"wheel file {wheel.name}: expected odoo_addon_{ADDON}-{version}[.N]-py3-none-any.whl"
        )

    with zipfile.ZipFile(wheel) as zf:
        members = set(zf.namelist())
        metadata_files = [m for m in members if m.endswith(".dist-info/METADATA")]
        if len(metadata_files) != 1:
            sys.exit(f"{wheel.name}: expected one .dist-info/METADATA, found {metadata_files}")
        metadata = email.parser.HeaderParser().parsestr(zf.read(metadata_files[0]).decode())

    # name and version
    if metadata["Name"] != f"odoo-addon-{ADDON}":
        problems.append(f"Name: {metadata['Name']!r}, expected 'odoo-addon-{ADDON}'")
    if not re.match(rf"^{re.escape(version)}(\.\d+|\.dev\d+)?$", metadata["Version"] or ""):
        problems.append(f"Version: {metadata['Version']!r}, expected {version}[.N]")

    # dependencies: each once, exactly those of the manifest
    requires = metadata.get_all("Requires-Dist") or []
    core = odoo_addons(args.odoo_src.resolve())
    expected = [f"odoo=={SERIES}.*"]
    expected += [f"odoo-addon-{d}=={SERIES}.*" for d in manifest["depends"] if d not in core]
    python_deps = manifest.get("external_dependencies", {}).get("python", [])
    expected += python_deps
    for req, count in Counter(requires).items():
        if count > 1:
            problems.append(f"Requires-Dist {req} is declared {count} times")
    for req in sorted(set(expected) - set(requires)):
        problems.append(f"Requires-Dist {req} missing (the manifest asks for it)")
    for req in sorted(set(requires) - set(expected)):
        problems.append(f"Requires-Dist {req} not asked for by the manifest")

    # content: every file under git, in odoo/addons/ess_network/
    tracked = subprocess.run(
        ["git", "ls-files", "-z"], cwd=repo, capture_output=True, text=True, check=True
    ).stdout.split("\0")
    tracked = [f for f in tracked if f]
    prefix = f"odoo/addons/{ADDON}/"
    shipped = {m[len(prefix) :] for m in members if m.startswith(prefix)}
    missing = sorted(f for f in tracked if f not in shipped and f not in NOT_SHIPPED)
    if missing:
        problems.append(f"{len(missing)} file(s) under git missing from the wheel: {missing[:5]}")
    for required in ("__manifest__.py", "__init__.py"):
        if required not in shipped:
            problems.append(f"{prefix}{required} missing from the wheel")
    strays = sorted(m for m in members if not m.startswith(prefix) and ".dist-info/" not in m)
    if strays:
        problems.append(f"files outside {prefix}: {strays[:5]}")

    # the manifest's Python packages are those the code imports
    imports = imported_packages(repo, tracked)
    dists = importlib.metadata.packages_distributions()
    declared = {canonical(d) for d in python_deps}
    used = {}
    for top, where in imports.items():
        for dist in dists.get(top, [top]):
            used[canonical(dist)] = (top, where)
    for dist, (top, where) in sorted(used.items()):
        if dist not in declared:
            problems.append(
                f"{where} imports {top} (package {dist}): add it to the manifest's "
                "external_dependencies['python']"
            )
    for dist in sorted(declared - set(used)):
        problems.append(f"external_dependencies['python'] names {dist}, which no code imports")

    print(f"wheel: {wheel.name}")
    print(f"  Name: {metadata['Name']}  Version: {metadata['Version']}")
    for req in requires:
        print(f"  Requires-Dist: {req}")
    print(f"  {len(shipped)} files under {prefix}")
    print(f"  imported, not Odoo nor the standard library: {', '.join(sorted(imports))}")
    if problems:
        print(f"{len(problems)} problem(s):")
        for problem in problems:
            print(f"  - {problem}")
        sys.exit(1)
    print("wheel OK")


if __name__ == "__main__":
    main()
