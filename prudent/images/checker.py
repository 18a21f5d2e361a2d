"""``ImageChecker(policy).check(site) -> Report``: every image the site would publish.

Images are gathered from the site (every published image file, the theme's)
and from the references in its texts (local files, remote URLs, data: URIs),
scanned once per distinct content (cached by SHA-256), and each result becomes
findings placed on the references that publish the image, or on the file.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from prudent.document import Site
from prudent.findings import Allowance, Finding, Location, Severity
from prudent.images.cache import ResultCache
from prudent.images.decode import EXTENSION_FORMATS, FORMAT_EXTENSION, Unscannable, sniff
from prudent.images.fetch import Fetcher, FetchError, RemoteSettings
from prudent.images.library import (
    LibrarySettings,
    LogoError,
    load_library,
    reference_files,
    select_marks,
)
from prudent.images.logo import LogoSettings
from prudent.images.marks import Mark
from prudent.images.nudity import LABELS, model_version
from prudent.images.references import DATA, LOCAL, REMOTE, Reference, find_references
from prudent.images.scanner import Result, Scanner, ScanSettings
from prudent.images.svg import data_uri_bytes
from prudent.policy import DATA_DIR, Policy
from prudent.report import Report

NUDITY, LOGO, LOCATION, UNSCANNABLE, UNSAFE_SVG = (
    "nudity",
    "logo",
    "location-metadata",
    "unscannable-image",
    "unsafe-svg",
)
RULES = {
    NUDITY: "NudeNet finds a blocked body part in a published image",
    LOGO: "a published image shows a government mark Prudent ships, a reference logo from guardrails/logos/, or an ID badge",
    LOCATION: "a published image carries GPS or XMP location metadata",
    UNSCANNABLE: "a published image cannot be read or fetched, so it cannot be checked",
    UNSAFE_SVG: "a published SVG has scripts, event handlers or other active content",
}
ALLOWABLE = (NUDITY, LOGO, LOCATION)
DEFAULT_BLOCK = [
    "FEMALE_GENITALIA_EXPOSED",
    "MALE_GENITALIA_EXPOSED",
    "BUTTOCKS_EXPOSED",
    "ANUS_EXPOSED",
    "FEMALE_BREAST_EXPOSED",
    "FEMALE_GENITALIA_COVERED",
]
SEVERITIES = ("error", "warning")
BADGE_CHOICES = ("error", "warning", "off")  # images.logo.badge
# 2: SVG external references in CSS and every href; 3: shipped marks, ID badges, boxes;
# 4: CSS escapes and comments decoded before looking for what an SVG loads
CODE_VERSION = "images-4"
STRIP_COMMAND = ".venv/bin/invoke strip-location"


class ModelUnavailable(Exception):
    """NudeNet's model cannot be loaded: nothing can be checked, so nothing is published."""


@lru_cache(maxsize=1)
def _model_version() -> str:
    try:
        return model_version()
    except (ImportError, OSError) as exc:
        raise ModelUnavailable(
            f"NudeNet's 320n model cannot be loaded ({exc}); reinstall the pinned "
            "requirements (make venv). Nothing was published."
        ) from None


@dataclass
class _Target:
    name: str  # what the messages call it: a project path, a URL, "a data: URI in ..."
    kind: str  # LOCAL | REMOTE | DATA
    path: Path | None = None
    data: bytes | None = None
    error: str = ""  # could not even get the bytes
    where: list[Location] = field(default_factory=list)  # references that publish it
    file_location: Location | None = None  # the file itself (PATH:1:1)
    sha256: str = ""
    network: bool = False  # REMOTE: the server could not be reached at all

    def locations(self) -> list[Location]:
        if self.where:
            return sorted(set(self.where))
        return [self.file_location] if self.file_location else []


@dataclass(frozen=True)
class _Allow:
    sha256: str
    rules: tuple[str, ...]
    reason: str
    line: int


