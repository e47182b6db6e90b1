"""The ServiceAccount admission plugin (`plugin/pkg/admission/serviceaccount/admission.go`).

On pod CREATE: an empty `spec.serviceAccountName` becomes `default`; the account must exist
(else Forbidden: `error looking up service account <ns>/<name>: serviceaccount "<name>" not
found`); unless the pod or else the account says `automountServiceAccountToken: false`, every
container and init container without a mount at `/var/run/secrets/kubernetes.io/serviceaccount`
gets one of a projected volume `kube-api-access-<5 chars>` (bound token, `kube-root-ca.crt`,
namespace); a pod without `imagePullSecrets` gets the account's. Validation rejects mirror pods
that reference a service account, secrets or a projected token; an account annotated
`kubernetes.io/enforce-mountable-secrets: "true"` limits the pod to the secrets it lists (also on
the `ephemeralcontainers` subresource, which upstream validates but never mutates).

Modelling decision: upstream retries a missing `default` account up to 10 times 100–200 ms apart,
because the service account controller creates it right after the namespace appears. minik8s is
single-threaded and a request cannot wait, so a missing `default` account is taken to be the one
that controller is about to create: an empty ServiceAccount (automount unset, no pull secrets).
Any other name must exist. The account is read from the API server's watch cache (upstream: the
informer's lister, then a live GET).

The volume name's suffix is upstream's `utilrand.String(5)`, drawn from the cluster's seeded
generator (the one `generateName` uses; or the `rng` the plugin is given), so a seed fixes it.
The deprecated `spec.serviceAccount` is read when the name is empty and written back, as the v1
conversion does (minik8s has no internal version). Left out: the `ephemeralcontainers`
subresource itself (minik8s does not serve it; its validation is here) and
`LimitSecretReferences` as a global switch (upstream keeps it off; the annotation turns it on).
"""

from __future__ import annotations

import random
from typing import Any

from minik8s.api.errors import Forbidden
from minik8s.api.meta import random_suffix
from minik8s.apiserver.admission import Attributes

NAME = "ServiceAccount"
Obj = dict[str, Any]
DEFAULT_SERVICE_ACCOUNT_NAME = "default"
ENFORCE_MOUNTABLE_SECRETS_ANNOTATION = "kubernetes.io/enforce-mountable-secrets"
SERVICE_ACCOUNT_VOLUME_NAME = "kube-api-access"
DEFAULT_API_TOKEN_MOUNT_PATH = "/var/run/secrets/kubernetes.io/serviceaccount"  # noqa: S105
MIRROR_POD_ANNOTATION_KEY = "kubernetes.io/config.mirror"
WARN_ONLY_BOUND_TOKEN_EXPIRATION_SECONDS = 60 * 60 + 7  # serviceaccount.WarnOnly...Seconds
PROJECTED_VOLUME_SOURCE_DEFAULT_MODE = 0o644


def token_volume_source() -> Obj:
    """upstream `TokenVolumeSource`: bound token, cluster CA and namespace, mode set (#104464)."""
    return {
        "sources": [
            {
                "serviceAccountToken": {
                    "expirationSeconds": WARN_ONLY_BOUND_TOKEN_EXPIRATION_SECONDS,
                    "path": "token",
                }
            },
            {
                "configMap": {
                    "name": "kube-root-ca.crt",
                    "items": [{"key": "ca.crt", "path": "ca.crt"}],
                }
            },
            {
                "downwardAPI": {
                    "items": [
                        {
                            "path": "namespace",
                            "fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.namespace"},
                        }
                    ]
                }
            },
        ],
        "defaultMode": PROJECTED_VOLUME_SOURCE_DEFAULT_MODE,
    }


# One object shared read-only by every pod's stored spec, as the watch cache shares what it
# hands out (a copy per pod held ~2 KiB of each of 150,000 pods).
TOKEN_VOLUME_SOURCE = token_volume_source()


def should_automount(service_account: Obj, spec: Obj) -> bool:
    """upstream `shouldAutomount`: the pod's preference, then the account's, then true."""
    if spec.get("automountServiceAccountToken") is not None:
        return bool(spec["automountServiceAccountToken"])
    if service_account.get("automountServiceAccountToken") is not None:
        return bool(service_account["automountServiceAccountToken"])
    return True


def enforce_mountable_secrets(service_account: Obj) -> bool:
    """upstream `enforceMountableSecrets`: the annotation, read as Go's `strconv.ParseBool`."""
    annotations = service_account.get("metadata", {}).get("annotations") or {}
    value = annotations.get(ENFORCE_MOUNTABLE_SECRETS_ANNOTATION)
    return value in ("1", "t", "T", "TRUE", "true", "True")


