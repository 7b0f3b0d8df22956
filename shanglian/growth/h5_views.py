"""Scaffold: the owner of this module replaces it whole."""

from django.http import Http404


def py(request, *args, **kwargs):
    raise Http404


def apply(request, *args, **kwargs):
    raise Http404


def my_applications(request, *args, **kwargs):
    raise Http404


def my_application(request, *args, **kwargs):
    raise Http404


def withdraw(request, *args, **kwargs):
    raise Http404
