"""Scaffold: the owner of this module replaces it whole."""

from django.http import Http404


def statistics(request, *args, **kwargs):
    raise Http404
