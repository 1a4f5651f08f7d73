"""Benchmark: how good and how costly are voice notes' machine drafts?

Makes its own clips (nobody's voice): espeak-ng reads English sentences a parent might say, at
two speeds, once clean and once with pink noise mixed in by sox; each clip is encoded as WebM
Opus at 24 kbit/s with PyAV, as a phone's browser sends it. Then, in the same run:

* baseline: the bare engine call, PocketSphinx's ``Decoder.process_raw`` on the clip's 16 kHz
  PCM (what anyone using the engine directly would do);
* Heard: ``voice.drafts.draft_of`` on the WebM bytes: decoding, resampling, recognition, the
  same engine loaded once.

Reports word error rate (word edit distance over the reference's words) per condition and
overall, CPU seconds per second of audio for both sides and their ratio. Needs ``espeak-ng``
and ``sox`` (Debian: ``apt-get install espeak-ng sox``).

    python -m bench.drafts --json bench/results/drafts.json
"""

from __future__ import annotations

import argparse
import io
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from voice import drafts  # noqa: E402

SENTENCES = [
    "my son loved the painting and the staff listened to us",
    "the meeting was helpful and we know what happens next",
    "it was good to meet other parents in the group",
    "i would like more sessions in the school holidays",
    "the worker was kind and she explained everything to me",
    "my daughter was shy at first but now she joins in",
    "we did not know where to go before this",
    "the room was too small and it was very noisy",
    "thank you for listening to my child",
    "the bus to the centre is hard for us to get",
]
SPEEDS = {"slow": 130, "quick": 175}
NOISE_VOLUME = 0.02  # pink noise at 2% of full scale: a quiet room with a radiator ticking


def word_error_rate(reference: str, hypothesis: str) -> tuple[int, int]:
    """(word edits, reference words)."""
    ref, hyp = reference.split(), hypothesis.lower().split()
    row = list(range(len(hyp) + 1))
    for i, r in enumerate(ref, 1):
        previous, row[0] = row[0], i
        for j, h in enumerate(hyp, 1):
            previous, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, previous + (r != h))
    return row[-1], len(ref)


def _webm(wav: Path) -> bytes:
    import av

    buffer = io.BytesIO()
    with av.open(str(wav)) as source, av.open(buffer, "w", format="webm") as out:
        stream = out.add_stream("libopus", rate=48000)
        stream.layout = "mono"
        stream.bit_rate = 24000
        resampler = av.AudioResampler(format="s16", layout="mono", rate=48000)
        for frame in source.decode(audio=0):
            for f in resampler.resample(frame):
                for packet in stream.encode(f):
                    out.mux(packet)
        for f in resampler.resample(None):
            for packet in stream.encode(f):
                out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)
    return buffer.getvalue()


def make_clips(folder: Path) -> list[dict]:
    clips = []
    for n, sentence in enumerate(SENTENCES):
        for speed, wpm in SPEEDS.items():
            clean = folder / f"{n}-{speed}.wav"
            subprocess.run(
                ["espeak-ng", "-v", "en-us+f2", "-s", str(wpm), "-g", "4", "-w", str(clean), sentence], check=True
            )
            rate = subprocess.run(["soxi", "-r", str(clean)], check=True, capture_output=True, text=True).stdout
            noisy, noise = folder / f"{n}-{speed}-noisy.wav", folder / f"{n}-{speed}-noise.wav"
            seconds = subprocess.run(["soxi", "-D", str(clean)], check=True, capture_output=True, text=True).stdout
            subprocess.run(
                [
                    "sox",
                    "-n",
                    "-r",
                    rate.strip(),
                    "-c",
                    "1",
                    "-b",
                    "16",
                    str(noise),
                    "synth",
                    seconds.strip(),
                    "pinknoise",
                    "vol",
                    str(NOISE_VOLUME),
                ],
                check=True,
            )
            subprocess.run(["sox", "-m", str(clean), str(noise), str(noisy)], check=True)
            for noise, wav in (("clean", clean), ("noisy", noisy)):
                webm = _webm(wav)
                pcm = drafts.to_pcm(webm)
                clips.append(
                    {
                        "sentence": sentence,
                        "speed": speed,
                        "noise": noise,
                        "webm": webm,
                        "pcm": pcm,
                        "seconds": len(pcm) / 2 / drafts.SAMPLE_RATE,
                    }
                )
    return clips


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    for tool in ("espeak-ng", "sox", "soxi"):
        if shutil.which(tool) is None:
            sys.exit(f"{tool} is needed to make the clips (apt-get install espeak-ng sox)")
    with tempfile.TemporaryDirectory() as folder:
        clips = make_clips(Path(folder))
    engine = drafts.PocketSphinxEngine()
    drafts.draft_of(clips[0]["webm"], "en")  # load Heard's engine once, as the worker does

    bare_cpu = heard_cpu = audio_seconds = 0.0
    by_condition: dict[str, list[int]] = {}
    for clip in clips:
        start = time.process_time()
        engine.transcribe(clip["pcm"], "en")
        bare_cpu += time.process_time() - start
        start = time.process_time()
        draft = drafts.draft_of(clip["webm"], "en")
        heard_cpu += time.process_time() - start
        audio_seconds += clip["seconds"]
        edits, words = word_error_rate(clip["sentence"], draft.text or "")
        for key in (f"{clip['speed']}, {clip['noise']}", "all"):
            tally = by_condition.setdefault(key, [0, 0])
            tally[0] += edits
            tally[1] += words
    result = {
        "engine": engine.name,
        "clips": len(clips),
        "audio_seconds": round(audio_seconds, 1),
        "wer": {k: round(e / w, 3) for k, (e, w) in by_condition.items()},
        "bare_cpu_per_audio_second": round(bare_cpu / audio_seconds, 3),
        "heard_cpu_per_audio_second": round(heard_cpu / audio_seconds, 3),
        "ratio": round(heard_cpu / bare_cpu, 3),
    }
    print(f"{result['clips']} clips, {result['audio_seconds']} s of speech, engine {result['engine']}")
    for condition, wer in result["wer"].items():
        print(f"  word error rate, {condition}: {wer:.0%}")
    print(
        f"  CPU s per audio s: bare engine {result['bare_cpu_per_audio_second']}, "
        f"Heard's draft {result['heard_cpu_per_audio_second']} (ratio {result['ratio']})"
    )
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
