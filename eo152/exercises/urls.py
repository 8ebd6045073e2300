"""Routes of tabletop exercises: the facilitator's (sign-in required, each checks
``exercises.facilitate``) and the players' (no account; a cookie names the player).

A join code is matched by its shape (six letters and digits), so that /exercises/<code>
never takes another page's name.
"""

from __future__ import annotations

from django.urls import path, re_path

from . import views, views_play

CODE = r"(?P<code>[0-9A-Za-z]{6})"
EXERCISE = r"^exercises/" + CODE

urlpatterns = [
    path("exercises", views.exercise_list, name="exercises"),
    re_path(EXERCISE + r"$", views.console, name="exercise"),
    re_path(EXERCISE + r"/status\.json$", views.console_status, name="exercise_status"),
    re_path(EXERCISE + r"/release$", views.release, name="exercise_release"),
    re_path(EXERCISE + r"/pause$", views.pause, name="exercise_pause"),
    re_path(EXERCISE + r"/resume$", views.resume, name="exercise_resume"),
    re_path(EXERCISE + r"/skip$", views.skip, name="exercise_skip"),
    re_path(EXERCISE + r"/notes$", views.note, name="exercise_note"),
    re_path(EXERCISE + r"/actions$", views.action, name="exercise_action"),
    re_path(EXERCISE + r"/finish$", views.finish, name="exercise_finish"),
    re_path(EXERCISE + r"/hot-wash$", views.hot_wash, name="exercise_hot_wash"),
    re_path(EXERCISE + r"/report\.pdf$", views.report_pdf, name="exercise_report_pdf"),
    re_path(EXERCISE + r"/report\.csv$", views.report_csv, name="exercise_report_csv"),
    path("play", views_play.join, name="play_join"),
    re_path(r"^play/" + CODE + r"$", views_play.play, name="play"),
    re_path(r"^play/" + CODE + r"/status\.json$", views_play.play_status, name="play_status"),
]
