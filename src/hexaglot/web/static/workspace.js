/* Hexaglot workspace: the resumable upload (tus 1.0 with tus-js-client), Today's job
   progress (polling /workspace/jobs.json), heading autocomplete, and the clip timeline
   (mark in / mark out with buttons or the I and O keys, to the displayed frame). */
(function () {
  "use strict";
  var meta = document.querySelector('meta[name="csrf-token"]');
  var csrf = meta ? meta.content : "";

  /* ---- resumable upload ---------------------------------------------------------------- */
  var form = document.getElementById("upload");
  if (form && window.tus) {
    var input = document.getElementById("upload-file");
    var bar = document.getElementById("upload-progress");
    var status = document.getElementById("upload-status");
    var pause = document.getElementById("upload-pause");
    var current = null;
    var say = function (key, extra) {
      status.textContent = (status.dataset[key] || key) + (extra ? " " + extra : "");
    };
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var file = input.files && input.files[0];
      if (!file) { input.focus(); return; }
      var asset = document.getElementById("upload-asset").value.trim();
      var upload = new window.tus.Upload(file, {
        endpoint: form.dataset.endpoint,
        retryDelays: [0, 1000, 3000, 5000, 10000, 20000],
        chunkSize: Number(form.dataset.chunk || 64 * 1024 * 1024),
        storeFingerprintForResuming: true,
        removeFingerprintOnSuccess: true,
        headers: { "X-CSRF-Token": csrf },
        metadata: { filename: file.name, filetype: file.type || "", asset: asset },
        onProgress: function (sent, total) {
          var pct = total ? Math.floor(sent * 100 / total) : 0;
          bar.hidden = false; bar.value = pct;
          say("sending", pct + "%");
        },
        onShouldRetry: function (err, attempt, options) {
          var res = err.originalResponse;
          var code = res ? res.getStatus() : 0;
          if (code === 0 || code === 409 || code === 423 || code >= 500) { say("resuming"); return true; }
          return false;
        },
        onAfterResponse: function (req, res) {
          var id = res.getHeader("Hexaglot-Asset");
          if (id) { form.dataset.asset = id; }
        },
        onError: function (err) {
          var res = err.originalResponse, message = String(err);
          if (res) {
            try { message = JSON.parse(res.getBody()).error.message; } catch (e) { /* keep */ }
          }
          say("failed", message);
          status.setAttribute("role", "alert");
          pause.hidden = true;
        },
        onSuccess: function () {
          pause.hidden = true;
          bar.value = 100;
          say("done", form.dataset.asset || "");
          pollJobs();
        }
      });
      current = upload;
      status.setAttribute("role", "status");
      upload.findPreviousUploads().then(function (previous) {
        if (previous.length) { upload.resumeFromPreviousUpload(previous[0]); }
        upload.start();
        pause.hidden = false;
      });
    });
    pause.addEventListener("click", function () {
      if (!current) return;
      if (pause.dataset.paused) {
        delete pause.dataset.paused; current.start();
      } else {
        pause.dataset.paused = "1"; current.abort(); say("paused");
      }
    });
  }

  /* ---- job progress ---------------------------------------------------------------------- */
  var table = document.getElementById("jobs");
  var timer = null;
  function pollJobs() {
    if (!table) return;
    fetch(table.dataset.poll, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        if (!data) return;
        var body = table.tBodies[0];
        data.jobs.forEach(function (job) {
          var row = body.querySelector('tr[data-job="' + job.id + '"]');
          if (!row) {
            row = document.createElement("tr");
            row.dataset.job = job.id;
            row.innerHTML = '<td></td><td></td><td class="job-status"></td><td><progress class="job-progress" max="100"></progress> <span class="job-percent"></span></td><td class="job-step"></td><td class="job-error"></td>';
            row.cells[0].textContent = job.kind;
            if (job.asset_id) {
              var a = document.createElement("a");
              a.href = "/workspace/assets/" + job.asset_id + "?hl=" + table.dataset.hl;
              a.textContent = job.asset_id;
              row.cells[1].appendChild(a);
            }
            row.querySelector("progress").setAttribute("aria-label", job.kind + " " + (job.asset_id || ""));
            body.insertBefore(row, body.firstChild);
          }
          var pct = Math.round((job.progress || 0) * 100);
          row.dataset.status = job.status;
          row.querySelector(".job-status").textContent = job.status;
          row.querySelector(".job-progress").value = pct;
          row.querySelector(".job-percent").textContent = pct + "%";
          row.querySelector(".job-step").textContent = job.step || "";
          var err = row.querySelector(".job-error");
          if (job.status === "failed" && !err.querySelector("form")) {
            err.textContent = (job.error || "").slice(0, 300);
            var f = document.createElement("form");
            f.method = "post"; f.action = "/workspace/jobs/" + job.id + "/retry?hl=" + table.dataset.hl;
            f.innerHTML = '<input type="hidden" name="csrf_token"><button type="submit"></button>';
            f.firstChild.value = table.dataset.csrf;
            f.lastChild.textContent = table.dataset.retry;
            err.appendChild(f);
          }
        });
      })
      .catch(function () { /* the next poll tries again */ })
      .then(function () {
        clearTimeout(timer);
        timer = setTimeout(pollJobs, 1500);
      });
  }
  if (table) pollJobs();

  /* ---- heading autocomplete -------------------------------------------------------------- */
  document.querySelectorAll("input[data-headings]").forEach(function (box) {
    var list = document.getElementById(box.getAttribute("list"));
    var last = "";
    box.addEventListener("input", function () {
      var q = box.value.trim();
      if (q.length < 2 || q === last) return;
      last = q;
      fetch(box.dataset.headings + "?hl=" + (box.dataset.hl || "en") + "&q=" + encodeURIComponent(q),
            { credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : { headings: [] }; })
        .then(function (data) {
          if (box.value.trim() !== q) return;  /* an answer to an earlier keystroke */
          list.innerHTML = "";
          data.headings.forEach(function (h) {
            var opt = document.createElement("option");
            opt.value = h.kind + ":" + h.label;
            opt.textContent = h.shown === h.label ? h.label : h.shown + " (" + h.label + ")";
            list.appendChild(opt);
          });
          box.dataset.ready = String(data.headings.length);
        });
    });
  });

  /* ---- reorder drafted speakers with buttons (keyboard friendly) -------------------------- */
  document.querySelectorAll("button[data-move]").forEach(function (btn) {
    btn.addEventListener("click", function () {
      var item = btn.closest("li"), list = item.parentNode;
      if (btn.dataset.move === "up" && item.previousElementSibling) list.insertBefore(item, item.previousElementSibling);
      if (btn.dataset.move === "down" && item.nextElementSibling) list.insertBefore(item.nextElementSibling, item);
      Array.prototype.forEach.call(list.children, function (li, i) {
        var order = li.querySelector("input[data-order]"); if (order) order.value = i + 1;
      });
      btn.focus();
    });
  });

  /* ---- evidence: a draft in focus lights its evidence in the text ----------------------- */
  document.querySelectorAll(".drafts li[data-ref]").forEach(function (item) {
    var light = function (on) {
      var marks = document.querySelectorAll('mark[data-ref="' + item.dataset.ref + '"]');
      marks.forEach(function (m) { m.classList.toggle("lit", on); });
      if (on && marks.length) marks[0].scrollIntoView({ block: "nearest" });
    };
    item.addEventListener("focusin", function () { light(true); });
    item.addEventListener("focusout", function () { light(false); });
    item.addEventListener("mouseenter", function () { light(true); });
    item.addEventListener("mouseleave", function () { light(false); });
  });

  /* ---- clip timeline ----------------------------------------------------------------------- */
  var cut = document.getElementById("cut");
  if (cut) {
    var video = document.querySelector(".player video");
    var fps = Number(cut.dataset.fps || 25);
    var shown = document.getElementById("timecode");
    var frame = function (t) { return Math.round(t * fps) / fps; };
    var fmt = function (t) {
      var h = Math.floor(t / 3600), m = Math.floor(t / 60) % 60, s = (t % 60).toFixed(3);
      return (h ? h + ":" : "") + String(m).padStart(2, "0") + ":" + s.padStart(6, "0");
    };
    var mark = function (which) {
      if (!video) return;
      document.getElementById(which === "in" ? "clip-start" : "clip-end").value = frame(video.currentTime).toFixed(3);
    };
    if (video) {
      video.addEventListener("timeupdate", function () { shown.textContent = fmt(frame(video.currentTime)); });
    }
    document.getElementById("mark-in").addEventListener("click", function () { mark("in"); });
    document.getElementById("mark-out").addEventListener("click", function () { mark("out"); });
    document.addEventListener("keydown", function (e) {
      var tag = (e.target.tagName || "").toLowerCase();
      if (tag === "input" || tag === "textarea" || tag === "select" || e.ctrlKey || e.metaKey || e.altKey) return;
      if (e.key === "i" || e.key === "I") { mark("in"); e.preventDefault(); }
      if (e.key === "o" || e.key === "O") { mark("out"); e.preventDefault(); }
      if (video && (e.key === "," || e.key === ".")) {
        video.pause(); video.currentTime = Math.max(0, frame(video.currentTime) + (e.key === "," ? -1 : 1) / fps);
        e.preventDefault();
      }
    });
  }
})();
