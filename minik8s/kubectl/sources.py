"""Where `kubectl create configmap|secret` take their data: `--from-file` and `--from-env-file`.

Mirrors `k8s.io/kubectl/pkg/util` (`ParseFileSource`), the file handling of
`pkg/cmd/create/create_configmap.go` / `create_secret.go` (a directory adds each regular file, in
name order, under its own name) and `cmdutil.AddFromEnvFile` (`KEY=value` lines, `#` comments,
leading blanks trimmed), with their errors. Deviation: an env-file line without `=` takes the
empty string, not the kubectl process's own environment variable.
"""

from __future__ import annotations

import os
import posixpath

from minik8s.api.validation.names import is_env_var_name


def parse_file_source(source: str) -> tuple[str, str]:
    """`ParseFileSource`: `path` (key = basename) or `key=path`."""
    separators = source.count("=")
    if separators == 0:
        return posixpath.basename(source.replace(os.sep, "/")), source
    if separators > 1:
        raise ValueError("key names or file paths cannot contain '='")
    key, _, path = source.partition("=")
    if not key:
        raise ValueError(f"key name for file path {path} missing")
    if not path:
        raise ValueError(f"file path for key name {key} missing")
    return key, path


def file_entries(sources: list[str]) -> list[tuple[str, bytes]]:
    """Each `--from-file` source as (key, contents); a directory gives one entry per file."""
    entries: list[tuple[str, bytes]] = []
    for source in sources:
        key, path = parse_file_source(source)
        if not os.path.exists(path):
            raise ValueError(f"error reading {path}: no such file or directory")
        if not os.path.isdir(path):
            entries.append((key, _read(path)))
            continue
        if "=" in source:
            raise ValueError("cannot give a key name for a directory path")
        for name in sorted(os.listdir(path)):
            item = os.path.join(path, name)
            if os.path.isfile(item) and not os.path.islink(item):
                entries.append((name, _read(item)))
    return entries


def _read(path: str) -> bytes:
    with open(path, "rb") as handle:
        return handle.read()


def env_file_entries(path: str, kind: str = "config") -> list[tuple[str, str]]:
    """`AddFromEnvFile`: the `KEY=value` pairs of an env file (`kind`: config or secret)."""
    if not os.path.exists(path):
        raise ValueError(f"error reading {path}: no such file or directory")
    if os.path.isdir(path):
        raise ValueError(f"env {kind} file cannot be a directory")
    entries: list[tuple[str, str]] = []
    for number, raw in enumerate(_read(path).split(b"\n"), start=1):
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise ValueError(
                f"env file {path} contains invalid utf8 bytes at line {number}: {list(raw)}"
            ) from None
        line = text.removeprefix("\ufeff") if number == 1 else text
        line = line.rstrip("\r").lstrip()
        if not line or line.startswith("#"):
            continue
        key, _, value = line.partition("=")
        if errs := is_env_var_name(key):
            raise ValueError(f'"{key}" is not a valid key name: {";".join(errs)}')
        entries.append((key, value.lstrip()))
    return entries
