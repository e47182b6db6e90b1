"""`Cluster.trace()` / `Tracer.switch`: on until switched off, or only inside a `with` block;
lines are kept in `tracer.lines` and echoed to the stdout of the moment."""

from __future__ import annotations

import io
from contextlib import redirect_stdout

import pytest

from minik8s.cluster import Cluster
from minik8s.trace import Tracer

CM = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "x"}}


def test_switch_on_now_and_off_at_the_end_of_a_with_block() -> None:
    now = [1.5]
    tracer = Tracer(lambda: now[0])
    out = io.StringIO()
    with redirect_stdout(out):
        manager = tracer.switch()
        assert tracer.enabled and tracer.echo is out  # on before the `with` is entered
        with manager as entered:
            assert entered is tracer
            tracer.emit("kubectl", "create configmaps x")
    assert not tracer.enabled and tracer.echo is None
    tracer.emit("kubectl", "not recorded")
    line = "[   1.500s] kubectl                      create configmaps x"
    assert tracer.lines == [line]
    assert out.getvalue() == line + "\n"
    assert repr(tracer) == "<Tracer off lines=1>"


def test_switch_without_echo_and_switch_off() -> None:
    tracer = Tracer(lambda: 0.0)
    tracer.switch(echo=False)
    assert tracer.enabled and tracer.echo is None
    tracer.emit("a", "b")
    tracer.switch(False)
    assert not tracer.enabled and tracer.echo is None
    tracer.emit("a", "c")
    assert len(tracer.lines) == 1


def test_a_with_block_turns_it_off_even_on_error() -> None:
    tracer = Tracer(lambda: 0.0)
    with pytest.raises(RuntimeError), tracer.switch(echo=False):
        raise RuntimeError("boom")
    assert not tracer.enabled


def test_cluster_trace_records_the_control_loop(capsys: pytest.CaptureFixture[str]) -> None:
    c = Cluster(seed=0)
    assert not c.tracer.enabled
    with c.trace() as tracer:
        assert tracer is c.tracer
        c.apply(CM)
    assert not c.tracer.enabled
    printed = capsys.readouterr().out.splitlines()
    assert printed == c.tracer.lines and printed
    assert any("kubectl" in line and "configmaps" in line for line in printed)
    c.trace(echo=False)
    c.apply({**CM, "metadata": {"name": "y"}})
    c.trace(False)
    assert capsys.readouterr().out == ""
    assert any("default/y" in line for line in c.tracer.lines)
