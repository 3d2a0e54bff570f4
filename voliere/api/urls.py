from django.urls import path

from voliere.api import docs
from voliere.api.main import api

urlpatterns = [
    path("api/voliere/v1/docs/assets/<str:name>", docs.asset, name=docs.ASSET_URL_NAME),
    path("api/voliere/v1/", api.urls),
]
