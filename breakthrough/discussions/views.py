from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.safestring import mark_safe
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from breakthrough.changes.models import ChangeNode
from breakthrough.collaboratives.models import Event
from breakthrough.concurrency import EditConflict

from . import actions
from .access import (
    get_discussion_standing,
    get_note_for_user,
    get_post_for_user,
    get_thread_for_user,
    may_post,
    may_tag_team,
    notes_for_standing,
    threads_for_standing,
)
from .forms import (
    TAG_ORDER,
    CoachingNoteForm,
    PostEditForm,
    PreferenceForm,
    ReplyForm,
    ThreadEditForm,
    ThreadForm,
    current_nodes,
    node_filter,
)
from .markup import render_markdown
from .models import DiscussionPreference


def _known_names(collaborative) -> list[str]:
    return list(actions.discussion_audience(collaborative).values_list("full_name", flat=True))


@login_required
def thread_list(request: HttpRequest, slug: str) -> HttpResponse:
    standing = get_discussion_standing(request.user, slug)
    c = standing.collaborative
    threads = threads_for_standing(standing)
    q = request.GET.get("q", "").strip()
    if q:
        threads = threads.filter(
            Q(title__icontains=q) | Q(posts__body__icontains=q) | Q(nodes__code__iexact=q)
        ).distinct()
    nodes = current_nodes(c)
    node, node_ids = node_filter(nodes, request.GET.get("node"))
    if node_ids:
        threads = threads.filter(nodes__in=node_ids).distinct()
    team_slug = request.GET.get("team", "")
    if team_slug:
        threads = threads.filter(team__slug=team_slug)
    threads = (
        threads.select_related("author", "team", "event", "collaborative")
        .prefetch_related(Prefetch("nodes", queryset=ChangeNode.objects.order_by(*TAG_ORDER)))
        .annotate(post_count=Count("posts", distinct=True))
        .order_by("-is_pinned", "-last_post_at", "-id")
    )
    page = Paginator(threads, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "discussions/thread_list.html",
        {
            "standing": standing,
            "collaborative": c,
            "page": page,
            "q": q,
            "node": node,
            "nodes": nodes,
            "team_slug": team_slug,
            "teams": c.teams.all(),
            "may_post": may_post(standing),
            "mode": actions.preference_for(request.user, c),
            "filtered": bool(q or node or team_slug),
        },
    )


