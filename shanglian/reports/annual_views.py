"""Scaffold: replaced by the part that owns this module."""

from django.http import Http404


def py(request, *args, **kwargs):
    raise Http404


def annual(request, *args, **kwargs):
    raise Http404


def run_detail(request, *args, **kwargs):
    raise Http404


def run_download(request, *args, **kwargs):
    raise Http404


def template_download(request, *args, **kwargs):
    raise Http404


def template_upload(request, *args, **kwargs):
    raise Http404


def template_reset(request, *args, **kwargs):
    raise Http404

