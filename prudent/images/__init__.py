"""Image guardrails: nudity, logo, location-metadata, unscannable-image, unsafe-svg.

Where things are: ``references.py`` finds images in the texts, ``fetch.py``
downloads remote ones, ``decode.py`` and ``svg.py`` read the bytes,
``nudity.py``, ``logo.py`` (with ``library.py`` and the shipped ``marks.py``),
``badge.py`` and ``location.py`` are the detectors,
``scanner.py`` runs them in worker processes, ``cache.py`` remembers results and
``checker.py`` turns them into findings. ``strip.py`` removes location metadata.
"""

from prudent.images.checker import RULES, ImageChecker

__all__ = ["RULES", "ImageChecker"]
