"""Scaffold: the owner of this module replaces it whole."""

from django.http import Http404


def response_list(request, *args, **kwargs):
    raise Http404


def survey_remind(request, *args, **kwargs):
    raise Http404


def response_detail(request, *args, **kwargs):
    raise Http404


def response_appeal(request, *args, **kwargs):
    raise Http404