@login_required
def new_thread(request: HttpRequest, slug: str) -> HttpResponse:
    standing = get_discussion_standing(request.user, slug, write=True)
    c = standing.collaborative
    initial = {}
    if event_id := request.GET.get("event"):
        initial["event"] = Event.objects.filter(collaborative=c, pk=event_id).first()
    form = ThreadForm(
        request.POST or None,
        standing=standing,
        known_names=_known_names(c),
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if data["team"] and not may_tag_team(standing, data["team"]):
            raise PermissionDenied("You may tag only your own team.")
        thread = actions.do_start_thread(
            author=request.user,
            collaborative=c,
            title=data["title"],
            body=data["body"],
            nodes=data["nodes"],
            team=data["team"],
            event=data["event"],
            is_pinned=data.get("is_pinned", False),
            is_prompt=data.get("is_prompt", False),
        )
        messages.success(request, "Your thread is posted.")
        return redirect(thread)
    return render(
        request,
        "discussions/thread_form.html",
        {"standing": standing, "collaborative": c, "form": form},
        status=400 if form.errors else 200,
    )


def _render_thread(request, standing, thread, reply_form, status=200) -> HttpResponse:
    posts = list(thread.posts.select_related("author", "author_team").prefetch_related("mentions"))
    for post in posts:
        post.html = mark_safe(  # sanitised by nh3 in render_markdown
            render_markdown(post.body, [m.username for m in post.mentions.all()])
        )
        post.may_edit = standing.is_staff or post.author_id == request.user.pk
    people = []
    if may_post(standing):
        people = list(
            actions.discussion_audience(standing.collaborative)
            .exclude(pk=request.user.pk)
            .order_by("full_name")
            .values("full_name", "username")
        )
    return render(
        request,
        "discussions/thread_detail.html",
        {
            "standing": standing,
            "collaborative": standing.collaborative,
            "thread": thread,
            "nodes": thread.nodes.order_by(*TAG_ORDER),
            "posts": posts,
            "form": reply_form,
            "may_post": may_post(standing),
            "may_change": standing.is_staff or thread.author_id == request.user.pk,
            "people": people,
        },
        status=status,
    )


@login_required
def thread_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    standing = get_discussion_standing(request.user, slug)
    thread = get_thread_for_user(standing, pk)
    form = None
    if may_post(standing):
        form = ReplyForm(request.POST or None, known_names=_known_names(standing.collaborative))
    if request.method == "POST":
        if form is None:
            raise PermissionDenied("Only staff and team members may post.")
        if form.is_valid():
            post = actions.do_reply(
                author=request.user, thread=thread, body=form.cleaned_data["body"]
            )
            messages.success(request, "Your reply is posted.")
            return redirect(post.get_absolute_url())
        return _render_thread(request, standing, thread, form, status=400)
    return _render_thread(request, standing, thread, form)


@login_required
def edit_thread(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    standing = get_discussion_standing(request.user, slug, write=True)
    thread = get_thread_for_user(standing, pk, write=True)
    conflict = None
    if request.method == "POST":
        form = ThreadEditForm(request.POST, standing=standing)
        if form.is_valid():
            data = form.cleaned_data
            if data["team"] and not may_tag_team(standing, data["team"]):
                raise PermissionDenied("You may tag only your own team.")
            try:
                actions.do_update_thread(
                    thread,
                    title=data["title"],
                    nodes=data["nodes"],
                    team=data["team"],
                    event=data["event"],
                    expected_version=data["edit_version"],
                )
            except EditConflict as error:
                conflict = error
                data = request.POST.copy()
                data["edit_version"] = error.current.edit_version
                form = ThreadEditForm(data, standing=standing)
            else:
                messages.success(request, "The thread is saved.")
                return redirect(thread)
    else:
        form = ThreadEditForm(
            standing=standing,
            initial={
                "title": thread.title,
                "nodes": list(thread.nodes.values_list("pk", flat=True)),
                "team": thread.team,
                "event": thread.event,
                "edit_version": thread.edit_version,
            },
        )
    return render(
        request,
        "discussions/thread_edit.html",
        {
            "standing": standing,
            "collaborative": standing.collaborative,
            "thread": thread,
            "form": form,
            "conflict": conflict,
        },
        status=409 if conflict else (400 if request.method == "POST" else 200),
    )


@login_required
def edit_post(request: HttpRequest, slug: str, pk: int, post_pk: int) -> HttpResponse:
    standing = get_discussion_standing(request.user, slug, write=True)
    thread = get_thread_for_user(standing, pk)
    post = get_post_for_user(standing, thread, post_pk, write=True)
    conflict = None
    names = _known_names(standing.collaborative)
    if request.method == "POST":
        form = PostEditForm(request.POST, known_names=names)
        if form.is_valid():
            try:
                actions.do_edit_post(
                    post,
                    body=form.cleaned_data["body"],
                    expected_version=form.cleaned_data["edit_version"],
                )
            except EditConflict as error:
                conflict = error
                form = PostEditForm(
                    {**request.POST.dict(), "edit_version": error.current.edit_version},
                    known_names=names,
                )
            else:
                messages.success(request, "Your post is saved.")
                return redirect(post.get_absolute_url())
    else:
        form = PostEditForm(
            initial={"body": post.body, "edit_version": post.edit_version}, known_names=names
        )
    return render(
        request,
        "discussions/post_edit.html",
        {
            "standing": standing,
            "collaborative": standing.collaborative,
            "thread": thread,
            "post": post,
            "form": form,
            "conflict": conflict,
        },
        status=409 if conflict else (400 if request.method == "POST" else 200),
    )


@login_required
@require_POST
def pin_thread(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    standing = get_discussion_standing(request.user, slug)
    if not standing.is_staff:
        raise PermissionDenied("Only staff pin threads.")
    thread = get_thread_for_user(standing, pk)
    pinned = request.POST.get("pinned") == "1"
    actions.do_set_pinned(thread, pinned)
    messages.success(request, "Pinned to the top." if pinned else "Unpinned.")
    return redirect(thread)


@login_required
def preferences(request: HttpRequest, slug: str) -> HttpResponse:
    standing = get_discussion_standing(request.user, slug)
    c = standing.collaborative
    form = PreferenceForm(
        request.POST or None, initial={"mode": actions.preference_for(request.user, c)}
    )
    if request.method == "POST" and form.is_valid():
        pref = actions.do_set_discussion_preference(request.user, c, form.cleaned_data["mode"])
        messages.success(request, f"Saved: {pref.get_mode_display().lower()}.")
        return redirect("discussions:settings", slug=c.slug)
    return render(
        request,
        "discussions/preferences.html",
        {
            "standing": standing,
            "collaborative": c,
            "form": form,
            "email": request.user.email,
        },
        status=400 if form.errors else 200,
    )


@csrf_exempt  # the signed token is the credential; mail clients post one-click unsubscribes
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """Stop discussion e-mail from a link, without logging in (RFC 8058 one-click too)."""
    try:
        person, collaborative = actions.read_unsubscribe_token(token)
    except (signing.BadSignature, ObjectDoesNotExist, KeyError, TypeError):
        return render(request, "discussions/unsubscribe.html", {"invalid": True}, status=400)
    done = False
    if request.method == "POST":
        actions.do_set_discussion_preference(person, collaborative, DiscussionPreference.Mode.NONE)
        done = True
    return render(
        request,
        "discussions/unsubscribe.html",
        {
            "person": person,
            "for_collaborative": collaborative,
            "done": done,
            "mode": actions.preference_for(person, collaborative),
        },
    )


# Coaching notes and call minutes --------------------------------------------------------------


@login_required
def note_list(request: HttpRequest, slug: str) -> HttpResponse:
    standing = get_discussion_standing(request.user, slug)
    c = standing.collaborative
    q = request.GET.get("q", "").strip()
    team_slug = request.GET.get("team", "")
    notes = notes_for_standing(standing).select_related("team", "author", "event")
    minutes = Event.objects.filter(collaborative=c).exclude(minutes="").select_related("host_team")
    if q:
        notes = notes.filter(Q(subject__icontains=q) | Q(body__icontains=q))
        minutes = minutes.filter(Q(title__icontains=q) | Q(minutes__icontains=q))
    if team_slug:
        notes = notes.filter(team__slug=team_slug)
        minutes = minutes.filter(host_team__slug=team_slug)
    return render(
        request,
        "discussions/note_list.html",
        {
            "standing": standing,
            "collaborative": c,
            "notes": notes[:200],
            "minutes": minutes.order_by("-start")[:200],
            "q": q,
            "team_slug": team_slug,
            "teams": c.teams.all(),
        },
    )


@login_required
def note_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    standing = get_discussion_standing(request.user, slug)
    note = get_note_for_user(standing, pk)
    return render(
        request,
        "discussions/note_detail.html",
        {
            "standing": standing,
            "collaborative": standing.collaborative,
            "note": note,
            "nodes": note.nodes.order_by(*TAG_ORDER),
        },
    )


@login_required
def new_note(request: HttpRequest, slug: str) -> HttpResponse:
    standing = get_discussion_standing(request.user, slug)
    if not standing.is_staff:
        raise PermissionDenied("Only faculty and staff write coaching notes.")
    c = standing.collaborative
    initial = {"team": c.teams.filter(slug=request.GET.get("team", "")).first()}
    form = CoachingNoteForm(
        request.POST or None, standing=standing, known_names=_known_names(c), initial=initial
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        note = actions.do_create_coaching_note(
            author=request.user,
            team=data["team"],
            date=data["date"],
            subject=data["subject"],
            body=data["body"],
            share_scope=data["share_scope"],
            nodes=data["nodes"],
            event=data["event"],
        )
        messages.success(request, "The note is saved.")
        return redirect(note)
    return render(
        request,
        "discussions/note_form.html",
        {"standing": standing, "collaborative": c, "form": form, "note": None},
        status=400 if form.errors else 200,
    )


@login_required
def edit_note(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    standing = get_discussion_standing(request.user, slug)
    note = get_note_for_user(standing, pk, write=True)
    c = standing.collaborative
    conflict = None
    names = _known_names(c)
    if request.method == "POST":
        form = CoachingNoteForm(request.POST, standing=standing, known_names=names)
        if form.is_valid():
            data = form.cleaned_data
            try:
                actions.do_update_coaching_note(
                    note,
                    date=data["date"],
                    subject=data["subject"],
                    body=data["body"],
                    share_scope=data["share_scope"],
                    nodes=data["nodes"],
                    event=data["event"],
                    expected_version=data["edit_version"] or 0,
                )
            except EditConflict as error:
                conflict = error
                data = request.POST.copy()
                data["edit_version"] = error.current.edit_version
                form = CoachingNoteForm(data, standing=standing, known_names=names)
            else:
                messages.success(request, "The note is saved.")
                return redirect(note)
    else:
        form = CoachingNoteForm(
            standing=standing,
            known_names=names,
            initial={
                "team": note.team,
                "date": note.date,
                "event": note.event,
                "subject": note.subject,
                "body": note.body,
                "share_scope": note.share_scope,
                "nodes": list(note.nodes.values_list("pk", flat=True)),
                "edit_version": note.edit_version,
            },
        )
    return render(
        request,
        "discussions/note_form.html",
        {
            "standing": standing,
            "collaborative": c,
            "form": form,
            "note": note,
            "conflict": conflict,
        },
        status=409 if conflict else (400 if request.method == "POST" else 200),
    )
