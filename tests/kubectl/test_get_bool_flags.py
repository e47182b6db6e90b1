"""`kubectl get` and `kubectl events` boolean flags go through pflag's `strconv.ParseBool`:
`--watch=1`, `--no-headers=F`, ...; a bad value is pflag's `invalid argument` error, naming a flag
with a shorthand as `-w, --watch` (pflag `FlagSet.Set`), raised before the command runs and
ended by cobra's usage hint."""

from __future__ import annotations

import pytest

from minik8s.kubectl.cli import Args, bool_flags, flag_display_name
from tests.kubectl.test_events_watch import Bare, ev

HEADER = "LAST SEEN   TYPE     REASON      OBJECT    MESSAGE\n"
ROW = "0s          Normal   Scheduled   Pod/web   Scheduled web\n"
BARE_ROW = "0s    Normal   Scheduled   Pod/web   Scheduled web\n"  # no header to widen LAST SEEN
POD = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "solo"}, "spec": {}}


def parse_error(shown: str, value: str, path: str = "get") -> str:
    return (
        f'error: invalid argument "{value}" for "{shown}" flag: strconv.ParseBool: '
        f'parsing "{value}": invalid syntax\n'
        f"See 'kubectl {path} --help' for usage.\n"
    )


@pytest.fixture
def c() -> Bare:
    bare = Bare()
    bare.add(ev("a", reason="Scheduled"))
    pod = {**POD, "spec": {"containers": [{"name": "app", "image": "nginx"}]}}
    bare.client.create("pods", pod, "default")
    return bare


def test_display_names_follow_the_shorthands() -> None:
    assert flag_display_name("watch", ["get"]) == "-w, --watch"
    assert flag_display_name("all-namespaces", ["get"]) == "-A, --all-namespaces"
    assert flag_display_name("watch-only", ["get"]) == "--watch-only"
    assert flag_display_name("no-headers", ["get"]) == "--no-headers"
    assert flag_display_name("replicas", ["create", "deployment"]) == "-r, --replicas"
    assert flag_display_name("replicas", ["scale"]) == "--replicas"


def test_bool_flags_parse_in_command_line_order() -> None:
    args = Args("get", flags={"no-headers": "T", "watch": "0", "selector": "a=b"})
    assert bool_flags(args, ("watch", "no-headers", "show-labels")) == {
        "no-headers": True,
        "watch": False,
    }
    bad = Args("get", flags={"watch-only": "x", "no-headers": "y"})
    with pytest.raises(ValueError, match='"x" for "--watch-only"'):
        bool_flags(bad, ("no-headers", "watch-only"))


@pytest.mark.parametrize("flag", ["watch", "watch-only", "output-watch-events"])
def test_get_watch_flags_reject_non_parse_bool_words(c: Bare, flag: str) -> None:
    shown = "-w, --watch" if flag == "watch" else f"--{flag}"
    assert c.kubectl(f"get pods --{flag}=yes") == parse_error(shown, "yes")


def test_get_watch_takes_parse_bool_words(c: Bare) -> None:
    plain = c.kubectl("get pods")
    assert plain.splitlines()[0].split() == ["NAME", "READY", "STATUS", "RESTARTS", "AGE"]
    assert c.kubectl("get pods --watch=false") == plain
    assert c.kubectl("get pods --watch=F --watch-only=0") == plain
    watched = c.kubectl("get pods --watch=1 --request-timeout=1s")
    assert watched == plain and c.loop.now == 1.0  # it watched until the request timeout
    assert c.kubectl("get pods --watch-only=TRUE --request-timeout=1s") == ""
    events = c.kubectl("get pods -w --output-watch-events=t --request-timeout=1s")
    assert events.splitlines()[0].split()[:2] == ["EVENT", "NAME"]
    assert events.splitlines()[1].split()[:2] == ["ADDED", "solo"]


def test_get_no_headers_and_show_labels_take_parse_bool_words(c: Bare) -> None:
    plain = c.kubectl("get pods")
    assert c.kubectl("get pods --no-headers=false") == plain
    bare = c.kubectl("get pods --no-headers")
    assert bare.split() == plain.split()[5:]  # the row alone (its columns narrower)
    assert c.kubectl("get pods --no-headers=1") == bare
    assert c.kubectl("get pods --show-labels=f") == plain
    assert c.kubectl("get pods --show-labels=True").splitlines()[0].endswith("LABELS")
    assert c.kubectl("get pods --no-headers=nope") == parse_error("--no-headers", "nope")


def test_get_flag_error_comes_before_the_resource_arguments(c: Bare) -> None:
    assert c.kubectl("get --watch=x") == parse_error("-w, --watch", "x")
    assert c.kubectl("get nosuchkind --no-headers=x") == parse_error("--no-headers", "x")
    assert c.kubectl("get pods --no-headers=x --watch=y") == parse_error("--no-headers", "x")


def test_events_no_headers_takes_parse_bool_words(c: Bare) -> None:
    assert c.kubectl("events") == HEADER + ROW
    assert c.kubectl("events --no-headers") == BARE_ROW
    assert c.kubectl("events --no-headers=1") == BARE_ROW
    assert c.kubectl("events --no-headers=FALSE") == HEADER + ROW
    assert c.kubectl("events --no-headers=0 --watch=f") == HEADER + ROW
    assert c.kubectl("events --no-headers=yes") == parse_error("--no-headers", "yes", "events")
    assert c.kubectl("events --watch=on") == parse_error("-w, --watch", "on", "events")
    assert c.kubectl("events --no-headers=x --watch=y") == parse_error(
        "--no-headers", "x", "events"
    )
