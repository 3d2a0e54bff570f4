"""Listening alerts: detection (`detectors`), episodes (`actions`), delivery in-app, by
e-mail and by signed webhook (`delivery`), the alert pages and the crisis view (`views`).

The alert notification subject is registered when this package is imported (the URLconf
and the ingestion import it), so notifications about alerts render and link to the crisis
view.
"""

from voliere.listening.alerts.subjects import register_subject_type

register_subject_type()
