"""Builds running at once never meet in locale/: each compiles its catalogs in memory."""

import json
import os
import shutil
import subprocess
import sys
import textwrap

import pytest
from babel.messages.mofile import read_mo

from conftest import FIXTURE_SETTINGS, PRIVATE_VARIABLES, ROOT, build_site, fixture_languages
from press.build.errors import BuildError
from press.core.settings import load_settings
from press.translations.catalogs import CatalogError, write_compiled

KO = "ko/LC_MESSAGES/messages.po"

# One build in a process of its own, started when the file `go` appears, as `make publish`
# started while `make test` builds.
BUILDER = textwrap.dedent(
    """
    import json, sys, time
    from pathlib import Path
    from press.build.errors import BuildError
    from press.build.pipeline import build

    settings, output, content, locale, go, languages = sys.argv[1:]
    while not Path(go).exists():
        time.sleep(0.001)
    try:
        report = build(settings, output=output, override={
            "PATH": content, "I18N_CATALOG_PATH": locale,
            "CACHE_PATH": output + ".pelican-cache", **json.loads(languages),
        })
    except BuildError as exc:
        sys.exit("\\n".join(exc.problems))
    print(report.kind, report.files)
    """
)


@pytest.fixture
def locale(tmp_path):
    """A writable copy of the real catalogs, without compiled ones."""
    copy = tmp_path / "locale"
    shutil.copytree(ROOT / "locale", copy, ignore=shutil.ignore_patterns("*.mo"))
    return copy


def listing(folder):
    """Every entry of a folder with its inode and modification time."""
    return {
        path.relative_to(folder).as_posix(): (path.stat().st_ino, path.stat().st_mtime_ns)
        for path in sorted(folder.rglob("*"))
    }


def compile_into(locale):
    """Compile the catalogs into `locale` as `invoke i18n.compile` does; return the .mo files."""
    settings = load_settings(FIXTURE_SETTINGS, {"I18N_CATALOG_PATH": str(locale)})
    return write_compiled(
        locale, settings["I18N_LANGUAGES"], settings["I18N_MSGID_LANG"], names=None
    )


def test_two_builds_at_once_both_succeed_and_leave_locale_alone(tmp_path, content, locale):
    """`make publish` during `make test`: both builds succeed; no .mo written or removed."""
    compile_into(locale)  # a maintainer ran `invoke i18n.compile` earlier
    before = listing(locale)
    script, go = tmp_path / "builder.py", tmp_path / "go"
    script.write_text(BUILDER, encoding="utf-8")
    env = {key: value for key, value in os.environ.items() if key not in PRIVATE_VARIABLES}
    env["PYTHONPATH"] = str(ROOT)
    builders = []
    languages = json.dumps(fixture_languages())
    for settings, name in (("pelicanconf.py", "test-output"), ("publishconf.py", "output")):
        # The fixture site's languages, whichever the project's settings files name.
        args = [script, ROOT / settings, tmp_path / name, content, locale, go, languages]
        pipes = {"stdout": subprocess.PIPE, "stderr": subprocess.PIPE, "text": True}
        builders.append(
            subprocess.Popen([sys.executable, *map(str, args)], cwd=ROOT, env=env, **pipes)
        )
    go.touch()  # both start building now
    results = [builder.communicate(timeout=300) for builder in builders]
    for builder, (out, err) in zip(builders, results, strict=True):
        assert builder.returncode == 0, err
        assert out.splitlines()[-1].startswith("full ")  # after Pelican's own lines
    assert listing(locale) == before
    for name in ("test-output", "output"):
        assert (tmp_path / name / "ko" / "index.html").is_file()


def test_a_build_reads_no_compiled_catalog(tmp_path, locale):
    """A build compiles the .po itself: with no .mo in locale/ it succeeds and writes none,
    and a stale .mo there is neither read nor removed."""
    (locale / KO).with_suffix(".mo").write_bytes(b"stale")
    before = listing(locale)
    output = build_site(tmp_path / "output", I18N_CATALOG_PATH=str(locale))
    assert "<html" in (output / "ko" / "index.html").read_text(encoding="utf-8")
    assert listing(locale) == before
    (locale / KO).with_suffix(".mo").unlink()
    build_site(tmp_path / "output", I18N_CATALOG_PATH=str(locale))
    assert not list(locale.rglob("*.mo"))


def test_compile_replaces_each_mo_in_one_rename(locale):
    """`invoke i18n.compile` writes a new file and renames it over the old .mo: a reader sees
    one or the other whole, never a half-written or missing file; nothing else is left."""
    [mo] = compile_into(locale)
    assert mo == (locale / KO).with_suffix(".mo")
    first = mo.stat().st_ino
    with mo.open("rb") as fileobj:  # a reader holding the old file meanwhile
        assert compile_into(locale) == [mo]
        assert read_mo(fileobj).locale is not None
    assert mo.stat().st_ino != first  # a new file, not the old one rewritten in place
    assert mo.stat().st_mode & 0o777 == 0o644
    assert sorted(p.name for p in mo.parent.iterdir()) == ["messages.mo", "messages.po"]
    with mo.open("rb") as fileobj:
        assert read_mo(fileobj)["Tags:"].string == "태그:"


def test_compile_removes_the_mo_of_a_broken_catalog(locale):
    """`invoke i18n.compile` on a broken catalog removes its .mo: no stale one survives."""
    [mo] = compile_into(locale)
    po = locale / KO
    po.write_text(po.read_text(encoding="utf-8").replace('msgstr "태그:"', 'msgstr ""', 1),
                  encoding="utf-8")  # fmt: skip
    with pytest.raises(CatalogError) as failure:
        compile_into(locale)
    assert "'Tags:' has no translation" in str(failure.value)
    assert not mo.exists()


def test_a_broken_catalog_still_stops_the_build(tmp_path, locale):
    """A stale .mo in locale/ does not hide a broken .po from the build."""
    compile_into(locale)
    po = locale / KO
    po.write_text(po.read_text(encoding="utf-8").replace('msgstr "태그:"', 'msgstr ""', 1),
                  encoding="utf-8")  # fmt: skip
    with pytest.raises(BuildError) as failure:
        build_site(tmp_path / "output", I18N_CATALOG_PATH=str(locale))
    assert any("'Tags:' has no translation" in problem for problem in failure.value.problems)
