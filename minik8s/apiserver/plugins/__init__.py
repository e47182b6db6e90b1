"""Admission plugins, one file each, named like upstream's `plugin/pkg/admission/*`."""
