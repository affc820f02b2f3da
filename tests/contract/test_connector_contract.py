"""Every registered platform service declares what CONNECTORS.md requires."""
from __future__ import annotations

import pytest

from app.platforms.base import PlatformService
from app.platforms.registry import PLATFORM_KEYS, service_class

FLAGS = ("supports_run", "supports_cancel", "supports_schedule_toggle", "supports_token_refresh",
         "supports_output_download")
ACTIONS = {"supports_run": ("start_run",), "supports_schedule_toggle": ("set_schedule_enabled",),
           "supports_token_refresh": ("token_info", "refresh_token"), "supports_output_download": ("open_output",)}


@pytest.mark.parametrize("key", PLATFORM_KEYS)
def test_service_declares_the_contract(key):
    """Does the service subclass PlatformService, name its platform and implement every required read?"""
    cls = service_class(key)
    assert issubclass(cls, PlatformService)
    assert cls.platform == key and cls.display_name
    assert all(isinstance(getattr(cls, flag), bool) for flag in FLAGS)
    for name in PlatformService.REQUIRED_READS:
        assert callable(getattr(cls, name, None)), f"{cls.__name__} lacks {name}()"


@pytest.mark.parametrize("key", PLATFORM_KEYS)
def test_supported_actions_are_implemented(key):
    """Does every action a service claims to support override the NotSupported default?"""
    cls = service_class(key)
    for flag, methods in ACTIONS.items():
        for method in methods:
            overridden = getattr(cls, method) is not getattr(PlatformService, method)
            assert overridden == getattr(cls, flag), f"{cls.__name__}.{method} vs {flag}"


@pytest.mark.parametrize("key", PLATFORM_KEYS)
def test_service_declares_its_connection_settings_and_a_probe(key):
    """Does the service declare its settings (unique keys, rules naming only them) and its own connection probe?"""
    cls = service_class(key)
    keys = [s.key for s in cls.connection_settings]
    assert keys and len(keys) == len(set(keys)), f"{cls.__name__} settings"
    assert not {"name", "label", "base_url", "allowed_network"} & set(keys)  # the form's own fields
    for rule in cls.connection_rules:
        assert all(k in keys for group in rule.groups for k in group), f"{cls.__name__} rule {rule.message}"
    assert cls.probe is not PlatformService.probe, f"{cls.__name__} lacks probe()"


@pytest.mark.parametrize("key", PLATFORM_KEYS)
def test_service_lists_its_users(key):
    """Does every service implement platform_users() itself and say whether its schedule owners are users?"""
    cls = service_class(key)
    assert cls.platform_users is not getattr(PlatformService, "platform_users", None)
    assert isinstance(cls.schedule_owners_are_users, bool)
