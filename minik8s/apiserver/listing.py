"""LIST with `limit`, `continue`, `resourceVersion` and `resourceVersionMatch`, mirroring
kube-apiserver v1.31: `staging/src/k8s.io/apiserver/pkg/storage/cacher/cacher.go` (`GetList`,
`shouldDelegateList`), `storage/etcd3/store.go` (`GetList`, `validateMinimumResourceVersion`),
`storage/etcd3/errors.go` (`interpretListError`), `storage/errors.go`
(`NewTooLargeResourceVersionError`) and apimachinery's `ValidateListOptions`
(`pkg/apis/meta/internalversion/validation`), which `endpoints/handlers/get.go` runs first.

Where v1.31 serves a LIST (ConsistentListFromCache is beta and on, and etcd reports progress):
the watch cache answers when there is no `continue`, no `limit` unless resourceVersion is "0"
(whose `limit` it then ignores), and `resourceVersionMatch` is unset or NotOlderThan: rv "" is
the latest state (consistent), "0" any state, "N" at least N. Every other LIST is delegated to
the etcd3 store, which pages at one revision: the first page fixes it (the latest, or N), every
`continue` token carries it. Resources without a watch cache (events) always take the etcd path.

Left out: the watch cache's 3 s wait for a resourceVersion it has not reached (here the cache is
as fresh as the store, so a too-large resourceVersion fails at once with the same 504), the
`metadata.name` field selector's single-key read (a name selector filters like any other),
`sendInitialEvents`, and the list work estimator of API priority and fairness.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from minik8s.api import field
from minik8s.api.errors import BadRequest, Expired, Invalid, StatusError
from minik8s.api.validation import is_dns1123_label
from minik8s.apiserver.cacher import Cacher, Filter, decode
from minik8s.apiserver.continue_token import ContinueError, decode_continue, encode_continue
from minik8s.apiserver.uncached import UncachedStorage
from minik8s.etcd import KeyValue, Store
from minik8s.etcd.kv import Compacted, FutureRevision

Obj = dict[str, Any]

EXACT, NOT_OLDER_THAN = "Exact", "NotOlderThan"
MAX_LIMIT = 10_000  # etcd3 store: the most keys one etcd range of a filtered page asks for
RESOURCE_VERSION_TOO_HIGH_RETRY_SECONDS = 1  # the watch cache's Retry-After
EXPIRED = "The resourceVersion for the provided list is too old."
INCONSISTENT_CONTINUE = (
    "The provided continue parameter is too old to display a consistent list result. You can "
    "start a new list without the continue parameter, or use the continue token in this "
    "response to retrieve the remainder of the results. Continuing with the provided token "
    "results in an inconsistent list - objects that were created, modified, or deleted between "
    "the time the first chunk was returned and now may show up in the list."
)
FUTURE_REVISION = "etcdserver: mvcc: required revision is a future revision"


class Timeout(StatusError):
    """504 with reason Timeout (apimachinery `NewTimeoutError`)."""

    reason, code = "Timeout", 504


class ExpiredContinue(Expired):
    """410 Expired whose Status carries a continue token that resumes at the latest revision."""

    def __init__(self, message: str, continue_: str):
        super().__init__(message)
        self.continue_ = continue_

    def status(self) -> dict[str, Any]:
        status = super().status()
        status["metadata"] = {"continue": self.continue_}
        return status


def too_large_resource_version(minimum: int, current: int, retry_seconds: int) -> Timeout:
    """`storage.NewTooLargeResourceVersionError`."""
    details: dict[str, Any] = {
        "causes": [{"reason": "ResourceVersionTooLarge", "message": "Too large resource version"}]
    }
    if retry_seconds:
        details["retryAfterSeconds"] = retry_seconds
    return Timeout(f"Timeout: Too large resource version: {minimum}, current: {current}", details)


@dataclass(frozen=True)
class ListOptions:
    """The LIST query parameters of `metav1.ListOptions` this module honours."""

    resource_version: str = ""
    resource_version_match: str = ""
    limit: int = 0
    continue_: str = ""


@dataclass
class ListResult:
    """Items plus the `metav1.ListMeta` of the answer."""

    items: list[Obj]
    resource_version: int
    continue_: str = ""
    remaining_item_count: int | None = None

    def list_meta(self) -> dict[str, Any]:
        """`metadata` as the API sends it (empty fields omitted)."""
        meta: dict[str, Any] = {"resourceVersion": str(self.resource_version)}
        if self.continue_:
            meta["continue"] = self.continue_
        if self.remaining_item_count is not None:
            meta["remainingItemCount"] = self.remaining_item_count
        return meta


def validate_list_options(opts: ListOptions) -> list[field.FieldError]:
    """`ValidateListOptions` for a LIST (not a watch)."""
    errs: list[field.FieldError] = []
    match = opts.resource_version_match
    if match:
        path = "resourceVersionMatch"
        if not opts.resource_version:
            errs.append(
                field.forbidden(
                    path, "resourceVersionMatch is forbidden unless resourceVersion is provided"
                )
            )
        if opts.continue_:
            errs.append(
                field.forbidden(path, "resourceVersionMatch is forbidden when continue is provided")
            )
        if match not in (EXACT, NOT_OLDER_THAN):
            errs.append(field.not_supported(path, match, [EXACT, NOT_OLDER_THAN, ""]))
        if match == EXACT and opts.resource_version == "0":
            errs.append(
                field.forbidden(
                    path, 'resourceVersionMatch "exact" is forbidden for resourceVersion "0"'
                )
            )
    return errs


def parse_resource_version(text: str) -> int:
    """`APIObjectVersioner.ParseResourceVersion`: "" and "0" are 0, else a uint64 (ValueError
    with upstream's field error text)."""
    if text in ("", "0"):
        return 0
    if not text or any(c not in "0123456789" for c in text):
        reason = "invalid syntax"
    elif int(text) >= 2**64:
        reason = "value out of range"
    else:
        return int(text)
    detail = f"strconv.ParseUint: parsing {json.dumps(text)}: {reason}"
    raise ValueError(str(field.invalid("resourceVersion", text, detail)))


def should_delegate_list(opts: ListOptions) -> bool:
    """`shouldDelegateList`: True when the watch cache cannot answer and etcd must."""
    has_continuation = bool(opts.continue_)
    has_limit = opts.limit > 0 and opts.resource_version != "0"
    unsupported_match = opts.resource_version_match not in ("", NOT_OLDER_THAN)
    return has_continuation or has_limit or unsupported_match


def get_list(
    store: Store, source: Cacher | UncachedStorage, selection: Filter, opts: ListOptions
) -> ListResult:
    """A LIST with options: validated, then served by the watch cache or the store."""
    errs = validate_list_options(opts)
    if errs:
        invalid = Invalid.for_kind("ListOptions.meta.k8s.io", "", errs)
        del invalid.details["name"]  # empty: omitted from the Status
        raise invalid
    if isinstance(source, Cacher) and not should_delegate_list(opts):
        return list_from_cache(store, source, selection, opts)
    return StorageList(store, source, selection, opts).run()


def list_from_cache(
    store: Store, cacher: Cacher, selection: Filter, opts: ListOptions
) -> ListResult:
    """`Cacher.GetList`: every match at the cache's revision, once it is at least the one asked."""
    try:
        list_rv = parse_resource_version(opts.resource_version)
    except ValueError as err:
        raise StatusError(str(err)) from None  # upstream: not a Status, so a 500
    current = store.revision  # the cache follows the store synchronously
    if list_rv > current:
        raise too_large_resource_version(list_rv, current, RESOURCE_VERSION_TOO_HIGH_RETRY_SECONDS)
    return ListResult(cacher.list(selection), current)


def key_prefix(source: Cacher | UncachedStorage, selection: Filter) -> str:
    """The listed keys' prefix: the resource's, narrowed to a namespace by the request or by a
    `metadata.namespace=` field selector (upstream's `ListPredicate`)."""
    info = source.info
    namespace = selection.namespace if info.namespaced else None
    if namespace is None and info.namespaced and selection.fields is not None:
        wanted = selection.fields.requires_exact_match("metadata.namespace")
        if wanted and not is_dns1123_label(wanted):
            namespace = wanted
    prefix = f"/registry/{info.plural}/"
    return f"{prefix}{namespace}/" if namespace else prefix


class StorageList:
    """One etcd3 `GetList`: fixes the revision, then fills the page from ranges of the store."""

    def __init__(
        self, store: Store, source: Cacher | UncachedStorage, selection: Filter, opts: ListOptions
    ):
        self.store = store
        self.source = source
        self.selection = selection
        self.opts = opts
        self.prefix = key_prefix(source, selection)
        self.continue_key = ""

    def __repr__(self) -> str:
        return f"<StorageList {self.prefix} {self.opts}>"

    def _start(self) -> tuple[str, int]:
        """The first key to read and the revision to read at (0: the latest)."""
        opts = self.opts
        from_rv: int | None = None
        if opts.resource_version:
            try:
                from_rv = parse_resource_version(opts.resource_version)
            except ValueError as err:
                raise BadRequest(f"invalid resource version: {err}") from None
        if opts.continue_:
            try:
                key, continue_rv = decode_continue(opts.continue_, self.prefix)
            except ContinueError as err:
                raise BadRequest(f"invalid continue token: {err}") from None
            if opts.resource_version not in ("", "0"):
                raise BadRequest("specifying resource version is not allowed when using continue")
            self.continue_key = key
            return key, max(continue_rv, 0)  # -1: the latest revision
        exact = opts.resource_version_match == EXACT
        legacy_paged = opts.resource_version_match == "" and opts.limit > 0
        if from_rv is not None and (exact or legacy_paged):
            return self.prefix, from_rv
        return self.prefix, 0

    def _range(self, key: str, revision: int, batch: int) -> list[KeyValue]:
        """One etcd range (`batch` + 1 keys, to learn if more remain), errors as upstream's."""
        try:
            return self.store.range(
                self.prefix,
                revision=revision or None,
                limit=batch + 1 if batch else 0,
                start_key=key,
            )
        except Compacted:
            if self.continue_key:
                token = encode_continue(self.continue_key, self.prefix, -1)
                raise ExpiredContinue(INCONSISTENT_CONTINUE, token) from None
            raise Expired(EXPIRED) from None
        except FutureRevision:
            raise StatusError(FUTURE_REVISION) from None  # upstream: not a Status, so a 500

    def _check_minimum(self, current: int) -> None:
        """`validateMinimumResourceVersion`: the data is at least the resourceVersion asked."""
        minimum = parse_resource_version(self.opts.resource_version)
        if minimum > current:
            raise too_large_resource_version(minimum, current, 0)

    def _object(self, kv: KeyValue) -> Obj:
        cached = self.source.at(kv)  # the cache's decoded copy when it is this very version
        return cached if cached is not None else decode(kv)

    def run(self) -> ListResult:
        """Read until the page holds `limit` matches or the keys run out."""
        selection, limit = self.selection, max(self.opts.limit, 0)
        first_key, revision = self._start()
        key = first_key
        items: list[Obj] = []
        batch, last_key, more = limit, "", False
        while True:
            kvs = self._range(key, revision, batch)
            self._check_minimum(self.store.revision)
            revision = revision or self.store.revision
            more = bool(batch) and len(kvs) > batch
            for kv in kvs[:batch] if more else kvs:
                if limit and len(items) >= limit:
                    more = True
                    break
                last_key = kv.key
                obj = self._object(kv)
                if selection.everything or selection.matches(obj):
                    items.append(obj)
            if not more or not limit or len(items) >= limit:
                break
            if batch < MAX_LIMIT:  # matches were filtered out: read more keys at a time
                batch = min(batch * 2, MAX_LIMIT)
            key = last_key + "\x00"
        return self._result(items, revision, first_key, last_key, more)

    def _result(
        self, items: list[Obj], revision: int, first_key: str, last_key: str, more: bool
    ) -> ListResult:
        """`PrepareContinueToken`: a token after the last key read, and the count of what remains
        when nothing is filtered (etcd counts keys, not matches)."""
        if not more:
            return ListResult(items, revision)
        token = encode_continue(last_key + "\x00", self.prefix, revision)
        remaining = None
        if self.selection.labels is None and self.selection.fields is None:
            count = self.store.range_count(self.prefix, revision=revision, start_key=first_key)
            remaining = count - self.opts.limit
        return ListResult(items, revision, token, remaining)
