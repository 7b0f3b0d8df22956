"""Scaffold: replaced by the part that owns this module."""

from django.http import Http404


def py(request, *args, **kwargs):
    raise Http404


def quoted(request, *args, **kwargs):
    raise Http404

