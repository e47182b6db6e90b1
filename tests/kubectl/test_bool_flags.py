"""One pflag boolean parser for every kubectl boolean flag: `strconv.ParseBool` accepts exactly
1, t, T, TRUE, true, True, 0, f, F, FALSE, false, False (strconv/atob.go); anything else is
pflag's `invalid argument` error, ended by cobra's usage hint (`FlagErrorFunc`)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from minik8s.cluster import Cluster
from minik8s.kubectl.cli import BOOLEANS, Args, bool_flag
from tests.kubectl.test_events_watch import Bare, ev

TRUE = ["1", "t", "T", "TRUE", "true", "True"]
FALSE = ["0", "f", "F", "FALSE", "false", "False"]


def error(flag: str, value: str, path: str) -> str:
    """pflag's error; a flag with a shorthand is named `-w, --watch` (pflag `FlagSet.Set`)."""
    shown = {"watch": "-w, --watch"}.get(flag, f"--{flag}")
    return (
        f'error: invalid argument "{value}" for "{shown}" flag: strconv.ParseBool: '
        f'parsing "{value}": invalid syntax\n'
        f"See 'kubectl {path} --help' for usage.\n"
    )


@pytest.mark.parametrize("value", TRUE + FALSE)
def test_parse_bool_spellings(value: str) -> None:
    args = Args("x", flags={"force": value})
    assert bool_flag(args, "force", value not in TRUE) is (value in TRUE)


@pytest.mark.parametrize("value", ["tRuE", "TrUe", "yes", "on", "", "2", "fALSE", " true"])
def test_other_spellings_are_a_parse_error(value: str) -> None:
    with pytest.raises(ValueError) as caught:
        bool_flag(Args("x", flags={"force": value}), "force", False)
    assert f"{caught.value}\n" == error("force", value, "x")


def test_bare_and_absent() -> None:
    assert bool_flag(Args("x", flags={"force": True}), "force", False) is True
    assert bool_flag(Args("x"), "force", True) is True
    assert bool_flag(Args("x"), "force", False) is False


@given(st.text(max_size=6))
def test_accepts_exactly_the_parse_bool_table(value: str) -> None:
    args = Args("x", flags={"wait": value})
    if value in TRUE + FALSE:
        assert bool_flag(args, "wait", False) is (value in TRUE)
    else:
        with pytest.raises(ValueError):
            bool_flag(args, "wait", False)
    assert set(BOOLEANS) == set(TRUE + FALSE)


@pytest.fixture(scope="module")
def cluster() -> Cluster:
    return Cluster(seed=0)


def test_append_hash_takes_only_parse_bool_spellings(cluster: Cluster) -> None:
    assert cluster.kubectl("create configmap x --append-hash=tRuE") == error(
        "append-hash", "tRuE", "create configmap"
    )
    assert cluster.kubectl("create configmap y --append-hash=F") == "configmap/y created\n"
    out = cluster.kubectl("create configmap z --append-hash=T")
    assert out.startswith("configmap/z-") and out.endswith(" created\n")


def test_label_list_and_replace_force_use_it(cluster: Cluster) -> None:
    cluster.kubectl("create configmap listed")
    assert cluster.kubectl("label cm listed --list=1") == ""
    assert cluster.kubectl("label cm listed --list=yes") == error("list", "yes", "label")
    assert cluster.kubectl("replace -f x.yaml --force=maybe") == error("force", "maybe", "replace")


def test_events_watch_takes_parse_bool_values() -> None:
    c = Bare()
    c.add(ev("a", reason="Scheduled"))
    watched = c.kubectl("events --watch=1 --request-timeout=5s")
    assert watched == (
        "LAST SEEN   TYPE     REASON      OBJECT    MESSAGE\n"
        "0s          Normal   Scheduled   Pod/web   Scheduled web\n"
    )
    assert c.loop.now == 5.0
    assert c.kubectl("events --watch=0") == watched.replace("0s  ", "5s  ")
    assert c.kubectl("events --watch=bogus") == error("watch", "bogus", "events")
    assert c.kubectl("events --watch=bogus -o wide") == error("watch", "bogus", "events")
