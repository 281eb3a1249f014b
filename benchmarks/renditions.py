"""Benchmark: Hexaglot's renditions against one bare ffmpeg command writing the same HLS.

Generates a 720p 25 fps recording with seven audio tracks (default 300 s), then measures
in the same run:
  (a) one bare ffmpeg command writing the same HLS package (ladder + 7 AAC renditions);
  (b) Hexaglot deriving all renditions (`hexaglot worker --burst` after `hexaglot ingest`:
      checksum check, HLS, MP4 proxy, M4A + MP3 per language, poster, thumbnails, waveform,
      registration).
Prints wall times, realtime factors, the ratio b/a (target <= 1.25) and peak memory (the
largest resident set of any process in each run's tree, from wait4).

With `--split`, also (the split by track of issue 17, forced by a `profiles.yaml` with
`split: {min_seconds: 0}` in the home):
  (c) the same derive split into parts (video part + audio part), run by one worker;
  (d) the same, run by two workers at once (a `hexaglot worker` started first and left
      to go idle, then a `hexaglot worker --burst`; either may take the derive): wall time
      from the second's start until the job log says the derive is done; CPU is both
      workers' together, less the first worker's start-up before the derive.

With `--windows W`, also (the split by time window, forced by `split: {min_seconds: 0,
window_seconds: W, window_min_seconds: 0}`: a video part without the ladder, one window
part per W seconds encoding the ladder, an audio part; the derive joins the windows):
  (e) the derive split by track and window, run by one worker;
  (f) the same, run by two workers at once (measured as (d)).

    .venv/bin/python benchmarks/renditions.py [--seconds 300] [--repeat N] [--source FILE]
        [--split] [--windows W]

On a shared machine, `--repeat N` alternates (a) and (b) N times and compares the best
time of each (the run least disturbed by other work); every run is printed.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import imageio_ffmpeg

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
from hexaglot.media.profiles import load_profiles  # noqa: E402

FFMPEG = imageio_ffmpeg.get_ffmpeg_exe()
TAGS = ("mul", "ara", "zho", "eng", "fra", "rus", "spa")


def timed(cmd: list[str], env: dict[str, str] | None = None) -> tuple[float, int, float]:
    """Run a command; return (wall seconds, peak RSS in MiB of its process tree, CPU
    seconds (user + system) of the tree, which other work on the machine disturbs less)."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _pid, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"failed: {' '.join(cmd[:6])}…")
    return wall, usage.ru_maxrss // 1024, usage.ru_utime + usage.ru_stime


def generate(path: Path, seconds: int) -> None:
    args = [FFMPEG, "-y", "-v", "error", "-f", "lavfi",
            "-i", f"testsrc2=size=1280x720:rate=25:duration={seconds}"]
    maps = ["-map", "0:v"]
    for i, tag in enumerate(TAGS):
        args += ["-f", "lavfi", "-i", f"sine=frequency={200 + 110 * i}:duration={seconds}"]
        maps += ["-map", f"{i + 1}:a", f"-metadata:s:a:{i}", f"language={tag}"]
    subprocess.run([*args, *maps, "-c:v", "libx264", "-preset", "veryfast", "-crf", "23",
                    "-c:a", "aac", "-b:a", "128k", str(path)], check=True)


def bare_hls(src: Path, out: Path) -> list[str]:
    """The baseline: the same ladder, codecs and segmenting, written by hand."""
    p = load_profiles()
    rungs = p.ladder(720)
    n = len(rungs)
    graph = f"[0:v]split={n}" + "".join(f"[s{i}]" for i in range(n)) + ";" + ";".join(
        f"[s{i}]scale=-2:{r.height},format=yuv420p[v{i}]" for i, r in enumerate(rungs))
    cmd = [FFMPEG, "-y", "-v", "error", "-i", str(src), "-filter_complex", graph]
    cmd += [a for i in range(n) for a in ("-map", f"[v{i}]")]
    cmd += [a for i in range(len(TAGS)) for a in ("-map", f"0:a:{i}")]
    cmd += ["-c:v", p.hls.video_codec, "-preset", p.hls.preset, "-sc_threshold", "0",
            "-force_key_frames", f"expr:gte(t,n_forced*{p.hls.segment_seconds})"]
    for i, r in enumerate(rungs):
        cmd += [f"-b:v:{i}", r.bitrate, f"-maxrate:v:{i}", r.maxrate, f"-bufsize:v:{i}", r.maxrate]
    a = p.hls.audio
    cmd += ["-c:a", a.codec, "-b:a", a.bitrate, "-ac", str(a.channels), "-ar", str(a.sample_rate)]
    streams = [f"v:{i},agroup:audio" for i in range(n)]
    streams += [f"a:{i},agroup:audio" for i in range(len(TAGS))]
    return cmd + ["-f", "hls", "-hls_time", str(p.hls.segment_seconds), "-hls_playlist_type",
                  "vod", "-hls_segment_type", "fmp4", "-hls_segment_filename",
                  str(out / "%v" / "seg%05d.m4s"), "-master_pl_name", "master.m3u8",
                  "-var_stream_map", " ".join(streams), str(out / "%v" / "index.m3u8")]


