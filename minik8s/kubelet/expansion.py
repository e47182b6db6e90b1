"""`$(VAR)` expansion, mirroring upstream `third_party/forked/golang/expansion/expand.go`
(`Expand`, `MappingFuncFor`) and `pkg/kubelet/container/helpers.go`
(`ExpandContainerCommandOnlyStatic`, `EnvVarsToMap`).

The input is scanned left to right: `$$` is an escaped `$`, `$(` starts a reference whose name is
everything up to the first `)` (so `$(A$(B))` looks up the name `A$(B`), an unterminated `$(` and
any other `$` are kept as they are. A name found in none of the maps stays `$(NAME)`.
Left out: Go's byte-wise handling of a `$` before a multi-byte character (Python keeps it whole).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

OPERATOR, OPENER, CLOSER = "$", "(", ")"


def syntax_wrap(name: str) -> str:
    """`syntaxWrap`: `$(name)`."""
    return f"{OPERATOR}{OPENER}{name}{CLOSER}"


def mapping_func_for(*contexts: Mapping[str, str]) -> Callable[[str], str]:
    """`MappingFuncFor`: the first map holding the name wins, else `$(name)` unchanged."""

    def mapping(name: str) -> str:
        for context in contexts:
            if name in context:
                return context[name]
        return syntax_wrap(name)

    return mapping


def _read_variable_name(rest: str) -> tuple[str, bool, int]:
    """`tryReadVariableName` on the text after a `$`: (text, is a name, characters consumed)."""
    if rest[0] == OPERATOR:
        return OPERATOR, False, 1
    if rest[0] == OPENER:
        close = rest.find(CLOSER, 1)
        if close >= 0:
            return rest[1:close], True, close + 1
        return OPERATOR + OPENER, False, 1
    return OPERATOR + rest[0], False, 1


def expand_with(text: str, mapping: Callable[[str], str]) -> str:
    """`Expand`: replace every `$(name)` by `mapping(name)` and `$$` by `$`."""
    out: list[str] = []
    checkpoint = cursor = 0
    while cursor < len(text):
        if text[cursor] == OPERATOR and cursor + 1 < len(text):
            out.append(text[checkpoint:cursor])
            read, is_var, advance = _read_variable_name(text[cursor + 1 :])
            out.append(mapping(read) if is_var else read)
            cursor += advance
            checkpoint = cursor + 1
        cursor += 1
    return "".join(out) + text[checkpoint:]


def expand(text: str, env: Mapping[str, str], fallback: Mapping[str, str] | None = None) -> str:
    """`Expand(text, MappingFuncFor(env, fallback))`: `$(VAR)` from `env`, else `fallback`."""
    if OPERATOR not in text:
        return text
    contexts = (env,) if fallback is None else (env, fallback)
    return expand_with(text, mapping_func_for(*contexts))


def env_vars_to_map(env: list[Any]) -> dict[str, str]:
    """`EnvVarsToMap`: each `env` entry's literal `value` ("" for a `valueFrom` one)."""
    return {var["name"]: var.get("value", "") for var in env}


def expand_command_only_static(command: list[str], env: list[Any]) -> list[str]:
    """`ExpandContainerCommandOnlyStatic`: exec probe commands see only the static `env`."""
    mapping = mapping_func_for(env_vars_to_map(env))
    return [expand_with(part, mapping) for part in command]
