"""NudeNet's detector (the 320n model shipped in the ``nudenet`` wheel), run our way.

Same model, same labels and the same post-processing as ``NudeDetector.detect``
(score >= 0.2, class-agnostic NMS at IoU 0.45), with three differences:
- the whole image is fed at its own aspect ratio (the model takes any size that
  is a multiple of 32) within the pixel budget of NudeNet's 320x320 square, so a
  wide picture is not shrunk into a letterbox;
- a large image (long side above ``tile_above``) is also read in overlapping
  tiles, batched into one model call, so a small region is not lost;
- the post-processing is vectorised (NudeNet loops in Python over 2,100 rows).
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

import cv2
import numpy as np
from PIL import Image

LABELS = (
    "FEMALE_GENITALIA_COVERED",
    "FACE_FEMALE",
    "BUTTOCKS_EXPOSED",
    "FEMALE_BREAST_EXPOSED",
    "FEMALE_GENITALIA_EXPOSED",
    "MALE_BREAST_EXPOSED",
    "ANUS_EXPOSED",
    "FEET_EXPOSED",
    "BELLY_COVERED",
    "FEET_COVERED",
    "ARMPITS_COVERED",
    "ARMPITS_EXPOSED",
    "FACE_MALE",
    "BELLY_EXPOSED",
    "MALE_GENITALIA_EXPOSED",
    "ANUS_COVERED",
    "FEMALE_BREAST_COVERED",
    "BUTTOCKS_COVERED",
)
MODEL_SIDE = 320
TILE_INPUT = 320  # each tile is fed at the model's own size
MIN_SCORE = 0.2  # NudeNet's own floor; the policy's min_score filters above it


def model_path() -> Path:
    import nudenet

    return Path(nudenet.__file__).resolve().parent / "320n.onnx"


def model_version() -> str:
    """Changes with the nudenet package or its model file (a cache key part)."""
    digest = hashlib.sha256(model_path().read_bytes()).hexdigest()[:12]
    return f"nudenet-{version('nudenet')}-320n-{digest}"


@dataclass(frozen=True)
class Detection:
    label: str
    score: float
    box: tuple[int, int, int, int]  # x, y, width, height in the original image's pixels


class NudityDetector:
    def __init__(self, *, threads: int = 1, tile_above: int = 1600, tile_side: int = 800) -> None:
        import onnxruntime

        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        options.log_severity_level = 3
        self.session = onnxruntime.InferenceSession(
            str(model_path()), options, providers=["CPUExecutionProvider"]
        )
        self.input_name = self.session.get_inputs()[0].name
        self.tile_above = tile_above
        self.tile_side = tile_side

    def detect(
        self, frame: Image.Image, scale: float = 1.0, original_long: int = 0
    ) -> list[Detection]:
        """Detections in ``frame`` (RGB); boxes multiplied by ``scale`` to original pixels.

        ``original_long`` is the original image's long side: tiling is decided on
        it, since ``frame`` may already be reduced.
        """
        rgb = np.asarray(frame.convert("RGB") if frame.mode != "RGB" else frame)
        height, width = rgb.shape[:2]
        found = self._whole(rgb)
        if max(original_long, width, height) > self.tile_above:
            found += self._tiles(rgb, scale)
        dets = _nms(found)
        return [
            Detection(
                LABELS[c],
                round(float(s), 3),
                (round(x * scale), round(y * scale), round(w * scale), round(h * scale)),
            )
            for (x, y, w, h), s, c in dets
        ]

    # -- passes ------------------------------------------------------------

    def _whole(self, rgb: np.ndarray) -> list[tuple[tuple[float, ...], float, int]]:
        height, width = rgb.shape[:2]
        # Same pixel budget as NudeNet's 320x320, shaped like the image.
        aspect = width / height
        in_w = _round32(MODEL_SIDE * math.sqrt(aspect))
        in_h = _round32(MODEL_SIDE / math.sqrt(aspect))
        in_w, in_h = min(in_w, 4 * MODEL_SIDE), min(in_h, 4 * MODEL_SIDE)
        f = min(in_w / width, in_h / height)
        blob = _blob([rgb], (in_w, in_h), f)
        out = self.session.run(None, {self.input_name: blob})[0]
        return _decode(out[0], 1.0 / f, 0, 0, width, height)

    def _tiles(self, rgb: np.ndarray, scale: float) -> list[tuple[tuple[float, ...], float, int]]:
        height, width = rgb.shape[:2]
        side = max(32, round(self.tile_side / max(scale, 1e-6)))  # tile size in work pixels
        side = min(side, max(width, height))
        step = max(1, int(side * 0.75))
        origins = [(x, y) for y in _starts(height, side, step) for x in _starts(width, side, step)]
        origins = [(x, y) for x, y in origins if _may_show_skin(rgb[y : y + side, x : x + side])]
        found: list[tuple[tuple[float, ...], float, int]] = []
        f = TILE_INPUT / side
        for i in range(0, len(origins), 8):
            batch = origins[i : i + 8]
            crops = [rgb[y : y + side, x : x + side] for x, y in batch]
            out = self.session.run(
                None, {self.input_name: _blob(crops, (TILE_INPUT, TILE_INPUT), f)}
            )[0]
            for (x, y), rows in zip(batch, out, strict=True):
                found += _decode(rows, 1.0 / f, x, y, width, height)
        return found


def _may_show_skin(crop: np.ndarray) -> bool:
    """Whether a tile is worth NudeNet's time: it has skin-coloured pixels, or no colour to
    tell by (a grey or sepia picture, an odd white balance: those tiles are always read).

    The labels the rule blocks are body parts; a tile without 1% of skin-toned pixels (the
    classic YCrCb skin range, wide) holds none of them at a size the whole-image pass missed.
    """
    small = crop[::4, ::4]
    ycrcb = cv2.cvtColor(np.ascontiguousarray(small), cv2.COLOR_RGB2YCrCb)
    cr, cb = ycrcb[..., 1].astype(np.int16), ycrcb[..., 2].astype(np.int16)
    if float(np.mean(np.abs(cr - 128) + np.abs(cb - 128))) < 6:
        return True  # next to no colour: cannot tell skin by it
    skin = (cr >= 133) & (cr <= 180) & (cb >= 70) & (cb <= 130)
    return float(skin.mean()) >= 0.01


def _round32(v: float) -> int:
    return max(32, round(v / 32.0) * 32)


def _starts(length: int, side: int, step: int) -> list[int]:
    if length <= side:
        return [0]
    starts = list(range(0, length - side, step))
    starts.append(length - side)
    return starts


def _blob(crops: list[np.ndarray], size: tuple[int, int], f: float) -> np.ndarray:
    """Resize each crop by ``f``, pad bottom/right with black to ``size`` (like NudeNet)."""
    in_w, in_h = size
    blob = np.zeros((len(crops), in_h, in_w, 3), dtype=np.float32)
    for i, crop in enumerate(crops):
        h, w = crop.shape[:2]
        nw, nh = max(1, min(in_w, round(w * f))), max(1, min(in_h, round(h * f)))
        resized = cv2.resize(crop, (nw, nh), interpolation=cv2.INTER_LINEAR)
        blob[i, :nh, :nw] = resized
    blob *= 1.0 / 255.0
    return blob.transpose(0, 3, 1, 2).copy()


def _decode(
    rows: np.ndarray, inv: float, dx: int, dy: int, width: int, height: int
) -> list[tuple[tuple[float, ...], float, int]]:
    """One image's model output (22 x N) to boxes in the frame's pixels."""
    preds = rows.T
    scores = preds[:, 4:]
    cls = scores.argmax(1)
    best = scores[np.arange(len(cls)), cls]
    keep = best >= MIN_SCORE
    if not keep.any():
        return []
    cx, cy, w, h = (preds[keep, i] * inv for i in range(4))
    x = np.clip(cx - w / 2 + dx, 0, width)
    y = np.clip(cy - h / 2 + dy, 0, height)
    w = np.minimum(w, width - x)
    h = np.minimum(h, height - y)
    return [
        ((float(a), float(b), float(c), float(d)), float(s), int(k))
        for a, b, c, d, s, k in zip(x, y, w, h, best[keep], cls[keep], strict=True)
    ]


def _nms(
    found: list[tuple[tuple[float, ...], float, int]],
) -> list[tuple[tuple[float, ...], float, int]]:
    if not found:
        return []
    boxes = [list(b) for b, _, _ in found]
    scores = [s for _, s, _ in found]
    keep = cv2.dnn.NMSBoxes(boxes, scores, 0.25, 0.45)
    return [found[int(i)] for i in np.array(keep).reshape(-1)]
