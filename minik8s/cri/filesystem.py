"""A container's in-memory filesystem: the image's files plus the mounts the kubelet asked for.

Paths map to file contents. A mount at `/usr/share/nginx/html` hides the image's files below it
and reads/writes go to the mount's own dict, which the kubelet may share between the containers
of a pod (an emptyDir) — that is how a sidecar's writes reach nginx. A mount whose dict holds the
key "" is a single file (a `subPath` mount). Left out: directories as objects, permissions,
links, sizes.
"""

from __future__ import annotations

from collections.abc import Iterator, MutableMapping


class FileSystem(MutableMapping[str, str]):
    """path → content, routed to the longest matching mount."""

    __slots__ = ("root", "mounts")  # (one per container)

    def __init__(self, files: dict[str, str] | None = None):
        self.root: dict[str, str] = dict(files or {})
        self.mounts: dict[str, MutableMapping[str, str]] = {}

    def __repr__(self) -> str:
        return f"<FileSystem files={len(self)} mounts={sorted(self.mounts)}>"

    def mount(self, path: str, files: MutableMapping[str, str]) -> None:
        """Mount `files` (relative path → content) at `path`."""
        self.mounts[path.rstrip("/") or "/"] = files

    def _route(self, path: str) -> tuple[MutableMapping[str, str], str]:
        best = ""
        for point in self.mounts:
            if (path == point or path.startswith(point + "/")) and len(point) > len(best):
                best = point
        if not best:
            return self.root, path
        return self.mounts[best], path[len(best) :].lstrip("/")

    def __getitem__(self, path: str) -> str:
        store, rel = self._route(path)
        return store[rel]

    def __setitem__(self, path: str, content: str) -> None:
        store, rel = self._route(path)
        store[rel] = content

    def __delitem__(self, path: str) -> None:
        store, rel = self._route(path)
        del store[rel]

    def __iter__(self) -> Iterator[str]:
        for path in self.root:
            if self._route(path)[0] is self.root:
                yield path
        for point, files in self.mounts.items():
            for rel in list(files):
                yield f"{point}/{rel}" if rel else point

    def __len__(self) -> int:
        return sum(1 for _ in self)
