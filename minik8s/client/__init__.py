"""Client machinery, mirroring client-go: the typed client, informers with indexers, work queues."""