class ImageChecker:
    def __init__(self, policy: Policy, *, progress: bool = False) -> None:
        self.policy = policy
        self.progress = progress
        p = policy
        self.block = set(p.get_str_list("images.nudity.block", DEFAULT_BLOCK))
        unknown = sorted(self.block - set(LABELS))
        if unknown:
            raise p.error(
                "images.nudity.block",
                f"unknown NudeNet label(s) {', '.join(unknown)}; the labels are: {', '.join(LABELS)}",
            )
        self.min_score = p.get("images.nudity.min_score", float, 0.5)
        if not 0.2 <= self.min_score <= 1.0:
            raise p.error(
                "images.nudity.min_score", "'images.nudity.min_score' must be between 0.2 and 1"
            )
        tile_above = p.positive("images.nudity.tile_above", int, 1600)
        self.severity = {
            NUDITY: Severity(p.choice("images.nudity.severity", SEVERITIES, "error")),
            LOGO: Severity(p.choice("images.logo.severity", SEVERITIES, "error")),
            LOCATION: Severity(p.choice("images.location.severity", SEVERITIES, "error")),
            UNSCANNABLE: Severity.ERROR,  # fail closed, always
            UNSAFE_SVG: Severity.ERROR,
        }
        logo = LogoSettings(
            min_inliers=p.get("images.logo.min_inliers", int, LogoSettings.min_inliers),
            ratio=p.get("images.logo.ratio", float, LogoSettings.ratio),
            max_side=p.get("images.logo.max_side", int, LogoSettings.max_side),
        )
        if logo.min_inliers < 8:
            raise p.error(
                "images.logo.min_inliers", "'images.logo.min_inliers' below 8 matches noise"
            )
        if not 0.5 <= logo.ratio <= 0.95:
            raise p.error("images.logo.ratio", "'images.logo.ratio' must be between 0.5 and 0.95")
        if not 320 <= logo.max_side <= 4096:
            raise p.error(
                "images.logo.max_side", "'images.logo.max_side' must be between 320 and 4096"
            )
        self.badge = p.choice("images.logo.badge", BADGE_CHOICES, "error")
        folder = p.get("images.logo.references", str, "guardrails/logos")
        self.logo_folder = folder
        marks = self._marks()
        own = p.root / folder
        prefix = f"{DATA_DIR}/"
        if not own.exists() and folder.startswith(prefix):  # no logos/ of the site's own
            own = p.data_path(folder.removeprefix(prefix))
        files = reference_files(own)
        cache_root = p.root / ".cache" / "prudent" / "images"
        try:
            library = load_library(
                marks, files, LibrarySettings(), cache_root / "library", folder_name=folder
            )
        except LogoError as exc:
            raise p.error("images.logo.references", str(exc)) from None
        remote = RemoteSettings(
            timeout_seconds=p.positive("images.remote.timeout_seconds", float, 10.0),
            max_bytes=p.positive("images.remote.max_bytes", int, 20_000_000),
            cache_hours=p.non_negative(
                "images.remote.cache_hours", float, 24.0, "download every build"
            ),
            offline=p.get("images.remote.offline", bool, False),
        )
        self.settings = ScanSettings(
            max_pixels=p.positive("images.max_pixels", int, 64_000_000),
            max_frames=p.positive("images.max_frames", int, 16),
            tile_above=tile_above,
            logo=logo,
            badges=self.badge != "off",
        )
        workers = p.non_negative("images.workers", int, 0, "one per CPU core")
        use_cache = p.get("images.cache", bool, True)
        self.allows = self._read_allows()
        # Allowances apply when findings are made, so they do not invalidate results.
        section = {k: v for k, v in p.data.get("images", {}).items() if k != "allow"}
        section = json.dumps(section, sort_keys=True, default=str)
        version = hashlib.sha256(
            "\0".join(
                [
                    CODE_VERSION,
                    _model_version(),
                    library.version,
                    repr(self.settings),
                    section,
                ]
            ).encode()
        ).hexdigest()[:24]
        self.cache = ResultCache(cache_root / "results", version, enabled=use_cache)
        self.fetcher = Fetcher(cache_root / "remote", remote)
        self.scanner = Scanner(self.settings, library, workers=workers)
        self.library = library

    def _marks(self) -> list[Mark]:
        p = self.policy
        wanted = p.get("images.logo.marks", (str, list), "all")
        if wanted == "all":
            return select_marks(None)
        if not isinstance(wanted, list) or not all(isinstance(w, str) for w in wanted):
            raise p.error(
                "images.logo.marks",
                "'images.logo.marks' must be \"all\" or a list of mark ids ([] for none)",
            )
        try:
            return select_marks(wanted)
        except ValueError as exc:
            raise p.error("images.logo.marks", str(exc)) from None

    def _read_allows(self) -> list[_Allow]:
        p = self.policy
        entries = p.get("images.allow", list, [])
        line = p.line_of("images.allow")
        out = []
        for i, entry in enumerate(entries):
            where = f"images.allow[{i}]"
            if not isinstance(entry, dict):
                raise p.error("images.allow", f"{where} must be a table ([[images.allow]])")
            extra = set(entry) - {"sha256", "rules", "reason", "file"}
            if extra:
                raise p.error(
                    "images.allow", f"unknown key(s) {', '.join(sorted(extra))} in {where}"
                )
            sha = entry.get("sha256")
            reason = entry.get("reason")
            rules = entry.get("rules", list(ALLOWABLE))
            if (
                not isinstance(sha, str)
                or len(sha) != 64
                or any(c not in "0123456789abcdef" for c in sha)
            ):
                raise p.error("images.allow", f"{where}.sha256 must be the image's 64-hex SHA-256")
            if not isinstance(reason, str) or not reason.strip():
                raise p.error("images.allow", f'{where} needs a reason = "..."')
            if not isinstance(rules, list) or any(r not in ALLOWABLE for r in rules):
                raise p.error("images.allow", f"{where}.rules may only name {', '.join(ALLOWABLE)}")
            out.append(_Allow(sha, tuple(rules), reason.strip(), line))
        return out

    # -- checking ----------------------------------------------------------------

    def check(self, site: Site) -> Report:
        report = Report()
        targets = self._targets(site, report)
        results = self._scan(targets)
        for target in targets:
            if target.error:
                matched, message, fix = _unreachable(target, self.policy.path)
                self._emit(report, target, UNSCANNABLE, matched, message, fix)
                continue
            self._wrong_extension(report, target)
            self._findings(report, target, results[target.sha256], target.name)
        report.checked["images"] = len({t.sha256 for t in targets if t.sha256})
        return report

    def _targets(self, site: Site, report: Report) -> list[_Target]:
        by_path: dict[Path, _Target] = {}
        for image in site.images:
            path = (site.root / image.path).resolve()
            if path not in by_path:
                rel = site.rel(path)
                by_path[path] = _Target(rel, LOCAL, path, file_location=Location(rel, 1, 1))
        remote: dict[str, _Target] = {}
        data: dict[str, _Target] = {}
        for ref in find_references(site):
            self._add_reference(site, ref, by_path, remote, data)
        fetched = self.fetcher.fetch_all(list(remote))
        for url, result in fetched.items():
            if isinstance(result, FetchError):
                remote[url].error = f"the remote image {url} could not be checked: {result}"
                remote[url].network = result.network
            else:
                remote[url].data = result
        targets = [*by_path.values(), *remote.values(), *data.values()]
        for t in targets:
            if t.kind == LOCAL and t.data is None and not t.error:
                try:
                    t.data = t.path.read_bytes() if t.path else b""
                except OSError as exc:
                    t.error = f"the file cannot be read ({exc.strerror or exc})"
            if t.data is not None:
                t.sha256 = hashlib.sha256(t.data).hexdigest()
        return targets

    def _add_reference(
        self,
        site: Site,
        ref: Reference,
        by_path: dict[Path, _Target],
        remote: dict[str, _Target],
        data: dict[str, _Target],
    ) -> None:
        if ref.kind == LOCAL and ref.path is not None:
            path = ref.path.resolve()
            if path not in by_path:
                rel = site.rel(path)
                by_path[path] = _Target(rel, LOCAL, path, file_location=Location(rel, 1, 1))
                if not path.is_file():
                    by_path[
                        path
                    ].error = f"the image {ref.written!r} does not exist (looked for {rel})"
            by_path[path].where.append(ref.location)
        elif ref.kind == REMOTE:
            remote.setdefault(ref.url, _Target(ref.url, REMOTE)).where.append(ref.location)
        elif ref.kind == DATA:
            try:
                payload = data_uri_bytes(ref.url)
                error = ""
            except Unscannable as exc:
                payload, error = b"", str(exc)
            key = hashlib.sha256(ref.url.encode()).hexdigest()
            name = f"the data: URI image at {ref.location}"
            target = data.setdefault(key, _Target(name, DATA, data=payload, error=error))
            target.where.append(ref.location)

    def _scan(self, targets: list[_Target]) -> dict[str, Result]:
        results: dict[str, Result] = {}
        jobs: dict[str, bytes] = {}
        for t in targets:
            if not t.sha256 or t.sha256 in results or t.sha256 in jobs:
                continue
            cached = self.cache.get(t.sha256)
            if cached is not None:
                results[t.sha256] = cached
            else:
                jobs[t.sha256] = t.data or b""

        def store(key: str, result: Result) -> None:
            if not result.get("transient"):
                self.cache.put(key, result)

        results.update(self.scanner.scan(jobs, progress=self.progress, on_result=store))
        return results

    # -- findings ------------------------------------------------------------------

    def _wrong_extension(self, report: Report, t: _Target) -> None:
        if t.kind != LOCAL or t.path is None or not t.data:
            return
        claimed = EXTENSION_FORMATS.get(t.path.suffix.lower())
        actual = sniff(t.data)
        if claimed and actual and claimed != actual:
            why = (
                f"{t.name} is named {t.path.suffix} but its bytes are {actual.upper()}: browsers and "
                "servers disagree on such files, and the guardrails do not guess"
            )
            fix = f"Rename it to {t.path.stem}{FORMAT_EXTENSION[actual]} (and its references)."
            self._emit(
                report, t, UNSCANNABLE, f"{t.path.suffix} holding {actual.upper()}", why, fix
            )

    def _findings(self, report: Report, t: _Target, result: Result, name: str) -> None:
        if result.get("unscannable"):
            reason = str(result["unscannable"])
            self._emit(report, t, UNSCANNABLE, reason, _unscannable(t, reason, name))
            return
        active = result.get("active") or []
        if active:
            self._emit(
                report,
                t,
                UNSAFE_SVG,
                str(active[0]),
                f"{name} is an SVG with active content ({'; '.join(active[:5])}): opened on its "
                "own it runs code under your blog's address",
                f"Remove {_active_parts(active)} (export a plain SVG, or a PNG), then build again.",
            )
        for url in result.get("external") or []:
            self._emit(
                report,
                t,
                UNSCANNABLE,
                url,
                f"{name} loads {url} when it is shown: what comes from another server or a "
                "style sheet is never judged, so the SVG is not published (fail closed)",
                "Embed the picture in the SVG as a data: URI, or save it under content/images/ "
                "and refer to it by a relative path; remove CSS @import and remote url(...)",
            )
        for i, sub in enumerate(result.get("embedded") or [], 1):
            self._findings(report, t, sub, f"{name} (embedded image {i})")
        self._nudity(report, t, result, name)
        self._logos(report, t, result, name)
        self._places(report, t, result, name)

    def _nudity(self, report: Report, t: _Target, result: Result, name: str) -> None:
        frames = int(result.get("frames") or 1)
        for d in result.get("detections") or []:
            if d["label"] not in self.block or d["score"] < self.min_score:
                continue
            x, y, w, h = d["box"]
            where = f"at x={x}, y={y}, {w}x{h} px"
            if frames > 1:
                where += f" in frame {d['frame'] + 1} of {frames}"
            self._emit(
                report,
                t,
                NUDITY,
                f"{d['label']} {d['score']:.2f}",
                f"NudeNet sees {d['label']} (score {d['score']:.2f}, blocked from "
                f"{self.min_score:g}) in {name} {where}: no pictures you would not show your boss",
                "Remove or crop the picture"
                + self._allow_hint(t, NUDITY, "if NudeNet is wrong about it"),
                extra={
                    "box": d["box"],
                    "score": d["score"],
                    "label": d["label"],
                    "boxes": [_box(d["box"], d["label"], d["score"], d.get("frame", 0))],
                },
            )

    def _logos(self, report: Report, t: _Target, result: Result, name: str) -> None:
        frames = int(result.get("frames") or 1)
        for m in result.get("logos") or []:
            x, y, w, h = m["box"]
            where = f"at x={x}, y={y}, {w}x{h} px"
            if frames > 1:
                where += f" in frame {m['frame'] + 1} of {frames}"
            if m.get("negative"):
                where += " (in negative: light on dark)"
            self._emit(
                report,
                t,
                LOGO,
                m["name"],
                f"{name} shows {m['name']} (reference: {m['origin']}) {where}, "
                f"{m['inliers']} features agreeing: a government's or an employer's mark makes "
                "a personal post look official",
                "Crop or blur the mark, or pick another picture"
                + self._allow_hint(t, LOGO, "if it is not that mark"),
                extra={
                    "boxes": [_box(m["box"], m["id"], m["score"], m["frame"])],
                    "reference": m["id"],
                    "origin": m["origin"],
                    "inliers": m["inliers"],
                },
            )
        if self.badge == "off":
            return
        for b in result.get("badges") or []:
            x, y, w, h = b["box"]
            where = f"at x={x}, y={y}, {w}x{h} px"
            if frames > 1:
                where += f" in frame {b['frame'] + 1} of {frames}"
            self._emit(
                report,
                t,
                LOGO,
                "ID badge",
                f"{name} shows an ID badge {where}: a card with a face photograph and print "
                "on it. A badge tells everyone where you work, and makes a personal post look "
                "official",
                "Crop or blur the badge, or pick another picture"
                + self._allow_hint(t, LOGO, "if it is not an ID badge")
                + f'; to report badges without blocking, set badge = "warning" in [images.logo] of {self.policy.path}',
                extra={
                    "boxes": [
                        _box(b["box"], "ID badge", b["score"], b["frame"]),
                        _box(b["face"], "face on the badge", b["score"], b["frame"]),
                    ],
                    "reference": "id-badge",
                },
                severity=Severity(self.badge),
            )

    def _places(self, report: Report, t: _Target, result: Result, name: str) -> None:
        for place in result.get("places") or []:
            if t.kind == LOCAL and t.path is not None and name == t.name:
                fix = f"Strip it without re-encoding the picture: {STRIP_COMMAND} {t.name}"
            elif t.kind == REMOTE:
                fix = (
                    "Download it, strip it ("
                    + STRIP_COMMAND
                    + " FILE) and publish the stripped copy"
                )
            else:
                fix = (
                    "Save the picture as a file, strip it ("
                    + STRIP_COMMAND
                    + " FILE) and link to it"
                )
            self._emit(
                report,
                t,
                LOCATION,
                place["detail"],
                f"{name} carries {place['source']} location ({place['detail']}): anyone who "
                "downloads it learns where it was taken, your home perhaps",
                fix + self._allow_hint(t, LOCATION, "if the place is public on purpose"),
                extra={"lat": place.get("lat"), "lon": place.get("lon")},
            )

    def _allow_hint(self, t: _Target, rule: str, when: str) -> str:
        return (
            f". {when[0].upper()}{when[1:]}, allow it in {self.policy.path}: [[images.allow]] "
            f'sha256 = "{t.sha256}", rules = ["{rule}"], reason = "..."'
        )

    def _emit(
        self,
        report: Report,
        t: _Target,
        rule: str,
        matched: str,
        message: str,
        fix: str = "",
        extra: dict[str, object] | None = None,
        severity: Severity | None = None,
    ) -> None:
        allow = next(
            (
                a
                for a in self.allows
                if a.sha256 == t.sha256 and rule in a.rules and rule in ALLOWABLE
            ),
            None,
        )
        # Which picture, as plain data: the review report copies and draws it.
        extra = {"image": t.name if t.kind != DATA else "", "sha256": t.sha256, **(extra or {})}
        for location in t.locations():
            finding = Finding(
                rule, severity or self.severity[rule], location, matched, message, fix, extra
            )
            if allow:
                report.allowances.append(
                    Allowance(finding, allow.reason, Location(self.policy.path, allow.line))
                )
            else:
                report.findings.append(finding)

    def close(self) -> None:
        self.scanner.close()

    def release_workers(self) -> None:
        """Stop the worker processes and wait for them (the next scan starts new ones)."""
        self.scanner.close(wait=True)


