"""Both endpoint controllers share one pod event's answers (`endpoints_memo.PodAnswers`); each
must still enqueue exactly what a full membership scan gives, also after a Service changes."""

from __future__ import annotations

import gc

from minik8s.client.informer import SharedInformerFactory
from minik8s.controllers import endpoints_memo
from minik8s.controllers.endpoints_memo import PodAnswers
from minik8s.controllers.endpoints_util import pod_handlers, pod_service_keys
from tests.controllers.test_endpoints_fast_paths import Recorder, pod
from tests.proxy.env import Env


def service(name: str, selector: dict[str, str]) -> dict:
    return {"metadata": {"name": name}, "spec": {"selector": selector, "ports": [{"port": 80}]}}


def setup() -> tuple[Env, SharedInformerFactory, Recorder, Recorder]:
    env = Env(controllers=False)
    env.client.create("services", service("web", {"app": "web"}))
    informers = SharedInformerFactory(env.informers.client)
    first, second = Recorder(informers, 0.0), Recorder(informers, 0.0)
    pod_handlers(first)
    pod_handlers(second)
    informers.start()
    env.settle()
    return env, informers, first, second


def test_two_controllers_share_one_answers_object_per_factory():
    _env, informers, _first, _second = setup()
    answers = endpoints_memo._shared[informers]
    assert repr(answers).startswith("<PodAnswers services_changes=")
    assert sum(1 for f in endpoints_memo._shared if f is informers) == 1


def test_a_new_service_is_seen_by_the_next_pod_event():
    env, informers, first, second = setup()
    pods = informers.informer_for("pods")
    old, new = pod({"app": "web"}, False, "1"), pod({"app": "web"}, True, "2")
    pods._notify_update(old, new)
    assert first.enqueued == second.enqueued == ["default/web"]
    env.client.create("services", service("all", {"app": "web"}))
    env.settle()
    newer = pod({"app": "web"}, False, "3")
    pods._notify_update(new, newer)  # the same `new` object: its keys must be worked out again
    services = informers.lister_for("services").list()
    assert pod_service_keys(services, newer) == {"default/web", "default/all"}
    for controller in (first, second):
        assert controller.enqueued == ["default/web", "default/all", "default/web"]
        assert controller.changed == {"default/web", "default/all"}


def test_answers_are_fresh_sets_and_pairs_are_remembered():
    calls: list[str] = []

    class Informer:
        def add_event_handler(self, **handlers):
            self.handlers = handlers

    def keys(p):
        calls.append("keys")
        return {"default/web"}

    def changed(old, new):
        calls.append("changed")
        return (True, False)

    informer = Informer()
    answers = PodAnswers(informer, keys, changed)
    a, b = pod({}, False, "1"), pod({}, True, "2")
    got = answers.service_keys(a)
    got.add("mutated")
    assert answers.service_keys(a) == {"default/web"}
    assert answers.changed(a, b) == answers.changed(a, b) == (True, False)
    assert answers.changed(b, a) == (True, False)
    assert calls == ["keys", "changed", "changed"]
    informer.handlers["on_add"]({})
    answers.service_keys(a)
    assert calls[-1] == "keys" and answers.services_changes == 1
    assert informer.handlers["resync_period"] == 0


def test_a_dropped_factory_is_forgotten():
    _env, informers, _first, _second = setup()
    before = len(endpoints_memo._shared)
    del informers, _env, _first, _second
    gc.collect()
    assert len(endpoints_memo._shared) < before
