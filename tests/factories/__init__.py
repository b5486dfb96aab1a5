from tests.factories.accounts import PASSWORD, ClientFactory, UserFactory

__all__ = ["PASSWORD", "ClientFactory", "UserFactory"]
