"""The object model: kinds, metadata, quantities, selectors, taints, validation, defaults."""
