"""Speech to text per audio channel, on the archive's own machine.

- `contract`: what a backend takes and gives (`SpeechBackend`, `SpeechSegment`, `Word`).
- `whisper`, `sphinx`: the backends; `backends.open_backend(name, model)` opens one.
- `models`: the Whisper model directory (`HEXAGLOT_SPEECH_MODEL` or the packaged one),
  verified by SHA-256 before loading.
- `audio`: one audio stream of a master as 16 kHz mono windows (PyAV).
- `checkpoint`, `transcribe`: resumable transcription of a channel, window by window.
- `vtt`: segments as a WebVTT file.
- `turns`: speakers' start and end proposed from the floor transcript.
"""
