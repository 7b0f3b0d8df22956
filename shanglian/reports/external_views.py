"""Scaffold: replaced by the part that owns this module."""

from django.http import Http404


def py(request, *args, **kwargs):
    raise Http404


def value_list(request, *args, **kwargs):
    raise Http404


def value_export(request, *args, **kwargs):
    raise Http404


def value_edit(request, *args, **kwargs):
    raise Http404


def value_delete(request, *args, **kwargs):
    raise Http404


def indicator_list(request, *args, **kwargs):
    raise Http404


def indicator_edit(request, *args, **kwargs):
    raise Http404

