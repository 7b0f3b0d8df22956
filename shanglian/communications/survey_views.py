"""Scaffold: the owner of this module replaces it whole."""

from django.http import Http404


def survey_list(request, *args, **kwargs):
    raise Http404


def survey_export(request, *args, **kwargs):
    raise Http404


def survey_create(request, *args, **kwargs):
    raise Http404


def survey_detail(request, *args, **kwargs):
    raise Http404


def survey_edit(request, *args, **kwargs):
    raise Http404


def survey_delete(request, *args, **kwargs):
    raise Http404


def survey_copy(request, *args, **kwargs):
    raise Http404


def survey_transition(request, *args, **kwargs):
    raise Http404


def question_create(request, *args, **kwargs):
    raise Http404


def question_edit(request, *args, **kwargs):
    raise Http404


def question_delete(request, *args, **kwargs):
    raise Http404


def question_move(request, *args, **kwargs):
    raise Http404


def survey_results(request, *args, **kwargs):
    raise Http404


def answers_export(request, *args, **kwargs):
    raise Http404
