from voliere.oauth.models.application import Application
from voliere.oauth.models.grants import AccessToken, AuthorizationCode, GrantType

__all__ = ["AccessToken", "Application", "AuthorizationCode", "GrantType"]
