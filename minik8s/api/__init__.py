"""The object model: kinds, metadata helpers, quantities, selectors, taints, validation, defaults."""
