"""Scaffold: the owner of this module replaces it whole."""

from django.http import Http404


def inbox(request, *args, **kwargs):
    raise Http404


def notice(request, *args, **kwargs):
    raise Http404


def attachment(request, *args, **kwargs):
    raise Http404


def surveys(request, *args, **kwargs):
    raise Http404


def survey(request, *args, **kwargs):
    raise Http404
