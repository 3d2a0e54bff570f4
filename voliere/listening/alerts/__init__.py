"""Listening alerts: detection (`detectors`), episodes (`actions`), delivery in-app, by
e-mail and by signed webhook (`delivery`), the alert pages and the crisis view (`views`).

The alert notification subject is registered by `ListeningConfig.ready`, so notifications
about alerts render and link to the crisis view in every process.
"""
