"""Tests of the platform emulators, over real HTTP."""