HX = [sys.executable, "-c", "from hexaglot.cli import app; app()"]


def run_b(src: Path, home: Path, split: bool = False, workers: int = 1, windows: int = 0
          ) -> tuple[tuple[float, int, float], float]:
    """Hexaglot in a fresh home: (the workers' `timed` figures, ingest wall seconds);
    `split` forces the split into parts, `windows` (seconds) the split by time window
    too, `workers` 2 adds a second worker."""
    shutil.rmtree(home, ignore_errors=True)
    home.mkdir(parents=True)
    if windows:
        (home / "profiles.yaml").write_text(
            f"split: {{min_seconds: 0, window_seconds: {windows}, window_min_seconds: 0}}\n")
    elif split:
        (home / "profiles.yaml").write_text("split: {min_seconds: 0}\n")
    env = dict(os.environ, HEXAGLOT_HOME=str(home))
    for name in ("HEXAGLOT_DATABASE_URL", "HEXAGLOT_QUEUE_URL", "HEXAGLOT_STORAGE_URL"):
        env.pop(name, None)
    i_wall = timed([*HX, "ingest", str(src)], env)[0]
    if workers == 1:
        return timed([*HX, "worker", "--burst"], env), i_wall
    second = subprocess.Popen([*HX, "worker"], env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    idle = _idle_cpu(second.pid)
    try:
        start = time.perf_counter()
        first = subprocess.Popen([*HX, "worker", "--burst"], env=env,
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wall = _until_derived(home / "catalogue.sqlite3") - start  # whichever took the derive
        _pid, status, own = os.wait4(first.pid, 0)
        if os.waitstatus_to_exitcode(status) != 0:
            raise SystemExit("failed: hexaglot worker --burst")
        rss, cpu = own.ru_maxrss // 1024, own.ru_utime + own.ru_stime
    finally:
        second.terminate()  # idle: the queue is empty (SIGINT may be ignored in background)
        _pid, _status, usage = os.wait4(second.pid, 0)
    both = cpu + usage.ru_utime + usage.ru_stime
    print(f"    ({'f' if windows else 'd'}) CPU of both workers {both:.1f} s, of which the second worker's start "
          f"before the derive {idle:.1f} s (not counted)", flush=True)
    return (wall, max(rss, usage.ru_maxrss // 1024), both - idle), i_wall


def _until_derived(catalogue: Path) -> float:
    """Wait until the derive job is done (read from the job log); that moment."""
    while True:
        with sqlite3.connect(catalogue, timeout=30) as db:
            row = db.execute("SELECT status, error FROM jobs WHERE kind = 'derive'").fetchone()
        if row and row[0] == "done":
            return time.perf_counter()
        if row and row[0] == "failed":
            raise SystemExit(f"derive failed: {row[1]}")
        time.sleep(0.2)


def _cpu_of(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _idle_cpu(pid: int) -> float:
    """Wait until a started worker is idle (its CPU time stops growing); that CPU time."""
    before, start = -1.0, time.monotonic()
    while time.monotonic() - start < 60:
        time.sleep(0.5)
        now = _cpu_of(pid)
        if now - before < 0.02 and time.monotonic() - start > 1:
            return now
        before = now
    return before


def _load() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=int, default=300)
    ap.add_argument("--repeat", type=int, default=1, help="alternate (a) and (b) N times")
    ap.add_argument("--source", type=Path, help="reuse a recording this script generated")
    ap.add_argument("--split", action="store_true",
                    help="also (c) the derive split into parts, 1 worker, (d) 2 workers")
    ap.add_argument("--windows", type=int, default=0, metavar="W",
                    help="also (e) the derive split by track and by windows of W seconds "
                         "(a multiple of the segment length), 1 worker, (f) 2 workers")
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="hexaglot-bench-"))
    src = args.source or work / "meeting.mkv"
    if not args.source:
        t0 = time.perf_counter()
        generate(src, args.seconds)
        print(f"generated in {time.perf_counter() - t0:.1f} s")
    print(f"load average at start {_load()}")
    print(f"source: {args.seconds} s 1280x720 25 fps, 7 audio tracks, "
          f"{src.stat().st_size / 1e6:.1f} MB; ffmpeg {FFMPEG}; cores {os.cpu_count()}")
    rt, a_runs, b_runs = args.seconds, [], []
    c_runs: list[tuple[float, int, float]] = []
    d_runs: list[tuple[float, int, float]] = []
    e_runs: list[tuple[float, int, float]] = []
    f_runs: list[tuple[float, int, float]] = []
    for n in range(1, args.repeat + 1):
        shutil.rmtree(work / "bare-hls", ignore_errors=True)
        a_runs.append(timed(bare_hls(src, work / "bare-hls")))
        b, i_wall = run_b(src, work / "home")
        b_runs.append(b)
        print(f"run {n}: (a) {a_runs[-1][0]:.1f} s wall, {a_runs[-1][2]:.1f} s CPU; "
              f"(b) {b[0]:.1f} s wall, {b[2]:.1f} s CPU; wall ratio {b[0] / a_runs[-1][0]:.3f}; "
              f"ingest before (b) {i_wall:.1f} s; load average {_load()}", flush=True)
        if args.split:
            c_runs.append(run_b(src, work / "home", split=True)[0])
            print(f"run {n}: (c) split, 1 worker: {c_runs[-1][0]:.1f} s wall, "
                  f"{c_runs[-1][2]:.1f} s CPU; load average {_load()}", flush=True)
            d_runs.append(run_b(src, work / "home", split=True, workers=2)[0])
            print(f"run {n}: (d) split, 2 workers: {d_runs[-1][0]:.1f} s wall, "
                  f"{d_runs[-1][2]:.1f} s CPU; load average {_load()}", flush=True)
        if args.windows:
            e_runs.append(run_b(src, work / "home", windows=args.windows)[0])
            print(f"run {n}: (e) windows, 1 worker: {e_runs[-1][0]:.1f} s wall, "
                  f"{e_runs[-1][2]:.1f} s CPU; load average {_load()}", flush=True)
            f_runs.append(run_b(src, work / "home", windows=args.windows, workers=2)[0])
            print(f"run {n}: (f) windows, 2 workers: {f_runs[-1][0]:.1f} s wall, "
                  f"{f_runs[-1][2]:.1f} s CPU; load average {_load()}", flush=True)
    a, b = min(a_runs), min(b_runs)
    a_cpu, b_cpu = min(r[2] for r in a_runs), min(r[2] for r in b_runs)
    for label, best, cpu, runs in (("(a) bare ffmpeg HLS package: ", a, a_cpu, a_runs),
                                   ("(b) Hexaglot, all renditions:", b, b_cpu, b_runs)):
        print(f"{label} best {best[0]:7.1f} s  {rt / best[0]:5.2f}x realtime  CPU {cpu:7.1f} s  "
              f"peak RSS {max(r[1] for r in runs)} MiB")
    verdict = "meets" if b[0] <= 1.25 * a[0] else "misses"
    print(f"ratio of best wall times b/a = {b[0] / a[0]:.3f} ({verdict} the target <= 1.25); "
          f"CPU ratio {b_cpu / a_cpu:.3f}")
    for label, runs in (("(c) split, 1 worker", c_runs), ("(d) split, 2 workers", d_runs),
                        ("(e) windows, 1 worker", e_runs), ("(f) windows, 2 workers", f_runs)):
        if runs:
            best, cpu = min(runs), min(r[2] for r in runs)
            print(f"{label}: best {best[0]:7.1f} s  CPU {cpu:7.1f} s  peak RSS "
                  f"{max(r[1] for r in runs)} MiB; wall vs (b) {best[0] / b[0]:.3f}, "
                  f"vs (a) {best[0] / a[0]:.3f}; CPU vs (b) {cpu / b_cpu:.3f}")
    print(f"load average at end {_load()}")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
