"""Scaffold: the owner of this module replaces it whole."""

from django.http import Http404


def duplicate_list(request, *args, **kwargs):
    raise Http404


def duplicate_scan(request, *args, **kwargs):
    raise Http404


def duplicate_detail(request, *args, **kwargs):
    raise Http404


def duplicate_merge(request, *args, **kwargs):
    raise Http404


def duplicate_dismiss(request, *args, **kwargs):
    raise Http404


def merge_list(request, *args, **kwargs):
    raise Http404


def merge_detail(request, *args, **kwargs):
    raise Http404
