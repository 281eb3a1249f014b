"""A long recording's video ladder split by time window (issue 17, item 3): the windows'
media playlists join into one, numbered on."""

from __future__ import annotations

import pytest

from hexaglot.media.playlist import join_media_playlists, parse_media_playlist


def test_windows_join_only_when_numbered_on() -> None:
    def window(first: int, n: int) -> str:
        segs = "".join(f"#EXTINF:1.000000,\nseg{first + i:05d}.m4s\n" for i in range(n))
        return ("#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-TARGETDURATION:1\n#EXT-X-MEDIA-SEQUENCE:"
                f"{first}\n#EXT-X-MAP:URI=\"init-{first}.mp4\"\n{segs}#EXT-X-ENDLIST\n")

    joined = parse_media_playlist(join_media_playlists([window(0, 2), window(2, 2)]))
    assert [u for _, u in joined.segments] == [f"seg{i:05d}.m4s" for i in range(4)]
    assert joined.seconds == 4
    one_init = join_media_playlists([window(0, 2), window(2, 1)], "init-0.mp4")
    assert one_init.count("#EXT-X-MAP") == 1
    with pytest.raises(ValueError, match="not numbered one after another"):
        join_media_playlists([window(0, 2), window(3, 2)])  # a segment missing
    with pytest.raises(ValueError, match="not numbered one after another"):
        join_media_playlists([window(0, 2), window(1, 2)])  # an overlap
