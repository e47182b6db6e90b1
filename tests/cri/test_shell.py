"""The simulated shell: busybox sh meanings for the command set containers use."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from minik8s.cri.shell import Context, parse_duration, run_argv, run_script, run_to_end


def run(script, env=None, files=None, timeout=None):
    out = []
    ctx = Context(
        env=dict(env or {}), files=dict(files or {}), write=lambda s, t: out.append((s, t))
    )
    code, slept, timed_out = run_to_end(run_script(script, ctx), timeout)
    stdout = "".join(t for s, t in out if s == "stdout")
    stderr = "".join(t for s, t in out if s == "stderr")
    return code, stdout, stderr, slept, ctx


@pytest.mark.parametrize(
    "script, code, stdout",
    [
        ("echo hello world", 0, "hello world\n"),
        ("echo -n hi", 0, "hi"),
        ("exit 3", 3, ""),
        ("exit 300", 44, ""),
        ("true && echo yes", 0, "yes\n"),
        ("false && echo yes", 1, ""),
        ("false || echo no", 0, "no\n"),
        ("false; echo $?", 0, "1\n"),
        ("echo a; exit 2; echo b", 2, "a\n"),
        ("echo $A ${A} '$A' \"$A\"", 0, "1 1 $A 1\n"),
        ("for i in 1 2 3; do echo $i; done", 0, "1\n2\n3\n"),
        ("if [ -f /x ]; then echo y; else echo n; fi", 0, "n\n"),
        ("if test 1 -lt 2; then echo lt; fi", 0, "lt\n"),
        ("# a comment\necho after", 0, "after\n"),
        ("echo one\necho two", 0, "one\ntwo\n"),
    ],
)
def test_scripts(script, code, stdout):
    got_code, got_out, _, _, _ = run(script, env={"A": "1"})
    assert (got_code, got_out) == (code, stdout)


def test_sleep_yields_virtual_time():
    code, out, _, slept, _ = run("sleep 2; echo x; sleep 1m")
    assert (code, out, slept) == (0, "x\n", 62.0)


def test_infinite_loop_is_bounded_by_timeout():
    code, out, _, slept, _ = run("while true; do echo hi; sleep 10; done", timeout=35)
    assert code == -1 and out == "hi\n" * 4 and slept == 40


def test_files_and_redirection():
    code, out, err, _, ctx = run(
        "echo a > /tmp/f; echo b >> /tmp/f; cat /tmp/f; rm /tmp/f; cat /tmp/f"
    )
    assert out == "a\nb\n"
    assert err == "cat: can't open '/tmp/f': No such file or directory\n"
    assert code == 1 and "/tmp/f" not in ctx.files


def test_env_and_unknown_commands():
    code, out, err, _, _ = run("env; nosuch", env={"X": "1", "Y": "2"})
    assert out == "X=1\nY=2\n"
    assert (code, err) == (127, "sh: nosuch: not found\n")


def test_syntax_error_exits_2():
    code, _, err, _, _ = run("echo 'unterminated")
    assert code == 2 and "unterminated" in err


def test_run_argv_without_a_shell_does_not_expand():
    out = []
    ctx = Context(env={"A": "1"}, files={}, write=lambda s, t: out.append(t))
    assert run_to_end(run_argv(["echo", "$A"], ctx))[0] == 0
    assert out == ["$A\n"]


@pytest.mark.parametrize("text, seconds", [("5", 5), ("1.5", 1.5), ("2m", 120), ("1h", 3600)])
def test_parse_duration(text, seconds):
    assert parse_duration(text) == seconds


@given(st.integers(min_value=0, max_value=255))
def test_exit_code_is_the_scripts(code):
    assert run(f"echo x; exit {code}")[0] == code


TOKENS = [
    "echo",
    "a",
    "$A",
    "'q'",
    '"d"',
    ";",
    "&&",
    "||",
    "\n",
    ">",
    "/f",
    "if",
    "then",
    "else",
    "fi",
    "for",
    "in",
    "do",
    "done",
    "while",
    "true",
    "false",
    "exit",
    "1",
    "sleep",
    "cat",
    "#",
    "|",
    "&",
]


@given(st.lists(st.sampled_from(TOKENS), max_size=14))
def test_any_script_parses_or_fails_with_a_syntax_error(words):
    code, _, err, _, _ = run(" ".join(words), timeout=100)
    assert isinstance(code, int)
    if code == 2 and err.startswith("sh: "):
        assert (
            "syntax error" in err or "unterminated" in err or "pipes" in err or "not found" in err
        )


def test_nslookup_asks_the_resolver_with_the_containers_resolv_conf():
    asked = []

    def resolve(name, resolv_conf):
        asked.append((name, resolv_conf))
        return ("answer for " + name, name == "web")

    out = []
    conf = "search default.svc.cluster.local\nnameserver 10.96.0.10\n"
    ctx = Context(
        env={}, files={"/etc/resolv.conf": conf}, write=lambda s, t: out.append(t), resolve=resolve
    )
    assert run_to_end(run_script("nslookup web", ctx))[0] == 0
    assert run_to_end(run_script("nslookup nosuch || echo missing", ctx))[0] == 0
    assert asked == [("web", conf), ("nosuch", conf)]
    assert out == ["answer for web\n", "answer for nosuch\n", "missing\n"]


def test_nslookup_without_a_dns_server_or_a_name():
    code, stdout, stderr, _, _ = run("nslookup web")
    assert (code, stdout) == (1, ";; connection timed out; no servers could be reached\n\n")
    code, _, stderr, _, _ = run("nslookup")
    assert code == 1 and stderr.startswith("Usage: nslookup")
