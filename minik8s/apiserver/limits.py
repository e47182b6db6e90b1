"""The write path's limits, shared by its modules: etcd's request size and the generic registry's
retries (`staging/src/k8s.io/apiserver/pkg/registry/generic/registry/store.go`)."""

MAX_OBJECT_BYTES = 1_572_864  # etcd's default --max-request-bytes (1.5 MiB)
MAX_RETRIES = 16
MAX_GENERATED_NAME_BASE = 58  # apiserver names.maxGeneratedNameLength: 63 - randomLength (5)
MAX_GENERATE_NAME_ATTEMPTS = 8  # store.go maxNameGenerationCreateAttempts (RetryGenerateName)
