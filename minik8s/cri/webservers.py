"""The HTTP behaviour of simulated web-server images: nginx, httpd, hashicorp/http-echo, agnhost.

Each server is a pure function of the container's argv, env and files: `ports(argv)` says where
it listens, `startup(...)` what it logs at start, `serve(...)` answers one request as
`(status, headers, body, access_log_line | None)`. nginx serves files from
`/usr/share/nginx/html` (its default page included) and httpd from
`/usr/local/apache2/htdocs`, so a mounted ConfigMap changes what they return.
Left out: nginx/httpd configuration files, TLS, methods other than GET/HEAD serving files.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable, Mapping
from urllib.parse import parse_qs, urlsplit

Response = tuple[int, dict[str, str], str, str | None]
NGINX_ROOT = "/usr/share/nginx/html"
HTTPD_ROOT = "/usr/local/apache2/htdocs"
NGINX_INDEX = """<!DOCTYPE html>
<html>
<head>
<title>Welcome to nginx!</title>
<style>
html { color-scheme: light dark; }
body { width: 35em; margin: 0 auto;
font-family: Tahoma, Verdana, Arial, sans-serif; }
</style>
</head>
<body>
<h1>Welcome to nginx!</h1>
<p>If you see this page, the nginx web server is successfully installed and
working. Further configuration is required.</p>

<p>For online documentation and support please refer to
<a href="http://nginx.org/">nginx.org</a>.<br/>
Commercial support is available at
<a href="http://nginx.com/">nginx.com</a>.</p>

<p><em>Thank you for using nginx.</em></p>
</body>
</html>
"""
HTTPD_INDEX = "<html><body><h1>It works!</h1></body></html>\n"
REASONS = {200: "OK", 404: "Not Found", 405: "Not Allowed"}


def default_files(behaviour: str) -> dict[str, str]:
    """Files an image ships with."""
    if behaviour == "nginx":
        return {f"{NGINX_ROOT}/index.html": NGINX_INDEX, f"{NGINX_ROOT}/50x.html": ""}
    if behaviour == "httpd":
        return {f"{HTTPD_ROOT}/index.html": HTTPD_INDEX}
    return {}


def flag(argv: list[str], name: str, default: str) -> str:
    """A Go-style flag's value: `-name=v`, `--name=v`, `-name v`."""
    for i, arg in enumerate(argv):
        bare = arg.lstrip("-")
        if bare.startswith(name + "="):
            return bare[len(name) + 1 :]
        if bare == name and arg.startswith("-") and i + 1 < len(argv):
            return argv[i + 1]
    return default


def ports(behaviour: str, argv: list[str]) -> set[int]:
    """The TCP ports the server listens on."""
    if behaviour in ("nginx", "httpd"):
        return {80}
    if behaviour == "http-echo":
        return {int(flag(argv, "listen", ":5678").rpartition(":")[2] or 5678)}
    if behaviour == "agnhost":
        if "serve-hostname" in argv:
            return {int(flag(argv, "port", "9376"))}
        if "netexec" in argv:
            return {int(flag(argv, "http-port", "8080"))}
    return set()


def startup(behaviour: str, argv: list[str], version: str, stamp: str) -> list[str]:
    """The lines the server logs when it starts."""
    if behaviour == "nginx":
        ep = "/docker-entrypoint.sh"
        return [
            f"{ep}: /docker-entrypoint.d/ is not empty, will attempt to perform configuration",
            f"{ep}: Looking for shell scripts in /docker-entrypoint.d/",
            f"{ep}: Configuration complete; ready for start up",
            f"{stamp} [notice] 1#1: nginx/{version}",
            f"{stamp} [notice] 1#1: start worker processes",
        ]
    if behaviour == "http-echo":
        return [f"{stamp} [INFO] server is listening on {flag(argv, 'listen', ':5678')}"]
    if behaviour == "httpd":
        return [f"[mpm_event:notice] [pid 1:tid 1] AH00489: Apache/{version} configured"]
    if behaviour == "agnhost":
        return [f"Started HTTP server on port {min(ports(behaviour, argv), default=8080)}"]
    return []


def _static(
    root: str, files: Mapping[str, str], path: str, not_found: str, method: str
) -> tuple[int, str]:
    clean = posixpath.normpath("/" + urlsplit(path).path)
    target = posixpath.join(root, clean.lstrip("/"))
    if path.endswith("/") or clean == "/":
        target = posixpath.join(target, "index.html")
    if target in files:
        return 200, files[target] if method != "HEAD" else ""
    return 404, not_found


def serve(
    behaviour: str,
    argv: list[str],
    env: Mapping[str, str],
    files: Mapping[str, str],
    request: tuple[int, str, str, dict[str, str]],
    version: str,
    log_time: str,
    client_ip: str,
) -> Response | None:
    """Answer one request `(port, method, path, headers)`, or None if nothing listens there."""
    port, method, path, headers = request
    if port not in ports(behaviour, argv):
        return None
    handler = SERVERS.get(behaviour)
    if handler is None:
        return None
    status, body, server = handler(argv, env, files, method, path, version)
    agent = headers.get("User-Agent", "-")
    line = None
    if behaviour in ("nginx", "httpd"):
        line = f'{client_ip or "-"} - - [{log_time}] "{method} {path} HTTP/1.1" {status} '
        line += f'{len(body.encode())} "-" "{agent}"' + (' "-"' if behaviour == "nginx" else "")
    head = {"Content-Type": "text/html" if behaviour != "http-echo" else "text/plain"}
    head |= {"Content-Length": str(len(body.encode())), "Server": server}
    return status, head, body, line


def _nginx(argv, env, files, method, path, version) -> tuple[int, str, str]:
    code = 404
    page = f"<html>\r\n<head><title>{code} Not Found</title></head>\r\n<body>\r\n"
    page += f"<center><h1>{code} Not Found</h1></center>\r\n<hr><center>nginx/{version}</center>"
    page += "\r\n</body>\r\n</html>\r\n"
    status, body = _static(NGINX_ROOT, files, path, page, method)
    return status, body, f"nginx/{version}"


def _httpd(argv, env, files, method, path, version) -> tuple[int, str, str]:
    page = '<!DOCTYPE HTML PUBLIC "-//IETF//DTD HTML 2.0//EN">\n<html><head>\n'
    page += "<title>404 Not Found</title>\n</head><body>\n<h1>Not Found</h1>\n"
    page += "<p>The requested URL was not found on this server.</p>\n</body></html>\n"
    status, body = _static(HTTPD_ROOT, files, path, page, method)
    return status, body, f"Apache/{version} (Unix)"


def _http_echo(argv, env, files, method, path, version) -> tuple[int, str, str]:
    return 200, flag(argv, "text", "") + "\n", ""


def _agnhost(argv, env, files, method, path, version) -> tuple[int, str, str]:
    hostname = env.get("HOSTNAME", "")
    if "serve-hostname" in argv:
        return 200, hostname, ""
    url = urlsplit(path)
    if url.path == "/hostname":
        return 200, hostname, ""
    if url.path == "/echo":
        return 200, parse_qs(url.query).get("msg", [""])[0], ""
    if url.path in ("/healthz", "/readyz"):
        return 200, "ok", ""
    if url.path == "/":
        return 200, f"NOW: {env.get('__NOW__', '')}", ""
    return 404, "404 page not found\n", ""


SERVERS: dict[str, Callable[..., tuple[int, str, str]]] = {
    "nginx": _nginx,
    "httpd": _httpd,
    "http-echo": _http_echo,
    "agnhost": _agnhost,
}
