"""The API's request and response bodies as Pydantic models.

These models are the contract: spectree validates requests with them, checks and serialises
responses with them, and the OpenAPI document (/api/v1/openapi.json) is generated from them.
One module per resource; everything is importable from here.
"""

from wiki.api.schemas.carbon import *  # noqa: F403
from wiki.api.schemas.dashboard import *  # noqa: F403
from wiki.api.schemas.directory import *  # noqa: F403
from wiki.api.schemas.imports import *  # noqa: F403
from wiki.api.schemas.measures import *  # noqa: F403
from wiki.api.schemas.partners import *  # noqa: F403
from wiki.api.schemas.sheets import *  # noqa: F403
from wiki.api.schemas.threads import *  # noqa: F403
