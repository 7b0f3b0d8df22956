"""Scaffold: the owner of this module replaces it whole."""

from django.http import Http404


def report_list(request, *args, **kwargs):
    raise Http404


def report_export(request, *args, **kwargs):
    raise Http404


def report_create(request, *args, **kwargs):
    raise Http404


def report_detail(request, *args, **kwargs):
    raise Http404


def report_edit(request, *args, **kwargs):
    raise Http404


def report_delete(request, *args, **kwargs):
    raise Http404


def document_download(request, *args, **kwargs):
    raise Http404
