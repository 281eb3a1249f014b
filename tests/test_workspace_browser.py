"""The cataloguer's day in a real browser (headless Chromium through Playwright) on a real
`hexaglot serve` with its real worker: sign in; upload a 30 s seven-language recording
through the resumable upload (tus), its request cut once mid-way and resumed; watch its
job reach done in Today; paste a press summary, accept two drafted speakers, reject one,
add a subject by typing its Russian label; cut a clip from 5 s to 12 s for one speaker on
the timeline, then move its bounds; publish the meeting and its clip (bulk action); signed out, see both on the
public page. axe-core checks every page on the way (no serious or critical violation)."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from hexaglot.app.accounts import add_user
from hexaglot.app.archive import Archive
from tests.browser_helpers import AXE, chromium
from tests.live_server import serve_process
from tests.media_helpers import make_media

ROOT = Path(__file__).resolve().parents[1]
SUMMARY = ROOT / "tests" / "fixtures" / "extract" / "sc-vote.txt"
PASSWORD = "Cataloguer-Pass-2026"

pytestmark = [
    pytest.mark.slow,
]


def _axe(page, where: str) -> None:  # noqa: ANN001 - a Playwright page
    page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    bad = page.evaluate("async () => (await axe.run(document)).violations"
                        ".filter(v => ['serious', 'critical'].includes(v.impact))"
                        ".map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', '))")
    assert bad == [], f"{where}: {bad}"


def _wait(check, seconds: float, what: str):  # noqa: ANN001, ANN202
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        got = check()
        if got:
            return got
        time.sleep(0.5)
    raise AssertionError(f"{what} did not happen within {seconds:.0f} s")


def test_the_cataloguers_day(sqlite_home: Path, tmp_path: Path) -> None:
    recording = make_media(tmp_path / "sc-meeting.mkv", seconds=30)
    with Archive() as archive:
        add_user(archive, "cat@example.org", PASSWORD, "cataloguer")
    with serve_process() as (base, _proc), chromium(AXE) as browser:
        page = browser.new_context(bypass_csp=True).new_page()
        page.set_default_timeout(20_000)

        # sign in
        page.goto(base + "/workspace?hl=en")
        assert "/login" in page.url
        page.get_by_label("Email").fill("cat@example.org")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_label("Password").press("Enter")
        page.wait_for_url(re.compile(r"/workspace"))
        _axe(page, "Today")

        # upload through tus, the second piece's request cut off
        patches: list[str] = []

        def cut_once(route, request) -> None:  # noqa: ANN001
            patches.append(request.headers.get("upload-offset", "?"))
            if len(patches) == 2:
                route.abort("connectionreset")
            else:
                route.continue_()

        page.route("**/workspace/uploads/*", lambda route, request: cut_once(route, request)
                   if request.method == "PATCH" else route.continue_())
        page.evaluate("document.getElementById('upload').dataset.chunk = String(128 * 1024)")
        page.get_by_label("Recording").set_input_files(str(recording))
        page.get_by_role("button", name="Upload", exact=True).click()
        status = page.locator("#upload-status")
        status.filter(has_text=re.compile(r"now asset \d+")).wait_for(timeout=60_000)
        asset_id = re.search(r"asset (\d+)", status.inner_text()).group(1)  # type: ignore[union-attr]
        offsets = [int(x) for x in patches]
        assert offsets[1] == offsets[2] and offsets[1] > 0, offsets  # resumed where it stopped
        assert offsets[-1] + 128 * 1024 >= recording.stat().st_size > offsets[1] * 2

        # Today shows the derive job reach done, without reloading the page
        row = page.locator(f"#jobs tr:has(a:text-is('{asset_id}'))").first
        row.wait_for()
        _wait(lambda: row.get_attribute("data-status") == "done", 240, "the derive job")
        assert row.locator(".job-percent").inner_text() == "100%"

        # paste a press summary; accept two speakers, reject one, add a subject in Russian
        page.goto(f"{base}/workspace/assets/{asset_id}/review?hl=en")
        page.get_by_label("Press summary (paste it here)").fill(SUMMARY.read_text("utf-8"))
        page.get_by_role("button", name="Draft speakers and subjects").click()
        _axe(page, "review")
        assert page.locator("mark[data-ref^=speaker-]").count() >= 3  # the evidence
        drafts = page.locator("ol.drafts > li")
        assert drafts.count() == 3
        drafts.nth(2).get_by_label("Reject").check()
        box = page.get_by_label("Add a subject (type in any of the six languages)")
        box.press_sequentially("Казах", delay=30)
        page.locator("#heading-list option[value*='Kazakhstan']").wait_for(state="attached")
        option = page.locator("#heading-list option").first
        assert "Kazakhstan" in (option.get_attribute("value") or "")  # the best match first
        box.fill(option.get_attribute("value") or "")
        page.get_by_role("button", name="Save the reviewed drafts").click()
        page.wait_for_url(re.compile(rf"/workspace/assets/{asset_id}(\?|$)"))
        with Archive() as archive:
            meeting = archive.catalog.require(asset_id)
        assert [s.affiliation for s in meeting.speakers] == ["China", "Russian Federation"]
        assert {s.status for s in meeting.speakers} == {"confirmed"}
        assert [s.id for s in meeting.subjects.geographic] == ["HTI", "KAZ"]
        assert meeting.meeting.record_symbol is None or meeting.recorded_on is not None

        # cut a clip from 5 s to 12 s on the timeline, for the first speaker
        page.goto(f"{base}/workspace/assets/{asset_id}/clips?hl=en")
        _axe(page, "clips")
        video = page.locator(".player video")
        page.get_by_role("button", name="Play").click()  # the player loads nothing before
        page.wait_for_function("document.querySelector('.player video').readyState >= 1")
        for at, key in ((5, "i"), (12, "o")):
            video.evaluate(f"v => {{ v.pause(); v.currentTime = {at}; }}")
            page.wait_for_function(f"Math.abs(document.querySelector('.player video')"
                                   f".currentTime - {at}) < 0.05")
            page.locator("h1").click()  # the keys work wherever no field has the focus
            page.keyboard.press(key)
        assert float(page.get_by_label("In (seconds)").first.input_value()) == 5
        assert float(page.get_by_label("Out (seconds)").first.input_value()) == 12
        page.get_by_label("Speaker", exact=True).select_option(index=1)
        page.get_by_role("button", name="Save the clip").click()
        clip_link = page.locator("ul.clips a").first
        clip_link.wait_for()
        clip_id = (clip_link.get_attribute("href") or "").split("/")[3].split("?")[0]

        def clip_done() -> bool:
            with Archive() as archive:
                jobs = archive.jobs.list(asset_id=clip_id)
            return bool(jobs) and jobs[0].status == "done"

        _wait(clip_done, 180, "the clip's derive job")
        with Archive() as archive:
            clip = archive.catalog.require(clip_id)
            span = archive.catalog.master(clip_id)
        assert clip.parent_id == asset_id and clip.duration_seconds == 7
        assert span is not None and (span.start, span.end) == (5, 12)
        assert clip.speakers[0].affiliation == "China"

        # move its bounds later: 6 s to 12 s, derived again
        page.goto(f"{base}/workspace/assets/{asset_id}/clips?hl=en")
        moved_in = page.locator(f"#b-{clip_id}-in")
        assert float(moved_in.input_value()) == 5
        assert float(page.locator(f"#b-{clip_id}-out").input_value()) == 12
        moved_in.fill("6")
        page.get_by_role("button", name="Change the bounds").click()
        page.locator("ul.clips").wait_for()
        with Archive() as archive:
            span = archive.catalog.master(clip_id)
            jobs = archive.jobs.list(asset_id=clip_id)
            assert archive.catalog.require(clip_id).duration_seconds == 6
        assert span is not None and (span.start, span.end) == (6, 12) and len(jobs) == 2

        # publish the meeting and its clip from Today's list (a bulk action)
        page.goto(f"{base}/workspace?hl=en")
        page.get_by_label(f"Select {asset_id}").check()
        page.get_by_label(f"Select {clip_id}").check()
        page.get_by_label("Action").select_option("publish")
        page.get_by_role("button", name="Apply").click()
        page.wait_for_url(re.compile(r"/workspace"))
        assert page.locator(f"tr:has(a[href^='/workspace/assets/{asset_id}']) .state"
                            ).inner_text() == "published"

        # signed out: the public page of the meeting, with its clip
        page.get_by_role("button", name=re.compile("sign out", re.I)).click()
        page.goto(f"{base}/assets/{asset_id}?hl=en")
        assert page.locator("h1").inner_text().strip() == meeting.title
        assert page.locator(f"a[href*='/assets/{clip_id}']").count() >= 1
        page.goto(f"{base}/workspace")
        assert "/login" in page.url
