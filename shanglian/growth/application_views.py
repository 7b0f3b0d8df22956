"""Scaffold: the owner of this module replaces it whole."""

from django.http import Http404


def py(request, *args, **kwargs):
    raise Http404


def application_list(request, *args, **kwargs):
    raise Http404


def application_export(request, *args, **kwargs):
    raise Http404


def application_detail(request, *args, **kwargs):
    raise Http404


def application_transition(request, *args, **kwargs):
    raise Http404


def attachment_download(request, *args, **kwargs):
    raise Http404
