"""The REST API's response renderer (settings REST_FRAMEWORK["DEFAULT_RENDERER_CLASSES"]). A module of its
own: DRF imports it while `rest_framework.views` loads, so it may not import that (as `common.api` does)."""

from rest_framework.renderers import JSONRenderer


class NoStoreJSONRenderer(JSONRenderer):
    """JSON, with `Cache-Control: no-store` on every answer, errors included: the API's answers carry
    personal data that no browser or proxy cache may keep."""

    def render(self, data, accepted_media_type=None, renderer_context=None):
        response = (renderer_context or {}).get("response")
        if response is not None:
            response["Cache-Control"] = "no-store"
        return super().render(data, accepted_media_type, renderer_context)
