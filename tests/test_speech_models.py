"""The Whisper model is verified by SHA-256 before anything loads it: a wrong checksum is a
clear error, leaves nothing half-assembled and never imports the inference engine."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from hexaglot.speech.errors import SpeechModelError
from hexaglot.speech.models import (
    PackagedFile,
    PackagedModel,
    SpeechModel,
    assemble,
    packaged_models,
    resolve_model,
)
from tests.speech_media import whisper_model_or_skip

PART1, PART2 = b"first half of the weights " * 1000, b"second half" * 700


@pytest.fixture
def parts_on_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Two installed 'packages' holding the halves of a model.bin and a config."""
    site = tmp_path / "site"
    for name, data in (("hxtest_part1", PART1), ("hxtest_part2", PART2)):
        (site / name / "data").mkdir(parents=True)
        (site / name / "__init__.py").write_text("")
        (site / name / "data" / "model.bin.part").write_bytes(data)
    (site / "hxtest_part1" / "data" / "config.json").write_text('{"n": 1}')
    monkeypatch.syspath_prepend(str(site))
    return site


def fake_model(model_sha: str) -> PackagedModel:
    return PackagedModel(
        name="whisper-test", source="made by the test", license="none",
        packages={"hxtest-part1": "1.0", "hxtest-part2": "1.0"}, wheels={},
        files={"model.bin": PackagedFile(parts=[("hxtest_part1", "data/model.bin.part"),
                                                ("hxtest_part2", "data/model.bin.part")],
                                         sha256=model_sha),
               "config.json": PackagedFile(parts=[("hxtest_part1", "data/config.json")],
                                           sha256=hashlib.sha256(b'{"n": 1}').hexdigest())})


def test_parts_are_assembled_and_checked(parts_on_path: Path, tmp_path: Path) -> None:
    good = hashlib.sha256(PART1 + PART2).hexdigest()
    model = assemble(fake_model(good), tmp_path / "cache")
    assert (model.path / "model.bin").read_bytes() == PART1 + PART2
    assert dict(model.expected)["model.bin"] == good
    model.verify()


def test_a_wrong_hash_is_a_clear_error_and_leaves_nothing(parts_on_path: Path,
                                                          tmp_path: Path) -> None:
    wrong = "0" * 64
    actual = hashlib.sha256(PART1 + PART2).hexdigest()
    with pytest.raises(SpeechModelError) as caught:
        assemble(fake_model(wrong), tmp_path / "cache")
    message = str(caught.value)
    assert actual in message and wrong in message and "hxtest_part1" in message
    assert "nothing was loaded" in message
    target = tmp_path / "cache" / "whisper-test"
    assert not (target / "model.bin").exists()
    assert [p.name for p in target.iterdir() if p.name.startswith(".")] == []


def test_a_damaged_model_bin_is_refused_before_the_engine_is_imported(tmp_path: Path) -> None:
    """In a fresh interpreter: verification fails, and neither faster-whisper nor
    CTranslate2 was ever imported (nothing loaded)."""
    (tmp_path / "m").mkdir()
    (tmp_path / "m" / "model.bin").write_bytes(b"not the weights")
    code = """
import json, sys
from pathlib import Path
from hexaglot.speech.errors import SpeechModelError
from hexaglot.speech.models import SpeechModel
from hexaglot.speech.backends import open_backend
model = SpeechModel("whisper-base", Path(sys.argv[1]), "test", (("model.bin", "ab" * 32),))
try:
    open_backend("faster-whisper", model)
    error = None
except SpeechModelError as exc:
    error = str(exc)
print(json.dumps({"error": error, "loaded": sorted(m for m in sys.modules
                  if m.split(".")[0] in ("faster_whisper", "ctranslate2"))}))
"""
    out = subprocess.run([sys.executable, "-c", code, str(tmp_path / "m")], capture_output=True,
                         text=True, check=True, env=dict(os.environ))
    result = json.loads(out.stdout)
    assert result["loaded"] == []
    assert result["error"] and "model.bin: SHA-256" in result["error"]
    assert "abab" in result["error"] and "nothing was" in result["error"]


def test_a_user_model_directory_is_checked_against_its_sha256sums(tmp_path: Path) -> None:
    (tmp_path / "model.bin").write_bytes(b"weights")
    (tmp_path / "SHA256SUMS").write_text(f"{'c' * 64}  model.bin\n")
    model = resolve_model(tmp_path, tmp_path / "cache")
    with pytest.raises(SpeechModelError, match="is not the expected c{64}"):
        model.verify()
    (tmp_path / "SHA256SUMS").write_text(f"{hashlib.sha256(b'weights').hexdigest()}  model.bin\n")
    resolve_model(tmp_path, tmp_path / "cache").verify()


def test_a_directory_without_a_model_says_how_to_get_one(tmp_path: Path) -> None:
    with pytest.raises(SpeechModelError, match=r"no model.bin.*hexaglot\[speech\]"):
        resolve_model(tmp_path, tmp_path / "cache")
    with pytest.raises(SpeechModelError, match="no such directory"):
        resolve_model(tmp_path / "absent", tmp_path / "cache")


def test_the_packaged_models_are_pinned() -> None:
    models = packaged_models()
    assert models[0].name == "whisper-base"
    for m in models:
        assert all(v.count(".") >= 1 for v in m.packages.values())
        assert len(m.files["model.bin"].parts) == 2 and len(m.files["model.bin"].sha256) == 64
        assert all(len(sha) == 64 for sha in m.wheels.values())


def test_the_installed_model_is_verified_and_a_damaged_copy_refused(
        tmp_path_factory: pytest.TempPathFactory, tmp_path: Path) -> None:
    model = whisper_model_or_skip(tmp_path_factory.getbasetemp() / "speech-models")
    model.verify()
    copy = tmp_path / "copy"
    copy.mkdir()
    for f in model.path.iterdir():
        (copy / f.name).symlink_to(f)
    (copy / "model.bin").unlink()
    data = bytearray((model.path / "model.bin").read_bytes())
    data[len(data) // 2] ^= 0xFF
    (copy / "model.bin").write_bytes(bytes(data))
    damaged = SpeechModel(model.name, copy, model.source, model.expected)
    from hexaglot.speech.backends import open_backend

    with pytest.raises(SpeechModelError, match="is damaged or not the pinned one"):
        open_backend("faster-whisper", damaged)


def test_backends_are_chosen_and_named_plainly() -> None:
    from hexaglot.speech.backends import backend_for, open_backend
    from hexaglot.speech.errors import SpeechInputError

    assert backend_for("en", None) == "pocketsphinx"
    model = SpeechModel("whisper-base", Path("/nowhere"), "test")
    assert backend_for("es", model) == "faster-whisper"
    with pytest.raises(SpeechModelError, match=r"no speech model for 'es'.*hexaglot\[speech\]"):
        backend_for("es", None)
    with pytest.raises(SpeechInputError, match="no speech backend 'vosk' .*faster-whisper, pocketsphinx"):
        open_backend("vosk")
