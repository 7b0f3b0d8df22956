"""The REST API's request parser (settings REST_FRAMEWORK["DEFAULT_PARSER_CLASSES"]). A module of its own:
DRF imports it while `rest_framework.views` loads, so it may not import that (as `common.api` does)."""

from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser


class SafeJSONParser(JSONParser):
    """The API's one parser (settings DEFAULT_PARSER_CLASSES): JSON nested too deeply for Python's
    parser (a RecursionError, which was a server error) is a 400 in Chinese like any malformed body."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError("JSON 格式有误：嵌套层数过多。") from None
