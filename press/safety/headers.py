"""Security headers, as HTTP headers for hosts that send them and as <meta> for the rest;
and Onion-Location, which tells Tor Browser the page's address on the onion service."""

from urllib.parse import quote

# Directives a <meta http-equiv> policy cannot carry (browsers ignore them there); and
# script-src, which the header has for the feeds' XSLT alone (browsers load it as a script):
# left out of the pages' <meta>, default-src 'none' forbids them every script.
HEADER_ONLY_DIRECTIVES = ("frame-ancestors", "report-uri", "report-to", "sandbox", "script-src")


def meta_policy(policy: str) -> str:
    """The part of a Content-Security-Policy that works in a <meta> tag."""
    directives = [d.strip() for d in policy.split(";") if d.strip()]
    return "; ".join(d for d in directives if d.split()[0] not in HEADER_ONLY_DIRECTIVES)


def netlify_headers(headers: dict[str, str], onion_url: str | None = None, pages=()) -> str:
    """A `_headers` file (Netlify, Cloudflare Pages) sending `headers` with every file, and
    with `onion_url`, Onion-Location with each of `pages` (their paths in the output).

    One rule per page, its path written out: both hosts match a rule's path exactly, while
    only Cloudflare documents putting the path a rule matched into a header's value
    (`:splat`), and Netlify would send those letters as they are.
    """
    lines = ["/*"] + [f"  {name}: {value}" for name, value in headers.items()]
    if onion_url:
        for page in sorted(page_path(name) for name in pages):
            lines += ["", page, f"  Onion-Location: {onion_url}{page}"]
    return "\n".join(lines) + "\n"


def onion_location(onion_url: str, name: str) -> str:
    """The page saved as `name` (its path in the build) at the onion service `onion_url`,
    which serves the same paths under its own root."""
    return f"{onion_url}{page_path(name)}"


def page_path(name: str) -> str:
    """The path readers ask for to get the page saved as `name` ("en/x/index.html" is
    "/en/x/"), as a browser sends it: percent-encoded UTF-8 (a Hangul tag's page too)."""
    folder, _, file = f"/{name}".rpartition("/")
    path = f"{folder}/" if file == "index.html" else f"{folder}/{file}"
    return quote(path, safe="/-._~!$&'()*+,;=:@")


def netlify_redirects(languages, default_lang: str) -> str:
    """A `_redirects` file sending / to the reader's language by Accept-Language."""
    lines = [
        "# / goes to the language the reader's browser asks for; others see the chooser.",
        *(f"/  /{lang}/  302  Language={lang}" for lang in languages if lang != default_lang),
        f"/  /{default_lang}/  302  Language={default_lang}",
    ]
    return "\n".join(lines) + "\n"


# HSTS: only a server that answers over https can send it (not `_headers`, not <meta>).
STRICT_TRANSPORT_SECURITY = "max-age=63072000; includeSubDomains"


def nginx_headers(headers: dict[str, str], onion_url: str | None = None, hsts=True) -> list[str]:
    """nginx `add_header` lines sending `headers` and HSTS (unless not `hsts`) with every
    response, errors too; with `onion_url`, Onion-Location with the path of the request."""
    sent = {**headers}
    if hsts:
        sent["Strict-Transport-Security"] = STRICT_TRANSPORT_SECURITY
    if onion_url:
        # $request_uri: the path (and query) as the reader's browser sent it.
        sent["Onion-Location"] = f"{onion_url}$request_uri"
    quoted = {name: value.replace("\\", "\\\\").replace('"', '\\"') for name, value in sent.items()}
    return [f'add_header {name} "{value}" always;' for name, value in quoted.items()]
