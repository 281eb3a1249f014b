"""The public archive over a real server: browsing, citation routes, the search page, the
language switcher and its cookie, downloads (names, a 10 s French range measured with PyAV),
reach (sitemap, JSON-LD read by extruct, OpenGraph, Atom, robots, favicon, /docs offline),
compression and caching, a crawl of every link; and in a real headless Chromium: the browse
path, the player with its transcript and share link, Arabic, 360 px and axe-core."""

from __future__ import annotations

import gzip
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs, urljoin, urlsplit
from xml.etree import ElementTree as ET

import av
import httpx
import pytest

from hexaglot.app.archive import open_archive
from hexaglot.app.captions import import_captions
from hexaglot.app.importing import import_pages
from hexaglot.app.ingesting import ingest
from hexaglot.app.jobs import work
from hexaglot.web.app import create_app
from hexaglot.web.i18n import LANGUAGES

from .browser_helpers import AXE, HLS_JS, chromium
from .live_server import serving
from .media_helpers import make_media

ROOT = Path(__file__).parents[1]
PAGES = Path(__file__).parent / "fixtures" / "pages"
FRENCH_VTT = ("WEBVTT\n\n00:00:01.000 --> 00:00:03.000\nLe Conseil de sécurité se réunit.\n\n"
              "00:00:06.000 --> 00:00:08.500\nLa coopération régionale est essentielle.\n")
#: A second meeting where Japan speaks too (the delegation's statements across meetings).
SECOND = """Maintenance of International Peace and Security- Security Council, 9601st Meeting

Preview Language:   English
14-Mar-2024 00:58:20
Japan and Malta call for stronger support to regional peacekeeping.

Available Languages: English
English
Other Formats
Council Hears Briefing on Regional Peacekeeping

The representative of Japan said regional arrangements needed predictable support.

The meeting began at 10:00 a.m. and ended at 10:58 a.m.
Personal Subjects
Parent ID
Asset ID
"""


@dataclass(frozen=True)
class Portal:
    base: str
    meeting: str  # the 9512th meeting, with media and French captions
    second: str  # the 9601st meeting, a record only


@pytest.fixture(scope="module")
def portal(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Portal]:
    """One archive (two meetings, one with a 7-track recording and French captions),
    served once for the whole module."""
    tmp = tmp_path_factory.mktemp("portal")
    with pytest.MonkeyPatch.context() as env:
        env.setenv("HEXAGLOT_HOME", str(tmp / "home"))
        for name in ("HEXAGLOT_DATABASE_URL", "HEXAGLOT_QUEUE_URL", "HEXAGLOT_STORAGE_URL"):
            env.delenv(name, raising=False)
        archive = open_archive()
        (tmp / "second.txt").write_text(SECOND)
        meeting, second = import_pages(archive, [PAGES / "sc-meeting.txt", tmp / "second.txt"])
        ingest(archive, make_media(tmp / "meeting.mkv", seconds=12), asset_id=meeting.asset_id)
        assert work(archive, burst=True) >= 1
        (tmp / "fr.vtt").write_text(FRENCH_VTT)
        import_captions(archive, meeting.asset_id, tmp / "fr.vtt", "fr")
        archive.changed()
        with serving(create_app(archive)) as base:
            yield Portal(base, meeting.asset_id, second.asset_id)
        archive.close()


@pytest.fixture
def client(portal: Portal) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=portal.base, timeout=30,
                      headers={"Accept-Language": "en"}) as c:
        yield c


