"""``make serve``: a local server with live reload over atomic builds."""

from __future__ import annotations

from pathlib import Path

from sitebuild.build import BuildFailed, build


def serve(root: Path, host: str = "127.0.0.1", port: int = 8000) -> None:
    from livereload import Server

    siteurl = f"http://{host}:{port}"
    overrides = {"SITEURL": siteurl, "FEED_DOMAIN": siteurl}
    output = root / "output"

    def rebuild() -> None:
        try:
            result = build(root / "pelicanconf.py", output, overrides)
        except BuildFailed as exc:
            print(exc)
            print("Build failed: still serving the last good build.")
            return
        except Exception as exc:  # never a traceback: the server keeps the last good build
            print(f"The build crashed: {type(exc).__name__}: {exc}")
            print("Build failed: still serving the last good build.")
            return
        print(result.report.summary())

    rebuild()
    server = Server()
    for watched in (
        "content",
        "theme",
        "plugins",
        "prudent",
        "guardrails",
        "guardrails.toml",
        "pelicanconf.py",
    ):
        if (root / watched).exists():
            server.watch(str(root / watched), rebuild, delay=0.5)
    print(f"Serving {output} at {siteurl}/ (Ctrl-C to stop)")
    server.serve(root=str(output), host=host, port=port, open_url_delay=None)
