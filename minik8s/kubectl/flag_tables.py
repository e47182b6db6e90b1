"""Which flags each kubectl command defines, one table per cobra command, built from the groups
upstream composes them from; `minik8s.kubectl.flagset` turns a table into a pflag `FlagSet`.

A table is a string of flags: `name` takes a value, `name!` is a boolean, `name=v` is a flag
whose bare form means `v` (pflag `NoOptDefVal`), `x:name` gives it the shorthand `-x`, and
`@group` stands for the flags of `GROUPS[group]`.

Read from the kubectl sources (kubernetes/kubernetes `staging/src/k8s.io/kubectl/pkg/cmd/...`
and `staging/src/k8s.io/cli-runtime/pkg/genericclioptions/...`, kubernetes/kubectl,
kubernetes/cli-runtime), following v1.31 where versions differ (no `version --short` or
`apply --prune-whitelist`, gone in v1.28; no `run --detach-keys` or `top node --show-swap`,
later). The root's persistent flags are `cmd.go`'s (`addProfilingFlags`, `--warnings-as-errors`,
`genericclioptions.ConfigFlags.AddFlags` `WithDeprecatedPasswordFlag`,
`cmdutil.MatchVersionFlags`) and the klog flags component-base adds (`-v`, `--vmodule`,
`--log-flush-frequency`); cobra adds `-h, --help` to every command. The groups are cli-runtime's
`PrintFlags` (`json_yaml_flags.go`, `kube_template_flags.go`, `name_flags.go`), `FileNameFlags`
and `RecordFlags`; get's `PrintFlags` (`get_flags.go`, `humanreadable_flags.go`); delete's
`DeleteFlags` (`delete_flags.go`: `NewDeleteCommandFlags` for delete, `NewDeleteFlags` for
apply, replace and run); cmdutil's `helpers.go` (`AddDryRunFlag`, `AddValidateFlags`,
`AddFieldManagerFlagVar`, `AddLabelSelectorFlagVar`, `AddChunkSizeFlag`, `AddSubresourceFlags`,
`AddApplyAnnotationFlags`, `AddPodRunningTimeoutFlag`, `AddServerSideApplyFlags`,
`AddPruningFlags`) and `override_options.go`. A command's own flags are its `NewCmd...` in
`<cmd>/<cmd>.go` (`create/create_<kind>.go`, `rollout/rollout_<verb>.go`, `set/set_<verb>.go`).
Leaves out flags behind an environment gate (`apply --applyset` with KUBECTL_APPLYSET,
`--kuberc` with KUBECTL_KUBERC) and the commands minik8s has no verb for beyond `top` (`edit`,
`wait`, `attach`, ...: a first word without a table gets the root's flags).
"""

from __future__ import annotations

# The root command's persistent flags, which every command inherits.
GLOBAL = (
    "as as-group as-uid cache-dir certificate-authority client-certificate client-key cluster "
    "context disable-compression! insecure-skip-tls-verify! kubeconfig match-server-version! "
    "n:namespace password profile profile-output request-timeout s:server tls-server-name token "
    "user username warnings-as-errors! v:v vmodule log-flush-frequency h:help!"
)

# Flag groups upstream adds with one call; a table names one as `@group`.
GROUPS = {
    "print": "o:output template allow-missing-template-keys! show-managed-fields!",
    "get-print": "@print no-headers! show-kind! show-labels! sort-by L:label-columns",
    "filename": "f:filename k:kustomize R:recursive!",
    "dry-run": "dry-run=unchanged",  # a bare --dry-run is "unchanged", which means client
    "validate": "validate=strict",
    "overrides": "overrides override-type",
    "delete": "@filename cascade=background force! grace-period timeout wait!",  # NewDeleteFlags
    "delete-command": "@delete l:selector field-selector all! A:all-namespaces! "
    "ignore-not-found! now! o:output raw i:interactive!",  # NewDeleteCommandFlags
    "create": "@print save-config! @validate @dry-run field-manager",  # `create <kind>`
    "label": "record! @print overwrite! list! local! field-selector all! A:all-namespaces! "
    "resource-version @filename @dry-run field-manager l:selector",  # label and annotate
    "rollout-edit": "@print @filename field-manager l:selector",  # pause, resume, restart
    "set": "@print @filename all! local! @dry-run field-manager",  # set image|resources|...
    "secret-data": "from-file from-literal from-env-file append-hash!",
}