class Links(HTMLParser):
    """The links, scripts, stylesheets and images of a page, and its <html> attributes."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.html: dict[str, str] = {}
        self.anchors: list[dict[str, str]] = []
        self.urls: list[str] = []
        self.ids: set[str] = set()
        self.h1 = 0
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if "id" in a:
            self.ids.add(a["id"])
        if tag == "html":
            self.html = a
        if tag == "h1":
            self.h1 += 1
        if tag == "a" and "href" in a:
            self.anchors.append(a)
        for key in ("href", "src", "poster"):
            if a.get(key):
                self.urls.append(a[key])


def query(url: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}


# ---------------------------------------------------------------- over HTTP

def test_citation_routes_redirect_to_the_meeting(portal: Portal, client: httpx.Client) -> None:
    for path in ("/S/PV.9512", "/sc/9512", "/sc/9512?t=30&hl=fr"):
        r = client.get(path)
        assert r.status_code == 302 and urlsplit(r.headers["location"]).path == \
            f"/assets/{portal.meeting}", path
    assert query(client.get("/sc/9512?t=30&hl=fr").headers["location"]) == {"t": "30", "hl": "fr"}
    for path in ("/S/PV.1", "/sc/1", "/ga/99/1"):
        r = client.get(path)
        assert r.status_code == 404 and "text/html" in r.headers["content-type"], path


def test_search_page_defects_are_gone(portal: Portal, client: httpx.Client) -> None:
    empty = client.get("/search", params={"q": "zzqxwv"})
    assert empty.status_code == 200 and not re.search(r">\s*(\d+\.\s*)?None\s*<", empty.text)
    assert "No results found for" in empty.text and "Suggestions" in empty.text
    r = client.get("/search", params={"q": "council", "hl": "fr", "year": "2023"})
    page = Links(r.text)
    assert page.h1 == 1 and 'class="label">Résultats' in r.text
    first = page.anchors[0]["href"]
    assert first.startswith("#") and first[1:] in page.ids  # the skip link comes first
    assert r.text.index('class="hits"') < r.text.index('class="facets"')  # results first
    for a in page.anchors:
        if urlsplit(a["href"]).path == "/search":
            assert query(a["href"]).get("q") == "council", a["href"]
    assert "<details" in r.text  # facets collapsible
    moments = client.get("/search", params={"q": "coopération", "hl": "fr"}).text
    links = re.findall(r'href="(/assets/[^"]*[?&]t=[^"]*)"', moments)
    assert links and all(query(h.replace("&amp;", "&")).get("hl") == "fr" for h in links)
    assert client.get("/?page=0").headers["content-type"].startswith("text/html")
    assert client.get("/search?q=council&page=0").status_code == 400


def test_switcher_keeps_the_whole_url_and_the_choice_is_kept(portal: Portal,
                                                             client: httpx.Client) -> None:
    path = f"/assets/{portal.meeting}?t=5&lang=fr&hl=en"
    page = Links(client.get(path).text)
    switch = {a["hreflang"]: a["href"] for a in page.anchors if a.get("hreflang")}
    assert sorted(switch) == sorted(LANGUAGES)
    for code, href in switch.items():
        assert query(href) == {"t": "5", "lang": "fr", "hl": code}
    with httpx.Client(base_url=portal.base) as fresh:
        assert 'lang="ar"' in fresh.get(switch["ar"]).text
        r = fresh.get("/search", params={"q": "council"})
        assert '<html lang="ar" dir="rtl">' in r.text  # no hl=: the cookie speaks


def test_values_are_localised_on_the_french_page(portal: Portal, client: httpx.Client) -> None:
    html = client.get(f"/assets/{portal.meeting}", params={"hl": "fr"}).text
    visible = re.sub(r"<script.*?</script>|<[^>]+>", " ", html, flags=re.S)
    for english in ("Six Official", "Arabic", "Spanish", "Chinese", "05-Dec-2023", " video "):
        assert english not in visible, english
    for french in ("5 décembre 2023", "Six langues officielles", "Arabe", "Espagnol",
                   "Langues disponibles"):
        assert french in visible, french
    facets = client.get("/search", params={"q": "council", "hl": "fr"}).text
    assert "Vidéo" in facets and ">Arabe<" in facets


def test_downloads_are_named_and_sized_truly(portal: Portal, client: httpx.Client) -> None:
    html = client.get(f"/assets/{portal.meeting}").text
    section = html[html.index('class="downloads"'):html.index('class="cite"')]
    links = re.findall(r'<a href="([^"]+)" download="([^"]+)"', section)
    assert links and not any("/hls/" in href for href, _ in links)  # a playlist is not a file
    for href, name in links[:6]:
        r = client.get(href)
        assert r.status_code == 200
        disposition = r.headers["content-disposition"]
        assert disposition.startswith("attachment") and name in disposition
        assert name.startswith(f"{portal.meeting}-"), name
    assert any(name == f"{portal.meeting}-fr.mp3" for _, name in links)


def test_a_ten_second_french_range(portal: Portal, client: httpx.Client) -> None:
    for precise, slack in ((True, 0.15), (False, 1.0)):
        r = client.get(f"/download/{portal.meeting}",
                       params={"lang": "fr", "start": "0:01", "end": "0:11",
                               "precise": int(precise)})
        assert r.status_code == 200, r.text[:300]
        assert f'filename="{portal.meeting}-fr-000001-000011.mp4"' in \
            r.headers["content-disposition"]
        with av.open(io.BytesIO(r.content)) as f:
            kinds = sorted(s.type for s in f.streams)
            audio = f.streams.audio[0]
            assert kinds == ["audio", "video"] and audio.duration is not None
            seconds = float(audio.duration * audio.time_base)
        assert abs(seconds - 10) <= slack, (precise, seconds)
    bad = client.get(f"/download/{portal.meeting}", params={"lang": "fr", "start": 9, "end": 3})
    assert bad.status_code == 422 and "must start before it ends" in bad.text
    assert client.get(f"/download/{portal.meeting}", params={"lang": "xx"}).status_code == 422
    assert client.get("/download/999999", params={"lang": "fr"}).status_code == 404


def test_reach_sitemap_json_ld_opengraph_feed(portal: Portal, client: httpx.Client) -> None:
    import extruct

    locs = [e.text for e in ET.fromstring(client.get("/sitemap.xml").content).iter()
            if e.tag.endswith("loc")]
    for asset in (portal.meeting, portal.second):
        assert any(loc.endswith(f"/assets/{asset}") for loc in locs if loc)
    html = client.get(f"/assets/{portal.meeting}").text
    data = extruct.extract(html, base_url=portal.base, syntaxes=["json-ld", "opengraph"])
    video = [d for d in data["json-ld"] if d.get("@type") == "VideoObject"]
    assert video and "9512th Meeting" in video[0]["name"] and video[0]["duration"]
    og = dict(data["opengraph"][0]["properties"])
    assert "9512th Meeting" in og["og:title"] and og["og:url"].endswith(portal.meeting)
    feed = ET.fromstring(client.get("/feed.atom").content)
    assert feed.tag == "{http://www.w3.org/2005/Atom}feed"
    assert f"/assets/{portal.meeting}" in client.get("/feed.atom").text
    assert "Sitemap:" in client.get("/robots.txt").text
    assert client.get("/favicon.ico", follow_redirects=True).headers["content-type"] \
        .startswith("image/")
    docs = client.get("/docs").text
    assert not re.search(r"https?://(?!127\.0\.0\.1)", docs)
    for url in Links(docs).urls:
        assert client.get(url).status_code == 200, url


def test_compression_and_cache_headers(portal: Portal, client: httpx.Client) -> None:
    for path in (f"/assets/{portal.meeting}", f"/api/assets/{portal.meeting}"):
        r = client.get(path, headers={"Accept-Encoding": "gzip"})
        assert r.headers["content-encoding"] == "gzip"
        assert len(r.content) > int(r.headers["content-length"])  # httpx decoded it
    page = Links(client.get(f"/assets/{portal.meeting}").text)
    static = [u for u in page.urls if u.startswith("/static/")]
    assert static
    for url in static:
        assert re.search(r"\.[0-9a-f]{10}\.", url), url
        assert "immutable" in client.get(url).headers["cache-control"]
    embed = client.get(f"/embed/{portal.meeting}")
    assert "<video" in embed.text and "frame-ancestors *" in embed.headers["content-security-policy"]
    assert "x-frame-options" not in embed.headers
    assert "frame-ancestors 'self'" in client.get("/").headers["content-security-policy"]
    raw = client.get(f"/assets/{portal.meeting}", headers={"Accept-Encoding": "gzip"})
    assert gzip.compress(raw.content)  # the body decodes


def test_every_link_of_every_page_answers(portal: Portal, client: httpx.Client) -> None:
    """A crawler from the home page in two languages: every same-origin URL below 400."""
    seen: dict[str, str] = {"/": "start", "/?hl=ar": "start"}
    queue = list(seen)
    errors = []
    while queue and len(seen) < 400:
        path = queue.pop(0)
        media = re.search(r"^/(media|download)/", path)
        r = client.get(path, headers={"Range": "bytes=0-1023"} if media else None)
        if r.status_code >= 400:
            errors.append(f"{path} {r.status_code} (from {seen[path]})")
            continue
        if media or "text/html" not in r.headers.get("content-type", ""):
            continue
        for url in Links(r.text).urls:
            full = urljoin(portal.base + path, url)
            parts = urlsplit(full)
            if full.startswith(("mailto:", "data:")) or parts.netloc != urlsplit(portal.base).netloc:
                continue
            loc = parts.path + (f"?{parts.query}" if parts.query else "")
            if loc not in seen:
                seen[loc] = path
                queue.append(loc)
    assert not errors, errors[:5]
    assert len(seen) > 60


# ---------------------------------------------------------------- in Chromium

@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with chromium(HLS_JS, AXE) as b:
        yield b


@pytest.mark.browser
@pytest.mark.slow
def test_browse_home_year_meeting_delegation(portal: Portal, browser) -> None:  # noqa: ANN001
    page = browser.new_page()
    try:
        page.goto(f"{portal.base}/?hl=en")
        page.get_by_role("link", name="2023", exact=True).click()
        page.get_by_role("link", name=re.compile("9512th Meeting")).first.click()
        assert page.url.split("?")[0].endswith(f"/assets/{portal.meeting}")
        page.locator(".speakers").get_by_role("link", name="Japan").click()
        assert "/browse/affiliation/" in page.url
        page.get_by_role("link", name=re.compile("9601st Meeting")).click()
        assert page.url.split("?")[0].endswith(f"/assets/{portal.second}")
    finally:
        page.close()


@pytest.mark.browser
@pytest.mark.slow
def test_watch_transcript_share_and_arabic(portal: Portal, browser) -> None:  # noqa: ANN001
    ctx = browser.new_context(locale="en-US")
    page = ctx.new_page()
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    try:
        page.goto(f"{portal.base}/assets/{portal.meeting}?hl=en", wait_until="networkidle")
        assert not [u for u in requests if "/media/" in u and not u.endswith("poster.jpg")]
        page.click(".play-cover")
        page.wait_for_function("() => hexaglotPlayer.hls && hexaglotPlayer.hls.audioTracks.length === 7")
        page.select_option("select.audio-language", "fr")
        cue = page.get_by_text("La coopération régionale est essentielle")
        cue.wait_for(state="visible")
        cue.click()
        page.wait_for_function("() => Math.abs(hexaglotPlayer.video.currentTime - 6) < 1",
                               timeout=15000)
        page.evaluate("() => hexaglotPlayer.video.pause()")  # pausing updates the page too
        page.wait_for_function("() => document.querySelector('a.cue[aria-current]') !== null",
                               timeout=15000)
        share = page.input_value(".share-link")
        assert query(share).get("lang") == "fr" and 5 <= int(query(share)["t"]) <= 9, share

        other = ctx.new_page()
        other.goto(share)
        other.click(".play-cover")
        other.wait_for_function("""() => { const h = hexaglotPlayer.hls; return h && h.audioTrack >= 0
            && h.audioTracks[h.audioTrack].lang === 'fr' && hexaglotPlayer.video.currentTime >= 5; }""",
                                timeout=20000)
        other.locator('.ui-languages a[hreflang="ar"]').click()
        other.wait_for_load_state()
        assert other.evaluate("() => document.documentElement.dir") == "rtl"
        kept = query(other.url)
        assert kept["hl"] == "ar" and kept["lang"] == "fr" and kept["t"] == query(share)["t"]
        isolated = other.evaluate("""() => [...document.querySelectorAll('h1, .asset-link, .speakers li')]
            .every(e => e.querySelector('bdi') || e.closest('[dir=auto], [dir=ltr], bdi'))""")
        assert isolated
    finally:
        ctx.close()


#: Every page type; the first three in all six languages, the others in English and Arabic.
PAGE_TYPES = ("/", "/search?q=council", "/assets/{meeting}", "/search?q=zzqxwv", "/browse",
              "/browse/year/2023", "/about")


@pytest.mark.browser
@pytest.mark.slow
def test_axe_and_360px_in_six_languages(portal: Portal, browser) -> None:  # noqa: ANN001
    ctx = browser.new_context(viewport={"width": 360, "height": 740}, bypass_csp=True)
    page = ctx.new_page()
    found: dict[str, set[str]] = {}
    wide = []
    try:
        for hl in LANGUAGES:
            for path in PAGE_TYPES if hl in ("en", "ar") else PAGE_TYPES[:3]:
                url = path.format(meeting=portal.meeting)
                url += ("&" if "?" in url else "?") + f"hl={hl}"
                page.goto(portal.base + url, wait_until="load")
                if page.evaluate("document.documentElement.scrollWidth") > 360:
                    wide.append(url)
                header = page.evaluate("document.querySelector('header.site').offsetHeight")
                if header > 180:  # it was 684 px at 390 px wide, the switcher off-screen
                    wide.append(f"{url}: header {header} px")
                page.add_script_tag(path=str(AXE))
                ids = page.evaluate("""async () => (await axe.run(document, {resultTypes: ['violations']}))
                    .violations.filter(v => ['serious', 'critical'].includes(v.impact)).map(v => v.id)""")
                for rule in ids:
                    found.setdefault(rule, set()).add(url)
    finally:
        ctx.close()
    assert not wide, wide
    assert not found, {k: sorted(v)[:3] for k, v in found.items()}


@pytest.mark.browser
@pytest.mark.slow
def test_keyboard_reaches_the_transcript(portal: Portal, browser) -> None:  # noqa: ANN001
    page = browser.new_page()
    try:
        page.goto(f"{portal.base}/assets/{portal.meeting}?hl=en&lang=fr")
        page.keyboard.press("Tab")
        assert page.evaluate("() => document.activeElement.className") == "skip-link"
        page.focus("a.cue >> nth=1")
        page.keyboard.press("Enter")
        page.wait_for_function("() => Math.abs(hexaglotPlayer.video.currentTime - 6) < 1",
                               timeout=15000)
    finally:
        page.close()
