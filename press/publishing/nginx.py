"""The nginx configuration for serving the site yourself, from the settings.

`invoke nginx` writes it to deploy/nginx.conf (from publishconf.py); a test keeps that file
equal to what this module renders, and another serves a build with it from a real nginx.
"""

import re
from urllib.parse import urlsplit

from press.core.settings import Settings, onion_location_of
from press.publishing.deploy import Remote, parse_target
from press.safety.headers import nginx_headers

DEFAULT_ROOT = "/var/www/ffhr"  # an rsync deploy's target when DEPLOY sets none
# Where the onion mirror's server listens: on this machine only, for tor to forward to
# (torrc: `HiddenServicePort 80 127.0.0.1:8080`); never reachable from the internet.
ONION_LISTEN = "127.0.0.1:8080"
PREAMBLE = """\
# FFHR: the nginx configuration for serving the site yourself.
# Generated from publishconf.py by `invoke nginx`: change the settings, not this file
# (a test fails when the two differ).
#
# Publish with `make publish`, deploy with `invoke deploy --to rsync --target {target}`
# (releases with a `current` link), then include this file in the `http {{ }}` block of
# nginx.conf (Debian: put it in /etc/nginx/conf.d/ffhr.conf), check server_name and the
# certificate paths, and reload nginx. tests/test_nginx.py runs it for real on 127.0.0.1.
#
# The security headers are the settings' SECURITY_HEADERS, plus HSTS, which only a server
# can send.
"""
ONION_PREAMBLE = """\
# FFHR: the nginx configuration of the onion mirror, which tor forwards its visitors to.
# Generated from publishconf.py by `invoke nginx --mirror onion`: change the settings, not
# this file.
#
# Publish with `invoke publish --mirror onion`, deploy its build into {target}
# (`invoke deploy --targets <the target with site "onion">`), include this file in the
# `http {{ }}` block of nginx.conf, and point the onion service at it in torrc:
#     HiddenServicePort 80 {listen}
#
# Plain http: Tor itself encrypts and authenticates the way to an onion address, so no
# certificate, no move to https, no HSTS; and no Onion-Location, which would name itself.
"""


def nginx_config(
    settings: Settings, *, root: str = "", server_name: str = "", listen: str = ""
) -> str:
    """The nginx server blocks serving a build of `settings` from `root`.

    `/` goes to the first of the reader's Accept-Language languages the site has, else
    shows the landing page's chooser; a missing page gets its language's 404 page, outside
    every language's folder DEFAULT_LANG's. Over https (with a plain-http server moving
    every request there) unless `listen` (such as `127.0.0.1:8080`) asks for plain http.
    """
    target = _release_target(settings)
    folder = parse_target(target)
    # nginx runs on the host a target over ssh names: the root is the folder there.
    root = root or f"{folder.path if isinstance(folder, Remote) else folder}/current"
    server_name = server_name or urlsplit(settings["SITEURL"]).hostname or "localhost"
    languages = list(settings["I18N_LANGUAGES"])
    default = settings["DEFAULT_LANG"]
    # The onion mirror's own server: plain http behind Tor, so no HSTS, and no Onion-Location
    # pointing at itself; the public site's sends both.
    mirror = bool(settings["MIRROR_OF"])
    onion, hsts = onion_location_of(settings), not mirror
    listen = listen or (ONION_LISTEN if mirror else "")
    preamble = ONION_PREAMBLE if mirror else PREAMBLE
    lines = [preamble.format(target=target, listen=listen), *_language_maps(languages), ""]
    if listen:
        lines += ["server {", f"    listen {listen};", f"    server_name {server_name};"]
    else:
        lines += [
            "# Every http:// request moves to https://",
            "server {",
            "    listen 80;",
            "    listen [::]:80;",
            f"    server_name {server_name};",
            "    return 301 https://$host$request_uri;",
            "}",
            "",
            "server {",
            "    listen 443 ssl;",
            "    listen [::]:443 ssl;",
            "    http2 on;",
            f"    server_name {server_name};",
            f"    ssl_certificate /etc/letsencrypt/live/{server_name}/fullchain.pem;",
            f"    ssl_certificate_key /etc/letsencrypt/live/{server_name}/privkey.pem;",
        ]
    lines += [
        "",
        f"    root {root};",
        "    index index.html;",
        "    charset utf-8;",
        "    charset_types text/css application/xml application/atom+xml text/plain;",
        "    server_tokens off;",
        "    # No access log: who read what, and from where, is what readers must not leave.",
        "    access_log off;",
        "",
        "    gzip on;",
        "    gzip_types text/css application/xml application/atom+xml text/plain image/svg+xml;",
        "",
        "    # Headers here are inherited by every location below, as long as none adds its own.",
        *(f"    {line}" for line in nginx_headers(settings["SECURITY_HEADERS"], onion, hsts)),
        "",
        "    location = / {",
        "        # The language chooser for those whose browser asks for none of the site's.",
        '        if ($ffhr_language != "") {',
        "            return 302 /$ffhr_language/;",
        "        }",
        "        expires -1;",
        "        try_files /index.html =404;",
        "    }",
    ]
    for lang in languages:
        lines += [
            "",
            f"    location /{lang}/ {{",
            f"        error_page 404 /{lang}/404.html;",
            "        try_files $uri $uri/ =404;",
            "    }",
        ]
    lines += [
        "",
        "    location / {",
        f"        error_page 404 /{default}/404.html;",
        "        try_files $uri $uri/ =404;",
        "    }",
        "",
        r"    location ~* \.(?:css|jpe?g|png|webp)$ {",
        "        expires 7d;",
        "        try_files $uri =404;",
        "    }",
        "",
        "    # Files of other hosts' conventions are not served as pages.",
        "    location ~ ^/_(?:headers|redirects)$ {",
        "        return 404;",
        "    }",
        "}",
    ]
    return "\n".join(lines) + "\n"


def _release_target(settings: Settings) -> str:
    """The folder of releases nginx serves: the onion mirror's is the first rsync target of
    DEPLOY['TARGETS'] with site "onion"; the public site's is DEPLOY['RSYNC']'s."""
    if settings["MIRROR_OF"]:
        for target in settings["DEPLOY"]["TARGETS"].values():
            if target.get("site") == "onion" and target["to"] == "rsync":
                return target["target"]
        return f"{DEFAULT_ROOT}-onion"
    return settings["DEPLOY"]["RSYNC"]["target"] or DEFAULT_ROOT


def _language_maps(languages: list[str]) -> list[str]:
    """Two maps: the first of the reader's languages the site has, then its folder's name."""
    # Longest first, so that a code is never taken for the start of a longer one.
    codes = "|".join(re.escape(lang) for lang in sorted(languages, key=len, reverse=True))
    # The fewest whole entries of the list (lazy *?) before a language of the site: the
    # reader's first choice among them, in the order their browser sends.
    pattern = rf"~*^(?:[^,]*,)*?\s*(?<ffhr_tag>{codes})(?:[-;,\s]|$)"
    return [
        "# The first of the reader's Accept-Language languages the site has: / sends them there.",
        "map $http_accept_language $ffhr_accept {",
        '    default "";',
        f'    "{pattern}" $ffhr_tag;',
        "}",
        "# Its folder's name, whichever case the browser wrote it in.",
        "map $ffhr_accept $ffhr_language {",
        '    default "";',
        *(f'    "~*^{re.escape(lang)}$" {lang};' for lang in languages),
        "}",
    ]
