"""A bad flag value is pflag's `invalid argument` error (`FlagSet.Set` → `Value.Set`) ended by
cobra's usage hint from kubectl's `FlagErrorFunc` (k8s.io/kubectl/pkg/util/templates/
templater.go): `<err>\\nSee '<CommandPath> --help' for usage.`, as `CheckErr` prints it. Int
flags parse as pflag's `strconv.ParseInt(s, 0, bits)`: Go's own `parseInt64BaseTests` table
(strconv/atoi_test.go, base 0 rows) is ported below."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from minik8s.cluster import Cluster
from minik8s.kubectl.cli import Args
from minik8s.kubectl.flag_values import duration_flag, int_flag, parse_int

BOOL = 'strconv.ParseBool: parsing "{v}": invalid syntax'
INT = 'strconv.ParseInt: parsing "{v}": invalid syntax'


@pytest.fixture(scope="module")
def c() -> Cluster:
    cluster = Cluster(seed=0, nodes=1)
    cluster.kubectl("create deployment web --image=nginx")
    cluster.settle()
    return cluster


def expected(path: str, flag: str, value: str, reason: str) -> str:
    return (
        f'error: invalid argument "{value}" for "{flag}" flag: {reason.format(v=value)}\n'
        f"See 'kubectl {path} --help' for usage.\n"
    )


@pytest.mark.parametrize(
    ("argv", "path", "flag", "value", "reason"),
    [
        ("get pods --all-namespaces=x", "get", "-A, --all-namespaces", "x", BOOL),
        ("get pods --chunk-size=abc", "get", "--chunk-size", "abc", INT),
        ("label deploy web a=b --overwrite=maybe", "label", "--overwrite", "maybe", BOOL),
        ("scale deploy web --replicas=two", "scale", "--replicas", "two", INT),
        ("scale deploy web --replicas=1 --current-replicas=x", "scale", "--current-replicas",
         "x", INT),
        ("delete deploy web --timeout=30", "delete", "--timeout", "30",
         'time: missing unit in duration "{v}"'),
        ("delete deploy web --grace-period=soon", "delete", "--grace-period", "soon", INT),
        ("rollout status deploy/web --watch --timeout=30", "rollout status", "--timeout", "30",
         'time: missing unit in duration "{v}"'),
        ("rollout status deploy/web --watch=x", "rollout status", "-w, --watch", "x", BOOL),
        ("rollout history deploy/web --revision=x", "rollout history", "--revision", "x", INT),
        ("rollout undo deploy/web --to-revision=1.5", "rollout undo", "--to-revision", "1.5",
         INT),
        ("logs deploy/web --tail=x", "logs", "--tail", "x", INT),
        ("logs deploy/web --previous=x", "logs", "-p, --previous", "x", BOOL),
        ("create deployment api --image=nginx --replicas=two", "create deployment",
         "-r, --replicas", "two", INT),
        ("create deploy api --image=nginx --port=99999999999", "create deployment", "--port",
         "99999999999", 'strconv.ParseInt: parsing "{v}": value out of range'),
        ("create secret generic s --from-literal=a=b --append-hash=maybe",
         "create secret generic", "--append-hash", "maybe", BOOL),
        ("create service nodeport np --tcp=80 --node-port=x", "create service nodeport",
         "--node-port", "x", INT),
        ("drain node-1 --force=maybe", "drain", "--force", "maybe", BOOL),
        ("drain node-1 --grace-period=x", "drain", "--grace-period", "x", INT),
        ("taint node node-1 k=v:NoSchedule --overwrite=no", "taint", "--overwrite", "no", BOOL),
        ("events --watch=on", "events", "-w, --watch", "on", BOOL),
        ("replace -f x.yaml --force --grace-period=x", "replace", "--grace-period", "x", INT),
    ],
)  # fmt: skip
def test_flag_value_errors_end_with_the_usage_hint(
    c: Cluster, argv: str, path: str, flag: str, value: str, reason: str
) -> None:
    assert c.kubectl(argv) == expected(path, flag, value, reason)


def test_a_bad_value_changes_nothing(c: Cluster) -> None:
    """pflag fails before `Run`: drain does not cordon, scale does not scale."""
    assert c.kubectl("drain node-1 --grace-period=x").startswith("error: invalid argument")
    assert not c.get("nodes", "node-1")["spec"].get("unschedulable")
    c.kubectl("scale deploy web --replicas=two")
    assert c.get("deployments", "web")["spec"]["replicas"] == 1


def test_logs_flags_fail_before_the_pod_is_looked_up(c: Cluster) -> None:
    assert c.kubectl("logs nosuch --tail=x") == expected("logs", "--tail", "x", INT)
    assert c.kubectl("logs -l app=web --tail=x") == expected("logs", "--tail", "x", INT)


def test_the_first_bad_boolean_on_the_command_line_wins(c: Cluster) -> None:
    out = c.kubectl("get pods --no-headers=x --watch=y")
    assert out == expected("get", "--no-headers", "x", BOOL)


def test_int_flags_take_go_base_prefixes(c: Cluster) -> None:
    assert c.kubectl("scale deploy web --replicas=0x2") == "deployment.apps/web scaled\n"
    assert c.get("deployments", "web")["spec"]["replicas"] == 2
    assert c.kubectl("scale deploy web --replicas=0b1") == "deployment.apps/web scaled\n"
    assert c.get("deployments", "web")["spec"]["replicas"] == 1


def test_args_built_by_hand_name_their_verb() -> None:
    with pytest.raises(ValueError) as caught:
        int_flag(Args("scale", flags={"replicas": "x"}), "replicas", 0)
    assert str(caught.value).endswith("\nSee 'kubectl scale --help' for usage.")
    args = Args("rollout", flags={"timeout": "1m30s"}, command_path=["rollout", "status"])
    assert duration_flag(args, "timeout") == 90.0
    assert duration_flag(Args("rollout"), "timeout", 600.0) == 600.0


S, R = "invalid syntax", "value out of range"
# strconv/atoi_test.go parseInt64BaseTests, base 0 rows: (in, out, err).
PARSE_INT64_BASE0 = [
    ("", 0, S), ("0", 0, None), ("-0", 0, None), ("1", 1, None), ("-1", -1, None),
    ("12345", 12345, None), ("-12345", -12345, None), ("012345", 0o12345, None),
    ("-012345", -0o12345, None), ("0x12345", 0x12345, None), ("-0X12345", -0x12345, None),
    ("12345x", 0, S), ("-12345x", 0, S), ("98765432100", 98765432100, None),
    ("-98765432100", -98765432100, None), ("9223372036854775807", (1 << 63) - 1, None),
    ("-9223372036854775807", -((1 << 63) - 1), None), ("9223372036854775808", 0, R),
    ("-9223372036854775808", -(1 << 63), None), ("9223372036854775809", 0, R),
    ("-9223372036854775809", 0, R),
    ("-0x_1_2_3_4_5", -0x12345, None), ("0x_1_2_3_4_5", 0x12345, None), ("-_0x12345", 0, S),
    ("_-0x12345", 0, S), ("_0x12345", 0, S), ("0x__12345", 0, S), ("0x1__2345", 0, S),
    ("0x1234__5", 0, S), ("0x12345_", 0, S),
    ("-0_1_2_3_4_5", -0o12345, None), ("0_1_2_3_4_5", 0o12345, None), ("-_012345", 0, S),
    ("_-012345", 0, S), ("_012345", 0, S), ("0__12345", 0, S), ("01234__5", 0, S),
    ("012345_", 0, S),
    ("+0xf", 0xF, None), ("-0xf", -0xF, None), ("0x+f", 0, S), ("0x-f", 0, S),
    # parseUint64BaseTests, base 0 (prefix forms)
    ("0b", 0, S), ("0B", 0, S), ("0b101", 5, None), ("0B101", 5, None), ("0o", 0, S),
    ("0O", 0, S), ("0o377", 255, None), ("0O377", 255, None), ("1_2_3_4_5", 12345, None),
    ("_12345", 0, S), ("1__2345", 0, S), ("12345_", 0, S), ("0b_1_0_1", 5, None),
    ("01777777777777777777778", 0, S),
]  # fmt: skip


@pytest.mark.parametrize(("text", "value", "err"), PARSE_INT64_BASE0)
def test_parse_int_base0_matches_go(text: str, value: int, err: str | None) -> None:
    if err is None:
        assert parse_int(text) == value
    else:
        with pytest.raises(ValueError) as caught:
            parse_int(text)
        assert str(caught.value) == f'strconv.ParseInt: parsing "{text}": {err}'


@pytest.mark.parametrize(
    ("text", "err"),
    [("2147483647", None), ("-2147483648", None), ("2147483648", R), ("-2147483649", R)],
)
def test_parse_int32_range(text: str, err: str | None) -> None:
    if err is None:
        assert parse_int(text, 32) == int(text)
    else:
        with pytest.raises(ValueError, match=err):
            parse_int(text, 32)


@given(st.integers(min_value=-(1 << 63), max_value=(1 << 63) - 1))
def test_decimal_and_hex_round_trip(n: int) -> None:
    assert parse_int(str(n)) == n
    sign = "-" if n < 0 else ""
    assert parse_int(f"{sign}0x{abs(n):x}") == n
    assert parse_int(f"{sign}0o{abs(n):o}") == n


@given(st.integers().filter(lambda n: not -(1 << 31) <= n < 1 << 31))
def test_out_of_int32_range_is_a_range_error(n: int) -> None:
    with pytest.raises(ValueError, match=R):
        parse_int(str(n), 32)
