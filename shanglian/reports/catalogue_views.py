"""Scaffold: replaced by the part that owns this module."""

from django.http import Http404


def py(request, *args, **kwargs):
    raise Http404


def catalogue(request, *args, **kwargs):
    raise Http404


def figure_detail(request, *args, **kwargs):
    raise Http404


def figure_records(request, *args, **kwargs):
    raise Http404


def targets(request, *args, **kwargs):
    raise Http404


def target_edit(request, *args, **kwargs):
    raise Http404


def target_delete(request, *args, **kwargs):
    raise Http404


def coverage_threshold(request, *args, **kwargs):
    raise Http404

