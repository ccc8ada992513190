"""The signed offline edition: minisign signatures of the ZIP and of its SHA256SUMS, made with
a key outside the repository that matches the committed public key, checked by `minisign`
itself and by `invoke verify`, the same bytes from any folder."""

import os
import re
import shutil
import subprocess
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import minisign
import pytest

from built import file_for, parse, resolve
from conftest import FIXTURE_CONTENT, ROOT, copy_project, fixture_publish_settings, run_invoke
from press.build.offline import TOP, build_offline
from press.build.pipeline import read_settings
from press.build.publication import NotSigned, publish
from press.core.problems import Kind
from press.publishing.edition import MANIFEST, MANIFEST_SIGNATURE, verify_edition
from press.publishing.signing import (
    Edition,
    SigningError,
    check_publication_key,
    edition_of,
    environment_password,
    generate_key_pair,
    load_signing_key,
    newest_source_date,
    read_public_key,
)

KO_PO = ROOT / "locale" / "ko" / "LC_MESSAGES" / "messages.po"
MINISIGN = shutil.which("minisign")
PUBLIC_KEY = Path("keys") / "offline-edition.pub"  # pelicanconf.py's, in a project


def needs_minisign():
    """Skip without the minisign tool here; fail in CI, where .ci/run installs it."""
    if MINISIGN is None:
        reason = "minisign is not installed (Debian: apt-get install minisign)"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)


def minisign_verifies(file: Path, public_key: Path, signature: Path | None = None) -> bool:
    """Whether the minisign tool accepts `file`'s signature (beside it, or `signature`)."""
    needs_minisign()
    command = [MINISIGN, "-V", "-m", str(file), "-p", str(public_key)]
    if signature is not None:
        command += ["-x", str(signature)]
    return subprocess.run(command, capture_output=True, check=False).returncode == 0


def project_settings(project: Path) -> Path:
    """A publishconf.py in `project` for the fixture site, with the project's public key."""
    return fixture_publish_settings(
        project, OFFLINE_EDITION_PAGE="pages/about", OFFLINE_EDITION_PUBLIC_KEY=str(PUBLIC_KEY)
    )


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    """A project (the repository's stand-in) with a committed public key, its secret key kept
    outside it; and a signed offline edition of the fixture site in its dist/."""
    folder = tmp_path_factory.mktemp("signing")
    root = folder / "project"
    settings = project_settings(root)
    secret = folder / "secrets" / "offline-edition.key"
    generate_key_pair(secret, root / PUBLIC_KEY, root)
    key = load_signing_key(secret, root / PUBLIC_KEY, root)
    zip_path = build_offline(settings, root / "dist" / "ffhr-offline.zip", signing_key=key)
    return {"root": root, "settings": settings, "secret": secret, "key": key, "zip": zip_path,
            "public_key": root / PUBLIC_KEY}  # fmt: skip


def unpacked(zip_path: Path, folder: Path) -> Path:
    """The edition unpacked into `folder`, as a reader unpacks it; its top folder."""
    with zipfile.ZipFile(zip_path) as archive:
        archive.extractall(folder)
    return folder / TOP


def test_minisign_accepts_both_signatures(project, tmp_path):
    """`minisign -V` accepts the ZIP's signature beside it and SHA256SUMS's inside it."""
    zip_path, public_key = project["zip"], project["public_key"]
    assert zip_path.with_name("ffhr-offline.zip.minisig").is_file()
    assert minisign_verifies(zip_path, public_key)
    site = unpacked(zip_path, tmp_path)
    assert minisign_verifies(site / MANIFEST, public_key, site / MANIFEST_SIGNATURE)
    # And refuses them for other bytes.
    (site / MANIFEST).write_text("changed\n", encoding="utf-8")
    assert not minisign_verifies(site / MANIFEST, public_key, site / MANIFEST_SIGNATURE)


def test_verify_accepts_a_sound_copy_zipped_or_unpacked(project, tmp_path):
    """The signed ZIP, and the folder unpacked from it, pass with both signatures checked."""
    public_key = read_public_key(project["public_key"])
    report = verify_edition(project["zip"], public_key)
    assert report.problems == []
    assert len(report.signatures) == 2 and report.files > 10
    site = unpacked(project["zip"], tmp_path)
    for folder in (site, tmp_path):  # the edition's folder, or the one it was unpacked into
        report = verify_edition(folder, public_key)
        assert report.problems == [] and len(report.signatures) == 1


def test_verify_names_each_file_changed_added_or_removed(project, tmp_path):
    """A changed, an added and a removed file are each a problem of their own kind, by name."""
    public_key = read_public_key(project["public_key"])
    site = unpacked(project["zip"], tmp_path / "copy")
    (site / "en" / "index.html").write_text("<p>Changed</p>", encoding="utf-8")
    (site / "en" / "extra.html").write_text("<p>Added</p>", encoding="utf-8")
    (site / "README.txt").unlink()
    problems = verify_edition(site, public_key).problems
    found = {(p.kind, p.path.rpartition(f"{TOP}/")[2]) for p in problems}
    assert found == {
        (Kind.EDITION_CHANGED, "en/index.html"),
        (Kind.EDITION_ADDED, "en/extra.html"),
        (Kind.EDITION_MISSING, "README.txt"),
    }


