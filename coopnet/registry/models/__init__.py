from .changes import RegistryChange  # noqa: F401
from .duplicates import *  # noqa: F401,F403
from .imports import *  # noqa: F401,F403
from .organisations import (  # noqa: F401
    Competency,
    CompetencyCode,
    Link,
    Organisation,
    OrganisationName,
    Site,
    join_codes,
    split_codes,
)
