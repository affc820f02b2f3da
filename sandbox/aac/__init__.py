"""The Alteryx Analytics Cloud (AAC) emulator: models.py holds state, routes.py the real paths."""