def test_verify_refuses_a_zip_changed_after_signing(project, tmp_path):
    """A ZIP rewritten with one page changed fails its own signature and names the page; a
    ZIP without its signature beside it is not signed."""
    public_key = read_public_key(project["public_key"])
    changed = tmp_path / "ffhr-offline.zip"
    with zipfile.ZipFile(project["zip"]) as source, zipfile.ZipFile(changed, "w") as target:
        for member in source.infolist():
            data = source.read(member)
            if member.filename == f"{TOP}/en/index.html":
                data = data.replace(b"</body>", b"<p>injected</p></body>")
            target.writestr(member, data)
    shutil.copyfile(f"{project['zip']}.minisig", f"{changed}.minisig")
    problems = verify_edition(changed, public_key).problems
    found = {(p.kind, p.path.rpartition("/")[2]) for p in problems}
    assert found == {(Kind.EDITION_SIGNATURE, "ffhr-offline.zip"),
                     (Kind.EDITION_CHANGED, "index.html")}  # fmt: skip
    Path(f"{changed}.minisig").unlink()
    shutil.copyfile(project["zip"], changed)
    kinds = [p.kind for p in verify_edition(changed, public_key).problems]
    assert kinds == [Kind.EDITION_SIGNATURE]


def test_invoke_verify_exits_non_zero_naming_what_differs(project, tmp_path):
    """`invoke verify` passes a sound copy, and fails a changed one naming the file."""
    key = str(project["public_key"])
    sound = run_invoke(ROOT, "verify", str(project["zip"]), "--key", key)
    assert sound.returncode == 0, sound.stderr
    site = unpacked(project["zip"], tmp_path)
    (site / "ko" / "index.html").write_text("changed", encoding="utf-8")
    (site / "en" / "added.txt").write_text("added", encoding="utf-8")
    failed = run_invoke(ROOT, "verify", str(site), "--key", key)
    assert failed.returncode == 1
    assert "ko/index.html" in failed.stderr and "en/added.txt" in failed.stderr


def test_a_key_that_does_not_match_the_committed_one_is_refused(project, tmp_path):
    """Another key pair's secret key is refused, to sign and to publish; nothing is written."""
    other = tmp_path / "other.key"
    generate_key_pair(other, tmp_path / "other.pub", tmp_path / "elsewhere")
    with pytest.raises(SigningError):
        load_signing_key(other, project["public_key"], project["root"])
    stranger = load_signing_key(other, tmp_path / "other.pub", tmp_path / "elsewhere")
    settings = {"OFFLINE_EDITION_PUBLIC_KEY": str(project["public_key"])}
    with pytest.raises(SigningError):
        check_publication_key(settings, stranger)
    output = tmp_path / "output"
    with pytest.raises(NotSigned):
        publish(project["settings"], output, signing_key=stranger)
    assert not output.exists()


def test_a_secret_key_inside_the_repository_is_refused(project, tmp_path):
    """Inside the working tree, directly or by a link either way, a secret key is refused;
    keygen makes none there."""
    root, secret, public_key = project["root"], project["secret"], project["public_key"]
    inside = root / "keys" / "offline-edition.key"
    shutil.copyfile(secret, inside)
    link_out = tmp_path / "link.key"
    link_out.symlink_to(inside)  # a name outside, for a file inside
    link_in = root / "secret-link.key"
    link_in.symlink_to(secret)  # a name inside, for a file outside
    try:
        for path in (inside, link_out, link_in):
            with pytest.raises(SigningError):
                load_signing_key(path, public_key, root)
        with pytest.raises(SigningError):
            generate_key_pair(root / "new.key", tmp_path / "new.pub", root)
        assert not (root / "new.key").exists() and not (tmp_path / "new.pub").exists()
    finally:
        inside.unlink()
        link_in.unlink()
    assert load_signing_key(secret, public_key, root).key_id == project["key"].key_id


