/* Hexaglot preview player: one video, one audio track per language, switched in place.
   Plays the HLS master with hls.js (native HLS on Safari, the MP4 proxy otherwise).
   URL: ?t=1:23:45 starts there; ?lang=fr starts on French (else the preview language).
   Transcripts are subtitle <track>s of the page, or the HLS package's subtitles with hls.js. */
(function () {
  "use strict";
  var box = document.querySelector(".player[data-hls]");
  if (!box) return;
  var video = box.querySelector("video");
  var select = box.querySelector("select.audio-language");
  var params = new URLSearchParams(location.search);

  function seconds(text) {
    if (!text) return 0;
    var parts = String(text).split(":").map(Number);
    if (parts.some(isNaN)) return 0;
    return parts.reduce(function (acc, n) { return acc * 60 + n; }, 0);
  }
  function tagOf(code) {
    var opt = select.querySelector('option[value="' + code + '"]');
    return opt ? opt.dataset.tag : null;
  }
  function codeOf(tag) {
    var opt = select.querySelector('option[data-tag="' + tag + '"]');
    return opt ? opt.value : null;
  }
  function remember(code) {
    box.dataset.activeLanguage = code;
    select.value = code;
    var url = new URL(location.href);
    url.searchParams.set("lang", code);
    history.replaceState(null, "", url);
  }

  var start = seconds(params.get("t"));
  var wanted = tagOf(params.get("lang")) ? params.get("lang") : box.dataset.preview;

  if (window.Hls && window.Hls.isSupported()) {
    var hls = new window.Hls({
      startPosition: start > 0 ? start : -1,
      audioPreference: { lang: tagOf(wanted) }  /* hls.js picks this track from the start */
    });
    var indexOf = function (code) {
      return hls.audioTracks.findIndex(function (t) { return t.lang === tagOf(code); });
    };
    hls.on(window.Hls.Events.SUBTITLE_TRACKS_UPDATED, function (_e, data) {
      /* the HLS package lists the transcripts itself: drop the page's copies of them */
      if (data.subtitleTracks && data.subtitleTracks.length) {
        video.querySelectorAll("track[data-transcript]").forEach(function (t) { t.remove(); });
      }
    });
    hls.on(window.Hls.Events.AUDIO_TRACK_SWITCHED, function (_e, data) {
      var code = codeOf(hls.audioTracks[data.id].lang);
      if (code) remember(code);
    });
    select.addEventListener("change", function () {
      var i = indexOf(select.value);
      if (i >= 0) hls.audioTrack = i;  /* same timeline: the video keeps playing */
    });
    hls.loadSource(box.dataset.hls);
    hls.attachMedia(video);
    window.hexaglotPlayer = { hls: hls, video: video };
    return;
  }
  if (video.canPlayType("application/vnd.apple.mpegurl")) {
    var useTrack = function (code) {
      var tracks = video.audioTracks || [];
      for (var k = 0; k < tracks.length; k++) tracks[k].enabled = tracks[k].language === tagOf(code);
      remember(code);
    };
    video.src = box.dataset.hls;
    video.addEventListener("loadedmetadata", function () {
      if (start > 0) video.currentTime = start;
      useTrack(wanted);
    }, { once: true });
    select.addEventListener("change", function () { useTrack(select.value); });
  } else if (box.dataset.mp4) {
    video.src = box.dataset.mp4 + (start > 0 ? "#t=" + start : "");
    select.disabled = true;
  }
  window.hexaglotPlayer = { hls: null, video: video };
})();
