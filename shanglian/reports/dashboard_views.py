"""Scaffold: replaced by the part that owns this module."""

from django.http import Http404


def py(request, *args, **kwargs):
    raise Http404


def dashboard(request, *args, **kwargs):
    raise Http404


def screen(request, *args, **kwargs):
    raise Http404


def street_map(request, *args, **kwargs):
    raise Http404