def test_publish_refuses_an_unsigned_edition_once_a_key_is_committed(project, tmp_path):
    """With a public key committed, `make publish` without SIGNING_KEY_FILE stops, non-zero,
    before it builds anything: output/ is not touched."""
    output = tmp_path / "output"
    with pytest.raises(NotSigned):
        publish(project["settings"], output)
    assert not output.exists()
    copy = copy_project(tmp_path / "copy", FIXTURE_CONTENT)
    (copy / "keys").mkdir()
    shutil.copyfile(project["public_key"], copy / PUBLIC_KEY)
    (copy / "output").mkdir()
    (copy / "output" / "index.html").write_text("the site as it was", encoding="utf-8")
    refused = run_invoke(copy, "publish")
    assert refused.returncode == 1
    assert [p.name for p in (copy / "output").iterdir()] == ["index.html"]
    assert (copy / "output" / "index.html").read_text(encoding="utf-8") == "the site as it was"
    # A wrong SIGNING_KEY_FILE is no better than none.
    wrong = run_invoke(copy, "publish", env={"SIGNING_KEY_FILE": str(tmp_path / "none.key")})
    assert wrong.returncode == 1
    assert [p.name for p in (copy / "output").iterdir()] == ["index.html"]


def test_an_unsigned_edition_leaves_no_old_signature_beside_it(project, tmp_path):
    """Built again without a key, the ZIP has no .minisig beside it nor inside."""
    target = tmp_path / "ffhr-offline.zip"
    shutil.copyfile(f"{project['zip']}.minisig", f"{target}.minisig")
    build_offline(project["settings"], target)
    assert not Path(f"{target}.minisig").exists()
    with zipfile.ZipFile(target) as archive:
        assert f"{TOP}/{MANIFEST}" in archive.namelist()
        assert f"{TOP}/{MANIFEST_SIGNATURE}" not in archive.namelist()


def test_keys_made_by_minisign_sign_for_us(tmp_path):
    """A key pair made by `minisign -G`, with a password or without, signs what minisign
    accepts; a wrong password is refused."""
    needs_minisign()
    data = tmp_path / "SHA256SUMS"
    data.write_text("0" * 64 + "  index.html\n", encoding="ascii")
    for name, password in (("plain", None), ("protected", "correct horse")):
        secret, public = tmp_path / f"{name}.key", tmp_path / f"{name}.pub"
        command = [MINISIGN, "-G", "-p", str(public), "-s", str(secret)]
        given = None if password is None else f"{password}\n{password}\n"
        subprocess.run(command + (["-W"] if password is None else []), input=given,
                       text=True, capture_output=True, check=True)  # fmt: skip
        key = load_signing_key(secret, public, tmp_path / "repository", lambda p=password: p)
        signature = tmp_path / f"{name}.minisig"
        signature.write_bytes(key.sign(data.read_bytes(), data.name))
        assert minisign_verifies(data, public, signature)
    with pytest.raises(SigningError):
        load_signing_key(secret, public, tmp_path / "repository", lambda: "wrong")
    with pytest.raises(SigningError):  # protected, and no password given
        load_signing_key(secret, public, tmp_path / "repository")


def test_our_password_protected_key_works_with_minisign(tmp_path):
    """A key pair `invoke keygen` makes with a password is minisign's encrypted format:
    minisign signs with it given the password, and we decrypt it with the same one."""
    needs_minisign()
    secret, public = tmp_path / "secret" / "ours.key", tmp_path / "ours.pub"
    generate_key_pair(secret, public, tmp_path / "repository", password="s3cret")
    assert secret.stat().st_mode & 0o777 == 0o600
    data = tmp_path / "file.txt"
    data.write_text("hello\n", encoding="ascii")
    subprocess.run([MINISIGN, "-S", "-s", str(secret), "-m", str(data)], input="s3cret\n",
                   text=True, capture_output=True, check=True)  # fmt: skip
    assert minisign_verifies(data, public)
    key = load_signing_key(secret, public, tmp_path / "repository", lambda: "s3cret")
    assert key.key_id in public.read_text(encoding="ascii")
    with pytest.raises(SigningError):  # never written over
        generate_key_pair(secret, public, tmp_path / "repository")


