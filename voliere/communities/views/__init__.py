"""Community pages: the directory (`directory.py`), a community's page, members and
settings (`pages.py`), and the POST endpoints that join, leave and moderate
(`membership.py`). Every community is fetched through `access_community` (404 for a
missing or secret-to-you community alike) and every change goes through
`voliere.communities.actions`."""