def mount_service_account_token(spec: Obj, rng: random.Random) -> None:
    """upstream `mountServiceAccountToken`: mount the token volume into every container (init
    containers first) that has nothing at the token path; add the volume if one needs it."""
    volumes = spec.get("volumes") or []
    prefix = SERVICE_ACCOUNT_VOLUME_NAME + "-"
    existing = next((v["name"] for v in volumes if v.get("name", "").startswith(prefix)), "")
    name = existing or prefix + random_suffix(rng)
    mount = {"name": name, "readOnly": True, "mountPath": DEFAULT_API_TOKEN_MOUNT_PATH}
    needs_volume = False
    for field in ("initContainers", "containers"):
        for container in spec.get(field) or []:
            mounts = container.get("volumeMounts") or []
            if any(m.get("mountPath") == DEFAULT_API_TOKEN_MOUNT_PATH for m in mounts):
                continue
            container["volumeMounts"] = [*mounts, dict(mount)]
            needs_volume = True
    if not existing and needs_volume:
        spec["volumes"] = [*volumes, {"name": name, "projected": TOKEN_VOLUME_SOURCE}]


def _resource_name(attrs: Attributes) -> str:
    """upstream `extractResourceName`: the name, else the generateName, else "Unknown"."""
    meta = (attrs.obj or {}).get("metadata") or {}
    return attrs.name or meta.get("name") or meta.get("generateName") or "Unknown"


def _forbidden(attrs: Attributes, why: str) -> Forbidden:
    return Forbidden.for_resource(attrs.info.group_resource, _resource_name(attrs), why)


def _is_mirror_pod(pod: Obj) -> bool:
    return MIRROR_POD_ANNOTATION_KEY in (pod.get("metadata", {}).get("annotations") or {})


class ServiceAccount:
    """Gives every new pod a service account and, by default, its API token volume."""

    name = NAME
    kinds = frozenset({"Pod"})  # the chain skips it for other kinds

    def __init__(self, rng: random.Random | None = None):
        self.rng = rng  # the volume names' generator; None: the API server's (generateName's)

    def __repr__(self) -> str:
        return f"<{NAME}>"

    def mutates(self, operation: str, subresource: str) -> bool:
        return operation == "CREATE" and not subresource

    def admit(self, attrs: Attributes) -> None:
        """upstream `Admit`: default the account, mount its token, copy its pull secrets."""
        if _ignored(attrs) or attrs.operation != "CREATE" or attrs.obj is None:
            return
        if _is_mirror_pod(attrs.obj):
            self.validate(attrs)  # mirror pods are never changed
            return
        spec = attrs.obj.setdefault("spec", {})
        if not spec.get("serviceAccountName"):  # v1 conversion reads the deprecated field first
            spec["serviceAccountName"] = spec.get("serviceAccount") or DEFAULT_SERVICE_ACCOUNT_NAME
        spec["serviceAccount"] = spec["serviceAccountName"]  # v1 conversion writes both
        service_account = self._service_account(attrs, spec["serviceAccountName"])
        if should_automount(service_account, spec):
            rng = self.rng or (attrs.server.loop.rng if attrs.server else random.Random(0))
            mount_service_account_token(spec, rng)
        pull_secrets = service_account.get("imagePullSecrets") or []
        if not spec.get("imagePullSecrets") and pull_secrets:
            spec["imagePullSecrets"] = [{"name": ref.get("name", "")} for ref in pull_secrets]
        self.validate(attrs)

    def validate(self, attrs: Attributes) -> None:
        """upstream `Validate`: mirror pod limits; the account exists; mountable secrets."""
        if _ignored(attrs) or attrs.obj is None:
            return
        pod = attrs.obj
        spec = pod.get("spec") or {}
        if attrs.operation == "UPDATE" and attrs.subresource == "ephemeralcontainers":
            self._check_secrets(attrs, spec, ("ephemeralContainers",))
            return
        if attrs.operation != "CREATE":
            return
        if _is_mirror_pod(pod):
            _validate_mirror_pod(attrs, spec)
            return
        self._check_secrets(attrs, spec, ("volumes", "initContainers", "containers", "pull"))

    def _check_secrets(self, attrs: Attributes, spec: Obj, parts: tuple[str, ...]) -> None:
        """The account exists; if it enforces mountable secrets, the pod uses only those."""
        name = spec.get("serviceAccountName") or ""
        if not name:
            pod_name = (attrs.obj or {}).get("metadata", {}).get("name", "")
            why = f"no service account specified for pod {attrs.namespace}/{pod_name}"
            raise _forbidden(attrs, why)
        service_account = self._service_account(attrs, name)
        if enforce_mountable_secrets(service_account):
            why = limit_secret_references(service_account, spec, parts)
            if why:
                raise _forbidden(attrs, why)

    def _service_account(self, attrs: Attributes, name: str) -> Obj:
        """upstream `getServiceAccount`, with the missing `default` account modelled as above."""
        found = None
        if attrs.server is not None:
            found = attrs.server.cached("serviceaccounts", name, attrs.namespace)
        if found is not None:
            return found
        if name == DEFAULT_SERVICE_ACCOUNT_NAME:
            return {"metadata": {"name": name, "namespace": attrs.namespace}}
        why = (
            f"error looking up service account {attrs.namespace}/{name}: "
            f'serviceaccount "{name}" not found'
        )
        raise _forbidden(attrs, why)