def test_two_clones_at_different_paths_sign_the_same_bytes(project, tmp_path):
    """`invoke keygen` in one copy of the project, `invoke offline` with its key in two copies
    at different paths: the same ZIP and the same signature, accepted by minisign in both."""
    first = copy_project(tmp_path / "a" / "ffhr", FIXTURE_CONTENT)
    second = copy_project(tmp_path / "somewhere" / "else" / "site", FIXTURE_CONTENT)
    secret = tmp_path / "keys" / "offline-edition.key"
    made = run_invoke(first, "keygen", "--secret", str(secret), env={"SIGNING_KEY_PASSWORD": "pw"})
    assert made.returncode == 0, made.stderr
    (second / "keys").mkdir()
    shutil.copyfile(first / PUBLIC_KEY, second / PUBLIC_KEY)
    public_key = (first / PUBLIC_KEY).read_bytes()
    # A second key pair would replace the site's key: refused without --replace.
    other = tmp_path / "keys" / "other.key"
    refused = run_invoke(first, "keygen", "--secret", str(other))
    assert refused.returncode == 1 and not other.exists()
    again = run_invoke(first, "keygen", "--secret", str(secret), "--replace")
    assert again.returncode == 1  # a secret key is never written over
    inside = run_invoke(first, "keygen", "--secret", "./new.key", "--replace")
    assert inside.returncode == 1 and not (first / "new.key").exists()
    assert "--secret" in inside.stderr  # the advice is keygen's, not SIGNING_KEY_FILE's
    assert (first / PUBLIC_KEY).read_bytes() == public_key
    # An empty SIGNING_KEY_PASSWORD is no password: the key is refused as needing one.
    empty = run_invoke(first, "offline", env={"SIGNING_KEY_FILE": str(secret),
                                              "SIGNING_KEY_PASSWORD": ""})  # fmt: skip
    assert empty.returncode == 1 and "SIGNING_KEY_PASSWORD" in empty.stderr
    env = {"SIGNING_KEY_FILE": str(secret), "SIGNING_KEY_PASSWORD": "pw"}
    built = []
    for copy in (first, second):
        result = run_invoke(copy, "offline", env=env)
        assert result.returncode == 0, result.stderr
        zip_path = copy / "dist" / "ffhr-offline.zip"
        assert minisign_verifies(zip_path, copy / PUBLIC_KEY)
        built.append((zip_path.read_bytes(), Path(f"{zip_path}.minisig").read_bytes()))
    assert built[0] == built[1]
    # Rotating the key on purpose: --replace makes a new pair and a new public key.
    rotated = run_invoke(first, "keygen", "--secret", str(other), "--replace")
    assert rotated.returncode == 0, rotated.stderr
    assert other.is_file() and (first / PUBLIC_KEY).read_bytes() != public_key


@pytest.fixture(scope="module")
def published(project):
    """The fixture site published with the signed edition offered on its About page."""
    output = project["root"] / "output"
    return publish(project["settings"], output, signing_key=project["key"]).output


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_the_page_shows_the_public_key_and_how_to_check(project, published, lang):
    """Each language's page shows the committed public key as text, links the published
    signature, and gives the minisign command with that key, in the page's language."""
    from babel.messages.pofile import read_po

    zip_file = published / "offline" / "ffhr-offline.zip"
    signature = published / "offline" / "ffhr-offline.zip.minisig"
    key_line = project["public_key"].read_text(encoding="ascii").splitlines()[1]
    page = file_for(published, f"{lang}/about/")
    (section,) = parse(page).xpath("//section[contains(@class, 'offline-edition')]")
    assert section.xpath("string(.//pre[contains(@class, 'public-key')])").strip() == key_line
    assert signature in [resolve(published, page, href) for href in section.xpath(".//a/@href")]
    command = section.xpath("string(.//pre[contains(@class, 'verify')])").strip()
    assert command == f"minisign -Vm ffhr-offline.zip -P {key_line}"
    for system in ("Windows", "macOS", "Linux", "Android"):
        assert system in section.text_content()
    if lang == "ko":
        with KO_PO.open("rb") as fileobj:
            heading = read_po(fileobj)["Check its signature"].string
        assert section.xpath("string(.//h3)").strip() == heading
    # What the page offers is sound: minisign and `invoke verify` accept it.
    assert minisign_verifies(zip_file, project["public_key"])
    report = verify_edition(zip_file, read_public_key(project["public_key"]))
    assert report.problems == [] and len(report.signatures) == 2


def comment_of(signature: bytes) -> str:
    """The trusted comment of a .minisig file's bytes."""
    return minisign.Signature.from_bytes(signature).trusted_comment


def test_the_signature_names_the_edition_not_a_time(project):
    """Outside a git checkout, the trusted comment names the file and the newest date of the
    content's sources: never the time of signing."""
    settings = read_settings(project["settings"])
    newest = newest_source_date(settings)
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", newest)
    assert newest < datetime.now(UTC).date().isoformat()  # the fixture's, not the clock's
    outer = comment_of(Path(f"{project['zip']}.minisig").read_bytes())
    assert outer == f"file:ffhr-offline.zip\tedition:{newest}"
    with zipfile.ZipFile(project["zip"]) as archive:
        inner = archive.read(f"{TOP}/{MANIFEST_SIGNATURE}")
    assert comment_of(inner) == f"file:{MANIFEST}\tedition:{newest}"
    assert inner.count(b"\n") == 4  # minisign's four lines
    # minisign shows readers which edition they hold.
    needs_minisign()
    shown = subprocess.run([MINISIGN, "-V", "-m", str(project["zip"]), "-p",
                            str(project["public_key"])], capture_output=True, text=True,
                           check=True)  # fmt: skip
    assert f"edition:{newest}" in shown.stdout


def git(repository: Path, *args: str, date: str = "") -> str:
    """git's output in `repository` (commits by a test author, at `date` if given)."""
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"}  # fmt: skip
    if date:
        env.update(GIT_AUTHOR_DATE=date, GIT_COMMITTER_DATE=date)
    return subprocess.run(["git", *args], cwd=repository, env=env, capture_output=True,
                          text=True, check=True).stdout.strip()  # fmt: skip


