"""`/listening/<org>/inbox/…`: the queue, one item, and its actions (POST)."""

from django.urls import path

from voliere.listening.inbox import views

urlpatterns = [
    path("", views.inbox, name="listening_inbox"),
    path("<int:item_id>/", views.inbox_item, name="listening_inbox_item"),
    path("<int:item_id>/assign/", views.assign, name="listening_inbox_assign"),
    path("<int:item_id>/reply/", views.reply, name="listening_inbox_reply"),
    path("<int:item_id>/answered/", views.mark_answered, name="listening_inbox_answered"),
    path("<int:item_id>/close/", views.close, name="listening_inbox_close"),
    path("<int:item_id>/reopen/", views.reopen, name="listening_inbox_reopen"),
]
