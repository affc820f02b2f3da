"""Pieces every emulator shares: clock, fault knobs, control endpoints, live server, seeded ids."""