def test_a_checkout_signs_its_commit_and_the_commit_date(project, tmp_path):
    """In a git checkout the edition is the commit's committer date and id, whatever the
    clock says; uncommitted changes to the sources mark it -dirty. Signed, minisign accepts
    it and the comment carries both."""
    settings = read_settings(project["settings"])
    repository = tmp_path / "repository"
    (repository / "content").mkdir(parents=True)
    (repository / "content" / "a.md").write_text("Title: A\n", encoding="utf-8")
    git(repository, "init", "-q")
    git(repository, "add", ".")
    git(repository, "commit", "-qm", "first", date="2025-06-01T12:00:00+00:00")
    head = git(repository, "rev-parse", "HEAD")
    edition = edition_of(repository, settings)
    assert edition == Edition("2025-06-01", head[:12])
    (repository / "content" / "b.md").write_text("Title: B\n", encoding="utf-8")
    assert edition_of(repository, settings) == Edition("2025-06-01", f"{head[:12]}-dirty")
    data = tmp_path / "ffhr-offline.zip"
    data.write_bytes(b"an edition")
    signature = tmp_path / "ffhr-offline.zip.minisig"
    signature.write_bytes(project["key"].sign(data.read_bytes(), data.name, edition))
    assert comment_of(signature.read_bytes()) == (
        f"file:ffhr-offline.zip\tedition:2025-06-01\tcommit:{head[:12]}"
    )
    assert minisign_verifies(data, project["public_key"], signature)
    # Outside any checkout: the content's newest date, and no commit.
    assert edition_of(tmp_path / "elsewhere", settings).commit is None


def test_keygen_never_replaces_the_committed_public_key_unasked(tmp_path):
    """A public key already there is kept, and no secret key made, unless replace is given."""
    repository, public = tmp_path / "repository", tmp_path / "repository" / PUBLIC_KEY
    first = generate_key_pair(tmp_path / "first.key", public, repository)
    before = public.read_bytes()
    with pytest.raises(SigningError):
        generate_key_pair(tmp_path / "second.key", public, repository)
    assert public.read_bytes() == before and not (tmp_path / "second.key").exists()
    second = generate_key_pair(tmp_path / "second.key", public, repository, replace=True)
    assert second != first and read_public_key(public).to_base64() != before.splitlines()[1]


def test_an_unprotected_secret_key_readable_by_others_is_refused(tmp_path):
    """Without a password, a key readable by group or others is refused, as ssh refuses it,
    until it is chmod 600; with a password (vfat sticks show every file readable) it signs."""
    repository = tmp_path / "repository"
    plain, public = tmp_path / "plain.key", tmp_path / "plain.pub"
    generate_key_pair(plain, public, repository)
    for mode in (0o644, 0o640, 0o604):
        plain.chmod(mode)
        with pytest.raises(SigningError, match="chmod 600"):
            load_signing_key(plain, public, repository)
    plain.chmod(0o600)
    assert load_signing_key(plain, public, repository).key_id in public.read_text("ascii")
    protected, protected_public = tmp_path / "protected.key", tmp_path / "protected.pub"
    generate_key_pair(protected, protected_public, repository, password="pw")
    protected.chmod(0o644)
    assert load_signing_key(protected, protected_public, repository, lambda: "pw")


def test_an_empty_password_variable_is_no_password(tmp_path):
    """SIGNING_KEY_PASSWORD= (an unset repository secret) is read as no password at all."""
    assert environment_password({"SIGNING_KEY_PASSWORD": ""}, "SIGNING_KEY_PASSWORD") is None
    assert environment_password({}, "SIGNING_KEY_PASSWORD") is None
    assert environment_password({"SIGNING_KEY_PASSWORD": "pw"}, "SIGNING_KEY_PASSWORD") == "pw"


def test_an_empty_secret_key_file_is_refused_as_empty(tmp_path):
    """An empty key file (an unset secret written out) is a SigningError, not a parse error."""
    public = tmp_path / "key.pub"
    generate_key_pair(tmp_path / "key.key", public, tmp_path / "repository")
    empty = tmp_path / "empty.key"
    empty.write_text("\n", encoding="ascii")
    empty.chmod(0o600)
    with pytest.raises(SigningError, match="empty"):
        load_signing_key(empty, public, tmp_path / "repository")


def test_an_unsigned_publish_names_the_missing_variable(project, tmp_path):
    """The refusal's cause is SIGNING_KEY_FILE, not the settings file."""
    with pytest.raises(NotSigned) as refused:
        publish(project["settings"], tmp_path / "output")
    (problem,) = refused.value.problems
    assert problem.startswith("SIGNING_KEY_FILE") and str(project["settings"]) not in problem


# What an attacker-tester found `invoke verify` did with a copy made to mislead or hurt it.


