"""upstream `pkg/controller/volume/persistentvolume/binder_test.go` (`TestSync`,
`TestSyncBlockVolume`), ported: each row fills the API server with volumes and claims, calls
`sync_claim` or `sync_volume` once, and compares the volumes, claims and events with the
row's expectations.

As upstream's `newVolume`/`newClaim`: volumes and claims offer/ask ReadWriteOnce+ReadOnlyMany,
a Bound claim's status capacity is its request. Upstream uids ("uid1-1") name the claim they
belong to; a uid no claim has stays as it is (a deleted or different claim). Names with
`_` (not a DNS subdomain) use `-`. As upstream's
`checkEvents`, a row with no events does not check them (the framework reads only as many
events as the row expects); 1-16 follows 1.31's `checkVolumeSatisfyClaim` (access modes are
checked: `VolumeMismatch`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from minik8s.apiserver import AdmissionChain, APIServer, NamespaceLifecycle
from minik8s.client.client import Client
from minik8s.client.informer import SharedInformerFactory
from minik8s.controllers import pv_util as util
from minik8s.controllers.persistentvolume import PersistentVolumeController
from minik8s.etcd import Store
from minik8s.sim import EventLoop

BBC, BC = util.ANN_BOUND_BY_CONTROLLER, util.ANN_BIND_COMPLETED
LABELS = {"foo": "true", "bar": "false"}
MODES = ["ReadWriteOnce", "ReadOnlyMany"]


@dataclass(frozen=True)
class V:
    """upstream `newVolume(name, capacity, uid, claim, phase, policy, class, annotations...)`."""

    name: str
    size: str
    uid: str
    claim: str
    phase: str
    cls: str = ""
    ann: tuple[str, ...] = ()
    mode: str | None = None
    labels: bool = False


@dataclass(frozen=True)
class C:
    """upstream `newClaim(name, uid, capacity, volume, phase, class, annotations...)`."""

    name: str
    uid: str
    size: str
    volume: str
    phase: str
    cls: str | None = None
    ann: tuple[str, ...] = ()
    mode: str | None = None
    selector: bool = False
    access: tuple[str, ...] = ()
    selected_node: str = ""
    capacity: str = ""  # withExpectedCapacity


@dataclass
class Row:
    name: str
    volumes: list[V]
    expected_volumes: list[V]
    claims: list[C]
    expected_claims: list[C]
    events: list[str] = field(default_factory=list)
    sync: str = "claim"


A, B, P, R, F, L = "Available", "Bound", "Pending", "Released", "Failed", "Lost"
W = "wait"
# fmt: off
ROWS = [
    # [Unit test set 1] User did not care which PV they get.
    Row("1-1 - successful bind", [V("volume1-1", "1Gi", "", "", A)],
        [V("volume1-1", "1Gi", "uid1-1", "claim1-1", B, ann=(BBC,))],
        [C("claim1-1", "uid1-1", "1Gi", "", P)],
        [C("claim1-1", "uid1-1", "1Gi", "volume1-1", B, ann=(BBC, BC))]),
    Row("1-2 - noop", [V("volume1-2", "1Gi", "", "", A)], [V("volume1-2", "1Gi", "", "", A)],
        [C("claim1-2", "uid1-2", "10Gi", "", P)], [C("claim1-2", "uid1-2", "10Gi", "", P)],
        ["Normal FailedBinding"]),
    Row("1-3 - reset to Pending", [V("volume1-3", "1Gi", "", "", A)],
        [V("volume1-3", "1Gi", "", "", A)], [C("claim1-3", "uid1-3", "10Gi", "", B)],
        [C("claim1-3", "uid1-3", "10Gi", "", P)], ["Normal FailedBinding"]),
    Row("1-4 - smallest volume",
        [V("volume1-4-1", "10Gi", "", "", A), V("volume1-4-2", "1Gi", "", "", A)],
        [V("volume1-4-1", "10Gi", "", "", A),
         V("volume1-4-2", "1Gi", "uid1-4", "claim1-4", B, ann=(BBC,))],
        [C("claim1-4", "uid1-4", "1Gi", "", P)],
        [C("claim1-4", "uid1-4", "1Gi", "volume1-4-2", B, ann=(BBC, BC))]),
    Row("1-5 - prebound volume by name - success",
        [V("volume1-5-1", "10Gi", "", "claim1-5", A), V("volume1-5-2", "1Gi", "", "", A)],
        [V("volume1-5-1", "10Gi", "uid1-5", "claim1-5", B), V("volume1-5-2", "1Gi", "", "", A)],
        [C("claim1-5", "uid1-5", "1Gi", "", P)],
        [C("claim1-5", "uid1-5", "1Gi", "volume1-5-1", B, ann=(BBC, BC), capacity="10Gi")]),
    Row("1-6 - prebound volume by UID - success",
        [V("volume1-6-1", "10Gi", "uid1-6", "claim1-6", A), V("volume1-6-2", "1Gi", "", "", A)],
        [V("volume1-6-1", "10Gi", "uid1-6", "claim1-6", B), V("volume1-6-2", "1Gi", "", "", A)],
        [C("claim1-6", "uid1-6", "1Gi", "", P)],
        [C("claim1-6", "uid1-6", "1Gi", "volume1-6-1", B, ann=(BBC, BC), capacity="10Gi")]),
    Row("1-7 - prebound volume to different claim",
        [V("volume1-7", "10Gi", "uid1-777", "claim1-7", A)],
        [V("volume1-7", "10Gi", "uid1-777", "claim1-7", A)],
        [C("claim1-7", "uid1-7", "1Gi", "", P)], [C("claim1-7", "uid1-7", "1Gi", "", P)],
        ["Normal FailedBinding"]),
    Row("1-8 - complete bind after crash - PV bound",
        [V("volume1-8", "1Gi", "uid1-8", "claim1-8", A, ann=(BBC,))],
        [V("volume1-8", "1Gi", "uid1-8", "claim1-8", B, ann=(BBC,))],
        [C("claim1-8", "uid1-8", "1Gi", "", P)],
        [C("claim1-8", "uid1-8", "1Gi", "volume1-8", B, ann=(BBC, BC))]),
    Row("1-9 - complete bind after crash - PV status saved",
        [V("volume1-9", "1Gi", "uid1-9", "claim1-9", B, ann=(BBC,))],
        [V("volume1-9", "1Gi", "uid1-9", "claim1-9", B, ann=(BBC,))],
        [C("claim1-9", "uid1-9", "1Gi", "", P)],
        [C("claim1-9", "uid1-9", "1Gi", "volume1-9", B, ann=(BBC, BC))]),
    Row("1-10 - complete bind after crash - PVC bound",
        [V("volume1-10", "1Gi", "uid1-10", "claim1-10", B, ann=(BBC,))],
        [V("volume1-10", "1Gi", "uid1-10", "claim1-10", B, ann=(BBC,))],
        [C("claim1-10", "uid1-10", "1Gi", "volume1-10", P, ann=(BBC, BC))],
        [C("claim1-10", "uid1-10", "1Gi", "volume1-10", B, ann=(BBC, BC))]),
    Row("1-11 - bind when selector matches", [V("volume1-1", "1Gi", "", "", A, labels=True)],
        [V("volume1-1", "1Gi", "uid1-1", "claim1-1", B, ann=(BBC,), labels=True)],
        [C("claim1-1", "uid1-1", "1Gi", "", P, selector=True)],
        [C("claim1-1", "uid1-1", "1Gi", "volume1-1", B, ann=(BBC, BC), selector=True)]),
    Row("1-12 - do not bind when selector does not match", [V("volume1-1", "1Gi", "", "", A)],
        [V("volume1-1", "1Gi", "", "", A)], [C("claim1-1", "uid1-1", "1Gi", "", P, selector=True)],
        [C("claim1-1", "uid1-1", "1Gi", "", P, selector=True)], ["Normal FailedBinding"]),
    Row("1-13 - delayed binding", [V("volume1-1", "1Gi", "", "", A, cls=W)],
        [V("volume1-1", "1Gi", "", "", A, cls=W)], [C("claim1-1", "uid1-1", "1Gi", "", P, cls=W)],
        [C("claim1-1", "uid1-1", "1Gi", "", P, cls=W)], ["Normal WaitForFirstConsumer"]),
    Row("1-14 - successful prebound PV", [V("volume1-1", "1Gi", "", "claim1-1", A, cls=W)],
        [V("volume1-1", "1Gi", "uid1-1", "claim1-1", B, cls=W)],
        [C("claim1-1", "uid1-1", "1Gi", "", P, cls=W)],
        [C("claim1-1", "uid1-1", "1Gi", "volume1-1", B, cls=W, ann=(BBC, BC))]),
    Row("1-15 - successful prebound PVC",
        [V("volume1-15-1", "10Gi", "", "", A), V("volume1-15-2", "1Gi", "", "", A)],
        [V("volume1-15-1", "10Gi", "uid1-15", "claim1-15", B, ann=(BBC,)),
         V("volume1-15-2", "1Gi", "", "", A)],
        [C("claim1-15", "uid1-15", "1Gi", "volume1-15-1", P)],
        [C("claim1-15", "uid1-15", "1Gi", "volume1-15-1", B, ann=(BC,), capacity="10Gi")]),
    Row("1-16 - prebound PVC to a PV with other access modes",
        [V("volume1-16", "1Gi", "", "", A)], [V("volume1-16", "1Gi", "", "", A)],
        [C("claim1-16", "uid1-16", "1Gi", "volume1-16", P, access=("ReadWriteMany",))],
        [C("claim1-16", "uid1-16", "1Gi", "volume1-16", P, access=("ReadWriteMany",))],
        ["Warning VolumeMismatch"]),
    Row("1-17 - skip non-available PV if it's not pre-bind",
        [V("volume1-17-pending", "1Gi", "", "", P), V("volume1-17-failed", "1Gi", "", "", F),
         V("volume1-17-released", "1Gi", "", "", R)],
        [V("volume1-17-pending", "1Gi", "", "", P), V("volume1-17-failed", "1Gi", "", "", F),
         V("volume1-17-released", "1Gi", "", "", R)],
        [C("claim1-17", "uid1-17", "1Gi", "", P)], [C("claim1-17", "uid1-17", "1Gi", "", P)]),
    Row("1-18 - successful pre-bound PV to PVC provisioning",
        [V("volume1-18", "1Gi", "uid1-18", "claim1-18", A, cls=W)],
        [V("volume1-18", "1Gi", "uid1-18", "claim1-18", B, cls=W)],
        [C("claim1-18", "uid1-18", "1Gi", "", P, cls=W, selected_node="node1")],
        [C("claim1-18", "uid1-18", "1Gi", "volume1-18", B, cls=W, ann=(BBC, BC),
           selected_node="node1")]),
    # [Unit test set 2] User asked for a specific PV.
    Row("2-1 - claim prebound to non-existing volume - noop", [], [],
        [C("claim2-1", "uid2-1", "10Gi", "volume2-1", P)],
        [C("claim2-1", "uid2-1", "10Gi", "volume2-1", P)]),
    Row("2-2 - claim prebound to non-existing volume - reset status", [], [],
        [C("claim2-2", "uid2-2", "10Gi", "volume2-2", B)],
        [C("claim2-2", "uid2-2", "10Gi", "volume2-2", P)]),
    Row("2-3 - claim prebound to unbound volume", [V("volume2-3", "1Gi", "", "", A)],
        [V("volume2-3", "1Gi", "uid2-3", "claim2-3", B, ann=(BBC,))],
        [C("claim2-3", "uid2-3", "1Gi", "volume2-3", P)],
        [C("claim2-3", "uid2-3", "1Gi", "volume2-3", B, ann=(BC,))]),
    Row("2-4 - claim prebound to prebound volume by name",
        [V("volume2-4", "1Gi", "", "claim2-4", A)],
        [V("volume2-4", "1Gi", "uid2-4", "claim2-4", B)],
        [C("claim2-4", "uid2-4", "1Gi", "volume2-4", P)],
        [C("claim2-4", "uid2-4", "1Gi", "volume2-4", B, ann=(BC,))]),
    Row("2-5 - claim prebound to prebound volume by UID",
        [V("volume2-5", "1Gi", "uid2-5", "claim2-5", A)],
        [V("volume2-5", "1Gi", "uid2-5", "claim2-5", B)],
        [C("claim2-5", "uid2-5", "1Gi", "volume2-5", P)],
        [C("claim2-5", "uid2-5", "1Gi", "volume2-5", B, ann=(BC,))]),
    Row("2-6 - claim prebound to already bound volume",
        [V("volume2-6", "1Gi", "uid2-6_1", "claim2-6-1", B)],
        [V("volume2-6", "1Gi", "uid2-6_1", "claim2-6-1", B)],
        [C("claim2-6", "uid2-6", "1Gi", "volume2-6", B)],
        [C("claim2-6", "uid2-6", "1Gi", "volume2-6", P)], ["Warning FailedBinding"]),
    Row("2-7 - claim bound by controller to already bound volume",
        [V("volume2-7", "1Gi", "uid2-7_1", "claim2-7-1", B)],
        [V("volume2-7", "1Gi", "uid2-7_1", "claim2-7-1", B)],
        [C("claim2-7", "uid2-7", "1Gi", "volume2-7", B, ann=(BBC,))],
        [C("claim2-7", "uid2-7", "1Gi", "volume2-7", B, ann=(BBC,))]),
    Row("2-8 - claim prebound to unbound volume that does not match the selector",
        [V("volume2-8", "1Gi", "", "", A)],
        [V("volume2-8", "1Gi", "uid2-8", "claim2-8", B, ann=(BBC,))],
        [C("claim2-8", "uid2-8", "1Gi", "volume2-8", P, selector=True)],
        [C("claim2-8", "uid2-8", "1Gi", "volume2-8", B, ann=(BC,), selector=True)]),
    Row("2-9 - claim prebound to unbound volume that size is smaller than requested",
        [V("volume2-9", "1Gi", "", "", A)], [V("volume2-9", "1Gi", "", "", A)],
        [C("claim2-9", "uid2-9", "2Gi", "volume2-9", B)],
        [C("claim2-9", "uid2-9", "2Gi", "volume2-9", P)], ["Warning VolumeMismatch"]),
    Row("2-10 - claim prebound to unbound volume that class is different",
        [V("volume2-10", "1Gi", "", "", A, cls="gold")],
        [V("volume2-10", "1Gi", "", "", A, cls="gold")],
        [C("claim2-10", "uid2-10", "1Gi", "volume2-10", B)],
        [C("claim2-10", "uid2-10", "1Gi", "volume2-10", P)], ["Warning VolumeMismatch"]),
    # [Unit test set 3] Syncing bound claim
    Row("3-1 - bound claim with missing VolumeName", [], [],
        [C("claim3-1", "uid3-1", "10Gi", "", B, ann=(BBC, BC))],
        [C("claim3-1", "uid3-1", "10Gi", "", L, ann=(BBC, BC))], ["Warning ClaimLost"]),
    Row("3-2 - bound claim with missing volume", [], [],
        [C("claim3-2", "uid3-2", "10Gi", "volume3-2", B, ann=(BBC, BC))],
        [C("claim3-2", "uid3-2", "10Gi", "volume3-2", L, ann=(BBC, BC))], ["Warning ClaimLost"]),
    Row("3-3 - bound claim with unbound volume", [V("volume3-3", "10Gi", "", "", A)],
        [V("volume3-3", "10Gi", "uid3-3", "claim3-3", B, ann=(BBC,))],
        [C("claim3-3", "uid3-3", "10Gi", "volume3-3", P, ann=(BBC, BC))],
        [C("claim3-3", "uid3-3", "10Gi", "volume3-3", B, ann=(BBC, BC))]),
    Row("3-4 - bound claim with prebound volume",
        [V("volume3-4", "10Gi", "claim3-4-x", "claim3-4", A)],
        [V("volume3-4", "10Gi", "claim3-4-x", "claim3-4", A)],
        [C("claim3-4", "uid3-4", "10Gi", "volume3-4", P, ann=(BBC, BC))],
        [C("claim3-4", "uid3-4", "10Gi", "volume3-4", L, ann=(BBC, BC))],
        ["Warning ClaimMisbound"]),
    Row("3-5 - bound claim with bound volume",
        [V("volume3-5", "10Gi", "uid3-5", "claim3-5", A)],
        [V("volume3-5", "10Gi", "uid3-5", "claim3-5", B)],
        [C("claim3-5", "uid3-5", "10Gi", "volume3-5", P, ann=(BC,))],
        [C("claim3-5", "uid3-5", "10Gi", "volume3-5", B, ann=(BC,))]),
    Row("3-6 - bound claim with bound volume",
        [V("volume3-6", "10Gi", "uid3-6-x", "claim3-6-x", A)],
        [V("volume3-6", "10Gi", "uid3-6-x", "claim3-6-x", A)],
        [C("claim3-6", "uid3-6", "10Gi", "volume3-6", P, ann=(BC,))],
        [C("claim3-6", "uid3-6", "10Gi", "volume3-6", L, ann=(BC,))], ["Warning ClaimMisbound"]),
    Row("3-7 - bound claim with unbound volume where selector doesn't match",
        [V("volume3-3", "10Gi", "", "", A)],
        [V("volume3-3", "10Gi", "uid3-3", "claim3-3", B, ann=(BBC,))],
        [C("claim3-3", "uid3-3", "10Gi", "volume3-3", P, ann=(BBC, BC), selector=True)],
        [C("claim3-3", "uid3-3", "10Gi", "volume3-3", B, ann=(BBC, BC), selector=True)]),
    # [Unit test set 4] All syncVolume tests.
    Row("4-1 - pending volume", [V("volume4-1", "10Gi", "", "", P)],
        [V("volume4-1", "10Gi", "", "", A)], [], [], sync="volume"),
    Row("4-2 - pending prebound volume", [V("volume4-2", "10Gi", "", "claim4-2", P)],
        [V("volume4-2", "10Gi", "", "claim4-2", A)], [], [], sync="volume"),
    Row("4-3 - bound volume with missing claim", [V("volume4-3", "10Gi", "uid4-3", "claim4-3", B)],
        [V("volume4-3", "10Gi", "uid4-3", "claim4-3", R)], [], [], sync="volume"),
    Row("4-4 - volume bound to claim with different UID",
        [V("volume4-4", "10Gi", "uid4-4", "claim4-4", B)],
        [V("volume4-4", "10Gi", "uid4-4", "claim4-4", R)],
        [C("claim4-4", "uid4-4-x", "10Gi", "volume4-4", B, ann=(BC,))],
        [C("claim4-4", "uid4-4-x", "10Gi", "volume4-4", B, ann=(BC,))], sync="volume"),
    Row("4-5 - volume bound by controller to unbound claim",
        [V("volume4-5", "10Gi", "uid4-5", "claim4-5", B, ann=(BBC,))],
        [V("volume4-5", "10Gi", "uid4-5", "claim4-5", B, ann=(BBC,))],
        [C("claim4-5", "uid4-5", "10Gi", "", P)], [C("claim4-5", "uid4-5", "10Gi", "", P)],
        sync="volume"),
    Row("4-5 - volume bound by user to bound claim",
        [V("volume4-5", "10Gi", "uid4-5", "claim4-5", B)],
        [V("volume4-5", "10Gi", "uid4-5", "claim4-5", B)],
        [C("claim4-5", "uid4-5", "10Gi", "", P)], [C("claim4-5", "uid4-5", "10Gi", "", P)],
        sync="volume"),
    Row("4-6 - volume bound by to bound claim", [V("volume4-6", "10Gi", "uid4-6", "claim4-6", A)],
        [V("volume4-6", "10Gi", "uid4-6", "claim4-6", B)],
        [C("claim4-6", "uid4-6", "10Gi", "volume4-6", B)],
        [C("claim4-6", "uid4-6", "10Gi", "volume4-6", B)], sync="volume"),
    Row("4-7 - volume bound by controller to claim bound somewhere else",
        [V("volume4-7", "10Gi", "uid4-7", "claim4-7", B, ann=(BBC,))],
        [V("volume4-7", "10Gi", "", "", A)],
        [C("claim4-7", "uid4-7", "10Gi", "volume4-7-x", B)],
        [C("claim4-7", "uid4-7", "10Gi", "volume4-7-x", B)], sync="volume"),
    Row("4-8 - volume bound by user to claim bound somewhere else",
        [V("volume4-8", "10Gi", "uid4-8", "claim4-8", B)],
        [V("volume4-8", "10Gi", "", "claim4-8", A)],
        [C("claim4-8", "uid4-8", "10Gi", "volume4-8-x", B)],
        [C("claim4-8", "uid4-8", "10Gi", "volume4-8-x", B)], sync="volume"),
    # PVC with class
    Row("13-1 - binding to class",
        [V("volume13-1-1", "1Gi", "", "", A), V("volume13-1-2", "10Gi", "", "", A, cls="gold")],
        [V("volume13-1-1", "1Gi", "", "", A),
         V("volume13-1-2", "10Gi", "uid13-1", "claim13-1", B, cls="gold", ann=(BBC,))],
        [C("claim13-1", "uid13-1", "1Gi", "", P, cls="gold")],
        [C("claim13-1", "uid13-1", "1Gi", "volume13-1-2", B, cls="gold", ann=(BBC, BC),
           capacity="10Gi")]),
    Row("13-2 - binding without a class",
        [V("volume13-2-1", "1Gi", "", "", A, cls="gold"), V("volume13-2-2", "10Gi", "", "", A)],
        [V("volume13-2-1", "1Gi", "", "", A, cls="gold"),
         V("volume13-2-2", "10Gi", "uid13-2", "claim13-2", B, ann=(BBC,))],
        [C("claim13-2", "uid13-2", "1Gi", "", P)],
        [C("claim13-2", "uid13-2", "1Gi", "volume13-2-2", B, ann=(BBC, BC), capacity="10Gi")]),
    Row("13-3 - binding to specific a class",
        [V("volume13-3-1", "1Gi", "", "", A, cls="silver"),
         V("volume13-3-2", "10Gi", "", "", A, cls="gold")],
        [V("volume13-3-1", "1Gi", "", "", A, cls="silver"),
         V("volume13-3-2", "10Gi", "uid13-3", "claim13-3", B, cls="gold", ann=(BBC,))],
        [C("claim13-3", "uid13-3", "1Gi", "", P, cls="gold")],
        [C("claim13-3", "uid13-3", "1Gi", "volume13-3-2", B, cls="gold", ann=(BBC, BC),
           capacity="10Gi")]),
    Row("13-4 - empty class", [V("volume13-4", "1Gi", "", "", A)],
        [V("volume13-4", "1Gi", "uid13-4", "claim13-4", B, ann=(BBC,))],
        [C("claim13-4", "uid13-4", "1Gi", "", P, cls="")],
        [C("claim13-4", "uid13-4", "1Gi", "volume13-4", B, cls="", ann=(BBC, BC))]),
    Row("13-5 - nil class", [V("volume13-5", "1Gi", "", "", A)],
        [V("volume13-5", "1Gi", "uid13-5", "claim13-5", B, ann=(BBC,))],
        [C("claim13-5", "uid13-5", "1Gi", "", P)],
        [C("claim13-5", "uid13-5", "1Gi", "volume13-5", B, ann=(BBC, BC))]),
]

BLOCK, FS = "Block", "Filesystem"
BLOCK_ROWS = [
    Row("14-1 - binding to volumeMode block", [V("volume14-1", "10Gi", "", "", A, mode=BLOCK)],
        [V("volume14-1", "10Gi", "uid14-1", "claim14-1", B, ann=(BBC,), mode=BLOCK)],
        [C("claim14-1", "uid14-1", "10Gi", "", P, mode=BLOCK)],
        [C("claim14-1", "uid14-1", "10Gi", "volume14-1", B, ann=(BBC, BC), mode=BLOCK)]),
    Row("14-2 - binding to volumeMode filesystem", [V("volume14-2", "10Gi", "", "", A, mode=FS)],
        [V("volume14-2", "10Gi", "uid14-2", "claim14-2", B, ann=(BBC,), mode=FS)],
        [C("claim14-2", "uid14-2", "10Gi", "", P, mode=FS)],
        [C("claim14-2", "uid14-2", "10Gi", "volume14-2", B, ann=(BBC, BC), mode=FS)]),
    Row("14-3 - do not bind pv volumeMode filesystem and pvc volumeMode block",
        [V("volume14-3", "10Gi", "", "", A, mode=FS)],
        [V("volume14-3", "10Gi", "", "", A, mode=FS)],
        [C("claim14-3", "uid14-3", "10Gi", "", P, mode=BLOCK)],
        [C("claim14-3", "uid14-3", "10Gi", "", P, mode=BLOCK)], ["Normal FailedBinding"]),
    Row("14-4 - do not bind pv volumeMode block and pvc volumeMode filesystem",
        [V("volume14-4", "10Gi", "", "", A, mode=BLOCK)],
        [V("volume14-4", "10Gi", "", "", A, mode=BLOCK)],
        [C("claim14-4", "uid14-4", "10Gi", "", P, mode=FS)],
        [C("claim14-4", "uid14-4", "10Gi", "", P, mode=FS)], ["Normal FailedBinding"]),
    Row("14-5 - do not bind when matching class but not volumeMode",
        [V("volume14-5", "10Gi", "", "", A, cls="gold", mode=FS)],
        [V("volume14-5", "10Gi", "", "", A, cls="gold", mode=FS)],
        [C("claim14-5", "uid14-5", "10Gi", "", P, cls="gold", mode=BLOCK)],
        [C("claim14-5", "uid14-5", "10Gi", "", P, cls="gold", mode=BLOCK)],
        ["Warning ProvisioningFailed"]),
    Row("14-5-1 - do not bind when matching volumeModes but class does not match",
        [V("volume14-5-1", "10Gi", "", "", A, cls="gold", mode=FS)],
        [V("volume14-5-1", "10Gi", "", "", A, cls="gold", mode=FS)],
        [C("claim14-5-1", "uid14-5-1", "10Gi", "", P, cls="silver", mode=FS)],
        [C("claim14-5-1", "uid14-5-1", "10Gi", "", P, cls="silver", mode=FS)],
        ["Warning ProvisioningFailed"]),
    Row("14-5-2 - do not bind when pvc is prebound to pv with matching volumeModes but class "
        "does not match", [V("volume14-5-2", "10Gi", "", "", A, cls="gold", mode=FS)],
        [V("volume14-5-2", "10Gi", "", "", A, cls="gold", mode=FS)],
        [C("claim14-5-2", "uid14-5-2", "10Gi", "volume14-5-2", P, cls="silver", mode=FS)],
        [C("claim14-5-2", "uid14-5-2", "10Gi", "volume14-5-2", P, cls="silver", mode=FS)],
        ["Warning VolumeMismatch"]),
    Row("14-7 - bind when pv volume is prebound and volumeModes match",
        [V("volume14-7", "10Gi", "", "claim14-7", A, mode=BLOCK)],
        [V("volume14-7", "10Gi", "uid14-7", "claim14-7", B, mode=BLOCK)],
        [C("claim14-7", "uid14-7", "10Gi", "", P, mode=BLOCK)],
        [C("claim14-7", "uid14-7", "10Gi", "volume14-7", B, ann=(BBC, BC), mode=BLOCK)]),
    Row("14-8 - do not bind when pvc is prebound to pv with mismatching volumeModes",
        [V("volume14-8", "10Gi", "", "", A, mode=BLOCK)],
        [V("volume14-8", "10Gi", "", "", A, mode=BLOCK)],
        [C("claim14-8", "uid14-8", "10Gi", "volume14-8", P, mode=FS)],
        [C("claim14-8", "uid14-8", "10Gi", "volume14-8", P, mode=FS)], ["Warning VolumeMismatch"]),
    Row("14-8-1 - do not bind when pv is prebound to pvc with mismatching volumeModes",
        [V("volume14-8-1", "10Gi", "", "claim14-8-1", A, mode=BLOCK)],
        [V("volume14-8-1", "10Gi", "", "claim14-8-1", A, mode=BLOCK)],
        [C("claim14-8-1", "uid14-8-1", "10Gi", "", P, mode=FS)],
        [C("claim14-8-1", "uid14-8-1", "10Gi", "", P, mode=FS)], ["Normal FailedBinding"]),
    Row("14-9 - bind when pvc is prebound to pv with matching volumeModes block",
        [V("volume14-9", "10Gi", "", "", A, mode=BLOCK)],
        [V("volume14-9", "10Gi", "uid14-9", "claim14-9", B, ann=(BBC,), mode=BLOCK)],
        [C("claim14-9", "uid14-9", "10Gi", "volume14-9", P, mode=BLOCK)],
        [C("claim14-9", "uid14-9", "10Gi", "volume14-9", B, ann=(BC,), mode=BLOCK)]),
    Row("14-10 - bind when pv is prebound to pvc with matching volumeModes block",
        [V("volume14-10", "10Gi", "", "claim14-10", A, mode=BLOCK)],
        [V("volume14-10", "10Gi", "uid14-10", "claim14-10", B, mode=BLOCK)],
        [C("claim14-10", "uid14-10", "10Gi", "", P, mode=BLOCK)],
        [C("claim14-10", "uid14-10", "10Gi", "volume14-10", B, ann=(BBC, BC), mode=BLOCK)]),
    Row("14-11 - bind when pvc is prebound to pv with matching volumeModes filesystem",
        [V("volume14-11", "10Gi", "", "", A, mode=FS)],
        [V("volume14-11", "10Gi", "uid14-11", "claim14-11", B, ann=(BBC,), mode=FS)],
        [C("claim14-11", "uid14-11", "10Gi", "volume14-11", P, mode=FS)],
        [C("claim14-11", "uid14-11", "10Gi", "volume14-11", B, ann=(BC,), mode=FS)]),
    Row("14-12 - bind when pv is prebound to pvc with matching volumeModes filesystem",
        [V("volume14-12", "10Gi", "", "claim14-12", A, mode=FS)],
        [V("volume14-12", "10Gi", "uid14-12", "claim14-12", B, mode=FS)],
        [C("claim14-12", "uid14-12", "10Gi", "", P, mode=FS)],
        [C("claim14-12", "uid14-12", "10Gi", "volume14-12", B, ann=(BBC, BC), mode=FS)]),
]
# fmt: on


class Harness:
    """An API server and a PV controller whose worker never runs: the test calls one sync."""

    def __init__(self) -> None:
        self.loop = EventLoop(seed=0)
        store = Store(clock=lambda: self.loop.now)
        server = APIServer(store, self.loop, admission=AdmissionChain([NamespaceLifecycle()]))
        self.client = Client(server, "test")
        self.client.create("namespaces", {"metadata": {"name": "default"}})
        self.informers = SharedInformerFactory(Client(server, "informers"))
        self.ctrl = PersistentVolumeController(Client(server, "pv-controller"), self.informers)
        self.client.create(
            "storageclasses",
            {
                "apiVersion": "storage.k8s.io/v1",
                "kind": "StorageClass",
                "metadata": {"name": W},
                "provisioner": "example.com/wait",
                "volumeBindingMode": "WaitForFirstConsumer",
            },
        )
        self.uids: dict[str, str] = {}  # upstream uid -> real uid

    def add_claim(self, c: C) -> None:
        spec: dict = {
            "accessModes": list(c.access or MODES),
            "resources": {"requests": {"storage": c.size}},
        }
        if c.volume:
            spec["volumeName"] = c.volume
        if c.cls is not None:
            spec["storageClassName"] = c.cls
        if c.mode:
            spec["volumeMode"] = c.mode
        if c.selector:
            spec["selector"] = {"matchLabels": LABELS}
        ann = {a: "yes" for a in c.ann}
        if c.selected_node:
            ann[util.ANN_SELECTED_NODE] = c.selected_node
        meta = {"name": c.name, "namespace": "default", "annotations": ann}
        obj = self.client.create("persistentvolumeclaims", {"metadata": meta, "spec": spec})
        self.uids[c.uid] = obj["metadata"]["uid"]
        status: dict = {"phase": c.phase}
        if c.phase == B:
            status |= {"capacity": {"storage": c.size}, "accessModes": spec["accessModes"]}
        self.client.update_status("persistentvolumeclaims", dict(obj, status=status))

    def add_volume(self, v: V) -> None:
        spec: dict = {
            "capacity": {"storage": v.size},
            "accessModes": list(MODES),
            "persistentVolumeReclaimPolicy": "Retain",
            "hostPath": {"path": f"/tmp/{v.name}"},
        }
        if v.cls:
            spec["storageClassName"] = v.cls
        if v.mode:
            spec["volumeMode"] = v.mode
        if v.claim:
            ref = {"kind": "PersistentVolumeClaim", "namespace": "default", "name": v.claim}
            if v.uid:
                ref["uid"] = self.uids.get(v.uid, v.uid)
            spec["claimRef"] = ref
        meta = {"name": v.name, "annotations": {a: "yes" for a in v.ann}}
        if v.labels:
            meta["labels"] = LABELS
        obj = self.client.create("persistentvolumes", {"metadata": meta, "spec": spec})
        self.client.update_status("persistentvolumes", dict(obj, status={"phase": v.phase}))

    def token(self, uid: str) -> str:
        return next((k for k, real in self.uids.items() if real == uid), uid)

    def volume_state(self, pv: dict) -> tuple:
        ref = pv["spec"].get("claimRef") or {}
        ann = tuple(a for a in (BBC,) if a in util.annotations_of(pv))
        return (
            pv["metadata"]["name"],
            self.token(ref.get("uid", "")),
            ref.get("name", ""),
            pv["status"]["phase"],
            ann,
        )

    def claim_state(self, pvc: dict) -> tuple:
        ann = tuple(a for a in (BBC, BC) if a in util.annotations_of(pvc))
        status = pvc.get("status") or {}
        capacity = (status.get("capacity") or {}).get("storage", "")
        return (
            pvc["metadata"]["name"],
            self.token(pvc["metadata"]["uid"]),
            pvc["spec"].get("volumeName", ""),
            status.get("phase"),
            ann,
            capacity,
        )


def expected_volume(v: V) -> tuple:
    return (v.name, v.uid, v.claim, v.phase, v.ann)


def expected_claim(c: C) -> tuple:
    capacity = (c.capacity or c.size) if c.phase == B else ""
    return (c.name, c.uid, c.volume, c.phase, c.ann, capacity)


@pytest.mark.parametrize("row", ROWS + BLOCK_ROWS, ids=lambda r: r.name)
def test_sync(row: Row) -> None:
    h = Harness()
    for c in row.claims:
        h.add_claim(c)
    for v in row.volumes:
        h.add_volume(v)
    h.informers.start()
    h.loop.settle()
    if row.sync == "claim":
        h.ctrl.sync_claim(h.client.get("persistentvolumeclaims", row.claims[0].name, "default"))
    else:
        h.ctrl.sync_volume(h.client.get("persistentvolumes", row.volumes[0].name))
    h.loop.settle()
    volumes = sorted(h.volume_state(pv) for pv in h.client.list("persistentvolumes")["items"])
    claims = h.client.list("persistentvolumeclaims", "default")["items"]
    assert volumes == sorted(expected_volume(v) for v in row.expected_volumes)
    assert sorted(h.claim_state(c) for c in claims) == sorted(
        expected_claim(c) for c in row.expected_claims
    )
    if row.events:
        events = h.client.list("events", "default")["items"]
        events.sort(key=lambda e: int(e["metadata"]["resourceVersion"]))
        assert [f"{e['type']} {e['reason']}" for e in events] == row.events
