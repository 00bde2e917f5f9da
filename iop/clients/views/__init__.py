"""Views of the clinical record, one module per responsibility."""
