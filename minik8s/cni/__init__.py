"""CNI: the Container Network Interface (spec verbs ADD/DEL/CHECK/VERSION), the `bridge` and
`host-local` plugins, and the simulated cluster network they attach pods to."""