def found(report, cut=""):
    """Each problem of `report` as (kind, path), the path after `cut` if it holds it."""
    return {(p.kind, p.path.rpartition(cut)[2] if cut else p.path) for p in report.problems}


def zip_copy(project, folder: Path, signed=True) -> Path:
    """A copy of the signed ZIP in `folder`, with its .minisig beside it if `signed`."""
    folder.mkdir(parents=True, exist_ok=True)
    copy = folder / "ffhr-offline.zip"
    shutil.copyfile(project["zip"], copy)
    if signed:
        shutil.copyfile(f"{project['zip']}.minisig", f"{copy}.minisig")
    return copy


def signed_zip(project, path: Path, files: dict[str, bytes], sign_zip=True) -> Path:
    """A ZIP at `path` holding `files` in TOP/ with their SHA256SUMS signed by the project's
    key (and the ZIP signed beside it, if `sign_zip`)."""
    import hashlib

    listing = "".join(f"{hashlib.sha256(data).hexdigest()}  {name}\n"
                      for name, data in files.items()).encode()  # fmt: skip
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(f"{TOP}/{name}", data)
        archive.writestr(f"{TOP}/{MANIFEST}", listing)
        archive.writestr(f"{TOP}/{MANIFEST_SIGNATURE}", project["key"].sign(listing, MANIFEST))
    if sign_zip:
        Path(f"{path}.minisig").write_bytes(project["key"].sign(path.read_bytes(), path.name))
    return path


