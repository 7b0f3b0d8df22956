"""Scaffold: the owner of this module replaces it whole."""

from django.http import Http404


def py(request, *args, **kwargs):
    raise Http404


def directory(request, *args, **kwargs):
    raise Http404


def directory_export(request, *args, **kwargs):
    raise Http404


def directory_settings(request, *args, **kwargs):
    raise Http404


def public_directory(request, *args, **kwargs):
    raise Http404


def h5_directory(request, *args, **kwargs):
    raise Http404


def my_listing(request, *args, **kwargs):
    raise Http404
