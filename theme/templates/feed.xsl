{#- The page a browser shows for a language's Atom feed (the feed names it in an
    <?xml-stylesheet?>): written once per language by the build (press.build.shared), as XSLT
    can't translate. It loads only the site's style sheet; the gate (press.safety.published)
    allows nothing else. Variables: LANG, SITENAME, CSS (the style sheet, from the feed). -#}
<?xml version="1.0" encoding="utf-8"?>
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform" xmlns:atom="http://www.w3.org/2005/Atom" exclude-result-prefixes="atom">
  <xsl:output method="html" encoding="utf-8" indent="yes"/>
  <xsl:template match="/atom:feed">
    <html lang="{{ LANG }}" dir="{{ DIRECTION }}">
      <head>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <meta name="referrer" content="no-referrer"/>
        <meta http-equiv="Content-Security-Policy" content="{{ CSP_META }}"/>
        <title>{{ _("%(site)s: all articles (Atom feed)", site=SITENAME) }}</title>
        <link rel="stylesheet" href="{{ CSS }}"/>
      </head>
      <body>
        <main id="main">
          <h1 class="page-title">{{ _("%(site)s: all articles (Atom feed)", site=SITENAME) }}</h1>
          <p class="feed-about">{{ _("This is a feed: copy this page's address into a feed reader app to be told of new articles without visiting the site. The reader fetches it from this site; no account is needed.") }}</p>
          <p><a href="{atom:link[@rel='alternate']/@href}">{{ _("Go to the site") }}</a></p>
          <ol class="article-list">
            <xsl:for-each select="atom:entry">
              <li class="article-summary">
                <h2 class="article-summary__title"><a href="{atom:link[@rel='alternate']/@href}"><xsl:value-of select="atom:title"/></a></h2>
                <p class="byline"><time datetime="{substring(atom:published, 1, 10)}"><xsl:value-of select="substring(atom:published, 1, 10)"/></time></p>
                <div class="article-summary__text"><xsl:value-of select="atom:summary"/></div>
              </li>
            </xsl:for-each>
          </ol>
        </main>
      </body>
    </html>
  </xsl:template>
</xsl:stylesheet>