def test_a_damaged_or_cut_short_zip_is_a_problem_naming_it(project, tmp_path):
    """One byte flipped inside a compressed page, or the ZIP cut short: a problem naming the
    ZIP as damaged, no traceback; `invoke verify` exits 1."""
    public_key = read_public_key(project["public_key"])
    damaged = zip_copy(project, tmp_path / "damaged")
    with zipfile.ZipFile(damaged) as archive:
        member = archive.getinfo(f"{TOP}/en/index.html")
    assert member.compress_type == zipfile.ZIP_DEFLATED
    data = bytearray(damaged.read_bytes())
    # The local header: 30 bytes, its name and extra field; then the compressed bytes.
    header = member.header_offset
    name_length = int.from_bytes(data[header + 26 : header + 28], "little")
    extra_length = int.from_bytes(data[header + 28 : header + 30], "little")
    start = header + 30 + name_length + extra_length
    data[start + member.compress_size // 2] ^= 0x55
    damaged.write_bytes(bytes(data))
    report = verify_edition(damaged, public_key)
    shown = report.checked
    assert (Kind.EDITION_DAMAGED, shown) in found(report)
    assert (Kind.EDITION_SIGNATURE, shown) in found(report)  # its bytes are not those signed
    result = run_invoke(ROOT, "verify", str(damaged), "--key", str(project["public_key"]))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    cut = zip_copy(project, tmp_path / "cut")
    cut.write_bytes(project["zip"].read_bytes()[: cut.stat().st_size // 2])
    report = verify_edition(cut, public_key)
    assert found(report) == {(Kind.EDITION_DAMAGED, report.checked),
                             (Kind.EDITION_SIGNATURE, report.checked)}  # fmt: skip


def test_what_is_not_a_file_in_a_copy_is_refused_unopened(project, tmp_path):
    """A FIFO, a socket or a folder where SHA256SUMS lists a file: each refused by name, and
    verify returns (a FIFO opened would wait for a writer forever)."""
    import signal
    import socket

    public_key = read_public_key(project["public_key"])
    site = unpacked(project["zip"], tmp_path / "c")
    (site / "en" / "index.html").unlink()
    os.mkfifo(site / "en" / "index.html")
    (site / "README.txt").unlink()
    (site / "README.txt").mkdir()
    (site / "ko" / "index.html").unlink()
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(site / "ko" / "index.html"))
    signal.alarm(60)  # a hang fails the test, not the run
    try:
        report = verify_edition(site, public_key)
    finally:
        signal.alarm(0)
        server.close()
    assert found(report, f"{TOP}/") == {
        (Kind.EDITION_NOT_A_FILE, "en/index.html"),
        (Kind.EDITION_NOT_A_FILE, "README.txt"),
        (Kind.EDITION_NOT_A_FILE, "ko/index.html"),
    }
    # A FIFO given as the copy, or in place of the .minisig beside a ZIP.
    fifo = tmp_path / "fifo.zip"
    os.mkfifo(fifo)
    assert [p.kind for p in verify_edition(fifo, public_key).problems] == [Kind.OTHER]
    copy = zip_copy(project, tmp_path / "z", signed=False)
    os.mkfifo(f"{copy}.minisig")
    report = verify_edition(copy, public_key)
    assert found(report) == {(Kind.EDITION_SIGNATURE, f"{report.checked}.minisig")}


def test_every_link_in_a_copy_is_refused_by_name(project, tmp_path):
    """A link to a file outside with the same bytes, SHA256SUMS as a link, a dangling link,
    a link to /etc, a linked folder: each is a problem naming it, never a file that passes."""
    public_key = read_public_key(project["public_key"])
    site = unpacked(project["zip"], tmp_path / "c")
    outside = tmp_path / "outside"
    outside.mkdir()
    shutil.move(site / "en" / "index.html", outside / "index.html")
    (site / "en" / "index.html").symlink_to(outside / "index.html")  # the same bytes
    (site / "dangling.html").symlink_to(tmp_path / "nowhere")
    (site / "etc").symlink_to("/etc")
    shutil.move(site / "ko", outside / "ko")
    (site / "ko").symlink_to(outside / "ko")
    assert found(verify_edition(site, public_key), f"{TOP}/") == {
        (Kind.EDITION_NOT_A_FILE, "en/index.html"),
        (Kind.EDITION_NOT_A_FILE, "dangling.html"),
        (Kind.EDITION_NOT_A_FILE, "etc"),
        (Kind.EDITION_NOT_A_FILE, "ko"),  # and not each of its files as missing
    }
    # SHA256SUMS itself a link to a file with its bytes; the edition's folder a link.
    other = unpacked(project["zip"], tmp_path / "d")
    shutil.move(other / MANIFEST, outside / MANIFEST)
    (other / MANIFEST).symlink_to(outside / MANIFEST)
    assert found(verify_edition(other, public_key), f"{TOP}/") == {
        (Kind.EDITION_NOT_A_FILE, MANIFEST)
    }
    holder = tmp_path / "holder"
    holder.mkdir()
    (holder / TOP).symlink_to(unpacked(project["zip"], tmp_path / "e"))
    report = verify_edition(holder, public_key)
    assert found(report, "/") == {(Kind.EDITION_NOT_A_FILE, TOP)}


def test_a_zip_bomb_is_not_unpacked_and_files_are_read_as_streams(project, tmp_path, monkeypatch):
    """A ZIP whose signature failed has no file unpacked past the limits; a SHA256SUMS too
    large is not read; a large file of a sound ZIP is hashed in a few megabytes of memory."""
    import tracemalloc

    from press.publishing import edition

    public_key = read_public_key(project["public_key"])
    big = b"\0" * (80 << 20)  # 80 MiB, some 80 KB compressed
    bomb = signed_zip(project, tmp_path / "bomb.zip", {"index.html": b"<p>hi</p>",
                                                       "big.bin": big}, sign_zip=False)  # fmt: skip
    tracemalloc.start()
    report = verify_edition(bomb, public_key)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert found(report, f"{TOP}/") == {(Kind.EDITION_SIGNATURE, report.checked),
                                        (Kind.EDITION_CHANGED, "big.bin")}  # fmt: skip
    assert peak < 8 << 20
    # Signed, the same file is ours: hashed, a megabyte at a time.
    Path(f"{bomb}.minisig").write_bytes(project["key"].sign(bomb.read_bytes(), bomb.name))
    tracemalloc.start()
    report = verify_edition(bomb, public_key)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert report.problems == [] and report.files == 2
    assert peak < 8 << 20
    # Many files, each under the limit, are unpacked up to the total only.
    monkeypatch.setattr(edition, "UNTRUSTED_TOTAL_LIMIT", 3 << 20)
    files = {f"{n}.bin": b"\0" * (1 << 20) for n in range(6)}
    many = signed_zip(project, tmp_path / "many.zip", files, sign_zip=False)
    kinds = [p.kind for p in verify_edition(many, public_key).problems]
    assert kinds.count(Kind.EDITION_CHANGED) == 1 and kinds.count(Kind.EDITION_SIGNATURE) == 1
    # A SHA256SUMS over its limit is refused before it is read.
    huge = tmp_path / "huge.zip"
    with zipfile.ZipFile(huge, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(f"{TOP}/{MANIFEST}", b"0" * (17 << 20))
    report = verify_edition(huge, public_key)
    assert (Kind.EDITION_CHANGED, f"{report.checked}/{TOP}/{MANIFEST}") in found(report)


def test_verify_names_the_key_it_checked_with(project, tmp_path):
    """The report, and `invoke verify`, name the key's id and file; a signature by another
    key names that key's id."""
    public_key = read_public_key(project["public_key"])
    report = verify_edition(project["zip"], public_key, project["public_key"])
    assert report.problems == []
    assert report.key_id == project["key"].key_id
    assert Path(report.public_key).resolve() == project["public_key"].resolve()
    sound = run_invoke(ROOT, "verify", str(project["zip"]), "--key", str(project["public_key"]))
    assert sound.returncode == 0, sound.stderr
    assert project["key"].key_id in sound.stdout
    other = tmp_path / "other.key"
    other_id = generate_key_pair(other, tmp_path / "other.pub", tmp_path / "elsewhere")
    stranger = load_signing_key(other, tmp_path / "other.pub", tmp_path / "elsewhere")
    copy = zip_copy(project, tmp_path / "copy", signed=False)
    Path(f"{copy}.minisig").write_bytes(stranger.sign(copy.read_bytes(), copy.name))
    report = verify_edition(copy, public_key)
    (problem,) = report.problems
    assert (problem.kind, problem.path) == (Kind.EDITION_SIGNATURE, report.checked)
    assert other_id in problem.message and project["key"].key_id in problem.message


def test_decomposed_names_are_the_same_names(project, tmp_path):
    """A copy whose names are decomposed (NFD, as macOS writes them) is sound: names are
    compared as NFC, and each file read by its real name."""
    import unicodedata

    public_key = read_public_key(project["public_key"])
    name = "글/café.html"  # Hangul and an accent: both decompose
    zip_path = signed_zip(project, tmp_path / "nfc.zip", {name: b"<p>hi</p>"})
    assert verify_edition(zip_path, public_key).problems == []
    site = unpacked(zip_path, tmp_path / "copy")
    decomposed = unicodedata.normalize("NFD", name)
    assert decomposed != name
    (site / unicodedata.normalize("NFD", "글")).mkdir()
    (site / name).rename(site / decomposed)
    (site / "글").rmdir()
    report = verify_edition(site, public_key)
    assert report.problems == [] and report.files == 1
    (site / decomposed).write_bytes(b"<p>changed</p>")
    assert found(verify_edition(site, public_key), f"{TOP}/") == {
        (Kind.EDITION_CHANGED, decomposed)
    }


@pytest.mark.parametrize("size", [0, 1, 50, 150, 300])
def test_a_cut_short_signature_is_named_as_unreadable(project, tmp_path, size):
    """A .minisig cut short or garbage, beside the ZIP or inside the copy, is a problem
    naming that .minisig, not the file it signs."""
    public_key = read_public_key(project["public_key"])
    signature = Path(f"{project['zip']}.minisig").read_bytes()
    copy = zip_copy(project, tmp_path / "z", signed=False)
    Path(f"{copy}.minisig").write_bytes(signature[:size])
    report = verify_edition(copy, public_key)
    assert found(report) == {(Kind.EDITION_SIGNATURE, f"{report.checked}.minisig")}
    site = unpacked(project["zip"], tmp_path / "u")
    inner = site / MANIFEST_SIGNATURE
    inner.write_bytes(inner.read_bytes()[:size] if size < 300 else os.urandom(size))
    assert found(verify_edition(site, public_key), f"{TOP}/") == {
        (Kind.EDITION_SIGNATURE, MANIFEST_SIGNATURE)
    }


def test_what_is_no_copy_is_said_plainly(project, tmp_path):
    """A path that does not exist, a folder holding two copies, a file that is no ZIP; and
    `invoke verify` with no key file there exits 2 without suggesting a new key pair."""
    public_key = read_public_key(project["public_key"])
    missing = verify_edition(tmp_path / "nothing.zip", public_key)
    assert [(p.kind, p.path) for p in missing.problems] == [(Kind.OTHER, missing.checked)]
    two = tmp_path / "two"
    unpacked(project["zip"], two)
    shutil.copytree(two / TOP, two / "second")
    report = verify_edition(two, public_key)
    assert [(p.kind, p.path) for p in report.problems] == [(Kind.OTHER, report.checked)]
    text = tmp_path / "notes.zip"
    text.write_text("not a zip", encoding="utf-8")
    report = verify_edition(text, public_key)
    assert [(p.kind, p.path) for p in report.problems] == [(Kind.OTHER, report.checked)]
    no_key = run_invoke(ROOT, "verify", str(project["zip"]), "--key", str(tmp_path / "none.pub"))
    assert no_key.returncode == 2 and "keygen" not in no_key.stderr


def test_a_link_inside_a_zip_is_refused(project, tmp_path):
    """A ZIP entry marked as a symbolic link (unpacked as one by Unix tools) is refused by
    name, as a link in an unpacked copy is."""
    import stat

    public_key = read_public_key(project["public_key"])
    zip_path = signed_zip(project, tmp_path / "links.zip", {"index.html": b"<p>hi</p>"})
    with zipfile.ZipFile(zip_path, "a") as archive:
        link = zipfile.ZipInfo(f"{TOP}/passwd.html", date_time=(1980, 1, 1, 0, 0, 0))
        link.create_system = 3  # Unix
        link.external_attr = (stat.S_IFLNK | 0o777) << 16
        archive.writestr(link, "/etc/passwd")
    report = verify_edition(zip_path, public_key)
    assert found(report, f"{TOP}/") == {
        (Kind.EDITION_SIGNATURE, report.checked),  # the ZIP changed since it was signed
        (Kind.EDITION_NOT_A_FILE, "passwd.html"),
    }
