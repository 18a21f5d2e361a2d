"""Liquid (Jekyll), Nunjucks/Liquid (Eleventy) and Hugo shortcodes to Markdown.

One left-to-right pass over the body, so every position maps back to its line
in the source file. Code (fences and spans) is copied verbatim, ``{% raw %}``
blocks lose only their markers, and each link or image URL, in Markdown or in
raw HTML, goes through the ``LinkResolver``. Whatever has no Markdown
equivalent is reported with its line and what was done instead.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Callable
from pathlib import Path
from typing import Any

from importer.links import LinkResolver, is_image_path, is_remote

# (offset in the body, code, found, action)
Note = Callable[[int, str, str, str], None]

_FLAGS = re.S | re.M
_PATTERN = re.compile(
    r"""
    (?P<raw>\{%-?\s*raw\s*-?%\}(?P<raw_body>.*?)\{%-?\s*endraw\s*-?%\})
  | (?P<comment>\{%-?\s*comment\s*-?%\}.*?\{%-?\s*endcomment\s*-?%\}|\{\#.*?\#\})
  | (?P<fence>^[ \t]{0,3}(?P<fence_mark>`{3,}|~{3,})[^\n]*\n.*?(?:^[ \t]{0,3}(?P=fence_mark)[`~]*[ \t]*$|\Z))
  | (?P<span>(?<!`)(?P<ticks>`+)(?!`)(?:(?!\n[ \t]*\n).)+?(?<!`)(?P=ticks)(?!`))
  | (?P<lhighlight>\{%-?\s*highlight\s+(?P<lh_lang>[\w+-]+)[^%]*%\}\n?(?P<lh_body>.*?)\{%-?\s*endhighlight\s*-?%\})
  | (?P<hhighlight>\{\{[<%]\s*highlight\s+(?P<hh_lang>[\w+-]+)[^}]*[>%]\}\}\n?(?P<hh_body>.*?)\{\{[<%]\s*/highlight\s*[>%]\}\})
  | (?P<hugo>\{\{(?:<|%)\s*(?P<h_close>/)?\s*(?P<h_name>[\w./-]+)(?P<h_args>.*?)\s*(?:>|%)\}\})
  | (?P<tag>\{%-?\s*(?P<t_name>\w+)(?P<t_args>.*?)-?%\})
  | (?P<expr>\{\{-?\s*(?P<e_body>.*?)\s*-?\}\})
  | (?P<img_tag><img\b[^>]*>)
  | (?P<md>(?P<md_bang>!?)\[(?P<md_text>(?:[^\[\]\n]|\[[^\[\]\n]*\])*)\]\(\s*(?P<md_url><[^>\n]*>|(?:\{\{.*?\}\}|\{%.*?%\}|[^)\s])+)(?P<md_title>\s+(?:"[^"\n]*"|'[^'\n]*'|\([^)\n]*\)))?\s*\))
  | (?P<refdef>^[ ]{0,3}\[(?P<ref_id>[^\]\^\n][^\]\n]*)\]:[ \t]*(?P<ref_url><[^>\n]*>|\S+))
  | (?P<attr>\b(?P<a_name>href|src|poster|data-srcset|data-src|srcset|data)\s*=\s*(?P<a_q>["'])(?P<a_url>(?:\{\{.*?\}\}|\{%.*?%\}|(?!(?P=a_q))[^\n])*)(?P=a_q))
    """,
    _FLAGS | re.X,
)
_RAW_MARKERS = re.compile(r"\{%-?\s*(?:end)?raw\s*-?%\}")
_STRING = r"""(?:"[^"]*"|'[^']*')"""
_URL_FILTERS = {
    "url",
    "relative_url",
    "absolute_url",
    "prepend",
    "append",
    "safe",
    "escape",
    "strip",
}
_SITE_ROOT_VARS = re.compile(
    r"^(?:site\.(?:baseurl|url)|site\.baseurl\s*\|\s*\w+|base_?url|\.Site\.BaseURL)$"
)
_PIPES = re.compile(r"""(?:"[^"]*"|'[^']*'|[^|"'])+""")
_ATTR = re.compile(
    r"""([\w-]+)\s*[=:]\s*(?:"((?:\{\{.*?\}\}|[^"])*)"|'((?:\{\{.*?\}\}|[^'])*)'|([^\s,>]+))""",
    re.S,
)


def _unquote(token: str) -> str:
    token = token.strip()
    if len(token) >= 2 and token[0] == token[-1] and token[0] in "\"'":
        return token[1:-1]
    return token


def _args(text: str) -> list[str]:
    """Shortcode arguments: quoted or bare, separated by spaces or commas."""
    text = text.strip()
    try:
        lexer = shlex.shlex(text, posix=True)
        lexer.whitespace += ","
        lexer.whitespace_split = True
        return list(lexer)
    except ValueError:
        return [_unquote(t) for t in re.split(r"[\s,]+", text) if t]


class BodyConverter:
    def __init__(
        self,
        resolver: LinkResolver,
        meta: dict[str, Any],
        post_dir: Path,
        note: Note,
        counts: dict[str, int],
    ) -> None:
        self.resolver = resolver
        self.meta = {str(k).lower(): v for k, v in meta.items()}
        self.post_dir = post_dir
        self.note = note
        self.counts = counts

    def _count(self, what: str) -> None:
        self.counts[what] = self.counts.get(what, 0) + 1

    # -- entry point --------------------------------------------------------

    def convert(self, text: str, base: int = 0) -> str:
        return _PATTERN.sub(lambda m: self._one(m, base), text)

    def _one(self, m: re.Match[str], base: int) -> str:
        kind = m.lastgroup
        at = base + m.start()
        whole = m.group(0)
        if m.group("raw") is not None:
            self._count("raw blocks")
            return m.group("raw_body")
        if m.group("comment") is not None:
            self._count("comments")
            return ""
        if m.group("fence") is not None or m.group("span") is not None:
            return _RAW_MARKERS.sub("", whole)
        if m.group("lhighlight") is not None or m.group("hhighlight") is not None:
            lang = m.group("lh_lang") or m.group("hh_lang")
            body = m.group("lh_body") if m.group("lhighlight") is not None else m.group("hh_body")
            self._count("highlight blocks")
            return f"```{lang}\n{body.rstrip()}\n```"
        if m.group("hugo") is not None:
            return self._hugo(m, at)
        if m.group("tag") is not None:
            return self._liquid_tag(m.group("t_name"), m.group("t_args"), whole, at)
        if m.group("expr") is not None:
            value = self._expression(m.group("e_body"), whole, at, in_url=False)
            return value if value is not None else whole
        if m.group("img_tag") is not None:
            return self._img_tag(whole, at)
        if m.group("md") is not None:
            return self._markdown_link(m, base)
        if m.group("refdef") is not None:
            url = self._url(m.group("ref_url"), at + m.start("ref_url") - m.start(), whole)
            return whole[: m.start("ref_url") - m.start()] + (
                url if url is not None else m.group("ref_url")
            )
        if m.group("attr") is not None:
            return self._attr(m, at)
        raise AssertionError(kind)

    # -- URLs -----------------------------------------------------------------

    def _url(self, url: str, at: int, found: str) -> str | None:
        """The URL for the new site, or None for a missing local image."""
        if "{{" in url or "{%" in url:
            url = self._template_url(url, at)
        resolved = self.resolver.resolve(url, self.post_dir)
        if resolved.code:
            self.note(at, resolved.code, found, resolved.action)
        if resolved.url is not None and resolved.url != url.strip():
            self._count("links")
        return resolved.url

    def _template_url(self, url: str, at: int) -> str:
        def sub(m: re.Match[str]) -> str:
            if m.group(0).startswith("{%"):
                value = self._liquid_tag_url(m.group(0), at)
            else:
                value = self._expression(m.group(1), m.group(0), at, in_url=True)
            return value if value is not None else m.group(0)

        def hugo_ref(m: re.Match[str]) -> str:
            return self._post_ref(m.group(1), m.group(0), at, bare=True) or m.group(0)

        url = re.sub(r"\{\{[<%]\s*(?:rel)?ref\s+(.*?)\s*[>%]\}\}", hugo_ref, url)
        return re.sub(r"\{\{-?\s*(.*?)\s*-?\}\}|\{%.*?%\}", sub, url)

    def _liquid_tag_url(self, tag: str, at: int) -> str | None:
        m = re.match(r"\{%-?\s*(\w+)(.*?)-?%\}", tag, re.S)
        if m and m.group(1) in ("post_url", "link"):
            return self._post_ref(m.group(2), tag, at, bare=True)
        return None

    def _markdown_link(self, m: re.Match[str], base: int) -> str:
        at = base + m.start()
        text = m.group("md_text")
        text = self.convert(text, base + m.start("md_text"))
        url = self._url(m.group("md_url"), at, m.group(0))
        title = m.group("md_title") or ""
        if url is None:
            if m.group("md_bang"):
                return f"*{text.strip() or 'image not imported'}*"
            return text
        if m.group("md_bang"):
            url, as_link = self._remote(url, at, m.group(0))
            if as_link:
                return f"[{text.strip() or 'Picture'}]({_md_url(url)}{title})"
        if m.group("md_bang") and not text.strip():
            text = self._alt_from(url, at, m.group(0))
        return f"{m.group('md_bang')}[{text}]({_md_url(url)}{title})"

    def _remote(self, url: str, at: int, found: str, *, dropped: bool = False) -> tuple[str, bool]:
        """A picture on another server: ``(url, as_link)``.

        ``--remote-images keep``: it stays, and the build downloads and judges it.
        ``link``: it becomes a link to the picture (nothing remote is shown, so an
        offline build has nothing it cannot judge). ``download``: it is copied
        into content/images/remote/ now and judged like any local image; a
        picture that cannot be downloaded becomes a link, and the report says why.
        """
        if not is_remote(url):
            return url, False
        new, how = self.resolver.remote_image(url)
        if how == "copied":
            self._count("downloaded images")
            return new, False
        if how == "keep":
            return url, False
        why = self.resolver.download_errors.get(url)
        action = "image on another server turned into a link to it"
        if dropped:
            action = (
                "embedded from another server, where no build can judge it: removed "
                "(save it under content/images/ to show it)"
            )
        if why:
            action = f"could not download it ({why}): {action}"
        self.note(at, "remote-image", found, action)
        return url, True

    def _alt_from(self, url: str, at: int, found: str) -> str:
        alt = Path(url.split("?")[0]).stem.replace("-", " ").replace("_", " ")
        self.note(at, "empty-alt", found, f"image had no description: used {alt!r}; describe it")
        return alt

    def _attr(self, m: re.Match[str], at: int) -> str:
        name, q, value = m.group("a_name"), m.group("a_q"), m.group("a_url")
        if name.endswith("srcset"):
            parts = []
            for item in value.split(","):
                bits = item.strip().split(None, 1)
                if not bits:
                    continue
                url = self._url(bits[0], at, m.group(0))
                if url is not None and is_remote(url):
                    url, as_link = self._remote(url, at, m.group(0), dropped=True)
                    if as_link:
                        continue  # the other candidates (or the src) are shown instead
                if url is not None:
                    parts.append(" ".join([url, *bits[1:]]))
            if not parts:
                return ""
            return f"{name}={q}{', '.join(parts)}{q}"
        if name == "data" and _tag_of(m) != "object":
            return m.group(0)  # data= means nothing but on an <object>
        url = self._url(value, at, m.group(0))
        if url is not None and is_remote(url) and _embeds(_tag_of(m), name, url):
            url, as_link = self._remote(url, at, m.group(0), dropped=True)
            if as_link:
                return ""  # a poster, lazy picture or embedded media from elsewhere is dropped
        return f"{name}={q}{url if url is not None else value}{q}"

    def _img_tag(self, tag: str, at: int) -> str:
        attrs = {
            a.group(1).lower(): a.group(2) or a.group(3) or a.group(4) or ""
            for a in _ATTR.finditer(tag)
        }
        src = attrs.get("src", "")
        src_new = self._template_url(src, at) if "{{" in src or "{%" in src else src
        resolved = self.resolver.resolve(src_new, self.post_dir) if src_new else None
        if resolved is not None and resolved.url is None:
            self.note(at, resolved.code, tag, resolved.action)
            return f"*{attrs.get('alt') or 'image not imported'}*"
        if resolved is not None and is_remote(resolved.url or ""):
            new, as_link = self._remote(resolved.url or "", at, tag)
            if as_link:
                return f'<a href="{resolved.url}">{attrs.get("alt") or "Picture"}</a>'
            if new != resolved.url:
                tag = tag.replace(src, new, 1)
        out = _ATTR.sub(lambda a: self._img_attr(a, at, tag), tag)
        if not attrs.get("alt", "").strip():
            alt = self._alt_from(src_new or "image", at, tag)
            out = re.sub(r"\salt\s*=\s*(\"\"|'')", "", out)
            out = out.replace("<img", f'<img alt="{alt}"', 1)
        return out

    def _img_attr(self, a: re.Match[str], at: int, tag: str) -> str:
        name = a.group(1).lower()
        if name not in ("src", "srcset"):
            return a.group(0)
        value = (
            a.group(2)
            if a.group(2) is not None
            else a.group(3)
            if a.group(3) is not None
            else a.group(4)
        )
        fake = re.match(r"(?P<a_name>\w+)=(?P<a_q>\")(?P<a_url>.*)\"", f'{name}="{value}"', re.S)
        assert fake
        return self._attr(fake, at)

    # -- Liquid / Nunjucks ----------------------------------------------------

    def _expression(self, body: str, whole: str, at: int, *, in_url: bool) -> str | None:
        body = body.strip()
        pieces = [p.strip() for p in _PIPES.findall(body)]
        head, filters = pieces[0], pieces[1:]
        names = [re.split(r"[\s:]", f, maxsplit=1)[0] for f in filters]
        if _SITE_ROOT_VARS.match(body) or head in ("site.baseurl", "site.url"):
            self._count("base URLs")
            return ""
        value: str | None = None
        if re.fullmatch(_STRING, head):
            value = _unquote(head)
        elif head.startswith(("page.", "include.")) or head in self.meta:
            key = head.split(".", 1)[-1].lower()
            if key in self.meta and isinstance(self.meta[key], str | int | float):
                value = str(self.meta[key])
        if value is None:
            self.note(
                at, "unknown-expression", whole, "template expression not converted: kept as text"
            )
            return None
        for name, full in zip(names, filters, strict=True):
            arg = _unquote(full.split(":", 1)[1]) if ":" in full else ""
            if name in _URL_FILTERS:
                if name == "prepend" and "baseurl" not in arg:
                    value = arg + value
                elif name == "append":
                    value = value + arg
                continue
            if name in ("embed", "youtube", "vimeo", "video"):
                self._count("embeds")
                return f"[{arg or 'Video'}]({value})"
            if re.search(r"photo|image|img|avatar", name):
                self.note(
                    at,
                    "unknown-filter",
                    whole,
                    f"site-specific filter '{name}' has no equivalent: removed",
                )
                return ""
            self.note(
                at,
                "unknown-filter",
                whole,
                f"site-specific filter '{name}' has no equivalent: kept the text {value!r}",
            )
            return value
        self._count("template URLs" if in_url or value.startswith("/") else "template values")
        if in_url:
            return value
        if value.startswith("/") or is_image_path(value):
            url = self._url(value, at, whole)
            return url if url is not None else ""
        return value

    def _post_ref(self, args: str, whole: str, at: int, *, bare: bool) -> str | None:
        ref = _unquote(args.strip())
        link = self.resolver.post_link(ref)
        if link is None:
            self.note(
                at, "unresolved-link", whole, "link to a post that was not imported: kept as text"
            )
            return None
        self._count("post links")
        return link

    def _liquid_tag(self, name: str, args: str, whole: str, at: int) -> str:
        if name in ("raw", "endraw"):  # one half of a raw block that straddles a code fence
            self._count("raw blocks")
            return ""
        if name in ("image", "img", "figure", "image_with_class", "picture"):
            parts = _args(args)
            if not parts:
                self.note(at, "unknown-shortcode", whole, "image shortcode without a file: removed")
                return ""
            src = parts[0]
            rest = parts[1:]
            if name == "image_with_class" and rest:
                rest = rest[1:]  # the CSS class: the new theme has its own
            alt = rest[0] if rest else ""
            return self._image(src, alt, "", at, whole)
        if name in ("post_url", "link"):
            link = self._post_ref(args, whole, at, bare=False)
            return link if link is not None else whole
        if name == "include":
            params = {
                a.group(1).lower(): a.group(2) or a.group(3) or a.group(4) or ""
                for a in _ATTR.finditer(args)
            }
            src = next(
                (params[k] for k in ("image", "src", "img", "url", "path") if k in params), ""
            )
            if src and is_image_path(src):
                alt = params.get("alt", "")
                return self._image(src, alt, params.get("caption", ""), at, whole)
        if name in ("youtube", "vimeo"):
            parts = _args(args)
            if parts:
                self._count("embeds")
                return _video_link(name, parts[0])
        self.note(
            at,
            "unknown-shortcode",
            whole,
            f"template tag '{name}' has no Markdown equivalent: removed",
        )
        return ""

    def _image(self, src: str, alt: str, caption: str, at: int, whole: str) -> str:
        url = self._url(src, at, whole)
        self._count("image shortcodes")
        if url is None:
            return f"*{alt or caption or 'image not imported'}*"
        url, as_link = self._remote(url, at, whole)
        if as_link:
            return f"[{_md_text(alt or caption or 'Picture')}]({_md_url(url)})"
        if not alt.strip():
            alt = caption or self._alt_from(url, at, whole)
        out = f"![{_md_text(alt)}]({_md_url(url)})"
        if caption and caption != alt:
            out += f"\n*{caption}*"
        return out

    # -- Hugo -----------------------------------------------------------------

    def _hugo(self, m: re.Match[str], at: int) -> str:
        name, whole = m.group("h_name"), m.group(0)
        if m.group("h_close"):
            self.note(at, "unknown-shortcode", whole, f"closing shortcode '{name}': removed")
            return ""
        raw_args = m.group("h_args")
        named = {
            a.group(1).lower(): a.group(2) or a.group(3) or a.group(4) or ""
            for a in _ATTR.finditer(raw_args)
        }
        positional = [] if named else _args(raw_args)
        if name == "figure":
            src = named.get("src", positional[0] if positional else "")
            link = self._image(
                src, named.get("alt", ""), named.get("caption", named.get("title", "")), at, whole
            )
            return link
        if name in ("ref", "relref"):
            target = positional[0] if positional else named.get("path", "")
            return self._post_ref(target, whole, at, bare=True) or whole
        if name in ("youtube", "vimeo"):
            ident = named.get("id", positional[0] if positional else "")
            self._count("embeds")
            return _video_link(name, ident)
        if name == "tweet":
            user, ident = (
                named.get("user", ""),
                named.get("id", positional[-1] if positional else ""),
            )
            self._count("embeds")
            return f"[Post on X]({f'https://twitter.com/{user}/status/{ident}' if user else f'https://twitter.com/i/status/{ident}'})"
        if name == "gist" and len(positional) >= 2:
            self._count("embeds")
            return (
                f"[Gist {positional[1]}](https://gist.github.com/{positional[0]}/{positional[1]})"
            )
        if name == "param" and positional:
            value = self.meta.get(positional[0].lower())
            if isinstance(value, str | int | float):
                self._count("template values")
                return str(value)
        self.note(
            at,
            "unknown-shortcode",
            whole,
            f"Hugo shortcode '{name}' has no Markdown equivalent: removed",
        )
        return ""


# Elements whose src (or data) the page shows in itself: the build judges each
# as a picture, so none may stay remote under --remote-images link.
_EMBEDDING = {"img", "source", "video", "audio", "track", "embed", "object", "input", "image"}


def _tag_of(m: re.Match[str]) -> str:
    """The HTML element an attribute match sits in ("" outside a tag)."""
    before = m.string[: m.start()]
    tag = re.search(r"<([A-Za-z][\w-]*)[^<>]*$", before)
    return tag.group(1).lower() if tag else ""


def _embeds(tag: str, name: str, url: str) -> bool:
    """Whether ``name=url`` on ``tag`` loads the URL into the page (not a link)."""
    if name in ("poster", "data-src", "data"):
        return True
    if name == "src":
        return tag in _EMBEDDING or (tag == "iframe" and is_image_path(url))
    return False


_CSS_URL = re.compile(r"""url\(\s*(["']?)((?:https?:)?//[^"')\s]+)\1\s*\)""", re.I)
_CODE = re.compile(
    r"^[ \t]{0,3}(`{3,}|~{3,})[^\n]*\n.*?(?:^[ \t]{0,3}\1[ \t]*$|\Z)|`[^`\n]+`", re.M | re.S
)


def remote_css_pictures(body: str, converter: BodyConverter) -> dict[str, str]:
    """``url(https://...)`` in inline styles: what each becomes (copied in, or ``none``).

    Read on the source body, so the report has the source lines; the caller
    replaces them in the converted body (the converter leaves CSS alone).
    """
    code = [(c.start(), c.end()) for c in _CODE.finditer(body)]
    out: dict[str, str] = {}
    for m in _CSS_URL.finditer(body):
        if any(a <= m.start() < b for a, b in code) or not is_image_path(m.group(2)):
            continue
        if m.group(0) in out:
            continue
        url, as_link = converter._remote(m.group(2), m.start(), m.group(0), dropped=True)
        out[m.group(0)] = "none" if as_link else f"url({url})"
    return out


def _video_link(kind: str, ident: str) -> str:
    if ident.startswith("http"):
        return f"[Video]({ident})"
    if kind == "vimeo":
        return f"[Video on Vimeo](https://vimeo.com/{ident})"
    return f"[Video on YouTube](https://www.youtube.com/watch?v={ident})"


def _md_url(url: str) -> str:
    return f"<{url}>" if any(c in url for c in " ()") else url


def _md_text(text: str) -> str:
    return text.replace("[", "\\[").replace("]", "\\]")
