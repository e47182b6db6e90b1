"""API errors typed and worded like apimachinery's `api/errors` (a `metav1.Status` inside).

>>> str(NotFound.for_resource("deployments.apps", "web"))
'deployments.apps "web" not found'
"""

from __future__ import annotations

from typing import Any

from minik8s.api.field import FieldError, aggregate

OPTIMISTIC_LOCK_MSG = (
    "the object has been modified; please apply your changes to the latest version and try again"
)


class StatusError(Exception):
    """An error the API server returns: `reason` and `code` as in a `metav1.Status`."""

    reason = "Unknown"
    code = 500

    def __init__(self, message: str, details: dict[str, Any] | None = None):
        super().__init__(message)
        self.message = message
        self.details = details or {}

    def status(self) -> dict[str, Any]:
        """The `metav1.Status` object a real API server would send."""
        status: dict[str, Any] = {
            "kind": "Status",
            "apiVersion": "v1",
            "metadata": {},
            "status": "Failure",
            "message": self.message,
            "reason": self.reason,
            "code": self.code,
        }
        if self.details:
            status["details"] = self.details
        return status

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.message!r})"


def _details(resource: str, name: str) -> dict[str, Any]:
    plural, _, group = resource.partition(".")
    details: dict[str, Any] = {"name": name, "kind": plural}
    if group:
        details["group"] = group
    return details


class BadRequest(StatusError):
    reason, code = "BadRequest", 400


class Forbidden(StatusError):
    reason, code = "Forbidden", 403

    @classmethod
    def for_resource(cls, resource: str, name: str, why: str) -> Forbidden:
        target = f'{resource} "{name}"' if name else resource
        return cls(f"{target} is forbidden: {why}", _details(resource, name))


class NotFound(StatusError):
    reason, code = "NotFound", 404

    @classmethod
    def for_resource(cls, resource: str, name: str) -> NotFound:
        return cls(f'{resource} "{name}" not found', _details(resource, name))


class MethodNotAllowed(StatusError):
    reason, code = "MethodNotAllowed", 405


class AlreadyExists(StatusError):
    reason, code = "AlreadyExists", 409

    @classmethod
    def for_resource(cls, resource: str, name: str) -> AlreadyExists:
        return cls(f'{resource} "{name}" already exists', _details(resource, name))


class Conflict(StatusError):
    reason, code = "Conflict", 409

    @classmethod
    def for_resource(cls, resource: str, name: str, why: str = OPTIMISTIC_LOCK_MSG) -> Conflict:
        return cls(
            f'Operation cannot be fulfilled on {resource} "{name}": {why}', _details(resource, name)
        )


class Gone(StatusError):
    reason, code = "Gone", 410


class Expired(Gone):
    """410 with reason Expired: a watch or list from a compacted resourceVersion."""

    reason = "Expired"


class RequestEntityTooLarge(StatusError):
    reason, code = "RequestEntityTooLarge", 413


class UnsupportedMediaType(StatusError):
    reason, code = "UnsupportedMediaType", 415


class Invalid(StatusError):
    reason, code = "Invalid", 422

    def __init__(
        self,
        message: str,
        details: dict[str, Any] | None = None,
        errors: list[FieldError] | None = None,
    ):
        super().__init__(message, details)
        self.errors = list(errors or [])

    @classmethod
    def for_kind(cls, group_kind: str, name: str, errors: list[FieldError]) -> Invalid:
        """`Deployment.apps "web" is invalid: spec.replicas: Invalid value: -1: ...`."""
        message = f'{group_kind} "{name}" is invalid'
        if errors:
            message += f": {aggregate(errors)}"
        kind, _, group = group_kind.partition(".")
        details: dict[str, Any] = {
            "name": name,
            "kind": kind,
            "causes": [e.cause() for e in errors],
        }
        if group:
            details["group"] = group
        return cls(message, details, errors)


class TooManyRequests(StatusError):
    reason, code = "TooManyRequests", 429


class InternalError(StatusError):
    reason, code = "InternalError", 500


class ServiceUnavailable(StatusError):
    reason, code = "ServiceUnavailable", 503
