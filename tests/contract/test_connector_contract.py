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
def test_service_lists_its_users(key):
    """Does every service implement platform_users() itself and say whether its schedule owners are users?"""
    cls = service_class(key)
    assert cls.platform_users is not getattr(PlatformService, "platform_users", None)
    assert isinstance(cls.schedule_owners_are_users, bool)
