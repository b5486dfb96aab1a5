"""Gateway registry: (channel, provider type) → gateway class.

Gateways register with ``@register``; every module under ``apps/delivery/gateways/<channel>/``
is imported once, so adding a vendor is adding one file.
"""

import importlib
import pkgutil

from apps.delivery.gateways.base import Gateway

_REGISTRY: dict[tuple[str, str], type[Gateway]] = {}
_loaded = False


def register(cls: type[Gateway]) -> type[Gateway]:
    """Class decorator: make ``cls`` the gateway for its (channel, type)."""
    _REGISTRY[(cls.channel, cls.type)] = cls
    return cls


def _load_all() -> None:
    global _loaded
    if _loaded:
        return
    import apps.delivery.gateways as package

    for channel in pkgutil.iter_modules(package.__path__):
        if not channel.ispkg:  # e.g. sandbox.py, which serves every channel
            if channel.name not in ("base", "registry"):
                importlib.import_module(f"{package.__name__}.{channel.name}")
            continue
        sub = importlib.import_module(f"{package.__name__}.{channel.name}")
        for module in pkgutil.iter_modules(sub.__path__):
            importlib.import_module(f"{sub.__name__}.{module.name}")
    _loaded = True


def gateway_class(channel: str, provider_type: str) -> type[Gateway] | None:
    """The gateway for (channel, provider type), or None; imports every gateway on first use."""
    _load_all()
    return _REGISTRY.get((channel, provider_type))


def registered() -> dict[tuple[str, str], type[Gateway]]:
    """A copy of the registry, (channel, type) → class, with every gateway module imported."""
    _load_all()
    return dict(_REGISTRY)