# Each command's own flags, by cobra `CommandPath` without "kubectl".
COMMAND_FLAGS = {
    "": "",
    "annotate": "@label",
    "api-resources": "show-managed-fields! o:output no-headers! api-group namespaced! verbs "
    "sort-by cached! categories",
    "apply": "@delete record! @print @validate @dry-run server-side! force-conflicts! "
    "field-manager l:selector prune-allowlist all! prune! overwrite! openapi-patch!",
    "cordon": "@dry-run l:selector",
    "create": "record! @filename @validate edit! windows-line-endings! save-config! @dry-run "
    "l:selector raw field-manager @print",
    "create clusterrole": "@create verb resource resource-name non-resource-url aggregation-rule",
    "create clusterrolebinding": "@create clusterrole user group serviceaccount",
    "create configmap": "@create @secret-data",
    "create cronjob": "@create image schedule restart",
    "create deployment": "@create image port r:replicas",
    "create ingress": "@create class rule default-backend annotation",
    "create job": "@create image from",
    "create namespace": "@create",
    "create poddisruptionbudget": "@create min-available max-unavailable selector",
    "create priorityclass": "@create value global-default! description preemption-policy",
    "create quota": "@create hard scopes",
    "create role": "@create verb resource resource-name",
    "create rolebinding": "@create clusterrole role user group serviceaccount",
    "create secret": "",
    "create secret docker-registry": "@create docker-username docker-password docker-email "
    "docker-server from-file append-hash!",
    "create secret generic": "@create @secret-data type",
    "create secret tls": "@create cert key append-hash!",
    "create service": "",
    "create service clusterip": "@create tcp clusterip",
    "create service externalname": "@create tcp external-name",
    "create service loadbalancer": "@create tcp",
    "create service nodeport": "@create tcp node-port",
    "create serviceaccount": "@create",
    "create token": "@print audience bound-object-kind bound-object-name bound-object-uid duration",
    "delete": "@delete-command @dry-run",
    "describe": "@filename l:selector A:all-namespaces! show-events! chunk-size",
    "drain": "force! ignore-daemonsets! delete-local-data! delete-emptydir-data! grace-period "
    "timeout pod-selector disable-eviction! skip-wait-for-delete-timeout chunk-size @dry-run "
    "l:selector",
    "events": "w:watch! A:all-namespaces! for types no-headers! chunk-size @print",
    "exec": "pod-running-timeout f:filename c:container i:stdin! t:tty! q:quiet!",
    "expose": "record! @print protocol port type load-balancer-ip selector l:labels target-port "
    "external-ip name session-affinity cluster-ip field-manager @overrides @dry-run save-config! "
    "@filename",
    "get": "@get-print raw w:watch! watch-only! output-watch-events! ignore-not-found! "
    "field-selector A:all-namespaces! server-print! @filename chunk-size l:selector subresource",
    "label": "@label",
    "logs": "all-pods! all-containers! f:follow! timestamps! limit-bytes p:previous! tail "
    "ignore-errors! since-time since c:container insecure-skip-tls-verify-backend! "
    "pod-running-timeout l:selector max-log-requests prefix!",
    "patch": "record! @print p:patch patch-file type @dry-run @filename local! field-manager "
    "subresource",
    "replace": "@print @delete record! @validate save-config! @dry-run raw field-manager "
    "subresource",
    "rollout": "",
    "rollout history": "revision l:selector @filename @print",
    "rollout pause": "@rollout-edit",
    "rollout restart": "@rollout-edit",
    "rollout resume": "@rollout-edit",
    "rollout status": "@filename w:watch! revision timeout l:selector",
    "rollout undo": "to-revision @filename @dry-run l:selector @print",
    "run": "@delete @print record! @dry-run annotations image image-pull-policy rm! env port "
    "l:labels i:stdin! t:tty! attach! leave-stdin-open! restart command! expose! q:quiet! "
    "privileged! field-manager @overrides save-config! pod-running-timeout",
    "scale": "record! @print l:selector all! resource-version current-replicas replicas timeout "
    "@filename @dry-run",
    "set": "",
    "set env": "@set c:containers from prefix e:env keys list! resolve! l:selector overwrite!",
    "set image": "@set record! l:selector",
    "set resources": "@set record! l:selector c:containers limits requests",
    "set selector": "@set record! resource-version",
    "set serviceaccount": "@set record!",
    "set subject": "@set l:selector user group serviceaccount",
    "taint": "@print @dry-run @validate l:selector overwrite! all! field-manager",
    "top": "",
    "top node": "l:selector sort-by no-headers! use-protocol-buffers! show-capacity!",
    "top pod": "l:selector field-selector sort-by A:all-namespaces! containers! no-headers! "
    "use-protocol-buffers! sum!",
    "uncordon": "@dry-run l:selector",
    "version": "client! o:output",
}