def _ignored(attrs: Attributes) -> bool:
    """upstream `shouldIgnore`: only pods proper and their `ephemeralcontainers` subresource."""
    if attrs.info.kind != "Pod" or attrs.info.group != "":
        return True
    return attrs.subresource not in ("", "ephemeralcontainers")


def _validate_mirror_pod(attrs: Attributes, spec: Obj) -> None:
    """A mirror pod may reference no service account, no secret, no projected token."""
    if spec.get("serviceAccountName"):
        raise _forbidden(attrs, "a mirror pod may not reference service accounts")
    if pod_secret_names(spec):
        raise _forbidden(attrs, "a mirror pod may not reference secrets")
    for volume in spec.get("volumes") or []:
        for source in (volume.get("projected") or {}).get("sources") or []:
            if source.get("serviceAccountToken") is not None:
                why = "a mirror pod may not use ServiceAccountToken volume projections"
                raise _forbidden(attrs, why)


# --- secret references (upstream `limitSecretReferences`, `podutil.VisitPodSecretNames`) -------

_CONTAINER_LABELS = {
    "initContainers": "init container",
    "containers": "container",
    "ephemeralContainers": "ephemeral container",
}
# volume source → where its secret name is (upstream `VisitPodSecretNames`'s switch)
_VOLUME_SECRET_REFS = (
    ("azureFile", "secretName"),
    ("cephfs", "secretRef"),
    ("cinder", "secretRef"),
    ("flexVolume", "secretRef"),
    ("rbd", "secretRef"),
    ("secret", "secretName"),
    ("scaleIO", "secretRef"),
    ("iscsi", "secretRef"),
    ("storageos", "secretRef"),
    ("csi", "nodePublishSecretRef"),
)


def _container_secret_refs(container: Obj) -> list[tuple[str, str]]:
    """("envVar <name>" or "envFrom", secret name) for every secret a container reads."""
    refs = []
    for env in container.get("env") or []:
        ref = (env.get("valueFrom") or {}).get("secretKeyRef")
        if ref is not None:
            refs.append((f"envVar {env.get('name', '')}", ref.get("name", "")))
    for env_from in container.get("envFrom") or []:
        if env_from.get("secretRef") is not None:
            refs.append(("envFrom", env_from["secretRef"].get("name", "")))
    return refs


def limit_secret_references(service_account: Obj, spec: Obj, parts: tuple[str, ...]) -> str:
    """upstream `limitSecretReferences` (and its ephemeral-container twin) over `parts` of the
    spec: the first secret the account does not list, as upstream words it; "" if none."""
    account = service_account["metadata"]["name"]
    mountable = {ref.get("name") for ref in service_account.get("secrets") or []}
    for part in parts:
        if part == "volumes":
            for volume in spec.get("volumes") or []:
                name = (volume.get("secret") or {}).get("secretName", "")
                if volume.get("secret") is not None and name not in mountable:
                    return (
                        f'volume with secret.secretName="{name}" is not allowed because '
                        f"service account {account} does not reference that secret"
                    )
        elif part == "pull":
            pullable = {ref.get("name") for ref in service_account.get("imagePullSecrets") or []}
            for i, ref in enumerate(spec.get("imagePullSecrets") or []):
                if ref.get("name") not in pullable:
                    return (
                        f'imagePullSecrets[{i}].name="{ref.get("name", "")}" is not allowed '
                        f"because service account {account} does not reference that "
                        "imagePullSecret"
                    )
        else:
            for container in spec.get(part) or []:
                for how, name in _container_secret_refs(container):
                    if name not in mountable:
                        return (
                            f"{_CONTAINER_LABELS[part]} {container.get('name', '')} with {how} "
                            f'referencing secret.secretName="{name}" is not allowed because '
                            f"service account {account} does not reference that secret"
                        )
    return ""


def pod_secret_names(spec: Obj) -> list[str]:
    """upstream `VisitPodSecretNames` (all containers; empty names skipped), in its order."""
    names = [ref.get("name", "") for ref in spec.get("imagePullSecrets") or []]
    for part in ("initContainers", "containers", "ephemeralContainers"):
        for container in spec.get(part) or []:
            names.extend(name for _how, name in _container_secret_refs(container))
    for volume in spec.get("volumes") or []:
        if volume.get("projected") is not None:
            sources = volume["projected"].get("sources") or []
            names.extend(s["secret"].get("name", "") for s in sources if s.get("secret"))
            continue
        for source, field in _VOLUME_SECRET_REFS:
            if volume.get(source) is not None:
                ref = volume[source].get(field)
                names.append(ref.get("name", "") if isinstance(ref, dict) else ref or "")
                break
    return [name for name in names if name]
