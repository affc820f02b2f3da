"""TIBCO Team Studio (formerly Alpine) emulator: the Chorus API under /api and the engine API under /alpinedatalabs."""
