"""axe-core finds no WCAG 2.0/2.1 A or AA violation on any template, language or colour scheme."""

import pytest

from .conftest import DESKTOP, PHONE

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# One page of every template, by language; "{first}" is the first folder there in the build.
TEMPLATES = {
    "home": "{lang}/",
    "article": "{lang}/articles/{first}/",
    "page": "{lang}/about/",
    "archives": "{lang}/archives/",
    "categories": "{lang}/categories/",
    "category": "{lang}/categories/{first}/",
    "tags": "{lang}/tags/",
    "tag": "{lang}/tags/{first}/",
    "notfound": "{lang}/404.html",
}
# The pages at the site's root, in every language at once: the landing and status pages.
ROOT_PAGES = {"landing": "", "status": "status/"}


def template_page(site, template: str, lang: str) -> str:
    """The path of one page built from `template` in `lang`."""
    pattern = TEMPLATES[template]
    if "{first}" in pattern:
        folder = site.root / pattern.split("{first}")[0].format(lang=lang)
        first = sorted(path.name for path in folder.iterdir() if path.is_dir())[0]
        return pattern.format(lang=lang, first=first)
    return pattern.format(lang=lang)


def violations(page, axe_source: str) -> list[str]:
    """Run axe-core on the open page; describe each WCAG A/AA violation and where it is."""
    page.add_script_tag(content=axe_source)
    result = page.evaluate(
        "(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags},"
        " resultTypes: ['violations']})",
        WCAG_TAGS,
    )
    ran = {
        rule["id"]
        for kind in ("passes", "violations", "incomplete", "inapplicable")
        for rule in result[kind]
    }
    assert {"html-has-lang", "valid-lang", "html-lang-valid", "color-contrast"} <= ran
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']}: "
        + "; ".join(
            f"{node['target']} {node.get('failureSummary', '')}" for node in violation["nodes"]
        )
        for violation in result["violations"]
    ]


@pytest.mark.parametrize(
    ("template", "lang"),
    [(page, "") for page in ROOT_PAGES]
    + [(template, lang) for template in TEMPLATES for lang in ("en", "ko")],
)
def test_no_wcag_violations(shared_reader, site, axe_source, template, lang):
    """Every template passes axe's WCAG 2 A/AA rules (lang, contrast, names...) on both screens."""
    path = ROOT_PAGES[template] if template in ROOT_PAGES else template_page(site, template, lang)
    problems = []
    # Each screen size once and each colour scheme once: the schemes change only colours,
    # which are the same at every size.
    for viewport, scheme in ((PHONE, "light"), (DESKTOP, "dark")):
        page, response = shared_reader(viewport, scheme).open(path)
        assert response.ok
        problems += [
            f"{viewport['width']} px, {scheme}: {violation}"
            for violation in violations(page, axe_source)
        ]
    assert not problems, f"{path or '/'}:\n" + "\n".join(problems)


def test_axe_finds_violations_when_there_are_some(shared_reader, axe_source):
    """A page made worse on purpose fails: the check above can see what it looks for."""
    page, _ = shared_reader(DESKTOP).open("")
    page.evaluate(
        """() => {
          document.documentElement.removeAttribute("lang");
          const faint = document.createElement("p");
          faint.textContent = "Faint text";
          faint.style.cssText = "color: #ccc; background: #fff";
          document.querySelector("main").append(faint);
        }"""
    )
    found = " ".join(violations(page, axe_source))
    assert "html-has-lang" in found
    assert "color-contrast" in found