def _box(box: list[int], label: str, score: float, frame: int = 0) -> dict[str, object]:
    """A box for reports and reviewers, in the original image's pixels (plain JSON data)."""
    x, y, w, h = (int(v) for v in box)
    return {
        "label": label,
        "x": x,
        "y": y,
        "w": w,
        "h": h,
        "score": float(score),
        "frame": int(frame),
    }


def _active_parts(active: list[str]) -> str:
    """What to remove, named after what the SVG scan found ("the <foreignObject> element")."""
    parts: list[str] = []
    for what in active:
        if what.startswith("an event handler"):
            part = "the event handlers (on...= attributes)"
        elif what.startswith("a script URL"):
            part = "the javascript: URLs"
        elif what.startswith("an <!ENTITY>"):
            part = "the <!ENTITY> declarations"
        elif what == "a <script> element":
            part = "the scripts"
        elif what.startswith("a <") and what.endswith(" element"):
            part = f"the {what.removeprefix('a ').removesuffix(' element')} element"
        else:
            part = what
        if part not in parts:
            parts.append(part)
    return ", ".join(parts[:-1]) + (" and " if len(parts) > 1 else "") + parts[-1]


def _unscannable(t: _Target, reason: str, name: str = "") -> str:
    return (
        f"{name or t.name} cannot be checked: {reason.rstrip('. ')}. An image the guardrails "
        "cannot read is not published (fail closed); re-export it as PNG or JPEG, or remove it"
    )


def _unreachable(t: _Target, policy_path: str) -> tuple[str, str, str]:
    """(matched, message, fix) for an image whose bytes could not be had."""
    message = (
        f"{t.error.rstrip('. ')}. An image the guardrails cannot check is not published "
        "(fail closed)"
    )
    if t.kind == LOCAL:
        return (
            t.error,
            message,
            (
                "Fix the path (from content/ when it starts with /, else from the post's folder) "
                "or add the file there"
            ),
        )
    if t.kind == REMOTE and t.network:
        return (
            t.name,
            message,
            (
                "Build with the network, or work offline: set offline = true under "
                f"[images.remote] in {policy_path} to judge the copies fetched on an earlier "
                "build, or save the picture under content/images/ and link that copy, or "
                "import with --remote-images link (a link to it, not the picture)"
            ),
        )
    if t.kind == REMOTE:
        return (
            t.name,
            message,
            ("Fix the URL, or save the picture under content/images/ and link that copy"),
        )
    return t.error, message, "Re-encode the data: URI, or save the picture as a file and link it"
