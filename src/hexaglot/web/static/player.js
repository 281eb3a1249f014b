/* Hexaglot player: one video, one audio track per language, switched in place, and the
   interactive transcript beside it.
   Nothing but the poster loads before the reader asks to play: the play button (or a
   transcript cue, a speaker's or a chapter's time) loads hls.js and starts the HLS
   package (native HLS where the browser has it, else the MP4 proxy).
   URL: ?t=1:23:45 starts there; ?lang=fr starts on French (else the preview language).
   Transcripts: subtitle <track>s of the page (or the HLS package's subtitles), and the
   cue list of the audio language (current cue highlighted, click to seek, search within,
   follow along). The share link follows the current time. */
(function () {
  "use strict";
  var box = document.querySelector(".player[data-hls]");
  if (!box) return;
  var video = box.querySelector("video");
  var select = box.querySelector("select.audio-language");
  var panel = document.querySelector(".transcript");
  var share = document.querySelector(".share-link");
  var params = new URLSearchParams(location.search);
  var hls = null;
  var started = false;

  function seconds(text) {
    if (!text) return 0;
    var parts = String(text).split(":").map(Number);
    if (parts.some(isNaN)) return 0;
    return parts.reduce(function (acc, n) { return acc * 60 + n; }, 0);
  }
  function tagOf(code) {
    var opt = select && select.querySelector('option[value="' + code + '"]');
    return opt ? opt.dataset.tag : null;
  }
  function codeOf(tag) {
    var opt = select && select.querySelector('option[data-tag="' + tag + '"]');
    return opt ? opt.value : null;
  }

  /* The transcript of the audio language. */
  var lists = panel ? Array.prototype.slice.call(panel.querySelectorAll("ol.cues")) : [];
  var missing = panel ? panel.querySelector(".transcript-missing") : null;
  var shownList = lists.filter(function (l) { return !l.hidden; })[0] || null;
  function showTranscript(code) {
    var found = lists.filter(function (l) { return l.dataset.lang === code; })[0];
    if (found) {
      lists.forEach(function (l) { l.hidden = l !== found; });
      shownList = found;
    }
    if (missing) missing.hidden = !!found;
  }
  function highlight() {
    if (!shownList) return;
    var now = video.currentTime, current = null;
    var cues = shownList.querySelectorAll("a.cue");
    for (var i = 0; i < cues.length; i++) {
      var c = cues[i];
      var on = now >= Number(c.dataset.start) && now < Number(c.dataset.end);
      if (on && !current) current = c;
      if (on) c.setAttribute("aria-current", "true"); else c.removeAttribute("aria-current");
    }
    var follow = panel.querySelector(".transcript-follow");
    if (current && follow && follow.checked && !video.paused) {
      var top = current.offsetTop - shownList.offsetTop;
      if (top < shownList.scrollTop || top > shownList.scrollTop + shownList.clientHeight - current.offsetHeight) {
        shownList.scrollTop = Math.max(0, top - shownList.clientHeight / 3);
      }
    }
  }
  var filter = panel ? panel.querySelector(".transcript-filter") : null;
  if (filter) {
    filter.addEventListener("input", function () {
      var words = filter.value.trim().toLocaleLowerCase();
      lists.forEach(function (l) {
        l.querySelectorAll("li").forEach(function (li) {
          li.hidden = words !== "" && li.textContent.toLocaleLowerCase().indexOf(words) < 0;
        });
      });
    });
  }

  function remember(code) {
    box.dataset.activeLanguage = code;
    if (select) select.value = code;
    var url = new URL(location.href);
    url.searchParams.set("lang", code);
    history.replaceState(null, "", url);
    showTranscript(code);
    updateShare();
  }
  function updateShare() {
    if (!share) return;
    var url = new URL(share.dataset.page);
    var t = Math.floor(video.currentTime || 0);
    if (t > 0) url.searchParams.set("t", String(t));
    var code = box.dataset.activeLanguage || (select && select.value);
    if (code) url.searchParams.set("lang", code);
    share.value = url.toString();
  }

  var start = seconds(params.get("t"));
  var wanted = tagOf(params.get("lang")) ? params.get("lang") : box.dataset.preview;
  box.dataset.activeLanguage = wanted;

  function attach(from, play) {
    if (window.Hls && window.Hls.isSupported()) {
      hls = new window.Hls({
        startPosition: from > 0 ? from : -1,
        audioPreference: { lang: tagOf(box.dataset.activeLanguage) }  /* the track from the start */
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
        var chosen = box.dataset.activeLanguage;
        if (code && code !== chosen && indexOf(chosen) >= 0) {
          hls.audioTrack = indexOf(chosen);  /* the reader chose another meanwhile */
        } else if (code) {
          remember(code);
        }
      });
      if (select) {
        select.addEventListener("change", function () {
          remember(select.value);
          var i = indexOf(select.value);
          if (i >= 0) hls.audioTrack = i;  /* same timeline: the video keeps playing */
        });
      }
      hls.loadSource(box.dataset.hls);
      hls.attachMedia(video);
    } else if (video.canPlayType("application/vnd.apple.mpegurl")) {
      var useTrack = function (code) {
        var tracks = video.audioTracks || [];
        for (var k = 0; k < tracks.length; k++) tracks[k].enabled = tracks[k].language === tagOf(code);
        remember(code);
      };
      video.src = box.dataset.hls;
      video.addEventListener("loadedmetadata", function () {
        useTrack(box.dataset.activeLanguage);
      }, { once: true });
      if (select) select.addEventListener("change", function () { useTrack(select.value); });
    } else if (box.dataset.mp4) {
      video.src = box.dataset.mp4;
      if (select) select.disabled = true;
    }
    if (from > 0) video.currentTime = from;
    if (play) {
      var p = video.play();
      if (p && p.catch) p.catch(function () {});
    }
    window.hexaglotPlayer.hls = hls;
  }

  function begin(at, play) {
    if (started) {
      if (at !== null) video.currentTime = at;
      if (play && video.paused) {
        var p = video.play();
        if (p && p.catch) p.catch(function () {});
      }
      return;
    }
    started = true;
    box.classList.add("started");
    video.controls = true;
    if (cover.parentNode) cover.parentNode.removeChild(cover);
    var from = at !== null ? at : start;
    if (window.MediaSource && box.dataset.hlsjs && !window.Hls) {
      var s = document.createElement("script");
      s.src = box.dataset.hlsjs;
      s.onload = s.onerror = function () { attach(from, play); };
      document.head.appendChild(s);
    } else {
      attach(from, play);
    }
    if (play) video.focus();
  }

  /* Until play: the poster and a play button over it, no media request. */
  video.controls = false;
  var cover = document.createElement("button");
  cover.type = "button";
  cover.className = "play-cover";
  cover.setAttribute("aria-label", box.dataset.playLabel || "Play");
  box.insertBefore(cover, video.nextSibling);
  cover.addEventListener("click", function () { begin(null, true); });
  if (select) {
    select.addEventListener("change", function () {
      if (!started) { box.dataset.activeLanguage = select.value; remember(select.value); }
    });
  }

  /* Cues, speakers' and chapters' times: seek there (and play). */
  document.addEventListener("click", function (e) {
    var a = e.target.closest ? e.target.closest("a.cue, a.jump") : null;
    if (!a || e.ctrlKey || e.metaKey || e.shiftKey || e.button !== 0) return;
    e.preventDefault();
    begin(Number(a.dataset.start), true);
  });

  video.addEventListener("timeupdate", function () { highlight(); updateShare(); });
  video.addEventListener("seeked", function () { highlight(); updateShare(); });

  document.querySelectorAll("button.copy[data-copy]").forEach(function (b) {
    b.addEventListener("click", function () {
      var field = document.getElementById(b.dataset.copy);
      if (!field) return;
      field.select();
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(field.value).catch(function () { document.execCommand("copy"); });
      } else {
        document.execCommand("copy");
      }
    });
  });
  window.hexaglotPlayer = { hls: null, video: video, begin: begin };
})();
