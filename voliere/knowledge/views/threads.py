"""Forum pages: ask, read a thread with its answers, answer, vote, accept, edit."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from voliere.core.exceptions import InvalidInput, NotFound
from voliere.core.views_helpers import domain_errors, is_htmx, signed_in, viewer_of
from voliere.knowledge import access, queries
from voliere.knowledge.actions import forum
from voliere.knowledge.actions._common import tag_names
from voliere.knowledge.forms import AnswerForm, QuestionForm, ReviewForm
from voliere.knowledge.models import Thread, ValidationEvent
from voliere.media.attach import media_for
from voliere.posts.forms import attach_error


def _thread_context(request: HttpRequest, thread: Thread, **extra: Any) -> dict[str, Any]:
    viewer = viewer_of(request)
    return {
        "thread": thread,
        "item": thread,
        "kind": "thread",
        "tags": tag_names(thread),
        "answers": queries.answers_for(viewer, thread),
        "answer_form": extra.pop("answer_form", None) or AnswerForm(),
        "can_accept": access.can_accept_answer(viewer, thread),
        "is_author": viewer is not None and viewer.pk == thread.author_id,
        "is_validator": access.is_validator(viewer, thread),
        "review_form": ReviewForm(),
        "events": ValidationEvent.objects.filter(thread=thread).select_related("actor"),
        "nav": "knowledge",
        **extra,
    }


@domain_errors
def thread_detail(request: HttpRequest, thread_id: int) -> HttpResponse:
    thread = access.access_thread(viewer_of(request), thread_id)
    media_for([thread])
    return render(request, "knowledge/thread.html", _thread_context(request, thread))


@login_required
@require_http_methods(["GET", "POST"])
@domain_errors
def thread_new(request: HttpRequest) -> HttpResponse:
    viewer = viewer_of(request)
    if request.method == "GET":
        initial = {"community": request.GET.get("community", "")}
        form = QuestionForm(viewer=viewer, initial=initial)
        return render(request, "knowledge/thread_form.html", {"form": form, "nav": "knowledge"})
    form = QuestionForm(request.POST, request.FILES, viewer=viewer)
    form.is_valid()
    data = form.cleaned_data
    try:
        thread = forum.ask_question(
            viewer,
            title=data.get("title", ""),
            body=data.get("body", ""),
            tags=data.get("tags", ""),
            visibility=data.get("visibility", ""),
            community=forum.resolve_community(viewer, data.get("community")),
            media=form.prepared_media(request),
        )
    except InvalidInput as error:
        attach_error(form, error)
        context = {"form": form, "nav": "knowledge"}
        return render(request, "knowledge/thread_form.html", context, status=400)
    return redirect(thread)


@login_required
@require_http_methods(["GET", "POST"])
@domain_errors
def thread_edit(request: HttpRequest, thread_id: int) -> HttpResponse:
    viewer = viewer_of(request)
    thread = access.access_thread(viewer, thread_id)
    if thread.author_id != viewer.pk:
        raise NotFound(_("No such question."))
    media_for([thread])
    if request.method == "GET":
        initial = {"title": thread.title, "body": thread.body, "tags": ", ".join(tag_names(thread))}
        form = QuestionForm(viewer=viewer, editing=True, initial=initial)
        context = {"form": form, "thread": thread, "nav": "knowledge"}
        return render(request, "knowledge/thread_form.html", context)
    form = QuestionForm(request.POST, request.FILES, viewer=viewer, editing=True)
    form.is_valid()
    data = form.cleaned_data
    try:
        forum.edit_question(
            viewer,
            thread,
            title=data.get("title", ""),
            body=data.get("body", ""),
            tags=data.get("tags", ""),
            media=form.prepared_media(request),
        )
    except InvalidInput as error:
        attach_error(form, error)
        context = {"form": form, "thread": thread, "nav": "knowledge"}
        return render(request, "knowledge/thread_form.html", context, status=400)
    return redirect(thread)


@login_required
@require_POST
@domain_errors
def thread_answer(request: HttpRequest, thread_id: int) -> HttpResponse:
    viewer = viewer_of(request)
    thread = access.access_thread(viewer, thread_id)
    form = AnswerForm(request.POST)
    form.is_valid()
    try:
        answer = forum.answer_question(viewer, thread, form.cleaned_data.get("body", ""))
    except InvalidInput as error:
        attach_error(form, error)
        context = _thread_context(request, thread, answer_form=form)
        return render(request, "knowledge/thread.html", context, status=400)
    return redirect(answer.get_absolute_url())


def _answer_response(request: HttpRequest, answer_id: int) -> HttpResponse:
    """HTMX: the refreshed answer list; otherwise back to the answer on the thread page."""
    viewer = viewer_of(request)
    answer = forum.access_answer(viewer, answer_id)
    thread = access.access_thread(viewer, answer.thread_id)
    if is_htmx(request):
        return render(request, "knowledge/_answers.html", _thread_context(request, thread))
    return redirect(f"{thread.get_absolute_url()}#answer-{answer.pk}")


@signed_in
@require_POST
@domain_errors
def answer_vote(request: HttpRequest, answer_id: int) -> HttpResponse:
    """`undo=1` withdraws the viewer's vote."""
    viewer = viewer_of(request)
    answer = forum.access_answer(viewer, answer_id)
    if request.POST.get("undo"):
        forum.withdraw_vote(viewer, answer)
    else:
        forum.vote_for_answer(viewer, answer)
    return _answer_response(request, answer.pk)


@signed_in
@require_POST
@domain_errors
def answer_accept(request: HttpRequest, answer_id: int) -> HttpResponse:
    """`undo=1` clears the accepted answer."""
    viewer = viewer_of(request)
    answer = forum.access_answer(viewer, answer_id)
    if request.POST.get("undo"):
        forum.unaccept_answer(viewer, answer.thread)
    else:
        forum.accept_answer(viewer, answer)
    return _answer_response(request, answer.pk)
