"""Security headers, as HTTP headers for hosts that send them and as <meta> for the rest."""

# Directives a <meta http-equiv> policy cannot carry (browsers ignore them there); and
# script-src, which the header has for the feeds' XSLT alone (browsers load it as a script):
# left out of the pages' <meta>, default-src 'none' forbids them every script.
HEADER_ONLY_DIRECTIVES = ("frame-ancestors", "report-uri", "report-to", "sandbox", "script-src")


def meta_policy(policy: str) -> str:
    """The part of a Content-Security-Policy that works in a <meta> tag."""
    directives = [d.strip() for d in policy.split(";") if d.strip()]
    return "; ".join(d for d in directives if d.split()[0] not in HEADER_ONLY_DIRECTIVES)


def netlify_headers(headers: dict[str, str]) -> str:
    """A `_headers` file (Netlify, Cloudflare Pages) sending `headers` with every file."""
    lines = ["/*"] + [f"  {name}: {value}" for name, value in headers.items()]
    return "\n".join(lines) + "\n"


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


def nginx_headers(headers: dict[str, str]) -> list[str]:
    """nginx `add_header` lines sending `headers` and HSTS with every response, errors too."""
    sent = {**headers, "Strict-Transport-Security": STRICT_TRANSPORT_SECURITY}
    quoted = {name: value.replace("\\", "\\\\").replace('"', '\\"') for name, value in sent.items()}
    return [f'add_header {name} "{value}" always;' for name, value in quoted.items()]
